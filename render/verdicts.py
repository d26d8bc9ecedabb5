"""The paper's section "The inspectorate's verdicts", as every front end prints it: its
title, what it says, its columns and its rows (the page and the Word document alike)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from render.cells import xml_safe

if TYPE_CHECKING:
    from docx.document import Document

    from projections.committee.verdicts import VerdictRow

TITLE = "The inspectorate's verdicts"
INTRO = (
    "Whether the inspectorate is satisfied that each recommendation has been properly "
    "addressed: its verdict, recorded by the inspectorate, beside the force's own status."
)
COLUMNS = ("Item", "Force's status", "Verdict", "By", "From", "Reason")


def rows(verdicts: Sequence[VerdictRow]) -> list[list[str]]:
    """One row an item: key, the force's status, the verdict, who gave it, from when, why."""
    return [
        [row.key, row.status, row.verdict, row.given_by, row.on.isoformat(), row.reason]
        for row in verdicts
    ]


def write_verdicts(
    document: Document, verdicts: Sequence[VerdictRow], table: Callable[..., Any]
) -> None:
    """The section in the Word document, with its table maker (:mod:`render.docx`'s,
    passed in so this module stays a leaf of it); nothing when no item was judged."""
    if not verdicts:
        return
    document.add_heading(TITLE, level=1)
    document.add_paragraph(INTRO)
    made = table(document, COLUMNS, widths=(25, 25, 25, 25, 22, 90))
    for values in rows(verdicts):
        for target, value in zip(made.add_row().cells, values, strict=True):
            target.text = xml_safe(value)
