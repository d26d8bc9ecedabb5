"""The paper's sections "Inspections" and "Reports published", for the period since the
previous meeting (everything up to the meeting when there was none).

Read from what the ledger held (:class:`~projections.recorded.Recorded`), so a paper as
known at a moment lists only what was recorded by then, and as at the meeting: an
inspection's events count from the day each took effect (``on``), as an item's do.

Inspections: every inspection added by the meeting whose report had not been published
by it: those to come (fieldwork not begun), in progress, completed and debriefed, with
when the report is expected or that none will be published. One without a report
leaves the paper once the meeting before it was after its fieldwork and debrief: there
is nothing more to say of it. Reports published: those published in the period, marked
when they make no recommendations (``makes`` 0) or are restricted; a restricted report
shows its title only unless the paper is asked for in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from events import InspectionAdded, InspectionChanged, InspectionEvent
from projections.committee.meeting import Record
from projections.committee.wording import long_date

if TYPE_CHECKING:
    from collections.abc import Iterable

    from projections.recorded import Recorded
    from projections.rows import ReportFacts

TO_COME, IN_PROGRESS, COMPLETED, DEBRIEFED = "to come", "in progress", "completed", "debriefed"
NO_REPORT = "no report will be published"
NO_RECOMMENDATIONS = "no recommendations for the force"
RESTRICTED = "restricted"
#: What an inspection's change may give anew.
_CHANGES = {"title", "fieldwork_from", "fieldwork_to", "debrief", "expected"}


@dataclass(frozen=True)
class InspectionLine(Record):
    """An inspection as the paper lists it, as at the meeting."""

    code: str
    title: str
    inspectorates: list[str]
    stage: str
    fieldwork_from: date
    fieldwork_to: date
    debrief: date | None
    expected: str | None
    no_report: bool
    #: Why no report will be published, or why a date last moved.
    reason: str | None
    #: What the paper says of its report: when expected, or that none will be.
    report: str


@dataclass(frozen=True)
class PublishedLine(Record):
    """A report published in the period, as the paper lists it."""

    code: str
    title: str
    scope: str | None
    published: date
    inspectorates: list[str]
    makes: int | None
    restricted: bool
    no_recommendations: bool
    inspection: str | None
    #: Restricted, and shown by its title only: the rest is left out.
    withheld: bool


@dataclass(frozen=True)
class InspectionSections:
    """Both sections; each empty when there is nothing to list (no heading is printed)."""

    inspections: list[InspectionLine] = field(default_factory=list)
    reports_published: list[PublishedLine] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "inspections": [line.to_json() for line in self.inspections],
            "reports_published": [line.to_json() for line in self.reports_published],
        }


def inspection_as_at(events: Iterable[InspectionEvent], day: date) -> dict[str, Any] | None:
    """An inspection's facts from its events that took effect by ``day`` (None before
    it was added): a change's fields replace those before it; a reason, the last given."""
    facts: dict[str, Any] | None = None
    for event in events:
        if event.on > day:
            continue
        if isinstance(event, InspectionAdded):
            facts = event.model_dump(exclude={"originator_topic"})
        elif isinstance(event, InspectionChanged) and facts is not None:
            facts.update(event.model_dump(include=_CHANGES, exclude_none=True))
            facts["no_report"] = facts["no_report"] or event.no_report
            if event.no_report:  # none will be published: none is expected any more
                facts["expected"] = None
            facts["reason"] = event.reason or facts["reason"]
    return facts


def _on_the_paper_of(events: Iterable[InspectionEvent], before: date) -> bool:
    """Whether the paper of the meeting on ``before`` (or one before it) already said
    that no report of this inspection will be published: that took effect by then.
    Recorded to take effect later, it is news to the next paper, however long ago the
    fieldwork ended."""
    return any(
        isinstance(event, (InspectionAdded, InspectionChanged))
        and event.no_report
        and event.on <= before
        for event in events
    )


def sections_of(
    recorded: Recorded, day: date, before: date | None, *, include_restricted: bool = False
) -> InspectionSections:
    """What the paper for the meeting on ``day`` lists, since the meeting on ``before``."""
    published = {
        report.inspection: report
        for report in recorded.reports.values()
        if report.inspection is not None and report.published <= day
    }
    inspections = []
    for events in recorded.inspections.values():
        facts = inspection_as_at(events, day)
        if facts is None or facts["code"] in published:
            continue
        line = inspection_line(facts, day)
        ended = max(line.fieldwork_to, line.debrief or line.fieldwork_to)
        told = before is not None and ended <= before and _on_the_paper_of(events, before)
        if line.no_report and told:  # an earlier paper said it already
            continue
        inspections.append(line)
    inspections.sort(key=lambda line: (line.fieldwork_from, line.code))
    reports = [
        _published_line(report, include_restricted)
        for report in recorded.reports.values()
        if report.published <= day and (before is None or report.published > before)
    ]
    reports.sort(key=lambda line: (line.published, line.code))
    return InspectionSections(inspections, reports)


def inspection_line(facts: dict[str, Any], day: date) -> InspectionLine:
    start, end, debrief = facts["fieldwork_from"], facts["fieldwork_to"], facts["debrief"]
    if start > day:
        stage = TO_COME
    elif end >= day:
        stage = IN_PROGRESS
    else:
        stage = DEBRIEFED if debrief is not None and debrief <= day else COMPLETED
    return InspectionLine(
        code=facts["code"],
        title=facts["title"],
        inspectorates=list(facts["inspectorates"]),
        stage=stage,
        fieldwork_from=start,
        fieldwork_to=end,
        debrief=debrief,
        expected=facts["expected"],
        no_report=facts["no_report"],
        reason=facts["reason"],
        report=report_words(facts["expected"], facts["no_report"]),
    )


def report_words(expected: str | None, no_report: bool) -> str:
    """ "report expected June 2017", "report expected 30 June 2017", "no report will be
    published" or "report date not yet known"."""
    if no_report:
        return NO_REPORT
    if expected is None:
        return "report date not yet known"
    year, month, *rest = (int(part) for part in expected.split("-"))
    if rest:
        return f"report expected {long_date(date(year, month, rest[0]))}"
    return f"report expected {date(year, month, 1).strftime('%B')} {year}"


def _published_line(report: ReportFacts, include_restricted: bool) -> PublishedLine:
    withheld = report.restricted and not include_restricted
    return PublishedLine(
        code=report.code,
        title=report.title,
        scope=None if withheld else report.scope,
        published=report.published,
        inspectorates=[] if withheld else list(report.inspectorates),
        makes=None if withheld else report.makes,
        restricted=report.restricted,
        no_recommendations=not withheld and report.makes == 0,
        inspection=None if withheld else report.inspection,
        withheld=withheld,
    )
