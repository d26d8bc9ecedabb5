"""A stored read model of the ledger, kept beside the events.

Reading the board as at a date by replaying the whole log stops working at a national
scale. This read model keeps:

- per item, the spans of its :func:`ledger.state.timeline`, with both kinds of time
  (``effective_from`` / ``effective_until``: the days the state held in the world,
  ``9999-12-31`` while it still holds; ``known_from`` / ``known_until``: the moments the
  ledger said so; a span is closed, never deleted, when a later event changes what is
  known), the board's columns (status, due, owner, comment, extensions) and the whole
  state as JSON for what papers print beyond them;
- per item what never changes (key, report, ref, kind, text, lead), and the reports,
  committees and meetings, each with the moment it was recorded;
- per meeting of each committee, as known now, every item's status then and at the
  meeting before (what a summary counts) and the paper's lists (overdue, slippage,
  extended since the meeting before), each row rendered, in the paper's order. A new
  meeting's rows (and the next meeting's, which now compares with it) are derived from
  the board; an event changes its item's rows for the meetings on or after the first
  day it changes. A summary as known at an earlier moment is worked out from the spans.

So "the board as at D, as known at T" is one indexed query that hands back the rows
ready to print, in the papers' order; and it answers exactly as the fold does. The model
follows the notification log and keeps its position in a tracking row written in the
same transaction as the rows it derived, so it is updated exactly once: a crash leaves
it at the last committed page, and the next read catches up, whoever wrote the events.
Writers never wait for it. ``rebuild`` derives it again from nothing.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from uuid import UUID

from pydantic import TypeAdapter

from events import (
    CommitteeRegistered,
    Kind,
    LedgerEvent,
    MeetingScheduled,
    RecommendationEvent,
    ReportRegistered,
    Status,
)
from ledger.errors import LedgerError
from ledger.persistence import is_postgres, storage_env
from ledger.state import (
    NOT_OVERDUE,
    Extended,
    ItemState,
    Pending,
    Span,
    later_timeline,
    timeline,
)
from projections.exceptions import (
    Lines,
    Made,
    Overdue,
    PendingSignOff,
    Row,
    Slippage,
    item_order,
    row_exceptions,
    row_of,
    row_pending,
)
from projections.text import JSONText, compact, ref_order

if TYPE_CHECKING:
    from ledger.application import Ledger

NAME = "read_model"
#: The table of the model's position (and layout).
TRACKING = "ragw_tracking"
#: The layout of the tables below. A model of another layout (an earlier ragw's) is
#: dropped and derived again from the log, on first use.
LAYOUT = 5
LAYOUT_ROW = "read_model_layout"
#: The end of a span that has not ended: later than any date, so one range test serves.
FOREVER = "9999-12-31"
PAGE = 1000
#: Rows fetched at a time when streaming a board out.
BATCH = 2000
STATE = TypeAdapter(ItemState)

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ragw_tracking (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_reports (
        code TEXT PRIMARY KEY, title TEXT NOT NULL, scope TEXT NOT NULL,
        published TEXT NOT NULL, inspectorates TEXT NOT NULL, makes INTEGER,
        known_from TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_committees (
        stream TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL,
        known_from TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_meetings (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, paper TEXT,
        known_from TEXT NOT NULL)""",
    # Every span ever known, with the moments it was known: "as known at T" reads here.
    """CREATE TABLE IF NOT EXISTS ragw_spans (
        key TEXT NOT NULL, report TEXT NOT NULL,
        known_from TEXT NOT NULL, known_until TEXT,
        effective_from TEXT NOT NULL, effective_until TEXT NOT NULL,
        status TEXT, due TEXT, owner TEXT,
        original_due TEXT, times_extended INTEGER NOT NULL, extended_on TEXT,
        place TEXT NOT NULL, head TEXT NOT NULL, tail TEXT NOT NULL, state TEXT NOT NULL,
        pending TEXT)""",
    """CREATE INDEX IF NOT EXISTS ragw_spans_as_known
        ON ragw_spans (effective_until, known_from)""",
    """CREATE INDEX IF NOT EXISTS ragw_spans_open ON ragw_spans (key, known_until)""",
    # The spans known now. Each item's last span, which has not ended, is kept in the
    # papers' order (SQLite stores a table in its key's order); the ended ones in order
    # of the days they ended. So "the board as at D" reads one run of rows already in
    # order, merged with the few ended spans that were current on D.
    """CREATE TABLE IF NOT EXISTS ragw_board_open (
        effective_until TEXT NOT NULL, effective_from TEXT NOT NULL, place TEXT NOT NULL,
        key TEXT NOT NULL, report TEXT NOT NULL,
        status TEXT, due TEXT, owner TEXT,
        original_due TEXT, times_extended INTEGER NOT NULL, extended_on TEXT,
        head TEXT NOT NULL, tail TEXT NOT NULL, pending TEXT,
        PRIMARY KEY (place)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_board_open_key ON ragw_board_open (key)""",
    """CREATE TABLE IF NOT EXISTS ragw_board (
        effective_until TEXT NOT NULL, effective_from TEXT NOT NULL, place TEXT NOT NULL,
        key TEXT NOT NULL, report TEXT NOT NULL,
        status TEXT, due TEXT, owner TEXT,
        original_due TEXT, times_extended INTEGER NOT NULL, extended_on TEXT,
        head TEXT NOT NULL, tail TEXT NOT NULL, pending TEXT,
        PRIMARY KEY (effective_until, effective_from, place)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_board_key ON ragw_board (key, effective_from)""",
    # Per meeting of each committee, every item as known now: its status then and at
    # the meeting before, all the summary counts (read grouped, from the index alone);
    # and the paper's lists (overdue, slippage, extended since the meeting before), each
    # row rendered and kept in the order the paper lists it.
    """CREATE TABLE IF NOT EXISTS ragw_paper_rows (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, key TEXT NOT NULL,
        report TEXT NOT NULL, status TEXT, previous TEXT,
        PRIMARY KEY (committee, meeting, key)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_paper_tally ON ragw_paper_rows
        (committee, meeting, report, status, previous)""",
    """CREATE TABLE IF NOT EXISTS ragw_paper_lines (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, list TEXT NOT NULL,
        place TEXT NOT NULL, key TEXT NOT NULL, status TEXT, due TEXT, days INTEGER,
        owner TEXT, original_due TEXT, times_extended INTEGER, line TEXT,
        PRIMARY KEY (committee, meeting, list, place)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_paper_lines_key ON ragw_paper_lines
        (committee, meeting, key)""",
)
TABLES = ("ragw_reports", "ragw_committees", "ragw_meetings", "ragw_spans", "ragw_board",
          "ragw_board_open", "ragw_paper_rows", "ragw_paper_lines")  # fmt: skip
#: The columns of ``ragw_spans``, in the order written.
SPAN_COLUMNS = ("key, report, known_from, known_until, effective_from, "
                "effective_until, status, due, owner, original_due, times_extended, "
                "extended_on, place, head, tail, state, pending")  # fmt: skip
BOARD_COLUMNS = ("effective_until, effective_from, place, key, report, status, due, "
                 "owner, original_due, times_extended, extended_on, head, tail, pending")  # fmt: skip

#: A board row as printed: its JSON with ``overdue`` decided for the day asked about.
BOARD_ROW = """SELECT {owner}head || CASE WHEN due < ? AND COALESCE(status, '') NOT IN
    ('GREEN', 'WHITE', 'CLOSED') THEN 'true' ELSE 'false' END || tail, place"""
#: The columns a paper reads of every item; the rest of the state is read on demand.
STATE_SELECT = """SELECT key, report, status, due, owner, original_due, times_extended,
    extended_on, pending, effective_from, {known_from}"""
#: The columns of :data:`projections.recorded.Row`.
ROW_SELECT = """SELECT key, report, status, due, owner, original_due, times_extended,
    extended_on, pending"""
CURRENT = "WHERE effective_until > ? AND effective_from <= ? "
AS_KNOWN = "AND known_from <= ? AND (known_until IS NULL OR known_until > ?) "


def moment(value: datetime) -> str:
    """A recording time as fixed-width UTC text, so text order is time order."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


#: Status by its stored word, without an enum look-up per row.
STATUSES = {status.value: status for status in Status}


class StoredState:
    """An item's state as a stored span gives it: the columns every paper reads, and the
    rest of the state (text, extensions, comment…) read and decoded only when asked for."""

    __slots__ = (
        "_full",
        "_load",
        "_span",
        "due",
        "key",
        "last_extended_on",
        "original_due",
        "owner",
        "pending_text",
        "report",
        "status",
        "times_extended",
    )  # fmt: skip

    def __init__(
        self, row: Sequence[Any], load: Callable[[tuple[str, str, str | None]], str]
    ) -> None:
        key, report, status, due, owner, original, times, extended, pending, *span = row
        self.key: str = key
        self.report: str = report
        self.status = STATUSES[status] if status else None
        self.due = date.fromisoformat(due) if due else None
        self.owner: str | None = owner
        self.original_due = date.fromisoformat(original) if original else None
        self.times_extended: int = times
        self.last_extended_on = date.fromisoformat(extended) if extended else None
        self.pending_text: str | None = pending
        self._span: tuple[str, str, str | None] = (key, *span)  # type: ignore[assignment]
        self._load = load
        self._full: ItemState | None = None

    def full(self) -> ItemState:
        """The whole state, as the fold gives it."""
        if self._full is None:
            self._full = STATE.validate_json(self._load(self._span))
        return self._full

    def overdue_as_at(self, day: date) -> bool:
        return self.due is not None and self.due < day and self.status not in NOT_OVERDUE

    @property
    def ref(self) -> str:
        return self.key.partition("/")[2]

    @property
    def kind(self) -> Kind:
        return self.full().kind

    @property
    def text(self) -> str:
        return self.full().text

    @property
    def lead(self) -> str | None:
        return self.full().lead

    @property
    def due_text(self) -> str | None:
        return self.full().due_text

    @property
    def extensions(self) -> list[Extended]:
        return self.full().extensions

    @property
    def comment(self) -> str | None:
        return self.full().comment

    @property
    def pending(self) -> Pending | None:
        return self.full().pending if self.pending_text else None


class PaperLists(NamedTuple):
    """A paper's lists as the read model keeps them for one meeting: rows of (key,
    status, due, days, owner, original due, times extended, line), in order."""

    overdue: list[tuple[Any, ...]]
    slippage: list[tuple[Any, ...]]
    #: The items extended since the meeting before.
    extended: list[str]
    #: The items with a request pending sign-off, as their lines.
    pending: list[str]

    def pending_sign_off(self) -> list[PendingSignOff]:
        return [PendingSignOff.of_line(line) for line in self.pending]

    def exceptions(self) -> tuple[Sequence[Overdue], Sequence[Slippage], Lines]:
        """The overdue and slippage rows (made when first looked at) and their lines."""
        day = date.fromisoformat
        overdue = Made(self.overdue, lambda r: Overdue(r[0], r[1], day(r[2]), r[3], r[4]))
        slippage = Made(self.slippage,
                        lambda r: Slippage(r[0], r[1], day(r[5]), day(r[2]), r[6], r[3]))  # fmt: skip
        lines = ([JSONText(r[-1]) for r in self.overdue], [JSONText(r[-1]) for r in self.slippage])
        return overdue, slippage, lines


#: The columns of ``ragw_paper_rows`` and ``ragw_paper_lines``, in the order
#: :func:`paper_rows` gives them.
PAPER_COLUMNS = "committee, meeting, key, report, status, previous"
LINE_COLUMNS = ("committee, meeting, list, place, key, status, due, days, owner, original_due, "
                "times_extended, line")  # fmt: skip


def paper_rows(
    committee: str, day: date, previous: date | None, row: Row, before: str | None
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The paper row (:data:`PAPER_COLUMNS`) of the item of ``row`` for the meeting on
    ``day``, whose status at the meeting before (on ``previous``) was ``before``, and
    its rows in the paper's lists (:data:`LINE_COLUMNS`)."""
    overdue, slippage, extended = row_exceptions(row, day, previous.isoformat() if previous else "")
    key, report, status, *_ = row
    meeting = day.isoformat()
    lines: list[tuple[Any, ...]] = []
    if overdue is not None:
        lines.append((committee, meeting, "overdue", overdue.order(), key, overdue.status,
                      overdue.due.isoformat(), overdue.days_overdue, overdue.owner, None, None,
                      str(overdue.line())))  # fmt: skip
    if slippage is not None:
        lines.append((committee, meeting, "slippage", slippage.order(), key, slippage.status,
                      slippage.due.isoformat(), slippage.days_past_original, None,
                      slippage.original_due.isoformat(), slippage.times_extended,
                      str(slippage.line())))  # fmt: skip
    if extended:
        lines.append((committee, meeting, "extended", item_order(key), key, *[None] * 7))
    pending = row_pending(row)
    if pending is not None:
        lines.append((committee, meeting, "pending", pending.order(), key, pending.status,
                      *[None] * 5, str(pending.line())))  # fmt: skip
    return (committee, meeting, key, report, status, before), lines


def _state_on(spans: list[Span], day: date) -> ItemState | None:
    """The state a timeline gives for ``day``; None before the item was issued."""
    for start, until, state in spans:
        if start <= day and (until is None or day < until):
            return state
    return None


@dataclass(frozen=True)
class ReportFacts:
    """A report as papers name it."""

    code: str
    title: str
    scope: str
    published: date
    inspectorates: tuple[str, ...] = ()
    makes: int | None = None

    @classmethod
    def of(cls, event: ReportRegistered) -> ReportFacts:
        return cls(event.code, event.title, event.scope.value, event.published,
                   tuple(event.inspectorates), event.makes)  # fmt: skip


class TimelineStore:
    """The read model of one ledger (a SQLite file or a PostgreSQL database)."""

    def __init__(self, ledger: Ledger, target: str) -> None:
        self.ledger = ledger
        self.postgres = is_postgres(target)
        self.env = storage_env(target)
        self.connection: Any = self._connect()
        #: (scope, published) of every report, read once the first items need it.
        self._reports: dict[str, tuple[str, str]] | None = None
        try:
            self._create()
        except LedgerError:  # another process created the tables at the same moment
            self._create()

    def _ready(self) -> bool:
        """Whether the tables exist, in this layout, with a position: then nothing is
        created (a database login without the right to create tables can keep it)."""
        exists = (
            "SELECT to_regclass('ragw_tracking') IS NOT NULL"
            if self.postgres
            else "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ragw_tracking'"
        )
        with self._transaction(lock=False) as cursor:
            cursor.execute(exists)
            if not cursor.fetchone()[0]:
                return False
            cursor.execute(self._sql("SELECT name, position FROM ragw_tracking"))
            rows = dict(cursor.fetchall())
        return rows.get(LAYOUT_ROW) == LAYOUT and NAME in rows

    def _create(self) -> None:
        if self._ready():
            return
        with self._transaction(lock=True, creating=True) as cursor:
            cursor.execute(SCHEMA[0])  # the tracking table
            cursor.execute(
                self._sql("SELECT position FROM ragw_tracking WHERE name = ?"), (LAYOUT_ROW,)
            )
            layout = cursor.fetchone()
            if layout is None or layout[0] != LAYOUT:
                for table in (*TABLES, "ragw_timeline_spans"):  # and the first layout's
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute("DELETE FROM ragw_tracking")
                cursor.execute(
                    self._sql("INSERT INTO ragw_tracking (name, position) VALUES (?, ?)"),
                    (LAYOUT_ROW, LAYOUT),
                )
            for statement in SCHEMA:
                if not self.postgres:  # kept in its key's order
                    statement = statement.replace("/* clustered */", "WITHOUT ROWID")
                cursor.execute(statement)
            cursor.execute(self._sql("SELECT position FROM ragw_tracking WHERE name = ?"), (NAME,))
            if cursor.fetchone() is None:
                cursor.execute(
                    self._sql("INSERT INTO ragw_tracking (name, position) VALUES (?, 0)"), (NAME,)
                )

    # Connections ---------------------------------------------------------------------

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg

            env = self.env
            return psycopg.connect(
                dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"],
                port=int(env["POSTGRES_PORT"]), user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"], connect_timeout=10,
            )  # fmt: skip
        return sqlite3.connect(self.env["SQLITE_DBNAME"], timeout=30, isolation_level=None)

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    @contextmanager
    def _transaction(self, *, lock: bool, creating: bool = False) -> Iterator[Any]:
        """One transaction; with ``lock``, this store's only writer until it ends."""
        cursor = self.connection.cursor()
        try:
            if self.postgres:
                if creating:  # the tracking row may not exist yet: lock the model's name
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('ragw_read_model'))")
                elif lock:
                    cursor.execute(
                        "SELECT position FROM ragw_tracking WHERE name = %s FOR UPDATE", (NAME,)
                    )
            else:
                cursor.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
            yield cursor
        except BaseException as error:
            if self.postgres:
                self.connection.rollback()
            elif self.connection.in_transaction:
                cursor.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error) or type(error).__module__.startswith("psycopg"):
                raise LedgerError(
                    "the read model beside the events could not be brought up to date "
                    f"({type(error).__name__}: {' '.join(str(error).split())}); nothing was "
                    "changed; run the command again"
                ) from error
            raise
        else:
            self.connection.commit() if self.postgres else cursor.execute("COMMIT")
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()

    # Keeping in step -----------------------------------------------------------------

    def position(self) -> int:
        with self._transaction(lock=False) as cursor:
            return self._position(cursor)

    def _position(self, cursor: Any) -> int:
        cursor.execute(self._sql("SELECT position FROM ragw_tracking WHERE name = ?"), (NAME,))
        return int(cursor.fetchone()[0])

    def catch_up(self, progress: Callable[[int], object] | None = None) -> int:
        """Derive rows from every event after the tracking position, a page per
        transaction; return how many events were read."""
        if self.position() >= self.ledger.last_position():
            return 0  # in step: two reads, no write lock
        done = 0
        while True:
            with self._transaction(lock=True) as cursor:
                read = self._follow(cursor, self._position(cursor))
            done += read
            if progress is not None:
                progress(read)
            if read < PAGE:
                return done

    def rebuild(self, progress: Callable[[int], object] | None = None) -> int:
        """Derive the whole model again from the first event, in one transaction."""
        with self._transaction(lock=True) as cursor:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")
            position, done = 0, 0
            while True:
                read = self._follow(cursor, position)
                done += read
                if progress is not None:
                    progress(read)
                if read < PAGE:
                    return done
                position = self._position(cursor)

    def _follow(self, cursor: Any, position: int) -> int:
        """Apply one page of the log after ``position``; move the position with it."""
        notifications = self.ledger.recorder.select_notifications(start=position + 1, limit=PAGE)
        if not notifications:
            return 0
        page: dict[UUID, list[RecommendationEvent]] = defaultdict(list)
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for notification in notifications:
            event = cast(LedgerEvent, self.ledger.mapper.to_domain_event(notification))
            if isinstance(event, RecommendationEvent):
                page[event.originator_id].append(event)  # in recorded order
                continue
            at = moment(event.timestamp)
            if isinstance(event, ReportRegistered):
                rows["report"].append((event.code, event.title, event.scope.value,
                                       event.published.isoformat(),
                                       json.dumps(list(event.inspectorates)), event.makes, at))  # fmt: skip
            elif isinstance(event, CommitteeRegistered):
                rows["committee"].append((str(event.originator_id), event.code, event.name, at))
            elif isinstance(event, MeetingScheduled):
                rows["meeting"].append((event.meeting.isoformat(), event.paper, at,
                                        str(event.originator_id)))  # fmt: skip
        inserts = {
            "report": "INSERT INTO ragw_reports (code, title, scope, published, inspectorates, "
            "makes, known_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
            "committee": "INSERT INTO ragw_committees (stream, code, name, known_from) "
            "VALUES (?, ?, ?, ?)",
            "meeting": "INSERT INTO ragw_meetings (committee, meeting, paper, known_from) "
            "SELECT code, ?, ?, ? FROM ragw_committees WHERE stream = ?",
        }
        earlier = self._meeting_days(cursor)
        for kind, statement in inserts.items():  # committees before their meetings
            if rows[kind]:
                cursor.executemany(self._sql(statement), rows[kind])
        meetings = self._meeting_days(cursor) if rows["meeting"] else earlier
        changed: dict[str, tuple[date, list[Span]]] = {}
        if page:
            self._follow_items(cursor, page, rows["report"], changed)
        if meetings:
            self._follow_papers(cursor, meetings, earlier, changed)
        cursor.execute(
            self._sql("UPDATE ragw_tracking SET position = ? WHERE name = ?"),
            (notifications[-1].id, NAME),
        )
        return len(notifications)

    def _follow_items(
        self,
        cursor: Any,
        page: dict[UUID, list[RecommendationEvent]],
        new_reports: list[tuple[Any, ...]],
        changed: dict[str, tuple[date, list[Span]]],
    ) -> None:
        """The spans this page's item events close and open, in both tables; and in
        ``changed``, each item's timeline now, by key, with the first day it changed."""
        if self._reports is None:
            cursor.execute("SELECT code, scope, published FROM ragw_reports")
            self._reports = {code: (scope, published) for code, scope, published in cursor}
        for code, _, scope, published, *_ in new_reports:
            self._reports[code] = (scope, published)
        closed: list[tuple[str, str, str]] = []
        opened: list[list[Any]] = []
        for stream_id, events in page.items():
            self._spans(stream_id, events, closed, opened, changed)
        if closed:  # spans known before this page, before any span of this page is added
            cursor.executemany(
                self._sql(
                    "UPDATE ragw_spans SET known_until = ? WHERE key = ? "
                    "AND known_until IS NULL AND effective_from = ?"
                ),
                closed,
            )
            for table in ("ragw_board", "ragw_board_open"):
                cursor.executemany(
                    self._sql(f"DELETE FROM {table} WHERE key = ? AND effective_from = ?"),
                    [(key, start) for _, key, start in closed],
                )
        if opened:
            marks = ", ".join("?" * 17)
            cursor.executemany(
                self._sql(f"INSERT INTO ragw_spans ({SPAN_COLUMNS}) VALUES ({marks})"), opened
            )
            current = [
                (row[5], row[4], row[12], row[0], row[1], *row[6:12], row[13], row[14], row[16])
                for row in opened
                if row[3] is None
            ]
            marks = ", ".join("?" * 14)
            for table, rows in (
                ("ragw_board_open", [row for row in current if row[0] == FOREVER]),
                ("ragw_board", [row for row in current if row[0] != FOREVER]),
            ):
                cursor.executemany(
                    self._sql(f"INSERT INTO {table} ({BOARD_COLUMNS}) VALUES ({marks})"), rows
                )

    def _spans(
        self,
        stream_id: UUID,
        new: list[RecommendationEvent],
        closed: list[tuple[str, str, str]],
        opened: list[list[Any]],
        changed: dict[str, tuple[date, list[Span]]],
    ) -> None:
        """The spans that each of ``new`` closes and opens, event by event, so that every
        moment in between stays answerable. Spans opened and closed within the page are
        written once, already closed."""
        first = new[0].originator_version
        known: list[RecommendationEvent] = []
        if first > 1:
            stored = self.ledger.events.get(stream_id, lte=first - 1)
            known = [e for e in stored if isinstance(e, RecommendationEvent)]
        before = timeline(known)
        in_page: dict[str, list[Any]] = {}  # open spans added by this page, by start
        earliest: date | None = None  # the first day this page changes
        key: ItemState | None = None
        for event in new:
            known.append(event)
            quick = later_timeline(before, event)  # most events only change the end
            if quick is not None:
                after, ended, begun = quick
            else:
                after = timeline(known)
                ended = [span for span in before if span not in after]
                begun = [span for span in after if span not in before]
            at = moment(event.timestamp)
            for span in ended:
                begins = span[0].isoformat()
                if begins in in_page:
                    in_page.pop(begins)[3] = at
                else:
                    closed.append((at, span[2].key, begins))
            for span in begun:
                row = self._span_row(at, *span)
                in_page[row[4]] = row
                opened.append(row)
            for span in (*ended, *begun):
                if earliest is None or span[0] < earliest:
                    earliest = span[0]
                key = span[2]  # a state of this item: its key is read once, below
            before = after
        if earliest is not None:
            changed[cast(ItemState, key).key] = (earliest, before)

    def _span_row(self, at: str, start: date, until: date | None, state: ItemState) -> list[Any]:
        """A row of ``ragw_spans`` (:data:`SPAN_COLUMNS`)."""
        assert self._reports is not None
        scope, published = self._reports[state.report]
        place = f"{date.max.toordinal() - date.fromisoformat(published).toordinal():07d} "
        place += f"{state.report} {ref_order(state.ref)}"
        status = state.status.value if state.status else None
        due = state.due.isoformat() if state.due else None
        head = {"key": state.key, "report": state.report, "ref": state.ref,
                "kind": state.kind.value, "scope": scope, "status": status, "due": due}  # fmt: skip
        pending = state.pending.to_json(state.key) if state.pending else None
        tail = {"owner": state.owner, "lead": state.lead, "text": state.text,
                "comment": state.comment, "pending": pending}  # fmt: skip
        extended = state.last_extended_on
        return [
            state.key, state.report, at, None, start.isoformat(),
            until.isoformat() if until else FOREVER, status, due, state.owner,
            state.original_due.isoformat() if state.original_due else None,
            state.times_extended, extended.isoformat() if extended else None, place,
            compact(head)[:-1] + ',"overdue":', "," + compact(tail)[1:],
            STATE.dump_json(state).decode(), state.pending_text,
        ]  # fmt: skip

    def _meeting_days(self, cursor: Any) -> dict[str, list[date]]:
        """Every committee's meetings, in order, by code."""
        cursor.execute("SELECT committee, meeting FROM ragw_meetings")
        days: dict[str, list[date]] = defaultdict(list)
        for code, day in cursor.fetchall():
            days[code].append(date.fromisoformat(day))
        return {code: sorted(found) for code, found in days.items()}

    def _follow_papers(
        self,
        cursor: Any,
        meetings: dict[str, list[date]],
        earlier: dict[str, list[date]],
        changed: dict[str, tuple[date, list[Span]]],
    ) -> None:
        """Keep each meeting's paper rows in step: a new meeting's (and the next one's,
        whose meeting before it is) from the board as now known, once this page's spans
        are in; and for each changed item, its rows of the meetings on or after the
        first day it changed."""
        whole: set[tuple[str, date]] = set()
        for code, days in meetings.items():
            known = set(earlier.get(code, ()))
            for index, day in enumerate(days):
                if day not in known:
                    whole.update((code, later) for later in days[index : index + 2])
        gone: list[tuple[str, str, str]] = []
        rows: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []

        def add(kept: tuple[tuple[Any, ...], list[tuple[Any, ...]]]) -> None:
            rows.append(kept[0])
            lines.extend(kept[1])

        for key, (since, spans) in changed.items():
            for code, days in meetings.items():
                for index in range(bisect_left(days, since), len(days)):
                    day = days[index]
                    if (code, day) in whole:
                        continue
                    gone.append((code, day.isoformat(), key))
                    state = _state_on(spans, day)
                    if state is not None:
                        previous = days[index - 1] if index else None
                        then = _state_on(spans, previous) if previous else None
                        status = then.status.value if then and then.status else None
                        add(paper_rows(code, day, previous, row_of(state), status))
        for table in ("ragw_paper_rows", "ragw_paper_lines") if gone else ():
            cursor.executemany(
                self._sql(f"DELETE FROM {table} WHERE committee = ? AND meeting = ? AND key = ?"),
                gone,
            )
        for code, day in sorted(whole):
            for table in ("ragw_paper_rows", "ragw_paper_lines"):
                cursor.execute(
                    self._sql(f"DELETE FROM {table} WHERE committee = ? AND meeting = ?"),
                    (code, day.isoformat()),
                )
            days = meetings[code]
            index = days.index(day)
            previous = days[index - 1] if index else None
            statuses: dict[str, str | None] = {}
            if previous is not None:
                query, parameters = self._current(previous, None, "SELECT key, status")
                cursor.execute(self._sql(query), parameters)
                statuses = dict(cursor.fetchall())
            query, parameters = self._current(day, None, ROW_SELECT)
            cursor.execute(self._sql(query), parameters)
            for row in cursor.fetchall():
                add(paper_rows(code, day, previous, row, statuses.get(row[0])))
        for table, columns, found in (
            ("ragw_paper_rows", PAPER_COLUMNS, rows),
            ("ragw_paper_lines", LINE_COLUMNS, lines),
        ):
            if found:
                marks = ", ".join("?" * len(columns.split(",")))
                cursor.executemany(
                    self._sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), found
                )

    # Reading -------------------------------------------------------------------------

    def paper_tally(
        self, committee: str, meeting: date
    ) -> Counter[tuple[str, str | None, str | None]]:
        """How many items of each report had each (status at the meeting, status at the
        meeting before) pair, for ``committee``'s meeting on ``meeting``, as known now."""
        self.catch_up()
        with self._transaction(lock=False) as cursor:
            cursor.execute(
                self._sql(
                    "SELECT report, status, previous, COUNT(*) FROM ragw_paper_rows WHERE "
                    "committee = ? AND meeting = ? GROUP BY report, status, previous"
                ),
                (committee, meeting.isoformat()),
            )
            return Counter({(report, now, before): n for report, now, before, n in cursor})

    def paper_lists(self, committee: str, meeting: date) -> PaperLists:
        """The lists of the paper for ``committee``'s meeting on ``meeting``, as known
        now, each in the paper's order, rendered."""
        self.catch_up()
        query = self._sql(
            "SELECT key, status, due, days, owner, original_due, times_extended, line "
            "FROM ragw_paper_lines WHERE committee = ? AND meeting = ? AND list = ? "
            + ('ORDER BY place COLLATE "C"' if self.postgres else "ORDER BY place")
        )
        found: dict[str, list[Any]] = {}
        with self._transaction(lock=False) as cursor:
            for name in ("overdue", "slippage", "extended", "pending"):
                cursor.execute(query, (committee, meeting.isoformat(), name))
                found[name] = cursor.fetchall()
        return PaperLists(
            found["overdue"],
            found["slippage"],
            [row[0] for row in found["extended"]],
            [row[-1] for row in found["pending"]],
        )

    def _current(
        self,
        day: date,
        known_at: datetime | None,
        columns: str,
        where: str = "",
        values: tuple[str, ...] = (),
        column_values: tuple[str, ...] = (),
    ) -> tuple[str, tuple[str, ...]]:
        """``SELECT columns`` of every item as at ``day`` as known at ``known_at`` that
        also meets ``where`` (``AND …`` with ``values``), and its parameters: from the
        spans known now (the open ones, then the ended ones that were current on the
        day), or from every span ever known."""
        when = day.isoformat()
        if known_at is None:
            columns = columns.replace("{known_from}", "NULL")
            open_ = f"{columns} FROM ragw_board_open WHERE effective_from <= ? {where}"
            ended = f"{columns} FROM ragw_board {CURRENT}{where}"
            parameters = (*column_values, when, *values, *column_values, when, when, *values)
            return f"{open_} UNION ALL {ended}", parameters
        known = moment(known_at)
        columns = columns.replace("{known_from}", "known_from")
        query = f"{columns} FROM ragw_spans {CURRENT}{AS_KNOWN}{where}"
        return query, (*column_values, when, when, known, known, *values)

    def states_as_at(self, day: date, known_at: datetime | None = None) -> dict[str, StoredState]:
        """Every item on the board as at ``day`` as known at ``known_at`` (now when None),
        by key, after catching up with the log."""
        rows = self._fetch_current(day, known_at, STATE_SELECT)
        load = self._state_json
        states = {row[0]: StoredState(row, load) for row in rows}
        if len(states) != len(rows):  # spans of one item overlap: the model is damaged
            raise RuntimeError("the stored timelines overlap; rebuild them with `ragw rebuild`")
        return states

    def rows_as_at(self, day: date, known_at: datetime | None = None) -> list[Any]:
        """Every item on the board as at ``day`` as known at ``known_at``: the columns
        papers read (:data:`projections.recorded.Row`)."""
        return self._fetch_current(day, known_at, ROW_SELECT)

    def _fetch_current(self, day: date, known_at: datetime | None, columns: str) -> list[Any]:
        """The rows of :meth:`_current`, after catching up with the log."""
        self.catch_up()
        query, parameters = self._current(day, known_at, columns)
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql(query), parameters)
            return list(cursor.fetchall())

    def whole_states(
        self, day: date, known_at: datetime | None, keys: list[str]
    ) -> dict[str, ItemState]:
        """The whole states of these items as at ``day`` as known at ``known_at``, a
        few hundred a query."""
        self.catch_up()
        when = day.isoformat()
        parameters: tuple[str, ...]
        if known_at is None:
            condition, parameters = "AND known_until IS NULL ", (when, when)
        else:
            known = moment(known_at)
            condition, parameters = AS_KNOWN, (when, when, known, known)
        found: dict[str, ItemState] = {}
        ordered = sorted(set(keys))
        for index in range(0, len(ordered), 400):
            chunk = tuple(ordered[index : index + 400])
            query = (
                "SELECT key, state FROM ragw_spans " + CURRENT + condition
                + f"AND key IN ({', '.join('?' * len(chunk))})"
            )  # fmt: skip
            with self._transaction(lock=False) as cursor:
                cursor.execute(self._sql(query), parameters + chunk)
                for key, state in cursor.fetchall():
                    found[key] = STATE.validate_json(state)
        return found

    def status_rows(
        self, day: date, known_at: datetime | None = None
    ) -> list[tuple[str, str, str | None]]:
        """Every item on the board as at ``day`` as known at ``known_at``: (key, report,
        status word or None)."""
        return self._fetch_current(day, known_at, "SELECT key, report, status")

    def _state_json(self, span: tuple[str, str, str | None]) -> str:
        """The whole state of the span (key, effective_from, known_from); a span
        known now is the item's only open span that starts then."""
        key, start, known_from = span
        query = "SELECT state FROM ragw_spans WHERE key = ? AND effective_from = ? AND "
        with self._transaction(lock=False) as cursor:
            if known_from is None:
                cursor.execute(self._sql(query + "known_until IS NULL"), (key, start))
            else:
                cursor.execute(self._sql(query + "known_from = ?"), (key, start, known_from))
            return str(cursor.fetchone()[0])

    def board_batches(
        self,
        day: date,
        known_at: datetime | None = None,
        *,
        report: str | None = None,
        owner: str | None = None,
        status: str | None = None,
        overdue: bool = False,
        pending: bool = False,
    ) -> Iterator[list[str]]:
        """The board as at ``day`` as known at ``known_at``: each item's JSON line,
        newest report first, items as numbered, a batch at a time (so memory does not
        grow with the board). Owners match whatever their letters' case."""
        self.catch_up()
        columns = BOARD_ROW.replace("{owner}", "owner, " if owner is not None else "")
        if self.postgres:  # places sort as text, whatever the database's collation
            columns = columns.replace("tail, place", 'tail, place COLLATE "C" AS place')
        where, values = "", tuple[str, ...]()
        if report is not None:
            where, values = where + "AND report = ? ", (*values, report)
        if status == "NOT ASSESSED":
            where += "AND status IS NULL "
        elif status is not None:
            where, values = where + "AND status = ? ", (*values, status)
        if overdue:
            where += "AND due < ? AND COALESCE(status, '') NOT IN ('GREEN', 'WHITE', 'CLOSED') "
            values = (*values, day.isoformat())
        if pending:
            where += "AND pending IS NOT NULL "
        query, parameters = self._current(
            day, known_at, columns, where, values, column_values=(day.isoformat(),)
        )
        query += " ORDER BY place"
        wanted = owner.casefold() if owner is not None else None
        with self._transaction(lock=False) as cursor:
            # On PostgreSQL a server-side cursor, so rows arrive a batch at a time.
            rows = self.connection.cursor(name="ragw_board") if self.postgres else cursor
            try:
                rows.execute(self._sql(query), parameters)
                while batch := rows.fetchmany(BATCH):
                    if wanted is None:
                        yield [line for line, _ in batch]
                    else:
                        yield [line for who, line, _ in batch if (who or "").casefold() == wanted]
            finally:
                if rows is not cursor:
                    rows.close()

    def reports(self, known_at: datetime | None = None) -> dict[str, ReportFacts]:
        """Every report recorded by ``known_at``, by code."""
        query = "SELECT code, title, scope, published, inspectorates, makes FROM ragw_reports"
        rows = self._select(query, known_at)
        return {
            code: ReportFacts(code, title, scope, date.fromisoformat(published),
                              tuple(json.loads(inspectorates)), makes)
            for code, title, scope, published, inspectorates, makes in rows
        }  # fmt: skip

    def committees(self, known_at: datetime | None = None) -> list[tuple[str, str]]:
        """Every committee recorded by ``known_at``: (code, name)."""
        return [(code, name) for code, name in
                self._select("SELECT code, name FROM ragw_committees", known_at)]  # fmt: skip

    def meetings(self, known_at: datetime | None = None) -> list[tuple[str, date, str | None]]:
        """Every meeting recorded by ``known_at``: (committee, date, paper)."""
        rows = self._select("SELECT committee, meeting, paper FROM ragw_meetings", known_at)
        return [(code, date.fromisoformat(day), paper) for code, day, paper in rows]

    def _select(self, query: str, known_at: datetime | None) -> list[tuple[Any, ...]]:
        self.catch_up()
        parameters: tuple[str, ...] = ()
        if known_at is not None:
            query += " WHERE known_from <= ?"
            parameters = (moment(known_at),)
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql(query), parameters)
            return list(cursor.fetchall())
