"""The November 2019 paper (seed 003), recorded with the history it implies, comes back
out of the ledger as the paper printed it."""

from __future__ import annotations

from datetime import date
from functools import cache

from ledger.demo import DEMO_COMMITTEE, DEMO_DATE, PREVIOUS_MEETING, build_demo, demo_paper
from projections.committee import Appendix, Summary, appendix_of, summary_of
from projections.recorded import Recorded
from tests.conftest import memory_ledger

ME = "Strategic Development"
PAPER_REPORTS = {report["code"] for report in demo_paper()["reports"]}


@cache
def recorded() -> Recorded:
    ledger = memory_ledger(today=date(2021, 6, 1))
    build_demo(ledger, actor=ME)
    return Recorded.of(e for _, e in ledger.read_log())


def the_summary() -> Summary:
    return summary_of(recorded(), DEMO_COMMITTEE, DEMO_DATE)


def the_appendix() -> Appendix:
    return appendix_of(recorded(), DEMO_COMMITTEE, DEMO_DATE)


def printed() -> dict[str, dict[str, str]]:
    return {
        f"{report['code']}/{item['ref']}": item
        for report in demo_paper()["reports"]
        for item in report["items"]
    }


def test_the_appendix_prints_every_status_the_paper_printed() -> None:
    shown = {i.key: i.status for r in the_appendix().reports for i in r.items}
    paper = {key: item["status"] for key, item in printed().items()}
    # The paper repeats two greens it had already reported; ragw leaves them out, as the
    # paper's own rule says ("previously reported greens are not included").
    assert {k for k in paper if k not in shown} == {"FRAUD19/3", "FRAUD19/4"}
    assert {k: paper[k] for k in shown} == shown


def test_the_appendix_prints_every_due_date_as_the_paper_wrote_it() -> None:
    shown = {i.key: i.due_written for r in the_appendix().reports for i in r.items}
    assert shown == {k: printed()[k]["due"] or "" for k in shown}


def test_the_appendix_lists_the_reports_newest_first_with_their_publication() -> None:
    # the seed paper's reports; the demo adds two from seeds 000 and 002 that make none
    reports = [r for r in the_appendix().reports if r.report.code in PAPER_REPORTS]
    assert [r.report.code for r in reports][:3] == ["CYBER19", "BETRAYAL", "CDI19"]
    betrayal = reports[1]
    assert betrayal.description == "A national report by HMICFRS published September 2019"
    assert betrayal.sentence == (
        "This report makes 6 recommendations, 4 for the force: 1 complete and 3 in progress."
    )


def test_the_summary_counts_the_papers_new_greens_and_new_reds() -> None:
    summary = the_summary()
    current = summary.totals["current"]["all"].to_json()
    assert current == {
        "NEW GREEN": 23,
        "AMBER": 57,
        "RED": 5,
        "NEW RED": 4,
        "WHITE": 18,
        "CLOSED": 0,
        "OUTSTANDING": 80,
    }
    assert summary.previous_meeting is not None
    assert summary.previous_meeting.on == PREVIOUS_MEETING
    assert summary.headline == (
        "There are currently 80 outstanding recommendations [68 national and 12 force]. "
        "There are 23 new greens to report since the previous report on 15 July 2019. "
        "There are 4 new reds."
    )


def test_reports_published_since_the_earlier_meeting_are_the_summarys_new_reports() -> None:
    new = [row.report.code for row in the_summary().rows if row.section == "new"]
    assert new == ["CYBER19", "PEELEFF19R", "BETRAYAL", "DIGITAL19", "CDI19", "LEADLIGHTS"]
    assert [line.code for line in the_summary().inspections.reports_published] == [
        "CDI19",
        "LEADLIGHTS",
        "DIGITAL19",
        "BETRAYAL",
        "PEELEFF19R",
        "CYBER19",
    ]


def test_the_demo_paper_lists_the_seed_inspections_and_marks_its_reports() -> None:
    sections = the_summary().inspections
    listed = {line.code: (line.stage, line.report) for line in sections.inspections}
    assert listed == {
        "CTCC19": ("debriefed", "no report will be published"),
        "CUSTJI19": ("debriefed", "report expected March 2020"),
        "DISCL19": ("completed", "report date not yet known"),
        "MSHT19": ("debriefed", "report date not yet known"),
    }  # PEELEFF19's report was published: it is listed with the reports
    published = {line.code: line for line in sections.reports_published}
    assert published["DIGITAL19"].withheld and published["DIGITAL19"].makes is None
    assert published["PEELEFF19R"].no_recommendations
    assert published["PEELEFF19R"].inspection == "PEELEFF19"


def test_the_reds_past_their_original_date_are_the_papers_slippage() -> None:
    slipped = {
        s.key: (s.times_extended, s.days_past_original) for s in the_summary().exceptions.slippage
    }
    assert slipped["HATE18/6"] == (1, (DEMO_DATE - date(2018, 10, 31)).days)
    assert set(slipped) == {"HATE18/6", "FRAUD19/1", "FRAUD19/9", "FRAUD19/16"}
