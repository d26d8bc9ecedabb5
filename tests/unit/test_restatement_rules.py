"""What counts as a restatement, over rows and events: a row is status, due date and the
section of the paper; only events the paper did not know, in effect by the meeting,
explain one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from events import RecommendationEvent
from projections.recorded import Recorded
from projections.restatements import (
    NOT_ON_BOARD,
    PREVIOUSLY_REPORTED,
    PaperRow,
    folded_streams,
    making_the_difference,
    paper_rows,
    recorded_by,
    restated,
    restated_keys,
    rows_of,
    section_of,
)
from tests.conftest import memory_ledger

ME = "Strategic Development"
MEETING = date(2021, 4, 1)

STATUS = st.sampled_from([None, "GREEN", "AMBER", "RED", "WHITE", "CLOSED"])
DUE = st.sampled_from([None, "2021-03-31", "2021-06-30"])
ROWS = st.dictionaries(
    st.sampled_from(["R/1", "R/2", "R/3", "R/4"]),
    st.builds(PaperRow, STATUS, DUE, st.sampled_from([None, "AMBER", "NEW RED"])),
)


def test_the_section_is_what_the_paper_counts_the_item_as() -> None:
    assert section_of("GREEN", "AMBER") == "NEW GREEN"
    assert section_of("RED", "AMBER") == "NEW RED"
    assert section_of("RED", "RED") == "RED"
    assert section_of(None, None) == "NOT ASSESSED"
    assert section_of("GREEN", "GREEN") == PREVIOUSLY_REPORTED
    assert section_of("CLOSED", "GREEN") == PREVIOUSLY_REPORTED
    assert section_of("AMBER", "GREEN") == "AMBER"  # reopened: no longer a reported green
    assert section_of("RED", "GREEN") == "NEW RED"
    assert section_of("CLOSED", "AMBER") == "CLOSED"


def test_a_row_differs_by_its_section_alone_when_the_meeting_before_was_restated() -> None:
    then = paper_rows({"R/1": "RED"}, {"R/1": None}, {"R/1": "RED"})
    now = paper_rows({"R/1": "RED"}, {"R/1": None}, {"R/1": "AMBER"})
    assert restated_keys(then, now) == ["R/1"]
    assert (then["R/1"].section, now["R/1"].section) == ("RED", "NEW RED")


@given(then=ROWS, now=ROWS)
def test_exactly_the_items_whose_row_differs_are_restated(
    then: dict[str, PaperRow], now: dict[str, PaperRow]
) -> None:
    keys = restated_keys(then, now)
    for key in then.keys() | now.keys():
        differs = then.get(key, NOT_ON_BOARD) != now.get(key, NOT_ON_BOARD)
        assert (key in keys) == differs
    assert restated_keys(now, now) == []


def history() -> tuple[list[RecommendationEvent], Callable[[RecommendationEvent], bool]]:
    """R/1 AMBER, then GREEN on 1 March (version 3), known to the paper; afterwards the
    GREEN corrected (recorded in June), a due date extended as of 20 March, and a note
    dated after the meeting."""
    ledger = memory_ledger(today=date(2021, 6, 1))
    ledger.register_report("R", title="t", scope="force", published=date(2021, 1, 4), actor=ME)
    ledger.issue_recommendation(
        "R", "1", kind="afi", text="t", due="2021-03-31", actor=ME, on=date(2021, 1, 5)
    )
    ledger.change_status("R/1", "AMBER", actor=ME, on=date(2021, 2, 1))
    ledger.change_status("R/1", "GREEN", actor=ME, on=date(2021, 3, 1))
    stream = list(ledger.get_recommendation("R/1").history)
    moment = stream[-1].timestamp
    ledger.correct_event("R/1@3", reason="wrong item", actor=ME)
    ledger.extend_deadline(
        "R/1", to=date(2021, 6, 30), reason="supplier late", actor=ME, on=date(2021, 3, 20)
    )
    ledger.note_progress("R/1", "after the meeting", actor=ME, on=date(2021, 4, 10))
    return list(ledger.get_recommendation("R/1").history), recorded_by(moment)


def test_a_correction_counts_from_the_day_of_the_event_it_retracts() -> None:
    stream, known_then = history()
    found = making_the_difference(stream, known_then, MEETING)
    # the correction is dated the day it was recorded (June), yet restates March
    assert [e.originator_version for e in found] == [4, 5]


def test_a_due_date_moved_back_in_time_is_a_restatement_with_its_event() -> None:
    stream, known_then = history()
    moment = stream[2].timestamp  # when the GREEN was recorded
    then, now = Recorded.of(stream, moment), Recorded.of(stream)
    # no committee C: the meeting before is the empty ledger
    found = restated(
        rows_of(then, "C", MEETING),
        rows_of(now, "C", MEETING),
        folded_streams(now),
        known_then,
        MEETING,
    )
    assert [(r.key, r.then, r.now) for r in found] == [
        (
            "R/1",
            PaperRow("GREEN", "2021-03-31", "NEW GREEN"),
            PaperRow("AMBER", "2021-06-30", "AMBER"),
        )
    ]
    assert [record.id for record in found[0].events] == ["R/1@4", "R/1@5"]
    assert all(record.actor == ME for record in found[0].events)


def test_an_event_taking_effect_on_the_meeting_day_counts_and_the_day_after_does_not() -> None:
    stream, known_then = history()
    on_the_day = making_the_difference(stream, known_then, date(2021, 3, 20))
    assert [e.originator_version for e in on_the_day] == [4, 5]
    the_day_before = making_the_difference(stream, known_then, date(2021, 3, 19))
    assert [e.originator_version for e in the_day_before] == [4]
