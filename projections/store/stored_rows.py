"""The read model's stored rows as ``verify`` compares them: every table's columns in the
order its rows are made, read a page at a time and tallied (how many rows, and the sum
of a hash of each), in one snapshot; and, when a table
differs, the first of an item's rows that differs, described."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventsourcing.utils import get_topic

from events import (
    RecommendationEvent,
)
from projections.store.database import Database
from projections.store.prefixed import prefixed, prefixed_name
from projections.store.schema import (
    BOARD_COLUMNS,
    LINE_COLUMNS,
    NAME,
    PAPER_COLUMNS,
    SEAL_ROW,
    SPAN_COLUMNS,
    VERDICT_COLUMNS,
    create_tables,
)
from projections.store.sealed_columns import open_stored

if TYPE_CHECKING:
    from ledger.application import Ledger

#: Every table, in the order they are checked: its columns (in the order rows are made),
#: the column naming the row's item (or report, committee), and the column of its day.
TABLES: dict[str, tuple[str, int, int | None]] = {
    "ragw_tracking": ("name, position", 0, None),
    "ragw_reports": (
        "code, title, scope, published, inspectorates, makes, restricted, inspection, origin, "
        "known_from",
        0,
        3,
    ),
    "ragw_committees": ("stream, code, name, known_from", 1, None),
    "ragw_meetings": ("committee, meeting, paper, known_from", 0, 1),
    "ragw_inspections": ("stream, version, type, event, known_from", 0, None),
    "ragw_reviews": ("committee, meeting, version, reports, known_from", 0, 1),
    "ragw_spans": (SPAN_COLUMNS, 0, 4),
    "ragw_board_open": (BOARD_COLUMNS, 3, 1),
    "ragw_board": (BOARD_COLUMNS, 3, 1),
    "ragw_paper_rows": (PAPER_COLUMNS, 2, 1),
    "ragw_paper_lines": (LINE_COLUMNS, 4, 1),
    "ragw_verdicts": (VERDICT_COLUMNS, 1, 5),
}
#: The tables whose rows are made from one item's events.
ITEM_TABLES = ("ragw_spans", "ragw_board_open", "ragw_board", "ragw_paper_rows", "ragw_paper_lines")


def kinds(cls: type) -> Iterator[type]:
    """``cls`` and every class derived from it: a topic is a concrete class's."""
    yield cls
    sub: type
    for sub in cls.__subclasses__():
        yield from kinds(sub)


ITEM_TOPICS = frozenset(get_topic(cls) for cls in kinds(RecommendationEvent))
#: Rows read at a time.
BATCH = 5000
#: A table's rows as compared: how many, and the sum of their hashes.
Tally = Counter[str]


@dataclass(frozen=True)
class Difference:
    """The first stored row that is not what the events give."""

    table: str
    key: str
    day: str | None
    what: str
    #: What puts the table's definition right first, when rows alone cannot.
    owner_fix: str | None = None
    #: Whether the model read events the log no longer holds: not the model's fault.
    log_behind: bool = False

    def __str__(self) -> str:
        where = f"{self.table}, {self.key}" + (f" on {self.day}" if self.day else "")
        return f"{where}: {self.what}"


class Stored(Database):
    """The read model's database as it stands, for reading only: unlike the model's own
    connection it makes no table and moves no position, whatever it finds."""

    def __init__(self, ledger: Ledger, target: str) -> None:
        super().__init__(ledger, target, keep=False)

    def kept(self) -> bool:
        """Whether the database keeps a read model (its tracking table, whatever its
        rows): verify checks the model as it stands, and makes none."""
        exists = (
            "SELECT to_regclass('ragw_tracking') IS NOT NULL"
            if self.postgres
            else "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ragw_tracking'"
        )
        with self._transaction(lock=False) as cursor:
            cursor.execute(exists)
            return bool(cursor.fetchone()[0])

    def position_read(self) -> int:
        """How far the model kept has read the log (0 when none is kept)."""
        if not self.kept():
            return 0
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql("SELECT position FROM ragw_tracking WHERE name = ?"), (NAME,))
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def sealed_without_key(self) -> bool:
        """Whether the model kept is sealed (an encrypted ledger's) while this ledger was
        opened without a key: its rows cannot be opened, so they cannot be checked."""
        if self.seal or not self.kept():
            return False
        with self._transaction(lock=False) as cursor:
            cursor.execute(
                self._sql("SELECT position FROM ragw_tracking WHERE name = ?"), (SEAL_ROW,)
            )
            return cursor.fetchone() is not None


def pages(
    store: Database,
    cursor: Any,
    table: str,
    where: str = "",
    values: tuple[Any, ...] = (),
    connection: Any = None,
) -> Iterator[list[Any]]:
    """The stored rows of ``table`` (as tuples), a page at a time."""
    query = store._sql(f"SELECT {TABLES[table][0]} FROM {table} {where}")
    connection = connection or store.connection
    rows = connection.cursor(name="ragw_audit") if store.postgres else cursor
    sealer = store.sealer
    try:
        rows.execute(query, values)
        while page := rows.fetchmany(BATCH):
            # a sealed model's rows are compared opened: each is sealed with a new nonce
            yield page if sealer is None else open_stored(sealer, table, TABLES[table][0], page)
    finally:
        if rows is not cursor:
            rows.close()


def stored_tallies(store: Database) -> tuple[dict[str, int], dict[str, Tally]]:
    """The tracking rows, and every table's tally, read in one snapshot."""
    tallies: dict[str, Tally] = {table: Counter() for table in TABLES}
    with store._transaction(lock=False) as cursor:
        if store.postgres:  # one snapshot for every table
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT name, position FROM ragw_tracking")
        tracking = {str(name): int(at) for name, at in cursor.fetchall()}
        for table in TABLES:
            for page in pages(store, cursor, table):
                tally(tallies[table], page)
    return tracking, tallies


def row_hash(row: Any) -> int:
    """A row's hash, keyed by the run's secret (Python's string hash) and typed: taken of
    the row's text, so values Python's number hashing equates ('' and 0, -1 and -2, x and
    x + 2**61 - 1) differ, and so do values of other types (3 and '3', a text and its
    bytes, 1 and True: the events give no flag, so a column made to hold one is caught);
    text kinds (enums, rendered JSON) read as the text they are."""
    return hash(repr(tuple(_plain(value) for value in row)))


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return value if type(value) is str else str.__str__(value)
    return value


def tally(counted: Tally, rows: list[Any]) -> None:
    """Count ``rows`` into a table's tally (rows as tuples: SQLite's and psycopg's are)."""
    counted["rows"] += len(rows)
    counted["sum"] += sum(map(row_hash, rows))


def describe(
    table: str, key: str, expected: list[tuple[Any, ...]], kept: list[tuple[Any, ...]]
) -> Difference:
    """The first of an item's rows that differs between what the events give
    (``expected``) and what is stored (``kept``)."""
    columns, _, day_at = TABLES[table]
    names = columns.split(", ")
    missing = list((Counter(expected) - Counter(kept)).elements())
    extra = list((Counter(kept) - Counter(expected)).elements())

    def day(row: tuple[Any, ...]) -> str:
        return str(row[day_at]) if day_at is not None else ""

    def same(row: tuple[Any, ...], other: tuple[Any, ...]) -> bool:
        """The same row, changed: of the same day (and, in a paper's lists, list)."""
        kind = names.index("list") if "list" in names else day_at
        return day(row) == day(other) and (kind is None or row[kind] == other[kind])

    order = sorted([*missing, *extra], key=lambda row: (day(row), repr(row)))
    first = order[0]
    on = day(first) or None
    twin = [row for row in (extra if first in missing else missing) if same(row, first)]
    if twin:
        made, stored = (first, twin[0]) if first in missing else (twin[0], first)
        changed = [(n, s, m) for n, s, m in zip(names, stored, made, strict=True) if s != m]
        what = "; ".join(
            f"{n} is {_short(s)} where the events give {_short(m)}" for n, s, m in changed
        )
        return Difference(table, key, on, what)
    if first in missing:
        return Difference(table, key, on, "a row the events give is missing")
    return Difference(table, key, on, "a row the events do not give")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def schema_difference(store: Database) -> Difference | None:
    """On SQLite, the first of the read model's tables, indexes and triggers whose
    definition is not this layout's (a query answered through an index redefined in the
    file would leave out rows that are still there), or that this layout has not; None
    when they are all as ragw makes them (an organisation's: named with its prefix, and
    none of another's in the same file counts). On PostgreSQL, the first column whose type is
    not this layout's (one that gives the same values read, text as varchar or a
    bigint as an integer, would pass the rows' comparison)."""
    expected = sqlite3.connect(":memory:")
    try:
        create_tables(expected.cursor(), lambda statement: statement, False)
        wanted = _definitions(expected.cursor(), None)
        types = _declared(expected.cursor(), sorted({t for _, t, _ in wanted.values()}))
    finally:
        expected.close()
    if store.postgres:
        return _type_difference(store, types)
    # an organisation's objects are this layout's under its names (projections.store.prefixed)
    wanted = {
        prefixed_name(store.prefix, name): (
            kind,
            prefixed(store.prefix, table),
            prefixed(store.prefix, sql),
        )
        for name, (kind, table, sql) in wanted.items()
    }
    with store._transaction(lock=False) as cursor:
        found = _definitions(cursor, {table for _, table, _ in wanted.values()})
    for name in sorted({*wanted, *found}):
        if wanted.get(name) != found.get(name):
            kind = (wanted.get(name) or found[name])[0]
            return Difference(
                "sqlite_master", name, None, f"the {kind}'s definition is not this layout's"
            )
    return None


#: The PostgreSQL type of each type the layout declares.
_POSTGRES_TYPES = {"TEXT": "text", "INTEGER": "integer", "BIGINT": "bigint"}


def _declared(cursor: Any, tables: list[str]) -> dict[tuple[str, str], str]:
    """Each column of the layout's ``tables``: (table, column) -> declared type."""
    declared = {}
    for table in tables:
        cursor.execute(f"PRAGMA table_info({table})")
        for _, column, kind, *_ in cursor.fetchall():
            declared[(table, str(column))] = str(kind).upper()
    return declared


def _type_difference(store: Database, declared: dict[tuple[str, str], str]) -> Difference | None:
    """The first of the read model's columns on PostgreSQL whose type is not the one the
    layout declares."""
    tables = sorted({table for table, _ in declared})
    with store._transaction(lock=False) as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE a.attrelid = ANY(ARRAY(SELECT to_regclass(t) FROM unnest(%s::text[]) t)) "
            "AND a.attnum > 0 AND NOT a.attisdropped",
            (tables,),
        )
        found = {(str(t), str(c)): str(kind) for t, c, kind in cursor.fetchall()}
    for (table, column), kind in sorted(declared.items()):
        wanted = _POSTGRES_TYPES.get(kind, kind.lower())
        if found.get((table, column), wanted) != wanted:
            return Difference(
                table,
                column,
                None,
                f"the column is of type {found[(table, column)]}, not this layout's {wanted}",
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {wanted} USING {column}::{wanted}",
            )
    return None


def _definitions(cursor: Any, tables: set[str] | None) -> dict[str, tuple[str, str, str]]:
    """Every object of the read model's tables: name -> (type, table, SQL)."""
    cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return {
        str(name): (str(kind), str(table), " ".join(str(sql or "").split()))
        for kind, name, table, sql in cursor.fetchall()
        if (table in tables if tables is not None else True)
    }
