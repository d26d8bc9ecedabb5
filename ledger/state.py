"""The state of one recommendation, folded from its events.

One fold serves every question about time. ``as_at`` keeps the events that took
effect on or before a date; ``known_at`` keeps the events recorded by a moment.
Corrections recorded within ``known_at`` retract the events they name. What remains
is applied in order of effect (``on``), ties in the order recorded, so an update typed
in late counts from the day it says it took effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from events import (
    ClosureRequested,
    CompletionClaimed,
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    Kind,
    OwnerAssigned,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    ReminderSent,
    Request,
    SignedOff,
    SignOffRejected,
    SignOffRequested,
    Status,
    StatusChanged,
)
from ledger.formats import compact

#: Statuses in which an item past its due date is not overdue.
NOT_OVERDUE = frozenset({Status.GREEN, Status.WHITE, Status.CLOSED})


#: What a pending request asks for, by its event.
REQUESTS: dict[type[SignOffRequested], Request] = {
    CompletionClaimed: Request.GREEN,
    ClosureRequested: Request.CLOSED,
}


def asks_for(request: Request, due: object) -> str:
    """What a request pending sign-off asks for, as papers and boards print it: GREEN,
    CLOSED, or "extension to 2021-06-30"."""
    return f"extension to {due}" if request == Request.EXTENSION else str(request)


class Pending(NamedTuple):
    """A change awaiting sign-off: GREEN (the owner says it is done), CLOSED, or an
    EXTENSION to ``due``; asked for by ``actor`` as of ``on`` in event ``version``."""

    request: Request
    on: date
    actor: str
    evidence: str
    links: tuple[str, ...]
    due: date | None
    version: int
    #: The due date an extension request moves on from.
    previous_due: date | None = None

    def to_json(self, key: str) -> dict[str, Any]:
        return {
            "id": f"{key}@{self.version}",
            "request": self.request,
            "due": self.due.isoformat() if self.due else None,
            "previous_due": self.previous_due.isoformat() if self.previous_due else None,
            "on": self.on.isoformat(),
            "actor": self.actor,
            "evidence": self.evidence,
            "links": list(self.links),
        }

    def describe(self) -> str:
        """ "GREEN pending sign-off", "extension to 2021-06-30 pending sign-off"."""
        return f"{asks_for(self.request, self.due)} pending sign-off"


class Extended(NamedTuple):
    """One extension of the due date, as the item's state keeps it."""

    due: date
    reason: str
    on: date
    actor: str
    previous_due: date | None


@dataclass
class ItemState:
    """What the board says of one item at one point in (both kinds of) time."""

    report: str
    ref: str
    kind: Kind
    text: str
    issued_on: date
    owner: str | None = None
    lead: str | None = None
    status: Status | None = None
    status_on: date | None = None
    status_reason: str | None = None
    due: date | None = None
    original_due: date | None = None
    due_text: str | None = None
    extensions: list[Extended] = field(default_factory=list)
    comment: str | None = None
    comment_on: date | None = None
    closed_on: date | None = None
    last_on: date | None = None
    pending: Pending | None = None
    #: The day its owner was last reminded of it (a reminder sent as at that day).
    reminded: date | None = None

    @property
    def pending_text(self) -> str | None:
        """The pending request as one line of JSON (what boards and papers print)."""
        return compact(self.pending.to_json(self.key)) if self.pending else None

    @property
    def key(self) -> str:
        return f"{self.report}/{self.ref}"

    @property
    def is_closed(self) -> bool:
        return self.status is Status.CLOSED

    def overdue_as_at(self, day: date) -> bool:
        return self.due is not None and self.due < day and self.status not in NOT_OVERDUE

    def snapshot(self) -> ItemState:
        """A copy that later steps of a fold leave alone."""
        copied = object.__new__(ItemState)  # a plain field copy: folds make many
        copied.__dict__.update(self.__dict__)
        copied.extensions = list(self.extensions)
        return copied

    @property
    def times_extended(self) -> int:
        return len(self.extensions)

    @property
    def last_extended_on(self) -> date | None:
        """When the latest extension took effect (extensions apply in order of effect)."""
        return self.extensions[-1].on if self.extensions else None


class ItemView(Protocol):
    """What reads need of an item's state: an :class:`ItemState`, or a stored row that
    reads the rest of the state only when asked (``projections.store.StoredState``)."""

    @property
    def key(self) -> str: ...
    @property
    def report(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def kind(self) -> Kind: ...
    @property
    def text(self) -> str: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def lead(self) -> str | None: ...
    @property
    def status(self) -> Status | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def original_due(self) -> date | None: ...
    @property
    def due_text(self) -> str | None: ...
    @property
    def extensions(self) -> list[Extended]: ...
    @property
    def comment(self) -> str | None: ...
    @property
    def pending(self) -> Pending | None: ...
    @property
    def pending_text(self) -> str | None: ...
    @property
    def times_extended(self) -> int: ...
    @property
    def last_extended_on(self) -> date | None: ...
    @property
    def reminded(self) -> date | None: ...
    def overdue_as_at(self, day: date) -> bool: ...


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
        state.due = event.due
        state.extensions.append(
            Extended(event.due, event.reason, event.on, event.actor, event.previous_due)
        )
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
        state.extensions.append(
            Extended(event.due, reason, event.on, event.actor, event.previous_due)
        )
        state.due = event.due


def corrected_version(correction: EventCorrected) -> int:
    """Corrections name an event of their own item: ``CODE/REF@version``."""
    return int(correction.corrects.rpartition("@")[2])
