"""A batch (many aggregates saved at once, as an import or a register records them) is
one transaction on either store: its events stored in the order given, at consecutive
positions after the last, each linked into a chain that ``verify`` accepts; a batch
refused (another key, an event stored past ragw, an event another writer recorded
first) stores none of its events and none of its links, and the ledger records on."""

from __future__ import annotations

import contextlib
import copy
import gc
import itertools
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher

from events import Kind, Scope
from ledger import Ledger, open_ledger
from ledger.aggregates import Recommendation, Report
from ledger.chain import COPY_FROM, ChainBrokenError
from ledger.due import parse_due
from ledger.errors import ConflictError, KeyRefusedError
from tests.cli.test_one_key import counts
from tests.cli.test_verify import raw, store_past_ragw

ON = date(2021, 1, 4)
ME = "Strategic Development"
_numbers = itertools.count(1)
KEY, OTHER = AESCipher.create_key(16), AESCipher.create_key(16)


def batch(code: str, items: int) -> list[Any]:
    """A report and its ``items`` items, made in memory and not yet recorded."""
    report = Report.register(
        code=code,
        title=f"Inspection {code}",
        scope=Scope.FORCE,
        published=ON,
        inspectorates=["HMICFRS"],
        makes=items,
        actor=ME,
        on=ON,
    )
    made: list[Any] = [report]
    for ref in range(1, items + 1):
        made.append(
            Recommendation.issue(
                report=report,
                ref=str(ref),
                kind=Kind.AFI,
                text=f"Item {ref} of {code}",
                owner="Owner",
                lead=None,
                due=parse_due("2022-01-31"),
                status=None,
                reason=None,
                actor=ME,
                on=ON,
            )
        )
    return made


def stored(target: str) -> list[tuple[int, str, int]]:
    """Every stored event as (position, stream, version), in position order, read past
    ragw."""
    with raw(target) as (connection, events, position):
        rows = connection.execute(
            f"SELECT {position}, originator_id, originator_version FROM {events} "
            f"ORDER BY {position}"
        ).fetchall()
    return [(int(at), str(stream).replace("-", ""), int(version)) for at, stream, version in rows]


def linked(target: str) -> list[int]:
    with raw(target) as (connection, _, _):
        rows = connection.execute("SELECT position FROM ragw_chain ORDER BY position").fetchall()
    return [int(at) for (at,) in rows]


def intact(ledger: Ledger, target: str) -> None:
    """Every stored event has its link, and the chain verifies up to the last."""
    verdict = ledger.verify()
    positions = [at for at, _, _ in stored(target)]
    assert verdict.broken is None
    assert verdict.events == len(positions) and verdict.head.position == positions[-1]
    assert linked(target) == positions


# A command's few events, and a batch past the size PostgreSQL is sent as COPY from.
@pytest.mark.parametrize("items", [2, COPY_FROM + 100])
def test_a_batch_is_stored_in_its_order_at_consecutive_positions_and_verifies(
    target: str, items: int
) -> None:
    ledger = open_ledger(target, create=True)
    try:
        ledger.save_all(*batch("A", 2), what="A")
        last = ledger.last_position()
        made = batch("B", items)
        expected = [(aggregate.id.hex, 1) for aggregate in made]  # one event each
        recorded = ledger.save_all(*made, what="B")
        new = [row for row in stored(target) if row[0] > last]
        assert len(recorded) == len(made) == items + 1
        assert [at for at, _, _ in new] == list(range(last + 1, last + items + 2))
        assert [(stream, version) for _, stream, version in new] == expected
        intact(ledger, target)
        assert str(ledger.digest()) == str(ledger.verify().head)
    finally:
        ledger.close()


def test_an_encrypted_batch_past_the_size_sent_as_copy_is_stored_encrypted_and_verifies(
    target: str,
) -> None:
    """Each event encrypted as the batch is written (on PostgreSQL, as it is sent),
    its link of the stored bytes, and read back under the key."""
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    try:
        made = batch("A", COPY_FROM + 100)
        ledger.save_all(*made, what="A")
        intact(ledger, target)
        assert ledger.repository.get(made[-1].id).version == 1
    finally:
        ledger.close()
    with raw(target) as (connection, events, _):
        states = [bytes(state) for (state,) in connection.execute(f"SELECT state FROM {events}")]
    assert len(states) == COPY_FROM + 101
    assert not any(b"Item " in state for state in states)


@contextlib.contextmanager
def collections_counted() -> Iterator[list[int]]:
    """The garbage collector's collections begun while the block runs, by generation."""
    begun: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            begun.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield begun
    finally:
        gc.callbacks.remove(note)


def test_a_batch_is_recorded_without_a_collection_and_leaves_the_collector_on(
    target: str,
) -> None:
    """A batch's events and rows are many new objects: the collector, left on, would
    scan the batch's aggregates again and again while they are written."""
    ledger = open_ledger(target, create=True)
    try:
        made = batch("A", COPY_FROM + 100)
        assert gc.isenabled()
        with collections_counted() as begun:
            ledger.save_all(*made, what="A")
        assert begun == []
        assert gc.isenabled()
        intact(ledger, target)
    finally:
        ledger.close()


def test_a_refused_batch_leaves_the_collector_on_and_a_write_with_it_off_leaves_it_off(
    target: str,
) -> None:
    ledger = open_ledger(target, create=True)
    try:
        made = batch("A", 3)
        stale = copy.deepcopy(made[2])
        ledger.save_all(*made, what="A")
        with pytest.raises(ConflictError):
            ledger.save_all(*batch("B", 40), stale, what="B")
        assert gc.isenabled()
        gc.disable()
        try:
            ledger.save_all(*batch("C", 5), what="C")
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        ledger.close()


def test_a_batch_under_another_key_stores_nothing(target: str) -> None:
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    ledger.save_all(*batch("A", 3), what="A")
    ledger.close()
    before = counts(target)
    other = open_ledger(target, create=False, encryption_key=OTHER)
    try:
        with pytest.raises(KeyRefusedError, match="is not this ledger's key"):
            other.save_all(*batch("B", 40), what="B")
    finally:
        other.close()
    assert counts(target) == before
    again = open_ledger(target, create=False, encryption_key=KEY)
    try:
        again.save_all(*batch("C", 5), what="C")
        intact(again, target)
    finally:
        again.close()


def refused_and_nothing_stored(
    ledger: Ledger, target: str, refusal: type[Exception], said: str, *made: Any
) -> None:
    """Recording ``made`` is refused with ``refusal`` saying ``said``; nothing stored."""
    before = counts(target)
    with pytest.raises(refusal, match=said):
        ledger.save_all(*made, what="B")
    assert counts(target) == before


def test_a_batch_on_a_chain_with_an_event_stored_past_ragw_stores_nothing(
    target: str,
) -> None:
    ledger = open_ledger(target, create=True)
    try:
        ledger.save_all(*batch("A", 3), what="A")
        store_past_ragw(target)
        refused_and_nothing_stored(
            ledger, target, ChainBrokenError, "without ragw", *batch("B", 40)
        )
    finally:
        ledger.close()


def test_a_batch_holding_an_event_another_writer_recorded_first_stores_nothing(
    target: str,
) -> None:
    ledger = open_ledger(target, create=True)
    try:
        made = batch("A", 3)
        stale = copy.deepcopy(made[2])  # the same item, at the same version, elsewhere
        ledger.save_all(*made, what="A")
        refused_and_nothing_stored(
            ledger, target, ConflictError, "another writer", *batch("B", COPY_FROM), stale
        )
        ledger.save_all(*batch("C", 5), what="C")  # after any positions the refusal took
        intact(ledger, target)
    finally:
        ledger.close()


def test_a_batch_after_the_last_event_was_deleted_stores_nothing(target: str) -> None:
    ledger = open_ledger(target, create=True)
    try:
        ledger.save_all(*batch("A", 3), what="A")
        with raw(target) as (connection, events, position):
            connection.execute(
                f"DELETE FROM {events} WHERE {position} = (SELECT MAX({position}) FROM {events})"
            )
        refused_and_nothing_stored(
            ledger, target, ChainBrokenError, "has been deleted", *batch("B", 40)
        )
    finally:
        ledger.close()


@pytest.mark.postgres
def test_a_stray_id_type_in_the_environment_cannot_change_how_streams_are_stored(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ORIGINATOR_ID_TYPE=text`` set for some other program: ragw keeps its streams'
    ids as its schema does (UUIDs), so a command's few events and a batch sent as COPY
    both record and verify."""
    monkeypatch.setenv("ORIGINATOR_ID_TYPE", "text")
    target = postgres.create_database(f"ragw_id_type_{next(_numbers)}")
    ledger = open_ledger(target, create=True)
    try:
        ledger.save_all(*batch("A", 2), what="A")
        ledger.save_all(*batch("B", COPY_FROM + 1), what="B")
        intact(ledger, target)
    finally:
        ledger.close()
