"""The ledger's events as records a person or a script can read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from events import (
    AccessControlled,
    CommitteeRegistered,
    ContactsKept,
    EventCorrected,
    InspectionAdded,
    LedgerEvent,
    OrganisationAdded,
    RecommendationIssued,
    ReportRegistered,
    RulesAdopted,
    VerdictsBegun,
)
from ledger.formats import iso_utc
from ledger.keys import ACCESS_KEY, OWNERS_KEY, RULES_KEY, organisation_key, verdicts_key


@dataclass(frozen=True)
class Who:
    """Who recorded an event, as a person reads it: "alice", or "alice for Head of
    Crime" when they recorded it for an item's owner (an update sheet they applied).
    Apart, so a restricted report's owner is withheld as its text is, not the actor."""

    actor: str
    acting_for: str | None = None

    def __str__(self) -> str:
        return f"{self.actor} for {self.acting_for}" if self.acting_for else self.actor


@dataclass(frozen=True)
class EventRecord:
    """One recorded event: its id, what it is about, when, who, and its facts."""

    id: str
    type: str
    key: str
    on: date
    recorded_at: datetime
    actor: str
    payload: dict[str, Any]
    event: LedgerEvent = field(repr=False, compare=False)
    corrected_by: str | None = None

    @property
    def who(self) -> Who:
        """Who recorded it, and for whom (an owner's update sheet they applied)."""
        return Who(self.actor, self.payload.get("acting_for"))

    @property
    def by(self) -> str:
        """Who recorded it, as a person reads it: "alice for Head of Crime" when they
        recorded it for someone else (an owner's update sheet they applied)."""
        return str(self.who)

    def to_json(self, *, with_key: bool = True) -> dict[str, Any]:
        document: dict[str, Any] = {"id": self.id, "type": self.type}
        if with_key:
            document["key"] = self.key
        document |= {
            "on": self.on.isoformat(),
            "recorded_at": iso_utc(self.recorded_at),
            "actor": self.actor,
        }
        # a verdict's item is named "item": "key" names the event's own stream
        document |= {("item" if name == "key" else name): v for name, v in self.payload.items()}
        if self.corrected_by is not None or self.type != "EventCorrected":
            document["corrected_by"] = self.corrected_by
        return document


def records_of(events: Iterable[LedgerEvent]) -> list[EventRecord]:
    """Records in recorded order, each marked with the correction that retracts it."""
    records = list(stream_records(events))
    corrections = {
        record.payload["corrects"]: record.id
        for record in records
        if isinstance(record.event, EventCorrected)
    }
    return [
        _with_correction(record, corrections.get(record.id)) if record.id in corrections else record
        for record in records
    ]


def stream_records(
    events: Iterable[LedgerEvent], corrections: Mapping[str, str] | None = None
) -> Iterator[EventRecord]:
    """Records in recorded order, one at a time as the events come: each marked with
    the correction that retracts it when ``corrections`` (a retracted event's id: the
    id of the correction) says so. What it holds is a key for each stream it has met,
    never the events: a log of any length streams through it."""
    keys: dict[UUID, str] = {}
    for event in events:
        key = _key_of(event, keys)
        record = EventRecord(
            id=f"{key}@{event.originator_version}",
            type=type(event).__name__,
            key=key,
            on=event.on,
            recorded_at=event.timestamp,
            actor=event.actor,
            payload=event.payload(),
            event=event,
        )
        if corrections and record.id in corrections:
            record = _with_correction(record, corrections[record.id])
        yield record


def corrections_of(events: Iterable[LedgerEvent]) -> dict[str, str]:
    """The id of every retracted event, with the id of the correction that retracts it,
    read from the corrections among ``events``: a correction is of its own item's
    event, so its key is the one it names, and nothing else need be read."""
    found: dict[str, str] = {}
    for event in events:
        if isinstance(event, EventCorrected):
            key = event.corrects.rpartition("@")[0]
            found[event.corrects] = f"{key}@{event.originator_version}"
    return found


def _key_of(event: LedgerEvent, keys: dict[UUID, str]) -> str:
    """The key of ``event``'s stream, learnt from the event that creates it (every
    stream's first event) and kept in ``keys``."""
    if isinstance(event, ReportRegistered | CommitteeRegistered | InspectionAdded):
        keys[event.originator_id] = event.code
    elif isinstance(event, AccessControlled):
        keys[event.originator_id] = ACCESS_KEY
    elif isinstance(event, RulesAdopted):
        keys[event.originator_id] = RULES_KEY
    elif isinstance(event, ContactsKept):
        keys[event.originator_id] = OWNERS_KEY
    elif isinstance(event, RecommendationIssued):
        keys[event.originator_id] = f"{event.report}/{event.ref}"
    elif isinstance(event, OrganisationAdded):
        keys[event.originator_id] = organisation_key(event.code)
    elif isinstance(event, VerdictsBegun):
        keys[event.originator_id] = verdicts_key(event.org)
    return keys.get(event.originator_id, str(event.originator_id))


def _with_correction(record: EventRecord, correction_id: str | None) -> EventRecord:
    return EventRecord(**{**record.__dict__, "corrected_by": correction_id})


def describe(record: EventRecord) -> str:
    """One line a committee member can read: what the event says."""
    p = record.payload
    kind = record.type
    if kind == "ReportRegistered":
        by = f" by {', '.join(p['inspectorates'])}" if p.get("inspectorates") else ""
        restricted = " (restricted)" if p.get("restricted") else ""
        of = f", the report of inspection {p['inspection']}" if p.get("inspection") else ""
        origin = f", issued by {p['origin']}" if p.get("origin") else ""
        return (
            f"{p['scope']} report{restricted} {p['title']!r}{by}, published {p['published']}"
            f"{of}{origin}"
        )
    if kind in ("InspectionAdded", "InspectionChanged"):
        return describe_inspection(kind, p)
    if kind == "InspectionReported":
        return f"its report {p['report']} registered"
    if kind == "VerdictsBegun":
        return f"the inspectorate's verdicts on {p['org']}'s items begin"
    if kind == "VerdictGiven":
        return f"verdict on {p['key']}: {p['verdict']}: {p['reason']}"
    if kind == "OrganisationAdded":
        return f"organisation {p['code']} added: {p['name']!r} ({p['kind']})"
    if kind == "RecommendationIssued":
        parts = [f"{p['kind']}: {p['text']}"]
        if p.get("status"):
            parts.append(f"status {p['status']}" + (f" ({p['reason']})" if p.get("reason") else ""))
        if p.get("due_text") or p.get("due"):
            parts.append(
                f"due {p.get('due') or 'not set'}"
                + (f" (written {p['due_text']!r})" if p.get("due_text") else "")
            )
        if p.get("owner"):
            parts.append(f"owner {p['owner']}")
        if p.get("lead"):
            parts.append(f"lead {p['lead']}")
        if p.get("to"):
            parts.append(f"to {', '.join(p['to'])}")
        return "; ".join(parts)
    if kind == "StatusChanged":
        return f"-> {p['status']}" + (f": {p['reason']}" if p.get("reason") else "")
    if kind == "DeadlineSet":
        return f"due {p['due']}" + (f": {p['reason']}" if p.get("reason") else "")
    if kind == "DeadlineExtended":
        return f"due {p['previous_due'] or 'not set'} -> {p['due']}: {p['reason']}"
    if kind == "ProgressNoted":
        return str(p["text"])
    if kind == "OwnerAssigned":
        return f"owner -> {p['owner']}"
    if kind == "RecommendationClosed":
        return f"closed: {p['reason']}"
    if kind == "CommitteeRegistered":
        return f"committee {p['name']!r}"
    if kind == "MeetingScheduled":
        return (
            f"meeting on {p['meeting']}"
            + (f", paper {p['paper']}" if p.get("paper") else "")
            + (f", reviewing {', '.join(p['review'])}" if p.get("review") else "")
        )
    if kind == "MeetingReviewsChanged":
        return f"meeting on {p['meeting']} reviews {', '.join(p['review']) or 'no report'}"
    if kind == "EventCorrected":
        return f"retracts {p['corrects']}: {p['reason']}"
    if kind in ("CompletionClaimed", "ClosureRequested", "ExtensionRequested"):
        asks = {"CompletionClaimed": "GREEN", "ClosureRequested": "closing"}.get(
            kind, f"due {p.get('previous_due') or 'not set'} -> {p.get('due')}"
        )
        links = f" [{', '.join(p['links'])}]" if p.get("links") else ""
        return f"asks sign-off for {asks}: {p['evidence']}{links}"
    if kind == "SignedOff":
        what = {"GREEN": "-> GREEN", "CLOSED": "closed"}.get(
            p["outcome"], f"due {p.get('previous_due') or 'not set'} -> {p.get('due')}"
        )
        note = f" ({p['note']})" if p.get("note") else ""
        return f"signs off {p['request']}: {what}: {p['reason']}{note}"
    if kind == "SignOffRejected":
        return f"rejects {p['request']}: {p['reason']}"
    if kind == "RelevanceChanged":
        said = "for the force again" if p["for_us"] else "not for the force"
        return f"{said}: {p['reason']}"
    if kind == "Superseded":
        return f"closed, superseded by {p['by']}: {p['reason']}"
    if kind == "Supersedes":
        return f"supersedes {p['superseded']} (closed): {p['reason']}"
    if kind == "UserAdded":
        return f"user {p['name']} may sign in" + (f" ({p['email']})" if p.get("email") else "")
    if kind == "PasswordChanged":
        return f"a new password for {p['name']}"
    if kind == "UserDisabled":
        return f"user {p['name']} may no longer sign in"
    if kind == "SignOffRuleSet":
        changes = ", ".join(p["changes"]) or "completion only"
        return f"{p['committee']} requires sign-off for {changes}"
    if kind == "OwnerContactSet":
        return f"{p['owner']}'s reminders go to {', '.join(p['emails']) or 'nobody'}"
    if kind == "ReminderSent":
        return f"{p['owner']} reminded at {', '.join(p['addresses'])} ({p['message_id']})"
    return ", ".join(f"{k}={v}" for k, v in p.items())


def describe_inspection(kind: str, p: dict[str, Any]) -> str:
    """An inspection's event in one line: what it records (or what changed), and why."""
    parts = [f"inspection {p['title']!r}"] if p.get("title") else []
    if kind == "InspectionAdded" and p.get("inspectorates"):
        parts[-1] += f" by {', '.join(p['inspectorates'])}"
    if p.get("fieldwork_from") or p.get("fieldwork_to"):
        parts.append(
            f"fieldwork {p.get('fieldwork_from') or '...'}..{p.get('fieldwork_to') or '...'}"
        )
    if p.get("debrief"):
        parts.append(f"debrief {p['debrief']}")
    if p.get("expected"):
        parts.append(f"report expected {p['expected']}")
    if p.get("no_report"):
        parts.append("no report will be published")
    text = "; ".join(parts) or "changed"
    return f"{text}: {p['reason']}" if p.get("reason") else text
