"""Back-dated entries: events recorded some days after the day they say they took
effect, by whom, and which issued papers they changed.

An event's lag is the day it was recorded less the day it took effect (``on``). The
day it was recorded is the date of its recording time in the local time zone of the
machine reading it, the zone in which a change's ``on`` defaults to today when it is
recorded: an event recorded without a date has a lag of 0 wherever the ledger's people
read it from, where a day in UTC would give some of them 1, or -1.

An issued paper (``pack --issue``, the event :class:`~events.PaperIssued`) was read
from the events up to its digest's position, as known at its ``read_at``. A back-dated
event that took effect on or before the paper's meeting but is not in that history
(recorded after the position, or after ``read_at``) changed what the paper would say
if it were written now: the paper is named against it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from events import (
    CommitteeRegistered,
    LedgerEvent,
    MeetingScheduled,
    PaperIssued,
    RecommendationEvent,
    ReportEvent,
)
from ledger.aggregates.access import fold_name
from ledger.errors import InvalidInputError
from ledger.formats import iso_utc
from projections.audit import recorded_day
from projections.log import Who, describe, stream_records

if TYPE_CHECKING:
    from projections.log import EventRecord
    from projections.usecases.session import LedgerSession

#: A lag of more days than this is listed unless asked otherwise: two weeks.
DEFAULT_DAYS = 14
#: The longest lag one may ask about: a century, the span of years a ledger accepts.
MOST_DAYS = 36_500


@dataclass(frozen=True)
class IssuedPaper:
    """One issue of a committee's paper, and the history it was read from."""

    committee: str
    meeting: date
    #: The last log position the paper was read from.
    position: int
    #: Read as known at this moment: nothing recorded after it is in the paper.
    read_at: datetime

    @property
    def name(self) -> str:
        return f"{self.committee} {self.meeting.isoformat()}"

    def left_out(self, position: int, event: LedgerEvent) -> bool:
        """Whether the event at ``position`` is not in the history this issue was read
        from, though it took effect by the meeting."""
        return event.on <= self.meeting and (
            position > self.position or event.timestamp > self.read_at
        )


@dataclass(frozen=True, slots=True)
class Backdated:
    """An event recorded ``lag_days`` after the day it took effect: what of it is
    listed (not the event itself: a list of them may be long)."""

    id: str
    key: str
    type: str
    on: date
    recorded_at: datetime
    actor: str
    #: Who recorded it as a person reads it ("alice for Head of Crime").
    by: Who
    #: What it says, in one line (:func:`projections.log.describe`).
    details: str
    lag_days: int
    #: The issued papers it changed, as "COMMITTEE MEETING", by committee and meeting.
    papers: list[str]

    @classmethod
    def of(cls, record: EventRecord, lag_days: int, papers: list[str]) -> Backdated:
        return cls(
            record.id,
            record.key,
            record.type,
            record.on,
            record.recorded_at,
            record.actor,
            record.who,
            describe(record),
            lag_days,
            papers,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "type": self.type,
            "on": self.on.isoformat(),
            "recorded_at": iso_utc(self.recorded_at),
            "actor": self.actor,
            "lag_days": self.lag_days,
            "papers": self.papers,
        }


@dataclass(frozen=True)
class BackdatedRead:
    days: int
    #: By actor (their names compared as roles compare them: case and spacing aside,
    #: in that folded name's order), then in the order recorded.
    entries: list[Backdated]


def lag_of(event: LedgerEvent) -> int:
    """Days from when ``event`` took effect to the day it was recorded."""
    return (recorded_day(event.timestamp) - event.on).days


def backdated(
    session: LedgerSession,
    *,
    days: int = DEFAULT_DAYS,
    recorded_from: date | None = None,
    recorded_to: date | None = None,
    known_at: datetime | None = None,
) -> BackdatedRead:
    """Every event recorded more than ``days`` days after it took effect (and on a day
    from ``recorded_from`` to ``recorded_to`` when given), with the issued papers it
    changed; as known at ``known_at`` when given (nothing recorded after it, events and
    issues alike). Reads the log twice: the papers issued alone, then every event,
    holding only those it lists."""
    if not 0 <= days <= MOST_DAYS:
        raise InvalidInputError(
            "a lag of {days} days is not one to ask about; give 0 to {most} days",
            days=days,
            most=MOST_DAYS,
        )
    ledger = session.ledger(write=False)
    upto = ledger.last_position()
    papers = _issued(ledger.read_log(types=[CommitteeRegistered, PaperIssued]), upto, known_at)
    found: list[tuple[str, int, Backdated]] = []
    positions: list[int] = []

    def events() -> Iterator[LedgerEvent]:
        for position, event in ledger.read_log():
            if position > upto:
                return
            positions.append(position)
            yield event

    for record in stream_records(events()):
        position = positions.pop()
        event = record.event
        lag = lag_of(event)
        if lag <= days or (known_at is not None and event.timestamp > known_at):
            continue
        day = recorded_day(event.timestamp)
        if recorded_from is not None and day < recorded_from:
            continue
        if recorded_to is not None and day > recorded_to:
            continue
        changed = []
        if isinstance(event, RecommendationEvent | ReportEvent | MeetingScheduled):
            changed = sorted({paper.name for paper in papers if paper.left_out(position, event)})
        found.append((fold_name(record.actor), position, Backdated.of(record, lag, changed)))
    found.sort(key=lambda entry: entry[:2])
    return BackdatedRead(days, [entry for _, _, entry in found])


def _issued(
    read: Iterator[tuple[int, LedgerEvent]], upto: int, known_at: datetime | None = None
) -> list[IssuedPaper]:
    """Every issue of a paper up to position ``upto`` (and recorded by ``known_at``),
    with its committee's code."""
    codes: dict[object, str] = {}
    issued = []
    for position, event in read:
        if position > upto:
            break
        if isinstance(event, CommitteeRegistered):
            codes[event.originator_id] = event.code
        elif isinstance(event, PaperIssued):
            if known_at is not None and event.timestamp > known_at:
                continue
            code = codes[event.originator_id]
            issued.append(IssuedPaper(code, event.meeting, event.position, event.read_at))
    return issued
