"""The paper's chart: a bar per meeting, its outstanding items stacked RED, AMBER, WHITE
from the baseline up, on a scale with round ticks that reaches the tallest bar."""

from __future__ import annotations

from datetime import date

import pytest

from projections.committee import Counts, MeetingTotals
from projections.recorded import Meeting
from render.chart import chart_of


def totals(day: date, **counts: int) -> MeetingTotals:
    return MeetingTotals(Meeting("PRMSC", day, None), Counts(counts))


SERIES = [
    totals(date(2021, 2, 4), RED=3, AMBER=10, WHITE=4, **{"NEW GREEN": 6}),
    totals(date(2021, 5, 4), AMBER=7, WHITE=1, CLOSED=2),
]


def test_each_bar_stacks_its_outstanding_statuses_from_the_baseline() -> None:
    chart = chart_of(SERIES)
    february, may = chart.bars
    assert [(s.status, s.count) for s in february.segments] == [
        ("RED", 3),
        ("AMBER", 10),
        ("WHITE", 4),
    ]
    assert [(s.status, s.count) for s in may.segments] == [("AMBER", 7), ("WHITE", 1)]
    for bar in chart.bars:
        bottom = chart.baseline
        for segment in bar.segments:
            assert segment.y + segment.height == pytest.approx(bottom, abs=0.15)
            bottom = segment.y
        assert bar.top == bottom
    assert (february.total, may.total) == (17, 8)
    per_item = february.segments[1].height / 10
    assert may.segments[0].height == pytest.approx(7 * per_item, abs=0.15)
    assert (february.label, may.label) == ("04 Feb 2021", "04 May 2021")


def test_the_scale_starts_at_the_baseline_and_reaches_the_tallest_bar() -> None:
    chart = chart_of(SERIES)
    values = [value for value, _ in chart.ticks]
    assert values == [0, 5, 10, 15, 20]
    assert chart.ticks[0][1] == chart.baseline
    assert chart.ticks[-1][1] <= chart.bars[0].top


def test_a_committee_with_nothing_outstanding_still_has_a_scale() -> None:
    chart = chart_of([totals(date(2021, 2, 4), **{"NEW GREEN": 2})])
    assert [bar.segments for bar in chart.bars] == [[]]
    assert [value for value, _ in chart.ticks] == [0, 1]
