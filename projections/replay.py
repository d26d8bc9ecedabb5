"""History replayed step by step: after each event, in the order recorded, an item's
board row, or the counts of a meeting's paper, as they stood just after it.

"As they stood" is what the ledger held once that event was recorded: the events up to
and including it in the log's order (each writer's recorded moments rise with it, so
this is the board or the summary read as known at the event's recorded moment).

Each item is folded as its events come (:class:`ItemFold`): an event that takes effect
no earlier than every event counted so far, as most do, is one step of the fold; only a
correction or a back-dated event folds that one item's stream again. A meeting's counts
are kept per item and moved by the item an event touches, so a replay over a national
register costs about one pass over its log, never a summary per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from events import (
    CommitteeRegistered,
    EventCorrected,
    LedgerEvent,
    MeetingScheduled,
    RecommendationEvent,
    RecommendationIssued,
    ReportRegistered,
)
from ledger.formats import iso_utc
from ledger.state import ItemState, fold_item, fold_step
from projections.committee.counts import COUNT_KEYS, MARKS, NOT_ASSESSED, SCOPES, Counts
from projections.rows import BoardItem

E = TypeVar("E", bound=LedgerEvent)


class ItemFold:
    """One item's events folded as they are recorded, keeping its state as at each of
    ``days`` (None: every event counted, whatever day it took effect)."""

    def __init__(self, days: Sequence[date | None] = (None,)) -> None:
        self.events: list[RecommendationEvent] = []
        self.days: tuple[date | None, ...] = tuple(days)
        self.states: dict[date | None, ItemState | None] = dict.fromkeys(self.days)
        #: Every event counted, folded in order of effect (what the fast step extends).
        self.latest: ItemState | None = None
        #: The latest day any counted event took effect.
        self._last_on: date | None = None

    def add(self, event: RecommendationEvent) -> None:
        """The item once ``event`` is recorded too."""
        self.events.append(event)
        if isinstance(event, EventCorrected) or (
            self._last_on is not None and event.on < self._last_on
        ):
            self.fold_again()  # a retraction or a back-dated fact: its place is not the end
            return
        self._last_on = event.on
        self.latest = fold_step(self.latest, event)
        for day in self.days:
            if day is None or event.on <= day:
                self.states[day] = self.latest

    def track(self, days: Sequence[date | None]) -> None:
        """Keep the state as at these days from now on."""
        if tuple(days) != self.days:
            self.days = tuple(days)
            self.fold_again()

    def fold_again(self) -> None:
        self.latest = fold_item(self.events)
        counted = [e.on for e in self.events if not isinstance(e, EventCorrected)]
        self._last_on = max(counted, default=None)
        self.states = {day: fold_item(self.events, as_at=day) for day in self.days}

    def as_at(self, day: date | None) -> ItemState | None:
        return self.states[day]


@dataclass(frozen=True)
class Step:
    """One event, and what stood just after it was recorded."""

    event: LedgerEvent
    #: The event's id as the log names it (``KEY@VERSION``).
    id: str
    #: The item's row, or the paper's counts; None when there is none yet.
    state: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.id,
            "recorded_at": iso_utc(self.event.timestamp),
            "state": self.state,
        }


def item_steps(
    key: str, events: Iterable[RecommendationEvent], *, scope: str, as_at: date
) -> Iterator[Step]:
    """A step for every event of the item ``key`` (of a report of ``scope``), in the
    order recorded: its board row as at ``as_at`` just after that event (as ``ragw
    board --format json`` prints it), None while it is not on that board."""
    fold = ItemFold((as_at,))
    for event in events:
        fold.add(event)
        state = fold.as_at(as_at)
        row = None if state is None else BoardItem.of(state, scope, as_at).to_json()
        yield Step(event, f"{key}@{event.originator_version}", row)


#: A paper's counts: per column ("previous", "current"), per scope, what the paper counts.
Totals = dict[str, dict[str, Counts]]


def totals_json(totals: Totals) -> dict[str, Any]:
    """As ``ragw summary --format json`` prints its ``totals``."""
    return {
        column: {scope: counts.to_json() for scope, counts in by_scope.items()}
        for column, by_scope in totals.items()
    }


@dataclass
class _Item:
    report: str
    fold: ItemFold
    #: What it adds to the current and the previous column (None: not counted there).
    marks: tuple[tuple[str, ...] | None, tuple[str, ...] | None] = (None, None)


@dataclass
class MeetingReplay:
    """The counts of the paper for ``committee``'s meeting on ``day`` as events are
    recorded: each item's part in them moved when one of its events comes."""

    committee: str
    day: date
    scopes: dict[str, str] = field(default_factory=dict)
    items: dict[UUID, _Item] = field(default_factory=dict)
    keys: dict[UUID, str] = field(default_factory=dict)
    committee_id: UUID | None = None
    #: The committee's meetings known so far.
    meetings: set[date] = field(default_factory=set)
    #: The days a paper's counts read: this meeting, the one before, the one before that.
    days: tuple[date | None, date | None, date | None] | None = None
    totals: Totals = field(default_factory=dict)
    #: The totals' JSON as last shown, and the counts moved since (only they are redone).
    _shown: dict[str, dict[str, Any]] = field(default_factory=dict)
    _moved: set[tuple[str, str]] = field(default_factory=set)

    def steps(self, events: Iterable[LedgerEvent]) -> Iterator[Step]:
        """A step for every event after which the paper's counts differ from those just
        before it (no paper at all until the meeting is known)."""
        shown: dict[str, Any] | None = None
        for event in events:
            if not self.add(event):
                continue
            now = self._totals_json() if self.days is not None else None
            if now != shown:
                shown = now
                yield Step(event, self.event_id(event), now)

    def _totals_json(self) -> dict[str, Any]:
        """:func:`totals_json` of the totals, remade only where counts moved (the
        objects of earlier steps are left as they were shown)."""
        shown = {column: dict(by_scope) for column, by_scope in self._shown.items()}
        for column, scope in self._moved:
            shown.setdefault(column, {})[scope] = self.totals[column][scope].to_json()
        self._moved.clear()
        self._shown = {column: {s: shown[column][s] for s in SCOPES} for column in self.totals}
        return self._shown

    def event_id(self, event: LedgerEvent) -> str:
        return (
            f"{self.keys.get(event.originator_id, event.originator_id)}@{event.originator_version}"
        )

    def add(self, event: LedgerEvent) -> bool:
        """Take ``event`` in; whether the counts may have moved."""
        if isinstance(event, RecommendationEvent):
            return self._item_event(event)
        if isinstance(event, ReportRegistered):
            self.scopes[event.code] = event.scope.value
            self.keys[event.originator_id] = event.code
        elif isinstance(event, CommitteeRegistered):
            self.keys[event.originator_id] = event.code
            if event.code == self.committee:
                self.committee_id = event.originator_id
        elif isinstance(event, MeetingScheduled) and event.originator_id == self.committee_id:
            self.meetings.add(event.meeting)
            return self._meetings_changed()
        return False

    def _item_event(self, event: RecommendationEvent) -> bool:
        item = self.items.get(event.originator_id)
        if item is None:
            if not isinstance(event, RecommendationIssued):
                return False  # not a stream the ledger could hold; nothing to count
            self.keys[event.originator_id] = f"{event.report}/{event.ref}"
            item = self.items[event.originator_id] = _Item(event.report, ItemFold(self.days or ()))
        item.fold.add(event)
        if self.days is None:
            return False
        return self._recount(item)

    def _meetings_changed(self) -> bool:
        if self.day not in self.meetings:
            return False
        before = max((d for d in self.meetings if d < self.day), default=None)
        earlier = max((d for d in self.meetings if before and d < before), default=None)
        days = (self.day, before, earlier)
        if days == self.days:
            return False
        self.days = days
        # every word counted present from the start: reading a missing one costs a call
        zero = dict.fromkeys([*COUNT_KEYS, NOT_ASSESSED], 0)
        self.totals = {
            column: {scope: Counts(zero) for scope in SCOPES} for column in ("previous", "current")
        }
        self._moved = {(column, scope) for column in self.totals for scope in SCOPES}
        for item in self.items.values():
            item.marks = (None, None)
            item.fold.track(days)
            self._recount(item)
        return True

    def _recount(self, item: _Item) -> bool:
        """Move the item's part in the counts; whether it moved."""
        assert self.days is not None
        day, before, earlier = self.days
        marks = (self._marks(item, day, before), self._marks(item, before, earlier))
        if marks == item.marks:
            return False
        scopes = ("all", self.scopes.get(item.report, ""))
        for column, old, new in zip(("current", "previous"), item.marks, marks, strict=True):
            for scope in scopes:
                counts = self.totals[column].get(scope)
                if counts is None:
                    continue
                counts.subtract(old or ())
                counts.update(new or ())
                if old != new:
                    self._moved.add((column, scope))
        item.marks = marks
        return True

    @staticmethod
    def _marks(item: _Item, day: date | None, before: date | None) -> tuple[str, ...] | None:
        if day is None:
            return None
        now = item.fold.as_at(day)
        if now is None or now.not_for_us is not None:
            return None  # not on the board, or not the force's, then: not counted at all
        then = item.fold.as_at(before) if before is not None else None
        if then is not None and then.not_for_us is not None:
            then = None  # counted as an item not yet on the board then
        status = now.status.value if now.status else None
        return MARKS[status, then.status.value if then and then.status else None]


def meeting_steps(committee: str, day: date, events: Iterable[LedgerEvent]) -> Iterator[Step]:
    """The steps of :class:`MeetingReplay` over ``events`` in the order recorded."""
    return MeetingReplay(committee, day).steps(events)


def known_by(events: Iterable[E], known_at: datetime | None) -> Iterator[E]:
    """The events recorded by ``known_at`` (all of them when None), in the order recorded."""
    return (e for e in events if known_at is None or e.timestamp <= known_at)
