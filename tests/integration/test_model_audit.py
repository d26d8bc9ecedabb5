"""The audit behind `ragw verify` makes every row of the read model again from the events,
as the follower makes them: whatever the history (backdated changes, corrections,
closures, meetings before, between and after them) and however the model was brought up
to date (at random moments, a page at a time), an untouched model is found to be exactly
what the events give, on SQLite and on PostgreSQL, in clear and sealed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import open_ledger
from projections.store import TimelineStore
from projections.store.audit import Audited
from tests.integration.test_timeline_store import DAYS, audited, owned_history
from tests.unit.test_time import ME, START, TODAY, build_history, operations


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    meetings=st.dictionaries(DAYS, st.integers(0, 25), min_size=0, max_size=4),
    reads=st.sets(st.integers(0, 25), max_size=4),
)
def test_an_untouched_model_is_what_the_events_give_however_it_was_followed(
    tmp_path: Path,
    key: str | None,
    ops: list[tuple[str, int, int, str, int]],
    meetings: dict[int, int],
    reads: set[int],
) -> None:
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = open_ledger(where, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    store = TimelineStore(ledger, where)
    days = {offset: START + timedelta(days=offset) for offset in meetings}

    def meanwhile(index: int) -> None:
        if index == 0:
            ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for offset, position in meetings.items():
            if position == index or (index == len(ops) and position > index):
                ledger.schedule_meeting("C", days[offset], actor=ME, on=START)
        if index in reads:
            store.catch_up()

    try:
        build_history(ops, into=ledger, between=meanwhile)
        store.catch_up()
        found = audited(ledger, where)
        assert isinstance(found, Audited), found
        assert found.position == ledger.last_position() and found.behind == 0
    finally:
        store.close()
        ledger.close()


def test_an_untouched_model_of_corrections_closures_and_owners_checks_out_on_each_store(
    target: str, key: str | None
) -> None:
    _, ledger, store = owned_history(target, key)
    try:
        store.catch_up()
        found = audited(ledger, target)
        assert isinstance(found, Audited), found
        assert found.rows > 10 and found.behind == 0
        assert found.position == ledger.last_position()
    finally:
        store.close()
        ledger.close()
