"""The paper's "Reports for review" in the Word document: the same content as the HTML
page's section, written with the document's own table and shading (passed in, so this
module stays a leaf of :mod:`render.docx`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from render.cells import FILLS, xml_safe

if TYPE_CHECKING:
    from docx.document import Document

    from projections.committee.reviews import ReviewedReport

#: The paper's table maker and cell shading, as :mod:`render.docx` defines them.
MakeTable = Callable[..., Any]
Shade = Callable[[Any, str], None]


def write_reviewed(
    document: Document, reviewed: Sequence[ReviewedReport], table: MakeTable, shade: Shade
) -> None:
    """ "Reports for review": a heading and a table per report; nothing when none."""
    if not reviewed:
        return
    document.add_heading("Reports for review", level=1)
    document.add_paragraph(
        "The reports this meeting reviews, in turn: every recommendation and area for "
        "improvement of each, with its status and owner as at the meeting and the force's "
        "latest comment."
    )
    for report in reviewed:
        document.add_heading(xml_safe(f"{report.code}: {report.title or ''}"), level=2)
        if not report.items:
            document.add_paragraph("No item of this report was on the ledger at the meeting.").runs[
                0
            ].italic = True
            continue
        items = table(
            document,
            ["Ref", "Recommendation or area for improvement", "Status", "Owner", "Latest comment"],
            (12, 70, 22, 30, 46),
        )
        for item in report.items:
            cells = items.add_row().cells
            cells[0].text = xml_safe(item.ref)
            cells[1].text = xml_safe(f"{item.kind}: {item.text}")
            cells[2].text = item.status
            shade(cells[2], FILLS[item.status])
            cells[3].text = xml_safe(item.owner or "")
            cells[4].text = xml_safe(item.latest_comment or "")
