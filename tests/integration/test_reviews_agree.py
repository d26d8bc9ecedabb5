"""The paper's "Reports for review" reads the same from the stored read model as from the
fold, as at every meeting and as known at every moment: meetings scheduled with reviews
and their reviews changed or cleared before, between and after the items' changes, the
model brought up to date at random moments in between, on each store."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import open_ledger
from projections.committee import summary_of
from projections.recorded import Recorded
from projections.store import TimelineStore
from tests.unit.test_time import ME, START, TODAY, build_history, operations

DAYS = st.sampled_from(range(0, (TODAY - START).days + 1, 61))
#: The reports a meeting may review, in some order (the empty list clears).
REVIEWS = st.sampled_from([[], ["R"], ["S"], ["R", "S"], ["S", "R"]])


@pytest.fixture
def fresh(target: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """A new, empty ledger on ``target``'s kind of store each time it is called: every
    example hypothesis draws needs a ledger of its own."""
    if not target.startswith("postgresql"):
        return lambda: str(tmp_path / f"{uuid.uuid4().hex}.db")
    server = request.getfixturevalue("postgres")
    return lambda: server.create_database(f"ragw_reviews_{uuid.uuid4().hex[:16]}")  # type: ignore[no-any-return]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    meetings=st.dictionaries(DAYS, st.tuples(st.integers(0, 25), REVIEWS), min_size=1, max_size=3),
    changes=st.lists(st.tuples(st.integers(0, 25), st.integers(0, 2), REVIEWS), max_size=4),
    reads=st.sets(st.integers(0, 25), max_size=4),
    encrypted=st.booleans(),
    data=st.data(),
)
def test_the_reports_for_review_read_the_same_from_the_model_and_the_fold(
    fresh: Callable[[], str],
    ops: list[tuple[str, int, int, str, int]],
    meetings: dict[int, tuple[int, list[str]]],
    changes: list[tuple[int, int, list[str]]],
    reads: set[int],
    encrypted: bool,
    data: st.DataObject,
) -> None:
    """On ledgers kept in clear and encrypted ones (their read model sealed)."""
    where = fresh()
    key = AESCipher.create_key(32) if encrypted else None
    ledger = open_ledger(where, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    store = TimelineStore(ledger, where)
    days = [START + timedelta(days=offset) for offset in sorted(meetings)]

    def meanwhile(index: int) -> None:
        if index == 0:
            ledger.register_report("S", title="s", scope="national", published=START, actor=ME)
            ledger.issue_recommendation("S", "1", kind="afi", text="s", actor=ME, on=START)
            ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for offset, (position, review) in meetings.items():
            if position == index or (index == len(ops) and position > index):
                day = START + timedelta(days=offset)
                ledger.schedule_meeting("C", day, review=review, actor=ME, on=START)
        for position, which, review in changes:
            scheduled = [d for d in days if d in ledger.get_committee("C").meetings]
            if position == index and scheduled:
                day = scheduled[which % len(scheduled)]
                if tuple(review) != ledger.get_committee("C").reviews.get(day, ()):
                    ledger.review_at_meeting("C", day, review, actor=ME, on=START)
        if index in reads:
            store.catch_up()

    try:
        build_history(ops, into=ledger, between=meanwhile)
        events = [e for _, e in ledger.read_log()]
        for day in days:
            known_at = data.draw(st.sampled_from([None, *(e.timestamp for e in events)]))
            folded = Recorded.of(events, known_at)
            committee = folded.committees.get("C")
            if committee is None or day not in committee.meetings:
                continue  # not yet scheduled as known then
            kept = summary_of(Recorded.stored(store, known_at), "C", day)
            assert kept.to_json()["reviewed"] == summary_of(folded, "C", day).to_json()["reviewed"]
    finally:
        store.close()
        ledger.close()
