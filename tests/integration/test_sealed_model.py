"""What only sealing does: an encrypted ledger's read model stores nothing readable of
the ledger; a model sealed under another key (or made in clear) is never read or written
as this ledger's; a value moved between rows does not open, and verify says so. That a
sealed model answers exactly as the fold does is what the clear model's tests check,
each under the ``key`` fixture (test_timeline_store, test_model_audit, test_replay_model)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher

from events import LedgerEvent, Status
from ledger import Ledger, LedgerError, open_ledger
from ledger.demo import DEMO_DATE, build_demo
from projections.board import stored_board
from projections.recorded import Recorded
from projections.store import TABLES, TimelineStore
from projections.store.stored_rows import Difference
from projections.usecases.session import LedgerSession
from tests.integration.test_timeline_store import (
    answers,
    audited,
    copy_into,
    expected,
    history_with_corrections,
    owned_history,
)
from tests.unit.test_time import ME, START

KEY, OTHER = AESCipher.create_key(32), AESCipher.create_key(32)


@pytest.fixture
def sealed(target: str) -> Iterator[tuple[list[LedgerEvent], Ledger, TimelineStore]]:
    """A history with corrections, closures and owners in an encrypted store, and its
    sealed model."""
    events, ledger, store = owned_history(target, KEY)
    yield events, ledger, store
    store.close()
    ledger.close()


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


def reading(target: str, key: str | None) -> LedgerSession:
    """A session reading the ledger at ``target`` with ``key``, as every front end reads."""
    return LedgerSession(
        target,
        ME,
        open_ledger=lambda write: open_ledger(target, create=write, encryption_key=key),
    )


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
        other = reading(target, key)
        with pytest.raises(LedgerError, match=said) as refused:
            other.store()
        assert "\n" not in str(refused.value)
        other.close()
    assert store.position() == position
    day = START + timedelta(days=300)
    assert answers(store, day, None) == expected(events, day, None)


def test_a_model_made_in_clear_is_not_read_as_a_sealed_one(target: str) -> None:
    clear = copy_into(target, history_with_corrections())
    with contextlib.closing(TimelineStore(clear, target)) as store:
        store.catch_up()
    clear.close()
    keyed = reading(target, KEY)
    with pytest.raises(LedgerError, match="this ledger is not encrypted") as refused:
        keyed.store()
    assert "\n" not in str(refused.value)
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
    keyless = reading(target, None)
    with pytest.raises(LedgerError, match="this ledger is encrypted") as refused:
        keyless.recorded(None)
    assert "\n" not in str(refused.value)
    keyless.close()


def swap_owners(store: TimelineStore, table: str) -> None:
    """Swap the sealed owners of a table's first two rows that have one."""
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute(f"SELECT key, owner FROM {table} WHERE owner IS NOT NULL")
        (first, one), (second, two), *_ = cursor.fetchall()
        for key, owner in ((first, two), (second, one)):
            cursor.execute(store._sql(f"UPDATE {table} SET owner = ? WHERE key = ?"), (owner, key))


def test_an_owner_moved_to_another_item_s_row_does_not_open(sealed: Any) -> None:
    _, _, store = sealed
    swap_owners(store, "ragw_board_open")
    with pytest.raises(LedgerError, match="does not open"):
        list(stored_board(store, as_at=START + timedelta(days=300), owner="owner 1"))


def test_verify_fails_when_sealed_owners_are_swapped_between_rows(sealed: Any, target: str) -> None:
    _, ledger, store = sealed
    swap_owners(store, "ragw_spans")
    try:
        found = audited(ledger, target)
    except LedgerError as refused:  # the moved value does not open
        assert "does not open" in str(refused)
    else:
        assert isinstance(found, Difference) and found.table == "ragw_spans", found


def test_verify_fails_when_a_sealed_board_row_s_empty_tail_holds_anything(
    sealed: Any, target: str
) -> None:
    """Reads never look at the column (the line is sealed whole beside the place), so
    only verify can see text hidden there; it is derived data, and must be the events'."""
    _, ledger, store = sealed
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute("SELECT key FROM ragw_board_open")
        first = cursor.fetchone()[0]
        cursor.execute(
            store._sql("UPDATE ragw_board_open SET tail = ? WHERE key = ?"), ("hidden", first)
        )
    found = audited(ledger, target)
    assert isinstance(found, Difference) and found.table == "ragw_board_open", found


def test_verify_fails_when_a_sealed_board_line_carries_another_place_than_its_row(
    sealed: Any, target: str
) -> None:
    """The board is sorted by the place sealed with each line: one sealed, with the key,
    beside another place than the row's own moves the item on the board, and verify says
    so though the row's own place and the line's text are the events'."""
    from projections.store.sealed_columns import JOIN, open_line

    _, ledger, store = sealed
    store.catch_up()
    sealer = store.sealer
    assert sealer is not None
    with store._transaction(lock=True) as cursor:
        cursor.execute("SELECT key, effective_from, head FROM ragw_board_open")
        key, start, line = cursor.fetchone()
        place, head, tail = open_line(sealer, line, key)
        moved = sealer.seal(JOIN.join(("0000000 first", head, tail)), "line", key)
        cursor.execute(
            store._sql("UPDATE ragw_board_open SET head = ? WHERE key = ? AND effective_from = ?"),
            (moved, key, start),
        )
    found = audited(ledger, target)
    assert isinstance(found, Difference) and found.table == "ragw_board_open", found
    assert place != "0000000 first"


@pytest.mark.parametrize("edited", ["type", "version"])
def test_an_inspection_event_whose_type_or_version_was_edited_does_not_open(
    target: str, edited: str
) -> None:
    """An inspection's events are kept whole, sealed, beside their type and version in
    clear (the type says how the event is read, the version its place in its stream):
    a row whose type or version was edited is refused as a moved value is, and
    ``verify`` names its table and stream, rather than a read ending in a traceback."""
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    build_demo(ledger, actor=ME)
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        assert store.inspection_events()  # the demo's inspections, opened
        with store._transaction(lock=True) as cursor:
            cursor.execute("SELECT stream, type FROM ragw_inspections WHERE version = 2")
            stream, second = cursor.fetchall()[0]
            change = "type = ?" if edited == "type" else "version = 9"
            cursor.execute(
                store._sql(
                    f"UPDATE ragw_inspections SET {change} WHERE stream = ? AND version = "
                    + ("1" if edited == "type" else "2")
                ),
                (second, stream) if edited == "type" else (stream,),
            )
        with pytest.raises(LedgerError, match="does not open") as refused:
            store.inspection_events()
        assert "\n" not in str(refused.value)
    with pytest.raises(LedgerError, match=r"\(in ragw_inspections, [0-9a-f-]{36}\) does not"):
        audited(ledger, target)
    ledger.close()


def test_verify_names_a_sealed_model_whose_mark_was_removed(sealed: Any, target: str) -> None:
    _, ledger, store = sealed
    store.catch_up()
    with store._transaction(lock=True) as cursor:
        cursor.execute("DELETE FROM ragw_tracking WHERE name = 'read_model_seal'")
    found = audited(ledger, target)
    assert isinstance(found, Difference) and "not sealed under" in found.what, found
