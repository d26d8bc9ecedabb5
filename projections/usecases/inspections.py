"""The inspections the ledger holds, as a list: each as at a day (today by default),
with the report that names it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from projections.committee.inspections import InspectionLine, inspection_as_at, inspection_line
from projections.committee.meeting import Record

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class InspectionListing(Record):
    """An inspection as at a day, and the code of its report (once one names it)."""

    code: str
    title: str
    inspectorates: list[str]
    stage: str
    fieldwork_from: date
    fieldwork_to: date
    debrief: date | None
    expected: str | None
    no_report: bool
    reason: str | None
    report: str | None

    @classmethod
    def of(cls, line: InspectionLine, report: str | None) -> InspectionListing:
        """``line``'s facts, with the code of its report where the line has its words."""
        facts: dict[str, Any] = {**line.__dict__, "report": report}
        return cls(**facts)


def inspections(
    session: LedgerSession, *, as_at: date, as_known_at: datetime | None
) -> list[InspectionListing]:
    """Every inspection added by ``as_at`` (as known at ``as_known_at``), by the first day
    of its fieldwork, then code."""
    recorded = session.recorded(as_known_at)
    reports = {r.inspection: r.code for r in recorded.reports.values() if r.inspection}
    found = []
    for events in recorded.inspections.values():
        facts = inspection_as_at(events, as_at)
        if facts is not None:
            found.append(
                InspectionListing.of(inspection_line(facts, as_at), reports.get(facts["code"]))
            )
    return sorted(found, key=lambda each: (each.fieldwork_from, each.code))
