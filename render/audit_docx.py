"""The audit pack as a Word document: the same content as its HTML page, in the paper's
look (A4, Arial, headings a reader can navigate by, tables whose header rows repeat on
every page). The same pack gives the same bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time
from typing import IO, TYPE_CHECKING

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from projections.committee import long_date
from projections.committee.withholding import NOT_FOR_PUBLICATION
from render.audit import TITLE, heading, sections
from render.cells import xml_safe
from render.docx import HEADER_FILL, reproducible_zip

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell

    from projections.usecases.audit import AuditPack

#: The verdict's shading: intact, failed.
VERDICT_FILLS = {True: "A8D5BA", False: "F4A09A"}


def write_audit_docx(pack: AuditPack, out: IO[bytes]) -> None:
    document = docx.Document()
    _page(document, pack)
    document.add_heading(xml_safe(f"{TITLE}: {pack.committee_name}"), level=0)
    if pack.includes_restricted:  # for the committee alone, under its title as a paper's
        document.add_paragraph().add_run(NOT_FOR_PUBLICATION).bold = True
    for label, value in heading(pack):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(xml_safe(value))
    for section in sections(pack):
        document.add_heading(section.title, level=1)
        for index, line in enumerate(section.said):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(xml_safe(line))
            if section.id == "verify" and index == 0:
                run.bold = True
                _shade_paragraph(paragraph, VERDICT_FILLS[pack.verdict.intact])
        for subtitle, table, empty in section.tables:
            if subtitle:
                document.add_heading(subtitle, level=2)
            if not table.rows:
                document.add_paragraph(empty).runs[0].italic = True
                continue
            _table(document, table.headers, table.rows)
    written = io.BytesIO()
    document.save(written)
    out.write(reproducible_zip(written.getvalue()))


def _page(document: Document, pack: AuditPack) -> None:
    """A4 landscape (the tables are wide), Arial 9pt, properties dated by the meeting."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    stamp = datetime.combine(pack.meeting, time(12, 0))
    properties = document.core_properties
    title = xml_safe(f"{TITLE}: {pack.committee_name}")
    # Word's document properties hold at most 255 characters; a longer name is cut there.
    properties.title = title if len(title) <= 255 else f"{title[:254]}…"
    properties.subject = f"Meeting of {long_date(pack.meeting)}"
    properties.author = "ragw"
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1


def _table(document: Document, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
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
    for values in rows:
        for target, value in zip(table.add_row().cells, values, strict=True):
            target.text = xml_safe(value)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _shade_paragraph(paragraph: object, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    paragraph._p.get_or_add_pPr().append(shading)  # type: ignore[attr-defined]
