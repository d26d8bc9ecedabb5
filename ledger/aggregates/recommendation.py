"""One recommendation (an item on the tracker) and the rules every change to it
must keep: reasons for RED and WHITE, due dates that only move later, requests that
await sign-off by someone else, closing that is final, corrections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from events import (
    ClosureRequested,
    CompletionClaimed,
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    ExtensionRequested,
    Kind,
    OwnerAssigned,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    Request,
    SignedOff,
    SignOffRejected,
    SignOffRequested,
    Status,
    StatusChanged,
)
from ledger.aggregates.access import fold_name
from ledger.aggregates.corrections import check_correctable
from ledger.aggregates.extensions import (
    check_extension,
    check_not_written_later,
    check_set_before_later,
)
from ledger.aggregates.moments import InOrder, not_before
from ledger.aggregates.report import Report
from ledger.due import Due
from ledger.errors import Field, Fix, Hint, RuleBrokenError
from ledger.keys import recommendation_id
from ledger.seen import check_request
from ledger.state import ItemState, Pending, fold_item

NEEDS_REASON = frozenset({Status.RED, Status.WHITE})


class Recommendation(InOrder):
    """One item on the tracker. Its state is always the fold of its own events."""

    Event = RecommendationEvent
    Issued = RecommendationIssued

    @classmethod
    def issue(
        cls,
        *,
        report: Report,
        ref: str,
        kind: Kind,
        text: str,
        owner: str | None,
        lead: str | None,
        due: Due,
        status: Status | None,
        reason: str | None,
        actor: str,
        on: date,
        to: tuple[str, ...] = (),
    ) -> Recommendation:
        if report.makes == 0:  # the paper would say it makes none and list this one
            raise RuleBrokenError(
                "report {code} was registered as making no recommendations; it has no items",
                code=report.code,
            )
        if status is Status.CLOSED:
            raise RuleBrokenError(
                "an item cannot be added as CLOSED; add it with its last status, then record "
                "{hint}",
                hint=Hint.to(Fix.CLOSE),
            )
        if status in NEEDS_REASON and not reason:
            raise RuleBrokenError(
                "{status} needs a reason: {hint} (RAGW definitions require a rationale)",
                status=status.value,
                hint=Hint.to(Fix.GIVE_REASON, why=f"why it is {status.value}"),
            )
        item = cls._create(
            RecommendationIssued,
            id=recommendation_id(report.code, ref),
            # made against its report as it stands: recorded no earlier than it was
            timestamp=not_before(report.modified_on, RecommendationIssued),
            report=report.code,
            ref=ref,
            kind=kind,
            text=text,
            owner=owner,
            lead=lead,
            due=due.original,
            due_text=due.text or None,
            status=status,
            reason=reason,
            to=to,
            actor=actor,
            on=on,
        )
        item.record_written_extensions(due, f"recorded with the item as {due.text!r}", actor, on)
        return item

    def when(self, event: RecommendationEvent) -> None:
        if isinstance(event, RecommendationIssued):
            self.key: str = f"{event.report}/{event.ref}"
            self.history: list[RecommendationEvent] = []
        self.history.append(event)

    # Reads used by the rules -------------------------------------------------------

    def state_as_at(self, on: date) -> ItemState:
        state = fold_item(self.history, as_at=on)
        if state is None:
            issued = self.history[0].on
            raise RuleBrokenError(
                "{field} {day} is before {key} was added ({issued}); give a date on or after that",
                field=Field.ON,
                day=on.isoformat(),
                key=self.key,
                issued=issued.isoformat(),
            )
        if state.is_closed:
            raise RuleBrokenError(
                "{key} was closed on {closed_on}; a closed item cannot change. If closing it "
                "was a mistake, retract it with {hint}",
                key=self.key,
                closed_on=state.closed_on,
                hint=Hint.to(Fix.CORRECT, key=self.key),
            )
        return state

    # Commands ------------------------------------------------------------------------

    def pending(self) -> Pending | None:
        """The request awaiting sign-off, as the item stands now (whatever its date)."""
        if not any(isinstance(event, SignOffRequested) for event in self.history):
            return None  # most items, and every import's: no fold needed
        latest = fold_item(self.history)
        return latest.pending if latest is not None else None

    def _no_pending(self) -> None:
        pending = self.pending()
        if pending is not None:
            raise RuleBrokenError(
                "{key} already has {pending} ({key}@{version}, asked by {actor}); it must be "
                "{hint} first",
                key=self.key,
                pending=pending.describe(),
                version=pending.version,
                actor=pending.actor,
                hint=Hint.to(Fix.DECIDE_REQUEST, key=self.key),
            )

    def change_status(self, status: Status, reason: str | None, actor: str, on: date) -> None:
        pending = self.pending() if status is Status.GREEN else None
        if pending is not None and pending.request == Request.GREEN:
            raise RuleBrokenError(
                "{key} has GREEN pending sign-off ({key}@{version}); sign it off with {hint} "
                "rather than setting GREEN over it",
                key=self.key,
                version=pending.version,
                hint=Hint.to(Fix.SIGN_OFF, key=self.key),
            )
        if status is Status.CLOSED:
            raise RuleBrokenError(
                "CLOSED is not a colour; use {hint}", hint=Hint.to(Fix.CLOSE, key=self.key)
            )
        if status in NEEDS_REASON and not reason:
            raise RuleBrokenError(
                "{status} needs a reason: {hint} (RAGW definitions require a rationale)",
                status=status.value,
                hint=Hint.to(Fix.GIVE_REASON, why=f"why {self.key} is {status.value}"),
            )
        self.state_as_at(on)
        self.trigger_event(StatusChanged, status=status, reason=reason, actor=actor, on=on)

    def set_deadline(
        self,
        due: Due,
        reason: str | None,
        actor: str,
        on: date,
        *,
        extensions_wait: bool = False,
        replayed: bool = False,
    ) -> None:
        """Give the item its first due date; a date written with later ones ("June 2020
        now June 2021") records each later one as an extension, refused where extensions
        wait for sign-off (``extensions_wait``): that is an extension asked for. Never in
        front of a due date given later (:func:`check_set_before_later`; ``replayed``: a
        restore, held to its history's day's rules)."""
        state = self.state_as_at(on)
        if state.due is not None:
            raise RuleBrokenError(
                "{key} is already due {due}; to move it later use {hint}",
                key=self.key,
                due=state.due.isoformat(),
                hint=Hint.to(Fix.EXTEND, key=self.key),
            )
        if not replayed:
            check_set_before_later(self.key, self.history, on)
        if due.original is None:
            raise RuleBrokenError(f"{due.text!r} names no date; give the date it is due")
        if extensions_wait:
            check_not_written_later(self.key, due)
        self.trigger_event(
            DeadlineSet,
            due=due.original,
            due_text=due.text,
            reason=reason,
            actor=actor,
            on=on,
        )
        self.record_written_extensions(due, reason or f"recorded as {due.text!r}", actor, on)

    def record_written_extensions(self, due: Due, reason: str, actor: str, on: date) -> None:
        """A due date written with later dates ("October 2018 Now January 2020") keeps its
        original; each later date is an extension of the one before it."""
        previous = due.original
        for extended_to in due.extensions:
            self.trigger_event(
                DeadlineExtended,
                previous_due=previous,
                due=extended_to,
                reason=reason,
                actor=actor,
                on=on,
            )
            previous = extended_to

    def extend_deadline(
        self, to: date, reason: str, actor: str, on: date, *, replayed: bool = False
    ) -> None:
        state = self.state_as_at(on)  # replayed: by a restore, to a history's day's rules
        check_extension(self.key, state, to, None if replayed else (self.history, on))
        pending = self.pending()
        if pending is not None and pending.request == Request.EXTENSION:
            raise RuleBrokenError(
                "{key} has an {pending} ({key}@{version}); sign it off ({hint}) or reject it "
                "before extending again",
                key=self.key,
                pending=pending.describe(),
                version=pending.version,
                hint=Hint.to(Fix.SIGN_OFF, key=self.key),
            )
        self.trigger_event(
            DeadlineExtended,
            previous_due=state.due,
            due=to,
            reason=reason,
            actor=actor,
            on=on,
        )

    def claim_completion(self, evidence: str, links: Sequence[str], actor: str, on: date) -> None:
        state = self.state_as_at(on)
        if state.status is Status.GREEN:
            raise RuleBrokenError(f"{self.key} is GREEN already; there is nothing to sign off")
        self._no_pending()
        self.trigger_event(
            CompletionClaimed, evidence=evidence, links=tuple(links), actor=actor, on=on
        )

    def request_closure(self, reason: str, links: Sequence[str], actor: str, on: date) -> None:
        self.state_as_at(on)
        self._no_pending()
        self.trigger_event(
            ClosureRequested, evidence=reason, links=tuple(links), actor=actor, on=on
        )

    def request_extension(
        self,
        to: date,
        reason: str,
        links: Sequence[str],
        actor: str,
        on: date,
        *,
        replayed: bool = False,
    ) -> None:
        state = self.state_as_at(on)
        check_extension(self.key, state, to, None if replayed else (self.history, on))
        self._no_pending()
        self.trigger_event(
            ExtensionRequested,
            due=to,
            previous_due=state.due,
            evidence=reason,
            links=tuple(links),
            actor=actor,
            on=on,
        )

    def _awaiting(self, actor: str, on: date, what: str, request: int | None) -> Pending:
        """The pending request ``actor`` may decide on as of ``on``: the one of version
        ``request``, when given (:func:`ledger.seen.check_request`)."""
        pending = self.pending()
        if pending is None:
            raise RuleBrokenError(
                "nothing of {key} awaits sign-off; {hint} lists what does",
                key=self.key,
                hint=Hint.to(Fix.SEE_PENDING),
            )
        check_request(self.key, pending, request)
        if on < pending.on:
            raise RuleBrokenError(
                "{key}@{version} was asked for as of {day}; {what} cannot take effect before "
                "it (give {field} {day} or later)",
                key=self.key,
                version=pending.version,
                day=pending.on.isoformat(),
                what=what,
                field=Field.ON,
            )
        if fold_name(actor) == fold_name(pending.actor):
            raise RuleBrokenError(
                f"{pending.actor} asked for {self.key}@{pending.version}; {what} must come "
                "from someone else (governance), so that no one signs off their own work"
            )
        return pending

    def sign_off(
        self,
        note: str | None,
        actor: str,
        on: date,
        request: int | None = None,
        *,
        replayed: bool = False,
    ) -> None:
        pending = self._awaiting(actor, on, "its sign-off", request)
        state = self.state_as_at(on)
        if pending.request == Request.EXTENSION:
            assert pending.due is not None
            later = None if replayed else (self.history, on)
            check_extension(self.key, state, pending.due, later)
        elif pending.request == Request.CLOSED:
            self.check_closing_on(on)
        self.trigger_event(
            SignedOff,
            request=f"{self.key}@{pending.version}",
            outcome=pending.request,
            reason=pending.evidence,
            due=pending.due,
            previous_due=state.due if pending.request == Request.EXTENSION else None,
            note=note,
            actor=actor,
            on=on,
        )

    def reject_sign_off(
        self, reason: str, actor: str, on: date, request: int | None = None
    ) -> None:
        pending = self._awaiting(actor, on, "its rejection", request)
        self.state_as_at(on)
        self.trigger_event(
            SignOffRejected,
            request=f"{self.key}@{pending.version}",
            reason=reason,
            actor=actor,
            on=on,
        )

    def note_progress(self, text: str, actor: str, on: date) -> None:
        self.state_as_at(on)
        self.trigger_event(ProgressNoted, text=text, actor=actor, on=on)

    def assign_owner(self, owner: str, actor: str, on: date) -> None:
        self.state_as_at(on)
        self.trigger_event(OwnerAssigned, owner=owner, actor=actor, on=on)

    def close(self, reason: str, actor: str, on: date) -> None:
        self.state_as_at(on)
        self.check_closing_on(on)
        self.trigger_event(RecommendationClosed, reason=reason, actor=actor, on=on)

    def check_closing_on(self, on: date) -> None:
        """Closing is final: it cannot take effect before changes already recorded."""
        latest = fold_item(self.history)
        if latest is not None and latest.last_on is not None and on < latest.last_on:
            raise RuleBrokenError(
                "{key} has changes that took effect on {last}, after {field} {day}; close it "
                "on or after that date",
                key=self.key,
                last=latest.last_on.isoformat(),
                field=Field.ON,
                day=on.isoformat(),
            )

    def correct(self, version: int, reason: str, actor: str, on: date) -> None:
        check_correctable(self.key, self.history, version)
        target_id = f"{self.key}@{version}"
        self.trigger_event(EventCorrected, corrects=target_id, reason=reason, actor=actor, on=on)
