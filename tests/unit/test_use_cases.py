"""The rules the use cases hold: which items an owner's update sheet lists, what a
board's totals count, when a chain's verdict is a refusal, what a request awaits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ledger import Ledger, LedgerError
from ledger.chain import Break, Digest, Verdict
from projections.board import BoardItem
from projections.usecases import LedgerSession
from projections.usecases.access import awaiting_sign_off
from projections.usecases.board import ListedBoard, open_items_due_within, status_named
from projections.usecases.integrity import verified
from tests.conftest import memory_ledger

TODAY = date(2020, 6, 1)
ME = "Strategic Development"
LINK = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def item(key: str, status: str | None = "AMBER", due: date | None = None, **more: Any) -> BoardItem:
    fields: dict[str, Any] = {
        "key": key,
        "report": key.split("/")[0],
        "ref": key.split("/")[1],
        "kind": "afi",
        "scope": "force",
        "status": status,
        "due": due,
        "overdue": False,
        "owner": "DCI Crime",
        "text": "t",
        "lead": None,
        "comment": None,
        "pending": None,
    }
    return BoardItem(**{**fields, **more})


def keys(items: list[BoardItem]) -> list[str]:
    return [i.key for i in items]


# An owner's update sheet ---------------------------------------------------------------


def test_an_update_sheet_lists_items_due_within_the_span_including_its_last_day() -> None:
    items = [
        item("A/1", due=TODAY + timedelta(days=45)),
        item("A/2", due=TODAY + timedelta(days=46)),
    ]
    assert keys(open_items_due_within(items, today=TODAY, days=45)) == ["A/1"]


def test_an_update_sheet_within_a_span_lists_overdue_items_too() -> None:
    items = [item("A/1", due=TODAY - timedelta(days=300)), item("A/2", due=TODAY)]
    assert keys(open_items_due_within(items, today=TODAY, days=0)) == ["A/1", "A/2"]


def test_green_and_closed_items_are_never_on_an_update_sheet() -> None:
    items = [
        item("A/1", "GREEN", TODAY),
        item("A/2", "CLOSED", TODAY),
        item("A/3", "RED", TODAY),
        item("A/4", "WHITE", TODAY),
        item("A/5", None, TODAY),
    ]
    assert keys(open_items_due_within(items, today=TODAY, days=None)) == ["A/3", "A/4", "A/5"]
    assert keys(open_items_due_within(items, today=TODAY, days=30)) == ["A/3", "A/4", "A/5"]


def test_an_item_without_a_due_date_is_on_a_sheet_only_when_no_span_is_asked() -> None:
    items = [item("A/1", due=None)]
    assert keys(open_items_due_within(items, today=TODAY, days=None)) == ["A/1"]
    assert keys(open_items_due_within(items, today=TODAY, days=10_000)) == []


def test_an_update_sheet_lists_the_soonest_due_first_and_undated_items_last() -> None:
    items = [
        item("B/1", due=None),
        item("A/9", due=TODAY + timedelta(days=9)),
        item("A/2", due=TODAY + timedelta(days=2)),
        item("A/1", due=TODAY + timedelta(days=9)),
    ]
    assert keys(open_items_due_within(items, today=TODAY, days=None)) == [
        "A/2",
        "A/1",
        "A/9",
        "B/1",
    ]


# The board -----------------------------------------------------------------------------


def test_board_totals_count_each_status_the_items_not_yet_assessed_and_those_awaiting_sign_off() -> (
    None
):
    pending = {"request": "GREEN", "due": None, "on": "2020-05-01"}
    listed = ListedBoard.of(
        [
            item("A/1", "AMBER"),
            item("A/2", "AMBER", pending=pending),
            item("A/3", None),
            item("A/4", "RED"),
        ]
    )
    assert listed.counts == {"AMBER": 2, "NOT ASSESSED": 1, "RED": 1, "pending sign-off": 1}
    assert listed.pending == 1


def test_a_status_filter_is_read_whatever_its_case_and_spacing() -> None:
    assert status_named(" amber ") == "AMBER"
    assert status_named("not   Assessed") == "NOT ASSESSED"
    assert status_named("closed") == "CLOSED"
    assert status_named("NEW GREEN") is None and status_named("purple") is None


# The chain's verdict ------------------------------------------------------------------


def test_an_intact_chain_is_verified_with_its_head() -> None:
    head = Digest(12, LINK)
    found = verified(memory_ledger(), Verdict(12, head, None), None)
    assert (found.events, found.head, found.digest, found.since) == (12, head, None, 0)


def test_an_altered_event_is_refused_naming_it_and_how_many_events_before_it_check_out() -> None:
    verdict = Verdict(6, Digest(6, LINK), Break(7, None, None, "does not match its link"))
    with pytest.raises(LedgerError) as refused:
        verified(memory_ledger(), verdict, None)
    assert str(refused.value).startswith(
        "the event at position 7 does not match its link; the history has been altered "
        "after it was recorded (6 events before it check out)"
    )


def test_a_paper_digest_that_holds_counts_the_events_recorded_since() -> None:
    digest = Digest(5, LINK)
    found = verified(memory_ledger(), Verdict(9, Digest(9, LINK), None, digest, True), digest)
    assert (found.digest, found.since) == (digest, 4)


def test_a_paper_digest_beyond_the_last_event_is_not_of_this_ledger() -> None:
    digest = Digest(50, LINK)
    with pytest.raises(LedgerError, match="no event at position 50 \\(its last is 9\\)"):
        verified(memory_ledger(), Verdict(9, Digest(9, LINK), None, digest, None), digest)


def test_a_paper_digest_whose_history_was_rewritten_is_refused() -> None:
    digest = Digest(5, LINK)
    with pytest.raises(LedgerError, match="up to position 5 is not the one the digest was taken"):
        verified(memory_ledger(), Verdict(9, Digest(9, LINK), None, digest, False), digest)


# What a request awaits -----------------------------------------------------------------


@pytest.fixture
def ledger() -> Ledger:
    ledger = memory_ledger(today=TODAY)
    ledger.register_report(
        "FRAUD19",
        title="Fraud: Time to Choose",
        scope="national",
        published=date(2019, 4, 1),
        inspectorates=["HMICFRS"],
        actor=ME,
        on=date(2019, 4, 1),
    )
    ledger.issue_recommendation(
        "FRAUD19",
        "9",
        kind="recommendation",
        text="Publish the force's fraud policy",
        due="September 2019",
        status="AMBER",
        actor=ME,
        on=date(2019, 5, 1),
    )
    return ledger


def session_over(ledger: Ledger) -> LedgerSession:
    return LedgerSession("memory", ME, open_ledger=lambda write: ledger)


def test_a_completion_always_awaits_sign_off(ledger: Ledger) -> None:
    (event_id,) = ledger.claim_completion("FRAUD19/9", evidence="Published", actor=ME)
    awaiting = awaiting_sign_off(session_over(ledger), event_id)
    assert awaiting is not None
    assert (awaiting.key, awaiting.why) == ("FRAUD19/9", "completion is always signed off")
    assert "GREEN" in awaiting.asks


def test_a_closure_awaits_sign_off_where_a_committee_requires_it_and_says_which(
    ledger: Ledger,
) -> None:
    ledger.register_committee("PRMSC", name="Performance", actor=ME)
    ledger.register_committee("JAC", name="Joint Audit", actor=ME)
    ledger.set_sign_off_rule("PRMSC", ["closures"], actor=ME)
    (event_id,) = ledger.close_recommendation("FRAUD19/9", reason="Superseded", actor="Owner")
    awaiting = awaiting_sign_off(session_over(ledger), event_id)
    assert awaiting is not None and awaiting.why == "PRMSC requires sign-off for closures"
    ledger.set_sign_off_rule("JAC", ["closures"], actor=ME)
    awaiting = awaiting_sign_off(session_over(ledger), event_id)
    assert awaiting is not None and awaiting.why == "JAC, PRMSC require sign-off for closures"


def test_a_change_made_at_once_awaits_nothing(ledger: Ledger) -> None:
    (event_id,) = ledger.close_recommendation("FRAUD19/9", reason="Superseded", actor=ME)
    assert awaiting_sign_off(session_over(ledger), event_id) is None


def test_a_change_made_at_once_while_a_request_awaits_sign_off_does_not_itself_await_it(
    ledger: Ledger,
) -> None:
    ledger.claim_completion("FRAUD19/9", evidence="Published", actor="Owner")
    (event_id,) = ledger.extend_deadline(
        "FRAUD19/9", to=date(2020, 12, 31), reason="Consultation", actor=ME
    )
    assert awaiting_sign_off(session_over(ledger), event_id) is None
