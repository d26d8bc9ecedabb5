"""The whole paper: summary, appendix and chart series, from one reading of the ledger."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from projections.committee.appendix import Appendix, appendix_of
from projections.committee.chart import MeetingTotals, outstanding_by_meeting
from projections.committee.summary import Summary, summary_of

if TYPE_CHECKING:
    from projections.recorded import Recorded


@dataclass(frozen=True)
class Paper:
    """Everything a committee paper prints, from one reading of the ledger."""

    summary: Summary
    appendix: Appendix
    series: list[MeetingTotals]

    def headed(self, *, known_at: datetime | None, digest: str | None) -> Paper:
        """The same paper headed as read as known at ``known_at`` from the history up to
        ``digest`` (an issued paper, rendered again from the history it was issued from)."""
        return replace(
            self,
            summary=replace(self.summary, known_at=known_at, digest=digest),
            appendix=replace(self.appendix, known_at=known_at, digest=digest),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary.to_json(),
            "appendix": self.appendix.to_json(),
            "outstanding_by_meeting": [totals.to_json() for totals in self.series],
        }


def paper_of(recorded: Recorded, committee: str, meeting: date) -> Paper:
    return Paper(
        summary=summary_of(recorded, committee, meeting),
        appendix=appendix_of(recorded, committee, meeting),
        series=outstanding_by_meeting(recorded, committee, meeting),
    )
