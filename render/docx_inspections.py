"""The paper's "Inspections" and "Reports published" in the Word document: a heading and
a table each, only when it lists something (rows from :mod:`render.inspections`); and the
banner of a paper showing restricted reports in full."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from projections.committee.withholding import NOT_FOR_PUBLICATION
from render.cells import xml_safe
from render.inspections import section_tables

if TYPE_CHECKING:
    from projections.committee import Paper, Summary


def write_banner(document: Any, paper: Paper) -> None:
    """Under the heading of a paper for the committee alone: not for publication."""
    if paper.includes_restricted:
        document.add_paragraph().add_run(NOT_FOR_PUBLICATION).bold = True


def write_sections(document: Any, summary: Summary) -> None:
    for table in section_tables(summary):
        document.add_heading(table.heading, level=1)
        grid = document.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in table.rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = xml_safe(value)
