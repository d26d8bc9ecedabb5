"""A replay folds the events; the stored read model answers "as known at" from its
spans. For random histories (back-dated changes, corrections, requests and sign-offs,
meetings added before, between and after them), every step of an item's replay is the
stored board's row as known at that step's moment, and every step of a meeting's replay
is the stored summary's counts as known then."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import LedgerEvent, RecommendationEvent, RecommendationIssued
from ledger import open_ledger
from projections.board import board_item, stored_board
from projections.committee import summary_of
from projections.recorded import Recorded
from projections.replay import item_steps, meeting_steps
from projections.store import TimelineStore
from tests.unit.test_time import ME, START, TODAY, build_history, operations

DAYS = st.integers(0, (TODAY - START).days)


def unique_moments(events: list[LedgerEvent]) -> set[datetime]:
    """Moments only one event was recorded at: as known then is just after it."""
    seen: dict[datetime, int] = {}
    for event in events:
        seen[event.timestamp] = seen.get(event.timestamp, 0) + 1
    return {moment for moment, n in seen.items() if n == 1}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    meetings=st.dictionaries(DAYS, st.integers(0, 25), min_size=1, max_size=3),
    data=st.data(),
)
def test_every_replayed_step_is_what_the_stored_model_says_was_known_at_its_moment(
    tmp_path: Path,
    key: str | None,
    ops: list[tuple[str, int, int, str, int]],
    meetings: dict[int, int],
    data: Any,
) -> None:
    """On ledgers kept in clear and encrypted ones (their read model sealed)."""
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = open_ledger(where, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    days = {offset: START + timedelta(days=offset) for offset in meetings}

    def meanwhile(index: int) -> None:
        if index == 0:
            ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for offset, position in meetings.items():
            if position == index or (index == len(ops) and position > index):
                ledger.schedule_meeting("C", days[offset], actor=ME, on=START)

    store = TimelineStore(ledger, where)
    try:
        build_history(ops, into=ledger, between=meanwhile)
        store.catch_up()
        events = [e for _, e in ledger.read_log()]
        once = unique_moments(events)
        keys = {
            e.originator_id: f"{e.report}/{e.ref}"
            for e in events
            if isinstance(e, RecommendationIssued)
        }
        compared = 0
        for stream, key in keys.items():
            mine = [
                e
                for e in events
                if isinstance(e, RecommendationEvent) and e.originator_id == stream
            ]
            for step in item_steps(key, mine, scope="force", as_at=TODAY):
                if step.event.timestamp not in once:
                    continue
                lines = stored_board(store, as_at=TODAY, as_known_at=step.event.timestamp)
                rows = [board_item(line).to_json() for line in lines]
                assert [r for r in rows if r["key"] == key] == ([step.state] if step.state else [])
                compared += 1
        assert compared
        day = data.draw(st.sampled_from(sorted(days.values())))
        for step in meeting_steps("C", day, events):
            if step.event.timestamp in once:
                then = summary_of(Recorded.stored(store, step.event.timestamp), "C", day)
                assert then.to_json()["totals"] == step.state
    finally:
        store.close()
        ledger.close()
