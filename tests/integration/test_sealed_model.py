"""An encrypted ledger's read model is kept sealed: its board answers exactly as the
fold does, as at any day and as known at any moment, on both stores; nothing readable
of the ledger is stored; a model sealed under another key (or made in clear) is never
read or written as this ledger's; a value moved between rows does not open."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.render import dump_document
from events import LedgerEvent, Status
from ledger import Ledger, LedgerError, open_ledger
from ledger.demo import DEMO_COMMITTEE, DEMO_DATE, PREVIOUS_MEETING, build_demo
from ledger.exchange.backup import backup_lines, read_backup
from projections.board import board_of, stored_board
from projections.committee import paper_of, summary_of
from projections.recorded import Recorded
from projections.store import TABLES, TimelineStore
from projections.store.audit import Audit, Audited
from projections.store.stored_rows import Difference, Stored
from projections.text import compact
from tests.integration.test_timeline_store import (
    all_questions,
    answers,
    copy_into,
    expected,
    history_with_corrections,
)
from tests.unit.test_time import ME, START, TODAY, build_history, operations

KEY, OTHER = AESCipher.create_key(32), AESCipher.create_key(32)
DAYS = st.sampled_from(range(-1, 731, 7))


def sealed_copy(target: str, events: list[LedgerEvent], key: str = KEY) -> Ledger:
    """An encrypted store holding exactly these events (restored, so times are kept)."""
    return copy_into(target, events, encryption_key=key)


def fold_board(events: list[LedgerEvent], day: Any, known_at: Any) -> list[str]:
    recorded = Recorded.of(events, known_at)
    return [compact(item.to_json()) for item in board_of(recorded, as_at=day).items]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, days=st.lists(DAYS, min_size=1, max_size=4), data=st.data())
def test_a_sealed_model_answers_as_at_and_as_known_at_exactly_as_the_fold(
    tmp_path: Path, ops: list[tuple[str, int, int, str, int]], days: list[int], data: st.DataObject
) -> None:
    """On SQLite files (a database per example); the test below covers PostgreSQL."""
    events = [e for _, e in build_history(ops).read_log()]
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = sealed_copy(where, events)
    with contextlib.closing(TimelineStore(ledger, where)) as store:
        assert store.sealer is not None
        for offset in days:
            day = START + timedelta(days=offset)
            known_at = data.draw(st.sampled_from([None, *(e.timestamp for e in events)]))
            assert answers(store, day, known_at) == expected(events, day, known_at)
    ledger.close()


@pytest.fixture
def sealed(target: str) -> Iterator[tuple[list[LedgerEvent], Ledger, TimelineStore]]:
    """A history with corrections and closures in an encrypted store, and its model."""
    ledger = sealed_copy(target, history_with_corrections())
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    for number, key in enumerate(("R/0", "R/1", "R/2")):
        ledger.assign_owner(key, f"Owner {number}", actor=ME, on=START + timedelta(days=250))
    events = [e for _, e in ledger.read_log()]
    store = TimelineStore(ledger, target)
    yield events, ledger, store
    store.close()
    ledger.close()


def test_a_sealed_model_answers_as_the_fold_on_each_kind_of_store(sealed: Any) -> None:
    events, _, store = sealed
    for day, known in all_questions(events):
        assert answers(store, day, known) == expected(events, day, known), (day, known)


def test_a_sealed_board_s_filters_are_the_fold_s(sealed: Any) -> None:
    events, _, store = sealed
    day = START + timedelta(days=300)
    lines = fold_board(events, day, None)
    for name, value in (("report", "R"), ("owner", "OWNER 1"), ("status", "WHITE")):
        shown = list(stored_board(store, as_at=day, **{name: value}))
        assert shown, name
        assert shown == [line for line in lines if _shows(line, name, value)], name
    assert list(stored_board(store, as_at=day, overdue=True)) == [
        line for line in lines if json.loads(line)["overdue"]
    ]


def _shows(line: str, name: str, value: str) -> bool:
    found = json.loads(line)[name]
    return (found or "").casefold() == value.casefold()


def test_a_crash_mid_page_leaves_the_sealed_model_where_it_was(
    sealed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    events, _, store = sealed
    real_insert = TimelineStore._insert

    def crash_after_the_spans(self: TimelineStore, cursor: Any, table: str, *args: Any) -> None:
        real_insert(self, cursor, table, *args)
        if table == "ragw_spans":
            raise RuntimeError("power cut")

    monkeypatch.setattr(TimelineStore, "_insert", crash_after_the_spans)
    with pytest.raises(RuntimeError):
        store.catch_up()
    assert store.position() == 0, "nothing of the page was kept"
    monkeypatch.setattr(TimelineStore, "_insert", real_insert)
    for day, known in all_questions(events)[::5]:
        assert list(stored_board(store, as_at=day, as_known_at=known)) == fold_board(
            events, day, known
        )


def seed_texts(events: list[LedgerEvent]) -> set[str]:
    """What the seed ledger says that must not be readable in the model: owners, leads,
    titles, recommendation text, comments, report codes and item keys (those long
    enough that ciphertext cannot hold them by chance)."""
    recorded = Recorded.of(events)
    texts = {text for facts in recorded.reports.values() for text in (facts.code, facts.title)}
    for key, state in dict(recorded.states_as_at(DEMO_DATE)).items():
        texts |= {key, state.text, state.owner or "", state.lead or "", state.comment or ""}
    return {text for text in texts if len(text) >= 8}


def stored_cells(store: TimelineStore) -> list[str]:
    """Every text cell of every table of the read model."""
    cells = []
    with store._transaction(lock=False) as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            cells += [cell for row in cursor.fetchall() for cell in row if isinstance(cell, str)]
    return cells


def test_a_sealed_model_stores_nothing_readable(target: str) -> None:
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    build_demo(ledger, actor=ME)
    states = dict(Recorded.of(e for _, e in ledger.read_log()).states_as_at(DEMO_DATE))
    keys = sorted(key for key, state in states.items() if state.status != Status.CLOSED)
    owners = ("Head of Public Protection", "Head of Custody Services", "Director of Intelligence")
    for number, key in enumerate(keys[:30]):  # the seed paper names no owner
        ledger.assign_owner(key, owners[number % 3], actor=ME, on=DEMO_DATE)
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        store.catch_up()
        assert store.position() == ledger.last_position()
        cells = stored_cells(store)
    texts = seed_texts([e for _, e in ledger.read_log()])
    ledger.close()
    assert len(texts) > 200
    assert set(owners) <= texts
    assert len(cells) > 1000
    for cell in cells:
        assert not any(text in cell for text in texts), cell
    if not target.startswith("postgresql"):  # the file itself, its log too
        with contextlib.closing(sqlite3.connect(target)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stored = b"".join(
            path.read_bytes() for path in Path(target).parent.iterdir() if path.is_file()
        )
        found = [text for text in texts if text.encode() in stored]
        assert not found


def test_a_model_sealed_under_a_key_is_refused_without_it_or_with_another(
    sealed: Any, target: str
) -> None:
    events, _, store = sealed
    store.catch_up()
    position = store.position()
    for key, said in (
        (None, "this ledger is encrypted and the encryption key is not set"),
        (OTHER, "the key in the encryption key is not this ledger's key"),
    ):
        other = open_ledger(target, create=False, encryption_key=key)
        with pytest.raises(LedgerError, match=said) as refused:
            TimelineStore(other, target).close()
        assert "\n" not in str(refused.value)
        other.close()
    assert store.position() == position
    assert list(stored_board(store, as_at=START + timedelta(days=300))) == fold_board(
        events, START + timedelta(days=300), None
    )


def test_a_model_made_in_clear_is_not_read_as_a_sealed_one(target: str) -> None:
    events = history_with_corrections()
    clear = open_ledger(target, create=True)
    lines = [json.dumps(line) for line in backup_lines(events)]
    clear.restore_backup(read_backup(lines), source="history")
    with contextlib.closing(TimelineStore(clear, target)) as store:
        store.catch_up()
    clear.close()
    keyed = open_ledger(target, create=False, encryption_key=KEY)
    with pytest.raises(LedgerError, match="this ledger is not encrypted"):
        TimelineStore(keyed, target).close()
    keyed.close()


def test_a_sealed_model_whose_mark_was_removed_is_not_read_in_clear_without_the_key(
    sealed: Any, target: str
) -> None:
    """The model's own mark is no proof of what the ledger is: the ledger's record of
    its encryption refuses a read without its key, whatever the model says of itself."""
    _, _, store = sealed
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute("DELETE FROM ragw_tracking WHERE name = 'read_model_seal'")
    keyless = open_ledger(target, create=False)
    with pytest.raises(LedgerError, match="this ledger is encrypted") as refused:
        TimelineStore(keyless, target).close()
    assert "\n" not in str(refused.value)
    keyless.close()


def test_an_owner_moved_to_another_item_s_row_does_not_open(sealed: Any) -> None:
    _, _, store = sealed
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute("SELECT key, owner FROM ragw_board_open WHERE owner IS NOT NULL")
        (first, one), (second, two), *_ = cursor.fetchall()
        for key, owner in ((first, two), (second, one)):
            cursor.execute(
                store._sql("UPDATE ragw_board_open SET owner = ? WHERE key = ?"), (owner, key)
            )
    with pytest.raises(LedgerError, match="does not open"):
        list(stored_board(store, as_at=START + timedelta(days=300), owner="owner 1"))


def audited(ledger: Ledger, target: str) -> Any:
    """What ``verify`` finds of the model: every row made again and compared."""
    with contextlib.closing(Stored(ledger, target)) as stored:
        return Audit(stored).run()


def test_verify_finds_every_sealed_row_is_what_the_events_give(sealed: Any, target: str) -> None:
    _, ledger, store = sealed
    store.catch_up()
    found = audited(ledger, target)
    assert isinstance(found, Audited), found
    assert found.position == ledger.last_position()


def test_verify_fails_when_sealed_owners_are_swapped_between_rows(sealed: Any, target: str) -> None:
    _, ledger, store = sealed
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute("SELECT key, owner FROM ragw_spans WHERE owner IS NOT NULL")
        (first, one), (second, two), *_ = cursor.fetchall()
        for key, owner in ((first, two), (second, one)):
            cursor.execute(
                store._sql("UPDATE ragw_spans SET owner = ? WHERE key = ?"), (owner, key)
            )
    try:
        found = audited(ledger, target)
    except LedgerError as refused:  # the moved value does not open
        assert "does not open" in str(refused)
    else:
        assert isinstance(found, Difference) and found.table == "ragw_spans", found


def test_verify_names_a_sealed_model_whose_mark_was_removed(sealed: Any, target: str) -> None:
    _, ledger, store = sealed
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute("DELETE FROM ragw_tracking WHERE name = 'read_model_seal'")
    found = audited(ledger, target)
    assert isinstance(found, Difference) and "not sealed under" in found.what, found


def test_the_seed_paper_from_a_sealed_model_is_the_fold_s(target: str) -> None:
    """The demo (every status, inspections, reports for review, items not for the
    force) encrypted: each meeting's whole paper, from the sealed model, now and as
    known at moments before, is the paper the fold gives."""
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    build_demo(ledger, actor=ME)
    events = [e for _, e in ledger.read_log()]
    moments = [None, events[len(events) // 2].timestamp, events[-1].timestamp]
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        for known_at in moments:
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
        with store._transaction(lock=False) as cursor:  # each meeting's rows, kept sealed
            cursor.execute("SELECT COUNT(*) FROM ragw_paper_rows")
            assert cursor.fetchone()[0] > 100
    assert isinstance(audited(ledger, target), Audited)  # every sealed row proved
    ledger.close()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    meetings=st.dictionaries(DAYS, st.integers(0, 25), min_size=1, max_size=4),
    reads=st.sets(st.integers(0, 25), max_size=4),
)
def test_a_sealed_model_s_summaries_are_the_fold_s(
    tmp_path: Path,
    ops: list[tuple[str, int, int, str, int]],
    meetings: dict[int, int],
    reads: set[int],
) -> None:
    """Meetings scheduled before, between and after the changes, the sealed model
    brought up to date at random moments in between: each summary is the fold's."""
    where = str(tmp_path / f"{uuid.uuid4().hex}.db")
    ledger = open_ledger(where, create=True, encryption_key=KEY)
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
            assert dump_document(kept.printable()) == dump_document(folded.printable())
    finally:
        store.close()
        ledger.close()
