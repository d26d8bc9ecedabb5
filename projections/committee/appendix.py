"""The appendix: per report, what it is, how many of its items are done, and every item
not already reported GREEN or CLOSED, with its status, due date history and comment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from projections.board import paper_order
from projections.committee.counts import Position, printed_status
from projections.committee.meeting import MeetingPaper, Record, day_of, report_json
from projections.committee.withholding import WITHHELD as _WITHHELD
from projections.committee.withholding import withheld
from projections.committee.wording import (
    DEFINITIONS,
    KIND_WORDS,
    count_sentence,
    describe_report,
    due_history,
    written_due,
)
from projections.text import ref_order

#: What the appendix prints for the text of an item of a restricted report.
WITHHELD = _WITHHELD

if TYPE_CHECKING:
    from projections.recorded import Recorded
    from projections.store import ReportFacts


@dataclass(frozen=True)
class AppendixItem(Record):
    key: str
    ref: str
    kind: str
    text: str
    status: str
    due: date | None
    due_history: list[date]
    due_written: str
    overdue: bool
    owner: str | None
    lead: str | None
    comment: str | None
    #: The request awaiting sign-off, as boards print it.
    pending: dict[str, Any] | None = None
    #: The later item that superseded it (it is CLOSED), when one did.
    superseded_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        document = super().to_json()
        if document["superseded_by"] is None:  # a paper with none prints as before
            del document["superseded_by"]
        return document


@dataclass(frozen=True)
class AppendixReport:
    report: ReportFacts
    description: str
    sentence: str
    tally: dict[str, int]
    items: list[AppendixItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **report_json(self.report),
            "inspectorates": list(self.report.inspectorates),
            "makes": self.report.makes,
            "restricted": self.report.restricted,
            "description": self.description,
            "sentence": self.sentence,
            **self.tally,
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True)
class Appendix(MeetingPaper):
    reports: list[AppendixReport]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.heading_json(),
            "definitions": [{"status": s, "definition": d} for s, d in DEFINITIONS],
            "reports": [report.to_json() for report in self.reports],
        }


def appendix_of(
    recorded: Recorded, committee: str, meeting: date, *, include_restricted: bool = False
) -> Appendix:
    """Per report: what it is, how many of its items are done, and every item not
    already reported GREEN or CLOSED, marked NEW GREEN / NEW RED against the meeting
    before. What a public paper withholds of a restricted report is withheld from the
    paper as a whole (:mod:`projections.committee.withholding`)."""
    heading = MeetingPaper.heading(recorded, committee, meeting)
    this, previous = heading["meeting"], heading["previous_meeting"]
    position = Position.at(recorded, this.on, day_of(previous))
    by_report: dict[str, list[str]] = {}
    marks = position.marks  # the items the paper counts: not those not for the force
    for key, state in position.states.items():
        if key in marks:
            by_report.setdefault(state.report, []).append(key)

    reports = []
    for report in sorted(recorded.reports.values(), key=paper_order):
        if report.published > this.on:
            continue
        streams = by_report.get(report.code, [])
        new_report = previous is None or report.published > previous.on
        shown = [s for s in streams if position.marks[s]]
        if not shown and not new_report:
            continue
        states = [position.states[s] for s in streams]
        tally, sentence = count_sentence(report, states)
        items = [
            _appendix_item(position, s, report, this.on)
            for s in sorted(shown, key=lambda s: ref_order(position.states[s].ref))
        ]
        reports.append(AppendixReport(report, describe_report(report), sentence, tally, items))
    appendix = Appendix(**heading, reports=reports)
    return withheld(appendix, recorded, include_restricted=include_restricted)


def _appendix_item(position: Position, key: str, report: ReportFacts, day: date) -> AppendixItem:
    state = position.states[key]
    history = due_history(state)
    return AppendixItem(
        key=state.key,
        ref=state.ref,
        kind=KIND_WORDS[state.kind.value],
        text=state.text,
        status=printed_status(position.marks[key]),
        due=state.due,
        due_history=history,
        due_written=written_due(state, report.published),
        overdue=state.overdue_as_at(day),
        owner=state.owner,
        lead=state.lead,
        comment=state.comment,
        pending=state.pending.to_json(state.key) if state.pending else None,
        superseded_by=state.superseded_by,
    )
