"""What a paper counts: each item marked against the meeting before.

The marks are the paper's words for a comparison of two statuses: NEW GREEN (GREEN
now), NEW RED (RED now, not RED then) and CLOSED; items already GREEN or CLOSED at the
meeting before are not counted at all ("previously reported greens are not included");
items awaiting a first status are NOT ASSESSED. OUTSTANDING = AMBER + RED + WHITE.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from events import Scope, Status
from projections.exceptions import NOT_ASSESSED

if TYPE_CHECKING:
    from ledger.state import ItemView
    from projections.recorded import Recorded, Row

NEW_GREEN, NEW_RED, OUTSTANDING = "NEW GREEN", "NEW RED", "OUTSTANDING"
#: The keys of every COUNTS object, in the order a paper prints them.
COUNT_KEYS = (NEW_GREEN, "AMBER", "RED", NEW_RED, "WHITE", "CLOSED", OUTSTANDING)
#: A paper's columns: the whole ledger, then national and force reports.
SCOPES = ("all", Scope.NATIONAL.value, Scope.FORCE.value)
#: Already reported to the committee: left out of the next paper.
REPORTED = frozenset({Status.GREEN, Status.CLOSED})


class Counts(Counter[str]):
    """Items by the status a paper prints for them."""

    def to_json(self) -> dict[str, int]:
        document = {key: self[key] for key in COUNT_KEYS}
        document[OUTSTANDING] = self["AMBER"] + self["RED"] + self["WHITE"]
        if self[NOT_ASSESSED]:
            document[NOT_ASSESSED] = self[NOT_ASSESSED]
        return document

    @property
    def outstanding(self) -> int:
        return self["AMBER"] + self["RED"] + self["WHITE"]

    def add(self, marks: tuple[str, ...]) -> None:
        self.update(marks)


def marks_of(now: str | None, before: str | None) -> tuple[str, ...]:
    """What a paper counts an item as, from its status now and at the meeting before
    (None when not yet assessed or not yet on the board); ``()`` when it was already
    reported GREEN or CLOSED then and is so still. An item reported GREEN and reopened
    since (AMBER, RED or WHITE now) is no longer a reported green: it is counted, and
    listed, as it now is (RED then counts as NEW RED), so a committee sees it again."""
    if before in REPORTED_WORDS and now in REPORTED_WORDS:
        return ()
    if now is None:
        return (NOT_ASSESSED,)
    if now == Status.GREEN.value:
        return (NEW_GREEN,)
    if now == Status.RED.value:
        return ("RED",) if before == Status.RED.value else ("RED", NEW_RED)
    return (now,)


REPORTED_WORDS = frozenset(status.value for status in REPORTED)
_WORDS = [None, *(status.value for status in Status)]
#: Every (now, before) pair's marks, worked out once.
MARKS = {(now, before): marks_of(now, before) for now in _WORDS for before in _WORDS}


def printed_status(marks: tuple[str, ...]) -> str:
    """The one word a paper prints in the status column."""
    return NEW_RED if NEW_RED in marks else marks[0]


@dataclass(frozen=True)
class Position:
    """Every item as at one meeting, marked against the meeting before it."""

    recorded: Recorded
    on: date | None
    before: date | None
    #: How many items of each report had each (status now, status before) pair.
    tally: Counter[tuple[str, str | None, str | None]]
    _by_report: dict[str, Counts] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def at(cls, recorded: Recorded, on: date | None, before: date | None) -> Position:
        keys, reports, statuses = recorded.status_columns(on)
        earlier = recorded.statuses_as_at(before)
        # Whole columns at once: an item absent before counts as not yet assessed then.
        tally = Counter(zip(reports, statuses, map(earlier.get, keys), strict=True))
        return cls(recorded, on, before, tally)

    @cached_property
    def marks(self) -> dict[str, tuple[str, ...]]:
        """What the paper counts each item as (``()`` when it was already reported GREEN
        or CLOSED), by key."""
        now, earlier = (
            self.recorded.statuses_as_at(self.on),
            self.recorded.statuses_as_at(self.before),
        )
        return {key: MARKS[status, earlier.get(key)] for key, status in now.items()}

    def rows(self) -> list[Row]:
        """Every item's columns as at ``on``."""
        return self.recorded.rows_as_at(self.on)

    @property
    def states(self) -> Mapping[str, ItemView]:
        """Every item's state as at ``on`` (read once, when a paper prints more than
        counts)."""
        return self.recorded.states_as_at(self.on)

    def counts(self, *, report: str | None = None, scope: str = "all") -> Counts:
        if report is not None:
            return self.by_report().get(report, Counts())
        counts = Counts()
        reports = self.recorded.reports
        for code, report_counts in self.by_report().items():
            if scope in ("all", reports[code].scope):
                counts.update(report_counts)
        return counts

    def by_report(self) -> dict[str, Counts]:
        """Counts per report, from the tally, kept."""
        if not self._by_report:
            for (code, now, before), n in self.tally.items():
                counts = self._by_report.setdefault(code, Counts())
                for mark in MARKS[now, before]:
                    counts[mark] += n
        return self._by_report
