"""The ledger's rules: each refusal says how to fix it and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from events import Scope, Status
from ledger import (
    AlreadyExistsError,
    InvalidInputError,
    Ledger,
    LedgerError,
    NotFoundError,
    RuleBrokenError,
)
from ledger.errors import Fix, Hint
from ledger.state import ItemState, fold_item
from tests.conftest import memory_ledger

ME = "Strategic Development"


@pytest.fixture
def ledger() -> Ledger:
    ledger = memory_ledger(today=date(2020, 6, 1))
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


def refused(ledger: Ledger, command: Callable[[], object], error: type[LedgerError]) -> str:
    before = ledger.last_position()
    with pytest.raises(error) as raised:
        command()
    assert ledger.last_position() == before, "a refused command wrote an event"
    return str(raised.value)


def hint_of(ledger: Ledger, command: Callable[[], object], error: type[LedgerError]) -> Hint | None:
    """The next step a refusal suggests (each front end words it its own way)."""
    with pytest.raises(error) as raised:
        command()
    return raised.value.hint


def test_red_without_a_reason_is_refused(ledger: Ledger) -> None:
    hint = hint_of(
        ledger, lambda: ledger.change_status("FRAUD19/9", "RED", actor=ME), RuleBrokenError
    )
    assert hint == Hint.to(Fix.GIVE_REASON, why="why FRAUD19/9 is RED")


def test_white_without_a_reason_is_refused(ledger: Ledger) -> None:
    refused(ledger, lambda: ledger.change_status("FRAUD19/9", "WHITE", actor=ME), RuleBrokenError)


def test_an_item_added_as_red_needs_a_reason(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.issue_recommendation(
            "FRAUD19",
            "1",
            kind="recommendation",
            text="t",
            status="NEW RED",
            actor=ME,
            on=date(2019, 5, 1),
        ),
        RuleBrokenError,
    )


def test_red_with_a_reason_is_recorded(ledger: Ledger) -> None:
    ids = ledger.change_status("FRAUD19/9", "red", reason="Policy still at consultation", actor=ME)
    assert ids == ["FRAUD19/9@2"]


def test_an_extension_needs_a_reason(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.extend_deadline("FRAUD19/9", to=date(2019, 12, 31), reason=" ", actor=ME),
        RuleBrokenError,
    )


def test_an_extension_must_be_later_than_the_current_due_date(ledger: Ledger) -> None:
    message = refused(
        ledger,
        lambda: ledger.extend_deadline("FRAUD19/9", to=date(2019, 9, 30), reason="r", actor=ME),
        RuleBrokenError,
    )
    assert "2019-09-30" in message


def test_an_extension_of_an_item_with_no_due_date_points_to_setting_one(ledger: Ledger) -> None:
    ledger.issue_recommendation(
        "FRAUD19",
        "13",
        kind="recommendation",
        text="t",
        due="To be set",
        actor=ME,
        on=date(2019, 5, 1),
    )
    hint = hint_of(
        ledger,
        lambda: ledger.extend_deadline("FRAUD19/13", to=date(2020, 3, 31), reason="r", actor=ME),
        RuleBrokenError,
    )
    assert hint == Hint.to(Fix.SET_DUE, key="FRAUD19/13")


def test_a_change_dated_in_the_future_is_refused(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.note_progress("FRAUD19/9", "n", actor=ME, on=date(2020, 6, 2)),
        RuleBrokenError,
    )


def test_an_item_dated_before_its_report_was_published_is_refused(ledger: Ledger) -> None:
    message = refused(
        ledger,
        lambda: ledger.issue_recommendation(
            "FRAUD19", "1", kind="recommendation", text="t", actor=ME, on=date(2019, 3, 31)
        ),
        RuleBrokenError,
    )
    assert "published" in message


def test_a_change_dated_before_the_item_was_added_is_refused(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.change_status("FRAUD19/9", "GREEN", actor=ME, on=date(2019, 4, 30)),
        RuleBrokenError,
    )


def test_unknown_keys_are_refused(ledger: Ledger) -> None:
    refused(ledger, lambda: ledger.change_status("FRAUD19/99", "GREEN", actor=ME), NotFoundError)
    refused(ledger, lambda: ledger.note_progress("NOPE/1", "n", actor=ME), NotFoundError)
    refused(
        ledger,
        lambda: ledger.issue_recommendation("NOPE", "1", kind="afi", text="t", actor=ME),
        NotFoundError,
    )
    refused(ledger, lambda: ledger.note_progress("FRAUD19", "n", actor=ME), InvalidInputError)


def test_report_codes_are_unique(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.register_report(
            "FRAUD19", title="Again", scope="force", published=date(2019, 4, 1), actor=ME
        ),
        AlreadyExistsError,
    )


def test_refs_are_unique_within_a_report(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.issue_recommendation(
            "FRAUD19", "9", kind="afi", text="t", actor=ME, on=date(2019, 5, 1)
        ),
        AlreadyExistsError,
    )


def test_a_closed_item_accepts_only_corrections(ledger: Ledger) -> None:
    ledger.close_recommendation("FRAUD19/9", reason="Superseded", actor=ME, on=date(2020, 1, 1))
    for change in (
        lambda: ledger.change_status("FRAUD19/9", "GREEN", actor=ME),
        lambda: ledger.note_progress("FRAUD19/9", "n", actor=ME),
        lambda: ledger.assign_owner("FRAUD19/9", "DCI Crime", actor=ME),
        lambda: ledger.extend_deadline("FRAUD19/9", to=date(2021, 1, 1), reason="r", actor=ME),
        lambda: ledger.close_recommendation("FRAUD19/9", reason="again", actor=ME),
    ):
        assert "closed" in refused(ledger, change, RuleBrokenError)
    ledger.correct_event("FRAUD19/9@2", reason="Closed by mistake", actor=ME)
    ledger.change_status("FRAUD19/9", "GREEN", actor=ME)


def test_a_change_dated_before_a_closure_is_history_not_a_change_to_a_closed_item(
    ledger: Ledger,
) -> None:
    """A note typed in after the closure but dated before it is recorded, and reads as
    part of the item's past: the item stays closed as at the closure and after it."""
    ledger.close_recommendation("FRAUD19/9", reason="Superseded", actor=ME, on=date(2020, 1, 1))
    recorded = ledger.note_progress("FRAUD19/9", "typed in late", actor=ME, on=date(2019, 12, 1))
    assert recorded == ["FRAUD19/9@3"]
    history = ledger.get_recommendation("FRAUD19/9").history
    before = fold_item(history, as_at=date(2019, 12, 15))
    assert before is not None
    assert (before.status, before.comment, before.closed_on) == (
        Status.AMBER,
        "typed in late",
        None,
    )
    after = fold_item(history)
    assert after is not None
    assert (after.status, after.closed_on, after.comment, after.comment_on) == (
        Status.CLOSED,
        date(2020, 1, 1),
        "typed in late",
        date(2019, 12, 1),
    )
    later = refused(
        ledger,
        lambda: ledger.note_progress("FRAUD19/9", "typed later", actor=ME, on=date(2020, 1, 2)),
        RuleBrokenError,
    )
    assert "closed on 2020-01-01" in later


def test_an_item_cannot_be_closed_before_its_latest_change(ledger: Ledger) -> None:
    ledger.note_progress("FRAUD19/9", "n", actor=ME, on=date(2020, 2, 1))
    refused(
        ledger,
        lambda: ledger.close_recommendation("FRAUD19/9", reason="r", actor=ME, on=date(2020, 1, 1)),
        RuleBrokenError,
    )


def test_a_correction_of_a_missing_event_is_refused(ledger: Ledger) -> None:
    refused(
        ledger, lambda: ledger.correct_event("FRAUD19/9@7", reason="r", actor=ME), RuleBrokenError
    )
    refused(
        ledger, lambda: ledger.correct_event("FRAUD19/9", reason="r", actor=ME), InvalidInputError
    )


def test_an_event_can_be_corrected_only_once(ledger: Ledger) -> None:
    ledger.change_status("FRAUD19/9", "GREEN", actor=ME)
    ledger.correct_event("FRAUD19/9@2", reason="wrong item", actor=ME)
    message = refused(
        ledger,
        lambda: ledger.correct_event("FRAUD19/9@2", reason="again", actor=ME),
        RuleBrokenError,
    )
    assert "already corrected by FRAUD19/9@3" in message


def test_a_correction_needs_a_reason_and_cannot_itself_be_retracted(ledger: Ledger) -> None:
    ledger.change_status("FRAUD19/9", "GREEN", actor=ME)
    refused(
        ledger, lambda: ledger.correct_event("FRAUD19/9@2", reason="", actor=ME), RuleBrokenError
    )
    ledger.correct_event("FRAUD19/9@2", reason="wrong item", actor=ME)
    refused(
        ledger, lambda: ledger.correct_event("FRAUD19/9@3", reason="r", actor=ME), RuleBrokenError
    )


def test_closing_is_not_a_colour(ledger: Ledger) -> None:
    refused(ledger, lambda: ledger.change_status("FRAUD19/9", "CLOSED", actor=ME), RuleBrokenError)


@pytest.mark.parametrize(
    "field, value",
    [("kind", "suggestion"), ("status", "PURPLE"), ("due", "soon"), ("text", "   ")],
)
def test_bad_values_are_refused_with_what_to_write_instead(
    ledger: Ledger, field: str, value: str
) -> None:
    values: dict[str, object] = {"kind": "afi", "text": "t", "status": None, "due": None} | {
        field: value
    }
    refused(
        ledger,
        lambda: ledger.issue_recommendation(
            "FRAUD19", "2", actor=ME, on=date(2019, 5, 1), **values
        ),
        InvalidInputError,
    )  # type: ignore[arg-type]


def test_a_report_cannot_be_published_in_the_future(ledger: Ledger) -> None:
    refused(
        ledger,
        lambda: ledger.register_report(
            "NEXT", title="t", scope="force", published=date(2020, 7, 1), actor=ME
        ),
        RuleBrokenError,
    )


@pytest.mark.parametrize("code", ["", "a b", "x/y", "PEEL@1", "é"])
def test_report_codes_must_be_plain(ledger: Ledger, code: str) -> None:
    refused(
        ledger,
        lambda: ledger.register_report(
            code, title="t", scope="force", published=date(2019, 7, 1), actor=ME
        ),
        InvalidInputError,
    )


@pytest.mark.parametrize("written", ["national", "National", " NATIONAL ", "National report"])
def test_a_scope_is_read_as_papers_write_it(written: str) -> None:
    from ledger.inputs import parse_scope

    assert parse_scope(written) is Scope.NATIONAL


def test_an_unknown_scope_is_refused_with_the_choices() -> None:
    from ledger.inputs import parse_scope

    with pytest.raises(InvalidInputError, match="use national or force"):
        parse_scope("regional report")


@pytest.mark.parametrize(
    "written, kind",
    [
        ("Recommendation", "recommendation"),
        ("area for improvement", "afi"),
        ("Areas for Improvement", "afi"),
        ("AFI", "afi"),
        ("cause of concern", "concern"),
        ("Cause for concern", "concern"),
    ],
)
def test_a_kind_is_read_as_papers_write_it(written: str, kind: str) -> None:
    from ledger.inputs import parse_kind

    assert parse_kind(written).value == kind


# Sign-off: what a request, a sign-off, a rejection and a correction do to the item.

OWNER = "Head of Economic Crime"
KEY = "FRAUD19/9"


def state(ledger: Ledger, day: date) -> ItemState:
    found = fold_item(ledger.get_recommendation(KEY).history, as_at=day)
    assert found is not None
    return found


def test_a_signed_off_completion_is_green_from_the_day_of_the_sign_off_not_the_claim(
    ledger: Ledger,
) -> None:
    ledger.claim_completion(KEY, evidence="Policy published", actor=OWNER, on=date(2020, 1, 10))
    ledger.sign_off(KEY, actor=ME, on=date(2020, 2, 1))
    before, between, after = (state(ledger, date(2020, m, d)) for m, d in ((1, 9), (1, 31), (2, 1)))
    assert (before.status, before.pending) == (Status.AMBER, None)
    assert (between.status, between.pending and between.pending.request) == (Status.AMBER, "GREEN")
    assert (after.status, after.status_on, after.status_reason, after.pending) == (
        Status.GREEN,
        date(2020, 2, 1),
        "Policy published",
        None,
    )


def test_retracting_a_sign_off_puts_the_request_back_pending(ledger: Ledger) -> None:
    ledger.claim_completion(KEY, evidence="Policy published", actor=OWNER, on=date(2020, 1, 10))
    (signed,) = ledger.sign_off(KEY, actor=ME, on=date(2020, 2, 1))
    ledger.correct_event(signed, reason="Signed off the wrong item", actor=ME)
    now = state(ledger, date(2020, 6, 1))
    assert (now.status, now.pending and now.pending.version) == (Status.AMBER, 2)


def test_a_granted_extension_keeps_the_original_date_and_the_owners_justification(
    ledger: Ledger,
) -> None:
    item = ledger.get_recommendation(KEY)
    item.request_extension(date(2020, 3, 31), "Awaiting NFIB data", (), OWNER, date(2020, 1, 5))
    ledger.save_all(item, what=KEY)
    assert state(ledger, date(2020, 1, 6)).due == date(2019, 9, 30)
    ledger.sign_off(KEY, actor=ME, on=date(2020, 1, 20))
    granted = state(ledger, date(2020, 1, 20))
    assert (granted.original_due, granted.due, granted.times_extended) == (
        date(2019, 9, 30),
        date(2020, 3, 31),
        1,
    )
    assert granted.extensions[0].reason == "Awaiting NFIB data"


def test_closing_an_item_ends_whatever_awaited_sign_off(ledger: Ledger) -> None:
    ledger.claim_completion(KEY, evidence="Done", actor=OWNER, on=date(2020, 1, 10))
    ledger.close_recommendation(KEY, reason="Superseded", actor=ME, on=date(2020, 1, 11))
    closed = state(ledger, date(2020, 1, 11))
    assert (closed.status, closed.pending) == (Status.CLOSED, None)
    assert "nothing of FRAUD19/9 awaits sign-off" in refused(
        ledger, lambda: ledger.sign_off(KEY, actor=ME), RuleBrokenError
    )


def test_a_request_needs_an_address_for_each_link(ledger: Ledger) -> None:
    for link in ("", "a\nb", "x" * 2001):
        refused(
            ledger,
            lambda link=link: ledger.claim_completion(
                KEY, evidence="Done", links=[link], actor=OWNER
            ),
            InvalidInputError,
        )


def test_a_closure_is_not_signed_off_as_of_a_day_before_changes_already_recorded(
    ledger: Ledger,
) -> None:
    item = ledger.get_recommendation(KEY)
    item.request_closure("Superseded", (), OWNER, date(2020, 1, 5))
    ledger.save_all(item, what=KEY)
    ledger.note_progress(KEY, "Still used by the team", actor=OWNER, on=date(2020, 2, 1))
    message = refused(
        ledger, lambda: ledger.sign_off(KEY, actor=ME, on=date(2020, 1, 20)), RuleBrokenError
    )
    assert "close it on or after that date" in message
    ledger.sign_off(KEY, actor=ME, on=date(2020, 2, 1))
    assert state(ledger, date(2020, 2, 1)).status is Status.CLOSED


def test_a_back_dated_extension_may_not_turn_a_later_extension_into_a_shortening(
    ledger: Ledger,
) -> None:
    """Extended from April to the end of September, an item cannot be extended from
    March to December: April's move would then bring the date forward. Extended from
    March to August, it can; and from April on, to beyond September."""
    key = "FRAUD19/9"
    ledger.extend_deadline(
        key, to=date(2020, 9, 30), reason="Supplier", actor=ME, on=date(2020, 4, 1)
    )
    said = refused(
        ledger,
        lambda: ledger.extend_deadline(
            key, to=date(2020, 12, 31), reason="Earlier", actor=ME, on=date(2020, 3, 1)
        ),
        RuleBrokenError,
    )
    assert "FRAUD19/9's due date moves to 2020-09-30 on 2020-04-01" in said
    ledger.extend_deadline(
        key, to=date(2020, 8, 31), reason="Earlier", actor=ME, on=date(2020, 3, 1)
    )
    ledger.extend_deadline(
        key, to=date(2020, 12, 31), reason="Later", actor=ME, on=date(2020, 5, 1)
    )
    dues = [
        fold_item(ledger.get_recommendation(key).history, as_at=date(2020, m, 15))
        for m in (3, 4, 5)
    ]
    assert [state.due for state in dues if state] == [
        date(2020, 8, 31),
        date(2020, 9, 30),
        date(2020, 12, 31),
    ]


def test_every_way_an_extension_comes_in_is_held_to_the_later_moves_but_a_restore(
    ledger: Ledger,
) -> None:
    """The rule lives in the item: an update sheet or an import extends through it as a
    command does; a restore's replay, of a history recorded before the rule, does not."""
    key = "FRAUD19/9"
    ledger.extend_deadline(
        key, to=date(2020, 9, 30), reason="Supplier", actor=ME, on=date(2020, 4, 1)
    )
    item = ledger.get_recommendation(key)
    with pytest.raises(RuleBrokenError, match="would bring the date forward"):
        item.extend_deadline(date(2020, 12, 31), "Earlier", ME, date(2020, 3, 1))
    with pytest.raises(RuleBrokenError, match="would bring the date forward"):
        item.request_extension(date(2020, 12, 31), "Earlier", (), ME, date(2020, 3, 1))
    item.extend_deadline(date(2020, 12, 31), "Earlier", ME, date(2020, 3, 1), replayed=True)
