"""The paper's "Reports for review" on a terminal: a heading, then a table per report,
printed after the summary's tables when the meeting reviews any."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.render import Output

if TYPE_CHECKING:
    from projections.committee.reviews import ReviewedReport


def reviewed_tables(reviewed: list[ReviewedReport]) -> list[Output]:
    """The section's tables; none when the meeting reviews no report."""
    if not reviewed:
        return []
    heading = Output(document=None, title="Reports for review", columns=[], rows=[])
    return [
        heading,
        *(
            Output(
                document=None,
                # on one line, whatever the title holds: a heading ends at a line break,
                # and what follows would print as the paper's own words
                title=f"{report.code}: {' '.join(report.title.split())}"
                if report.title
                else report.code,
                columns=["ref", "kind", "text", "status", "owner", "latest comment"],
                rows=[
                    [item.ref, item.kind, item.text, item.status, item.owner, item.latest_comment]
                    for item in report.items
                ],
                wrap={"text": 50, "latest comment": 40},
            )
            for report in reviewed
        ),
    ]
