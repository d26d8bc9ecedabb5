"""Keeping the stored read model up to date as the log grows: ``ragw follow``.

On PostgreSQL after ``ragw admin init-roles`` only the role ``ragw_follower`` may write
the read model; a login in it runs this, as a service. It catches the model up, then
LISTENs on the channel the event store NOTIFYs in every transaction that records events
(named after its events table, and an organisation's schema: one organisation's writes
never wake another's follower; delivered when the writer commits, so it wakes as soon
as events are there to read), and catches up again; it also catches up every ``poll``
seconds whatever it hears, in case a notification is lost (a NOTIFY sent while it was
reconnecting). On SQLite, where there is no NOTIFY, it polls. It stops, between
catch-ups, when ``stopping`` says so (a signal handler sets it): a catch-up commits a
page at a time, so stopping never leaves half a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.storage.settings import is_postgres, open_connection
from projections.store.read_model import refuse_writing

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession

#: The longest a wait for a notification lasts before ``stopping`` is asked again.
TICK = 0.5


@dataclass(frozen=True)
class CaughtUp:
    """One catch-up: how many events were applied, and the model's position after."""

    applied: int
    position: int


def catch_up(session: LedgerSession) -> CaughtUp:
    """Bring the read model up to date with the log once; refused for a login that may
    not write it."""
    store = session.store()
    if not store.writable:
        raise refuse_writing()
    behind = session.ledger(write=False).last_position() - store.position()
    with session.progress(behind, "Bringing the read model up to date") as bar:
        applied = store.catch_up(progress=bar)
    return CaughtUp(applied, store.position())


def follow(
    session: LedgerSession,
    *,
    poll: float,
    stopping: Callable[[], bool],
    caught_up: Callable[[CaughtUp], object],
) -> None:
    """Keep the read model up to date until ``stopping()``: catch up, then wait for a
    NOTIFY on the events' channel (or ``poll`` seconds), and again; ``caught_up`` is
    told of every catch-up that applied events, and of the first."""
    listening: Any = None  # listening before the first catch-up, so nothing slips between
    if is_postgres(session.target):
        from psycopg import sql

        ledger = session.ledger(write=False)
        recorder: Any = ledger.recorder
        # in the organisation's schema, whose channel is its own (ledger.storage.postgres)
        listening = open_connection(session.target, org=ledger.org, autocommit=True)
        listening.execute(sql.SQL("LISTEN {}").format(sql.Identifier(recorder.channel_name)))
    try:
        caught_up(catch_up(session))
        while not stopping():
            _wait(listening, poll, stopping)
            if stopping():
                break
            done = catch_up(session)
            if done.applied:
                caught_up(done)
    finally:
        if listening is not None:
            listening.close()


def _wait(listening: Any, poll: float, stopping: Callable[[], bool]) -> None:
    """Until a notification arrives (when ``listening``), ``poll`` seconds pass, or
    ``stopping()``: whichever is first."""
    until = time.monotonic() + poll
    while not stopping() and (left := until - time.monotonic()) > 0:
        if listening is None:
            time.sleep(min(left, TICK))
            continue
        if list(listening.notifies(timeout=min(left, TICK), stop_after=1)):
            list(listening.notifies(timeout=0.01))  # those queued meanwhile: one catch-up
            return
