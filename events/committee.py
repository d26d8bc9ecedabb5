"""Events in the life of a committee that receives the papers."""

from __future__ import annotations

import operator
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from pydantic import Field

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
    ("Pol 49/15"). Each paper compares this meeting with the one before it. ``review``
    names the reports the meeting looks at closely, item by item, in that order."""

    meeting: date
    paper: str | None = None
    #: Left out of what is stored when empty, so a meeting that reviews no report is
    #: stored, chained and backed up byte for byte as before reviews existed.
    review: tuple[str, ...] = Field(default=(), exclude_if=operator.not_)


class PaperIssued(CommitteeEvent):
    """The paper for the meeting on ``meeting`` went to the committee, rendered from the
    history up to the ledger's digest ``digest`` (``POSITION:LINK``): the events at
    positions up to the digest's (:attr:`position`), as known at ``read_at`` (when the
    last of them was recorded, or ``as_known_at`` when the paper was asked for as known
    at an earlier moment). ``pack --as-issued`` renders it again from exactly that: both
    are facts of this event, so nothing appended later, whatever its recording time,
    changes the paper, and ``verify --digest`` proves the events it is read from."""

    meeting: date
    digest: str
    read_at: datetime
    as_known_at: datetime | None = None

    @property
    def position(self) -> int:
        """The log position the paper is pinned to: the digest's, which every issue
        (ragw 0.1's too) recorded, so no stored event needs a new shape."""
        return int(self.digest.partition(":")[0])


class MeetingReviewsChanged(CommitteeEvent):
    """The reports the meeting on ``meeting`` reviews are now ``review``, in that order
    (none when empty), in place of those it named before: each meeting looks closely at
    a few reports, every item, its owner and the force's latest comment, in rotation."""

    meeting: date
    review: tuple[str, ...]
