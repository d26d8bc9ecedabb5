"""The state of one recommendation, folded from its events.

One fold serves every question about time. ``as_at`` keeps the events that took
effect on or before a date; ``known_at`` keeps the events recorded by a moment.
Corrections recorded within ``known_at`` retract the events they name. What remains
is applied in order of effect (``on``), ties in the order recorded, so an update typed
in late counts from the day it says it took effect. What a state holds is
:mod:`ledger.item_state`; its names are importable from here as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from events import (
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    OwnerAssigned,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    RelevanceChanged,
    ReminderSent,
    Request,
    SignedOff,
    SignOffRejected,
    SignOffRequested,
    Status,
    StatusChanged,
    Superseded,
    Supersedes,
)
from ledger.item_state import (
    NOT_OVERDUE,
    REQUESTS,
    Extended,
    ItemState,
    ItemView,
    Pending,
    asks_for,
)

__all__ = [
    "NOT_OVERDUE",
    "REQUESTS",
    "Extended",
    "ItemState",
    "ItemView",
    "Pending",
    "Span",
    "apply_to_state",
    "asks_for",
    "corrected_version",
    "effective_events",
    "fold_item",
    "fold_step",
    "later_timeline",
    "signed_off",
    "timeline",
]


def effective_events(
    events: Iterable[RecommendationEvent],
    as_at: date | None = None,
    known_at: datetime | None = None,
) -> list[RecommendationEvent]:
    """The events of one item that count, in order of effect."""
    known = [e for e in events if known_at is None or e.timestamp <= known_at]
    retracted = {corrected_version(e) for e in known if isinstance(e, EventCorrected)}
    counted = [
        e
        for e in known
        if not isinstance(e, EventCorrected)
        and e.originator_version not in retracted
        and (as_at is None or e.on <= as_at)
    ]
    counted.sort(key=lambda e: (e.on, e.originator_version))
    return counted


def fold_item(
    events: Sequence[RecommendationEvent],
    as_at: date | None = None,
    known_at: datetime | None = None,
) -> ItemState | None:
    """The item as at ``as_at`` as known at ``known_at``; None when not on the board."""
    state: ItemState | None = None
    for event in effective_events(events, as_at, known_at):
        state = _step(state, event)
    return state


def timeline(
    events: Sequence[RecommendationEvent], known_at: datetime | None = None
) -> list[tuple[date, date | None, ItemState]]:
    """The item over effective time, as known at ``known_at``: ``(from, until, state)``
    where ``state`` is :func:`fold_item` as at every day from ``from`` up to (not
    including) ``until``; the last ``until`` is None. Before the first, it is not on
    the board. Stored read models keep these, so that they answer as the fold does."""
    counted = effective_events(events, None, known_at)
    spans: list[tuple[date, date | None, ItemState]] = []
    state: ItemState | None = None
    for index, event in enumerate(counted):
        state = _step(state, event)
        following = counted[index + 1].on if index + 1 < len(counted) else None
        if state is not None and following != event.on:
            spans.append((event.on, following, state.snapshot()))
    return spans


Span = tuple[date, date | None, ItemState]


def later_timeline(
    spans: list[Span], event: RecommendationEvent
) -> tuple[list[Span], list[Span], list[Span]] | None:
    """The timeline after one more ``event``, when it takes effect no earlier than every
    event counted so far and retracts nothing (the usual case): only its end changes.
    Returns (timeline, spans it ended, spans it began); None when another event must be
    folded in between, so :func:`timeline` must be worked out again."""
    if isinstance(event, EventCorrected):
        return None
    if not spans:
        issued = _step(None, event) if isinstance(event, RecommendationIssued) else None
        if issued is None:
            return None
        span: Span = (event.on, None, issued)
        return [span], [], [span]
    start, _, last = spans[-1]
    if event.on < start:
        return None
    state = _step(last.snapshot(), event)
    assert state is not None
    if event.on == start:
        span = (start, None, state)
        if span == spans[-1]:
            return spans, [], []
        return [*spans[:-1], span], [spans[-1]], [span]
    ended: Span = (start, event.on, last)
    span = (event.on, None, state)
    return [*spans[:-1], ended, span], [spans[-1]], [ended, span]


def fold_step(state: ItemState | None, event: RecommendationEvent) -> ItemState | None:
    """``state`` with one more ``event`` folded in, as :func:`fold_item` folds each event,
    leaving ``state`` itself as it was: the fold of a stream one event longer, when that
    event takes effect no earlier than every event counted in ``state`` and is no
    correction (a replay steps through a stream so, and folds again only otherwise)."""
    return _step(state.snapshot() if state is not None else None, event)


def _step(state: ItemState | None, event: RecommendationEvent) -> ItemState | None:
    if isinstance(event, RecommendationIssued):
        state = ItemState(
            report=event.report,
            ref=event.ref,
            kind=event.kind,
            text=event.text,
            issued_on=event.on,
            owner=event.owner,
            lead=event.lead,
            status=event.status,
            status_on=event.on if event.status else None,
            status_reason=event.reason,
            due=event.due,
            original_due=event.due,
            due_text=event.due_text,
            to=tuple(event.to),
        )
    elif state is not None:
        apply_to_state(state, event)
    if state is not None:
        state.last_on = event.on
    return state


def apply_to_state(state: ItemState, event: RecommendationEvent) -> None:
    if state.is_closed:
        return  # closing is final; later facts cannot reopen it (a correction can)
    if isinstance(event, StatusChanged):
        state.status, state.status_on, state.status_reason = (
            event.status,
            event.on,
            event.reason,
        )
        if (
            event.status is Status.GREEN
            and state.pending
            and state.pending.request == Request.GREEN
        ):
            state.pending = None  # done with, however it was recorded
    elif isinstance(event, DeadlineSet):
        state.due, state.due_text = event.due, event.due_text
        if state.original_due is None:
            state.original_due = event.due
    elif isinstance(event, DeadlineExtended):
        # moved from the date in effect as the history now stands, which a correction of
        # an earlier extension (or one back-dated before it) may have changed since the
        # event said what it moved from
        state.extensions.append(Extended(event.due, event.reason, event.on, event.actor, state.due))
        state.due = event.due
    elif isinstance(event, ProgressNoted):
        state.comment, state.comment_on = event.text, event.on
    elif isinstance(event, OwnerAssigned):
        state.owner = event.owner
    elif isinstance(event, RecommendationClosed):
        state.status, state.status_on, state.status_reason = (
            Status.CLOSED,
            event.on,
            event.reason,
        )
        state.closed_on = event.on
        state.pending = None
    elif isinstance(event, SignOffRequested):
        due, previous = getattr(event, "due", None), getattr(event, "previous_due", None)
        request = REQUESTS.get(type(event), Request.EXTENSION)
        state.pending = Pending(
            request,
            event.on,
            event.actor,
            event.evidence,
            tuple(event.links),
            due,
            event.originator_version,
            previous,
        )
    elif isinstance(event, SignOffRejected):
        state.pending = None
    elif isinstance(event, SignedOff):
        signed_off(state, event)
    elif isinstance(event, ReminderSent):
        state.reminded = event.on
    elif isinstance(event, RelevanceChanged):
        state.not_for_us = None if event.for_us else event.reason
        state.relevance_on = event.on
    elif isinstance(event, Superseded):
        state.status, state.status_on, state.status_reason = Status.CLOSED, event.on, event.reason
        state.closed_on = event.on
        state.pending = None
        state.superseded_by = event.by
    elif isinstance(event, Supersedes):
        state.supersedes = (*state.supersedes, event.superseded)


def signed_off(state: ItemState, event: SignedOff) -> None:
    """What a sign-off brings into effect. The event says it all (what was asked, and
    why), so a sign-off counts the same whatever happened to the request since."""
    state.pending = None
    reason = event.reason
    if event.outcome == Request.GREEN:
        state.status, state.status_on, state.status_reason = Status.GREEN, event.on, reason
    elif event.outcome == Request.CLOSED:
        state.status, state.status_on, state.status_reason = Status.CLOSED, event.on, reason
        state.closed_on = event.on
    elif event.outcome == Request.EXTENSION and event.due is not None:
        state.extensions.append(Extended(event.due, reason, event.on, event.actor, state.due))
        state.due = event.due


def corrected_version(correction: EventCorrected) -> int:
    """Corrections name an event of their own item: ``CODE/REF@version``."""
    return int(correction.corrects.rpartition("@")[2])
