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

from events import Status
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
    now, then = DEMO_DATE, PREVIOUS_MEETING
    committee = Committee.register(
        code=DEMO_COMMITTEE, name=paper["committee"], actor=actor, on=then
    )
    committee.schedule_meeting(then, None, actor, then)
    committee.schedule_meeting(now, None, actor, now)
    aggregates: list[Report | Recommendation | Committee] = [committee]
    for entry in paper["reports"]:
        published = date.fromisoformat(entry["published"])
        report = Report.register(
            code=entry["code"],
            title=entry["title"],
            scope=entry["scope"],
            published=published,
            inspectorates=entry["inspectorates"],
            makes=entry["makes"],
            actor=actor,
            on=published,
        )
        aggregates.append(report)
        issued_on = then if published <= then else now
        for row in entry["items"]:
            reported = row["status"]  # as printed: NEW GREEN, AMBER, RED ...
            colour = reported.removeprefix("NEW ")
            earlier = "AMBER" if reported.startswith("NEW ") and issued_on < now else colour
            reason = row["comment"] or row.get("lead") or "as reported to the committee"
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
                on=issued_on,
                report=report,
            )
            if earlier != colour:
                item.change_status(Status(colour), reason, actor, now)
            if row["comment"]:
                item.note_progress(row["comment"], actor, now)
            aggregates.append(item)
    aggregates.extend(demo_inspections(actor))
    recorded = ledger.save_all(*aggregates, what="the demo ledger")
    recorded += review_reports(ledger, committee, actor=actor, on=now)
    return len(recorded)


def demo_inspections(actor: str) -> list[Any]:
    """The inspections of seed 002 (one without a report, one whose report is expected,
    two whose report date is not yet known) and the reports of seeds 000 and 002 that
    make no recommendations (one restricted, one the report of an inspection), dated in
    the demo's period; each inspection before the report that names it."""
    from ledger.aggregates import Inspection, Report

    data = json.loads(files("ledger").joinpath("data", INSPECTIONS).read_text("utf-8"))
    made: list[Any] = []
    for entry in data["inspections"]:
        start, end = (date.fromisoformat(day) for day in entry["fieldwork"])
        made.append(
            Inspection.add(
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
        )
    for entry in data["reports"]:
        published = date.fromisoformat(entry["published"])
        made.append(
            Report.register(
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
        )
    return made


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
