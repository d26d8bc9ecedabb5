"""The committee paper as one self-contained HTML page, ready to print on A4.

Nothing is fetched: the style sheet and the chart (SVG) are inline, so the file can
be mailed, archived and opened years later as it was. Every value is escaped by the
template engine, whatever an item's text contains. The page is a pure function of
the paper: the same paper renders to the same bytes.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ledger.state import asks_for
from projections.committee import DEFINITIONS, long_date
from projections.committee.withholding import NOT_FOR_PUBLICATION
from projections.log import iso_utc
from render import relevance, verdicts
from render.cells import cell_lines, restating_event, total_keys
from render.chart import CHART_STATUSES, chart_of
from render.inspections import section_tables

if TYPE_CHECKING:
    from projections.committee import Paper


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = cell_lines
    env.filters["long_date"] = long_date
    env.filters["asks_for"] = lambda pending: asks_for(pending["request"], pending["due"])
    env.filters["restating"] = restating_event
    env.filters["moment"] = iso_utc
    return env


def render_html(paper: Paper) -> str:
    summary = paper.summary
    return (
        environment()
        .get_template("paper.html.j2")
        .render(
            paper=paper,
            not_for_publication=NOT_FOR_PUBLICATION,
            summary=summary,
            appendix=paper.appendix,
            exceptions=summary.exceptions,
            known_at=iso_utc(summary.known_at) if summary.known_at else None,
            digest=summary.digest,
            total_keys=total_keys(summary.totals),
            definitions=DEFINITIONS,
            chart=chart_of(paper.series),
            chart_statuses=CHART_STATUSES,
            inspection_tables=section_tables(summary),
            relevance=relevance,
            verdicts=verdicts,
        )
    )
