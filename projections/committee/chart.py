"""The chart's series: the current column's totals at each of a committee's meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from projections.committee.counts import Counts, Position

if TYPE_CHECKING:
    from projections.recorded import Meeting, Recorded


@dataclass(frozen=True)
class MeetingTotals:
    meeting: Meeting
    counts: Counts

    def to_json(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting.on.isoformat(),
            "paper": self.meeting.paper,
            **self.counts.to_json(),
        }


def outstanding_by_meeting(recorded: Recorded, committee: str, up_to: date) -> list[MeetingTotals]:
    """The current column's totals of every meeting of the committee up to ``up_to``."""
    record = recorded.committee(committee)
    series = []
    before: date | None = None
    for meeting in record.sorted_meetings():
        if meeting.on > up_to:
            break
        series.append(MeetingTotals(meeting, Position.at(recorded, meeting.on, before).counts()))
        before = meeting.on
    return series
