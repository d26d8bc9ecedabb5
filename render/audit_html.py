"""The audit pack as one self-contained HTML page, ready to print on A4, in the paper's
look.

Nothing is fetched: the style sheet is inline, so the file can be kept in an auditor's
file and opened years later as it was. Every value is escaped by the template engine,
whatever the ledger's texts contain. The page is a pure function of the pack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.committee import long_date
from projections.committee.withholding import NOT_FOR_PUBLICATION
from render.audit import TITLE, heading, sections
from render.html import environment

if TYPE_CHECKING:
    from projections.usecases.audit import AuditPack


def render_audit_html(pack: AuditPack) -> str:
    return (
        environment()
        .get_template("audit.html.j2")
        .render(
            pack=pack,
            not_for_publication=NOT_FOR_PUBLICATION,
            title=f"{TITLE}: {pack.committee_name}, meeting of {long_date(pack.meeting)}",
            heading=heading(pack),
            sections=sections(pack),
        )
    )
