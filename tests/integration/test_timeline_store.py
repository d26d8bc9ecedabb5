"""The stored read model answers 'as at D, as known at T' exactly as the fold does, is
kept in step exactly once, catches up by itself, survives a crash and rebuilds the same."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import LedgerEvent
from ledger import Ledger, open_ledger
from ledger.backup import backup_lines, read_backup
from projections.recorded import Recorded
from projections.store import TimelineStore
from tests.unit.test_time import ME, START, TODAY, build_history, operations

DAYS = st.sampled_from(range(-1, (TODAY - START).days + 1, 7))


def copy_into(target: str, events: list[LedgerEvent]) -> Ledger:
    """A real store holding exactly these events (restored, so times are kept)."""
    import json

    ledger = open_ledger(target, create=True)
    lines = [json.dumps(line) for line in backup_lines(events)]
    ledger.restore_backup(read_backup(lines), source="history")
    return ledger


def expected(events: list[LedgerEvent], day: date, known_at: Any) -> dict[Any, Any]:
    return Recorded.of(events, known_at).states_as_at(day)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, days=st.lists(DAYS, min_size=1, max_size=4), data=st.data())
def test_the_store_answers_as_at_and_as_known_at_exactly_as_the_fold(
    tmp_path: Path, ops: list[tuple[str, int, int, str, int]], days: list[int], data: st.DataObject
) -> None:
    """On SQLite files (a database per example); the tests below cover PostgreSQL."""
    events = [e for _, e in build_history(ops).read_log()]
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = copy_into(where, events)
    store = TimelineStore(ledger, where)
    try:
        edges = sorted(boundaries(events))
        for offset in days:
            day = data.draw(st.sampled_from([START + timedelta(days=offset), *edges]))
            known_at = data.draw(st.sampled_from([None, *(e.timestamp for e in events)]))
            assert store.states_as_at(day, known_at) == expected(events, day, known_at)
    finally:
        store.close()
        ledger.close()


def history_with_corrections() -> list[LedgerEvent]:
    ops = [("status", 0, 100, "GREEN", 1), ("extend", 1, 120, "AMBER", 90),
           ("status", 1, 200, "RED", 1), ("correct", 0, 210, "AMBER", 1),
           ("note", 2, 300, "AMBER", 5), ("close", 2, 400, "AMBER", 1),
           ("status", 0, 150, "WHITE", 1), ("correct", 1, 420, "AMBER", 2)]  # fmt: skip
    return [e for _, e in build_history(ops).read_log()]


def boundaries(events: list[LedgerEvent]) -> set[date]:
    """The days a state can change, and the days before them: where spans meet."""
    return {e.on for e in events} | {e.on - timedelta(days=1) for e in events}


def all_questions(events: list[LedgerEvent]) -> list[tuple[date, Any]]:
    days = sorted(boundaries(events) | {START + timedelta(days=d) for d in range(-1, 731, 30)})
    moments = [None, *(e.timestamp for e in events)]
    return [(day, known) for day in days for known in moments[:: max(1, len(moments) // 8)]]


@pytest.fixture
def stored(target: str) -> Iterator[tuple[list[LedgerEvent], Ledger, TimelineStore]]:
    """A history with corrections and closures in a real store, and its read model."""
    events = history_with_corrections()
    ledger = copy_into(target, events)
    store = TimelineStore(ledger, target)
    yield events, ledger, store
    store.close()
    ledger.close()


def test_the_store_matches_the_fold_on_each_kind_of_store(stored: Any) -> None:
    events, _, store = stored
    for day, known in all_questions(events):
        assert store.states_as_at(day, known) == expected(events, day, known), (day, known)


def test_the_store_catches_up_with_events_another_writer_recorded(stored: Any, target: str) -> None:
    events, _, store = stored
    assert store.states_as_at(TODAY) == expected(events, TODAY, None)
    other = open_ledger(target, create=False)
    other.today = lambda: TODAY  # type: ignore[method-assign]
    other.change_status("R/1", "GREEN", actor=ME, on=TODAY - timedelta(days=1))
    everything = [e for _, e in other.read_log()]
    assert store.states_as_at(TODAY) == expected(everything, TODAY, None)
    assert store.position() == other.last_position()
    other.close()


def test_a_crash_mid_page_leaves_the_store_where_it_was_and_the_next_read_completes(
    stored: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    events, _, store = stored
    real_apply = TimelineStore._apply
    calls = {"n": 0}

    def crash_on_the_second_item(self: TimelineStore, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        real_apply(self, *args)

    monkeypatch.setattr(TimelineStore, "_apply", crash_on_the_second_item)
    with pytest.raises(RuntimeError):
        store.catch_up()
    assert store.position() == 0, "nothing of the page was kept"
    monkeypatch.setattr(TimelineStore, "_apply", real_apply)
    for day, known in all_questions(events):
        assert store.states_as_at(day, known) == expected(events, day, known)


def test_a_rebuild_derives_the_same_model_from_nothing(stored: Any) -> None:
    events, ledger, store = stored
    store.catch_up()
    before = [store.states_as_at(day, known) for day, known in all_questions(events)]
    assert store.rebuild() == len(events)
    assert [store.states_as_at(day, known) for day, known in all_questions(events)] == before
    assert store.position() == ledger.last_position()
