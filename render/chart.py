"""The paper's chart as geometry: stacked bars of outstanding items per status at each
of the committee's meetings, in the page's SVG units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projections.committee import MeetingTotals

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
