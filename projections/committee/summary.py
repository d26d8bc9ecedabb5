"""The summary table: per report, items by status as at the previous meeting and as at
this one; totals by scope; the headline; and the exceptions a committee must see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from events import Request
from projections.board import paper_order
from projections.committee.counts import SCOPES, Counts, Position
from projections.committee.inspections import InspectionSections, sections_of
from projections.committee.meeting import MeetingPaper, day_of, report_json
from projections.committee.relevance import NotForTheForce, not_for_the_force
from projections.committee.reviews import ReviewedReport, reviewed_of
from projections.committee.withholding import withheld
from projections.committee.wording import headline
from projections.exceptions import (
    Extension,
    Lines,
    Overdue,
    PendingSignOff,
    Slippage,
    counted,
    item_order,
    row_exceptions,
    row_pending,
)
from projections.text import JSONText, compact

if TYPE_CHECKING:
    from projections.recorded import Recorded
    from projections.store import ReportFacts


@dataclass(frozen=True)
class SummaryRow:
    report: ReportFacts
    section: str
    previous: Counts
    current: Counts

    def to_json(self) -> dict[str, Any]:
        return {
            **report_json(self.report),
            "section": self.section,
            "previous": self.previous.to_json(),
            "current": self.current.to_json(),
        }


@dataclass(frozen=True)
class Exceptions:
    """What a committee must see: overdue items that are neither RED nor extended, the
    extensions granted since the previous meeting, how far each item has slipped, and
    what awaits sign-off (GREEN and closures claimed; extension requests for the
    committee to grant)."""

    overdue: Sequence[Overdue]
    extensions: list[Extension]
    slippage: Sequence[Slippage]
    pending: list[PendingSignOff] = field(default_factory=list)
    #: The overdue and slippage rows already rendered, when they were stored so.
    lines: Lines | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "overdue": [o.to_json() for o in self.overdue],
            "extensions": [e.to_json() for e in self.extensions],
            "slippage": [s.to_json() for s in self.slippage],
            "pending_sign_off": [p.to_json() for p in self.pending],
        }

    @property
    def claimed(self) -> list[PendingSignOff]:
        """GREEN or CLOSED, awaiting sign-off."""
        return [p for p in self.pending if p.request != Request.EXTENSION]

    @property
    def requested_extensions(self) -> list[PendingSignOff]:
        """Extension requests for the committee to grant."""
        return [p for p in self.pending if p.request == Request.EXTENSION]

    def printable(self) -> dict[str, list[JSONText]]:
        """:meth:`to_json` with every row already rendered as one line of JSON: a
        summary lists thousands, and the command prints them as they are."""
        overdue, slippage = self.lines or (
            [o.line() for o in self.overdue],
            [s.line() for s in self.slippage],
        )
        return {
            "overdue": overdue,
            "extensions": [JSONText(compact(e.to_json())) for e in self.extensions],
            "slippage": slippage,
            "pending_sign_off": [p.line() for p in self.pending],
        }


@dataclass(frozen=True)
class Summary(MeetingPaper):
    rows: list[SummaryRow]
    totals: dict[str, dict[str, Counts]]
    exceptions: Exceptions
    headline: str
    #: "Inspections" and "Reports published" in the period.
    inspections: InspectionSections = field(default_factory=InspectionSections)
    #: "Reports for review": the reports the meeting reviews, every item of each.
    reviewed: list[ReviewedReport] = field(default_factory=list)
    #: "Not addressed to the force": the items the counts leave out, listed apart.
    not_for_the_force: list[NotForTheForce] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.to_json_without_exceptions(),
            "exceptions": self.exceptions.to_json(),
            **self.inspections.to_json(),
            "reviewed": [report.to_json() for report in self.reviewed],
            "not_for_the_force": [item.to_json() for item in self.not_for_the_force],
        }

    def printable(self) -> dict[str, Any]:
        """:meth:`to_json` with the exceptions' rows already rendered (see
        :meth:`Exceptions.printable`): what ``ragw summary --format json`` prints."""
        return {
            **self.to_json_without_exceptions(),
            "exceptions": self.exceptions.printable(),
            **self.inspections.to_json(),
            "reviewed": [report.to_json() for report in self.reviewed],
            "not_for_the_force": [item.to_json() for item in self.not_for_the_force],
        }

    def to_json_without_exceptions(self) -> dict[str, Any]:
        return {
            **self.heading_json(),
            "headline": self.headline,
            "reports": [row.to_json() for row in self.rows],
            "totals": {
                column: {scope: counts.to_json() for scope, counts in by_scope.items()}
                for column, by_scope in self.totals.items()
            },
        }


def summary_of(
    recorded: Recorded, committee: str, meeting: date, *, include_restricted: bool = False
) -> Summary:
    """The summary table of the paper for ``committee``'s meeting on ``meeting``;
    ``include_restricted``: restricted reports in full, not by their title only."""
    heading = MeetingPaper.heading(recorded, committee, meeting)
    this, previous = heading["meeting"], heading["previous_meeting"]
    before_previous = heading["committee"].before(previous.on) if previous else None
    tally = recorded.kept_tally(committee, this.on)
    lists = recorded.kept_lists(committee, this.on)
    if tally is not None and lists is not None:  # kept per meeting by the read model
        before = recorded.kept_tally(committee, previous.on) if previous else Counter()
        current = Position(recorded, this.on, day_of(previous), tally)
        earlier = Position(recorded, day_of(previous), day_of(before_previous), before or Counter())
        overdue, slippage, lines = lists.exceptions()
        extensions = extensions_of(recorded, this.on, day_of(previous), lists.extended)
        exceptions = Exceptions(
            overdue, extensions, slippage, lists.pending_sign_off(), lines=lines
        )
    else:
        recorded.rows_as_at(this.on)  # read once: the exceptions need it, the counts too
        current = Position.at(recorded, this.on, day_of(previous))
        earlier = Position.at(recorded, day_of(previous), day_of(before_previous))
        exceptions = exceptions_at(current)

    rows: list[SummaryRow] = []
    for report in sorted(recorded.reports.values(), key=paper_order):
        if report.published > this.on:
            continue
        section = "new" if previous is None or report.published > previous.on else "previous"
        row = SummaryRow(
            report=report,
            section=section,
            previous=earlier.counts(report=report.code),
            current=current.counts(report=report.code),
        )
        if section == "new" or row.previous.total() or row.current.total():
            rows.append(row)
    rows.sort(key=lambda row: row.section != "new")  # stable: new reports first

    totals = {
        "previous": {scope: earlier.counts(scope=scope) for scope in SCOPES},
        "current": {scope: current.counts(scope=scope) for scope in SCOPES},
    }
    elsewhere = not_for_the_force(recorded, this.on, day_of(previous))
    left = sum(item.since_last_meeting for item in elsewhere)
    summary = Summary(
        **heading,
        rows=rows,
        totals=totals,
        exceptions=exceptions,
        headline=headline(totals["current"], previous, exceptions, not_for_the_force=left),
        inspections=sections_of(
            recorded, this.on, day_of(previous), include_restricted=include_restricted
        ),
        reviewed=reviewed_of(recorded, this),
        not_for_the_force=elsewhere,
    )
    return withheld(summary, recorded, include_restricted=include_restricted)


def exceptions_at(position: Position) -> Exceptions:
    """Worked out from each item's columns (:data:`projections.recorded.Row`); whole
    states are read only for the items extended since the meeting before."""
    assert position.on is not None
    day, before = position.on, position.before
    since = before.isoformat() if before else ""
    overdue, slippage, extended, pending = [], [], [], []
    for row in counted(position.rows()):
        late, slipped, was_extended = row_exceptions(row, day, since)
        waiting = row_pending(row)
        if waiting is not None:
            pending.append(waiting)
        if late is not None:
            overdue.append(late)
        if slipped is not None:
            slippage.append(slipped)
        if was_extended:
            extended.append(row[0])
    overdue.sort(key=Overdue.order)
    slippage.sort(key=Slippage.order)
    pending.sort(key=PendingSignOff.order)
    extensions = extensions_of(position.recorded, day, before, extended)
    return Exceptions(overdue, extensions, slippage, pending)


def extensions_of(
    recorded: Recorded, day: date, before: date | None, keys: list[str]
) -> list[Extension]:
    """The extensions of these items granted since the meeting before (all of them when
    there was none), by day granted, then in the papers' order of items."""
    extensions = []
    for key, state in recorded.whole_states(day, keys).items():
        for extension in state.extensions:
            if before is None or extension.on > before:
                extensions.append(
                    Extension(
                        key,
                        extension.on,
                        extension.previous_due,
                        extension.due,
                        extension.reason,
                        extension.actor,
                    )
                )
    extensions.sort(key=lambda e: (e.on, item_order(e.key)))
    return extensions
