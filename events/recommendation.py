"""Events in the life of one recommendation (an item on the board)."""

from __future__ import annotations

import operator
from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from pydantic import Field

from events.base import Kind, LedgerEvent, Status


class Request(StrEnum):
    """What a change awaiting sign-off asks for: GREEN (the owner says it is done),
    CLOSED, or an EXTENSION of the due date. The values are what events store."""

    GREEN = "GREEN"
    CLOSED = "CLOSED"
    EXTENSION = "EXTENSION"


class RecommendationEvent(LedgerEvent):
    """Something that happened to a recommendation."""


class RecommendationIssued(RecommendationEvent, CanInitAggregate[UUID]):
    """The item was put on the tracker with what the report and the force said of it.

    ``due`` is the original due date; ``due_text`` is the due date as it was written
    (``"No deadline set by HMICFRS December 2019 set to align with the next
    inspection"``). Later dates written in the same text are recorded as
    :class:`DeadlineExtended` events in the same transaction.

    ``to`` is who the report addresses it to, each as written ("Chief Constables",
    "the Home Office"); left out of what is stored when empty, so an item without it
    is stored, chained and backed up byte for byte as before it existed.
    """

    originator_topic: str
    report: str
    ref: str
    kind: Kind
    text: str
    owner: str | None = None
    lead: str | None = None
    due: date | None = None
    due_text: str | None = None
    status: Status | None = None
    reason: str | None = None
    to: tuple[str, ...] = Field(default=(), exclude_if=operator.not_)


class StatusChanged(RecommendationEvent):
    status: Status
    reason: str | None = None


class DeadlineSet(RecommendationEvent):
    """A due date was set where there was none ("to be set")."""

    due: date
    due_text: str | None = None
    reason: str | None = None


class DeadlineExtended(RecommendationEvent):
    """The due date moved later; the original is kept in the earlier events."""

    previous_due: date | None
    due: date
    reason: str


class ProgressNoted(RecommendationEvent):
    text: str


class OwnerAssigned(RecommendationEvent):
    owner: str


class RecommendationClosed(RecommendationEvent):
    """Taken off the tracker without being implemented (e.g. superseded)."""

    reason: str


class EventCorrected(RecommendationEvent):
    """Retracts an earlier event of the same item, which stays in the history."""

    corrects: str
    reason: str


class SignOffRequested(RecommendationEvent):
    """A change that takes effect only once someone else signs it off: until then the
    item shows it as pending sign-off. ``evidence`` says why (what was done, or why the
    change is needed) and ``links`` point to the documents behind it."""

    evidence: str
    links: tuple[str, ...] = ()


class CompletionClaimed(SignOffRequested):
    """The owner says the item is implemented; signed off, it becomes GREEN."""


class ClosureRequested(SignOffRequested):
    """Asks for the item to come off the tracker (a committee requires sign-off for
    closures); signed off, it is CLOSED with ``evidence`` as the reason."""


class ExtensionRequested(SignOffRequested):
    """Asks for the due date to move to ``due`` (a committee grants extensions);
    signed off, the due date is extended, ``evidence`` being the justification."""

    due: date
    previous_due: date | None = None


class SignedOff(RecommendationEvent):
    """The pending request ``request`` (its event id) was checked and accepted by
    someone other than who made it. ``outcome`` is what it brings into effect (GREEN,
    CLOSED, or EXTENSION from ``previous_due`` to ``due``), ``reason`` the request's
    evidence, kept with it; ``note`` is the signer's own word."""

    request: str
    outcome: Request
    reason: str
    due: date | None = None
    previous_due: date | None = None
    note: str | None = None


class SignOffRejected(RecommendationEvent):
    """The pending request ``request`` was refused, for ``reason``; the item stays as
    it was."""

    request: str
    reason: str


class RelevanceChanged(RecommendationEvent):
    """Whether the item is the force's to act on, from ``on``: not (``for_us`` False: it
    is addressed to someone else, e.g. the Home Office) or again (True). Either way it
    stays on the ledger and the board; an item not for the force is not counted in a
    paper's summary but listed apart, with ``reason``."""

    for_us: bool
    reason: str


class Superseded(RecommendationEvent):
    """The item was closed because a later item, ``by`` (its key), supersedes it: closed,
    not implemented. Recorded in one transaction with :class:`Supersedes` in ``by``'s
    stream, so that both histories say so."""

    by: str
    reason: str


class Supersedes(RecommendationEvent):
    """The item supersedes ``superseded`` (its key), closed by :class:`Superseded` in the
    same transaction, for ``reason``."""

    superseded: str
    reason: str
