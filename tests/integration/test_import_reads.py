"""What an import reads in bulk is what the ledger holds: items' states as at a day from
the read model are the fold's, and items loaded a page per query from the store are the
aggregates the ledger loads one at a time, on every history."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.exchange.known import Current, aggregates
from ledger.keys import recommendation_id, split_key
from projections.recorded import Recorded
from projections.store import TimelineStore
from projections.store.current import states_as_at
from tests.integration.test_timeline_store import DAYS, boundaries, copy_into
from tests.unit.test_time import START, build_history, operations


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, days=st.lists(DAYS, min_size=1, max_size=4), data=st.data())
def test_states_an_import_reads_from_the_read_model_are_the_folds(
    tmp_path: Path, ops: list[tuple[str, int, int, str, int]], days: list[int], data: st.DataObject
) -> None:
    events = [e for _, e in build_history(ops).read_log()]
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = copy_into(where, events)
    store = TimelineStore(ledger, where)
    try:
        store.catch_up()
        recorded = Recorded.of(events, None)
        keys = sorted(recorded.states_as_at(START + timedelta(days=10_000)))
        keys = sorted(set(keys) | {"R1/999"})  # and one the ledger does not hold
        edges = sorted(boundaries(events))
        for offset in days:
            day = data.draw(st.sampled_from([START + timedelta(days=offset), *edges]))
            folded = {
                (key, day): Current(state.status, state.due, state.owner, state.comment, state.kind)
                for key, state in recorded.states_as_at(day).items()
            }
            assert states_as_at(store, [(key, day) for key in keys]) == folded
        ids = [recommendation_id(*split_key(key)) for key in keys]
        loaded = aggregates(ledger, ids)
        one_at_a_time: dict[Any, Any] = {}
        for stream in ids:
            if stream in ledger.repository:
                one_at_a_time[stream] = ledger.repository.get(stream)
        assert {s: a.history for s, a in loaded.items()} == {
            s: a.history for s, a in one_at_a_time.items()
        }
        assert {s: a.version for s, a in loaded.items()} == {
            s: a.version for s, a in one_at_a_time.items()
        }
    finally:
        store.close()
        ledger.close()
