"""Proving the read model: every stored row is exactly what the events give.

Boards, summaries and papers are printed from the read model's tables, so a row edited,
inserted or deleted there would print a falsified paper whose events still verify. The
audit makes every row again from the events up to the model's tracking position, with
the very functions the follower writes them with (:mod:`projections.store.derive`), and
compares them with the stored rows, in bounded memory:

- the events are read a stream at a time, in the store's key order, so one item's events
  and rows are held at once (with every report's scope and every committee's meetings,
  read first: few);
- the stored rows are read a page at a time, in whatever order the table keeps them;
- each table's rows are compared as a multiset: their count and the sum of a hash of each
  row (Python's hash, keyed by a secret drawn afresh by each process, so nobody can
  choose rows whose sums agree). Only when a table differs is it read again, item by
  item, to name the first row that differs: its table, its item (or report, committee)
  and its day.

Nothing is written: the model is checked as it stands, up to its position.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from events import CommitteeRegistered, MeetingScheduled, RecommendationEvent, ReportRegistered
from ledger.keys import recommendation_id, split_key
from projections.store.database import Database, moment
from projections.store.derive import (
    Rendered,
    board_row,
    committee_row,
    is_open,
    report_row,
    span_row,
    span_steps,
)
from projections.store.paper_rows import item_paper_rows
from projections.store.schema import (
    BOARD_COLUMNS,
    LAYOUT,
    LAYOUT_ROW,
    LINE_COLUMNS,
    NAME,
    PAPER_COLUMNS,
    SPAN_COLUMNS,
)

#: Every table, in the order they are checked: its columns (in the order rows are made),
#: the column naming the row's item (or report, committee), and the column of its day.
TABLES: dict[str, tuple[str, int, int | None]] = {
    "ragw_tracking": ("name, position", 0, None),
    "ragw_reports": ("code, title, scope, published, inspectorates, makes, known_from", 0, 3),
    "ragw_committees": ("stream, code, name, known_from", 1, None),
    "ragw_meetings": ("committee, meeting, paper, known_from", 0, 1),
    "ragw_spans": (SPAN_COLUMNS, 0, 4),
    "ragw_board_open": (BOARD_COLUMNS, 3, 1),
    "ragw_board": (BOARD_COLUMNS, 3, 1),
    "ragw_paper_rows": (PAPER_COLUMNS, 2, 1),
    "ragw_paper_lines": (LINE_COLUMNS, 4, 1),
}
#: The tables whose rows are made from one item's events.
ITEM_TABLES = ("ragw_spans", "ragw_board_open", "ragw_board", "ragw_paper_rows",
               "ragw_paper_lines")  # fmt: skip
#: Rows read at a time.
BATCH = 5000
_META = [get_topic(cls) for cls in (ReportRegistered, CommitteeRegistered, MeetingScheduled)]


def _kinds(cls: type) -> Iterator[type]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _kinds(sub)


_ITEM_TOPICS = frozenset(get_topic(cls) for cls in _kinds(RecommendationEvent))
#: A table's rows as compared: how many, and the sum of their hashes.
Tally = Counter[str]


@dataclass(frozen=True)
class Difference:
    """The first stored row that is not what the events give."""

    table: str
    key: str
    day: str | None
    what: str

    def __str__(self) -> str:
        where = f"{self.table}, {self.key}" + (f" on {self.day}" if self.day else "")
        return f"{where}: {self.what}"


@dataclass(frozen=True)
class Audited:
    """A read model whose every row is what the events give: how many rows, up to which
    position, and how many events the log holds beyond it (the next read brings them in)."""

    rows: int
    position: int
    behind: int


class Audit:
    """The audit of one stored read model against its ledger's events."""

    def __init__(self, store: Database, progress: Callable[[int], object] | None = None):
        self.store = store
        self.ledger = store.ledger
        self.progress = progress

    def run(self) -> Audited | Difference:
        """Compare every stored row with the rows the events give. The stored rows are
        read on a connection of their own, in one snapshot, while the events' rows are
        made (reading waits on the database, making on Python)."""
        last = self.ledger.last_position()
        reader = _Reader(self)
        reader.start()
        tracking = reader.tracking()
        position = tracking.get(NAME)
        problem = self._tracking(tracking, position, last)
        if problem is not None:
            reader.join()
            return problem
        assert position is not None
        made = self._made_tallies(position)
        stored = reader.tallies()
        for table in TABLES:
            if stored[table] != made[table]:
                later = self._made_tallies(last) if position < last else None
                if later is not None and all(stored[t] == later[t] for t in ITEM_TABLES):
                    return Difference("ragw_tracking", NAME, None,
                                      f"the position is {position}, but the rows are those of "
                                      f"the events up to position {last}: it was moved back")  # fmt: skip
                return self._locate(table, position)
        rows = sum(counted["rows"] for counted in stored.values())
        return Audited(rows, position, last - position)

    # The stored rows --------------------------------------------------------------------

    def _pages(
        self,
        cursor: Any,
        table: str,
        where: str = "",
        values: tuple[Any, ...] = (),
        connection: Any = None,
    ) -> Iterator[list[Any]]:
        """The stored rows of ``table`` (as tuples), a page at a time."""
        query = self.store._sql(f"SELECT {TABLES[table][0]} FROM {table} {where}")
        connection = connection or self.store.connection
        rows = connection.cursor(name="ragw_audit") if self.store.postgres else cursor
        try:
            rows.execute(query, values)
            while page := rows.fetchmany(BATCH):
                yield page
        finally:
            if rows is not cursor:
                rows.close()

    def _tracking(
        self, tracking: dict[str, int], position: int | None, last: int
    ) -> Difference | None:
        """What is wrong with the tracking rows, if anything."""
        table = "ragw_tracking"
        if position is None:
            return Difference(table, NAME, None, "the model's position is missing")
        if tracking.get(LAYOUT_ROW) != LAYOUT:
            return Difference(table, LAYOUT_ROW, None,
                              f"the layout is {tracking.get(LAYOUT_ROW)} where it is {LAYOUT}")  # fmt: skip
        for name in sorted(set(tracking) - {NAME, LAYOUT_ROW}):
            return Difference(table, name, None, "a row ragw never writes")
        if position > last:
            return Difference(table, NAME, None, f"the position is {position}, past the "
                              f"log's last event (position {last})")  # fmt: skip
        return None

    # The rows the events give -----------------------------------------------------------

    def _made_tallies(self, position: int) -> dict[str, Tally]:
        tallies: dict[str, Tally] = {table: Counter() for table in TABLES}
        for table, rows in self.made(position):
            tally(tallies[table], rows)
        return tallies

    def made(
        self, position: int, stream: UUID | None = None
    ) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """Every row the events up to ``position`` give, as (table, row); only those of
        one item's ``stream`` (and the reports, committees and meetings) when given."""
        yield "ragw_tracking", [(LAYOUT_ROW, LAYOUT), (NAME, position)]
        reports: dict[str, tuple[str, str]] = {}
        codes: dict[str, str] = {}
        days: dict[str, list[date]] = defaultdict(list)
        for event in self._meta_events(position):
            at = moment(event.timestamp)
            if isinstance(event, ReportRegistered):
                row = report_row(event, at)
                reports[event.code] = (row[2], row[3])
                yield "ragw_reports", [row]
            elif isinstance(event, CommitteeRegistered):
                row = committee_row(event, at)
                codes[row[0]] = event.code
                yield "ragw_committees", [row]
            elif isinstance(event, MeetingScheduled):
                code = codes.get(str(event.originator_id))
                if code is not None:  # the follower joins a meeting to its committee
                    days[code].append(event.meeting)
                    yield "ragw_meetings", [(code, event.meeting.isoformat(), event.paper, at)]
        meetings = {code: sorted(found) for code, found in days.items()}
        for events in self._streams(position, stream):
            yield from self._item_rows(events, reports, meetings)

    def _meta_events(self, position: int) -> Iterator[Any]:
        """The reports, committees and meetings recorded up to ``position``, in order."""
        recorder, mapper = self.ledger.recorder, self.ledger.mapper
        start = 1
        while start <= position:
            page = recorder.select_notifications(start, BATCH, stop=position, topics=_META)
            yield from (mapper.to_domain_event(notification) for notification in page)
            if len(page) < BATCH:
                return
            start = page[-1].id + 1

    def _streams(self, position: int, stream: UUID | None) -> Iterator[list[RecommendationEvent]]:
        """Each item's events up to ``position``, in the order recorded, an item at a
        time (in the store's order of stream ids)."""
        recorder: Any = self.ledger.recorder
        at = "notification_id" if self.store.postgres else "rowid"
        where, values = f"WHERE {at} <= ?", [position]
        if stream is not None:
            where += " AND originator_id = ?"
            values.append(stream if self.store.postgres else stream.hex)
        query = self.store._sql(
            f"SELECT originator_id, originator_version, topic, state FROM "
            f"{recorder.events_table_name} {where} ORDER BY originator_id, originator_version"
        )
        decode = self.ledger.mapper.to_domain_event
        current: Any = None
        events: list[RecommendationEvent] = []
        with self.store._transaction(lock=False) as cursor:
            rows = (
                self.store.connection.cursor(name="ragw_audit_events")
                if self.store.postgres
                else cursor
            )
            try:
                rows.execute(query, tuple(values))
                while page := rows.fetchmany(BATCH):
                    for originator, version, topic, state in page:
                        if topic not in _ITEM_TOPICS:
                            continue
                        if originator != current:
                            if events:
                                yield events
                            current, events = originator, []
                        stored = StoredEvent(originator, version, topic, bytes(state))
                        events.append(cast(RecommendationEvent, decode(stored)))
                    if self.progress is not None:
                        self.progress(len(page))
            finally:
                if rows is not cursor:
                    rows.close()
        if events:
            yield events

    def _item_rows(
        self,
        events: list[RecommendationEvent],
        reports: dict[str, tuple[str, str]],
        meetings: dict[str, list[date]],
    ) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """The rows of one item, from its events (as the follower makes them)."""
        current: dict[str, list[Any]] = {}  # the spans known now, by start
        rendered: Rendered = {}
        timeline: list[Any] = []
        made: list[list[Any]] = []
        for event, ended, begun, after in span_steps([], events):
            timeline = after
            at = moment(event.timestamp)
            for span in ended:
                row = current.pop(span[0].isoformat(), None)
                if row is not None:
                    row[3] = at
            for span in begun:
                scope, published = reports[span[2].report]
                row = span_row(at, *span, scope, published, rendered)
                current[row[4]] = row
                made.append(row)
        yield "ragw_spans", [tuple(row) for row in made]
        boards = [board_row(row) for row in made if row[3] is None]
        yield "ragw_board_open", [board for board in boards if is_open(board)]
        yield "ragw_board", [board for board in boards if not is_open(board)]
        papers: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        for code, days in meetings.items():
            for _, kept in item_paper_rows(code, days, timeline):
                if kept is not None:
                    papers.append(kept[0])
                    lines.extend(kept[1])
        yield "ragw_paper_rows", papers
        yield "ragw_paper_lines", lines

    # Naming the first row that differs ---------------------------------------------------

    def _locate(self, table: str, position: int) -> Difference:
        """The first row of ``table`` that differs: the first item (or report, committee)
        in order whose rows differ, and the first of its rows."""
        columns, key_at, _ = TABLES[table]
        made: dict[str, Tally] = defaultdict(Counter)
        for found, rows in self.made(position):
            for row in rows if found == table else ():
                made[row[key_at]].update(rows=1, sum=hash(row))
        stored: dict[str, Tally] = defaultdict(Counter)
        with self.store._transaction(lock=False) as cursor:
            for page in self._pages(cursor, table):
                for row in page:
                    stored[tuple(row)[key_at]].update(rows=1, sum=hash(tuple(row)))
        differing = [k for k in {*made, *stored} if made.get(k) != stored.get(k)]
        if not differing:  # the rows of no one item differ: the table differs as a whole
            return Difference(table, "every row", None, "the rows differ from the events'")
        key = min(differing)
        stream = None
        if table in ITEM_TABLES:
            stream = recommendation_id(*split_key(key))
        expected = [row for found, rows in self.made(position, stream) if found == table
                    for row in rows if row[key_at] == key]  # fmt: skip
        name = columns.split(", ")[key_at]
        with self.store._transaction(lock=False) as cursor:
            kept = [tuple(row) for page in self._pages(cursor, table, f"WHERE {name} = ?", (key,))
                    for row in page]  # fmt: skip
        return describe(table, key, expected, kept)


class _Reader(threading.Thread):
    """Every stored table's tally, read in one snapshot on a connection of its own."""

    def __init__(self, audit: Audit) -> None:
        super().__init__(name="ragw-audit-reader", daemon=True)
        self.audit = audit
        self._tracking: dict[str, int] = {}
        self._tallies: dict[str, Tally] = {table: Counter() for table in TABLES}
        self._error: BaseException | None = None
        self._position_read = threading.Event()

    def run(self) -> None:
        store = self.audit.store
        connection = store._connect()
        try:
            cursor = connection.cursor()
            if store.postgres:  # one snapshot for every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            else:
                cursor.execute("BEGIN")
            cursor.execute("SELECT name, position FROM ragw_tracking")
            self._tracking = {str(name): int(at) for name, at in cursor.fetchall()}
            self._position_read.set()
            for table in TABLES:
                for page in self.audit._pages(cursor, table, connection=connection):
                    tally(self._tallies[table], page)
            connection.rollback()
        except BaseException as error:  # handed to the audit, which raises it
            self._error = error
        finally:
            self._position_read.set()
            connection.close()

    def tracking(self) -> dict[str, int]:
        """The tracking rows, once read."""
        self._position_read.wait()
        if self._error is not None:
            raise self._error
        return self._tracking

    def tallies(self) -> dict[str, Tally]:
        """Each table's tally, once every table is read."""
        self.join()
        if self._error is not None:
            raise self._error
        return self._tallies


def tally(counted: Tally, rows: list[Any]) -> None:
    """Count ``rows`` into a table's tally (rows as tuples: SQLite's and psycopg's are)."""
    counted["rows"] += len(rows)
    counted["sum"] += sum(map(hash, rows))


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
        what = "; ".join(f"{n} is {_short(s)} where the events give {_short(m)}"
                         for n, s, m in changed)  # fmt: skip
        return Difference(table, key, on, what)
    if first in missing:
        return Difference(table, key, on, "a row the events give is missing")
    return Difference(table, key, on, "a row the events do not give")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
