"""Events in the life of a committee that receives the papers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent


class CommitteeEvent(LedgerEvent):
    """Something that happened to a committee."""


class CommitteeRegistered(CommitteeEvent, CanInitAggregate[UUID]):
    """A committee the force reports to ("Police: Performance and Resource
    Management Sub Committee"), known by a short code (``PRMSC``)."""

    originator_topic: str
    code: str
    name: str


class MeetingScheduled(CommitteeEvent):
    """A meeting of the committee, on ``meeting``, receiving paper ``paper``
    ("Pol 49/15"). Each paper compares this meeting with the one before it."""

    meeting: date
    paper: str | None = None


class PaperIssued(CommitteeEvent):
    """The paper for the meeting on ``meeting`` went to the committee, rendered from the
    history up to the ledger's digest ``digest`` (``POSITION:LINK``): everything recorded
    by ``read_at`` (when the last of that history was recorded), or as known at
    ``as_known_at`` when the paper was asked for so. ``pack --as-issued`` renders it again
    from exactly that."""

    meeting: date
    digest: str
    read_at: datetime
    as_known_at: datetime | None = None
