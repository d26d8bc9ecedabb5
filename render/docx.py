"""The committee paper as a Word document: the same content as the HTML page.

Committee papers circulate in Word, so the paper is a real .docx (python-docx): A4,
headings a reader can navigate by, tables with header rows repeated across pages,
and status cells shaded in RAGW colours with the word always printed, so a copy in
black and white reads the same.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime, time
from typing import IO, TYPE_CHECKING, Any

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ledger.formats import iso_utc
from projections.committee import DEFINITIONS, OUTSTANDING, long_date
from render import relevance
from render.cells import FILLS, cell_lines, evidence_text, restating_event, total_keys, xml_safe
from render.docx_inspections import write_banner, write_sections
from render.docx_reviews import write_reviewed
from render.inspections import WITHHELD_NOTE
from render.relevance import appendix_status
from render.verdicts import write_verdicts

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell

    from projections.committee import Appendix, Paper, Summary
    from projections.restatements import Restatements

HEADER_FILL = "EFEFEF"


def write_docx(paper: Paper, out: IO[bytes]) -> None:
    document = docx.Document()
    _page(document, paper.summary)
    _heading(document, paper.summary)
    write_banner(document, paper)
    _summary(document, paper)
    if paper.restated is not None:
        _restated(document, paper.restated)
    _exceptions(document, paper.summary)
    write_sections(document, paper.summary)
    write_reviewed(document, paper.summary.reviewed, _table, _shade)
    _not_for_the_force(document, paper.summary)
    write_verdicts(document, paper.verdicts, _table)
    _appendix(document, paper.appendix)
    written = io.BytesIO()
    document.save(written)
    out.write(reproducible_zip(written.getvalue()))


def _page(document: Document, summary: Summary) -> None:
    """A4 portrait, Arial 10pt, and properties dated by the meeting."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    # The document's dates are the meeting's, so the same paper gives the same properties.
    stamp = datetime.combine(summary.meeting.on, time(12, 0))
    properties = document.core_properties
    title = xml_safe(f"{summary.committee.name}: inspection recommendations")
    # Word's document properties hold at most 255 characters; a longer name is cut there.
    properties.title = title if len(title) <= 255 else f"{title[:254]}…"
    properties.subject = f"Meeting of {long_date(summary.meeting.on)}"
    properties.author = "ragw"
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1


def _heading(document: Document, summary: Summary) -> None:
    document.add_heading("Inspection recommendations: progress report", level=0)
    meta = [
        ("Committee", f"{summary.committee.name} ({summary.committee.code})"),
        (
            "Meeting",
            long_date(summary.meeting.on)
            + (f"; paper {summary.meeting.paper}" if summary.meeting.paper else ""),
        ),
        (
            "Compared with",
            f"the meeting of {long_date(summary.previous_meeting.on)}"
            if summary.previous_meeting
            else "no earlier meeting: the committee's first paper",
        ),
        (
            "History used",
            f"as recorded by {summary.known_at.isoformat()}"
            if summary.known_at
            else "everything recorded when this paper was produced",
        ),
        *(
            [("Ledger digest", f"{summary.digest} (check with `ragw verify --digest`)")]
            if summary.digest
            else []
        ),
    ]
    for label, value in meta:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(xml_safe(value))


def _summary(document: Document, paper: Paper) -> None:
    summary = paper.summary
    document.add_heading("Summary", level=1)
    document.add_paragraph().add_run(summary.headline).bold = True
    table = _table(
        document,
        ["Report", "Previous: national", "Previous: force", "Current: national", "Current: force"],
    )
    current_section = None
    for row in summary.rows:
        if row.section != current_section:
            current_section = row.section
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = "New reports" if row.section == "new" else "Previous reports"
            merged.paragraphs[0].runs[0].italic = True
        cells = table.add_row().cells
        cells[0].text = xml_safe(f"{row.report.title} ({row.report.code})")
        columns = [
            (row.previous, "national"),
            (row.previous, "force"),
            (row.current, "national"),
            (row.current, "force"),
        ]
        for target, (counts, scope) in zip(cells[1:], columns, strict=True):
            if row.report.scope == scope:
                lines = cell_lines(counts)
                target.text = "\n".join(f"{n} {status}" for status, n in lines)
                if len(lines) == 1:
                    _shade(target, FILLS[lines[0][0]])

    document.add_heading("Totals", level=2)
    keys = total_keys(summary.totals)
    scopes = ("national", "force", "all")
    totals = _table(
        document, ["Status", *(f"{c}: {s}" for c in ("Previous", "Current") for s in scopes)]
    )
    for key in [*keys, OUTSTANDING]:
        cells = totals.add_row().cells
        cells[0].text = "Total Amber/Red/White" if key == OUTSTANDING else key
        if key in FILLS:
            _shade(cells[0], FILLS[key])
        totals_row = [
            summary.totals[c][s].to_json().get(key, 0)
            for c in ("previous", "current")
            for s in scopes
        ]
        for target, number in zip(cells[1:], totals_row, strict=True):
            target.text = str(number)

    document.add_heading("Outstanding at each meeting", level=2)
    series = _table(document, ["Meeting", "Paper", "AMBER", "RED", "WHITE", "Outstanding"])
    for point in paper.series:
        cells = series.add_row().cells
        values: list[Any] = [
            long_date(point.meeting.on),
            point.meeting.paper or "",
            point.counts["AMBER"],
            point.counts["RED"],
            point.counts["WHITE"],
            point.counts.outstanding,
        ]
        for target, value in zip(cells, values, strict=True):
            target.text = xml_safe(str(value))


def _restated(document: Document, restated: Restatements) -> None:
    document.add_heading("Restated since the last paper", level=1)
    said = (
        "the paper issued for that meeting said"
        if restated.issued
        else f"the ledger showed at {iso_utc(restated.compared_with)} (no paper for that "
        "meeting was issued)"
    )
    document.add_paragraph(
        f"Items whose position at the meeting of {long_date(restated.meeting)}, as this "
        f"paper reads it, differs from what {said}, with the events recorded since that "
        "made the difference."
    )
    table = _table(
        document,
        ["Item", "Then", "Now", "Events: what, recorded when and by whom"],
        (25, 35, 35, 85),
    )
    for item in restated.items:
        cells = table.add_row().cells
        cells[0].text = item.key
        cells[1].text = xml_safe(item.then.describe())
        cells[2].text = xml_safe(item.now.describe())
        cells[3].text = xml_safe("\n".join(restating_event(e) for e in item.events))


def _exceptions(document: Document, summary: Summary) -> None:
    exceptions = summary.exceptions
    document.add_heading("Exceptions for the committee", level=1)
    _listing(
        document,
        "Overdue and neither RED nor extended",
        ["Item", "Status", "Due", "Days overdue", "Owner"],
        [
            [o.key, o.status, o.due.isoformat(), o.days_overdue, o.owner or ""]
            for o in exceptions.overdue
        ],
        "None: every item past its due date is RED or has been extended.",
    )
    _listing(
        document,
        "Deadline extensions since the previous meeting"
        if summary.previous_meeting
        else "Deadline extensions recorded",
        ["Item", "Effective", "From", "To", "Reason", "Recorded by"],
        [
            [
                e.key,
                e.on.isoformat(),
                e.previous_due.isoformat() if e.previous_due else "",
                e.due.isoformat(),
                e.reason,
                e.actor,
            ]
            for e in exceptions.extensions
        ],
        "None.",
    )
    _listing(
        document,
        "Slippage",
        ["Item", "Status", "Original due", "Due now", "Times extended", "Days past original"],
        [
            [
                s.key,
                s.status,
                s.original_due.isoformat(),
                s.due.isoformat(),
                s.times_extended,
                s.days_past_original,
            ]
            for s in exceptions.slippage
        ],
        "No open item is past its original due date or has been extended.",
    )
    _listing(
        document,
        "Awaiting sign-off",
        ["Item", "Status", "Asks for", "Since", "Asked by", "Evidence"],
        [
            [
                p.key,
                p.status,
                p.request,
                p.pending["on"],
                p.pending["actor"],
                evidence_text(p.pending),
            ]
            for p in exceptions.claimed
        ],
        "Nothing awaits sign-off.",
    )
    _listing(
        document,
        "Extension requests for the committee to grant",
        ["Item", "Status", "From", "To", "Since", "Asked by", "Justification"],
        [
            [
                p.key,
                p.status,
                p.pending["previous_due"] or "",
                p.pending["due"],
                p.pending["on"],
                p.pending["actor"],
                evidence_text(p.pending),
            ]
            for p in exceptions.requested_extensions
        ],
        "None.",
    )


def _appendix(document: Document, appendix: Appendix) -> None:
    document.add_page_break()
    document.add_heading("Appendix: progress on every open recommendation", level=1)
    document.add_paragraph(
        "Recommendations implemented (GREEN) or closed and already reported to the "
        "committee are not included."
    )
    definitions = _table(document, ["Status", "Definition"])
    for status, text in DEFINITIONS:
        cells = definitions.add_row().cells
        cells[0].text, cells[1].text = status, text
        _shade(cells[0], FILLS[status])
    for report in appendix.reports:
        document.add_heading(xml_safe(report.report.title), level=2)
        if report.report.restricted:
            document.add_paragraph(WITHHELD_NOTE.capitalize() + ".")
        document.add_paragraph(xml_safe(report.description))
        document.add_paragraph(xml_safe(report.sentence))
        if not report.items:
            continue
        items = _table(
            document,
            ["Ref", "Recommendation or area for improvement", "Status", "Due date", "Comment"],
            widths=(12, 70, 22, 30, 46),
        )
        for item in report.items:
            cells = items.add_row().cells
            cells[0].text = item.ref
            cells[1].text = xml_safe(f"{item.kind}: {item.text}")
            cells[2].text = xml_safe(appendix_status(item, "\n"))
            _shade(cells[2], FILLS[item.status])
            cells[3].text = xml_safe(item.due_written + ("\nOVERDUE" if item.overdue else ""))
            cells[4].text = xml_safe(item.comment or "")


def _not_for_the_force(document: Document, summary: Summary) -> None:
    """The section, when any item is not the force's (none: no heading)."""
    if not summary.not_for_the_force:
        return
    document.add_heading(relevance.TITLE, level=1)
    document.add_paragraph(relevance.INTRO)
    table = _table(document, relevance.COLUMNS, widths=(25, 70, 35, 18, 50, 22))
    for values in relevance.rows(summary.not_for_the_force):
        for target, value in zip(table.add_row().cells, values, strict=True):
            target.text = xml_safe(value)


def _table(document: Document, headers: Sequence[str], widths: Sequence[int] = ()) -> Table:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    # Repeat the header row on every page the table runs to.
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, HEADER_FILL)
    for column, width in zip(table.columns, widths, strict=False):
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _listing(
    document: Document, title: str, headers: Sequence[str], rows: list[list[Any]], empty: str
) -> None:
    document.add_heading(title, level=2)
    if not rows:
        document.add_paragraph(empty).runs[0].italic = True
        return
    table = _table(document, headers)
    for values in rows:
        for target, value in zip(table.add_row().cells, values, strict=True):
            target.text = xml_safe(str(value))
        if values[1] in FILLS:
            _shade(table.rows[-1].cells[1], FILLS[values[1]])


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def reproducible_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so the same paper is the
    same bytes whenever it is written (the package writer dates members with the time
    of writing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, source.read(member.filename))
    return fixed.getvalue()
