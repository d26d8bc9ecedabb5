"""The audit pack as both its documents print it: the heading's lines, then each section
with what it says and its tables, every cell already a text. The HTML page and the Word
document lay these out, each its own way, and say nothing else, so the two never
disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from events import Request
from ledger.formats import iso_utc
from ledger.state import asks_for
from projections.committee import long_date
from render.cells import restating_event

if TYPE_CHECKING:
    from projections.audit import Decision, SignOff
    from projections.usecases.audit import AuditPack


@dataclass(frozen=True)
class Table:
    """A table: its id, header and rows; each row's item key and the event it lists
    (what pages mark rows with, for a reader's tools and tests)."""

    id: str
    headers: list[str]
    rows: list[list[str]]
    keys: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    said: list[str]
    tables: list[tuple[str | None, Table, str]]
    """(a sub-heading or None, the table, what to say when it has no rows)."""


TITLE = "Audit pack"


def heading(pack: AuditPack) -> list[tuple[str, str]]:
    """The heading's lines: label and value."""
    meeting = long_date(pack.meeting) + (f"; paper {pack.paper}" if pack.paper else "")
    lines = [
        ("Committee", f"{pack.committee_name} ({pack.committee})"),
        ("Meeting", meeting),
        ("Period covered", period_words(pack)),
        ("Pack made at", iso_utc(pack.made_at)),
        (
            "As known at",
            iso_utc(pack.as_known_at)
            if pack.as_known_at
            else "the moment the pack was made (everything recorded by then)",
        ),
        (
            "Ledger digest",
            f"{pack.digest}: the whole ledger as read when the pack was made, which the "
            f"verification below is of (check with `ragw verify --digest {pack.digest}`)"
            if pack.digest
            else "none: the ledger holds no events",
        ),
    ]
    return lines


def period_words(pack: AuditPack) -> str:
    """The period the paper covers, in words."""
    start = (
        f"from {long_date(pack.previous + timedelta(days=1))} (the day after the "
        f"committee's meeting of {long_date(pack.previous)})"
        if pack.previous
        else "from the ledger's start (no earlier meeting of the committee)"
    )
    end = f"to the end of the meeting's day, {long_date(pack.meeting)}"
    if pack.as_known_at is not None:
        end += f", as known at {iso_utc(pack.as_known_at)}"
    return f"entries recorded {start} {end}"


def _when_read(pack: AuditPack) -> str:
    return iso_utc(pack.as_known_at) if pack.as_known_at else "when the pack was made"


def sections(pack: AuditPack) -> list[Section]:
    return [
        _verify(pack),
        _restated(pack),
        _backdated(pack),
        _extensions(pack),
        _sign_offs(pack),
    ]


def _verify(pack: AuditPack) -> Section:
    verdict = pack.verdict
    state = (
        "INTACT when the pack was made: no recorded event, and no row of the read model, "
        "has been altered"
        if verdict.intact
        else "FAILED when the pack was made: the ledger does not verify"
    )
    return Section("verify", "Verification of the ledger", [state, *verdict.said], [])


def _restated(pack: AuditPack) -> Section:
    found = pack.restated.restatements
    table = Table(
        "restated-items",
        ["Item", "Then", "Now", "Events: what, recorded when and by whom"],
        [
            [
                item.key,
                item.then.describe(),
                item.now.describe(),
                "\n".join(restating_event(e) for e in item.events),
            ]
            for item in found.items
        ],
        [item.key for item in found.items],
        [" ".join(e.id for e in item.events) for item in found.items],
    )
    said = [
        f"Items of the paper whose row (status, due date, the section it falls in) as "
        f"known {_now(pack)} differs from {pack.restated.basis}, compared as known at "
        f"{iso_utc(found.compared_with)}; with the events that made the difference."
    ]
    return Section(
        "restated", "Restated since the paper", said, [(None, table, "None: nothing restated.")]
    )


def _backdated(pack: AuditPack) -> Section:
    days = f"{pack.days} day" + ("" if pack.days == 1 else "s")
    table = Table(
        "backdated-events",
        [
            "Recorded by",
            "Event",
            "Type",
            "Took effect",
            "Recorded at",
            "Lag (days)",
            "What it says",
            "Issued papers it changed",
        ],
        [
            [
                str(e.by),
                e.id,
                e.type,
                e.on.isoformat(),
                iso_utc(e.recorded_at),
                str(e.lag_days),
                e.details,
                ", ".join(e.papers),
            ]
            for e in pack.backdated
        ],
        [e.key for e in pack.backdated],
        [e.id for e in pack.backdated],
    )
    said = [
        f"Events recorded more than {days} after the day they took effect, on or before "
        f"the meeting's day, and recorded after the committee's previous meeting "
        f"(up to {_when_read(pack)}, however long after this meeting): those bear on this "
        "paper. By who recorded them, each one's in the order recorded."
    ]
    return Section(
        "backdated",
        "Back-dated entries",
        said,
        [(None, table, f"None: nothing in the period was recorded more than {days} late.")],
    )


def _extensions(pack: AuditPack) -> Section:
    found = pack.audited
    granted = Table(
        "extensions-granted",
        ["Item", "Granted by", "Recorded at", "Effective", "From", "To", "Justification", "How"],
        [
            [
                g.key,
                str(g.by),
                iso_utc(g.recorded_at),
                g.on.isoformat(),
                _day(g.previous_due),
                g.due.isoformat(),
                g.justification,
                (
                    f"request {g.request_id} by {g.requested_by or 'unknown'}, signed off ({g.id})"
                    if g.request_id
                    else f"recorded outright ({g.id})"
                )
                + _retracted(g.corrected_by),
            ]
            for g in found.extensions
        ],
        [g.key for g in found.extensions],
        [g.id for g in found.extensions],
    )
    asked = found.extension_requests
    requested = Table(
        "extensions-requested",
        ["Item", "Requested by", "Recorded at", "From", "To", "Justification", "Decision"],
        [
            [
                s.key,
                str(s.claimed_by),
                iso_utc(s.recorded_at),
                _day(s.previous_due),
                _day(s.due),
                _evidence(s),
                _decision(s.decision) + _retracted(s.corrected_by),
            ]
            for s in asked
        ],
        [s.key for s in asked],
        [s.id for s in asked],
    )
    return Section(
        "extensions",
        "Deadline extensions",
        [f"Extensions of due dates among the {period_words(pack)}."],
        [
            ("Granted", granted, "None granted."),
            ("Requested, and what was decided", requested, "None requested."),
        ],
    )


def _sign_offs(pack: AuditPack) -> Section:
    found = pack.audited.sign_offs
    table = Table(
        "sign-off-requests",
        ["Item", "Asks for", "Claimed by", "Claimed at", "Evidence", "Decided", "Note or reason"],
        [
            [
                s.key,
                asks_for(Request(s.asks), _day(s.due) or None),
                str(s.claimed_by),
                iso_utc(s.recorded_at),
                _evidence(s),
                _decision(s.decision) + _retracted(s.corrected_by),
                (s.decision.words or "") if s.decision else "",
            ]
            for s in found
        ],
        [s.key for s in found],
        [s.id for s in found],
    )
    said = [
        "Each request for sign-off (completion claimed, extension or closure requested) "
        f"made or decided among the {period_words(pack)}: who claimed it, and who signed it "
        "off or rejected it."
    ]
    return Section("sign-offs", "Sign-offs", said, [(None, table, "None.")])


def _now(pack: AuditPack) -> str:
    return f"at {iso_utc(pack.as_known_at)}" if pack.as_known_at else "now"


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _evidence(request: SignOff) -> str:
    return "\n".join([request.evidence, *request.links])


def _decision(decision: Decision | None) -> str:
    if decision is None:
        return "pending: neither signed off nor rejected"
    return (
        f"{decision.outcome} by {decision.by} at {iso_utc(decision.recorded_at)} "
        f"(effective {decision.on.isoformat()}, {decision.id})"
    )


def _retracted(correction: str | None) -> str:
    return f"; retracted by {correction}" if correction else ""
