"""What the ledger held at a moment, grouped by stream: where every read starts.

Reads take the events in recorded order, keep those recorded by ``known_at`` (all of
them when it is None) and group them: reports and committees by code, each item's
events in its own stream. The state of the items as at any date is then one fold per
item (:func:`ledger.state.fold_item`), computed once per date and kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from events import (
    CommitteeRegistered,
    InspectionEvent,
    LedgerEvent,
    MeetingReviewsChanged,
    MeetingScheduled,
    RecommendationEvent,
    ReportRegistered,
)
from ledger.errors import Fix, Hint, NotFoundError
from ledger.state import ItemView, fold_item
from projections.exceptions import Row, counted, row_of
from projections.rows import ReportFacts

if TYPE_CHECKING:
    from projections.store import PaperLists, TimelineStore


#: Every item as at a day, as columns: keys, reports, status words.
StatusColumns = tuple[Sequence[str], Sequence[str], Sequence[str | None]]


@dataclass(frozen=True)
class Meeting:
    committee: str
    on: date
    paper: str | None
    #: The reports the meeting reviews, by code, in the order its paper shows them.
    review: tuple[str, ...] = ()


@dataclass
class CommitteeRecord:
    code: str
    name: str
    meetings: dict[date, Meeting] = field(default_factory=dict)

    def sorted_meetings(self) -> list[Meeting]:
        return [self.meetings[day] for day in sorted(self.meetings)]

    def meeting(self, day: date) -> Meeting:
        """The meeting on ``day``; refuses a date the committee did not meet."""
        if day not in self.meetings:
            known = ", ".join(d.isoformat() for d in sorted(self.meetings)) or "none yet"
            raise NotFoundError(
                "{code} has no meeting on {day} (meetings: {known}); {hint}",
                code=self.code,
                day=day.isoformat(),
                known=known,
                hint=Hint.to(Fix.ADD_MEETING, code=self.code, day=day.isoformat()),
            )
        return self.meetings[day]

    def before(self, day: date) -> Meeting | None:
        """The latest meeting before ``day``: the one its paper compares with."""
        earlier = [d for d in self.meetings if d < day]
        return self.meetings[max(earlier)] if earlier else None


@dataclass
class Recorded:
    known_at: datetime | None
    reports: dict[str, ReportFacts] = field(default_factory=dict)
    #: The ledger's digest when it was read (``POSITION:LINK``), which papers print.
    digest: str | None = None
    items: dict[UUID, list[RecommendationEvent]] = field(default_factory=dict)
    committees: dict[str, CommitteeRecord] = field(default_factory=dict)
    #: Each inspection's events, by stream, in the order recorded.
    inspections: dict[UUID, list[InspectionEvent]] = field(default_factory=dict)
    _states: dict[date, Mapping[str, ItemView]] = field(default_factory=dict, repr=False)
    _columns: dict[date, StatusColumns] = field(default_factory=dict, repr=False)
    _statuses: dict[date, Mapping[str, str | None]] = field(default_factory=dict, repr=False)
    _rows: dict[date, list[Row]] = field(default_factory=dict, repr=False)
    #: Where item states come from when they are not folded here (a stored read model).
    stored_states: Callable[[date, datetime | None], Mapping[str, ItemView]] | None = None
    stored_statuses: Callable[[date, datetime | None], list[tuple[str, str, str | None]]] | None = (
        None
    )
    stored_rows: Callable[[date, datetime | None], list[Row]] | None = None
    stored_whole: Callable[[date, datetime | None, list[str]], Mapping[str, ItemView]] | None = None
    #: The keys of the items not the force's to act on as at a day (a stored read model).
    stored_not_for_us: Callable[[date, datetime | None], list[str]] | None = None
    #: A paper's counts and lists, kept per meeting by a stored read model.
    stored_tally: Callable[[str, date], Counter[tuple[str, str | None, str | None]]] | None = None
    stored_lists: Callable[[str, date], PaperLists] | None = None

    @classmethod
    def stored(cls, store: TimelineStore, known_at: datetime | None = None) -> Recorded:
        """Reports, committees and item states from the stored read model, as known at
        ``known_at``: nothing is replayed."""
        recorded = cls(known_at=known_at, reports=store.reports(known_at))
        for code, name in store.committees(known_at):
            recorded.committees[code] = CommitteeRecord(code=code, name=name)
        for code, day, paper in store.meetings(known_at):
            recorded.committees[code].meetings[day] = Meeting(code, day, paper)
        recorded.add_inspections(store.inspection_events(known_at))
        for (code, day), review in store.reviews(known_at).items():
            meetings = recorded.committees[code].meetings
            meetings[day] = replace(meetings[day], review=review)
        recorded.stored_states = store.states_as_at
        recorded.stored_statuses = store.status_rows
        recorded.stored_rows = store.rows_as_at
        recorded.stored_whole = store.whole_states
        recorded.stored_not_for_us = store.not_for_us_keys
        recorded.stored_tally = store.paper_tally
        recorded.stored_lists = store.paper_lists
        return recorded

    @classmethod
    def of(cls, events: Iterable[LedgerEvent], known_at: datetime | None = None) -> Recorded:
        recorded = cls(known_at=known_at)
        items: dict[UUID, list[RecommendationEvent]] = defaultdict(list)
        committees_by_id: dict[UUID, CommitteeRecord] = {}
        for event in events:
            if known_at is not None and event.timestamp > known_at:
                continue
            if isinstance(event, RecommendationEvent):
                items[event.originator_id].append(event)
            elif isinstance(event, InspectionEvent):
                recorded.add_inspections([event])
            elif isinstance(event, ReportRegistered):
                recorded.reports[event.code] = ReportFacts.of(event)
            elif isinstance(event, CommitteeRegistered):
                committee = CommitteeRecord(code=event.code, name=event.name)
                committees_by_id[event.originator_id] = committee
                recorded.committees[event.code] = committee
            elif isinstance(event, MeetingScheduled):
                owner = committees_by_id[event.originator_id]
                owner.meetings[event.meeting] = Meeting(
                    owner.code, event.meeting, event.paper, event.review
                )
            elif isinstance(event, MeetingReviewsChanged):
                meetings = committees_by_id[event.originator_id].meetings
                meetings[event.meeting] = replace(meetings[event.meeting], review=event.review)
        recorded.items = dict(items)
        return recorded

    def add_inspections(self, events: Iterable[InspectionEvent]) -> None:
        """Add inspections' events, each after those of its stream already held."""
        for event in events:
            self.inspections.setdefault(event.originator_id, []).append(event)

    def committee(self, code: str) -> CommitteeRecord:
        if code not in self.committees:
            known = ", ".join(sorted(self.committees)) or "none yet"
            raise NotFoundError(
                "no committee {code} (committees: {known}); {hint}",
                code=code,
                known=known,
                hint=Hint.to(Fix.CREATE_COMMITTEE, code=code),
            )
        return self.committees[code]

    def states_as_at(self, day: date | None) -> Mapping[str, ItemView]:
        """Every item on the board as at ``day``, by key; None is the empty ledger."""
        if day is None:
            return {}
        if day not in self._states and self.stored_states is not None:
            self._states[day] = self.stored_states(day, self.known_at)
        if day not in self._states:
            states = {}
            for stream in self.items.values():
                state = fold_item(stream, as_at=day)
                if state is not None:
                    states[state.key] = state
            self._states[day] = states
        return self._states[day]

    def status_columns(self, day: date | None) -> StatusColumns:
        """Every item a paper counts as at ``day`` (on the board, and the force's to act
        on) as three columns in step: keys, their reports, their status words (None when
        not assessed). All a paper's counts need, so a stored read model answers it from
        three columns, and counting runs over whole columns at once rather than item by
        item."""
        if day is None:
            return ((), (), ())
        if day not in self._columns:
            rows: Iterable[Sequence[Any]]
            if day in self._rows:
                rows = counted(self._rows[day])
            elif day not in self._states and self.stored_statuses is not None:
                rows = self.stored_statuses(day, self.known_at)
            else:
                rows = [
                    (key, state.report, state.status.value if state.status else None)
                    for key, state in self.states_as_at(day).items()
                    if state.not_for_us is None
                ]
            columns = list(zip(*rows, strict=True)) or [(), (), ()]  # rows to columns, in C
            self._columns[day] = (columns[0], columns[1], columns[2])  # type: ignore[assignment]
        return self._columns[day]

    def statuses_as_at(self, day: date | None) -> Mapping[str, str | None]:
        """Every item a paper counts as at ``day`` (:meth:`status_columns`): key -> status
        word (None when not yet assessed)."""
        if day is None:
            return {}
        if day not in self._statuses:
            keys, _, statuses = self.status_columns(day)
            self._statuses[day] = dict(zip(keys, statuses, strict=True))
        return self._statuses[day]

    def rows_as_at(self, day: date | None) -> list[Row]:
        """Every item on the board as at ``day``, as the columns papers read."""
        if day is None:
            return []
        if day not in self._rows:
            if day not in self._states and self.stored_rows is not None:
                self._rows[day] = self.stored_rows(day, self.known_at)
            else:
                self._rows[day] = [row_of(state) for state in self.states_as_at(day).values()]
        return self._rows[day]

    def not_for_us_keys(self, day: date) -> list[str]:
        """The items on the board as at ``day`` that are not the force's to act on (a
        stored read model finds them without reading every item's row)."""
        if day in self._rows:
            return [row[0] for row in self._rows[day] if row[9] is not None]
        if day not in self._states and self.stored_not_for_us is not None:
            return self.stored_not_for_us(day, self.known_at)
        return [
            key for key, state in self.states_as_at(day).items() if state.not_for_us is not None
        ]

    def whole_states(self, day: date, keys: list[str]) -> Mapping[str, ItemView]:
        """The whole states of these items as at ``day`` (a stored read model reads
        just these)."""
        if day not in self._states and self.stored_whole is not None:
            return self.stored_whole(day, self.known_at, keys)
        states = self.states_as_at(day)
        # an item not yet on the ledger then has no state, as the stored model finds none
        return {key: states[key] for key in keys if key in states}

    def kept_tally(
        self, committee: str, meeting: date
    ) -> Counter[tuple[str, str | None, str | None]] | None:
        """What the paper for a meeting counts, as kept per meeting by a stored read
        model of the ledger as known now; None when it must be worked out here."""
        if self.stored_tally is None or self.known_at is not None:
            return None
        return self.stored_tally(committee, meeting)

    def kept_lists(self, committee: str, meeting: date) -> PaperLists | None:
        """The paper's lists for a meeting, kept likewise; None when not kept."""
        if self.stored_lists is None or self.known_at is not None:
            return None
        return self.stored_lists(committee, meeting)
