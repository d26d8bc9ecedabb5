"""A backup's events replayed through the rules they passed when they were recorded.

Each event is re-made the way the ledger made it: by the aggregate command it came from,
on the aggregates as the events before it in the file left them, after the checks the
command runs first (who may do it, dates not in the future of the day it was recorded,
what must exist or must not). The command must give exactly the event the file holds
(but the moment of recording, which the file gives and the command would take from the
clock). A command that gives several events at once (an item written with later due
dates, "October 2018 Now January 2020", is issued and extended in one go) must find the
rest of them next in that stream.

What is not re-checked, and why: the sign-off that a committee's rules require for
extensions and closures is re-checked only under access control, because an import
records extensions and closures directly whoever runs it while no role is granted; and
an item's change whose actor is the item's owner passes as its update sheet's (a sheet
records its changes under the owner's name, whoever applied it, so an owner that holds
no role may be the actor). Texts are checked for what they may hold, not re-trimmed:
commands trim what users type, and an event's text is the trimmed one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from events import (
    AccessControlled,
    ClosureRequested,
    CommitteeRegistered,
    CompletionClaimed,
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    ExtensionRequested,
    LedgerEvent,
    MeetingScheduled,
    OwnerAssigned,
    PaperIssued,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    ReportRegistered,
    Role,
    RoleGranted,
    RoleRevoked,
    RulesAdopted,
    SignedOff,
    SignOffFor,
    SignOffRejected,
    SignOffRuleSet,
    Status,
    StatusChanged,
)
from ledger.aggregates import Access, Committee, Recommendation, Report, Rules, fold_name
from ledger.due import Due, parse_due
from ledger.errors import ForbiddenError, LedgerError, RuleBrokenError
from ledger.inputs import MAX_MAKES, clean_text
from ledger.keys import (
    ACCESS_ID,
    RULES_ID,
    check_code,
    check_ref,
    committee_id,
    report_id,
    split_event_id,
)
from ledger.permissions import authorize, needs_sign_off
from ledger.storage.mapper import CREATES

#: The latest local date anywhere at a UTC moment is that of UTC+14 (Kiribati): a
#: command's "today" is its machine's local date, so an event recorded at a UTC moment
#: may take effect on a date up to this much later than the moment's UTC date.
LATEST_ZONE = timedelta(hours=14)

_COMPARED_WITHOUT = {"timestamp", "originator_topic"}


class Replay:
    """The aggregates as the events replayed so far made them; :meth:`check` replays the
    next event, refusing one its rules would not have given."""

    def __init__(self) -> None:
        self.aggregates: dict[UUID, Any] = {}
        #: Events a command gave at once that the file must hold next in their stream.
        self.expected: dict[UUID, list[LedgerEvent]] = {}
        self.recorded: dict[UUID, datetime] = {}

    def check(self, event: LedgerEvent) -> None:
        """Replay ``event``; raise a :class:`LedgerError` saying why it could not have
        been recorded."""
        stream = event.originator_id
        self._check_moment(event)
        waiting = self.expected.get(stream)
        if waiting:
            self._compare(event, waiting.pop(0), "the command that gave the event before it")
            self._settle(event)
            return
        name = type(event).__name__
        if stream not in self.aggregates:
            if name not in CREATES:
                raise RuleBrokenError(
                    f"{name} is the first event of its key here; a key's events begin with "
                    "the event that creates it (a report's, committee's or item's)"
                )
        elif name in CREATES:
            raise RuleBrokenError(f"{name} comes after its key was created")
        today = (event.timestamp.astimezone(UTC) + LATEST_ZONE).date()
        if event.on > today:
            raise RuleBrokenError(
                f"it took effect on {event.on.isoformat()}, after the day it was recorded "
                f"({event.timestamp.date().isoformat()}): no change is recorded before it "
                "happens"
            )
        aggregate = self._remake(event, today)
        made = _made(aggregate)
        if not made:
            raise RuleBrokenError("no command gives it")
        first, *rest = made
        self._compare(event, first, "the rules")
        if rest:
            self.expected[stream] = rest
        self.aggregates.setdefault(stream, aggregate)
        self._settle(event)

    def unfinished(self) -> list[tuple[UUID, LedgerEvent]]:
        """Events a command gave that the file does not hold, by stream."""
        return [(stream, waiting[0]) for stream, waiting in self.expected.items() if waiting]

    # The moment --------------------------------------------------------------------

    def _check_moment(self, event: LedgerEvent) -> None:
        """An event is made against what its stream (and an item's report) held when it
        was made, so it is recorded no earlier than they were: reads "as known at a
        moment" take, of each stream, the events recorded by then."""
        stream = event.originator_id
        before = self.recorded.get(stream)
        if isinstance(event, RecommendationIssued):
            before = self.recorded.get(report_id(event.report))
        if before is not None and event.timestamp < before:
            raise RuleBrokenError(
                f"it was recorded at {event.timestamp.isoformat()}, before the event it "
                f"follows in its key (or its report) was ({before.isoformat()})"
            )
        self.recorded[stream] = event.timestamp

    # Re-making an event --------------------------------------------------------------

    def _remake(self, event: LedgerEvent, today: date) -> Any:
        """The aggregate, with the events the command that gave ``event`` gives pending."""
        access: Access | None = self.aggregates.get(ACCESS_ID)
        rules: Rules | None = self.aggregates.get(RULES_ID)
        actor = event.actor
        if isinstance(event, RecommendationEvent):
            return self._remake_item_event(event, access, rules)
        if isinstance(event, ReportRegistered):
            _authorize(access, actor, "adding a report")
            check_code(event.code)
            if event.published > today:
                raise RuleBrokenError(
                    f"its report was published on {event.published.isoformat()}, after the "
                    "day it was registered"
                )
            if event.makes is not None and not 0 <= event.makes <= MAX_MAKES:
                raise RuleBrokenError(f"its makes {event.makes} is not from 0 to {MAX_MAKES:,}")
            if committee_id(event.code) in self.aggregates:
                raise RuleBrokenError(f"{event.code} is the code of a committee already")
            clean_text(event.title, "its title", required=True)
            return Report.register(
                code=event.code,
                title=event.title,
                scope=event.scope,
                published=event.published,
                inspectorates=event.inspectorates,
                makes=event.makes,
                actor=actor,
                on=event.on,
            )
        if isinstance(event, CommitteeRegistered):
            _authorize(access, actor, "adding a committee")
            check_code(event.code, what="committee code")
            if report_id(event.code) in self.aggregates:
                raise RuleBrokenError(f"{event.code} is the code of a report already")
            clean_text(event.name, "its name", required=True)
            return Committee.register(code=event.code, name=event.name, actor=actor, on=event.on)
        if isinstance(event, MeetingScheduled | PaperIssued):
            committee: Committee = self.aggregates[event.originator_id]
            if isinstance(event, MeetingScheduled):
                _authorize(access, actor, "adding a meeting")
                if event.paper is not None and len(event.paper) > 100:
                    raise RuleBrokenError("its paper reference is over 100 characters long")
                committee.schedule_meeting(event.meeting, event.paper, actor, event.on)
            else:
                _authorize(access, actor, "issuing a paper")
                committee.issue_paper(
                    event.meeting, event.digest, event.read_at, event.as_known_at, actor, event.on
                )
            return committee
        if isinstance(event, AccessControlled):
            return Access.control(actor=actor, on=event.on)
        if isinstance(event, RoleGranted | RoleRevoked):
            assert access is not None  # the stream exists: it began with AccessControlled
            if isinstance(event, RoleRevoked):
                _authorize(access, actor, "revoking roles")
                access.revoke(event.name, event.role, event.acts_for, actor, event.on)
            elif not access.grants:  # the first grant turns access control on
                if event.role is not Role.GOVERNANCE:
                    raise RuleBrokenError("the first role granted must be governance")
                access.grant(event.name, event.role, event.acts_for, actor, event.on)
            else:
                _authorize(access, actor, "granting roles")
                access.grant(event.name, event.role, event.acts_for, actor, event.on)
            return access
        if isinstance(event, RulesAdopted):
            _authorize(access, actor, "setting a committee's rules")
            return Rules.adopt(actor=actor, on=event.on)
        if isinstance(event, SignOffRuleSet):
            assert rules is not None
            _authorize(access, actor, "setting a committee's rules")
            if committee_id(event.committee) not in self.aggregates:
                raise RuleBrokenError(f"no committee {event.committee} earlier in the file")
            rules.set_sign_off(event.committee, event.changes, actor, event.on)
            return rules
        raise RuleBrokenError(f"{type(event).__name__} is not an event a restore replays")

    def _remake_item_event(
        self, event: RecommendationEvent, access: Access | None, rules: Rules | None
    ) -> Recommendation:
        actor, on = event.actor, event.on
        if isinstance(event, RecommendationIssued):
            report = self.aggregates.get(report_id(event.report))
            if not isinstance(report, Report):
                raise RuleBrokenError(f"no report {event.report} earlier in the file")
            _authorize(access, actor, "adding an item")
            check_ref(event.ref)
            if on < report.published:
                raise RuleBrokenError(
                    f"it took effect on {on.isoformat()}, before its report was published "
                    f"({report.published.isoformat()})"
                )
            clean_text(event.text, "its text", required=True)
            return Recommendation.issue(
                report=report,
                ref=event.ref,
                kind=event.kind,
                text=event.text,
                owner=event.owner,
                lead=event.lead,
                due=self._due(event.due, event.due_text, report),
                status=event.status,
                reason=event.reason,
                actor=actor,
                on=on,
            )
        item: Recommendation = self.aggregates[event.originator_id]
        if not _owners_sheet(item, actor):
            _authorize(access, actor, f"changing {item.key}", item=item)
        wait = _waits(access, rules, actor, item)
        command: Callable[[], None]
        if isinstance(event, StatusChanged):
            if event.status is Status.GREEN and wait(None):
                raise ForbiddenError(
                    f"{actor} was not governance, so GREEN needed sign-off, and a GREEN set "
                    "without it cannot have been recorded"
                )
            command = lambda: item.change_status(event.status, event.reason, actor, on)  # noqa: E731
        elif isinstance(event, DeadlineSet):
            report = self.aggregates[report_id(item.history[0].report)]  # type: ignore[attr-defined]
            due = self._due(event.due, event.due_text, report)
            command = lambda: item.set_deadline(due, event.reason, actor, on)  # noqa: E731
        elif isinstance(event, DeadlineExtended):
            if wait(SignOffFor.EXTENSIONS):
                raise ForbiddenError(
                    f"{actor}'s extensions needed sign-off then; an extension recorded "
                    "without its request cannot have been"
                )
            command = lambda: item.extend_deadline(event.due, event.reason, actor, on)  # noqa: E731
        elif isinstance(event, RecommendationClosed):
            if wait(SignOffFor.CLOSURES):
                raise ForbiddenError(
                    f"{actor}'s closures needed sign-off then; a closure recorded without "
                    "its request cannot have been"
                )
            command = lambda: item.close(event.reason, actor, on)  # noqa: E731
        elif isinstance(event, ProgressNoted):
            command = lambda: item.note_progress(event.text, actor, on)  # noqa: E731
        elif isinstance(event, OwnerAssigned):
            command = lambda: item.assign_owner(event.owner, actor, on)  # noqa: E731
        elif isinstance(event, EventCorrected):
            key, version = split_event_id(event.corrects)
            if key != item.key:
                raise RuleBrokenError(f"it corrects {event.corrects}, an event of another key")
            command = lambda: item.correct(version, event.reason, actor, on)  # noqa: E731
        elif isinstance(event, CompletionClaimed):
            command = lambda: item.claim_completion(event.evidence, event.links, actor, on)  # noqa: E731
        elif isinstance(event, ClosureRequested):
            command = lambda: item.request_closure(event.evidence, event.links, actor, on)  # noqa: E731
        elif isinstance(event, ExtensionRequested):
            command = lambda: item.request_extension(  # noqa: E731
                event.due, event.evidence, event.links, actor, on
            )
        elif isinstance(event, SignedOff | SignOffRejected):
            _authorize(access, actor, "signing off")
            if isinstance(event, SignedOff):
                command = lambda: item.sign_off(event.note, actor, on)  # noqa: E731
            else:
                command = lambda: item.reject_sign_off(event.reason, actor, on)  # noqa: E731
        else:
            raise RuleBrokenError(f"{type(event).__name__} is not an event a restore replays")
        command()
        return item

    def _due(self, due: date | None, text: str | None, report: Report) -> Due:
        """The due date an event gives, read as the command read its text."""
        if text:
            return parse_due(text, report.published)
        return Due("", (due,) if due is not None else ())

    # Comparing and settling ----------------------------------------------------------

    def _compare(self, event: LedgerEvent, made: LedgerEvent, by: str) -> None:
        held = event.model_dump(exclude=_COMPARED_WITHOUT)
        given = made.model_dump(exclude=_COMPARED_WITHOUT)
        if not isinstance(event, type(made)):  # a later version of its class passes
            raise RuleBrokenError(
                f"{by} give a {type(made).__name__} here, not a {type(event).__name__}"
            )
        differ = [name for name in given if held.get(name) != given[name]]
        if differ:
            name = differ[0]
            raise RuleBrokenError(
                f"its {name} is {_said(held.get(name))} where {by} give {_said(given[name])}"
            )

    def _settle(self, event: LedgerEvent) -> None:
        """The aggregate has taken the event the command gave, which is the file's but
        for its moment: an item keeps the file's (its history is read as known at a
        moment). Nothing is ever made from a topic the file names."""
        aggregate = self.aggregates[event.originator_id]
        aggregate.collect_events()
        if isinstance(aggregate, Recommendation) and isinstance(event, RecommendationEvent):
            aggregate.history[event.originator_version - 1] = event


def _made(aggregate: BaseAggregate[UUID]) -> list[LedgerEvent]:
    """The events a command just gave, left pending on ``aggregate``."""
    return [event for event in aggregate.pending_events if isinstance(event, LedgerEvent)]


def _authorize(
    access: Access | None, actor: str, what: str, item: Recommendation | None = None
) -> None:
    try:
        authorize(access, actor, item=item, what=what)
    except LedgerError as error:
        raise ForbiddenError(
            "{actor} could not have recorded it: {why}", actor=actor, why=error
        ) from None


def _owners_sheet(item: Recommendation, actor: str) -> bool:
    """Whether ``actor`` is the item's owner, as an update sheet records its changes."""
    owner = item.history and _owner(item)
    return bool(owner) and fold_name(str(owner)) == fold_name(actor)


def _owner(item: Recommendation) -> str | None:
    from ledger.state import fold_item

    state = fold_item(item.history)
    return state.owner if state is not None else None


def _waits(
    access: Access | None, rules: Rules | None, actor: str, item: Recommendation
) -> Callable[[SignOffFor | None], bool]:
    """Whether ``actor``'s change must have waited for sign-off: GREEN under access
    control, and (under access control only: see the module) what a committee's rules
    require. An owner's sheet applied by governance records GREEN under the owner's name,
    so GREEN by the item's owner passes."""

    def wait(change: SignOffFor | None) -> bool:
        if access is None or _owners_sheet(item, actor):
            return False
        return bool(needs_sign_off(access, rules, actor, change))

    return wait


def _said(value: Any) -> str:
    text = value.isoformat() if isinstance(value, date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
