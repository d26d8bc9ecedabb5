"""The committee paper as one self-contained HTML page, ready to print on A4.

Nothing is fetched: the style sheet and the chart (SVG) are inline, so the file can
be mailed, archived and opened years later as it was. Every value is escaped by the
template engine, whatever an item's text contains. The page is a pure function of
the paper: the same paper renders to the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

    from projections.committee import Counts, MeetingTotals, Paper

#: Outstanding statuses, bottom of each bar first.
CHART_STATUSES = ("RED", "AMBER", "WHITE")


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    label: str
    paper: str | None
    x: float
    width: float
    total: int
    top: float
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    ticks: list[tuple[int, float]]


def chart_of(series: list[MeetingTotals], *, width: int = 640, height: int = 240) -> Chart:
    """Stacked bars: outstanding items per status at each of the committee's meetings."""
    left, right, top, bottom = 40.0, 10.0, 20.0, 40.0
    baseline = height - bottom
    peak = max((t.counts.outstanding for t in series), default=0) or 1
    step = _nice_step(peak)
    scale_top = -(-peak // step) * step
    per_unit = (baseline - top) / scale_top
    slot = (width - left - right) / max(len(series), 1)
    bar_width = min(60.0, slot * 0.6)
    bars = []
    for index, totals in enumerate(series):
        x = left + slot * index + (slot - bar_width) / 2
        y = baseline
        segments = []
        for status in CHART_STATUSES:
            count = totals.counts[status]
            if count:
                h = count * per_unit
                y -= h
                segments.append(Segment(status, count, round(y, 1), round(h, 1)))
        bars.append(
            Bar(
                label=totals.meeting.on.strftime("%d %b %Y"),
                paper=totals.meeting.paper,
                x=round(x, 1),
                width=round(bar_width, 1),
                total=totals.counts.outstanding,
                top=round(y, 1),
                segments=segments,
            )
        )
    ticks = [(v, round(baseline - v * per_unit, 1)) for v in range(0, scale_top + 1, step)]
    return Chart(width, height, baseline, bars, ticks)


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if peak / step <= 6:
            return step
    return 10_000


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    from ledger.state import asks_for

    env = Environment(
        loader=PackageLoader("cli", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = cell_lines
    env.filters["long_date"] = _long_date
    env.filters["asks_for"] = lambda pending: asks_for(pending["request"], pending["due"])
    return env


def cell_lines(counts: Counts) -> list[tuple[str, int]]:
    """(status, count) pairs as a summary cell prints them, RED without its new ones."""
    from projections.committee import NEW_RED, NOT_ASSESSED

    shown = {**counts, "RED": counts["RED"] - counts[NEW_RED]}
    order = ("NEW GREEN", "AMBER", "RED", NEW_RED, "WHITE", "CLOSED", NOT_ASSESSED)
    return [(k, shown[k]) for k in order if shown.get(k)]


def _long_date(value: Any) -> str:
    from projections.committee import long_date

    return long_date(value)


def render_html(paper: Paper) -> str:
    from projections.committee import COUNT_KEYS, DEFINITIONS, NOT_ASSESSED
    from projections.log import iso_utc

    summary = paper.summary
    keys = list(COUNT_KEYS[:-1])
    if any(t[s][NOT_ASSESSED] for t in summary.totals.values() for s in t):
        keys.append(NOT_ASSESSED)
    return (
        environment()
        .get_template("paper.html.j2")
        .render(
            paper=paper,
            summary=summary,
            appendix=paper.appendix,
            exceptions=summary.exceptions,
            known_at=iso_utc(summary.known_at) if summary.known_at else None,
            digest=summary.digest,
            total_keys=keys,
            definitions=DEFINITIONS,
            chart=chart_of(paper.series),
            chart_statuses=CHART_STATUSES,
        )
    )
