"""What reminders and calendars read: each owner's digest of the items to remind them
of (overdue first, then those due soon) with the addresses it goes to, the owners who
cannot be told, and an owner's open items for a calendar.

Which items are due within the window, and which are overdue, are the board's own
rules (:func:`~projections.usecases.board.open_items_due_within`, the overdue rule of
:mod:`projections.rows`): a reminder lists exactly what the board says.

A message, a calendar file and a calendar program's copy of a feed all end up somewhere
ragw does not control, so each item of a restricted report is given by its key, status
and dates alone, its text withheld as a public paper withholds it
(:mod:`projections.committee.withholding`); its page in ragw gives the rest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ledger.aggregates.access import fold_name
from ledger.errors import InvalidInputError
from ledger.inputs import clean_text
from projections.board import board_of
from projections.committee.withholding import restricted_codes, withheld_of
from projections.usecases.board import open_items_due_within

if TYPE_CHECKING:
    from ledger.state import ItemView
    from projections.rows import BoardItem
    from projections.usecases.session import LedgerSession

#: How far ahead a reminder looks by default: the 45 days of a monthly run.
WITHIN_DAYS = 45
#: The furthest ahead a reminder may look.
MOST_DAYS = 3660


@dataclass(frozen=True)
class ReminderLine:
    """One item as a reminder or a calendar lists it."""

    key: str
    text: str
    status: str | None
    due: date | None
    original_due: date | None
    times_extended: int
    #: When its due date last moved (its latest extension took effect), or None.
    last_moved: date | None
    overdue: bool
    #: The day its owner was last reminded of it, or None.
    reminded: date | None

    @classmethod
    def of(cls, item: BoardItem, state: ItemView) -> ReminderLine:
        return cls(
            key=item.key,
            text=item.text,
            status=item.status,
            due=item.due,
            original_due=state.original_due,
            times_extended=state.times_extended,
            last_moved=state.last_extended_on,
            overdue=item.overdue,
            reminded=item.reminded,
        )


@dataclass(frozen=True)
class Digest:
    """One owner's reminder: the items overdue, then those due soon."""

    owner: str
    addresses: tuple[str, ...]
    overdue: list[ReminderLine]
    due_soon: list[ReminderLine]
    #: Past their due date but not overdue: WHITE, waiting on another body to deliver.
    waiting: list[ReminderLine] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [line.key for line in (*self.overdue, *self.due_soon, *self.waiting)]


@dataclass(frozen=True)
class Reminders:
    """What a run as at ``on`` sends: a digest per owner with an address; the owners
    with items but no address (None: items that have no owner), with those items; and
    how many items were left out because their owner was reminded of them that day."""

    on: date
    within_days: int
    digests: list[Digest]
    unreachable: dict[str | None, list[str]]
    sent_already: int


def check_within(days: int) -> int:
    if not 0 <= days <= MOST_DAYS:
        raise InvalidInputError(
            "a reminder looks from 0 to {most} days ahead, not {days}", most=MOST_DAYS, days=days
        )
    return days


def _open_lines(
    session: LedgerSession, on: date, owner: str | None, within_days: int | None
) -> list[tuple[ReminderLine, str | None]]:
    recorded = session.recorded(None)
    states: Mapping[str, ItemView] = recorded.states_as_at(on)
    items = open_items_due_within(
        board_of(recorded, as_at=on, owner=owner).items, today=on, days=within_days
    )
    restricted = restricted_codes(recorded)
    return [
        (withheld_of(ReminderLine.of(item, states[item.key]), restricted), item.owner)
        for item in items
    ]


def _past(line: ReminderLine, on: date) -> bool:
    return line.due is not None and line.due < on


def reminders_due(session: LedgerSession, *, on: date, within_days: int) -> Reminders:
    """Each owner's digest of the open items overdue or due within ``within_days`` of
    ``on`` (the board as at ``on``), less those they were reminded of that day or by a
    message recorded today."""
    check_within(within_days)
    ledger = session.ledger(write=False)
    by_owner: dict[str | None, list[ReminderLine]] = {}
    named: dict[str, str] = {}
    sent_already = 0
    for line, owner in _open_lines(session, on, None, within_days):
        # the rule the record checks: reminded as at ``on``, or by a message recorded
        # today whatever day it was as at (a corrected reminder does not count)
        if ledger.reminded_already(line.key, on):
            sent_already += 1
            continue
        folded = fold_name(owner) if owner else None
        if owner and folded:
            named.setdefault(folded, owner)
        by_owner.setdefault(folded, []).append(line)
    digests: list[Digest] = []
    unreachable: dict[str | None, list[str]] = {}
    for folded, chosen in sorted(by_owner.items(), key=lambda pair: pair[0] or ""):
        owner = named[folded] if folded else None
        addresses = ledger.owner_emails(owner) if owner else ()
        if owner is None or not addresses:
            unreachable[owner] = [line.key for line in chosen]
            continue
        digests.append(
            Digest(
                owner=owner,
                addresses=addresses,
                overdue=[line for line in chosen if line.overdue],
                due_soon=[line for line in chosen if not line.overdue and not _past(line, on)],
                waiting=[line for line in chosen if not line.overdue and _past(line, on)],
            )
        )
    return Reminders(on, within_days, digests, unreachable, sent_already)


@dataclass(frozen=True)
class OwnerCalendar:
    """An owner's open items as at ``on``, for a calendar: one to-do each."""

    owner: str
    on: date
    lines: list[ReminderLine]
    #: Each item's version (its latest event's number), by key: it rises with every
    #: change, a retraction too, so a calendar's to-do is revised whenever its item is.
    versions: dict[str, int] = field(default_factory=dict)


def owner_calendar(session: LedgerSession, *, owner: str, on: date) -> OwnerCalendar:
    """Every open item (neither GREEN nor CLOSED) of ``owner`` (any letter case) as at
    ``on``, soonest due first."""
    who = clean_text(owner, "the owner", required=True) or ""
    lines = [line for line, _ in _open_lines(session, on, who, None)]
    ledger = session.ledger(write=False)
    versions = {line.key: ledger.get_recommendation(line.key).version for line in lines}
    return OwnerCalendar(who, on, lines, versions)
