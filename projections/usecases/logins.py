"""Whether each event's actor is the database login that recorded it (PostgreSQL under
access control; see :mod:`ledger.storage.logins`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from eventsourcing.utils import get_topic

from events import AccessControlled
from ledger.errors import LedgerError
from ledger.storage.settings import is_postgres

#: How many stored events a read of the noted ones takes at once.
PAGE = 1000

if TYPE_CHECKING:
    from ledger.storage.logins import Borrowed
    from projections.usecases.session import LedgerSession


def logins_noted(session: LedgerSession) -> dict[int, str]:
    """The login the server noted recording each event, by position (none on SQLite, or
    before roles were set up): read without the ledger's key."""
    if not is_postgres(session.target):
        return {}
    from ledger.storage.logins import noted  # psycopg: PostgreSQL only

    with session.connect() as connection:
        return noted(connection)


def check_logins(session: LedgerSession) -> int:
    """Refuse, naming the first, an event recorded under access control whose actor is
    not the login the server noted for it (an event written by hand, borrowing another's
    name); how many events were checked (none on SQLite, or before roles were set up)."""
    logins = logins_noted(session)
    if not logins:
        return 0
    first = next(iter(_borrowed(session, logins)), None)
    if first is not None:
        raise LedgerError(
            "event {name} (position {position}) names {actor} as who recorded it, but the "
            "server saw the login {login} record it: it was written by hand, outside the "
            "ledger's rules; treat what it says as {login}'s, and restore the ledger from "
            "a backup taken before it",
            name=first.name,
            position=first.position,
            actor=repr(first.actor),
            login=repr(first.login),
        )
    return len(logins)


def _borrowed(session: LedgerSession, logins: dict[int, str]) -> Iterator[Borrowed]:
    from ledger.storage.logins import borrowed

    ledger = session.ledger(write=False)
    recorder = ledger.recorder
    controls = recorder.select_notifications(start=1, limit=1, topics=[get_topic(AccessControlled)])
    since = controls[0].id if controls else None

    def noted_events() -> Iterator[Any]:
        """The stored events at the noted positions, read a page at a time (a position
        that holds no event is left to the chain to explain)."""
        start, last = min(logins), max(logins)
        while start <= last:
            page = recorder.select_notifications(start=start, limit=PAGE, stop=last)
            yield from (stored for stored in page if stored.id in logins)
            if len(page) < PAGE:
                return
            start = page[-1].id + 1

    def events() -> Iterator[tuple[int, str, str, bool]]:
        for stored in noted_events():
            position = stored.id
            event = ledger.mapper.to_domain_event(stored)
            name = ledger.event_name(str(event.originator_id), event.originator_version)
            controlled = since is not None and since < position
            yield position, name, str(getattr(event, "actor", "")), controlled

    return borrowed(events(), logins)
