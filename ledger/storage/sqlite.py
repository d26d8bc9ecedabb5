"""The SQLite recorder, writing the chain's links (:mod:`ledger.chain`) in the
transaction that stores the events and holding each write to the ledger's key
(:mod:`ledger.storage.keycheck`); and the factory that tells the recorder the key the
ledger was opened with. Recorders are chosen by topic in the storage settings, so the
PostgreSQL one (and its driver) is imported only for a PostgreSQL ledger."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)

from ledger.chain import CREATE, Chainer, StoredRow
from ledger.storage.keycheck import KeyGuard, WriteKey


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chainer = Chainer(self.events_table_name, postgres=False)
        #: Told the write's key by the factory; until then it is a write without one.
        self.key_guard = KeyGuard(self.events_table_name, postgres=False, key=WriteKey())

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), CREATE]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        if ids:  # checked once the rows are in: the write lock is held, the check is last
            self.key_guard.check(c, before=min(ids))
        self.chainer.extend(c, rows_of(ids, stored_events))
        return ids

    def insert_at(self, rows: Sequence[StoredRow], check: Callable[[Any], None] | None) -> None:
        """Insert ``rows`` at the positions they give, in one transaction, held to the
        key and linked; then ``check`` (see :func:`ledger.storage.batch.insert_at`)."""
        with self.datastore.transaction(commit=True) as c:
            # rowid is the position: SQLite keeps one given, and numbers later rows after
            # the largest
            c.executemany(
                f"INSERT INTO {self.events_table_name} "
                "(rowid, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
                [
                    (at, stream.hex, version, topic, state)
                    for at, stream, version, topic, state in rows
                ],
            )
            self.key_guard.check(c, before=rows[0][0])
            self.chainer.extend(c, list(rows))
            if check is not None:
                check(c)

    def head(self) -> tuple[int, str]:
        """The last link: (position, link)."""
        with self.datastore.transaction(commit=False) as c:
            return self.chainer.last(c)

    def select_links(self, after: int, limit: int) -> list[tuple[int, Any]]:
        """Stored links after position ``after``, in order, each as the store holds it."""
        with self.datastore.transaction(commit=False) as c:
            if not after:
                self.chainer.check_positions(c)
            c.execute(self.chainer.select_links, (after, limit))
            return self.chainer.links(c.fetchall())

    def select_stored(self, after: int, limit: int) -> list[StoredRow]:
        """Stored events after position ``after`` as the store holds them, unparsed (a
        damaged row is checked, not read), each value with the type it is stored as."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.chainer.select_stored, (after, limit))
            return self.chainer.stored(c.fetchall())


def rows_of(ids: Sequence[int], stored: Sequence[StoredEvent]) -> list[StoredRow]:
    return [
        (i, e.originator_id, e.originator_version, e.topic, e.state)
        for i, e in zip(ids, stored, strict=True)
    ]


class KeyedSQLiteFactory(SQLiteFactory):
    """The library's SQLite factory, telling the recorder the key of the settings."""

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        if isinstance(recorder, ChainedSQLiteRecorder):
            key = WriteKey.of(self.env.get("CIPHER_KEY"), self.cipher())
            recorder.key_guard = KeyGuard(recorder.events_table_name, postgres=False, key=key)
        return recorder
