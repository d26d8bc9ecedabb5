"""Restatements on random histories: read from the stored model they are what the fold of
the events says, and an item with nothing recorded since the paper is never listed."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from eventsourcing.cipher import AESCipher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import LedgerEvent, RecommendationEvent
from ledger import open_ledger
from projections.recorded import Recorded
from projections.restatements import (
    Restatement,
    folded_streams,
    known_in,
    recorded_by,
    restated,
    rows_of,
)
from projections.usecases import LedgerSession
from projections.usecases.papers import paper, record_issue
from projections.usecases.restatements import restatements
from tests.unit.test_time import ME, START, TODAY, build_history, operations


def folded(
    events: list[LedgerEvent], then: Recorded, known_then: object, meeting: date
) -> list[Restatement]:
    """What the pure fold of every event says, against ``then``."""
    now = Recorded.of(events)
    return restated(
        rows_of(then, "C", meeting),
        rows_of(now, "C", meeting),
        folded_streams(now),
        known_then,  # type: ignore[arg-type]
        meeting,
    )


def summary(found: list[Restatement]) -> list[tuple[object, ...]]:
    return [(r.key, r.then, r.now, [e.id for e in r.events]) for r in found]


def never_listed_unless_changed_since(
    found: list[Restatement], events: list[LedgerEvent], after: list[LedgerEvent]
) -> None:
    """Only items with an event the paper did not know are listed, each with such
    events only."""
    keys = {e.originator_id: f"{e.report}/{e.ref}" for e in events if hasattr(e, "ref")}
    unknown = {(e.originator_id, e.originator_version) for e in after}
    changed = {keys[e.originator_id] for e in after if isinstance(e, RecommendationEvent)}
    for item in found:
        assert item.key in changed, item
        assert item.events, item
        for record in item.events:
            assert (record.event.originator_id, record.event.originator_version) in unknown


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations.filter(lambda ops: len(ops) >= 6),
    meeting=st.integers(300, (TODAY - START).days),  # late: most changes count
    gap=st.integers(1, 200),
    issue_at=st.integers(0, 25),
    known=st.integers(0, 60),
    encrypted=st.booleans(),
)
def test_restatements_from_the_read_model_are_those_of_the_fold(
    tmp_path: Path,
    ops: list[tuple[str, int, int, str, int]],
    meeting: int,
    gap: int,
    issue_at: int,
    known: int,
    encrypted: bool,
) -> None:
    """On ledgers kept in clear and encrypted ones (their read model sealed)."""
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    key = AESCipher.create_key(32) if encrypted else None
    ledger = open_ledger(where, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    session = LedgerSession(where, ME, open_ledger=lambda write: ledger)
    day = START + timedelta(days=meeting)
    before = day - timedelta(days=gap)
    issued: list[int] = []

    def meanwhile(index: int) -> None:
        if index == 0:
            ledger.register_committee("C", name="Committee", actor=ME, on=START)
            ledger.schedule_meeting("C", before, actor=ME, on=START)
            ledger.schedule_meeting("C", day, actor=ME, on=START)
        if index == issue_at % (len(ops) + 1):
            record_issue(session, "C", day, paper(session, "C", day, to_issue=True))
            issued.append(ledger.last_position())

    try:
        build_history(ops, into=ledger, between=meanwhile)
        events = [e for _, e in ledger.read_log()]
        # since the paper as issued: the history up to its position
        if issued:
            position = issued[0]
            pinned_then = Recorded.of(events[: position - 1], events[position - 2].timestamp)
            modelled = restatements(session, "C", day).restatements.items
            expected = folded(events, pinned_then, known_in(pinned_then), day)
            assert summary(modelled) == summary(expected)
            never_listed_unless_changed_since(modelled, events, events[position - 1 :])
        # as known at a moment: any event's recording time
        moment = events[min(known, len(events) - 1)].timestamp
        modelled = restatements(session, "C", day, known_at=moment).restatements.items
        expected = folded(events, Recorded.of(events, moment), recorded_by(moment), day)
        assert summary(modelled) == summary(expected)
        never_listed_unless_changed_since(
            modelled, events, [e for e in events if e.timestamp > moment]
        )
        # the next paper's section is the same comparison, for the meeting before
        later = day + timedelta(days=1)
        ledger.schedule_meeting("C", later, actor=ME, on=START)
        section = paper(session, "C", later).paper.restated
        if issued:
            listed = restatements(session, "C", day).restatements.items
            assert summary(section.items if section else []) == summary(listed)
        else:  # never issued, and the whole ledger written after its day: no paper to restate
            assert section is None
    finally:
        session.close()
