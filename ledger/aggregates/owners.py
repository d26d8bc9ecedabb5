"""Owners' contact details (where their reminders go) and the rule of a reminder
recorded on an item: sent for an open item, at most once a day."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

from events import ContactsEvent, ContactsKept, EventCorrected, OwnerContactSet, ReminderSent
from ledger.aggregates.access import fold_name
from ledger.aggregates.moments import InOrder, not_before
from ledger.aggregates.recommendation import Recommendation
from ledger.errors import AlreadyExistsError, InvalidInputError, RuleBrokenError
from ledger.keys import OWNERS_ID, split_key
from ledger.state import corrected_version

#: An address as mail servers take it in a command: a local part and a domain, no
#: spaces, no angle brackets, nothing a header could be split on.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")
#: A message id as a mail header holds it: <left@right>, on one line, nothing around it.
_MESSAGE_ID = re.compile(r"<[^<>@\s]{1,200}@[^<>@\s]{1,253}>")
#: Addresses one owner's reminders may go to.
MAX_ADDRESSES = 20


def check_email(text: str) -> str:
    """``text`` trimmed, when it is an email address reminders can be sent to."""
    address = text.strip()
    if len(address) > 254 or not _ADDRESS.match(address):
        raise InvalidInputError(
            "{address} is not an email address reminders can be sent to; write it as "
            "name@example.org",
            address=repr(address[:80]),
        )
    return address


def check_emails(emails: Sequence[str]) -> tuple[str, ...]:
    """Each address checked, each once (as mail servers compare them: any case)."""
    seen: dict[str, str] = {}
    for text in emails:
        address = check_email(text)
        seen.setdefault(address.casefold(), address)
    if len(seen) > MAX_ADDRESSES:
        raise InvalidInputError(
            "{count} addresses for one owner; the limit is {limit}",
            count=len(seen),
            limit=MAX_ADDRESSES,
        )
    return tuple(seen.values())


class Contacts(InOrder):
    """Where each owner's reminders go, by owner (any letter case or spacing)."""

    Event = ContactsEvent

    @classmethod
    def keep(cls, *, actor: str, on: date) -> Contacts:
        return cls._create(ContactsKept, id=OWNERS_ID, actor=actor, on=on)

    def when(self, event: ContactsEvent) -> None:
        if isinstance(event, ContactsKept):
            #: Owner (folded) -> (owner as named, addresses).
            self.emails: dict[str, tuple[str, tuple[str, ...]]] = {}
        elif isinstance(event, OwnerContactSet):
            if event.emails:
                self.emails[fold_name(event.owner)] = (event.owner, tuple(event.emails))
            else:
                self.emails.pop(fold_name(event.owner), None)

    def of(self, owner: str) -> tuple[str, ...]:
        """The addresses ``owner``'s reminders go to (none: not reminded)."""
        return self.emails.get(fold_name(owner), ("", ()))[1]

    def set_contact(self, owner: str, emails: Sequence[str], actor: str, on: date) -> None:
        """Send ``owner``'s reminders to ``emails`` from now on (none: to nobody)."""
        wanted = check_emails(emails)
        if tuple(a.casefold() for a in self.of(owner)) == tuple(a.casefold() for a in wanted):
            said = ", ".join(wanted) if wanted else "no address"
            raise AlreadyExistsError(f"{owner}'s reminders go to {said} already")
        self.trigger_event(OwnerContactSet, owner=owner, emails=wanted, actor=actor, on=on)


def reminded_already(item: Recommendation, on: date, today: date) -> ReminderSent | None:
    """The reminder that keeps ``item`` from being reminded again: one that counts (it
    was not corrected) and either took effect on ``on`` or was recorded on ``today``
    (the UTC day of its recording), so a run back-dated to another day sends nothing
    twice on one real day either. Runs and the record of a run ask this same rule."""
    retracted = {corrected_version(e) for e in item.history if isinstance(e, EventCorrected)}
    for event in item.history:
        if (
            isinstance(event, ReminderSent)
            and event.originator_version not in retracted
            and (event.on == on or event.timestamp.astimezone(UTC).date() == today)
        ):
            return event
    return None


def send_reminder(
    item: Recommendation,
    *,
    owner: str,
    addresses: Sequence[str],
    items: Sequence[str],
    message_id: str,
    actor: str,
    on: date,
    timestamp: datetime | None = None,
) -> None:
    """Record on ``item`` that the reminder ``message_id`` listing ``items`` went to
    ``owner`` (the item's owner as at ``on``) at ``addresses`` as at ``on``: only while
    the item is open, listed in it, and not reminded already that day
    (:func:`reminded_already`). ``timestamp``: when it was recorded (a restore's),
    else now."""
    state = item.state_as_at(on)  # refuses a day before the item, or a closed item
    if item.key not in items:
        raise RuleBrokenError(f"a reminder recorded on {item.key} must list {item.key}")
    for key in items:
        split_key(key)
    if not addresses or not _MESSAGE_ID.fullmatch(message_id):
        raise RuleBrokenError(
            "a reminder sent goes to an address and has a message id written <left@right>"
        )
    check_emails(addresses)
    if fold_name(state.owner or "") != fold_name(owner):
        raise RuleBrokenError(
            "{key} was owned by {held} as at {day}, so a reminder to {owner} is not of it",
            key=item.key,
            held=repr(state.owner) if state.owner else "nobody",
            day=on.isoformat(),
            owner=repr(owner[:80]),
        )
    moment = timestamp or not_before(item.modified_on, ReminderSent)
    earlier = reminded_already(item, on, moment.astimezone(UTC).date())
    if earlier is not None:
        raise AlreadyExistsError(
            "{key} was reminded on {day} already ({key}@{version}); nothing is sent "
            "twice in one day",
            key=item.key,
            day=earlier.on.isoformat(),
            version=earlier.originator_version,
        )
    item.trigger_event(
        ReminderSent,
        owner=owner,
        addresses=tuple(addresses),
        items=tuple(items),
        message_id=message_id,
        actor=actor,
        on=on,
        timestamp=moment,
    )
