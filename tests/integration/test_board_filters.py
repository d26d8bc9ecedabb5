"""The board read from the stored model lists exactly the items the fold lists, for every
filter (report, owner in any letter case, each status including NOT ASSESSED, overdue,
pending sign-off) and every combination of them, as at several days and as known at
several moments, on SQLite and PostgreSQL; and both list what the filters' plain
meaning says, so a rule changed on both paths alike is caught too."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import Ledger, open_ledger
from projections.board import board_item, board_of, stored_board
from projections.recorded import Recorded
from projections.rows import BOARD_STATUSES, NOT_ASSESSED, board_counts
from projections.store import TimelineStore
from projections.text import compact
from tests.integration.test_timeline_store import copy_into
from tests.unit.test_time import ME, START, build_history, operations

NOW = date(2021, 6, 1)
OWNER = "Head of Roads"
#: The days asked about: before and after due dates, changes and requests.
DAYS = (date(2019, 3, 1), date(2019, 12, 31), date(2020, 7, 1), NOW)
REPORTS = (None, "HATE18", "PEEL19", "NONE")
OWNERS = (None, "head of roads", "HEAD OF ROADS", "Chief constable", "nobody")
STATUSES = (None, *BOARD_STATUSES)


def record_history(ledger: Ledger) -> list[datetime | None]:
    """Two reports whose items take every status, fall past due as WHITE, CLOSED and
    NOT ASSESSED, await each kind of sign-off and have owners written in different
    letter case; recorded in three rounds, later ones backdated. Returns the moments
    between the rounds, and None for "as known now"."""

    def item(key: str) -> Any:
        return ledger.get_recommendation(key)

    ledger.register_report(
        "HATE18",
        title="Old",
        scope="force",
        published=date(2018, 3, 1),
        actor=ME,
        on=date(2018, 3, 1),
    )
    ledger.register_report(
        "PEEL19",
        title="New",
        scope="force",
        published=date(2019, 5, 1),
        actor=ME,
        on=date(2019, 5, 1),
    )
    issued = [
        ("HATE18", "1", "2019-01-31", "Head of Roads"),
        ("HATE18", "2", "2019-12-31", "HEAD OF ROADS"),
        ("HATE18", "3", "2019-01-31", "head of roads"),
        ("HATE18", "4", "2018-12-31", "Chief Constable"),
        ("HATE18", "10", None, None),
        ("PEEL19", "1", "2020-12-31", "Chief Constable"),
        ("PEEL19", "2", "2019-09-30", "head of Roads"),
        ("PEEL19", "4a", "2020-03-31", "CHIEF CONSTABLE"),
        ("PEEL19", "10", "2019-11-30", None),
    ]
    for code, ref, due, owner in issued:
        on = date(2018, 3, 1) if code == "HATE18" else date(2019, 5, 1)
        ledger.issue_recommendation(
            code,
            ref,
            kind="recommendation",
            text=f"do {ref}",
            owner=owner,
            due=due,
            actor=ME,
            on=on,
        )
    ledger.change_status("HATE18/1", "AMBER", reason="slow", actor=ME, on=date(2018, 6, 1))
    ledger.change_status("HATE18/2", "RED", reason="stuck", actor=ME, on=date(2019, 2, 1))
    ledger.change_status("HATE18/3", "WHITE", reason="waits", actor=ME, on=date(2019, 3, 15))
    ledger.close_recommendation("HATE18/4", reason="superseded", actor=ME, on=date(2019, 5, 1))
    ledger.change_status("PEEL19/1", "GREEN", reason="done", actor=ME, on=date(2019, 10, 1))
    ledger.change_status("PEEL19/2", "AMBER", reason="slow", actor=ME, on=date(2019, 6, 1))
    ledger.change_status("PEEL19/4a", "RED", reason="stuck", actor=ME, on=date(2019, 6, 1))
    ledger.change_status("PEEL19/10", "AMBER", reason="slow", actor=ME, on=date(2019, 6, 1))
    first = datetime.now(UTC)
    ledger.claim_completion("PEEL19/2", evidence="done", actor=OWNER, on=date(2019, 12, 1))
    closing = item("PEEL19/4a")
    closing.request_closure("superseded", (), OWNER, date(2020, 5, 1))
    ledger.save_all(closing, what=closing.key)
    extending = item("PEEL19/10")
    extending.request_extension(date(2021, 12, 31), "new plan", (), OWNER, date(2019, 11, 15))
    ledger.save_all(extending, what=extending.key)
    ledger.change_status("PEEL19/1", "RED", reason="late", actor=ME, on=date(2019, 8, 1))
    ledger.correct_event("HATE18/1@2", reason="was never AMBER", actor=ME, on=NOW)
    second = datetime.now(UTC)
    ledger.sign_off("PEEL19/2", actor=ME, on=date(2020, 6, 1))
    ledger.assign_owner("HATE18/10", "HEAD of roads", actor=ME, on=date(2021, 1, 1))
    ledger.change_status("HATE18/2", "AMBER", reason="moving", actor=ME, on=date(2020, 1, 1))
    return [first, second, None]


@pytest.fixture(params=["clear", "encrypted"])
def recorded_history(
    target: str, request: pytest.FixtureRequest
) -> Iterator[tuple[Ledger, TimelineStore, list[Any]]]:
    """The history in a ledger kept in clear, or encrypted (its read model sealed)."""
    key = AESCipher.create_key(32) if request.param == "encrypted" else None
    ledger = open_ledger(target, create=True, encryption_key=key)
    ledger.today = lambda: NOW  # type: ignore[method-assign]
    moments = record_history(ledger)
    store = TimelineStore(ledger, target)
    yield ledger, store, moments
    store.close()
    ledger.close()


def plainly_shown(
    item: dict[str, Any], report: Any, owner: Any, status: Any, overdue: bool, pending: bool
) -> bool:
    """What each filter means, written out here apart from the code under test."""
    return (
        (report is None or item["report"] == report)
        and (owner is None or (item["owner"] or "").lower() == owner.lower())
        and (status is None or (item["status"] or "NOT ASSESSED") == status)
        and (not overdue or item["overdue"] is True)
        and (not pending or item["pending"] is not None)
    )


def test_the_history_holds_every_case_the_filters_must_tell_apart(
    recorded_history: Any,
) -> None:
    """So the comparison below cannot pass by having nothing to compare."""
    ledger, _, _ = recorded_history
    events = [e for _, e in ledger.read_log()]
    seen: set[Any] = set()
    for day in DAYS:
        for item in board_of(Recorded.of(events), as_at=day).items:
            seen.add(item.status or NOT_ASSESSED)
            seen.add(("overdue", item.status or NOT_ASSESSED, item.overdue))
            if item.pending:
                seen.add(("pending", item.pending["request"]))
            seen.add(("owner", item.owner))
    assert set(BOARD_STATUSES) <= seen
    past_due_not_overdue = {("overdue", s, False) for s in ("WHITE", "CLOSED", "GREEN")}
    assert past_due_not_overdue <= seen
    assert {("overdue", s, True) for s in ("AMBER", "RED", NOT_ASSESSED)} <= seen
    assert {("pending", r) for r in ("GREEN", "CLOSED", "EXTENSION")} <= seen
    assert {("owner", o) for o in ("Head of Roads", "HEAD OF ROADS", "head of roads")} <= seen


def test_the_board_as_at_a_day_is_what_happened_by_then(recorded_history: Any) -> None:
    """Status, overdue and pending of every item on 2020-07-01 as known now, by hand."""
    ledger, store, _ = recorded_history
    expected = {
        "PEEL19/1": ("GREEN", False, None),  # RED, backdated, before it was GREEN
        "PEEL19/2": ("GREEN", False, None),  # signed off as of 2020-06-01
        "PEEL19/4a": ("RED", True, "CLOSED"),
        "PEEL19/10": ("AMBER", True, "EXTENSION"),  # the extension awaits sign-off
        "HATE18/1": (None, True, None),  # its AMBER was corrected away
        "HATE18/2": ("AMBER", True, None),
        "HATE18/3": ("WHITE", False, None),  # past due, but WHITE is never overdue
        "HATE18/4": ("CLOSED", False, None),
        "HATE18/10": (None, False, None),  # no due date
    }
    day = date(2020, 7, 1)
    for board in (
        board_of(Recorded.of([e for _, e in ledger.read_log()]), as_at=day).items,
        [board_item(line) for line in stored_board(store, as_at=day)],
    ):
        found = {i.key: (i.status, i.overdue, i.pending and i.pending["request"]) for i in board}
        assert found == expected
        # Newest report first, refs as the report numbers them.
        assert [i.key for i in board] == [
            "PEEL19/1",
            "PEEL19/2",
            "PEEL19/4a",
            "PEEL19/10",
            "HATE18/1",
            "HATE18/2",
            "HATE18/3",
            "HATE18/4",
            "HATE18/10",
        ]


def test_every_filter_and_combination_lists_the_same_items_from_the_fold_and_the_store(
    recorded_history: Any,
) -> None:
    ledger, store, moments = recorded_history
    events = [e for _, e in ledger.read_log()]
    for known in moments:
        recorded = Recorded.of(events, known)
        for day in DAYS:
            everything = [compact(i.to_json()) for i in board_of(recorded, as_at=day).items]
            documents = [board_item(line).to_json() for line in everything]
            for report, owner, status, overdue, pending in itertools.product(
                REPORTS, OWNERS, STATUSES, (False, True), (False, True)
            ):
                filters: dict[str, Any] = {
                    "report": report,
                    "owner": owner,
                    "status": status,
                    "overdue": overdue,
                    "pending": pending,
                }
                meant = [
                    line
                    for line, document in zip(everything, documents, strict=True)
                    if plainly_shown(document, **filters)
                ]
                folded = [
                    compact(i.to_json()) for i in board_of(recorded, as_at=day, **filters).items
                ]
                kept = list(stored_board(store, as_at=day, as_known_at=known, **filters))
                question = (day, known, filters)
                assert folded == meant, question
                assert kept == meant, question


def test_the_boards_totals_count_each_status_and_the_requests_awaiting_sign_off(
    recorded_history: Any,
) -> None:
    ledger, _, _ = recorded_history
    board = board_of(Recorded.of([e for _, e in ledger.read_log()]), as_at=date(2020, 7, 1))
    assert board.counts() == {
        "AMBER": 2,
        "CLOSED": 1,
        "GREEN": 2,
        NOT_ASSESSED: 2,
        "RED": 1,
        "WHITE": 1,
        "pending sign-off": 2,
    }
    assert list(board.counts()) == sorted(board.counts())  # the footer's order
    assert board_counts([]) == {}


FILTERS = st.fixed_dictionaries(
    {
        "report": st.sampled_from([None, "R", "S"]),
        "owner": st.sampled_from([None, "owner 1", "OWNER 1", "Owner 2", "owner 9"]),
        "status": st.sampled_from(STATUSES),
        "overdue": st.booleans(),
        "pending": st.booleans(),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    questions=st.lists(st.tuples(st.integers(-1, 800), FILTERS), min_size=1, max_size=6),
    encrypted=st.booleans(),
    data=st.data(),
)
def test_on_random_histories_each_filter_lists_the_same_items_from_the_fold_and_the_store(
    tmp_path: Path,
    ops: list[tuple[str, int, int, str, int]],
    questions: list[tuple[int, dict[str, Any]]],
    encrypted: bool,
    data: st.DataObject,
) -> None:
    """On ledgers kept in clear and encrypted ones (their read model sealed)."""
    events = [e for _, e in build_history(ops).read_log()]
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = copy_into(
        where, events, encryption_key=AESCipher.create_key(32) if encrypted else None
    )
    store = TimelineStore(ledger, where)
    try:
        for offset, filters in questions:
            day = START + timedelta(days=offset)
            known = data.draw(st.sampled_from([None, *(e.timestamp for e in events)]))
            recorded = Recorded.of(events, known)
            everything = [i.to_json() for i in board_of(recorded, as_at=day).items]
            meant = [compact(d) for d in everything if plainly_shown(d, **filters)]
            folded = [compact(i.to_json()) for i in board_of(recorded, as_at=day, **filters).items]
            assert folded == meant
            assert list(stored_board(store, as_at=day, as_known_at=known, **filters)) == meant
    finally:
        store.close()
        ledger.close()
