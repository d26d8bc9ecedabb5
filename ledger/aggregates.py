"""Aggregates: an inspection report, and one recommendation. Rules live here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from events import (
    AccessControlled,
    AccessEvent,
    ClosureRequested,
    CommitteeEvent,
    CommitteeRegistered,
    CompletionClaimed,
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    ExtensionRequested,
    Kind,
    MeetingScheduled,
    OwnerAssigned,
    PaperIssued,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    ReportEvent,
    ReportRegistered,
    Role,
    RoleGranted,
    RoleRevoked,
    RulesAdopted,
    RulesEvent,
    Scope,
    SignedOff,
    SignOffFor,
    SignOffRejected,
    SignOffRequested,
    SignOffRuleSet,
    Status,
    StatusChanged,
)
from ledger.due import Due
from ledger.errors import AlreadyExistsError, NotFoundError, RuleBrokenError
from ledger.keys import ACCESS_ID, RULES_ID, committee_id, recommendation_id, report_id
from ledger.state import EXTENSION, ItemState, Pending, corrected_version, fold_item

NEEDS_REASON = frozenset({Status.RED, Status.WHITE})


class Report(BaseAggregate[UUID]):
    Event = ReportEvent
    Registered = ReportRegistered

    @classmethod
    def register(
        cls,
        *,
        code: str,
        title: str,
        scope: Scope,
        published: date,
        inspectorates: Sequence[str],
        makes: int | None,
        actor: str,
        on: date,
    ) -> Report:
        return cls._create(
            ReportRegistered,
            id=report_id(code),
            code=code,
            title=title,
            scope=scope,
            published=published,
            inspectorates=tuple(inspectorates),
            makes=makes,
            actor=actor,
            on=on,
        )

    def when(self, event: ReportEvent) -> None:
        if isinstance(event, ReportRegistered):
            self.code: str = event.code
            self.title: str = event.title
            self.scope: Scope = event.scope
            self.published: date = event.published


class Committee(BaseAggregate[UUID]):
    """A committee the papers go to, and its meetings."""

    Event = CommitteeEvent
    Registered = CommitteeRegistered

    @classmethod
    def register(cls, *, code: str, name: str, actor: str, on: date) -> Committee:
        return cls._create(
            CommitteeRegistered, id=committee_id(code), code=code, name=name, actor=actor, on=on
        )

    def when(self, event: CommitteeEvent) -> None:
        if isinstance(event, CommitteeRegistered):
            self.code: str = event.code
            self.name: str = event.name
            self.meetings: dict[date, str | None] = {}
            self.issued: dict[date, PaperIssued] = {}
        elif isinstance(event, MeetingScheduled):
            self.meetings[event.meeting] = event.paper
        elif isinstance(event, PaperIssued):
            self.issued[event.meeting] = event  # the latest issue of a meeting's paper

    def issue_paper(
        self, meeting: date, digest: str, read_at: datetime, as_known_at: datetime | None,
        actor: str, on: date,
    ) -> None:  # fmt: skip
        if meeting not in self.meetings:
            raise NotFoundError(
                f"{self.code} has no meeting on {meeting.isoformat()}; add it with "
                f"`ragw meeting add {self.code} {meeting.isoformat()}`"
            )
        self.trigger_event(PaperIssued, meeting=meeting, digest=digest, read_at=read_at,
                           as_known_at=as_known_at, actor=actor, on=on)  # fmt: skip

    def schedule_meeting(self, meeting: date, paper: str | None, actor: str, on: date) -> None:
        if meeting in self.meetings:
            raise RuleBrokenError(
                f"{self.code} already has a meeting on {meeting.isoformat()}; "
                f"see `ragw meeting list {self.code}`"
            )
        if paper is not None:
            for other, other_paper in self.meetings.items():
                if other_paper == paper:
                    raise RuleBrokenError(
                        f"paper {paper!r} already went to the meeting of {other.isoformat()}; "
                        "give this meeting's own paper reference"
                    )
        self.trigger_event(MeetingScheduled, meeting=meeting, paper=paper, actor=actor, on=on)


class Recommendation(BaseAggregate[UUID]):
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
    ) -> Recommendation:
        if status is Status.CLOSED:
            raise RuleBrokenError(
                "an item cannot be added as CLOSED; add it with its last status, "
                "then record `ragw close KEY --reason ...`"
            )
        if status in NEEDS_REASON and not reason:
            raise RuleBrokenError(
                f"{status.value} needs a reason: add --reason "
                '"why it is ' + status.value + '" (RAGW definitions require a rationale)'
            )
        item = cls._create(
            RecommendationIssued,
            id=recommendation_id(report.code, ref),
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
                f"--on {on.isoformat()} is before {self.key} was added "
                f"({issued.isoformat()}); give a date on or after that"
            )
        if state.is_closed:
            raise RuleBrokenError(
                f"{self.key} was closed on {state.closed_on}; a closed item cannot change. "
                "If closing it was a mistake, retract it with `ragw correct ID --reason ...` "
                f"(ids in `ragw history {self.key}`)"
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
                f"{self.key} already has {pending.describe()} ({self.key}@{pending.version}, "
                f"asked by {pending.actor}); it must be signed off (`ragw sign-off "
                f"{self.key}`) or rejected (`ragw reject {self.key} --reason ...`) first"
            )

    def change_status(self, status: Status, reason: str | None, actor: str, on: date) -> None:
        pending = self.pending() if status is Status.GREEN else None
        if pending is not None and pending.request == "GREEN":
            raise RuleBrokenError(
                f"{self.key} has GREEN pending sign-off ({self.key}@{pending.version}); sign it "
                f"off with `ragw sign-off {self.key}` rather than setting GREEN over it"
            )
        if status is Status.CLOSED:
            raise RuleBrokenError(
                f"CLOSED is not a colour; use `ragw close {self.key} --reason ...`"
            )
        if status in NEEDS_REASON and not reason:
            raise RuleBrokenError(
                f"{status.value} needs a reason: add --reason "
                f'"why {self.key} is {status.value}" (RAGW definitions require a rationale)'
            )
        self.state_as_at(on)
        self.trigger_event(StatusChanged, status=status, reason=reason, actor=actor, on=on)

    def set_deadline(self, due: Due, reason: str | None, actor: str, on: date) -> None:
        state = self.state_as_at(on)
        if state.due is not None:
            raise RuleBrokenError(
                f"{self.key} is already due {state.due.isoformat()}; to move it later use "
                f"`ragw extend {self.key} --to DATE --reason ...`"
            )
        if due.original is None:
            raise RuleBrokenError(f"{due.text!r} names no date; give the date it is due")
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

    def extend_deadline(self, to: date, reason: str, actor: str, on: date) -> None:
        state = self.state_as_at(on)
        self._check_extension(state, to)
        pending = self.pending()
        if pending is not None and pending.request == EXTENSION:
            raise RuleBrokenError(
                f"{self.key} has an {pending.describe()} ({self.key}@{pending.version}); sign "
                f"it off (`ragw sign-off {self.key}`) or reject it before extending again"
            )
        self.trigger_event(
            DeadlineExtended,
            previous_due=state.due,
            due=to,
            reason=reason,
            actor=actor,
            on=on,
        )

    def _check_extension(self, state: ItemState, to: date) -> None:
        if state.due is None:
            raise RuleBrokenError(
                f"{self.key} has no due date to extend; set one with `ragw due {self.key} DATE`"
            )
        if to <= state.due:
            raise RuleBrokenError(
                f"--to {to.isoformat()} is not later than the current due date of "
                f"{self.key} ({state.due.isoformat()}); an extension must move it later"
            )

    def claim_completion(self, evidence: str, links: Sequence[str], actor: str, on: date) -> None:
        state = self.state_as_at(on)
        if state.status is Status.GREEN:
            raise RuleBrokenError(f"{self.key} is GREEN already; there is nothing to sign off")
        self._no_pending()
        self.trigger_event(CompletionClaimed, evidence=evidence, links=tuple(links),
                           actor=actor, on=on)  # fmt: skip

    def request_closure(self, reason: str, links: Sequence[str], actor: str, on: date) -> None:
        self.state_as_at(on)
        self._no_pending()
        self.trigger_event(ClosureRequested, evidence=reason, links=tuple(links), actor=actor,
                           on=on)  # fmt: skip

    def request_extension(
        self, to: date, reason: str, links: Sequence[str], actor: str, on: date
    ) -> None:
        state = self.state_as_at(on)
        self._check_extension(state, to)
        self._no_pending()
        self.trigger_event(ExtensionRequested, due=to, previous_due=state.due, evidence=reason,
                           links=tuple(links), actor=actor, on=on)  # fmt: skip

    def _awaiting(self, actor: str, on: date, what: str) -> Pending:
        """The pending request ``actor`` may decide on as of ``on``."""
        pending = self.pending()
        if pending is None:
            raise RuleBrokenError(
                f"nothing of {self.key} awaits sign-off; `ragw board --pending` lists what does"
            )
        if on < pending.on:
            raise RuleBrokenError(
                f"{self.key}@{pending.version} was asked for as of {pending.on.isoformat()}; "
                f"{what} cannot take effect before it (give --on {pending.on.isoformat()} "
                "or later)"
            )
        if fold_name(actor) == fold_name(pending.actor):
            raise RuleBrokenError(
                f"{pending.actor} asked for {self.key}@{pending.version}; {what} must come "
                "from someone else (governance), so that no one signs off their own work"
            )
        return pending

    def sign_off(self, note: str | None, actor: str, on: date) -> None:
        pending = self._awaiting(actor, on, "its sign-off")
        state = self.state_as_at(on)
        if pending.request == EXTENSION:
            assert pending.due is not None
            self._check_extension(state, pending.due)
        elif pending.request == "CLOSED":
            self._check_closing_on(on)
        self.trigger_event(
            SignedOff, request=f"{self.key}@{pending.version}", outcome=pending.request,
            reason=pending.evidence, due=pending.due,
            previous_due=state.due if pending.request == EXTENSION else None,
            note=note, actor=actor, on=on,
        )  # fmt: skip

    def reject_sign_off(self, reason: str, actor: str, on: date) -> None:
        pending = self._awaiting(actor, on, "its rejection")
        self.state_as_at(on)
        self.trigger_event(SignOffRejected, request=f"{self.key}@{pending.version}",
                           reason=reason, actor=actor, on=on)  # fmt: skip

    def note_progress(self, text: str, actor: str, on: date) -> None:
        self.state_as_at(on)
        self.trigger_event(ProgressNoted, text=text, actor=actor, on=on)

    def assign_owner(self, owner: str, actor: str, on: date) -> None:
        self.state_as_at(on)
        self.trigger_event(OwnerAssigned, owner=owner, actor=actor, on=on)

    def close(self, reason: str, actor: str, on: date) -> None:
        self.state_as_at(on)
        self._check_closing_on(on)
        self.trigger_event(RecommendationClosed, reason=reason, actor=actor, on=on)

    def _check_closing_on(self, on: date) -> None:
        """Closing is final: it cannot take effect before changes already recorded."""
        latest = fold_item(self.history)
        if latest is not None and latest.last_on is not None and on < latest.last_on:
            raise RuleBrokenError(
                f"{self.key} has changes that took effect on {latest.last_on.isoformat()}, "
                f"after --on {on.isoformat()}; close it on or after that date"
            )

    def correct(self, version: int, reason: str, actor: str, on: date) -> None:
        target_id = f"{self.key}@{version}"
        if not 1 <= version <= self.version:
            raise RuleBrokenError(
                f"there is no event {target_id}; {self.key} has events "
                f"{self.key}@1 to {self.key}@{self.version} (see `ragw history {self.key}`)"
            )
        target = self.history[version - 1]
        if isinstance(target, RecommendationIssued):
            raise RuleBrokenError(
                f"{target_id} is the item's issue and cannot be retracted; correct the "
                "later events that are wrong, or close the item with a reason"
            )
        if isinstance(target, EventCorrected):
            raise RuleBrokenError(
                f"{target_id} is itself a correction and cannot be retracted; "
                "record the change again instead"
            )
        for event in self.history:
            if isinstance(event, EventCorrected) and corrected_version(event) == version:
                raise RuleBrokenError(
                    f"{target_id} was already corrected by {self.key}@{event.originator_version}"
                )
        self.trigger_event(EventCorrected, corrects=target_id, reason=reason, actor=actor, on=on)


class Access(BaseAggregate[UUID]):
    """Who may do what: roles granted and revoked by governance."""

    Event = AccessEvent

    @classmethod
    def control(cls, *, actor: str, on: date) -> Access:
        return cls._create(AccessControlled, id=ACCESS_ID, actor=actor, on=on)

    def when(self, event: AccessEvent) -> None:
        if isinstance(event, AccessControlled):
            self.grants: set[tuple[str, Role, str | None]] = set()
            #: The names as granted, for listing.
            self.named: dict[tuple[str, Role, str | None], tuple[str, str | None]] = {}
        elif isinstance(event, RoleGranted):
            grant = (fold_name(event.name), event.role, _folded(event.acts_for))
            self.grants.add(grant)
            self.named[grant] = (event.name, event.acts_for)
        elif isinstance(event, RoleRevoked):
            grant = (fold_name(event.name), event.role, _folded(event.acts_for))
            self.grants.discard(grant)
            self.named.pop(grant, None)

    def held(self) -> list[tuple[str, str, str | None]]:
        """Every role held now: (name, role, acts for), as granted."""
        return [(self.named[g][0], g[1].value, self.named[g][1]) for g in self.grants]

    def roles_of(self, name: str) -> set[Role]:
        who = fold_name(name)
        return {role for holder, role, _ in self.grants if holder == who}

    def acts_for(self, name: str) -> set[str]:
        """The item owners ``name`` acts for (casefolded)."""
        who = fold_name(name)
        return {owner for holder, role, owner in self.grants
                if holder == who and role is Role.OWNER and owner}  # fmt: skip

    def grant(self, name: str, role: Role, acts_for: str | None, actor: str, on: date) -> None:
        if role is Role.OWNER and not acts_for:
            raise RuleBrokenError(
                f"an owner acts for the items of an owner named on the board; give "
                f"--acts-for, e.g. `ragw role grant {name} owner --acts-for 'Head of Roads'`"
            )
        if role is not Role.OWNER and acts_for:
            raise RuleBrokenError(f"--acts-for is for owners; a {role} role acts for no one")
        if (fold_name(name), role, _folded(acts_for)) in self.grants:
            raise AlreadyExistsError(f"{name} already holds that role; see `ragw role list`")
        self.trigger_event(RoleGranted, name=name, role=role, acts_for=acts_for, actor=actor,
                           on=on)  # fmt: skip

    def revoke(self, name: str, role: Role, acts_for: str | None, actor: str, on: date) -> None:
        held = {(r, o) for h, r, o in self.grants if h == fold_name(name)}
        if (role, _folded(acts_for)) not in held:
            raise NotFoundError(f"{name} does not hold that role; see `ragw role list`")
        governors = {h for h, r, _ in self.grants if r is Role.GOVERNANCE}
        if role is Role.GOVERNANCE and governors == {fold_name(name)}:
            raise RuleBrokenError(
                f"{name} is the last governance role: nobody could grant roles after it; "
                "grant governance to someone else first"
            )
        self.trigger_event(RoleRevoked, name=name, role=role, acts_for=acts_for, actor=actor,
                           on=on)  # fmt: skip


def fold_name(name: str) -> str:
    """Names and owners match whatever their letters' case and spacing."""
    return " ".join(name.split()).casefold()


def _folded(name: str | None) -> str | None:
    return fold_name(name) if name else None


class Rules(BaseAggregate[UUID]):
    """The ledger's rules: which changes each committee requires sign-off for."""

    Event = RulesEvent

    @classmethod
    def adopt(cls, *, actor: str, on: date) -> Rules:
        return cls._create(RulesAdopted, id=RULES_ID, actor=actor, on=on)

    def when(self, event: RulesEvent) -> None:
        if isinstance(event, RulesAdopted):
            self.sign_off: dict[str, frozenset[SignOffFor]] = {}
        elif isinstance(event, SignOffRuleSet):
            self.sign_off[event.committee] = frozenset(event.changes)

    def requiring(self, change: SignOffFor) -> list[str]:
        """The committees that require sign-off for ``change``."""
        return sorted(code for code, changes in self.sign_off.items() if change in changes)

    def set_sign_off(
        self, committee: str, changes: Sequence[SignOffFor], actor: str, on: date
    ) -> None:
        wanted = tuple(sorted(set(changes)))
        if tuple(sorted(self.sign_off.get(committee, ()))) == wanted:
            said = ", ".join(wanted) or "nothing beyond completion"
            raise AlreadyExistsError(f"{committee} already requires sign-off for {said}")
        self.trigger_event(SignOffRuleSet, committee=committee, changes=wanted, actor=actor,
                           on=on)  # fmt: skip
