"""Who may do what: roles granted and revoked as events, by governance; and the people
who may sign in to the web service (their passwords are never events: only that one
was set)."""

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


class UserAdded(AccessEvent):
    """``name`` may sign in (to the web service); what they may do there comes from the
    roles granted to that name. Their password is kept beside the log, never in it."""

    name: str
    email: str | None = None


class PasswordChanged(AccessEvent):
    """``name``'s password was set anew (the password itself is never recorded); every
    session they had ends."""

    name: str


class UserDisabled(AccessEvent):
    """``name`` may no longer sign in; their name stays on everything they recorded."""

    name: str
