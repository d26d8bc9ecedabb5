"""A user's calendar feed: the open items of the owners they act for, read by a calendar
program at a secret address (:mod:`ledger.storage.feeds`), with no session.

Every read asks the ledger afresh: a disabled user's feed, or a token since replaced,
answers nothing, and a role granted or revoked changes the items at the next read. The
items are the owners' calendars as ``ragw calendar`` makes them, one owner after another,
each item of a restricted report by its key, status and dates alone
(:mod:`projections.usecases.reminders` withholds the rest for every calendar).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger.errors import Fix, Hint, NotFoundError
from projections.usecases.reminders import OwnerCalendar, owner_calendar

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession


def new_feed(session: LedgerSession, name: str) -> str:
    """A new secret feed token for the user ``name`` (the one they had ends)."""
    ledger = session.ledger(write=False)
    access = ledger.access()
    user = access.user(name) if access is not None else None
    if user is None or user.disabled:
        raise NotFoundError(
            "{name} is not a user who may sign in; {hint}", name=name, hint=Hint.to(Fix.SEE_USERS)
        )
    return ledger.feeds.new(user.name)


def feed(session: LedgerSession, token: str, *, on: date) -> OwnerCalendar | None:
    """The calendar the feed ``token`` gives as at ``on``; None when it is no user's
    feed, or its user may no longer sign in."""
    ledger = session.ledger(write=False)
    name = ledger.feeds.owner_of(token)
    access = ledger.access()
    if name is None or access is None:
        return None
    user = access.user(name)
    if user is None or user.disabled:
        return None
    owners = access.owners_named(user.name)
    calendars = [owner_calendar(session, owner=owner, on=on) for owner in owners]
    lines = [line for calendar in calendars for line in calendar.lines]
    versions = {key: n for calendar in calendars for key, n in calendar.versions.items()}
    return OwnerCalendar(", ".join(owners) or user.name, on, lines, versions)
