"""The read model as it is, with the events its follower has not reached yet folded in
memory: what a login that may not write the model reads (``ragw admin init-roles`` on
PostgreSQL leaves the model to ``ragw follow``), so its answers are never stale.

The events after the model's tracking position (the tail) are read once. Reports,
committees and meetings they record are added to those stored. Each item they touch is
folded whole from its stream (its stored events up to the last the tail holds), and
that fold replaces whatever the model holds for it, on every day asked about; the
other items are read from the model, which is exact for them since no event after its
position touches them. The per-meeting paper rows the model keeps are used only when
the tail changes neither an item nor a meeting; otherwise papers count and list from
the item states, as a fold does. Every answer is therefore exactly the fold's.

Where the line is: a tail of up to :data:`TAIL` events (one page of the follower) is
folded this way, costing one read of the tail and one read per touched stream; a
longer tail means the follower is stopped or far behind, and then the whole answer is
the fold of the whole log (:meth:`projections.recorded.Recorded.of`), which costs as
much as the log but is certain: per-item overlays would then read thousands of
streams one by one, slower than one pass over the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from events import (
    CommitteeRegistered,
    InspectionEvent,
    LedgerEvent,
    MeetingReviewsChanged,
    MeetingScheduled,
    RecommendationEvent,
    RecommendationIssued,
    ReportRegistered,
)
from ledger.state import ItemView, fold_item
from projections.exceptions import Row, row_of
from projections.recorded import CommitteeRecord, Meeting, Recorded
from projections.rows import ReportFacts

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.store.read_model import TimelineStore

#: The longest tail folded over the stored model; beyond it the whole log is folded.
TAIL = 1000


def read_tail(ledger: Ledger, position: int) -> list[LedgerEvent] | None:
    """The events after ``position``, in recorded order; None when there are more
    than :data:`TAIL` of them."""
    notifications = ledger.recorder.select_notifications(start=position + 1, limit=TAIL + 1)
    if len(notifications) > TAIL:
        return None
    return [cast(LedgerEvent, ledger.mapper.to_domain_event(n)) for n in notifications]


def overlaid(
    store: TimelineStore, ledger: Ledger, tail: list[LedgerEvent], known_at: datetime | None
) -> Recorded:
    """What the ledger holds as known at ``known_at``: the stored model with ``tail``
    (the events after its position) folded over it."""
    recorded = Recorded.stored(store, known_at)
    seen = [e for e in tail if known_at is None or e.timestamp <= known_at]
    versions: dict[UUID, int] = {}
    for event in tail:  # every touched stream, as far as the tail goes
        if isinstance(event, RecommendationEvent):
            versions[event.originator_id] = event.originator_version
    streams: dict[str, list[RecommendationEvent]] = {}
    for stream_id, last in versions.items():
        stream = [
            e for e in ledger.events.get(stream_id, lte=last) if isinstance(e, RecommendationEvent)
        ]
        first = stream[0]
        assert isinstance(first, RecommendationIssued)
        streams[f"{first.report}/{first.ref}"] = [
            e for e in stream if known_at is None or e.timestamp <= known_at
        ]
    _add_records(store, recorded, seen)
    if streams or any(isinstance(e, MeetingScheduled) for e in seen):
        recorded.stored_tally = recorded.stored_lists = None  # papers count from states
    if streams:
        _fold_over(recorded, streams)
    return recorded


def _add_records(store: TimelineStore, recorded: Recorded, events: list[LedgerEvent]) -> None:
    """The reports, committees, meetings, reviews and inspections ``events`` record,
    added to
    ``recorded``."""
    by_stream: dict[UUID, CommitteeRecord] = {}
    if any(isinstance(e, MeetingScheduled | MeetingReviewsChanged) for e in events):
        with store._transaction(lock=False) as cursor:
            query = "SELECT stream, code FROM ragw_committees"
            cursor.execute(query)
            for stream, code in store._opened(query, cursor.fetchall()):
                if code in recorded.committees:
                    by_stream[UUID(stream)] = recorded.committees[code]
    for event in events:
        if isinstance(event, ReportRegistered):
            recorded.reports[event.code] = ReportFacts.of(event)
        elif isinstance(event, CommitteeRegistered):
            committee = CommitteeRecord(code=event.code, name=event.name)
            by_stream[event.originator_id] = recorded.committees[event.code] = committee
        elif isinstance(event, MeetingScheduled):
            owner = by_stream[event.originator_id]
            owner.meetings[event.meeting] = Meeting(
                owner.code, event.meeting, event.paper, event.review
            )
        elif isinstance(event, MeetingReviewsChanged):
            meetings = by_stream[event.originator_id].meetings
            meetings[event.meeting] = replace(meetings[event.meeting], review=event.review)
        elif isinstance(event, InspectionEvent):
            recorded.add_inspections([event])


def _fold_over(recorded: Recorded, streams: dict[str, list[RecommendationEvent]]) -> None:
    """Make ``recorded`` answer for the items of ``streams`` from their fold, and for
    every other item from the stored model."""
    statuses, rows, whole, not_for_us = (
        recorded.stored_statuses,
        recorded.stored_rows,
        recorded.stored_whole,
        recorded.stored_not_for_us,
    )
    assert statuses and rows and whole and not_for_us
    folds: dict[date, dict[str, ItemView]] = defaultdict(dict)

    def folded(day: date) -> dict[str, ItemView]:
        if day not in folds:
            folds[day] = {}
            for key, stream in streams.items():
                state = fold_item(stream, as_at=day)
                if state is not None:
                    folds[day][key] = state
        return folds[day]

    def states_as_at(day: date, known_at: datetime | None) -> Mapping[str, ItemView]:
        # Whole states, a few hundred a query: those who ask for every state (a board)
        # read their text and comment too, which a lazily read state would fetch one by one.
        # every item on the board: those counted, and those not the force's to act on
        counted = [key for key, _, _ in statuses(day, known_at)]
        kept = [key for key in (*counted, *not_for_us(day, known_at)) if key not in streams]
        return {**whole(day, known_at, kept), **folded(day)}

    def status_rows(day: date, known_at: datetime | None) -> list[tuple[str, str, str | None]]:
        kept = [row for row in statuses(day, known_at) if row[0] not in streams]
        return kept + [
            (key, s.report, s.status.value if s.status else None)
            for key, s in folded(day).items()
            if s.not_for_us is None
        ]

    def rows_as_at(day: date, known_at: datetime | None) -> list[Row]:
        kept = [row for row in rows(day, known_at) if row[0] not in streams]
        return kept + [row_of(state) for state in folded(day).values()]

    def not_for_us_keys(day: date, known_at: datetime | None) -> list[str]:
        kept = [key for key in not_for_us(day, known_at) if key not in streams]
        return kept + [key for key, state in folded(day).items() if state.not_for_us is not None]

    def whole_states(day: date, known_at: datetime | None, keys: list[str]) -> Any:
        found = dict(whole(day, known_at, [k for k in keys if k not in streams]))
        mine = folded(day)
        found.update({key: mine[key] for key in keys if key in mine})
        return found

    recorded.stored_states = states_as_at
    recorded.stored_statuses = status_rows
    recorded.stored_rows = rows_as_at
    recorded.stored_whole = whole_states
    recorded.stored_not_for_us = not_for_us_keys
