"""Owners' contact details and the reminders sent to them.

An owner is the role named on the board ("Head of Crime"); the addresses its reminders
go to are kept in one stream of their own (:class:`ContactsKept` begins it). Each
reminder sent is recorded on every item it listed (:class:`ReminderSent`), so an item's
own history says when its owner was told of it.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent
from events.recommendation import RecommendationEvent


class ContactsEvent(LedgerEvent):
    """Something that changed where owners are reminded."""


class ContactsKept(ContactsEvent, CanInitAggregate[UUID]):
    """The ledger keeps owners' contact details from now on (the first one set creates
    them)."""

    originator_topic: str


class OwnerContactSet(ContactsEvent):
    """From now on reminders for ``owner``'s items go to ``emails`` (every address at
    once, replacing those before; none: ``owner`` is no longer reminded)."""

    owner: str
    emails: tuple[str, ...] = ()


class ReminderSent(RecommendationEvent):
    """A reminder listing this item was sent to its ``owner`` at ``addresses``, as at the
    day it took effect: one message (``message_id``) listing ``items`` (this one among
    them), overdue ones first."""

    owner: str
    addresses: tuple[str, ...]
    items: tuple[str, ...]
    message_id: str
