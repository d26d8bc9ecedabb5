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
a change under an item's owner's name passes as its update sheet's where a sheet could
have recorded it so (ledgers written before sheets recorded who applied them hold a
sheet's changes under the owner's name, an owner that holds no role; a sheet now records
its applier, for the owner): see :func:`.items.remake_item_event`. Texts are checked for
what they may hold, not re-trimmed: commands trim what users type, and an event's text is
the trimmed one.

The same replay runs over a ledger's own log (:func:`first_unruled`), so that ``verify``
can pass no history a restore of its backup would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from events import (
    AccessControlled,
    CommitteeRegistered,
    ContactsKept,
    InspectionAdded,
    InspectionChanged,
    InspectionReported,
    LedgerEvent,
    MeetingReviewsChanged,
    MeetingScheduled,
    OrganisationAdded,
    OwnerContactSet,
    PaperIssued,
    PasswordChanged,
    RecommendationEvent,
    RecommendationIssued,
    ReportRegistered,
    Role,
    RoleGranted,
    RoleRevoked,
    RulesAdopted,
    SignOffRuleSet,
    UserAdded,
    UserDisabled,
    VerdictEvent,
)
from ledger.aggregates import (
    Access,
    Committee,
    Contacts,
    Organisation,
    Recommendation,
    Rules,
)
from ledger.aggregates.committee import check_reviewable
from ledger.errors import LedgerError, RuleBrokenError
from ledger.exchange.backup.inspections import (
    ReportLink,
    remake_inspection_event,
    remake_report,
)
from ledger.exchange.backup.items import (
    SHEET_EVENTS,
    authorized,
    partners,
    remake_item_event,
)
from ledger.exchange.backup.national import check_origin, remake_verdict_event
from ledger.exchange.backup.users import remake_user_event
from ledger.inputs import clean_text
from ledger.keys import (
    ACCESS_ID,
    OWNERS_ID,
    RULES_ID,
    check_code,
    committee_id,
    inspection_id,
    report_id,
)
from ledger.storage.mapper import CREATES

#: The latest local date anywhere at a UTC moment is that of UTC+14 (Kiribati): a
#: command's "today" is its machine's local date, so an event recorded at a UTC moment
#: may take effect on a date up to this much later than the moment's UTC date.
LATEST_ZONE = timedelta(hours=14)

_COMPARED_WITHOUT = {"timestamp", "originator_topic"}


class Replay:
    """The aggregates as the events replayed so far made them; :meth:`check` replays the
    next event, refusing one its rules would not have given. ``org``: the organisation
    whose ledger it is (None: the single ledger), whose identity some rules ask."""

    def __init__(self, org: str | None = None) -> None:
        self.org = org
        self.aggregates: dict[UUID, Any] = {}
        #: Events a command gave at once that the file must hold next in their stream.
        self.expected: dict[UUID, list[LedgerEvent]] = {}
        #: The other item a command changed in the same transaction (a supersession's
        #: other half): its event is the file's next line.
        self.partner: UUID | None = None
        self.recorded: dict[UUID, datetime] = {}
        #: A report's link to its inspection, whose event may be the file's next line.
        self.link: ReportLink | None = None

    def check(self, event: LedgerEvent) -> None:
        """Replay ``event``; raise a :class:`LedgerError` saying why it could not have
        been recorded."""
        stream = event.originator_id
        self._check_moment(event)
        if event.acting_for and not isinstance(event, SHEET_EVENTS):
            raise RuleBrokenError(
                f"it says it was recorded for {event.acting_for!r}, but only an update "
                f"sheet's changes are recorded for someone else, and no sheet records a "
                f"{type(event).__name__}"
            )
        if self.partner is not None and stream != self.partner:
            raise RuleBrokenError(
                "the event before it changed two items in one transaction, so the other "
                "item's event comes next in the file, and here another comes between"
            )
        self.partner = None
        link, self.link = self.link, None
        if link is not None and (inspection := link.settle(self.aggregates, event)):
            self._compare(event, _made(inspection)[0], "the report's command before it")
            self._settle(event)
            return
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
        if isinstance(event, RecommendationEvent):
            for other in partners(self.aggregates, event):  # changed with it, at once
                self.expected.setdefault(other.id, []).extend(_made(other))
                self.partner = other.id
        self.aggregates.setdefault(stream, aggregate)
        if isinstance(event, ReportRegistered):
            self.link = ReportLink.of(event)
        self._settle(event)

    def unfinished(self) -> list[tuple[UUID, str]]:
        """What a command gave with a stream's first events that the file does not hold,
        by stream: the events it gave at once, or the governance role granted with
        access control (without it, nobody could ever write the ledger again)."""
        missing = [
            (stream, f"a {type(waiting[0]).__name__} (version {waiting[0].originator_version})")
            for stream, waiting in self.expected.items()
            if waiting
        ]
        access = self.aggregates.get(ACCESS_ID)
        if isinstance(access, Access) and not access.grants:
            missing.append((ACCESS_ID, "a governance role granted (RoleGranted)"))
        return missing

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
            return remake_item_event(self.aggregates, event, access, rules)
        if isinstance(event, ReportRegistered):
            check_origin(self.aggregates, event, self.org)
            return remake_report(self.aggregates, event, access, today)
        if isinstance(event, VerdictEvent):
            return remake_verdict_event(self.aggregates, event, access, self.org)
        if isinstance(event, CommitteeRegistered):
            authorized(access, actor, "adding a committee")
            check_code(event.code, what="committee code")
            if report_id(event.code) in self.aggregates:
                raise RuleBrokenError(f"{event.code} is the code of a report already")
            if inspection_id(event.code) in self.aggregates:
                raise RuleBrokenError(f"{event.code} is the code of an inspection already")
            clean_text(event.name, "its name", required=True)
            return Committee.register(code=event.code, name=event.name, actor=actor, on=event.on)
        if isinstance(event, MeetingScheduled | MeetingReviewsChanged | PaperIssued):
            committee: Committee = self.aggregates[event.originator_id]
            if isinstance(event, MeetingScheduled):
                authorized(access, actor, "adding a meeting")
                if event.paper is not None and len(event.paper) > 100:
                    raise RuleBrokenError("its paper reference is over 100 characters long")
                committee.schedule_meeting(
                    event.meeting, event.paper, actor, event.on, self._held(event)
                )
            elif isinstance(event, MeetingReviewsChanged):
                authorized(access, actor, "changing a meeting's reviews")
                scheduled = committee.scheduled.get(event.meeting)
                if scheduled is not None and event.on < scheduled:
                    raise RuleBrokenError(
                        f"it took effect on {event.on.isoformat()}, before its meeting was "
                        f"scheduled ({scheduled.isoformat()})"
                    )
                committee.change_reviews(event.meeting, self._held(event), actor, event.on)
            else:
                authorized(access, actor, "issuing a paper")
                committee.issue_paper(
                    event.meeting, event.digest, event.read_at, event.as_known_at, actor, event.on
                )
            return committee
        if isinstance(event, AccessControlled):
            return Access.control(actor=actor, on=event.on)
        if isinstance(event, RoleGranted | RoleRevoked):
            assert access is not None  # the stream exists: it began with AccessControlled
            if isinstance(event, RoleRevoked):
                authorized(access, actor, "revoking roles")
                access.revoke(event.name, event.role, event.acts_for, actor, event.on)
            elif not access.grants:  # the first grant turns access control on
                if event.role is not Role.GOVERNANCE:
                    raise RuleBrokenError("the first role granted must be governance")
                access.grant(event.name, event.role, event.acts_for, actor, event.on)
            else:
                authorized(access, actor, "granting roles")
                access.grant(event.name, event.role, event.acts_for, actor, event.on)
            return access
        if isinstance(event, UserAdded | PasswordChanged | UserDisabled):
            assert access is not None  # likewise
            return remake_user_event(access, event)
        if isinstance(event, RulesAdopted):
            authorized(access, actor, "setting a committee's rules")
            return Rules.adopt(actor=actor, on=event.on)
        if isinstance(event, SignOffRuleSet):
            assert rules is not None
            authorized(access, actor, "setting a committee's rules")
            if committee_id(event.committee) not in self.aggregates:
                raise RuleBrokenError(f"no committee {event.committee} earlier in the file")
            rules.set_sign_off(event.committee, event.changes, actor, event.on)
            return rules
        if isinstance(event, ContactsKept):
            return Contacts.keep(actor=actor, on=event.on)
        if isinstance(event, OwnerContactSet):
            contacts: Contacts = self.aggregates[OWNERS_ID]
            authorized(
                access, actor, f"setting where {event.owner}'s reminders go", owner=event.owner
            )
            clean_text(event.owner, "its owner", required=True)
            contacts.set_contact(event.owner, event.emails, actor, event.on)
            return contacts
        if isinstance(event, InspectionAdded | InspectionChanged | InspectionReported):
            return remake_inspection_event(self.aggregates, event, access)
        if isinstance(event, OrganisationAdded):  # its rules: Organisation.add
            authorized(access, actor, "adding an organisation")
            return Organisation.add(
                code=event.code, name=event.name, kind=event.kind, actor=actor, on=event.on
            )
        raise RuleBrokenError(f"{type(event).__name__} is not an event a restore replays")

    def _held(self, event: MeetingScheduled | MeetingReviewsChanged) -> tuple[str, ...]:
        """The reports ``event`` reviews, each a report registered earlier in the file,
        published by the meeting, and written as a command would store it (else refused)."""
        for code in event.review:
            if check_code(code) != code:
                raise RuleBrokenError(f"it reviews report {code!r}, a code written untrimmed")
            report = self.aggregates.get(report_id(code))
            if report is None:
                raise RuleBrokenError(f"it reviews report {code!r}, which no earlier event adds")
            check_reviewable(code, report.published, event.meeting)
        return event.review

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


@dataclass(frozen=True)
class Unruled:
    """The first event of a log that its rules would not have given, and why."""

    position: int
    event: LedgerEvent
    why: LedgerError | str


def first_unruled(
    log: Iterable[tuple[int, LedgerEvent]],
    *,
    latest: datetime | None = None,
    progress: Callable[[int], object] | None = None,
    org: str | None = None,
) -> Unruled | None:
    """Replay a ledger's own log (its events with their positions, in order) through the
    rules each event passed when it was recorded, as a restore of its backup would; the
    first that could not have been recorded, or None. An event recorded after ``latest``
    (the check's moment, with the clocks' tolerance) has not happened yet. ``org``: the
    organisation whose ledger it is."""
    replay = Replay(org)
    first: dict[UUID, tuple[int, LedgerEvent]] = {}
    for position, event in log:
        if progress is not None:
            progress(1)
        first.setdefault(event.originator_id, (position, event))
        try:
            if latest is not None and event.timestamp > latest:
                raise RuleBrokenError(
                    f"it was recorded at {event.timestamp.isoformat()}, after this check "
                    f"({latest.replace(microsecond=0).isoformat()} at the latest)"
                )
            replay.check(event)
        except LedgerError as error:
            return Unruled(position, event, error)
    for stream, missing in replay.unfinished():
        position, event = first[stream]
        return Unruled(
            position,
            event,
            f"the command that recorded it also gave {missing}, which the log does not hold",
        )
    return None


def _made(aggregate: BaseAggregate[UUID]) -> list[LedgerEvent]:
    """The events a command just gave, left pending on ``aggregate``."""
    return [event for event in aggregate.pending_events if isinstance(event, LedgerEvent)]


def _said(value: Any) -> str:
    text = value.isoformat() if isinstance(value, date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
