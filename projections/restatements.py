"""What counts as a restatement: the rules, written once, for ``ragw restatements`` and
for the paper's "Restated since the last paper".

A paper said, of each item on the board as at its meeting, four things: its status,
its due date, the section of the paper it fell in (what its counts marked it as
against the meeting before: NEW GREEN, AMBER, RED, NEW RED, WHITE, CLOSED, NOT ASSESSED,
or left out as previously reported), and its status at the meeting before (which the
paper's Previous column counts). An item is *restated* when that row as known now
differs from the row the paper gave (as issued, or as known at a moment). What made the
difference are the item's events the paper did not know (recorded after it was read)
that take effect on or before the meeting: a change typed in late and dated back, or a
correction of an event that did. A correction takes effect when the event it retracts
did, whatever day it was recorded on.

Everything here is a pure function of rows and events, so it can be checked against
naive replays on random histories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from events import (
    CommitteeRegistered,
    EventCorrected,
    LedgerEvent,
    MeetingScheduled,
    RecommendationEvent,
    RecommendationIssued,
)
from ledger.formats import iso_utc
from ledger.keys import recommendation_id, split_key
from ledger.state import corrected_version, fold_item
from projections.committee.counts import MARKS, printed_status
from projections.log import records_of

if TYPE_CHECKING:
    from projections.log import EventRecord
    from projections.recorded import Recorded

#: The section of an item a paper left out: GREEN or CLOSED at the meeting before.
PREVIOUSLY_REPORTED = "PREVIOUSLY REPORTED"


@dataclass(frozen=True)
class PaperRow:
    """What a paper said of one item: status (None: not yet assessed, or not on the
    board), due date (ISO), the section it fell in (None: not on the board), and its
    status at the meeting before, which the paper's Previous column counted."""

    status: str | None
    due: str | None
    section: str | None
    previous: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "due": self.due,
            "section": self.section,
            "previous": self.previous,
        }

    def describe(self) -> str:
        """The row as one line a committee member reads."""
        if self.section is None:
            return "not on the board"
        due = f"due {self.due}" if self.due else "no due date"
        return f"{self.section}, {due}; {self.previous or 'no status'} at the meeting before"


#: An item the paper did not show: not on the board as at its meeting.
NOT_ON_BOARD = PaperRow(None, None, None)


def section_of(now: str | None, before: str | None) -> str:
    """The section of the paper an item with status ``now`` at the meeting, ``before``
    at the meeting before, falls in (the paper's counts, :data:`MARKS`)."""
    return SECTIONS[now, before]


def _section(marks: tuple[str, ...]) -> str:
    return printed_status(marks) if marks else PREVIOUSLY_REPORTED


#: Every (now, before) pair's section, worked out once: papers hold thousands of items.
SECTIONS = {pair: _section(marks) for pair, marks in MARKS.items()}


def paper_rows(
    statuses: Mapping[str, str | None],
    dues: Mapping[str, str | None],
    before: Mapping[str, str | None],
) -> dict[str, PaperRow]:
    """Every item's row: ``statuses`` and ``dues`` as at the meeting, ``before`` the
    statuses as at the meeting before (an item absent there was not yet on the board)."""
    return {
        key: PaperRow(status, dues.get(key), SECTIONS[status, before.get(key)], before.get(key))
        for key, status in statuses.items()
    }


def rows_of(recorded: Recorded, committee: str, meeting: date) -> dict[str, PaperRow]:
    """The rows of the paper for ``committee``'s meeting on ``meeting``, read from
    ``recorded`` (a stored read model or a fold alike); a committee it does not hold
    yet compares with the empty ledger."""
    known = recorded.committees.get(committee)
    previous = known.before(meeting) if known else None
    dues = {row[0]: row[3] for row in recorded.rows_as_at(meeting)}
    return paper_rows(
        recorded.statuses_as_at(meeting),
        dues,
        recorded.statuses_as_at(previous.on if previous else None),
    )


def restated_keys(then: Mapping[str, PaperRow], now: Mapping[str, PaperRow]) -> list[str]:
    """The items whose row differs, by key."""
    return sorted(
        key
        for key in then.keys() | now.keys()
        if then.get(key, NOT_ON_BOARD) != now.get(key, NOT_ON_BOARD)
    )


def effective_day(event: RecommendationEvent, stream: Mapping[int, RecommendationEvent]) -> date:
    """The day an event changes the item from: its own ``on``; for a correction, the day
    the event it retracts took effect (its own day when that is earlier)."""
    if isinstance(event, EventCorrected):
        retracted = stream.get(corrected_version(event))
        if retracted is not None:
            return min(event.on, retracted.on)
    return event.on


def making_the_difference(
    stream: Sequence[RecommendationEvent],
    known_then: Callable[[RecommendationEvent], bool],
    meeting: date,
) -> list[RecommendationEvent]:
    """The item's events the paper did not know (``known_then`` is False) that take
    effect on or before ``meeting``: the only events that can change its row."""
    by_version = {event.originator_version: event for event in stream}
    return [
        event
        for event in stream
        if not known_then(event) and effective_day(event, by_version) <= meeting
    ]


@dataclass(frozen=True)
class Restatement:
    """One item's row then and now, with the events that made the difference (who
    recorded them and when are on each record)."""

    key: str
    then: PaperRow
    now: PaperRow
    events: list[EventRecord]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "then": self.then.to_json(),
            "now": self.now.to_json(),
            "events": [record.id for record in self.events],
        }


@dataclass(frozen=True)
class Restatements:
    """The items of a meeting's paper restated since it was read at ``compared_with``;
    ``issued`` when that is the paper as issued (pinned by its position in the log)."""

    committee: str
    meeting: date
    compared_with: datetime
    issued: bool
    items: list[Restatement] = field(default_factory=list)
    #: How the meeting the paper compares with changed since it was read (a meeting
    #: scheduled between, or the one before moved): every item's Previous column with it.
    meeting_before_changed: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "committee": self.committee,
            "meeting": self.meeting.isoformat(),
            "compared_with": iso_utc(self.compared_with),
            "meeting_before_changed": self.meeting_before_changed,
            "items": [item.to_json() for item in self.items],
        }


def restated(
    then: Mapping[str, PaperRow],
    now: Mapping[str, PaperRow],
    streams: Callable[[list[str]], Mapping[str, Sequence[RecommendationEvent]]],
    known_then: Callable[[RecommendationEvent], bool],
    meeting: date,
) -> list[Restatement]:
    """Every item whose row differs, with the events that made the difference;
    ``streams`` gives the events (in recorded order) of the items asked for."""
    keys = restated_keys(then, now)
    found = streams(keys) if keys else {}
    listed = []
    for key in keys:
        stream = list(found.get(key, ()))
        changed = {id(e) for e in making_the_difference(stream, known_then, meeting)}
        records = [r for r in records_of(stream) if id(r.event) in changed]
        listed.append(
            Restatement(key, then.get(key, NOT_ON_BOARD), now.get(key, NOT_ON_BOARD), records)
        )
    return listed


def folded_streams(
    recorded: Recorded,
) -> Callable[[list[str]], dict[str, list[RecommendationEvent]]]:
    """The streams of the items a folded ``recorded`` holds, by key."""

    def streams(keys: list[str]) -> dict[str, list[RecommendationEvent]]:
        wanted = set(keys)
        return {key: stream for key, stream in by_key(recorded.items.values()) if key in wanted}

    return streams


def by_key(
    streams: Iterable[list[RecommendationEvent]],
) -> Iterable[tuple[str, list[RecommendationEvent]]]:
    """Each stream with its item's key (named by its first event, the issue)."""
    for stream in streams:
        if stream and isinstance(first := stream[0], RecommendationIssued):
            yield f"{first.report}/{first.ref}", stream


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` (UTC): what a paper read on its meeting day could know
    at the latest, when no issue pins what it said."""
    return datetime.combine(day, time.max, tzinfo=UTC)


def known_in(recorded: Recorded) -> Callable[[RecommendationEvent], bool]:
    """Whether an event is among those a folded ``recorded`` holds (an issued paper's
    history, pinned by position: what it knew, whatever the recording times)."""
    held = {
        (event.originator_id, event.originator_version)
        for stream in recorded.items.values()
        for event in stream
    }
    return lambda event: (event.originator_id, event.originator_version) in held


def recorded_by(moment: datetime) -> Callable[[RecommendationEvent], bool]:
    """Whether an event was recorded by ``moment``."""
    return lambda event: event.timestamp <= moment


class EventStore(Protocol):
    """Where an item's stream is read from (the ledger's event store)."""

    def get(self, originator_id: UUID) -> Iterable[Any]: ...


def streams_known_at(
    recorded: Recorded, store: EventStore
) -> Callable[[list[str]], Mapping[str, Sequence[RecommendationEvent]]]:
    """The events of the items asked for, as ``recorded`` holds them: from its fold when
    it folded them, else each item's own stream in the ``store`` (the ledger's events;
    no scan of the log, no aggregate rebuilt), recorded by its ``known_at``."""
    if recorded.items:
        return folded_streams(recorded)
    moment = recorded.known_at

    def streams(keys: list[str]) -> dict[str, list[RecommendationEvent]]:
        found = {}
        for key in keys:
            stream = store.get(recommendation_id(*split_key(key)))  # not the log
            found[key] = [e for e in stream if moment is None or e.timestamp <= moment]
        return found

    return streams


def rows_before(
    rows: Mapping[str, PaperRow],
    tail: Sequence[LedgerEvent],
    stream_of: Callable[[UUID], Iterable[Any]],
    meeting: date,
    before: date | None,
) -> tuple[dict[str, PaperRow], Callable[[RecommendationEvent], bool]] | None:
    """The rows of the history without ``tail`` (the events appended after it), made from
    ``rows`` (those of a history holding every event before the tail): each item the
    tail touches is folded again from its stream (``stream_of``) without the tail's
    events, every other item is as ``rows`` has it. With whether an event is known to
    that history. None when the tail registers a committee or schedules a meeting, so
    that the paper's meeting before may differ: then the history is folded whole."""
    if any(isinstance(e, CommitteeRegistered | MeetingScheduled) for e in tail):
        return None
    later = {
        (e.originator_id, e.originator_version) for e in tail if isinstance(e, RecommendationEvent)
    }
    then = dict(rows)
    for stream_id in {stream_id for stream_id, _ in later}:
        whole = list(stream_of(stream_id))
        keys = [f"{e.report}/{e.ref}" for e in whole if isinstance(e, RecommendationIssued)]
        stream = [e for e in whole if (e.originator_id, e.originator_version) not in later]
        state = fold_item(stream, as_at=meeting)
        if state is None or state.not_for_us is not None:
            for key in keys:  # not on that paper (issued only since, or not the force's)
                then.pop(key, None)
            continue
        prior = fold_item(stream, as_at=before) if before else None
        if prior is not None and prior.not_for_us is not None:
            prior = None  # not counted then, as an item not yet on the board
        status = state.status.value if state.status else None
        was = prior.status.value if prior and prior.status else None
        due = state.due.isoformat() if state.due else None
        then[state.key] = PaperRow(status, due, SECTIONS[status, was], was)
    return then, lambda event: (event.originator_id, event.originator_version) not in later
