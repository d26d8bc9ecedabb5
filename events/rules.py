"""The ledger's rules for sign-off, set by governance for each committee."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent


class SignOffFor(StrEnum):
    """Changes that, beyond completion, may need someone else's sign-off."""

    CLOSURES = "closures"
    EXTENSIONS = "extensions"


class RulesEvent(LedgerEvent):
    """Something that changed the ledger's rules."""


class RulesAdopted(RulesEvent, CanInitAggregate[UUID]):
    """The ledger keeps rules from now on (the first rule set creates them)."""

    originator_topic: str


class SignOffRuleSet(RulesEvent):
    """From now on committee ``committee`` requires sign-off for ``changes`` (none:
    only completion needs it). Items are reported to every committee, so a change any
    committee requires sign-off for needs it on every item."""

    committee: str
    changes: tuple[SignOffFor, ...] = ()
