"""The paper's section "Not addressed to the force": every item that, as at the meeting,
is not the force's to act on (a recommendation to the Home Office, to the College of
Policing...), with who it is addressed to and why it is not the force's.

A paper counts none of these items (:func:`projections.exceptions.counted`), so it lists
every one of them as at its meeting, not only those said so since the meeting before:
the section is where the committee sees what the counts leave out. The addressees are
listed as written, and as their groups read them (:func:`ledger.addressees.groups_of`),
which order the section: items of one addressee together, in the papers' order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ledger.addressees import groups_of
from projections.committee.meeting import Record
from projections.exceptions import item_order
from projections.rows import status_word

if TYPE_CHECKING:
    from projections.recorded import Recorded


@dataclass(frozen=True)
class NotForTheForce(Record):
    """An item not the force's to act on, as at the meeting."""

    key: str
    report: str
    text: str
    #: Who the report addresses it to, as written, and as their groups read them.
    to: list[str]
    addressees: list[str]
    status: str
    reason: str
    #: The day it was said to be not the force's.
    since: date | None
    #: Said so since the meeting before, when that meeting's paper counted it: the
    #: headline says how many left the counts so, and the section marks them.
    since_last_meeting: bool = False


def not_for_the_force(
    recorded: Recorded, day: date, previous: date | None = None
) -> list[NotForTheForce]:
    """Every item not the force's to act on as at ``day``, by addressee, then in the
    papers' order of items; those the paper of the meeting on ``previous`` counted are
    marked (:attr:`NotForTheForce.since_last_meeting`)."""
    keys = recorded.not_for_us_keys(day)
    if not keys:
        return []
    states = recorded.whole_states(day, keys)
    counted_before: set[str] = set()
    if previous is not None:
        excluded = set(recorded.not_for_us_keys(previous))
        said = [
            key
            for key, state in states.items()
            if key not in excluded and state.relevance_on and state.relevance_on > previous
        ]
        # only the items on the ledger then were in that paper's counts
        counted_before = set(recorded.whole_states(previous, said)) if said else set()
    found = []
    for key, state in states.items():
        groups = list(groups_of(state.to))
        found.append(
            NotForTheForce(
                key=key,
                report=state.report,
                text=state.text,
                to=list(state.to),
                addressees=groups,
                status=status_word(state.status.value if state.status else None),
                reason=state.not_for_us or "",
                since=state.relevance_on,
                since_last_meeting=key in counted_before,
            )
        )
    found.sort(key=lambda item: (item.addressees[:1] or ["~"], item_order(item.key)))
    return found
