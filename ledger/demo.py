"""A ready ledger built from a real committee paper.

The data file is a transcription of the appendix "HMICFRS Report Recommendations"
that City of London Police reported to its Performance and Resource Management Sub
Committee in November 2019: every report and item with its status, due date (as
written), lead body and comment. It is recorded in one batch, with the committee and the history the paper implies;
then the reports the November meeting reviews (:func:`review_reports`).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from events import Scope, Status
from ledger.application import Ledger
from ledger.errors import Field, RuleBrokenError

DATA = "colp-hmicfrs-2019-11.json"
#: Inspections and reports published in the demo's period, from seed papers 000 and 002.
INSPECTIONS = "seed-inspections.json"


@cache
def demo_paper() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(files("ledger").joinpath("data", DATA).read_text("utf-8"))
    return document


DEMO_DATE = date.fromisoformat(demo_paper()["recorded_on"])
PREVIOUS_MEETING = date.fromisoformat(demo_paper()["previous_meeting"])
DEMO_COMMITTEE = demo_paper()["committee_code"]


def build_demo(ledger: Ledger, *, actor: str) -> int:
    """Record the paper in an empty ledger as one transaction; return the event count.

    The history behind the paper is recorded, not just its last page: the committee and
    its two meetings; items of reports published before the earlier meeting are on the
    board from that meeting, with the status the paper implies they had then (an item
    marked NEW GREEN or NEW RED was AMBER); at the paper's date they change to the
    status the paper reports, and the paper's comment is noted. So NEW GREEN and NEW RED
    come out of the comparison of the two meetings, as they would for any ledger.
    """
    from ledger.aggregates import Committee, Recommendation, Report

    if ledger.last_position():
        raise RuleBrokenError(
            "the demo needs an empty ledger, and this one already holds events; "
            "give {store} a new file",
            store=Field.STORE,
        )
    paper = demo_paper()
    now = DEMO_DATE
    committee = demo_committee(actor)
    aggregates: list[Report | Recommendation | Committee] = [committee]
    for entry in paper["reports"]:
        aggregates += paper_report(ledger, entry, actor=actor)
    made, linked = demo_inspections(actor)
    recorded = ledger.save_all(*aggregates, *made, what="the demo ledger")
    for report, inspection, on in linked:  # each report of an inspection, as report add does
        inspection.reported(report.code, actor, on)
        recorded += ledger.save_all(report, inspection, what=f"report {report.code}")
    recorded += review_reports(ledger, committee, actor=actor, on=now)
    recorded += relevance_demo(ledger, actor=actor)
    return len(recorded)


def demo_committee(actor: str) -> Any:
    """The paper's committee with its two meetings, built (not saved)."""
    from ledger.aggregates import Committee

    then, now = PREVIOUS_MEETING, DEMO_DATE
    committee = Committee.register(
        code=DEMO_COMMITTEE, name=demo_paper()["committee"], actor=actor, on=then
    )
    committee.schedule_meeting(then, None, actor, then)
    committee.schedule_meeting(now, None, actor, now)
    return committee


def issued_on(published: date) -> date:
    """The day an item of a report published on ``published`` went on the board: the
    earlier meeting for reports published by then, the paper's date for later ones."""
    return PREVIOUS_MEETING if published <= PREVIOUS_MEETING else DEMO_DATE


def paper_statuses(row: dict[str, Any], issued: date) -> tuple[str, str, str]:
    """Of an item of the paper put on the board on ``issued``: the status it had then
    (an item marked NEW GREEN or NEW RED was AMBER at the earlier meeting), the status
    the paper reports, and the reason the paper gives for it."""
    reported = row["status"]  # as printed: NEW GREEN, AMBER, RED ...
    colour = reported.removeprefix("NEW ")
    earlier = "AMBER" if reported.startswith("NEW ") and issued < DEMO_DATE else colour
    reason = row["comment"] or row.get("lead") or "as reported to the committee"
    return earlier, colour, reason


def paper_report(
    ledger: Ledger, entry: dict[str, Any], *, actor: str, scope: str | None = None
) -> list[Any]:
    """Report ``entry`` of the paper and its items, built (not saved) with the history
    the paper implies (:func:`build_demo`); ``scope``: instead of the paper's."""
    from ledger.aggregates import Report

    published = date.fromisoformat(entry["published"])
    report = Report.register(
        code=entry["code"],
        title=entry["title"],
        scope=Scope(scope or entry["scope"]),
        published=published,
        inspectorates=entry["inspectorates"],
        makes=entry["makes"],
        actor=actor,
        on=published,
    )
    made: list[Any] = [report]
    issued = issued_on(published)
    for row in entry["items"]:
        earlier, _, reason = paper_statuses(row, issued)
        item = ledger.prepare_recommendation(
            report.code,
            row["ref"],
            kind=row["kind"],
            text=row["text"],
            lead=row.get("lead"),
            due=row["due"],
            status=earlier,
            reason=reason if earlier in ("RED", "WHITE") else None,
            actor=actor,
            on=issued,
            report=report,
        )
        follow_paper(item, row, earlier, actor=actor)
        made.append(item)
    return made


def follow_paper(item: Any, row: dict[str, Any], earlier: str, *, actor: str) -> None:
    """Bring ``item``, whose status is ``earlier``, to what the paper reports on its
    date: the status it prints, and its comment noted."""
    _, colour, reason = paper_statuses(row, DEMO_DATE)
    if earlier != colour:
        item.change_status(Status(colour), reason, actor, DEMO_DATE)
    if row["comment"]:
        item.note_progress(row["comment"], actor, DEMO_DATE)


def demo_inspections(actor: str) -> tuple[list[Any], list[tuple[Any, Any, date]]]:
    """The inspections of seed 002 (one without a report, one whose report is expected,
    two whose report date is not yet known) and the reports of seeds 000 and 002 that
    make no recommendations (one restricted, one the report of an inspection), dated in
    the demo's period: the inspections and the reports of none, and apart, each report of
    an inspection with that inspection and the day it took effect (saved once the
    inspection is, the two together)."""
    from ledger.aggregates import Inspection, Report

    data = json.loads(files("ledger").joinpath("data", INSPECTIONS).read_text("utf-8"))
    inspections: dict[str, Any] = {}
    for entry in data["inspections"]:
        start, end = (date.fromisoformat(day) for day in entry["fieldwork"])
        inspections[entry["code"]] = Inspection.add(
            code=entry["code"],
            title=entry["title"],
            inspectorates=entry["inspectorates"],
            fieldwork_from=start,
            fieldwork_to=end,
            debrief=date.fromisoformat(entry["debrief"]) if "debrief" in entry else None,
            expected=entry.get("expected"),
            no_report="no_report" in entry,
            reason=entry.get("no_report"),
            actor=actor,
            on=date.fromisoformat(entry["on"]),
        )
    made: list[Any] = list(inspections.values())
    linked: list[tuple[Any, Any, date]] = []
    for entry in data["reports"]:
        published = date.fromisoformat(entry["published"])
        report = Report.register(
            code=entry["code"],
            title=entry["title"],
            scope=entry["scope"],
            published=published,
            inspectorates=entry["inspectorates"],
            makes=entry["makes"],
            restricted=entry.get("restricted", False),
            inspection=entry.get("inspection"),
            actor=actor,
            on=published,
        )
        if "inspection" in entry:
            linked.append((report, inspections[entry["inspection"]], published))
        else:
            made.append(report)
    return made, linked


#: The reports the November meeting reviews, every item of each, as seed 002's committee
#: reviewed four in rotation ("Overview of the four reports for review", 2.21-2.48: a
#: PEEL inspection, a crime inspection of the force and two national reports).
REVIEWED = ("PEEL1819", "CDI19", "FRAUD19", "CUSTODY18")


def review_reports(ledger: Ledger, committee: Any, *, actor: str, on: date) -> list[str]:
    """Make the meeting on ``on`` review :data:`REVIEWED`, recorded after the reports
    (a review names reports the ledger already holds); the ids recorded."""
    held = {entry["code"] for entry in demo_paper()["reports"]}
    committee.change_reviews(on, [code for code in REVIEWED if code in held], actor, on)
    return ledger.save_all(committee, what="the demo meeting's reviews")


def relevance_demo(ledger: Ledger, *, actor: str) -> list[str]:
    """Items not addressed to the force, and one item superseded by a later one, from the
    earlier papers of seeds 000 (October 2015) and 002 (March 2017), recorded by the
    commands a user runs (:func:`not_the_forces_demo`, :func:`superseded_demo`); the ids
    recorded. The days of publication are illustrative where the papers give a month or
    a year only."""
    return not_the_forces_demo(ledger, actor=actor) + superseded_demo(ledger, actor=actor)


def not_the_forces_demo(ledger: Ledger, *, actor: str) -> list[str]:
    """The report "Building the picture" (seed 000, paragraph 11) makes recommendations "to the Home
    Office and National Lead for Information Management Business Area; to Chief
    Constables; and to the College of Policing": the first and the last are on the
    ledger as not the force's, so every paper lists them apart; the ids recorded."""
    recorded = ledger.register_report(
        "INFOMGMT15",
        title="Building the picture: an inspection of police information management",
        scope="national",
        published=date(2015, 7, 23),
        inspectorates=("HMIC",),
        actor=actor,
        on=date(2015, 7, 23),
    )
    considered = date(2015, 10, 21)  # the sub committee's meeting of seed 000
    for ref, text, to in (
        (
            "HO",
            "The report's recommendations to the Home Office and the National Lead for "
            "Information Management Business Area",
            ("the Home Office", "National Lead for Information Management Business Area"),
        ),
        (
            "COP",
            "The report's recommendations to the College of Policing",
            ("College of Policing",),
        ),
    ):
        recorded += ledger.issue_recommendation(
            "INFOMGMT15",
            ref,
            kind="recommendation",
            text=text,
            to=to,
            actor=actor,
            on=date(2015, 7, 23),
        )
        recorded += ledger.change_relevance(
            f"INFOMGMT15/{ref}",
            for_us=False,
            reason=f"Addressed to {' and '.join(to)}, not to the force (Pol 49/15, paragraph 11)",
            actor=actor,
            on=considered,
        )
    return recorded


def superseded_demo(ledger: Ledger, *, actor: str) -> list[str]:
    """West Midlands Police's 2014 crime inspection's item on examining seized computers
    (seed 002, 2.36-2.40) was carried into the 2015 child protection re-inspection's
    recommendation to eradicate the backlog, which PEEL 2016 found done: the older item
    is closed as superseded by the later one as of the March 2017 paper; the ids
    recorded."""
    recorded: list[str] = []
    for code, title, published in (
        ("CRIMEWMP14", "Crime inspection 2014: West Midlands Police", date(2014, 11, 27)),
        (
            "CPREVISIT15",
            "National child protection inspection revisit 2015: West Midlands Police",
            date(2015, 12, 1),
        ),
    ):
        recorded += ledger.register_report(
            code,
            title=title,
            scope="force",
            published=published,
            inspectorates=("HMIC",),
            actor=actor,
            on=published,
        )
    recorded += ledger.issue_recommendation(
        "CRIMEWMP14",
        "2",
        kind="recommendation",
        text="West Midlands Police should review the resourcing and process for prioritising "
        "the examination of telecommunication and computer equipment seized as part of "
        "criminal investigations, and by March 2015 commence a plan to improve their "
        "prioritisation and timeliness.",
        due="March 2015",
        status="AMBER",
        actor=actor,
        on=date(2014, 11, 27),
    )
    recorded += ledger.issue_recommendation(
        "CPREVISIT15",
        "1",
        kind="recommendation",
        text="The force should take steps to eradicate the backlog in the high-tech crime unit "
        "(HTCU).",
        status="AMBER",
        actor=actor,
        on=date(2015, 12, 1),
    )
    reviewed = date(2017, 3, 30)  # the paper of seed 002
    recorded += ledger.change_status("CPREVISIT15/1", "GREEN", actor=actor, on=reviewed)
    recorded += ledger.note_progress(
        "CRIMEWMP14/2",
        "Looked at again in the 2015 child protection re-inspection and PEEL Effectiveness "
        "2016: this cause for concern had been eradicated",
        actor=actor,
        on=reviewed,
    )
    recorded += ledger.supersede(
        "CRIMEWMP14/2",
        by="CPREVISIT15/1",
        reason="Cause of concern eradicated when re-inspected: carried into the 2015 "
        "re-inspection's recommendation, which PEEL Effectiveness 2016 found done (seed 002, "
        "2.37-2.40)",
        actor=actor,
        on=reviewed,
    )
    return recorded
