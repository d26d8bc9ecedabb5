"""A replay's steps are the reads of their moment: after every event of an item, its
board row is the board's row as known just after that event was recorded; after every
event of the log, a meeting's counts are the summary's as known then, and the steps are
exactly the events that moved them. The incremental fold is the fold, step by step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import LedgerEvent, RecommendationEvent
from ledger import Ledger, NotFoundError
from ledger.state import fold_item
from projections.board import board_as_at
from projections.committee import summary_of
from projections.recorded import Recorded
from projections.replay import ItemFold, item_steps, meeting_steps
from tests.conftest import memory_ledger
from tests.unit.test_time import ME, START, TODAY, build_history, operations

DAYS = st.integers(0, (TODAY - START).days)


def log_of(ledger: Ledger) -> list[LedgerEvent]:
    return [event for _, event in ledger.read_log()]


def board_row(events: list[LedgerEvent], key: str, **when: Any) -> dict[str, Any] | None:
    rows = [i.to_json() for i in board_as_at(events, as_at=TODAY, **when).items if i.key == key]
    return rows[0] if rows else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_after_every_event_an_items_replayed_row_is_its_board_row_as_known_then(
    ops: list[tuple[str, int, int, str, int]],
) -> None:
    events = log_of(build_history(ops))
    compared = 0
    for ref in range(3):
        key = f"R/{ref}"
        mine = [e for e in events if isinstance(e, RecommendationEvent) and _key(events, e) == key]
        steps = list(item_steps(key, mine, scope="force", as_at=TODAY))
        assert [s.event for s in steps] == mine  # one step per event, in the order recorded
        for index, step in enumerate(steps):
            upto = events[: events.index(mine[index]) + 1]
            assert step.state == board_row(upto, key)  # the log up to it
            moment = mine[index].timestamp
            if all(e.timestamp != moment for e in events[len(upto) :]):
                assert step.state == board_row(events, key, as_known_at=moment)
                compared += 1
        assert steps[-1].state == board_row(events, key)
    assert compared


def _key(events: list[LedgerEvent], event: RecommendationEvent) -> str:
    issued = next(e for e in events if e.originator_id == event.originator_id)
    return f"{issued.report}/{issued.ref}"  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, as_at=DAYS, data=st.data())
def test_the_incremental_fold_is_the_fold_of_every_prefix_as_at_any_day(
    ops: list[tuple[str, int, int, str, int]], as_at: int, data: st.DataObject
) -> None:
    events = log_of(build_history(ops))
    day = START + timedelta(days=as_at)
    for ref in range(3):
        mine = [
            e
            for e in events
            if isinstance(e, RecommendationEvent) and _key(events, e) == f"R/{ref}"
        ]
        fold = ItemFold((day, None))
        for index, event in enumerate(mine):
            fold.add(event)
            assert fold.as_at(day) == fold_item(mine[: index + 1], as_at=day)
            assert fold.as_at(None) == fold_item(mine[: index + 1])
            if data.draw(st.booleans()):  # the days asked about can change midway
                other = START + timedelta(days=data.draw(DAYS))
                fold.track((other, None))
                assert fold.as_at(other) == fold_item(mine[: index + 1], as_at=other)
                fold.track((day, None))


def counts_then(events: list[LedgerEvent], day: date) -> dict[str, Any] | None:
    """The summary's totals for meeting ``day`` from exactly these events; None when the
    meeting is not known."""
    try:
        summary = summary_of(Recorded.of(events), "C", day)
    except NotFoundError:
        return None
    return summary.to_json()["totals"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=operations,
    meetings=st.dictionaries(DAYS, st.integers(0, 25), min_size=1, max_size=3),
    data=st.data(),
)
def test_a_meetings_steps_are_exactly_the_events_that_moved_its_counts_as_known_then(
    ops: list[tuple[str, int, int, str, int]], meetings: dict[int, int], data: st.DataObject
) -> None:
    """Meetings added before, between and after the changes: after every event of the
    log, the counts are those of the last step at or before it (no paper before the
    meeting is added), and every step moved them."""
    days = {offset: START + timedelta(days=offset) for offset in meetings}
    replayed = data.draw(st.sampled_from(sorted(days.values())))

    def meanwhile(index: int) -> None:
        if index == 0:
            ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for offset, position in meetings.items():
            if position == index or (index == len(ops) and position > index):
                ledger.schedule_meeting("C", days[offset], actor=ME, on=START)

    ledger = memory_ledger(today=TODAY)
    build_history(ops, into=ledger, between=meanwhile)
    events = log_of(ledger)
    steps = {id(s.event): s for s in meeting_steps("C", replayed, events)}
    shown: dict[str, Any] | None = None
    for index, event in enumerate(events):
        then = counts_then(events[: index + 1], replayed)
        step = steps.get(id(event))
        if step is not None:
            assert step.state != shown  # a step moved the counts
            shown = step.state
        assert then == shown
    assert shown == counts_then(events, replayed)


def test_a_back_dated_change_and_a_correction_fold_the_item_again() -> None:
    ledger = build_history(
        [
            ("status", 0, 300, "AMBER", 1),
            ("status", 0, 100, "RED", 1),  # back-dated before the AMBER
            ("correct", 0, 310, "AMBER", 1),  # retracts R/0@2: the AMBER
        ]
    )
    events = log_of(ledger)
    mine = [e for e in events if isinstance(e, RecommendationEvent) and _key(events, e) == "R/0"]
    steps = [
        s.state["status"] if s.state else None
        for s in item_steps("R/0", mine, scope="force", as_at=TODAY)
    ]
    assert steps == [None, "AMBER", "AMBER", "RED"]
