"""The paper's section "Not addressed to the force", as every front end prints it: its
title, what it says, its columns and its rows (the page, the Word document and the
summary's tables alike); and an appendix item's status with the item that superseded
it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from render.cells import status_with_pending

if TYPE_CHECKING:
    from projections.committee.appendix import AppendixItem
    from projections.committee.relevance import NotForTheForce

TITLE = "Not addressed to the force"
INTRO = (
    "Items on the ledger that are not the force's to act on: addressed to another body, "
    "they are not counted in the summary above."
)
COLUMNS = ("Item", "Recommendation", "Addressed to", "Status", "Why not the force's", "Since")


def rows(items: Sequence[NotForTheForce]) -> list[list[str]]:
    """One row an item: key, text, addressees as written, status, reason, since."""
    return [
        [
            item.key,
            item.text,
            "; ".join(item.to) or "not said",
            item.status,
            item.reason,
            (item.since.isoformat() if item.since else "")
            + (" (since the last meeting)" if item.since_last_meeting else ""),
        ]
        for item in items
    ]


def appendix_status(item: AppendixItem, between: str = " ") -> str:
    """ "CLOSED (superseded by PEEL1819/4)", or the status with what awaits sign-off."""
    status = status_with_pending(item.status, item.pending, between)
    if item.superseded_by:
        status += f"{between}(superseded by {item.superseded_by})"
    return status
