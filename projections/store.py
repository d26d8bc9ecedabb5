"""A stored read model of every item's timeline, kept beside the events.

Reading the board as at a date by replaying the whole log stops working at a national
scale. This read model keeps, per item, the spans of its :func:`ledger.state.timeline`
with both kinds of time:

- ``effective_from`` / ``effective_until``: the days the state held in the world
  (``9999-12-31`` while it still holds);
- ``known_from`` / ``known_until``: the moments the ledger said so (a span is closed,
  never deleted, when a later event changes what is known).

So "as at D, as known at T" is one indexed query, and it answers exactly as the fold
does. The model follows the notification log and keeps its position in a tracking row
written in the same transaction as the spans it derived, so it is updated exactly once:
a crash leaves it at the last committed page, and the next read catches up, whoever
wrote the events. Writers never wait for it. ``rebuild`` derives it again from nothing.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import TypeAdapter

from events import RecommendationEvent
from ledger.errors import LedgerError
from ledger.persistence import is_postgres, storage_env
from ledger.state import ItemState, timeline

if TYPE_CHECKING:
    from ledger.application import Ledger

NAME = "timeline_spans"
#: The end of a span that has not ended: later than any date, so one range test serves.
FOREVER = "9999-12-31"
PAGE = 1000
STATE = TypeAdapter(ItemState)
Span = tuple[date, date | None, ItemState]

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ragw_tracking (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_timeline_spans (
        stream TEXT NOT NULL,
        known_from TEXT NOT NULL,
        known_until TEXT,
        effective_from TEXT NOT NULL,
        effective_until TEXT NOT NULL,
        state TEXT NOT NULL)""",
    # "Current on D, as known now": the spans still open that end after D.
    """CREATE INDEX IF NOT EXISTS ragw_timeline_spans_now
        ON ragw_timeline_spans (effective_until, effective_from) WHERE known_until IS NULL""",
    """CREATE INDEX IF NOT EXISTS ragw_timeline_spans_as_at
        ON ragw_timeline_spans (effective_until, known_from)""",
    """CREATE INDEX IF NOT EXISTS ragw_timeline_spans_open
        ON ragw_timeline_spans (stream, known_until)""",
)


def moment(value: datetime) -> str:
    """A recording time as fixed-width UTC text, so text order is time order."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


class TimelineStore:
    """The read model of one ledger (a SQLite file or a PostgreSQL database)."""

    def __init__(self, ledger: Ledger, target: str) -> None:
        self.ledger = ledger
        self.postgres = is_postgres(target)
        self.env = storage_env(target)
        self.connection: Any = self._connect()
        try:
            self._create()
        except LedgerError:  # another process created the tables at the same moment
            self._create()

    def _create(self) -> None:
        with self._transaction(lock=False) as cursor:
            for statement in SCHEMA:
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
    def _transaction(self, *, lock: bool) -> Iterator[Any]:
        """One transaction; with ``lock``, this store's only writer until it ends."""
        cursor = self.connection.cursor()
        try:
            if self.postgres:
                if lock:
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
        """Derive spans from every event after the tracking position, a page per
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
            cursor.execute("DELETE FROM ragw_timeline_spans")
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
        for notification in notifications:
            event = self.ledger.mapper.to_domain_event(notification)
            if isinstance(event, RecommendationEvent):
                page[event.originator_id].append(event)  # in recorded order
        for stream_id, events in page.items():
            self._apply(cursor, stream_id, events)
        cursor.execute(
            self._sql("UPDATE ragw_tracking SET position = ? WHERE name = ?"),
            (notifications[-1].id, NAME),
        )
        return len(notifications)

    def _apply(self, cursor: Any, stream_id: UUID, new: list[RecommendationEvent]) -> None:
        first = new[0].originator_version
        earlier: list[RecommendationEvent] = []
        if first > 1:
            stored = self.ledger.events.get(stream_id, lte=first - 1)
            earlier = [e for e in stored if isinstance(e, RecommendationEvent)]
        known = list(earlier)
        before = timeline(known)
        stream = str(stream_id)
        for event in new:
            known.append(event)
            after = timeline(known)
            at = moment(event.timestamp)
            for span in before:
                if span not in after:
                    cursor.execute(
                        self._sql(
                            "UPDATE ragw_timeline_spans SET known_until = ? WHERE stream = ? "
                            "AND known_until IS NULL AND effective_from = ?"
                        ),
                        (at, stream, span[0].isoformat()),
                    )
            added = [span for span in after if span not in before]
            if added:
                cursor.executemany(
                    self._sql(
                        "INSERT INTO ragw_timeline_spans (stream, known_from, known_until, "
                        "effective_from, effective_until, state) VALUES (?, ?, NULL, ?, ?, ?)"
                    ),
                    [
                        (
                            stream,
                            at,
                            start.isoformat(),
                            until.isoformat() if until else FOREVER,
                            STATE.dump_json(state).decode(),
                        )
                        for start, until, state in added
                    ],
                )
            before = after

    # Reading -------------------------------------------------------------------------

    def states_as_at(self, day: date, known_at: datetime | None = None) -> dict[UUID, ItemState]:
        """Every item on the board as at ``day`` as known at ``known_at`` (now when None),
        after catching up with the log."""
        self.catch_up()
        when = day.isoformat()
        query = (
            "SELECT stream, state FROM ragw_timeline_spans WHERE effective_until > ? "
            "AND effective_from <= ? "
        )
        parameters: Sequence[Any]
        if known_at is None:
            query += "AND known_until IS NULL"
            parameters = (when, when)
        else:
            known = moment(known_at)
            query += "AND known_from <= ? AND (known_until IS NULL OR known_until > ?)"
            parameters = (when, when, known, known)
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql(query), parameters)
            rows = cursor.fetchall()
        states = {UUID(stream): STATE.validate_json(state) for stream, state in rows}
        if len(states) != len(rows):  # spans of one item overlap: the model is damaged
            raise RuntimeError("the stored timelines overlap; rebuild them with `ragw rebuild`")
        return states
