"""'As at' a date and 'as known at' a moment: two filters of one fold."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from events import (
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    LedgerEvent,
    OwnerAssigned,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    SignedOff,
    StatusChanged,
    Superseded,
)
from ledger import Ledger, LedgerError
from ledger.state import fold_item, later_timeline, timeline
from projections import board_as_at
from projections.recorded import Recorded
from projections.store.database import moment
from tests.conftest import memory_ledger

ME = "Strategic Development"
OWNER = "Head of Roads"
START = date(2019, 1, 1)
TODAY = date(2021, 1, 1)


def all_events(ledger: Ledger) -> list[LedgerEvent]:
    return [event for _, event in ledger.read_log()]


def statuses(ledger: Ledger, **when: Any) -> dict[str, str | None]:
    return {i.key: i.status for i in board_as_at(all_events(ledger), **when).items}


def seeded() -> Ledger:
    ledger = memory_ledger(today=TODAY)
    ledger.register_report(
        "HATE18",
        title="Understanding the difference",
        scope="national",
        published=date(2018, 7, 1),
        actor=ME,
        on=START,
    )
    ledger.issue_recommendation(
        "HATE18",
        "6",
        kind="concern",
        text="Apply the cyber-enabled flag",
        due="October 2018",
        status="AMBER",
        actor=ME,
        on=START,
    )
    return ledger


def test_an_update_typed_in_late_counts_from_the_day_it_took_effect() -> None:
    ledger = seeded()
    ledger.change_status("HATE18/6", "GREEN", actor=ME, on=date(2019, 5, 1))
    assert statuses(ledger, as_at=date(2019, 4, 30)) == {"HATE18/6": "AMBER"}
    assert statuses(ledger, as_at=date(2019, 5, 1)) == {"HATE18/6": "GREEN"}


def test_an_item_is_on_the_board_from_the_date_it_was_added() -> None:
    ledger = seeded()
    assert statuses(ledger, as_at=START - timedelta(days=1)) == {}
    assert statuses(ledger, as_at=START) == {"HATE18/6": "AMBER"}


def test_a_corrected_mistake_shows_as_known_before_its_correction_and_not_after() -> None:
    ledger = seeded()
    ledger.change_status("HATE18/6", "GREEN", actor=ME, on=date(2019, 5, 1))
    before_correction = all_events(ledger)[-1].timestamp
    ledger.correct_event("HATE18/6@2", reason="GREEN was for item 8", actor=ME)
    day = date(2019, 6, 1)
    assert statuses(ledger, as_at=day) == {"HATE18/6": "AMBER"}
    assert statuses(ledger, as_at=day, as_known_at=before_correction) == {"HATE18/6": "GREEN"}


def test_an_item_is_overdue_when_past_its_due_date_and_not_green_white_or_closed() -> None:
    ledger = seeded()
    ledger.issue_recommendation(
        "HATE18",
        "8",
        kind="recommendation",
        text="Review guidance",
        due="March 2019",
        status="AMBER",
        actor=ME,
        on=START,
    )

    def overdue(day: date) -> bool:
        board = board_as_at(all_events(ledger), as_at=day, report="HATE18")
        return next(i for i in board.items if i.ref == "8").overdue

    assert not overdue(date(2019, 3, 31))
    assert overdue(date(2019, 4, 1))
    ledger.change_status("HATE18/8", "WHITE", reason="NPCC lead", actor=ME, on=date(2019, 4, 2))
    assert not overdue(date(2019, 4, 2))
    assert overdue(date(2019, 4, 1)), "history as at an earlier date is unchanged"


def test_an_extension_moves_the_due_date_and_keeps_the_original() -> None:
    ledger = seeded()
    ledger.extend_deadline(
        "HATE18/6", to=date(2020, 1, 31), reason="Bedding in", actor=ME, on=date(2019, 4, 1)
    )
    before, after = (
        board_as_at(all_events(ledger), as_at=d).items[0]
        for d in (date(2019, 3, 31), date(2019, 4, 1))
    )
    assert before.due == date(2018, 10, 31) and after.due == date(2020, 1, 31)
    state = Recorded.of(all_events(ledger)).states_as_at(date(2019, 4, 1))["HATE18/6"]
    assert state.original_due == date(2018, 10, 31)
    assert [(e.due, e.reason, e.previous_due) for e in state.extensions] == [
        (date(2020, 1, 31), "Bedding in", date(2018, 10, 31))
    ]


# The property: the board equals a naive replay of exactly the events that pass the filters.

operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "status",
                "extend",
                "assign",
                "note",
                "close",
                "correct",
                "due",
                "request",
                "sign-off",
                "reject",
                "remind",
                "relevance",
                "supersede",
            ]
        ),
        st.integers(0, 2),  # which item
        st.integers(0, (TODAY - START).days),  # effective day
        st.sampled_from(["GREEN", "AMBER", "RED", "WHITE"]),
        st.integers(1, 400),  # days of an extension, or which event to correct
    ),
    max_size=25,
)


def build_history(
    ops: list[tuple[str, int, int, str, int]],
    prepare: Callable[[Ledger], object] | None = None,
    *,
    into: Ledger | None = None,
    between: Callable[[int], object] | None = None,
) -> Ledger:
    """Three items, then ``prepare`` (e.g. a committee's meetings), then the operations
    (``between(i)`` before the i-th), into a fresh ledger in memory unless ``into``."""
    ledger = into if into is not None else memory_ledger(today=TODAY)
    ledger.register_report("R", title="t", scope="force", published=START, actor=ME, on=START)
    for ref in range(3):
        ledger.issue_recommendation(
            "R",
            str(ref),
            kind="afi",
            text="t",
            due=None if ref == 2 else "March 2019",
            actor=ME,
            on=START + timedelta(days=30 * ref),
            to=("Chief Constables", "the Home Office") if ref == 1 else (),
        )
    if prepare is not None:
        prepare(ledger)
    for index, (op, ref, day, colour, number) in enumerate(ops):
        if between is not None:
            between(index)
        key, on = f"R/{ref}", START + timedelta(days=day)
        try:
            if op == "status":
                ledger.change_status(key, colour, reason="why", actor=ME, on=on)
            elif op == "extend":
                current = ledger.get_recommendation(key).state_as_at(on).due or START
                ledger.extend_deadline(
                    key, to=current + timedelta(days=number), reason="r", actor=ME, on=on
                )
            elif op == "assign":
                ledger.assign_owner(key, f"owner {number % 3}", actor=ME, on=on)
            elif op == "note":
                ledger.note_progress(key, f"note {number}", actor=ME, on=on)
            elif op == "close":
                ledger.close_recommendation(key, reason="superseded", actor=ME, on=on)
            elif op == "request":  # GREEN: completion; RED: closing; else an extension
                item = ledger.get_recommendation(key)
                if colour == "GREEN":
                    item.claim_completion("done", ("https://evidence.example/1",), OWNER, on)
                elif colour == "RED":
                    item.request_closure("superseded", (), OWNER, on)
                else:
                    current = item.state_as_at(on).due or START
                    item.request_extension(current + timedelta(days=number), "r", (), OWNER, on)
                ledger.save_all(item, what=key)
            elif op in ("sign-off", "reject"):  # mostly on or after the request
                pending = ledger.get_recommendation(key).pending()
                if pending is not None and number % 4:
                    on = max(on, pending.on)
                if op == "sign-off":
                    ledger.sign_off(key, actor=ME, on=on)
                else:
                    ledger.reject_sign_off(key, reason="not yet", actor=ME, on=on)
            elif op == "remind":
                ledger.record_reminder(
                    f"owner {number % 3}",
                    addresses=["owner@example.org"],
                    keys=[key],
                    message_id=f"<{index}@example.org>",
                    actor=ME,
                    on=on,
                )
            elif op == "relevance":  # RED or WHITE: for the force again
                again = colour in ("RED", "WHITE")
                ledger.change_relevance(key, for_us=again, reason="r", actor=ME, on=on)
            elif op == "supersede":
                ledger.supersede(key, by=f"R/{number % 3}", reason="carried", actor=ME, on=on)
            elif op == "due":
                ledger.set_deadline(
                    key, (START + timedelta(days=number)).isoformat(), actor=ME, on=on
                )
            else:
                item = ledger.get_recommendation(key)
                ledger.correct_event(
                    f"{key}@{1 + number % item.version}", reason="r", actor=ME, on=on
                )
        except LedgerError:
            pass  # a refused command is part of a realistic history too
    if between is not None:
        between(len(ops))
    return ledger


def naive_replay(
    events: list[LedgerEvent], as_at: date, known_at: datetime
) -> dict[str, tuple[Any, ...]]:
    """The board written as simply as possible, independently of the projection."""
    known = [e for e in events if e.timestamp <= known_at]
    retracted = {
        (e.originator_id, int(e.corrects.split("@")[1]))
        for e in known
        if isinstance(e, EventCorrected)
    }
    per_item: dict[object, list[RecommendationEvent]] = defaultdict(list)
    for e in known:
        if (
            isinstance(e, RecommendationEvent)
            and not isinstance(e, EventCorrected)
            and (e.originator_id, e.originator_version) not in retracted
            and e.on <= as_at
        ):
            per_item[e.originator_id].append(e)
    board = {}
    for item_events in per_item.values():
        item_events.sort(key=lambda e: (e.on, e.originator_version))
        issued = item_events[0]
        assert isinstance(issued, RecommendationIssued)
        status, due, owner = issued.status, issued.due, issued.owner
        for e in item_events[1:]:
            if status == "CLOSED":
                break
            if isinstance(e, StatusChanged):
                status = e.status
            elif isinstance(e, (DeadlineSet, DeadlineExtended)):
                due = e.due
            elif isinstance(e, OwnerAssigned):
                owner = e.owner
            elif isinstance(e, RecommendationClosed | Superseded):
                status = "CLOSED"
            elif isinstance(e, SignedOff):
                if e.outcome in ("GREEN", "CLOSED"):
                    status = e.outcome
                else:
                    due = e.due
        key = f"{issued.report}/{issued.ref}"
        board[key] = (status.value if hasattr(status, "value") else status, due, owner)
    return board


@settings(max_examples=60, deadline=None)
@given(operations, st.integers(0, (TODAY - START).days), st.data())
def test_the_board_as_at_and_as_known_at_equals_a_naive_replay_of_the_filtered_events(
    ops: list[tuple[str, int, int, str, int]], day: int, data: st.DataObject
) -> None:
    events = all_events(build_history(ops))
    known_at = data.draw(st.sampled_from([e.timestamp for e in events]))
    as_at = START + timedelta(days=day)
    board = board_as_at(events, as_at=as_at, as_known_at=known_at)
    shown = {i.key: (i.status, i.due, i.owner) for i in board.items}
    assert shown == naive_replay(events, as_at, known_at)


@settings(max_examples=60, deadline=None)
@given(operations, st.data())
def test_the_timeline_gives_the_fold_as_at_every_day_as_known_at_any_moment(
    ops: list[tuple[str, int, int, str, int]], data: st.DataObject
) -> None:
    events = all_events(build_history(ops))
    known_at = data.draw(st.sampled_from([e.timestamp for e in events]))
    streams: dict[object, list[RecommendationEvent]] = defaultdict(list)
    for event in events:
        if isinstance(event, RecommendationEvent):
            streams[event.originator_id].append(event)
    for stream in streams.values():
        spans = timeline(stream, known_at)
        days = (
            {START - timedelta(days=1), TODAY}
            | {s for s, _, _ in spans}
            | {u - timedelta(days=1) for _, u, _ in spans if u}
        )
        for day in days:
            found = [
                state
                for start, until, state in spans
                if start <= day and (until is None or day < until)
            ]
            assert len(found) <= 1
            assert (found[0] if found else None) == fold_item(stream, as_at=day, known_at=known_at)


@settings(max_examples=60, deadline=None)
@given(operations)
def test_an_event_that_only_moves_the_end_of_the_timeline_gives_the_whole_timeline(
    ops: list[tuple[str, int, int, str, int]],
) -> None:
    """Read models extend a timeline event by event; where the quick step applies it
    must agree with working the timeline out again from every event."""
    streams: dict[object, list[RecommendationEvent]] = defaultdict(list)
    for event in all_events(build_history(ops)):
        if isinstance(event, RecommendationEvent):
            streams[event.originator_id].append(event)
    for stream in streams.values():
        spans: list[Any] = []
        for count, event in enumerate(stream, start=1):
            whole = timeline(stream[:count])
            quick = later_timeline(spans, event)
            if quick is not None:
                after, ended, begun = quick
                assert after == whole
                assert ended == [s for s in spans if s not in whole]
                assert begun == [s for s in whole if s not in spans]
            spans = whole


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.one_of(st.just(UTC), st.timezones()),
    )
)
def test_a_recording_moment_is_the_same_text_whatever_its_time_zone(value: datetime) -> None:
    """The model's text of a recording time is its UTC time, fixed width, so text order
    is time order: the same instant gives the same text from any zone."""
    expected = value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    assert moment(value) == expected
    assert moment(value.astimezone(UTC)) == expected
    assert len(expected) == len("2021-06-01T00:00:00.000000")
