"""Following the ledger's log: the model reads each page of notifications after its
tracking position and, in the same transaction, writes the rows they derive and moves
the position, so every event is applied exactly once; a crash leaves the model at the
last committed page, and the next read catches up, whoever wrote the events.

Per item the model keeps the spans of its :func:`ledger.state.timeline`, with both
kinds of time (``effective_from`` / ``effective_until``: the days the state held in the
world, ``9999-12-31`` while it still holds; ``known_from`` / ``known_until``: the
moments the ledger said so; a span is closed, never deleted, when a later event changes
what is known), the board's columns and the whole state as JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from events import (
    CommitteeRegistered,
    InspectionEvent,
    LedgerEvent,
    MeetingReviewsChanged,
    MeetingScheduled,
    RecommendationEvent,
    ReportRegistered,
    VerdictGiven,
    VerdictsBegun,
)
from ledger.state import ItemState, Span
from projections.store.database import moment
from projections.store.derive import (
    Rendered,
    board_row,
    committee_row,
    inspection_row,
    is_open,
    report_row,
    review_row,
    span_row,
    span_steps,
    verdict_row,
)
from projections.store.head import HEAD_ROW, check_head, fingerprint
from projections.store.paper_rows import PaperRows
from projections.store.schema import (
    BOARD_COLUMNS,
    NAME,
    SPAN_COLUMNS,
    TABLES,
    VERDICT_COLUMNS,
    create_tables,
    reseal,
)

if TYPE_CHECKING:
    from ledger.application import Ledger

#: The table and columns of each kind of a page's rows that are not an item's, as the
#: sealed model writes them (a meeting's and a review's committee first, by its code).
SEALED_META = {
    "report": (
        "ragw_reports",
        "code, title, scope, published, inspectorates, makes, restricted, inspection, "
        "origin, known_from",
    ),
    "committee": ("ragw_committees", "stream, code, name, known_from"),
    "meeting": ("ragw_meetings", "committee, meeting, paper, known_from"),
    "inspection": ("ragw_inspections", "stream, version, type, event, known_from"),
    "review": ("ragw_reviews", "committee, meeting, version, reports, known_from"),
}
#: Notifications read (and applied in one transaction) at a time: large, so a long
#: catch-up commits (and SQLite checkpoints its log into the file) seldom, yet short
#: enough that a writer waiting for the model's transaction waits under a second.
PAGE = 5000


class Follower(PaperRows):
    """Keeping the model in step with the log."""

    #: (scope, published) of every report, read once the first items need it.
    _reports: dict[str, tuple[str, str]] | None = None

    def __init__(self, ledger: Ledger, target: str, *, keep: bool = True) -> None:
        #: The organisation of each stream of verdicts met, by the stream's id.
        self._verdict_orgs: dict[UUID, str] = {}
        super().__init__(ledger, target, keep=keep)

    def position(self) -> int:
        with self._transaction(lock=False) as cursor:
            return self._position(cursor)

    def _position(self, cursor: Any) -> int:
        cursor.execute(self._sql("SELECT position FROM ragw_tracking WHERE name = ?"), (NAME,))
        return int(cursor.fetchone()[0])

    def catch_up(self, progress: Callable[[int], object] | None = None) -> int:
        """Derive rows from every event after the tracking position, a page per
        transaction; return how many events were read. Refused when the log no longer
        holds the event the model last read (:mod:`projections.store.head`)."""
        position, last = self.check_head()
        if position >= last:
            return 0  # in step: three reads, no write lock
        done = 0
        while True:
            with self._transaction(lock=True) as cursor:
                read = self._follow(cursor, self._position(cursor))
            done += read
            if progress is not None:
                progress(read)
            if read < PAGE:
                return done

    def check_head(self) -> tuple[int, int]:
        """The model's position and the log's last, once the log is proven to still
        hold the event the model read at its position (:mod:`projections.store.head`):
        every read checks it, whether or not its login may bring the model up to date."""
        with self._transaction(lock=False) as cursor:
            cursor.execute(
                self._sql("SELECT name, position FROM ragw_tracking WHERE name IN (?, ?)"),
                (NAME, HEAD_ROW),
            )
            tracked = dict(cursor.fetchall())
        position, last = int(tracked.get(NAME, 0)), self.ledger.last_position()
        check_head(self.ledger.recorder, position, tracked.get(HEAD_ROW), last)
        return position, last

    def rebuild(self, progress: Callable[[int], object] | None = None) -> int:
        """Derive the whole model again from the first event, in one transaction, sealed
        under the key this ledger is read with (proven by its record of its key before
        the model is opened), whatever the model said it was sealed under. On SQLite the
        tables are made anew, indexes included (a definition edited in the file is mended
        too); on PostgreSQL only their owner may, so their rows go."""
        with self._transaction(lock=True) as cursor:
            reseal(cursor, self._sql, self.seal)
            for table in TABLES:
                cursor.execute(f"{'DELETE FROM' if self.postgres else 'DROP TABLE'} {table}")
            if not self.postgres:
                create_tables(cursor, self._sql, False, self.seal)
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
                rows["report"].append(report_row(event, at))
            elif isinstance(event, CommitteeRegistered):
                rows["committee"].append(committee_row(event, at))
            elif isinstance(event, MeetingScheduled):
                rows["meeting"].append(
                    (event.meeting.isoformat(), event.paper, at, str(event.originator_id))
                )
            elif isinstance(event, InspectionEvent):
                rows["inspection"].append(inspection_row(event, at))
            elif isinstance(event, VerdictsBegun | VerdictGiven):
                org = self._verdict_org(event)
                if isinstance(event, VerdictGiven):
                    rows["verdict"].append(verdict_row(org, event, at))
            if isinstance(event, MeetingReviewsChanged) or (
                isinstance(event, MeetingScheduled) and event.review
            ):
                rows["review"].append((*review_row(event, at), str(event.originator_id)))
        inserts = {
            "report": "INSERT INTO ragw_reports (code, title, scope, published, inspectorates, "
            "makes, restricted, inspection, origin, known_from) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "committee": "INSERT INTO ragw_committees (stream, code, name, known_from) "
            "VALUES (?, ?, ?, ?)",
            "meeting": "INSERT INTO ragw_meetings (committee, meeting, paper, known_from) "
            "SELECT code, ?, ?, ? FROM ragw_committees WHERE stream = ?",
            "inspection": "INSERT INTO ragw_inspections (stream, version, type, event, known_from) "
            "VALUES (?, ?, ?, ?, ?)",
            "review": "INSERT INTO ragw_reviews (committee, meeting, version, reports, "
            "known_from) SELECT code, ?, ?, ?, ? FROM ragw_committees WHERE stream = ?",
        }
        earlier = self._meeting_days(cursor)
        for kind, statement in inserts.items():  # committees before their meetings
            if rows[kind] and self.sealer is not None:
                self._insert_sealed(cursor, kind, rows[kind])
            elif rows[kind]:
                cursor.executemany(self._sql(statement), rows[kind])
        verdicts = self._sealed("ragw_verdicts", VERDICT_COLUMNS, rows["verdict"])
        self._insert(cursor, "ragw_verdicts", VERDICT_COLUMNS, verdicts)
        meetings = self._meeting_days(cursor) if rows["meeting"] else earlier
        changed: dict[str, tuple[date, list[Span], bool]] = {}
        if self._reports is not None:  # a page of reports alone adds them too: a later
            # page's items of them are made from them
            for code, _, scope, published, *_ in rows["report"]:
                self._reports[code] = (scope, published)
        if page:
            self._follow_items(cursor, page, changed)
        if meetings:
            self._follow_papers(cursor, meetings, earlier, changed)
        cursor.execute(
            self._sql("UPDATE ragw_tracking SET position = ? WHERE name = ?"),
            (notifications[-1].id, NAME),
        )
        cursor.execute(self._sql("DELETE FROM ragw_tracking WHERE name = ?"), (HEAD_ROW,))
        cursor.execute(
            self._sql("INSERT INTO ragw_tracking (name, position) VALUES (?, ?)"),
            (HEAD_ROW, fingerprint(notifications[-1])),
        )
        return len(notifications)

    def _insert_sealed(self, cursor: Any, kind: str, rows: list[tuple[Any, ...]]) -> None:
        """The rows of a page's reports, committees, meetings, inspections or reviews
        (``kind``), sealed; a meeting's or review's committee, given by its stream, is
        found among the committees already written."""
        table, columns = SEALED_META[kind]
        if kind in ("meeting", "review"):
            assert self.sealer is not None
            cursor.execute("SELECT stream, code FROM ragw_committees")
            codes = {stream: self.sealer.untoken(code, "committee") for stream, code in cursor}
            # as the clear statement's join does, a committee not written gives no row
            by_stream = ((codes.get(self._token(row[-1], "stream")), row) for row in rows)
            rows = [(code, *row[:-1]) for code, row in by_stream if code is not None]
        self._insert(cursor, table, columns, self._sealed(table, columns, rows))

    def _verdict_org(self, event: VerdictsBegun | VerdictGiven) -> str:
        """The organisation whose items a stream of verdicts is on: named by its first
        event, read from the log when an earlier page held it."""
        stream = event.originator_id
        if isinstance(event, VerdictsBegun):
            self._verdict_orgs[stream] = event.org
        elif stream not in self._verdict_orgs:
            begun = next(iter(self.ledger.events.get(stream, lte=1)))
            self._verdict_orgs[stream] = cast(VerdictsBegun, begun).org
        return self._verdict_orgs[stream]

    def _follow_items(
        self,
        cursor: Any,
        page: dict[UUID, list[RecommendationEvent]],
        changed: dict[str, tuple[date, list[Span], bool]],
    ) -> None:
        """The spans this page's item events close and open, in both tables; and in
        ``changed``, each item's timeline now, by key, with the first day it changed and
        whether the model held it before this page."""
        if self._reports is None:  # this page's reports among them: written already
            cursor.execute("SELECT code, scope, published FROM ragw_reports")
            self._reports = {
                self._opened_code(code): (scope, published) for code, scope, published in cursor
            }
        closed: list[tuple[str, str, str]] = []
        opened: list[list[Any]] = []
        for stream_id, events in page.items():
            self._spans(stream_id, events, closed, opened, changed)
        if closed:  # spans known before this page, before any span of this page is added
            if self.sealer is not None:
                closed = [(at, self._token(key, "key"), start) for at, key, start in closed]
            self._close_spans(cursor, closed)
            for table in ("ragw_board", "ragw_board_open"):
                self._delete(
                    cursor, table, "key, effective_from", [(key, start) for _, key, start in closed]
                )
        if opened:
            # board rows copy their span's sealed values: each meaning's seal is the same
            opened = self._sealed("ragw_spans", SPAN_COLUMNS, opened)
            self._insert(cursor, "ragw_spans", SPAN_COLUMNS, opened)
            current = [board_row(row) for row in opened if row[3] is None]
            self._insert(
                cursor, "ragw_board_open", BOARD_COLUMNS, [r for r in current if is_open(r)]
            )
            self._insert(
                cursor, "ragw_board", BOARD_COLUMNS, [r for r in current if not is_open(r)]
            )

    def _opened_code(self, code: str) -> str:
        """A report's code as stored: itself, or opened from its token when sealed."""
        return code if self.sealer is None else self.sealer.untoken(code, "report")

    def _close_spans(self, cursor: Any, closed: list[tuple[str, str, str]]) -> None:
        """Each (moment, key, start): the item's span from that day known until then."""
        if self.postgres:  # one statement, the values as arrays; the keys found by their
            # index (``key = ANY``), as :meth:`_delete` finds them, however stale the
            # table's statistics: a join to the unnested values alone could scan the table
            cursor.execute(
                "UPDATE ragw_spans SET known_until = given.at FROM unnest(%s::text[], "
                "%s::text[], %s::text[]) AS given (at, key, start) WHERE ragw_spans.key = "
                "ANY(%s) AND ragw_spans.key = given.key AND known_until IS NULL "
                "AND effective_from = given.start",
                [
                    *(list(values) for values in zip(*closed, strict=True)),
                    sorted({key for _, key, _ in closed}),
                ],
            )
        else:
            cursor.executemany(
                "UPDATE ragw_spans SET known_until = ? WHERE key = ? "
                "AND known_until IS NULL AND effective_from = ?",
                closed,
            )

    def _spans(
        self,
        stream_id: UUID,
        new: list[RecommendationEvent],
        closed: list[tuple[str, str, str]],
        opened: list[list[Any]],
        changed: dict[str, tuple[date, list[Span], bool]],
    ) -> None:
        """The spans that each of ``new`` closes and opens, event by event, so that every
        moment in between stays answerable. Spans opened and closed within the page are
        written once, already closed."""
        first = new[0].originator_version
        known: list[RecommendationEvent] = []
        if first > 1:
            stored = self.ledger.events.get(stream_id, lte=first - 1)
            known = [e for e in stored if isinstance(e, RecommendationEvent)]
        in_page: dict[str, list[Any]] = {}  # open spans added by this page, by start
        earliest: date | None = None  # the first day this page changes
        key: ItemState | None = None
        before: list[Span] = []
        rendered: Rendered = {}
        for event, ended, begun, after in span_steps(known, new):
            at = moment(event.timestamp)
            for span in ended:
                begins = span[0].isoformat()
                if begins in in_page:
                    in_page.pop(begins)[3] = at
                else:
                    closed.append((at, span[2].key, begins))
            for span in begun:
                row = self._span_row(at, *span, rendered)
                in_page[row[4]] = row
                opened.append(row)
            for span in (*ended, *begun):
                if earliest is None or span[0] < earliest:
                    earliest = span[0]
                key = span[2]  # a state of this item: its key is read once, below
            before = after
        if earliest is not None:
            changed[cast(ItemState, key).key] = (earliest, before, first > 1)

    def _span_row(
        self, at: str, start: date, until: date | None, state: ItemState, rendered: Rendered
    ) -> list[Any]:
        """A row of ``ragw_spans`` (:data:`SPAN_COLUMNS`)."""
        assert self._reports is not None
        scope, published = self._reports[state.report]
        return span_row(at, start, until, state, scope, published, rendered)
