"""The PostgreSQL recorder writing the chain's links and holding each write to the
ledger's key, and its factory (see :mod:`ledger.storage.sqlite`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL

from ledger.chain import CREATE, Chainer, StoredRow
from ledger.storage.keycheck import CREATE as CREATE_KEY
from ledger.storage.keycheck import KeyGuard, WriteKey
from ledger.storage.sqlite import rows_of


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chainer = Chainer(self.events_table_name, postgres=True)
        self.sql_create_statements.append(SQL(CREATE))  # type: ignore[arg-type]
        self.sql_create_statements.append(SQL(CREATE_KEY))  # type: ignore[arg-type]
        #: Told the write's key by the factory; until then it is a write without one.
        self.key_guard = KeyGuard(self.events_table_name, postgres=True, key=WriteKey())

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Before the events go in (so a refusal rolls the whole write back): lock the
        table as the insert will, check the chain's head and the write's key."""
        super()._insert_events(curs, stored_events, **kwargs)
        if stored_events:
            self._lock_table(curs)
            with curs.connection.cursor(row_factory=tuple_row) as cursor:
                self.chainer.check_head(cursor)
                self.key_guard.check(cursor)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        assert ids is not None
        with curs.connection.cursor(row_factory=tuple_row) as cursor:
            self.chainer.extend(cursor, rows_of(ids, stored_events))
        return ids

    def head(self) -> tuple[int, str]:
        """The last link: (position, link)."""
        with (
            self.datastore.transaction(commit=False) as curs,
            curs.connection.cursor(row_factory=tuple_row) as cursor,
        ):
            return self.chainer.last(cursor)

    def select_links(self, after: int, limit: int) -> list[tuple[int, Any]]:
        """Stored links after position ``after``, in order, each as the store holds it."""
        with (
            self.datastore.transaction(commit=False) as curs,
            curs.connection.cursor(row_factory=tuple_row) as cursor,
        ):
            if not after:
                self.chainer.check_positions(cursor)
            cursor.execute(self.chainer.select_links, (after, limit))
            return self.chainer.links(cursor.fetchall())

    def select_stored(self, after: int, limit: int) -> list[StoredRow]:
        """Stored events after position ``after`` as the store holds them, unparsed,
        each value with the type it is stored as."""
        with (
            self.datastore.transaction(commit=False) as curs,
            curs.connection.cursor(row_factory=tuple_row) as cursor,
        ):
            if not after:
                self.chainer.check_positions(cursor)
            cursor.execute(self.chainer.select_stored, (after, limit))
            return self.chainer.stored(cursor.fetchall())


class KeyedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL factory, telling the recorder the key of the settings."""

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        if isinstance(recorder, ChainedPostgresRecorder):
            key = WriteKey.of(self.env.get("CIPHER_KEY"), self.cipher())
            recorder.key_guard = KeyGuard(recorder.events_table_name, postgres=True, key=key)
        return recorder
