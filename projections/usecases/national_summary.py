"""The national summary: every organisation's items counted per organisation and per
report, by status and by the inspectorates' verdict, as at any day and as known at any
moment.

Each organisation's read model answers with one grouping query (no item's row is read
out or rendered), joined on PostgreSQL to the verdicts the inspectorates' read models
hold; otherwise only the items carrying a verdict are looked up; an organisation whose
model the server cannot count (an encrypted ledger's, sealed) or whose reads fold
instead (a model behind its log that this login may not write) is counted off its
board. The reports a force received are counted again from their items, of those only
what the issuer issued. Every way gives the counts the national board would show (a
property test compares them).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from projections.rows import BOARD_STATUSES, NO_VERDICT, VERDICT_WORDS, status_word
from projections.usecases.board import board
from projections.usecases.national import (
    Issued,
    Member,
    as_issued,
    close_each,
    issued_by,
    members_of,
    split_members,
    verdicts_on,
)

if TYPE_CHECKING:
    from ledger.aggregates import GivenVerdict
    from projections.rows import BoardItem, ReportFacts
    from projections.usecases.session import LedgerSession


#: Where a tally keeps each of its numbers: how many items, then each status word, each
#: verdict word, and how many items are not the force's to act on (the order
#: :func:`projections.store.counts.count_in_step` counts them in).
_STATUS_AT = {word: 1 + at for at, word in enumerate(BOARD_STATUSES)}
_VERDICT_AT = {word: 1 + len(BOARD_STATUSES) + at for at, word in enumerate(VERDICT_WORDS)}
_NOT_OURS = 1 + len(BOARD_STATUSES) + len(VERDICT_WORDS)


@dataclass
class Tally:
    """Items counted: how many, by status word, by verdict, and how many are not the
    force's to act on (kept as one row of numbers: a national summary adds thousands)."""

    numbers: list[int] = field(default_factory=lambda: [0] * (_NOT_OURS + 1))

    @property
    def items(self) -> int:
        return self.numbers[0]

    @property
    def statuses(self) -> dict[str, int]:
        return {word: self.numbers[at] for word, at in _STATUS_AT.items()}

    @property
    def verdicts(self) -> dict[str, int]:
        return {word: self.numbers[at] for word, at in _VERDICT_AT.items()}

    @property
    def not_for_the_force(self) -> int:
        return self.numbers[_NOT_OURS]

    def count(self, status: str, verdict: str, ours: bool, items: int = 1) -> None:
        """``items`` more, of status word ``status`` and verdict word ``verdict``."""
        numbers = self.numbers
        numbers[0] += items
        numbers[_STATUS_AT[status]] += items
        numbers[_VERDICT_AT[verdict]] += items
        if not ours:
            numbers[_NOT_OURS] += items

    def given(self, verdict: str) -> None:
        """One item counted without a verdict has ``verdict``."""
        self.numbers[_VERDICT_AT[NO_VERDICT]] -= 1
        self.numbers[_VERDICT_AT[verdict]] += 1

    def add(self, other: Tally) -> None:
        self.numbers[:] = map(operator.add, self.numbers, other.numbers)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "statuses": self.statuses,
            "verdicts": self.verdicts,
            "not_for_the_force": self.not_for_the_force,
        }


@dataclass(frozen=True)
class ReportCount:
    """One report's items in one organisation's ledger, or in all that hold it."""

    code: str
    title: str
    scope: str
    #: Who issued it: the inspectorate for a national report received, else the holder.
    issued_by: str
    tally: Tally
    #: Across organisations: those holding it, in the register's order.
    holders: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "scope": self.scope,
            "issued_by": self.issued_by,
            **({"organisations": self.holders} if self.holders else {}),
            **self.tally.to_json(),
        }


@dataclass(frozen=True)
class OrgCount:
    member: Member
    tally: Tally
    reports: list[ReportCount]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.member.code,
            "name": self.member.name,
            "kind": self.member.kind,
            **self.tally.to_json(),
            "reports": [r.to_json() for r in self.reports],
        }


@dataclass(frozen=True)
class NationalSummary:
    as_at: date
    as_known_at: datetime | None
    organisations: list[OrgCount]
    #: Every report across the organisations holding it: a national report once, each
    #: organisation's own reports apart (two forces' reports of one code are two).
    reports: list[ReportCount]
    totals: Tally

    def to_json(self) -> dict[str, Any]:
        return {
            "as_at": self.as_at.isoformat(),
            "as_known_at": self.as_known_at.isoformat() if self.as_known_at else None,
            "organisations": [o.to_json() for o in self.organisations],
            "reports": [r.to_json() for r in self.reports],
            "totals": self.totals.to_json(),
        }


def national_summary(
    register: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    *,
    as_at: date,
    as_known_at: datetime | None = None,
) -> NationalSummary:
    """Every organisation's items as at ``as_at`` as known at ``as_known_at``, counted
    by status and by the inspectorates' verdict, per organisation and per report.
    Organisations whose read models are in step (and the inspectorates' too) are
    counted together, the verdicts with them
    (:func:`projections.store.counts.count_in_step`); with an inspectorate's model
    behind that this login may not bring up to date, they are counted together without
    it, and the verdicts read from the inspectorates' ledgers placed on them; each
    other organisation through its own session, which brings its model up to date or
    folds."""
    from projections.store.counts import ISSUED_BY, count_in_step

    members = members_of(register, as_known_at)
    inspectorates, holders = split_members(members)
    orgs, given_by = [h.code for h in holders], [i.code for i in inspectorates]
    # what each issuer issued, which the reports a force received are held to
    issued = issued_by(inspectorates, open_org, as_known_at, close_each) if holders else {}
    allowed = sorted(
        f"{origin}{ISSUED_BY}{code}/{ref}"
        for origin, reports in issued.items()
        for code, found_there in reports.items()
        for ref in found_there.texts
    )
    found = count_in_step(register.target, orgs, given_by, as_at, as_known_at, issued=allowed)
    if found.behind:  # an inspectorate's model behind its log: brought up to date first
        caught_up = True
        for code in found.behind:
            session = open_org(code)
            caught_up = session.read_model() is not None and caught_up  # None: still behind
            close_each(session)
        if caught_up:  # else counting again would find it behind again
            found = count_in_step(
                register.target, orgs, given_by, as_at, as_known_at, issued=allowed
            )
    verdicts: dict[str, dict[str, GivenVerdict]] = {}
    if found.behind:  # one this login may not bring up to date: its ledger's verdicts
        verdicts = verdicts_on(inspectorates, holders, open_org, as_at, as_known_at, {}, close_each)
        keys = {org: list(given) for org, given in verdicts.items()}
        found = count_in_step(register.target, orgs, [], as_at, as_known_at, keys, allowed)
    # an organisation holding an item its issuer did not issue is counted through its
    # session, which leaves it out
    in_step = {org: counted for org, counted in found.counted.items() if not counted.planted}
    others = [h for h in holders if h.code not in in_step]
    if others and not verdicts:
        verdicts = verdicts_on(inspectorates, others, open_org, as_at, as_known_at, {}, close_each)
    organisations = []
    for holder in holders:
        counted = in_step.get(holder.code)
        if counted is not None:
            tallies = {code: Tally(numbers) for code, numbers in counted.tallies.items()}
            for key, report in counted.on_board.items():  # verdicts read from a ledger
                tallies[report].given(verdicts[holder.code][key].verdict.value)
            reports = counted.reports
        else:
            session = open_org(holder.code)
            tallies, reports, received = _counted(
                session, as_at, as_known_at, verdicts[holder.code]
            )
            close_each(session)
            _count_as_issued(tallies, reports, received, issued)
        counts = [
            ReportCount(code, facts.title, facts.scope, facts.origin or holder.code, tallies[code])
            for code, facts in sorted(reports.items(), key=lambda pair: _report_order(pair[1]))
            if code in tallies
        ]
        total = Tally()
        for count in counts:
            total.add(count.tally)
        organisations.append(OrgCount(holder, total, counts))
    return NationalSummary(
        as_at, as_known_at, organisations, _across(organisations), _total(organisations)
    )


def _report_order(report: ReportFacts) -> tuple[bool, int, str]:
    """National reports first, then the newest, then by code."""
    return (report.scope != "national", -report.published.toordinal(), report.code)


#: An item on the board under a report its organisation received, as counted: (key,
#: report, status word, verdict word, whether the force's to act on).
Received = tuple[str, str, str, str, bool]


def _counted(
    session: LedgerSession,
    as_at: date,
    as_known_at: datetime | None,
    given: dict[str, GivenVerdict],
) -> tuple[dict[str, Tally], dict[str, ReportFacts], list[Received]]:
    """One organisation's items counted per report, its reports, and its items under
    the reports it received (:data:`Received`), read through its session."""
    store = session.read_model()
    if store is None:  # its reads fold: count its board
        tallies: dict[str, Tally] = {}
        reports = session.recorded(as_known_at).reports
        received: list[Received] = []
        for item in board(session, as_at=as_at, as_known_at=as_known_at).listed().items:
            counted = _received(item, given)
            tallies.setdefault(item.report, Tally()).count(*counted[2:])
            if reports[item.report].origin is not None:
                received.append(counted)
        return tallies, reports, received
    counts = store.status_counts(as_at, as_known_at)
    on_board = store.reports_of_keys(as_at, as_known_at, list(given))
    reports = store.reports(as_known_at)
    received = [
        _received(item, given)
        for code, facts in reports.items()
        if facts.origin is not None
        for item in board(session, as_at=as_at, as_known_at=as_known_at, report=code).listed().items
    ]
    return _tallied(counts, on_board, given), reports, received


def _received(item: BoardItem, given: dict[str, GivenVerdict]) -> Received:
    """An item on the board as counted (:data:`Received`)."""
    return (
        item.key,
        item.report,
        status_word(item.status),
        _word(given.get(item.key)),
        item.not_for_the_force is None,
    )


def _word(verdict: GivenVerdict | None) -> str:
    """A verdict's word as counted (none given: :data:`NO_VERDICT`)."""
    return verdict.verdict.value if verdict is not None else NO_VERDICT


def _count_as_issued(
    tallies: dict[str, Tally],
    reports: dict[str, ReportFacts],
    received: list[Received],
    issued: dict[str, dict[str, Issued]],
) -> None:
    """Each report an organisation received counted again from its items (``received``),
    of those only what its issuer issued (:func:`projections.usecases.national.as_issued`):
    the national board shows no other, so the counts do not either."""
    for code, facts in reports.items():
        if facts.origin is not None:
            tallies.pop(code, None)
    for key, report, status, verdict, ours in received:
        if as_issued(issued, reports[report], key.partition("/")[2]):
            tallies.setdefault(report, Tally()).count(status, verdict, ours)


def _tallied(
    counts: list[tuple[str, str | None, bool, int]],
    on_board: dict[str, str],
    given: dict[str, GivenVerdict],
) -> dict[str, Tally]:
    """A read model's counts per report, with the verdicts on the items on the board."""
    tallies: dict[str, Tally] = {}
    for report, status, ours, count in counts:
        tallies.setdefault(report, Tally()).count(status_word(status), NO_VERDICT, ours, count)
    # only the items with a verdict were looked up: those on the board move out of "none"
    for key, report in on_board.items():
        tallies[report].given(given[key].verdict.value)
    return tallies


def _across(organisations: list[OrgCount]) -> list[ReportCount]:
    """Each report once across the organisations holding it, in the first's order."""
    merged: dict[tuple[str, str], ReportCount] = {}
    for org in organisations:
        for count in org.reports:
            found = merged.get((count.issued_by, count.code))
            if found is None:
                found = merged[(count.issued_by, count.code)] = ReportCount(
                    count.code, count.title, count.scope, count.issued_by, Tally()
                )
            found.tally.add(count.tally)
            found.holders.append(org.member.code)
    return sorted(merged.values(), key=lambda r: (r.scope != "national", r.issued_by, r.code))


def _total(organisations: list[OrgCount]) -> Tally:
    total = Tally()
    for org in organisations:
        total.add(org.tally)
    return total
