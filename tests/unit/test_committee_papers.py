"""The committee paper: what a summary counts, what an appendix shows, what is an exception."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.render import dump_document
from ledger import AlreadyExistsError, Ledger, NotFoundError, RuleBrokenError
from projections.committee import appendix_of, paper_of, summary_of, written_due
from projections.recorded import Recorded
from tests.conftest import memory_ledger
from tests.unit.test_time import START, TODAY, build_history, naive_replay

ME = "Strategic Development"
FEB, MAY, AUG = date(2021, 2, 4), date(2021, 5, 4), date(2021, 8, 3)


def ledger_with_meetings(*meetings: date) -> Ledger:
    ledger = memory_ledger(today=date(2021, 12, 31))
    ledger.register_committee(
        "PRMSC", name="Performance and Resource Management", actor=ME, on=date(2020, 1, 1)
    )
    for day in meetings:
        ledger.schedule_meeting("PRMSC", day, actor=ME, on=date(2020, 1, 1))
    ledger.register_report(
        "ROADS",
        title="Roads policing",
        scope="national",
        published=date(2020, 2, 1),
        inspectorates=["HMICFRS"],
        makes=4,
        actor=ME,
        on=date(2020, 2, 1),
    )
    ledger.register_report(
        "CUSTODY",
        title="Custody",
        scope="force",
        published=date(2020, 3, 1),
        actor=ME,
        on=date(2020, 3, 1),
    )
    return ledger


def add(
    ledger: Ledger,
    key: str,
    status: str | None = "AMBER",
    *,
    on: date = date(2020, 6, 1),
    due: str | None = "December 2021",
    reason: str | None = None,
) -> None:
    code, ref = key.split("/")
    ledger.issue_recommendation(
        code,
        ref,
        kind="recommendation",
        text=f"Do {key}",
        due=due,
        status=status,
        reason=reason,
        actor=ME,
        on=on,
    )


def summary(ledger: Ledger, meeting: date, **kwargs: Any) -> dict[str, Any]:
    recorded = Recorded.of((e for _, e in ledger.read_log()), **kwargs)
    return summary_of(recorded, "PRMSC", meeting).to_json()


def appendix(ledger: Ledger, meeting: date) -> dict[str, Any]:
    recorded = Recorded.of(e for _, e in ledger.read_log())
    return appendix_of(recorded, "PRMSC", meeting).to_json()


def row(document: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in document["reports"] if r["code"] == code)


def current(document: dict[str, Any], code: str, key: str) -> int:
    return int(row(document, code)["current"][key])


def test_new_green_means_green_since_the_previous_meeting() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1")
    add(ledger, "ROADS/2")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 3, 1))
    ledger.change_status("ROADS/2", "GREEN", actor=ME, on=date(2021, 5, 5))  # after the meeting
    paper = summary(ledger, MAY)
    assert current(paper, "ROADS", "NEW GREEN") == 1
    assert current(paper, "ROADS", "AMBER") == 1


def test_items_already_green_or_closed_at_the_meeting_before_are_not_counted() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1")
    add(ledger, "ROADS/2")
    add(ledger, "ROADS/3")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 1, 10))
    ledger.close_recommendation("ROADS/2", reason="Superseded", actor=ME, on=date(2021, 1, 10))
    paper = summary(ledger, MAY)
    assert row(paper, "ROADS")["current"] == {
        "NEW GREEN": 0,
        "AMBER": 1,
        "RED": 0,
        "NEW RED": 0,
        "WHITE": 0,
        "CLOSED": 0,
        "OUTSTANDING": 1,
    }
    assert row(paper, "ROADS")["previous"]["NEW GREEN"] == 1
    assert row(paper, "ROADS")["previous"]["CLOSED"] == 1


def test_red_counts_every_red_item_and_new_red_only_those_not_red_before() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", "RED", reason="Cannot be delivered")
    add(ledger, "ROADS/2")
    ledger.change_status("ROADS/2", "RED", reason="Beyond deadline", actor=ME, on=date(2021, 4, 1))
    paper = summary(ledger, MAY)
    assert (current(paper, "ROADS", "RED"), current(paper, "ROADS", "NEW RED")) == (2, 1)
    assert current(paper, "ROADS", "OUTSTANDING") == 2


def test_closed_counts_items_closed_since_the_meeting_before() -> None:
    ledger = ledger_with_meetings(FEB, MAY, AUG)
    add(ledger, "ROADS/1")
    ledger.close_recommendation(
        "ROADS/1", reason="Superseded by PEEL", actor=ME, on=date(2021, 3, 1)
    )
    assert current(summary(ledger, MAY), "ROADS", "CLOSED") == 1
    august = row(summary(ledger, AUG), "ROADS")
    assert (august["previous"]["CLOSED"], august["current"]["CLOSED"]) == (1, 0), (
        "reported closed in May, the item is counted in August's previous column only"
    )


def test_the_previous_column_compares_the_previous_meeting_with_the_one_before_it() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 1, 5))
    paper = summary(ledger, MAY)
    assert paper["previous_meeting"] == FEB.isoformat()
    assert row(paper, "ROADS")["previous"]["NEW GREEN"] == 1, "green since the empty ledger"
    assert row(paper, "ROADS")["current"]["NEW GREEN"] == 0, "already reported in February"


def test_with_no_earlier_meeting_the_meeting_before_is_the_empty_ledger() -> None:
    ledger = ledger_with_meetings(FEB)
    add(ledger, "ROADS/1", "GREEN")
    add(ledger, "CUSTODY/1", "RED", reason="Awaiting funding", on=date(2020, 6, 1))
    paper = summary(ledger, FEB)
    assert paper["previous_meeting"] is None
    assert {r["code"]: r["section"] for r in paper["reports"]} == {"ROADS": "new", "CUSTODY": "new"}
    assert current(paper, "ROADS", "NEW GREEN") == 1
    assert current(paper, "CUSTODY", "NEW RED") == 1
    assert set(row(paper, "ROADS")["previous"].values()) == {0}


def test_reports_published_since_the_previous_meeting_are_new_reports() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    ledger.register_report(
        "PROTEST",
        title="Protest policing",
        scope="national",
        published=date(2021, 3, 1),
        actor=ME,
        on=date(2021, 3, 1),
    )
    add(ledger, "PROTEST/1", on=date(2021, 3, 2))
    add(ledger, "ROADS/1")
    sections = {r["code"]: r["section"] for r in summary(ledger, MAY)["reports"]}
    assert sections == {"PROTEST": "new", "ROADS": "previous"}
    assert [r["code"] for r in summary(ledger, MAY)["reports"]] == ["PROTEST", "ROADS"]


def test_a_report_published_on_the_day_of_the_previous_meeting_was_new_in_that_paper() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    ledger.register_report(
        "PROTEST", title="Protest policing", scope="national", published=FEB, actor=ME, on=FEB
    )
    add(ledger, "PROTEST/1", "GREEN", on=FEB)
    assert row(summary(ledger, FEB), "PROTEST")["section"] == "new"
    may = row(summary(ledger, MAY), "PROTEST")
    assert (may["section"], may["previous"]["NEW GREEN"]) == ("previous", 1)
    assert [r["code"] for r in appendix(ledger, MAY)["reports"]] == []


def test_totals_split_national_and_force_and_add_up_to_all() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1")
    add(ledger, "ROADS/2", "WHITE", reason="For the Home Office")
    add(ledger, "CUSTODY/1")
    totals = summary(ledger, MAY)["totals"]["current"]
    assert (totals["national"]["OUTSTANDING"], totals["force"]["OUTSTANDING"]) == (2, 1)
    assert totals["all"]["OUTSTANDING"] == 3
    assert totals["all"]["WHITE"] == totals["national"]["WHITE"] == 1


def test_items_awaiting_their_first_status_are_counted_as_not_assessed() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", None)
    add(ledger, "CUSTODY/1")
    paper = summary(ledger, MAY)
    assert row(paper, "ROADS")["current"]["NOT ASSESSED"] == 1
    assert row(paper, "ROADS")["current"]["OUTSTANDING"] == 0
    assert "NOT ASSESSED" not in row(paper, "CUSTODY")["current"]


def test_the_headline_states_outstanding_and_what_is_new() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1")
    add(ledger, "ROADS/2")
    add(ledger, "CUSTODY/1")
    ledger.change_status("ROADS/2", "GREEN", actor=ME, on=date(2021, 3, 1))
    ledger.close_recommendation("ROADS/1", reason="Superseded", actor=ME, on=date(2021, 3, 2))
    assert summary(ledger, MAY)["headline"] == (
        "There is currently 1 outstanding recommendation [0 national and 1 force]. "
        "There is 1 new green to report since the previous report on 4 February 2021. "
        "1 recommendation was closed."
    )


def test_a_summary_as_known_at_shows_what_the_committee_was_shown_before_a_correction() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 3, 1))
    shown = [e for _, e in ledger.read_log()][-1].timestamp
    ledger.correct_event("ROADS/1@2", reason="GREEN was for ROADS/2", actor=ME)
    assert current(summary(ledger, MAY), "ROADS", "NEW GREEN") == 0
    assert current(summary(ledger, MAY, known_at=shown), "ROADS", "NEW GREEN") == 1


def test_a_date_the_committee_did_not_meet_is_refused_with_its_meetings() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    with pytest.raises(NotFoundError, match=r"no meeting on 2021-03-01.*2021-02-04, 2021-05-04"):
        summary(ledger, date(2021, 3, 1))
    with pytest.raises(NotFoundError, match="no committee NOPE"):
        summary_of(Recorded.of(e for _, e in ledger.read_log()), "NOPE", MAY)


def test_a_committee_meets_once_a_day_and_papers_are_not_reused() -> None:
    ledger = ledger_with_meetings(FEB)
    with pytest.raises(RuleBrokenError, match="already has a meeting on 2021-02-04"):
        ledger.schedule_meeting("PRMSC", FEB, actor=ME)
    ledger.schedule_meeting("PRMSC", MAY, paper="Pol 34-21", actor=ME)
    with pytest.raises(RuleBrokenError, match="Pol 34-21"):
        ledger.schedule_meeting("PRMSC", AUG, paper="Pol 34-21", actor=ME)


def test_a_committee_code_cannot_be_a_report_code() -> None:
    ledger = ledger_with_meetings()
    with pytest.raises(AlreadyExistsError, match="code of a report"):
        ledger.register_committee("ROADS", name="Roads board", actor=ME)


# Exceptions ----------------------------------------------------------------------------


def test_overdue_items_neither_red_nor_extended_are_exceptions() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", due="March 2021")  # overdue, AMBER
    add(ledger, "ROADS/2", "RED", due="March 2021", reason="Late")  # overdue but RED
    add(ledger, "ROADS/3", due="March 2021")
    ledger.extend_deadline(
        "ROADS/3",
        to=date(2021, 9, 30),
        reason="Awaiting the new IT system",
        actor=ME,
        on=date(2021, 3, 15),
    )
    exceptions = summary(ledger, MAY)["exceptions"]
    assert [(o["key"], o["days_overdue"]) for o in exceptions["overdue"]] == [("ROADS/1", 34)]


def test_extensions_since_the_previous_meeting_are_listed_with_their_reasons() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", due="March 2021")
    ledger.extend_deadline(
        "ROADS/1", to=date(2021, 4, 30), reason="Before February", actor=ME, on=date(2021, 1, 15)
    )
    ledger.extend_deadline(
        "ROADS/1",
        to=date(2021, 9, 30),
        reason="Awaiting the new IT system",
        actor=ME,
        on=date(2021, 3, 15),
    )
    extensions = summary(ledger, MAY)["exceptions"]["extensions"]
    assert extensions == [
        {
            "key": "ROADS/1",
            "on": "2021-03-15",
            "previous_due": "2021-04-30",
            "due": "2021-09-30",
            "reason": "Awaiting the new IT system",
            "actor": ME,
        }
    ]


def test_slippage_counts_extensions_and_days_past_the_original_date() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", due="October 2020 Now January 2021 Now June 2021")
    add(ledger, "ROADS/2", "GREEN", due="October 2020")  # done: no slippage to report
    slippage = summary(ledger, MAY)["exceptions"]["slippage"]
    assert slippage == [
        {
            "key": "ROADS/1",
            "status": "AMBER",
            "original_due": "2020-10-31",
            "due": "2021-06-30",
            "times_extended": 2,
            "days_past_original": (MAY - date(2020, 10, 31)).days,
        }
    ]


# The appendix --------------------------------------------------------------------------


def test_the_appendix_leaves_out_previously_reported_greens_and_marks_new_ones() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    for ref in "1234":
        add(ledger, f"ROADS/{ref}")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 1, 5))  # reported in Feb
    ledger.change_status("ROADS/2", "GREEN", actor=ME, on=date(2021, 3, 5))
    ledger.change_status("ROADS/3", "RED", reason="Late", actor=ME, on=date(2021, 3, 5))
    report = appendix(ledger, MAY)["reports"][0]
    assert [(i["ref"], i["status"]) for i in report["items"]] == [
        ("2", "NEW GREEN"),
        ("3", "NEW RED"),
        ("4", "AMBER"),
    ]
    assert report["sentence"] == (
        "This report makes 4 recommendations, 4 for the force: 2 complete and 2 in progress."
    )
    assert report["description"] == "A national report by HMICFRS published February 2020"


def test_a_tracker_holding_more_items_than_the_report_makes_says_both_numbers() -> None:
    """FRAUD19 makes 18 recommendations and the force tracks 21 items of it (areas for
    improvement besides): the sentence gives both numbers, so its 20 for the force does
    not read as a part of the 18."""
    ledger = ledger_with_meetings(FEB, MAY)
    for ref in "123456":
        add(ledger, f"ROADS/{ref}")
    add(ledger, "ROADS/7", "WHITE", reason="For the College of Policing")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 3, 5))
    report = appendix(ledger, MAY)["reports"][0]
    assert report["sentence"] == (
        "This report makes 4 recommendations; 7 items from it are on the tracker, "
        "6 for the force: 1 complete and 5 in progress."
    )


def test_white_items_are_not_for_the_force_in_the_count_sentence() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "CUSTODY/1", "WHITE", reason="For the College of Policing")
    report = appendix(ledger, MAY)["reports"][0]
    assert report["sentence"] == "This report has 1 item on the tracker, none for the force."


def test_a_new_report_with_nothing_for_the_force_is_still_listed() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    ledger.register_report(
        "DIGITAL",
        title="Real lives, real crime",
        scope="national",
        published=date(2021, 3, 1),
        makes=0,
        actor=ME,
        on=date(2021, 3, 1),
    )
    report = appendix(ledger, MAY)["reports"][0]
    assert (report["code"], report["items"]) == ("DIGITAL", [])
    assert report["sentence"] == "This report makes no recommendations for the force."
    assert row(summary(ledger, MAY), "DIGITAL")["section"] == "new"


def test_the_appendix_prints_each_due_date_with_its_history() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", due="October 2018 Now January 2020", on=date(2020, 2, 1))
    ledger.extend_deadline(
        "ROADS/1", to=date(2021, 6, 30), reason="IT delay", actor=ME, on=date(2021, 3, 1)
    )
    add(ledger, "ROADS/2", due="to be set")
    add(ledger, "ROADS/3", due="2021-11-15")
    items = {i["ref"]: i for i in appendix(ledger, MAY)["reports"][0]["items"]}
    assert items["1"]["due_written"] == "October 2018 Now January 2020 Now June 2021"
    assert items["1"]["due_history"] == ["2018-10-31", "2020-01-31", "2021-06-30"]
    assert items["2"]["due_written"] == "to be set"
    assert items["3"]["due_written"] == "15 November 2021"


def test_a_due_date_set_later_is_printed_as_set() -> None:
    ledger = ledger_with_meetings(FEB, MAY)
    add(ledger, "ROADS/1", due="To be set")
    ledger.set_deadline("ROADS/1", "March 2022", actor=ME, on=date(2021, 3, 1))
    state = ledger.get_recommendation("ROADS/1").state_as_at(MAY)
    assert written_due(state, date(2020, 2, 1)) == "March 2022"


# The property: every count equals a naive count from two independent replays -----------

# Days drawn evenly across the two years, so meetings fall among the changes.
DAYS = st.sampled_from(range(0, (TODAY - START).days + 1, 5))
MEETING_DAYS = st.lists(DAYS, min_size=1, max_size=4, unique=True)


def naive_counts(
    now: dict[str, tuple[Any, ...]], before: dict[str, tuple[Any, ...]]
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for key, (status, _, _) in now.items():
        was = before[key][0] if key in before else None
        if was in ("GREEN", "CLOSED") and status in ("GREEN", "CLOSED"):
            continue  # reported done then and still done; one reopened since is counted
        if status is None:
            counts["NOT ASSESSED"] += 1
        elif status == "GREEN":
            counts["NEW GREEN"] += 1
        else:
            counts[status] += 1
            counts["NEW RED"] += status == "RED" and was != "RED"
    counts["OUTSTANDING"] = counts["AMBER"] + counts["RED"] + counts["WHITE"]
    return counts


@settings(max_examples=200, deadline=None)
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["status"] * 4 + ["extend", "close", "close", "correct", "note"]),
            st.integers(0, 2),
            DAYS,
            st.sampled_from(["GREEN", "AMBER", "RED", "WHITE"]),
            st.integers(1, 400),
        ),
        min_size=3,
        max_size=25,
    ),
    meeting_days=MEETING_DAYS,
    data=st.data(),
)
def test_summary_counts_equal_a_naive_comparison_of_two_replays(
    ops: list[tuple[str, int, int, str, int]], meeting_days: list[int], data: st.DataObject
) -> None:
    meetings = sorted(START + timedelta(days=d) for d in meeting_days)

    def committee(ledger: Ledger) -> None:
        ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for day in meetings:
            ledger.schedule_meeting("C", day, actor=ME, on=START)

    events = [e for _, e in build_history(ops, committee).read_log()]
    first_known = 4 + len(meetings) + 1  # the report, three items, the committee, its meetings
    known_at = data.draw(st.sampled_from([e.timestamp for e in events[first_known - 1 :]]))
    index = data.draw(st.integers(0, len(meetings) - 1))
    recorded = Recorded.of(events, known_at)
    the_summary = summary_of(recorded, "C", meetings[index])
    document = the_summary.to_json()
    # What the command prints, from rows rendered once, is this very document.
    assert dump_document(the_summary.printable()) == dump_document(document)

    def replay(i: int) -> dict[str, tuple[Any, ...]]:
        return naive_replay(events, meetings[i], known_at) if i >= 0 else {}

    for column, at in (("current", index), ("previous", index - 1)):
        expected = naive_counts(replay(at), replay(at - 1)) if at >= 0 else Counter()
        got = document["totals"][column]["all"]
        assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}
        assert sum(r[column]["OUTSTANDING"] for r in document["reports"]) == got["OUTSTANDING"]
    paper = paper_of(recorded, "C", meetings[index])
    assert paper.series[-1].counts.to_json() == document["totals"]["current"]["all"]
