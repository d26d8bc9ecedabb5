"""The paper's "Reports for review": each meeting looks closely at a few reports, in
rotation (``ragw meeting add --review``, ``ragw meeting review``). For each report the
meeting reviews, in the order given: its title and every item it holds as at the
meeting, with its status then, its owner and the latest comment (progress note) then,
all as the ledger held them at the paper's moment, from the read model or the fold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from projections.committee.meeting import Record
from projections.committee.wording import KIND_WORDS
from projections.rows import NOT_ASSESSED
from projections.text import ref_order

if TYPE_CHECKING:
    from projections.recorded import Meeting, Recorded


@dataclass(frozen=True)
class ReviewedItem(Record):
    key: str
    ref: str
    kind: str
    text: str
    #: As at the meeting; NOT ASSESSED while it awaits its first status.
    status: str
    owner: str | None
    due: date | None
    #: The latest progress note as at the meeting.
    latest_comment: str | None


@dataclass(frozen=True)
class ReviewedReport:
    code: str
    #: None only when the report was not yet known at the paper's moment.
    title: str | None
    items: list[ReviewedItem]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "items": [item.to_json() for item in self.items],
        }


def reviewed_of(recorded: Recorded, meeting: Meeting) -> list[ReviewedReport]:
    """The reports ``meeting`` reviews, in the order given, each with every item it
    holds as at the meeting's day (in the order of their refs); empty when it reviews
    none, so a paper without reviews reads nothing more."""
    if not meeting.review:
        return []
    keys, reports, _ = recorded.status_columns(meeting.on)
    wanted = set(meeting.review)
    by_report: dict[str, list[str]] = {code: [] for code in meeting.review}
    for key, report in zip(keys, reports, strict=True):
        if report in wanted:
            by_report[report].append(key)
    states = recorded.whole_states(meeting.on, [k for ks in by_report.values() for k in ks])
    reviewed = []
    for code in meeting.review:
        facts = recorded.reports.get(code)
        items = [
            ReviewedItem(
                key=state.key,
                ref=state.ref,
                kind=KIND_WORDS[state.kind.value],
                text=state.text,
                status=state.status.value if state.status else NOT_ASSESSED,
                owner=state.owner,
                due=state.due,
                latest_comment=state.comment,
            )
            for state in sorted(
                (states[key] for key in by_report[code]), key=lambda s: ref_order(s.ref)
            )
        ]
        reviewed.append(ReviewedReport(code, facts.title if facts else None, items))
    return reviewed
