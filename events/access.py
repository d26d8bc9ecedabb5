"""Who may do what: roles granted and revoked as events, by governance."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent


class Role(StrEnum):
    #: Everything: reports, items, committees, imports, sign-off, roles.
    GOVERNANCE = "governance"
    #: Changes to the items whose owner they act for, and nothing else.
    OWNER = "owner"
    #: Reads only.
    AUDITOR = "auditor"


class AccessEvent(LedgerEvent):
    """Something that changed who may do what."""


class AccessControlled(AccessEvent, CanInitAggregate[UUID]):
    """From now on every write is checked against the roles granted; until this, a
    ledger is open to whoever can write its store."""

    originator_topic: str


class RoleGranted(AccessEvent):
    """``name`` (an actor: a person's name, or a database login) holds ``role``; an
    owner acts for the items whose owner is ``acts_for`` ("Head of Roads")."""

    name: str
    role: Role
    acts_for: str | None = None


class RoleRevoked(AccessEvent):
    name: str
    role: Role
    acts_for: str | None = None
