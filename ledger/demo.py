"""A ready ledger built from a real committee paper.

The data file is a transcription of the appendix "HMICFRS Report Recommendations"
that City of London Police reported to its Performance and Resource Management Sub
Committee in November 2019: every report and item with its status, due date (as
written), lead body and comment. It is recorded as at the paper's date, in one batch.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from ledger.application import Ledger
from ledger.errors import RuleBrokenError

DATA = "colp-hmicfrs-2019-11.json"


@cache
def demo_paper() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(files("ledger").joinpath("data", DATA).read_text("utf-8"))
    return document


DEMO_DATE = date.fromisoformat(demo_paper()["recorded_on"])


def build_demo(ledger: Ledger, *, actor: str) -> int:
    """Record the paper in an empty ledger as one transaction; return the event count."""
    from ledger.aggregates import Recommendation, Report

    if ledger.count_events():
        raise RuleBrokenError(
            "the demo needs an empty ledger, and this one already holds events; "
            "give --db a new file"
        )
    paper = demo_paper()
    on = date.fromisoformat(paper["recorded_on"])
    aggregates: list[Report | Recommendation] = []
    for entry in paper["reports"]:
        report = Report.register(
            code=entry["code"],
            title=entry["title"],
            scope=entry["scope"],
            published=date.fromisoformat(entry["published"]),
            inspectorates=entry["inspectorates"],
            makes=entry["makes"],
            actor=actor,
            on=on,
        )
        aggregates.append(report)
        for row in entry["items"]:
            status = row["status"]
            item = ledger.prepare_recommendation(
                report.code,
                row["ref"],
                kind=row["kind"],
                text=row["text"],
                lead=row.get("lead"),
                due=row["due"],
                status=status,
                reason=(row["comment"] or row.get("lead"))
                if status.endswith(("RED", "WHITE"))
                else None,
                actor=actor,
                on=on,
                report=report,
            )
            if row["comment"]:
                item.note_progress(row["comment"], actor, on)
            aggregates.append(item)
    recorded = ledger.save_all(*aggregates, what="the demo ledger")
    return len(recorded)
