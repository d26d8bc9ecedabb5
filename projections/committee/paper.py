"""The whole paper: summary, appendix and chart series, from one reading of the ledger."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from projections.committee.appendix import Appendix, appendix_of
from projections.committee.chart import MeetingTotals, outstanding_by_meeting
from projections.committee.summary import Summary, summary_of

if TYPE_CHECKING:
    from projections.committee.verdicts import VerdictRow
    from projections.recorded import Recorded
    from projections.restatements import Restatements


@dataclass(frozen=True)
class Paper:
    """Everything a committee paper prints, from one reading of the ledger."""

    summary: Summary
    appendix: Appendix
    series: list[MeetingTotals]
    #: "Restated since the last paper": items whose row at the previous meeting, as
    #: known now, differs from what its paper said; None when none was (no section).
    restated: Restatements | None = None
    #: Restricted reports shown in full: a paper for the committee alone, bannered so.
    includes_restricted: bool = False
    #: "The inspectorate's verdicts" on the appendix's items (none: no section).
    verdicts: tuple[VerdictRow, ...] = ()

    def headed(self, *, known_at: datetime | None, digest: str | None) -> Paper:
        """The same paper headed as read as known at ``known_at`` from the history up to
        ``digest`` (an issued paper, rendered again from the history it was issued from)."""
        return replace(
            self,
            summary=replace(self.summary, known_at=known_at, digest=digest),
            appendix=replace(self.appendix, known_at=known_at, digest=digest),
        )

    def restating(self, restated: Restatements | None) -> Paper:
        """The same paper with its section "Restated since the last paper", when any
        item was restated (a paper with none prints no such section)."""
        return replace(self, restated=restated) if restated and restated.items else self

    def judged(self, rows: list[VerdictRow]) -> Paper:
        """The same paper with its section "The inspectorate's verdicts", when any of
        its items was given one."""
        return replace(self, verdicts=tuple(rows)) if rows else self

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "summary": self.summary.to_json(),
            "appendix": self.appendix.to_json(),
            "outstanding_by_meeting": [totals.to_json() for totals in self.series],
        }
        if self.restated is not None:
            document["restated_since_last_paper"] = self.restated.to_json()
        if self.includes_restricted:  # a public paper prints as before
            document["includes_restricted"] = True
        if self.verdicts:
            document["inspectorate_verdicts"] = [row.to_json() for row in self.verdicts]
        return document


def paper_of(
    recorded: Recorded, committee: str, meeting: date, *, include_restricted: bool = False
) -> Paper:
    """The paper; ``include_restricted``: restricted reports in full (their details and
    their items' text), for a paper that goes to the committee alone."""
    return Paper(
        summary=summary_of(recorded, committee, meeting, include_restricted=include_restricted),
        appendix=appendix_of(recorded, committee, meeting, include_restricted=include_restricted),
        series=outstanding_by_meeting(recorded, committee, meeting),
        includes_restricted=include_restricted,
    )
