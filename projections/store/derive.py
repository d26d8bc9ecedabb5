"""The rows the read model derives from events, made in one place: the follower writes
them (:mod:`projections.store.follower`, :mod:`projections.store.paper_rows`) and
``verify`` makes them again to prove the stored ones (:mod:`projections.store.audit`),
so the two cannot drift apart.

An item's spans come from its :func:`ledger.state.timeline` as each of its events, in
the order recorded, ends some spans and begins others (:func:`span_steps`); each span is
a row of ``ragw_spans`` (:func:`span_row`), and the spans known now are also rows of
the board (:func:`board_row`). Reports and committees are a row each; a meeting is a
row of its committee, and so is each list of the reports it reviews, as first given and
as each change made it (:func:`meeting_rows`); an inspectorate's verdict is a row
naming the organisation whose item it is on (:func:`verdict_row`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache, lru_cache
from json.encoder import encode_basestring as _text
from typing import Any

from events import (
    CommitteeRegistered,
    InspectionEvent,
    Kind,
    MeetingReviewsChanged,
    MeetingScheduled,
    RecommendationEvent,
    ReportRegistered,
    Status,
    VerdictEvent,
    VerdictGiven,
)
from ledger.state import ItemState, Span, later_timeline, timeline
from projections.exceptions import relevance_of
from projections.rows import not_for_the_force, place
from projections.store.schema import FOREVER
from projections.store.state import STATE
from projections.text import compact

#: What a span keeps of its state (the board's columns, the board line around
#: ``overdue``, the whole state as JSON), by the state's id, with the state itself: a
#: span ended by a later event keeps the state it had, so these are made once.
Rendered = dict[int, tuple[ItemState, tuple[Any, ...]]]


def report_row(event: ReportRegistered, at: str) -> tuple[Any, ...]:
    """A row of ``ragw_reports``, recorded at ``at``."""
    return (
        event.code,
        event.title,
        event.scope.value,
        event.published.isoformat(),
        json.dumps(list(event.inspectorates)),
        event.makes,
        int(event.restricted),
        event.inspection,
        event.origin,
        at,
    )


def inspection_row(event: InspectionEvent, at: str) -> tuple[Any, ...]:
    """A row of ``ragw_inspections``: one event of an inspection, whole (papers fold an
    inspection's few events as known at a moment, as from the log), recorded at ``at``."""
    return (
        str(event.originator_id),
        event.originator_version,
        type(event).__name__,
        event.model_dump_json(),
        at,
    )


def committee_row(event: CommitteeRegistered, at: str) -> tuple[Any, ...]:
    """A row of ``ragw_committees``, recorded at ``at``."""
    return (str(event.originator_id), event.code, event.name, at)


#: The events whose rows are not an item's: reports, committees, meetings, reviews,
#: inspections (every kind of inspection event: its base class) and verdicts.
META_EVENTS = (
    ReportRegistered,
    CommitteeRegistered,
    MeetingScheduled,
    MeetingReviewsChanged,
    InspectionEvent,
    VerdictEvent,
)


def verdict_row(org: str, event: VerdictGiven, at: str) -> tuple[Any, ...]:
    """A row of ``ragw_verdicts`` (:data:`projections.store.schema.VERDICT_COLUMNS`):
    the inspectorate's verdict on organisation ``org``'s item, recorded at ``at``."""
    return (
        org,
        event.key,
        event.originator_version,
        event.verdict.value,
        event.reason,
        event.on.isoformat(),
        event.actor,
        at,
    )


def review_row(event: MeetingScheduled | MeetingReviewsChanged, at: str) -> tuple[Any, ...]:
    """A row of ``ragw_reviews`` but its committee's code: the meeting, the event's
    version in its committee's stream (the latest known is the list in force), the
    reports as a JSON list, and when it was recorded."""
    return (event.meeting.isoformat(), event.originator_version, json.dumps(event.review), at)


def meeting_rows(
    code: str, event: MeetingScheduled | MeetingReviewsChanged, at: str
) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """The rows of committee ``code`` a meeting's event gives, by table (a meeting that
    reviews no report gives no row of ``ragw_reviews``)."""
    if isinstance(event, MeetingScheduled):
        yield "ragw_meetings", [(code, event.meeting.isoformat(), event.paper, at)]
    if isinstance(event, MeetingReviewsChanged) or event.review:
        yield "ragw_reviews", [(code, *review_row(event, at))]


def span_steps(
    known: list[RecommendationEvent], new: Iterable[RecommendationEvent]
) -> Iterator[tuple[RecommendationEvent, list[Span], list[Span], list[Span]]]:
    """Each of ``new`` (one item's events after ``known``, in the order recorded) with
    the spans it ended, the spans it began, and the item's timeline after it. Most
    events only change the timeline's end; others make it again. ``known`` grows."""
    before = timeline(known)
    for event in new:
        known.append(event)
        quick = later_timeline(before, event)
        if quick is not None:
            after, ended, begun = quick
        else:
            after = timeline(known)
            ended = [span for span in before if span not in after]
            begun = [span for span in after if span not in before]
        yield event, ended, begun, after
        before = after


def span_row(
    at: str,
    start: date,
    until: date | None,
    state: ItemState,
    scope: str,
    published: str,
    rendered: Rendered | None = None,
) -> list[Any]:
    """A row of ``ragw_spans`` (:data:`~projections.store.schema.SPAN_COLUMNS`): the
    span known from ``at``, of an item of a report of ``scope`` published on
    ``published`` (ISO text)."""
    made = rendered.get(id(state)) if rendered is not None else None
    if made is None or made[0] is not state:
        made = (state, _state_columns(state, scope, published))
        if rendered is not None:
            rendered[id(state)] = made
    ends = _day(until) if until else FOREVER
    return [state.key, state.report, at, None, _day(start), ends, *made[1]]


def _state_columns(state: ItemState, scope: str, published: str) -> tuple[Any, ...]:
    """The columns of a span that its state gives, from ``status`` to ``relevance``."""
    status = _STATUS_VALUES[state.status] if state.status else None
    due = _day(state.due) if state.due else None
    extended = state.last_extended_on
    head, tail = board_json(state, scope)
    return (
        status,
        due,
        state.owner,
        _day(state.original_due) if state.original_due else None,
        state.times_extended,
        _day(extended) if extended else None,
        _place(published, state.report, state.ref),
        head,
        tail,
        STATE.dump_json(state).decode(),
        state.pending_text,
        relevance_of(state),
    )


def board_json(state: ItemState, scope: str) -> tuple[str, str]:
    """The item's board line as JSON, as the text before ``overdue``'s value and the
    text after it (overdue depends on the day asked about: the row is kept around it):
    :meth:`projections.rows.BoardItem.json_around_overdue` of its row, byte for byte,
    made straight from the state's fields (the model makes one for every state)."""
    key, status, due, pending = state.key, state.status, state.due, state.pending
    head = (
        f'{{"key":{_text(key)},"report":{_text(state.report)},"ref":{_text(state.ref)},'
        f'"kind":{_VALUES[state.kind]},"scope":{_text(scope)},'
        f'"status":{_VALUES[status] if status else "null"},'
        f'"due":{_text(_day(due)) if due else "null"},"overdue":'
    )
    tail = (
        f',"owner":{_maybe(state.owner)},"lead":{_maybe(state.lead)},'
        f'"text":{_text(state.text)},"comment":{_maybe(state.comment)},'
        f'"pending":{compact(pending.to_json(key)) if pending else "null"},'
        f'"reminded":{_text(_day(state.reminded)) if state.reminded else "null"},'
        f'"to":{_texts(state.to)},"not_for_the_force":{_not_for_us(state)},'
        f'"superseded_by":{_maybe(state.superseded_by)},"supersedes":{_texts(state.supersedes)}}}'
    )
    return head, tail


_STATUS_VALUES = {status: status.value for status in Status}
#: Each kind's and status's value as JSON text, made once (an enum's ``value`` is slow to
#: read, and every state has both).
_VALUES: dict[Kind | Status, str] = {m: _text(m.value) for m in (*Kind, *Status)}


def _texts(texts: tuple[str, ...]) -> str:
    return f"[{','.join(map(_text, texts))}]" if texts else "[]"  # mostly none


def _not_for_us(state: ItemState) -> str:
    found = not_for_the_force(state)
    return compact(found) if found is not None else "null"


def _maybe(text: str | None) -> str:
    return "null" if text is None else _text(text)


@lru_cache(maxsize=1 << 16)  # every state of an item has its place
def _place(published: str, report: str, ref: str) -> str:
    return place(date.fromisoformat(published), report, ref)


@cache  # a model's rows hold each of a few thousand days many times
def _day(day: date) -> str:
    return day.isoformat()


def board_row(span: list[Any]) -> tuple[Any, ...]:
    """The row of ``ragw_board`` or ``ragw_board_open``
    (:data:`~projections.store.schema.BOARD_COLUMNS`) of a span known now."""
    return (
        *(span[5], span[4], span[12], span[0], span[1], *span[6:12]),
        *(span[13], span[14], span[16], span[17]),
    )


def is_open(board: tuple[Any, ...]) -> bool:
    """Whether a board row is an item's last span, which has not ended
    (``ragw_board_open``), rather than an ended one (``ragw_board``)."""
    return bool(board[0] == FOREVER)
