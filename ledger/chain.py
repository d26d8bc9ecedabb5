"""Tamper evidence: every event chained to the one recorded before it.

Each stored event has a link: a SHA-256 over the link before it and the event's stored
row (its position in the log, stream, version, topic and stored bytes, exactly as the
store holds them, and of the types it holds them as: see :func:`link`), written in the
same transaction as the event. Editing, deleting,
reordering or inserting a row breaks the chain from that row on, and ``verify`` names
the first row that no longer matches. A **digest** ``POSITION:LINK`` printed on a paper
pins the whole history up to that position: whoever holds it can check, with nothing but
``ragw verify --digest``, that the history up to it is unchanged and that everything
since only extends it (the link at that position is still the digest's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ledger.errors import Fix, Hint, LedgerError
from ledger.inputs import whole_number
from ledger.links import Odd, link, links_of

TABLE = "ragw_chain"
#: Rows from which a PostgreSQL write sends them as COPY: fewer go as one statement of
#: arrays, one round trip where COPY takes several (a command writes a few rows).
COPY_FROM = 500
#: The link "before" the first event.
GENESIS = "0" * 64


def create_chain(table: str = TABLE) -> str:
    """The statement creating the chain's table (named ``table``: an organisation's
    SQLite tables are named with its prefix)."""
    return f"CREATE TABLE IF NOT EXISTS {table} (position BIGINT PRIMARY KEY, link TEXT NOT NULL)"


CREATE = create_chain()


def _kind(value: Any) -> str:
    """A value's type as the store names it."""
    names = {str: "text", float: "real", bytes: "blob", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def stored_bytes(state: Any) -> Any:
    """``state`` as the store holds it: any bytes-like value as bytes, anything else as
    it is (hashed with its type)."""
    return bytes(state) if isinstance(state, bytearray | memoryview) else state


def as_stored(rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """``rows`` (stream, version, topic, state) with each state as the bytes the store
    holds: a link is of those (a link of a bytearray would be typed, and never match the
    row read back)."""
    if all(type(row[3]) is bytes for row in rows):
        return rows
    return [(*row[:3], stored_bytes(row[3])) for row in rows]


def _name(stream: Any, version: Any) -> tuple[str | None, int | None]:
    """A stored event's stream and version as far as they name one: ``verify`` names
    the event it stops at by them, whatever was stored."""
    stream = stream.value if isinstance(stream, Odd) else stream
    try:
        name = stream.hex if isinstance(stream, UUID) else UUID(str(stream)).hex
    except ValueError:
        name = None
    return name, version if type(version) is int else None


@dataclass(frozen=True)
class Digest:
    """The chain up to ``position``: what a paper prints and ``verify --digest`` checks."""

    position: int
    link: str

    def __str__(self) -> str:
        return f"{self.position}:{self.link}"

    @classmethod
    def parse(cls, text: str) -> Digest:
        written, sep, value = text.strip().partition(":")
        value = value.lower()
        position = whole_number(written)
        if (
            not sep
            or position is None
            or len(value) != 64
            or any(c not in "0123456789abcdef" for c in value)
        ):
            raise ValueError(
                f"{text!r} is not a digest; write it as printed on the paper, "
                "POSITION:64-HEX-DIGITS (e.g. 252:9f86d0…)"
            )
        return cls(position, value)


class ChainBrokenError(LedgerError):
    """The stored events no longer match their links: nothing more is recorded."""


_DELETED = (
    "the ledger's last recorded event (position {position}) has been deleted; "
    "nothing was recorded; {hint} and restore the ledger from a backup"
)
_UNLINKED = (
    "{count} event(s) were stored after position {position} without ragw; nothing "
    "was recorded; {hint} to see where"
)
_VERIFY = Hint.to(Fix.VERIFY)
#: A stored event as the chain reads it: position, stream, version, topic, stored bytes
#: (a value not of its column's type read as :class:`Odd`).
StoredRow = tuple[int, Any, Any, Any, Any]


#: Each stored column the chain covers, with its type as ragw's store makes it (as
#: SQLite's ``typeof`` and PostgreSQL's ``pg_typeof`` name it): a value of any other
#: type is read as :class:`Odd`.
_COLUMNS = ("originator_id", "originator_version", "topic", "state")
_SQLITE = ("text", "integer", "text", "blob")
_POSTGRES = ("uuid", "bigint", "text", "bytea")
_POSITIONS = (
    "the chain holds a link at position {position} (of type {kind}), where the ledger stores "
    "whole numbers only: the links were altered; restore the ledger from a backup"
)
_LAST_POSITION = (
    "the chain's last link is at position {position} (of type {kind}), where the ledger stores "
    "whole numbers only: the links were altered; nothing was recorded; {hint}"
)
_POSITION_TYPE = (
    "the ledger's column {column} is of type {kind}, where the ledger made it bigint: the "
    "positions of the history were altered; restore the ledger from a backup"
)


class Chainer:
    """Writes the links of newly stored events, inside the transaction that stores them,
    and reads stored events and links back as the chain hashes them: each value with
    the type the store holds it as. The links are kept in ``table``: :data:`TABLE`, or
    an organisation's own on SQLite (:mod:`ledger.storage.organisation`)."""

    def __init__(self, events_table: str, *, postgres: bool, table: str = TABLE) -> None:
        self.table = table
        mark = "%s" if postgres else "?"
        position = "notification_id" if postgres else "rowid"
        typeof = "pg_typeof({})::text" if postgres else "typeof({})"
        self.postgres, self.types = postgres, _POSTGRES if postgres else _SQLITE
        # The stored columns, then NULL when each is of its type (almost every row) or
        # else the type of each.
        canonical = " AND ".join(
            f"{typeof.format(name)} = '{kind}'"
            for name, kind in zip(_COLUMNS, self.types, strict=True)
        )
        each = [typeof.format(name) for name in _COLUMNS]
        kinds = f"ARRAY[{', '.join(each)}]" if postgres else " || ',' || ".join(each)
        columns = f"{', '.join(_COLUMNS)}, CASE WHEN {canonical} THEN NULL ELSE {kinds} END"
        self.select_last = f"SELECT position, link FROM {table} ORDER BY position DESC LIMIT 1"
        self.select_between = (
            f"SELECT {position}, {columns} FROM {events_table} "
            f"WHERE {position} > {mark} AND {position} < {mark} ORDER BY {position}"
        )
        self.insert = f"INSERT INTO {table} (position, link) VALUES ({mark}, {mark})"
        self.insert_all = (
            f"INSERT INTO {table} (position, link) SELECT * FROM unnest(%s::bigint[], %s::text[])"
        )
        self.copy = f"COPY {table} (position, link) FROM STDIN (FORMAT BINARY)"
        self.select_max = f"SELECT MAX({position}) FROM {events_table}"
        self.select_stored = (
            f"SELECT {position}, {columns} FROM {events_table} "
            f"WHERE {position} > {mark} ORDER BY {position} LIMIT {mark}"
        )
        self.select_links = (
            f"SELECT position, link, {typeof.format('link')} FROM {table} "
            f"WHERE position > {mark} ORDER BY position LIMIT {mark}"
        )
        # A position that is not a whole number sorts apart from the others (SQLite) or
        # cannot be compared with one (PostgreSQL): looked for before the chain is read.
        self.select_odd_positions = (
            "SELECT c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            f"WHERE (a.attrelid, a.attname) IN ((to_regclass('{events_table}'), "
            f"'notification_id'), (to_regclass('{table}'), 'position')) "
            "AND format_type(a.atttypid, a.atttypmod) <> 'bigint' ORDER BY 1 LIMIT 1"
            if postgres
            else f"SELECT position, typeof(position) FROM {table} "
            "WHERE typeof(position) <> 'integer' LIMIT 1"
        )

    def stored(self, rows: Iterable[Sequence[Any]]) -> list[StoredRow]:
        """Rows read with :attr:`select_stored` or :attr:`select_between` as the chain
        hashes them: each value of its column's type as it is, any other as
        :class:`Odd`."""
        return [row[:5] if row[5] is None else self._odd(row) for row in rows]  # type: ignore[misc]

    def _odd(self, row: Sequence[Any]) -> StoredRow:
        prefix = "postgres" if self.postgres else "sqlite"
        kinds = row[5] if self.postgres else row[5].split(",")
        values = [
            value if kind == wanted else Odd(f"{prefix} {kind}", value)
            for value, kind, wanted in zip(row[1:5], kinds, self.types, strict=True)
        ]
        return (row[0], *values)  # type: ignore[return-value]

    def links(self, rows: Iterable[Sequence[Any]]) -> list[tuple[int, Any]]:
        """Rows read with :attr:`select_links`: (position, link), a link not stored as
        text read as :class:`Odd` (it matches no link computed)."""
        prefix = "postgres" if self.postgres else "sqlite"
        return [
            (int(at), value if kind == "text" else Odd(f"{prefix} {kind}", value))
            for at, value, kind in rows
        ]

    def check_positions(self, cursor: Any) -> None:
        """Refuse to read a chain whose positions are not all whole numbers (a SQLite
        link's position of another type, a PostgreSQL position column of another
        type): the history cannot be walked in order."""
        cursor.execute(self.select_odd_positions)
        row = cursor.fetchone()
        if row is None:
            return
        if self.postgres:
            raise ChainBrokenError(_POSITION_TYPE, column=str(row[0]), kind=str(row[1]))
        raise ChainBrokenError(_POSITIONS, position=repr(row[0]), kind=f"{row[1]}")

    def check_head(self, cursor: Any) -> None:
        """Refuse to write on a chain whose last event was deleted, or that has events
        stored after its last link by anything but ragw (a ledger written before events
        were chained, with no link at all, is linked by the next write)."""
        position, _ = self.last(cursor)
        cursor.execute(self.select_max)
        top = int(cursor.fetchone()[0] or 0)
        if position and top < position:
            raise ChainBrokenError(_DELETED, position=position, hint=_VERIFY)
        if position and top > position:
            raise ChainBrokenError(_UNLINKED, count=top - position, position=position, hint=_VERIFY)

    def last(self, cursor: Any) -> tuple[int, str]:
        """The last link written: (position, link); (0, GENESIS) before the first."""
        cursor.execute(self.select_last)
        row = cursor.fetchone()
        if row is not None and type(row[0]) is not int:  # SQLite sorts text after numbers
            raise ChainBrokenError(
                _LAST_POSITION, position=repr(row[0]), kind=_kind(row[0]), hint=_VERIFY
            )
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def extend(self, cursor: Any, new: list[StoredRow]) -> None:
        """Link ``new``, the events this transaction has just stored (in order), to the
        chain. A ledger written before events were chained has its events linked first;
        an event stored since the last link by anything but ragw, or a last event
        deleted, refuses the write: the history must be checked first."""
        if not new:
            return
        previous, links = self.begin(cursor, new[0][0])
        for _ in self.linking(previous, new, links):
            pass
        self.write(cursor, links)

    def extend_from(self, cursor: Any, first: int, rows: Sequence[Sequence[Any]]) -> None:
        """:meth:`extend` for ``rows`` (stream, version, topic, stored bytes) that this
        transaction has just stored at the positions from ``first`` on, one after another:
        each linked as it stands, with no row of the chain's shape made for it."""
        if not rows:
            return
        previous, links = self.begin(cursor, first)
        positions = range(first, first + len(rows))
        links += zip(positions, links_of(previous, positions, as_stored(rows)), strict=True)
        self.write(cursor, links)

    def begin(self, cursor: Any, first: int) -> tuple[str, list[tuple[int, str]]]:
        """What the events stored from position ``first`` on are linked after: the link
        before them, and the links of any events a ledger written before events were
        chained holds without one (to be written with theirs). Refuses as
        :meth:`extend` does."""
        position, previous = self.last(cursor)
        if first <= position:
            raise ChainBrokenError(_DELETED, position=position, hint=_VERIFY)
        cursor.execute(self.select_between, (position, first))
        unlinked = self.stored(cursor.fetchall())
        if unlinked and position:
            raise ChainBrokenError(_UNLINKED, count=len(unlinked), position=position, hint=_VERIFY)
        links = []
        for at, stream, version, topic, state in unlinked:
            previous = link(previous, at, stream, version, topic, state)
            links.append((at, previous))
        return previous, links

    def linking(
        self, previous: str, new: Iterable[StoredRow], links: list[tuple[int, str]]
    ) -> Iterator[StoredRow]:
        """Each of ``new`` (in order, after ``previous``) as the store holds it, its link
        added to ``links`` as it is given: a writer sends each row as it is linked."""
        for row in new:
            at, stream, version, topic, state = row
            # The store holds any bytes as bytes, so the link is of those (a link of a
            # bytearray would be typed, and never match the row read back).
            if type(state) is not bytes:
                state = stored_bytes(state)
                row = (at, stream, version, topic, state)
            previous = link(previous, at, stream, version, topic, state)
            links.append((at, previous))
            yield row

    def write(self, cursor: Any, links: list[tuple[int, str]]) -> None:
        """Store ``links`` (position, link): on PostgreSQL in one statement, a COPY for
        many (a statement a link cost more than the rest of the write)."""
        if not self.postgres:
            cursor.executemany(self.insert, links)
            return
        if len(links) < COPY_FROM:  # one round trip, where COPY takes several
            cursor.execute(self.insert_all, [list(column) for column in zip(*links, strict=True)])
            return
        with cursor.copy(self.copy) as copy:
            copy.set_types(["int8", "text"])
            for row in links:
                copy.write_row(row)


@dataclass(frozen=True)
class Break:
    """Where the chain stops matching the stored events."""

    position: int
    stream: str | None
    version: int | None
    why: str


def walk(
    events: Iterable[tuple[int, Any, int, str, Any]], links: Iterable[tuple[int, str]]
) -> Iterator[tuple[int, str] | Break]:
    """Recompute the chain over ``events`` (position, stream, version, topic, state; in
    position order) against the stored ``links`` (position, link; in position order):
    yields each (position, link) that matches, then the first :class:`Break`, if any."""
    previous = GENESIS
    stored = iter(links)
    expected = next(stored, None)
    for position, stream, version, topic, state in events:
        while expected is not None and expected[0] < position:
            yield Break(expected[0], None, None, "was deleted (its link remains, its row is gone)")
            return
        if expected is None or expected[0] != position:
            yield Break(
                position, *_name(stream, version), "has no link: it was inserted outside ragw"
            )
            return
        previous = link(previous, position, stream, version, topic, state)
        if previous != expected[1]:
            yield Break(
                position,
                *_name(stream, version),
                "does not match its link: it was edited, or rows were "
                "swapped, reordered or deleted before it",
            )
            return
        yield position, previous
        expected = next(stored, None)
    if expected is not None:
        yield Break(expected[0], None, None, "was deleted (its link remains, its row is gone)")


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: how many events were checked, the chain's head, and where
    it broke (None when intact); with a digest, whether the digest still holds."""

    events: int
    head: Digest
    broken: Break | None
    digest: Digest | None = None
    digest_holds: bool | None = None


def check(
    events: Iterable[StoredRow], links: Iterable[tuple[int, str]], digest: Digest | None = None
) -> Verdict:
    """Walk the whole chain; with ``digest``, also check the link at its position."""
    head, count, holds = Digest(0, GENESIS), 0, None
    for step in walk(events, links):
        if isinstance(step, Break):
            return Verdict(count, head, step, digest, holds)
        count += 1
        head = Digest(*step)
        if digest is not None and step[0] == digest.position:
            holds = step[1] == digest.link
    return Verdict(count, head, None, digest, holds)
