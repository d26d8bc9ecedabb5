"""The stored read model answers 'as at D, as known at T' exactly as the fold does, is
kept in step exactly once, catches up by itself, survives a crash and rebuilds the same;
in clear and sealed (an encrypted ledger's), each test under the ``key`` it is given."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.render import dump_document
from events import LedgerEvent
from ledger import Ledger, open_ledger
from ledger.demo import DEMO_COMMITTEE, DEMO_DATE, PREVIOUS_MEETING, build_demo, demo_paper
from ledger.exchange.backup import backup_lines, read_backup
from projections.board import board_item, board_of, stored_board
from projections.committee import paper_of, summary_of
from projections.recorded import Recorded
from projections.store import TimelineStore
from projections.store.audit import Audit, Audited
from projections.store.stored_rows import Stored
from projections.text import compact
from tests.unit.test_time import ME, START, TODAY, build_history, operations

DAYS = st.sampled_from(range(-1, (TODAY - START).days + 1, 7))


def copy_into(target: str, events: list[LedgerEvent], encryption_key: str | None = None) -> Ledger:
    """A real store holding exactly these events (restored, so times are kept);
    encrypted under ``encryption_key`` when given."""
    ledger = open_ledger(target, create=True, encryption_key=encryption_key)
    lines = [json.dumps(line) for line in backup_lines(events)]
    ledger.restore_backup(read_backup(lines), source="history")
    return ledger


def expected(events: list[LedgerEvent], day: date, known_at: Any) -> tuple[Any, ...]:
    """What the pure fold says: every item's state, the board, reports and meetings."""
    recorded = Recorded.of(events, known_at)
    return (
        dict(recorded.states_as_at(day)),
        [compact(item.to_json()) for item in board_of(recorded, as_at=day).items],
        recorded.reports,
        {code: c.meetings for code, c in recorded.committees.items()},
    )


def answers(store: TimelineStore, day: date, known_at: Any) -> tuple[Any, ...]:
    """The same questions, answered from the stored read model alone."""
    recorded = Recorded.stored(store, known_at)
    return (
        {key: state.full() for key, state in store.states_as_at(day, known_at).items()},
        list(stored_board(store, as_at=day, as_known_at=known_at)),
        recorded.reports,
        {code: c.meetings for code, c in recorded.committees.items()},
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, days=st.lists(DAYS, min_size=1, max_size=4), data=st.data())
def test_the_store_answers_as_at_and_as_known_at_exactly_as_the_fold(
    tmp_path: Path,
    key: str | None,
    ops: list[tuple[str, int, int, str, int]],
    days: list[int],
    data: st.DataObject,
) -> None:
    """On SQLite files (a database per example); the tests below cover PostgreSQL."""
    events = [e for _, e in build_history(ops).read_log()]
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = copy_into(where, events, encryption_key=key)
    store = TimelineStore(ledger, where)
    try:
        assert (store.sealer is not None) == (key is not None)
        edges = sorted(boundaries(events))
        for offset in days:
            day = data.draw(st.sampled_from([START + timedelta(days=offset), *edges]))
            known_at = data.draw(st.sampled_from([None, *(e.timestamp for e in events)]))
            assert answers(store, day, known_at) == expected(events, day, known_at)
    finally:
        store.close()
        ledger.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    meetings=st.dictionaries(DAYS, st.integers(0, 25), min_size=1, max_size=4),
    reads=st.sets(st.integers(0, 25), max_size=4),
)
def test_the_papers_kept_per_meeting_are_the_papers_of_the_fold(
    tmp_path: Path,
    key: str | None,
    ops: list[tuple[str, int, int, str, int]],
    meetings: dict[int, int],
    reads: set[int],
) -> None:
    """Meetings scheduled before, between and after the changes (backdated or not), the
    model brought up to date at random moments in between: each meeting's summary, read
    from the rows kept for it, is the summary worked out from the fold, byte for byte."""
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = open_ledger(where, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    store = TimelineStore(ledger, where)
    days = {offset: START + timedelta(days=offset) for offset in meetings}

    def meanwhile(index: int) -> None:
        if index == 0:
            ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for offset, position in meetings.items():
            if position == index or (index == len(ops) and position > index):
                ledger.schedule_meeting("C", days[offset], actor=ME, on=START)
        if index in reads:
            store.catch_up()

    try:
        build_history(ops, into=ledger, between=meanwhile)
        events = [e for _, e in ledger.read_log()]
        for day in days.values():
            folded = summary_of(Recorded.of(events), "C", day)
            kept = summary_of(Recorded.stored(store), "C", day)
            assert kept.to_json() == folded.to_json()
            assert dump_document(kept.printable()) == dump_document(folded.printable())
    finally:
        store.close()
        ledger.close()


def test_a_meeting_added_between_two_others_becomes_the_one_the_later_paper_compares_with(
    target: str, key: str | None
) -> None:
    ledger = open_ledger(target, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    store = TimelineStore(ledger, target)
    try:
        first, middle, last = (START + timedelta(days=d) for d in (100, 200, 300))
        ledger.register_report("R", title="t", scope="force", published=START, actor=ME, on=START)
        ledger.issue_recommendation("R", "1", kind="afi", text="t", due=None, actor=ME, on=START)
        ledger.change_status("R/1", "AMBER", reason="why", actor=ME, on=START)
        ledger.change_status("R/1", "RED", reason="why", actor=ME, on=middle - timedelta(days=1))
        ledger.register_committee("C", name="Committee", actor=ME, on=START)
        for day in (first, last):
            ledger.schedule_meeting("C", day, actor=ME, on=START)
        red = summary_of(Recorded.stored(store), "C", last).totals["current"]["all"]
        assert red["NEW RED"] == 1  # AMBER at the meeting before
        ledger.schedule_meeting("C", middle, actor=ME, on=START)
        events = [e for _, e in ledger.read_log()]
        kept = summary_of(Recorded.stored(store), "C", last)
        assert kept.totals["current"]["all"]["NEW RED"] == 0  # RED already at the new one
        assert kept.to_json() == summary_of(Recorded.of(events), "C", last).to_json()
    finally:
        store.close()
        ledger.close()


#: Changes, backdated corrections and a closure of three items, in the order recorded.
HISTORY = [
    ("status", 0, 100, "GREEN", 1),
    ("extend", 1, 120, "AMBER", 90),
    ("status", 1, 200, "RED", 1),
    ("correct", 0, 210, "AMBER", 1),
    ("note", 2, 300, "AMBER", 5),
    ("close", 2, 400, "AMBER", 1),
    ("status", 0, 150, "WHITE", 1),
    ("correct", 1, 420, "AMBER", 2),
]


def history_with_corrections() -> list[LedgerEvent]:
    return [e for _, e in build_history(HISTORY).read_log()]


def owned_history(target: str, key: str | None) -> tuple[list[LedgerEvent], Ledger, TimelineStore]:
    """The history with corrections and closures in a real store (encrypted under ``key``
    when given), each of its items then given an owner; all its events, and its model."""
    ledger = copy_into(target, history_with_corrections(), encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    for number, item in enumerate(("R/0", "R/1", "R/2")):
        ledger.assign_owner(item, f"Owner {number}", actor=ME, on=START + timedelta(days=250))
    store = TimelineStore(ledger, target)
    assert (store.sealer is not None) == (key is not None)  # sealed exactly when keyed
    return [e for _, e in ledger.read_log()], ledger, store


def boundaries(events: list[LedgerEvent]) -> set[date]:
    """The days a state can change, and the days before them: where spans meet."""
    return {e.on for e in events} | {e.on - timedelta(days=1) for e in events}


def all_questions(events: list[LedgerEvent]) -> list[tuple[date, Any]]:
    days = sorted(boundaries(events) | {START + timedelta(days=d) for d in range(-1, 731, 30)})
    moments = [None, *(e.timestamp for e in events)]
    return [(day, known) for day in days for known in moments[:: max(1, len(moments) // 8)]]


@pytest.fixture
def stored(
    target: str, key: str | None
) -> Iterator[tuple[list[LedgerEvent], Ledger, TimelineStore]]:
    """A history with corrections, closures and owners in a real store, and its model."""
    events, ledger, store = owned_history(target, key)
    yield events, ledger, store
    store.close()
    ledger.close()


def test_the_store_matches_the_fold_on_each_kind_of_store(stored: Any) -> None:
    events, _, store = stored
    for day, known in all_questions(events):
        assert answers(store, day, known) == expected(events, day, known), (day, known)


def test_the_store_catches_up_with_events_another_writer_recorded(
    stored: Any, target: str, key: str | None
) -> None:
    events, _, store = stored
    assert answers(store, TODAY, None) == expected(events, TODAY, None)
    other = open_ledger(target, create=False, encryption_key=key)
    other.today = lambda: TODAY  # type: ignore[method-assign]
    other.change_status("R/1", "GREEN", actor=ME, on=TODAY - timedelta(days=1))
    everything = [e for _, e in other.read_log()]
    assert answers(store, TODAY, None) == expected(everything, TODAY, None)
    assert store.position() == other.last_position()
    other.close()


def test_the_stored_board_s_filters_are_the_fold_s(stored: Any) -> None:
    events, _, store = stored
    day = START + timedelta(days=300)
    lines = expected(events, day, None)[1]
    for name, value in (("report", "R"), ("owner", "OWNER 1"), ("status", "WHITE")):
        only: dict[str, Any] = {name: value}
        shown = list(stored_board(store, as_at=day, **only))
        assert shown, name
        assert shown == [line for line in lines if _shows(line, name, value)], name
    assert list(stored_board(store, as_at=day, overdue=True)) == [
        line for line in lines if json.loads(line)["overdue"]
    ]


def _shows(line: str, name: str, value: str) -> bool:
    found = json.loads(line)[name]
    return (found or "").casefold() == value.casefold()


def test_a_model_followed_one_event_a_page_replaces_each_changed_span_and_keeps_the_rest(
    target: str, key: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page then closes spans, and replaces paper rows, that earlier pages wrote: the
    board's and the papers' rows of those spans and meetings are deleted, and only those
    (on PostgreSQL by one statement a table)."""
    ledger = open_ledger(target, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]

    def meetings(into: Ledger) -> None:  # scheduled before the changes they report
        into.register_committee("C", name="Committee", actor=ME, on=START)
        for offset in (90, 180, 270, 360, 450):
            into.schedule_meeting("C", START + timedelta(days=offset), actor=ME, on=START)

    build_history(HISTORY, meetings, into=ledger)
    events = [e for _, e in ledger.read_log()]
    monkeypatch.setattr("projections.store.follower.PAGE", 1)
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        for day, known in all_questions(events):
            assert answers(store, day, known) == expected(events, day, known), (day, known)
        papers, fold = Recorded.stored(store, None), Recorded.of(events, None)
        for meeting in fold.committees["C"].meetings:
            kept, folded = paper_of(papers, "C", meeting), paper_of(fold, "C", meeting)
            assert kept.to_json() == folded.to_json(), meeting
    ledger.close()


def test_a_crash_mid_page_leaves_the_store_where_it_was_and_the_next_read_completes(
    stored: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    events, _, store = stored
    real_apply = TimelineStore._spans
    calls = {"n": 0}

    def crash_on_the_second_item(self: TimelineStore, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        real_apply(self, *args)

    monkeypatch.setattr(TimelineStore, "_spans", crash_on_the_second_item)
    with pytest.raises(RuntimeError):
        store.catch_up()
    assert store.position() == 0, "nothing of the page was kept"
    monkeypatch.setattr(TimelineStore, "_spans", real_apply)
    for day, known in all_questions(events):
        assert answers(store, day, known) == expected(events, day, known)


def test_a_crash_between_a_page_s_batched_writes_keeps_none_of_them(
    stored: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spans written in one batch (one COPY on PostgreSQL), then the crash before the
    board's: the page's transaction keeps none, and the next read completes."""
    events, _, store = stored
    real_insert = TimelineStore._insert

    def crash_after_the_spans(self: TimelineStore, cursor: Any, table: str, *args: Any) -> None:
        real_insert(self, cursor, table, *args)
        if table == "ragw_spans":
            raise RuntimeError("power cut")

    monkeypatch.setattr(TimelineStore, "_insert", crash_after_the_spans)
    with pytest.raises(RuntimeError):
        store.catch_up()
    assert store.position() == 0, "nothing of the page was kept"
    with store._transaction(lock=False) as cursor:
        cursor.execute("SELECT COUNT(*) FROM ragw_spans")
        assert cursor.fetchone()[0] == 0
    monkeypatch.setattr(TimelineStore, "_insert", real_insert)
    for day, known in all_questions(events):
        assert answers(store, day, known) == expected(events, day, known)


def test_a_rebuild_derives_the_same_model_from_nothing(stored: Any) -> None:
    events, ledger, store = stored
    store.catch_up()
    before = [answers(store, day, known) for day, known in all_questions(events)]
    assert store.rebuild() == len(events)
    assert [answers(store, day, known) for day, known in all_questions(events)] == before
    assert store.position() == ledger.last_position()


def test_the_stored_board_lists_reports_newest_first_and_items_as_numbered(
    target: str, key: str | None
) -> None:
    """The demo's fourteen reports and refs such as 4, 4a and 10, on each kind of store
    (PostgreSQL sorts as Python does whatever the database's collation); and each
    meeting's whole paper (every status, inspections, reports for review, items not for
    the force), read from the model alone now and as known at moments before, with and
    without restricted reports, is the paper the fold gives, every row proved by verify."""
    ledger = open_ledger(target, create=True, encryption_key=key)
    ledger.today = lambda: DEMO_DATE  # type: ignore[method-assign]
    build_demo(ledger, actor=ME)
    ledger.extend_deadline(
        "PEEL1819/4", to=date(2020, 6, 30), reason="New force plan", actor=ME, on=date(2019, 10, 1)
    )
    events = [e for _, e in ledger.read_log()]
    store = TimelineStore(ledger, target)
    try:
        for day in (date(2019, 1, 1), date(2019, 7, 15), DEMO_DATE):
            assert answers(store, day, None) == expected(events, day, None)
        board = [board_item(line) for line in stored_board(store, as_at=DEMO_DATE)]
        paper = {r["code"] for r in demo_paper()["reports"]}  # and earlier papers' reports
        assert len([i for i in board if i.report in paper]) == 105
        assert [i.report for i in board[:6]] == ["CYBER19"] * 5 + ["BETRAYAL"]
        assert [i.ref for i in board if i.report == "BETRAYAL"] == ["1", "2", "3", "4a", "4b", "5"]
        assert [i.ref for i in board if i.report == "POORREL"] == ["8", "9", "10", "11", "17"]
        for known_at in (None, events[len(events) // 2].timestamp, events[-1].timestamp):
            kept, folded = Recorded.stored(store, known_at), Recorded.of(events, known_at)
            for meeting in (PREVIOUS_MEETING, DEMO_DATE):
                for restricted in (False, True):
                    assert (
                        paper_of(
                            kept, DEMO_COMMITTEE, meeting, include_restricted=restricted
                        ).to_json()
                        == paper_of(
                            folded, DEMO_COMMITTEE, meeting, include_restricted=restricted
                        ).to_json()
                    ), (known_at, meeting, restricted)
        # Its whole state was read from the model to print the extension's reason.
        stored = paper_of(Recorded.stored(store), DEMO_COMMITTEE, DEMO_DATE)
        assert stored.summary.exceptions.extensions[-1].reason == "New force plan"
        with store._transaction(lock=False) as cursor:  # each meeting's rows, kept
            cursor.execute("SELECT COUNT(*) FROM ragw_paper_rows")
            assert cursor.fetchone()[0] > 100
        assert isinstance(audited(ledger, target), Audited)  # every row proved
    finally:
        store.close()
        ledger.close()


def audited(ledger: Ledger, target: str) -> Any:
    """What ``verify`` finds of the model: every row made again and compared."""
    with contextlib.closing(Stored(ledger, target)) as kept:
        return Audit(kept).run()


def test_a_model_of_an_earlier_layout_is_derived_again_from_the_log(
    stored: Any, target: str
) -> None:
    """A ledger kept by an earlier ragw reads nothing stale after an upgrade."""
    from projections import store as model

    events, ledger, store = stored
    store.catch_up()
    store.close()
    with contextlib.closing(TimelineStore(ledger, target)) as again:  # same layout: kept
        assert again.position() == ledger.last_position()
        cursor = again.connection.cursor()
        cursor.execute(
            again._sql("UPDATE ragw_tracking SET position = ? WHERE name = ?"),
            (model.LAYOUT - 1, model.LAYOUT_ROW),
        )
        cursor.execute("DELETE FROM ragw_board_open")  # what an earlier layout lacked
        again.connection.commit()
    upgraded = TimelineStore(ledger, target)
    try:
        assert upgraded.position() == 0
        for day, known in all_questions(events):
            assert answers(upgraded, day, known) == expected(events, day, known)
    finally:
        upgraded.close()


def test_a_follower_kept_running_makes_the_items_of_a_report_it_met_on_a_page_of_its_own(
    target: str, key: str | None
) -> None:
    """A long-running follower (``ragw follow``) reads a page holding a report alone, then
    a page of the report's first item: the item is made from the report it met."""
    ledger = open_ledger(target, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]

    def report(code: str, published: date) -> None:
        ledger.register_report(
            code, title=code, scope="force", published=published, actor=ME, on=published
        )

    def item(code: str, on: date) -> None:
        ledger.issue_recommendation(code, "1", kind="afi", text="Item", actor=ME, on=on)

    report("A", START)
    item("A", START)
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        assert store.catch_up() == 2
        report("B", START + timedelta(days=10))
        assert store.catch_up() == 1
        item("B", START + timedelta(days=20))
        assert store.catch_up() == 1
        events = [e for _, e in ledger.read_log()]
        assert answers(store, TODAY, None) == expected(events, TODAY, None)
    ledger.close()


def test_a_lagging_models_board_keeps_the_items_not_for_the_force_as_the_fold_does(
    target: str, key: str | None
) -> None:
    """A reader whose model is an event behind folds that event over it
    (:mod:`projections.store.tail`): an item not the force's to act on stays on its
    board, as it does on the fold's and on the model's once caught up."""
    from projections.store.tail import overlaid, read_tail

    ledger = open_ledger(target, create=True, encryption_key=key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    published = START + timedelta(days=1)
    ledger.register_report(
        "A", title="A", scope="national", published=published, actor=ME, on=published
    )
    for ref in ("1", "2"):
        ledger.issue_recommendation("A", ref, kind="afi", text="Item", actor=ME, on=published)
    ledger.change_relevance(
        "A/1", for_us=False, reason="For the Home Office", actor=ME, on=published
    )
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        store.catch_up()
        ledger.note_progress("A/2", "Typed after the model", actor=ME, on=published)
        tail = read_tail(ledger, store.position())
        assert tail is not None and len(tail) == 1
        events = [e for _, e in ledger.read_log()]
        lagging = board_of(overlaid(store, ledger, tail, None), as_at=TODAY).items
        folded = board_of(Recorded.of(events, None), as_at=TODAY).items
        assert [i.key for i in lagging] == [i.key for i in folded] == ["A/1", "A/2"]
    ledger.close()
