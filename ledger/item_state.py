"""What an item's state holds: the board's facts of one item at one point in (both
kinds of) time, the request awaiting sign-off and the extensions granted, and the
view of it every read takes (a folded state, or a stored row read lazily). The fold
that makes a state is :mod:`ledger.state`, which names all of these too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, Protocol

from events import ClosureRequested, CompletionClaimed, Kind, Request, SignOffRequested, Status
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
    """One extension of the due date, as the item's state keeps it: ``previous_due`` is
    the date it moved from as the history stands (the fold's due date before it), not
    the one its event named, which a correction since may have retracted."""

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
    #: Who the report addresses it to, each as written.
    to: tuple[str, ...] = ()
    #: Why it is not the force's to act on (addressed to someone else), from
    #: ``relevance_on``; None while it is (every item, until said otherwise).
    not_for_us: str | None = None
    relevance_on: date | None = None
    #: The key of the later item that superseded it (it is CLOSED since), or None.
    superseded_by: str | None = None
    #: The keys of the items it superseded.
    supersedes: tuple[str, ...] = ()

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
    @property
    def to(self) -> tuple[str, ...]: ...
    @property
    def not_for_us(self) -> str | None: ...
    @property
    def relevance_on(self) -> date | None: ...
    @property
    def superseded_by(self) -> str | None: ...
    @property
    def supersedes(self) -> tuple[str, ...]: ...
    def overdue_as_at(self, day: date) -> bool: ...
