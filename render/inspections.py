"""The paper's sections "Inspections" and "Reports published" as rows of text, made once
for the page, the Word document and the terminal's tables alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from projections.committee.inspections import NO_RECOMMENDATIONS, RESTRICTED
from projections.committee.wording import long_date

if TYPE_CHECKING:
    from projections.committee import Summary
    from projections.committee.inspections import InspectionLine, PublishedLine

INSPECTION_HEADERS = ("Inspection", "By", "Fieldwork", "Stage", "Debrief", "Report")
PUBLISHED_HEADERS = ("Report", "Published", "By", "Recommendations", "Notes")
#: What the committee reads of a restricted report shown by its title only.
WITHHELD_NOTE = "restricted: circulated but not for publication"


@dataclass(frozen=True)
class SectionTable:
    """One section as printed: its id (the page's anchor), heading, headers and rows."""

    id: str
    heading: str
    headers: tuple[str, ...]
    rows: list[list[str]]


def section_tables(summary: Summary) -> list[SectionTable]:
    """ "Inspections", then "Reports published": each only when it lists something."""
    sections = summary.inspections
    since = " since the previous meeting" if summary.previous_meeting else ""
    tables = []
    if sections.inspections:
        rows = [inspection_cells(line) for line in sections.inspections]
        tables.append(SectionTable("inspections", "Inspections", INSPECTION_HEADERS, rows))
    if sections.reports_published:
        rows = [published_cells(line) for line in sections.reports_published]
        heading = f"Reports published{since}"
        tables.append(SectionTable("reports-published", heading, PUBLISHED_HEADERS, rows))
    return tables


def inspection_cells(line: InspectionLine) -> list[str]:
    """One inspection: its code and title, who inspects, the fieldwork's days, its stage,
    the debrief, and its report (expected when, or none to be published, and why)."""
    start, end = line.fieldwork_from, line.fieldwork_to
    fieldwork = long_date(start) if start == end else f"{long_date(start)} to {long_date(end)}"
    report = line.report + (f" ({line.reason})" if line.reason and line.no_report else "")
    return [
        f"{line.code}: {line.title}",
        _and(line.inspectorates),
        fieldwork,
        line.stage,
        long_date(line.debrief) if line.debrief else "",
        report,
    ]


def published_cells(line: PublishedLine) -> list[str]:
    """One report published in the period; a restricted one shown by its title only."""
    if line.withheld:
        return [f"{line.code}: {line.title}", long_date(line.published), "", "", WITHHELD_NOTE]
    notes = [RESTRICTED] if line.restricted else []
    if line.inspection:
        notes.append(f"the report of inspection {line.inspection}")
    if line.no_recommendations:
        recommendations = NO_RECOMMENDATIONS
    else:
        recommendations = "" if line.makes is None else str(line.makes)
    return [
        f"{line.code}: {line.title}",
        long_date(line.published),
        _and(line.inspectorates),
        recommendations,
        "; ".join(notes),
    ]


def _and(names: list[str]) -> str:
    """ "HMI Prisons, HMICFRS and Care Quality Commission"."""
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
