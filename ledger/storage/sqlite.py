"""The SQLite recorder, writing the chain's links (:mod:`ledger.chain`) in the
transaction that stores the events and holding each write to the ledger's key
(:mod:`ledger.storage.keycheck`); and the factory that tells the recorder the key the
ledger was opened with. Recorders are chosen by topic in the storage settings, so the
PostgreSQL one (and its driver) is imported only for a PostgreSQL ledger.

Organisations sharing one SQLite file each keep their events, chain and key record in
tables of their own, named with the organisation's prefix (``SQLITE_TABLE_PREFIX``,
:func:`ledger.storage.organisation.table_prefix`); a ledger without one keeps the names
it always had."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)
from eventsourcing.utils import resolve_topic

from ledger.chain import TABLE as CHAIN
from ledger.chain import Chainer, StoredRow, create_chain
from ledger.errors import LedgerError
from ledger.storage.keycheck import TABLE as KEY
from ledger.storage.keycheck import KeyGuard, WriteKey

#: The events' table of a ledger alone in its file (the library's name).
EVENTS = "stored_events"
#: What an organisation's tables may be named with: it is written into statements.
_PREFIX = re.compile(r"(org_[a-z][a-z0-9]{1,15}__)?")


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's recorder, its events linked into the chain and held to the key;
    every table of it named with ``table_prefix`` (an organisation's; none alone)."""

    def __init__(
        self,
        datastore: SQLiteDatastore,
        events_table_name: str = EVENTS,
        *,
        table_prefix: str = "",
    ):
        #: Read by the library's constructor, which makes the create statements.
        self.table_prefix = table_prefix
        super().__init__(datastore, events_table_name=table_prefix + events_table_name)
        self.chainer = Chainer(self.events_table_name, postgres=False, table=table_prefix + CHAIN)
        #: Told the write's key by the factory; until then it is a write without one.
        self.key_guard = self.guard(WriteKey())

    def guard(self, key: WriteKey) -> KeyGuard:
        """What holds this recorder's writes to the ledger's record of its key."""
        return KeyGuard(
            self.events_table_name, postgres=False, key=key, table=self.table_prefix + KEY
        )

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        """The stream's id as read: an aggregate's events come together in the log, so
        a run of them makes one id, not one an event (a tenth of a catch-up's reading)."""
        last, made = self._last_id  # read once: threads may share the recorder
        if originator_id == last:
            return made
        converted = super().convert_originator_id(originator_id)
        self._last_id = (originator_id, converted)
        return converted

    #: The last stream id read, as stored and as made.
    _last_id: tuple[object, UUID | str] = (None, "")

    def construct_create_table_statements(self) -> list[str]:
        chain = create_chain(self.table_prefix + CHAIN)
        return [*super().construct_create_table_statements(), chain]

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
    """The library's SQLite factory, telling the recorder the key of the settings and,
    for an organisation, the prefix of its tables."""

    def application_recorder(self) -> ApplicationRecorder:
        topic = self.env.get(self.APPLICATION_RECORDER_TOPIC)
        kind = resolve_topic(topic) if topic else None
        if not (isinstance(kind, type) and issubclass(kind, ChainedSQLiteRecorder)):
            return super().application_recorder()
        # the library's factory names no table: the recorder is made here, with the prefix
        recorder = kind(self.datastore, table_prefix=self.table_prefix())
        if self.env_create_table():
            recorder.create_table()
        recorder.key_guard = recorder.guard(WriteKey.of(self.env.get("CIPHER_KEY"), self.cipher()))
        return recorder

    def table_prefix(self) -> str:
        """The prefix of the organisation's tables in the settings; none alone."""
        prefix = self.env.get("SQLITE_TABLE_PREFIX") or ""
        if not _PREFIX.fullmatch(prefix):
            raise LedgerError(
                "{prefix!r} is not the prefix of an organisation's tables", prefix=prefix
            )
        return prefix
