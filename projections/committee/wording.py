"""The paper's English: the headline, dates in words, the RAGW definitions, how a
report is described and its items counted in a sentence, kinds of item and due dates
as papers print them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from events import Status
from ledger.due import paper_date, parse_due
from projections.committee.counts import NEW_GREEN, NEW_RED, SCOPES

if TYPE_CHECKING:
    from ledger.state import ItemView
    from projections.committee.counts import Counts
    from projections.committee.summary import Exceptions
    from projections.recorded import Meeting
    from projections.store import ReportFacts

DEFINITIONS = (
    ("GREEN", "The recommendation is implemented."),
    (
        "AMBER",
        "The recommendation is subject to ongoing work and monitoring but is "
        "anticipated will be implemented.",
    ),
    (
        "RED",
        "The recommendation is beyond its designated deadline, or cannot / will not "
        "be implemented (rationale required).",
    ),
    (
        "WHITE",
        "The recommendation is not the force's responsibility to deliver, or is "
        "dependent upon another organisation delivering a product.",
    ),
    (NEW_GREEN, "GREEN since the previous report to this committee."),
    (NEW_RED, "RED since the previous report to this committee."),
    ("CLOSED", "Taken off the tracker without being implemented (e.g. superseded)."),
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KIND_WORDS = {
    "recommendation": "Recommendation",
    "afi": "Area for improvement",
    "concern": "Cause of concern",
}


def headline(
    current: dict[str, Counts],
    previous: Meeting | None,
    exceptions: Exceptions | None = None,
    *,
    not_for_the_force: int = 0,
) -> str:
    """The sentence a paper opens with, worded as the papers word it (square brackets
    included), then what else is new: ``not_for_the_force`` items the previous paper
    counted were found since not to be the force's, so the counts no longer hold them."""
    n, national, force = (current[scope].outstanding for scope in SCOPES)
    greens, reds, closed = (current["all"][k] for k in (NEW_GREEN, NEW_RED, "CLOSED"))
    since = f" since the previous report on {long_date(previous.on)}" if previous else ""
    text = (
        f"There {_are(n)} currently {_plural(n, 'outstanding recommendation')} "
        f"[{national} national and {force} force]. "
        f"There {_are(greens)} {_plural(greens, 'new green')} to report{since}."
    )
    if reds:
        text += f" There {_are(reds)} {_plural(reds, 'new red')}."
    if closed:
        text += f" {_plural(closed, 'recommendation')} {'was' if closed == 1 else 'were'} closed."
    if previous is not None and not_for_the_force:
        text += (
            f" {_plural(not_for_the_force, 'recommendation')} "
            f"{'was' if not_for_the_force == 1 else 'were'} found not to be addressed to the "
            f"force{since} and {'is' if not_for_the_force == 1 else 'are'} no longer counted."
        )
    if exceptions is not None and (claimed := len(exceptions.claimed)):
        text += f" There {_are(claimed)} {_plural(claimed, 'recommendation')} awaiting sign-off."
    if exceptions is not None and (asked := len(exceptions.requested_extensions)):
        text += (
            f" There {_are(asked)} {_plural(asked, 'extension request')} for the committee "
            "to grant."
        )
    return text


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def describe_report(report: ReportFacts) -> str:
    """ "A national report by HMICFRS published October 2019"."""
    by = f" by {' and '.join(report.inspectorates)}" if report.inspectorates else ""
    published = f"{report.published.strftime('%B')} {report.published.year}"
    return f"A {report.scope} report{by} published {published}"


def count_sentence(report: ReportFacts, states: list[ItemView]) -> tuple[dict[str, int], str]:
    """ "This report makes 6 recommendations, 4 for the force: 1 complete and 3 in
    progress". WHITE items are not the force's to deliver. A tracker holding more items
    than the report makes gives both numbers, so the count for the force never reads as
    a part of the smaller one."""
    statuses = Counter(state.status for state in states)
    complete = statuses[Status.GREEN]
    closed = statuses[Status.CLOSED]
    in_progress = statuses[Status.AMBER] + statuses[Status.RED] + statuses[None]
    for_force = complete + in_progress + closed
    tally = {
        "tracked": len(states),
        "for_force": for_force,
        "complete": complete,
        "in_progress": in_progress,
        "closed": closed,
    }
    if not states:
        if report.makes == 0:
            return tally, "This report makes no recommendations for the force."
        if report.makes is None:
            return tally, "None of this report's recommendations is on the tracker."
        return tally, (
            f"This report makes {_plural(report.makes, 'recommendation')}; "
            "none is on the tracker for the force."
        )
    if report.makes is not None and len(states) > report.makes:
        # areas for improvement the count left out, or an item split in parts: the
        # tracker holds more than the report counted, and the sentence says both
        opening = (
            f"This report makes {_plural(report.makes, 'recommendation')}; "
            f"{len(states)} items from it are on the tracker"
        )
    elif report.makes is not None:
        opening = f"This report makes {_plural(report.makes, 'recommendation')}"
    else:
        opening = f"This report has {_plural(len(states), 'item')} on the tracker"
    if not for_force:
        return tally, f"{opening}, none for the force."
    parts = [f"{complete} complete", f"{in_progress} in progress"]
    if closed:
        parts.append(f"{closed} closed")
    return tally, f"{opening}, {for_force} for the force: {_and(parts)}."


def _and(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


def due_history(state: ItemView) -> list[date]:
    """Every due date the item has had, the original first."""
    dates = [state.original_due] if state.original_due else []
    return dates + [extension.due for extension in state.extensions]


def written_due(state: ItemView, published: date) -> str:
    """The due date as a paper prints it, with its history: "October 2018 Now January
    2020". The item's own wording is kept while it still describes the dates, unless it
    is a bare ISO date, which papers print in words."""
    history = due_history(state)
    if state.due_text and not ISO_DATE.fullmatch(state.due_text.strip()):
        written = parse_due(state.due_text, published).dates
        if list(written) == history[: len(written)]:
            later = [paper_date(d) for d in history[len(written) :]]
            return " Now ".join([state.due_text, *later])
    return " Now ".join(paper_date(d) for d in history)
