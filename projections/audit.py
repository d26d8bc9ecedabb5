"""What an auditor's pack for a meeting's paper lists beside its restatements and
back-dated entries: the deadline extensions and the sign-offs of the period the paper
covers, and the verdict of the chain. The rules, written once:

- The *period* of the paper for a meeting runs from the day after the committee's
  meeting before it (the ledger's start when there was none) to the end of the
  meeting's own day, and never past the moment the pack is read as known at. An entry
  is in it when it was *recorded* in it (its recording time's day, local time, as
  back-dated entries count days): an auditor asks what was entered between the
  committee's last look and this one, so packs of successive meetings never list an
  entry twice. (What was recorded after the meeting and changed its paper is what the
  pack's restatements and back-dated entries list.)
- An *extension granted* is an event that moved an item's due date later: an extension
  recorded outright (``DeadlineExtended``, also those a due date written as "October
  2018 Now January 2020" records) or an extension request signed off (``SignedOff``
  with outcome EXTENSION); each with who recorded it, when, the day it took effect, the
  due dates from and to, and the justification (the request's, for a sign-off).
- A *sign-off* is a request that awaits someone else's decision (completion claimed,
  extension or closure requested), with who claimed it, when, the evidence and links,
  and the decision: signed off or rejected, by whom, when, with the note or reason; or
  still pending. It is in the period when the request or its decision was recorded in
  it: a claim made before the period and decided in it is a decision of the period.
  A decision recorded after the moment read at is not known, so the request is pending.

Every entry says which correction retracts it, when one does (known by the moment).
Everything here is a pure function of the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, TypeVar

from events import (
    ClosureRequested,
    CompletionClaimed,
    DeadlineExtended,
    EventCorrected,
    ExtensionRequested,
    LedgerEvent,
    Request,
    SignedOff,
    SignOffRejected,
    SignOffRequested,
)
from ledger.formats import iso_utc
from projections.log import Who, stream_records

#: What a request asks for, by the kind of its event.
ASKS = {
    CompletionClaimed: Request.GREEN,
    ClosureRequested: Request.CLOSED,
    ExtensionRequested: Request.EXTENSION,
}
PENDING, SIGNED_OFF, REJECTED = "pending", "signed off", "rejected"


def recorded_day(moment: datetime) -> date:
    """The day ``moment`` falls on where the ledger is read: local time."""
    return moment.astimezone().date()


@dataclass(frozen=True)
class Period:
    """What was recorded after the day ``since`` (the meeting before; None: from the
    ledger's start) through the day ``through`` (the meeting), known by ``until``
    (None: now)."""

    since: date | None
    until: datetime | None
    through: date | None = None

    def holds(self, moment: datetime) -> bool:
        day = recorded_day(moment)
        return (
            (self.since is None or day > self.since)
            and (self.through is None or day <= self.through)
            and (self.until is None or moment <= self.until)
        )

    def known(self, moment: datetime) -> bool:
        """Whether what was recorded at ``moment`` is known by the period's end."""
        return self.until is None or moment <= self.until

    def to_json(self) -> dict[str, Any]:
        return {
            "recorded_after": self.since.isoformat() if self.since else None,
            "recorded_through": self.through.isoformat() if self.through else None,
            "recorded_by": iso_utc(self.until) if self.until else None,
        }


@dataclass(frozen=True)
class Granted:
    """An extension that moved ``key``'s due date from ``previous_due`` to ``due``."""

    id: str
    key: str
    by: Who
    recorded_at: datetime
    on: date
    previous_due: date | None
    due: date
    justification: str
    #: The request signed off, and who asked (None: recorded outright).
    request_id: str | None = None
    requested_by: Who | None = None
    corrected_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "by": str(self.by),
            "recorded_at": iso_utc(self.recorded_at),
            "on": self.on.isoformat(),
            "previous_due": self.previous_due.isoformat() if self.previous_due else None,
            "due": self.due.isoformat(),
            "justification": self.justification,
            "request": self.request_id,
            "requested_by": str(self.requested_by) if self.requested_by else None,
            "corrected_by": self.corrected_by,
        }


@dataclass(frozen=True)
class Decision:
    """A request signed off or rejected: by whom, when, and their words (the signer's
    note, or the reason for the rejection)."""

    id: str
    outcome: str
    by: Who
    recorded_at: datetime
    on: date
    words: str | None
    corrected_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outcome": self.outcome,
            "by": str(self.by),
            "recorded_at": iso_utc(self.recorded_at),
            "on": self.on.isoformat(),
            "words": self.words,
            "corrected_by": self.corrected_by,
        }


@dataclass(frozen=True)
class SignOff:
    """A request for sign-off, and its decision (None: pending)."""

    id: str
    key: str
    #: What it asks for: GREEN, CLOSED or EXTENSION.
    asks: str
    claimed_by: Who
    recorded_at: datetime
    on: date
    evidence: str
    links: tuple[str, ...]
    due: date | None = None
    previous_due: date | None = None
    decision: Decision | None = None
    corrected_by: str | None = None

    @property
    def outcome(self) -> str:
        return self.decision.outcome if self.decision else PENDING

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "request": self.asks,
            "claimed_by": str(self.claimed_by),
            "recorded_at": iso_utc(self.recorded_at),
            "on": self.on.isoformat(),
            "evidence": self.evidence,
            "links": list(self.links),
            "due": self.due.isoformat() if self.due else None,
            "previous_due": self.previous_due.isoformat() if self.previous_due else None,
            "outcome": self.outcome,
            "decision": self.decision.to_json() if self.decision else None,
            "corrected_by": self.corrected_by,
        }


#: The events these rules read (with the issues that name each item's stream).
AUDITED_TYPES = (
    DeadlineExtended,
    SignOffRequested,
    CompletionClaimed,
    ClosureRequested,
    ExtensionRequested,
    SignedOff,
    SignOffRejected,
    EventCorrected,
)


@dataclass
class Audited:
    """The extensions granted and the sign-offs of a period."""

    extensions: list[Granted] = field(default_factory=list)
    sign_offs: list[SignOff] = field(default_factory=list)

    @property
    def extension_requests(self) -> list[SignOff]:
        return [s for s in self.sign_offs if s.asks == Request.EXTENSION]


def audited(events: Iterable[LedgerEvent], period: Period) -> Audited:
    """The extensions granted and the sign-offs of ``period``, from ``events`` in the
    order recorded (any others among them are passed over; an item's issue names its
    key): each list in the order recorded (a sign-off by its request's)."""
    granted: list[Granted] = []
    requests: dict[str, SignOff] = {}
    decisions: dict[str, Decision] = {}
    corrections: dict[str, str] = {}
    for record in stream_records(e for e in events if period.known(e.timestamp)):
        event = record.event
        if isinstance(event, EventCorrected):
            corrections[event.corrects] = record.id
        elif isinstance(event, DeadlineExtended):
            granted.append(
                Granted(
                    record.id,
                    record.key,
                    record.who,
                    record.recorded_at,
                    record.on,
                    event.previous_due,
                    event.due,
                    event.reason,
                )
            )
        elif isinstance(event, SignOffRequested):
            requests[record.id] = SignOff(
                record.id,
                record.key,
                ASKS.get(type(event), Request.EXTENSION).value,
                record.who,
                record.recorded_at,
                record.on,
                event.evidence,
                tuple(event.links),
                getattr(event, "due", None),
                getattr(event, "previous_due", None),
            )
        elif isinstance(event, SignedOff | SignOffRejected):
            signed = isinstance(event, SignedOff)
            decisions[event.request] = Decision(
                record.id,
                SIGNED_OFF if signed else REJECTED,
                record.who,
                record.recorded_at,
                record.on,
                event.note if isinstance(event, SignedOff) else event.reason,
            )
            if isinstance(event, SignedOff) and event.outcome == Request.EXTENSION and event.due:
                asked = requests.get(event.request)
                granted.append(
                    Granted(
                        record.id,
                        record.key,
                        record.who,
                        record.recorded_at,
                        record.on,
                        event.previous_due,
                        event.due,
                        event.reason,
                        event.request,
                        asked.claimed_by if asked else None,
                    )
                )
    extensions = [_corrected(g, corrections) for g in granted if period.holds(g.recorded_at)]
    sign_offs = []
    for request in requests.values():
        decision = decisions.get(request.id)
        if not period.holds(request.recorded_at) and not (
            decision is not None and period.holds(decision.recorded_at)
        ):
            continue
        if decision is not None:
            decision = _corrected(decision, corrections)
        sign_offs.append(
            replace(request, decision=decision, corrected_by=corrections.get(request.id))
        )
    return Audited(extensions, sign_offs)


Entry = TypeVar("Entry", Granted, Decision)


def _corrected(entry: Entry, corrections: dict[str, str]) -> Entry:
    """``entry`` marked with the correction that retracts it, when one does."""
    found = corrections.get(entry.id)
    return replace(entry, corrected_by=found) if found else entry


@dataclass(frozen=True)
class AuditVerdict:
    """What verifying the ledger said: intact or not, in the lines ``verify`` prints,
    and the digest it proved (None: the chain broke, or the ledger is empty)."""

    intact: bool
    said: list[str]
    digest: str | None

    def to_json(self) -> dict[str, Any]:
        return {"intact": self.intact, "said": self.said, "digest": self.digest}
