"""What every part of a paper shares: the meeting it is for and the meeting it compares
with, how it names a report, and rows whose JSON is their fields."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from projections.log import iso_utc

if TYPE_CHECKING:
    from projections.recorded import CommitteeRecord, Meeting, Recorded
    from projections.store import ReportFacts


class Record:
    """A row of a paper: its JSON is its fields, dates as ISO strings."""

    def to_json(self) -> dict[str, Any]:
        names = _NAMES.get(type(self))
        if names is None:  # once per kind of row: papers hold thousands
            names = _NAMES[type(self)] = tuple(f.name for f in fields(self))  # type: ignore[arg-type]
        return {name: _json(getattr(self, name)) for name in names}


_NAMES: dict[type, tuple[str, ...]] = {}


def _json(value: Any) -> Any:
    if type(value) is date:
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def report_json(report: ReportFacts) -> dict[str, Any]:
    """How a paper names a report in JSON."""
    return {
        "code": report.code,
        "title": report.title,
        "scope": report.scope,
        "published": report.published.isoformat(),
    }


@dataclass(frozen=True)
class MeetingPaper:
    """Which meeting a paper is for, the meeting it compares with, and the history read."""

    committee: CommitteeRecord
    meeting: Meeting
    previous_meeting: Meeting | None
    known_at: datetime | None
    #: The ledger's digest when the paper was read (``ragw verify --digest`` checks it).
    digest: str | None

    @classmethod
    def heading(cls, recorded: Recorded, committee: str, meeting: date) -> dict[str, Any]:
        """The arguments every paper starts from; refuses an unknown committee or meeting."""
        record = recorded.committee(committee)
        return {
            "committee": record,
            "meeting": record.meeting(meeting),
            "previous_meeting": record.before(meeting),
            "known_at": recorded.known_at,
            "digest": recorded.digest,
        }

    def heading_json(self) -> dict[str, Any]:
        return {
            "committee": self.committee.code,
            "committee_name": self.committee.name,
            "meeting": self.meeting.on.isoformat(),
            "paper": self.meeting.paper,
            "previous_meeting": _iso(self.previous_meeting),
            "previous_paper": self.previous_meeting.paper if self.previous_meeting else None,
            "as_known_at": iso_utc(self.known_at) if self.known_at else None,
            "digest": self.digest,
        }


def _iso(meeting: Meeting | None) -> str | None:
    return meeting.on.isoformat() if meeting else None


def day_of(meeting: Meeting | None) -> date | None:
    """The meeting's day; None for no meeting (the empty ledger before the first)."""
    return meeting.on if meeting else None
