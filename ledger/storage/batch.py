"""Writing many events at once: one transaction, one statement, the chain extended; and
a restore's events written at the positions their backup gives.

The library's application recorder inserts row by row to hand back notification ids,
which nothing here reads (the read model follows the log), and with the stored-event
objects made per event that cost half an import's time. On SQLite this writes plain
rows with the recorder's own statement and transaction instead, holds them to the
ledger's key and links them into the chain while it holds the write lock; PostgreSQL's
recorder takes the same rows (its ``insert_rows``: one COPY, in one transaction with
the same checks and links); a store with neither uses its recorder as it is.

A restore writes each event at its original position (:func:`insert_at`), gaps and all
(a PostgreSQL log has gaps where writers collided), so every digest printed on a paper
holds on the restored ledger: the chain hashes each event's position.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic

from ledger.chain import Chainer
from ledger.storage.keycheck import KeyGuard
from ledger.storage.mapper import PydanticMapper
from ledger.storage.roles_seen import check_roles


def insert_events(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    events: Sequence[Any],
    roles_at: int | None = None,
) -> None:
    """Write ``events`` in one transaction (all of them or, on an error, none); when
    ``roles_at`` is given, only while the roles are still at that version
    (:mod:`ledger.storage.roles_seen`)."""
    with collector_paused():
        _insert(recorder, mapper, events, roles_at)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector held off while a batch is made and written: its events and
    rows are many new objects, which set off collections that scan the batch's
    aggregates again and again (a fifth of a large import's time), and they hold no
    cycles, so nothing waits for a collection. The collector is on again at the end,
    however the write ends, unless it was off before (a write inside another, or a
    program that turned it off, finds it as it left it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _insert(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    events: Sequence[Any],
    roles_at: int | None,
) -> None:
    write_rows: Callable[..., object] | None = getattr(recorder, "insert_rows", None)
    if isinstance(recorder, SQLiteApplicationRecorder):
        rows = stored_rows(mapper, events, hex_ids=True)
        chainer: Chainer | None = getattr(recorder, "chainer", None)
        guard: KeyGuard | None = getattr(recorder, "key_guard", None)
        table = recorder.events_table_name
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.executemany(recorder.insert_events_statement, rows)
            if rows and (chainer is not None or guard is not None or roles_at is not None):
                # holding the write lock: these are the last rows
                cursor.execute(f"SELECT MAX(rowid) FROM {table}")
                first = int(cursor.fetchone()[0]) - len(rows) + 1
                if roles_at is not None:  # refused: the transaction rolls the rows back
                    check_roles(cursor, table, roles_at, postgres=False, before=first)
                if guard is not None:
                    guard.check(cursor, before=first)
                if chainer is not None:
                    chainer.extend_from(cursor, first, rows)
    elif write_rows is not None:  # PostgreSQL's: one COPY, linked and held to the key
        # Each event encoded as it is sent, so the server stores rows meanwhile.
        encode = cast(PydanticMapper, mapper).encoder({type(event) for event in events})
        write_rows(
            stored_rows(mapper, events, hex_ids=False, encoded=False), encode, roles_at=roles_at
        )
    else:
        to_stored = mapper.to_stored_event
        recorder.insert_events([to_stored(e) for e in events])


#: A stored event as a batch writes it: stream, version, topic, stored bytes.
Row = tuple[Any, int, str, bytes]


def stored_rows(
    mapper: Mapper[Any], events: Sequence[Any], *, hex_ids: bool, encoded: bool = True
) -> list[Row]:
    """``events`` as the rows the store keeps: each stream's id as a UUID, or as the
    32 hex digits SQLite keeps (``hex_ids``); each row's last value the event's stored
    bytes, or (not ``encoded``) the event itself, for the writer to encode."""
    states = cast(PydanticMapper, mapper).encode_all(events) if encoded else events
    topics = {kind: get_topic(kind) for kind in {type(event) for event in events}}
    rows: list[Row] = []
    stream, stream_id = None, None
    for event, state in zip(events, states, strict=True):
        if event.originator_id is not stream:  # an aggregate's events come together
            stream = event.originator_id
            stream_id = stream.hex if hex_ids else stream
        rows.append((stream_id, event.originator_version, topics[type(event)], state))
    return rows


def insert_at(
    recorder: ApplicationRecorder,
    stored: Sequence[StoredEvent],
    positions: Sequence[int],
    check: Callable[[Any], None] | None = None,
) -> None:
    """Write ``stored`` at ``positions`` (rising, past every event already stored) in one
    transaction, held to the ledger's key and linked into the chain at those positions;
    ``check`` is then given the transaction's cursor (raising rolls it all back). Later
    writes continue after the last position. A store that keeps no positions of its own
    (a ledger in memory) numbers them 1, 2, 3 ... as ever."""
    if not stored:
        return
    write = getattr(recorder, "insert_at", None)
    if write is None:
        recorder.insert_events(stored)
        return
    rows = [
        (at, e.originator_id, e.originator_version, e.topic, e.state)
        for at, e in zip(positions, stored, strict=True)
    ]
    write(rows, check)
