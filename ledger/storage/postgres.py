"""The PostgreSQL recorder writing the chain's links and holding each write to the
ledger's key, and its factory (see :mod:`ledger.storage.sqlite`).

An organisation's tables are those of the single ledger, in the organisation's schema;
what is not a table is made its own too: the channel its writes NOTIFY (a follower of
one organisation is not woken by another's writes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from ledger.chain import COPY_FROM, CREATE, Chainer, StoredRow, as_stored, stored_bytes
from ledger.errors import LedgerError, RuleBrokenError
from ledger.links import links_of
from ledger.storage.keycheck import CREATE as CREATE_KEY
from ledger.storage.keycheck import KeyGuard, WriteKey
from ledger.storage.organisation import search_path_option
from ledger.storage.roles_seen import check_roles

#: The schema of the single-organisation ledger.
PUBLIC = "public"


def channel_of(schema: str, events_table: str) -> str:
    """The channel the writes to ``events_table`` in ``schema`` NOTIFY: the library's
    (the table's name) in the public schema, as ever; prefixed by the schema elsewhere,
    where every organisation's events table has the same name."""
    name = events_table.replace(".", "_")
    return name if schema == PUBLIC else f"{schema}_{name}"


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    #: Names in the schema itself: an organisation's tables are told apart by schema.
    table_prefix = ""

    def __init__(
        self, datastore: PostgresDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chainer = Chainer(self.events_table_name, postgres=True)
        self.sql_create_statements.append(SQL(CREATE))  # type: ignore[arg-type]
        self.sql_create_statements.append(SQL(CREATE_KEY))  # type: ignore[arg-type]
        #: Told the write's key by the factory; until then it is a write without one.
        self.key_guard = KeyGuard(self.events_table_name, postgres=True, key=WriteKey())
        self.copy_events = SQL(
            "COPY {table} (notification_id, originator_id, originator_version, topic, state) "
            "FROM STDIN (FORMAT BINARY)"
        ).format(table=Identifier(datastore.schema, self.events_table_name))
        self.copy_types = ["int8", datastore.originator_id_type, "int8", "text", "bytea"]
        #: Rows at the positions given, in one statement of arrays: a command's few, and
        #: a restore's at their original positions.
        self.insert_few = SQL(
            "INSERT INTO {table} (notification_id, originator_id, originator_version, topic, "
            "state) SELECT * FROM unnest(%s::bigint[], %s::{kind}[], %s::bigint[], "
            "%s::text[], %s::bytea[])"
        ).format(
            table=Identifier(datastore.schema, self.events_table_name),
            kind=Identifier(datastore.originator_id_type),
        )
        self.take_positions = (
            "SELECT nextval(%s::regclass) AS position FROM generate_series(1, %s) ORDER BY 1"
        )
        self._sequence: str | None = None

    # The library names the channel after the table, the same in every schema, and
    # builds its insert function's NOTIFY from it within its constructor: setting the
    # name through here makes the function, each write and each LISTEN use the schema's.
    @property
    def channel_name(self) -> str:
        return self._channel

    @channel_name.setter
    def channel_name(self, name: str) -> None:
        self._channel = channel_of(self.datastore.schema, name)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert step, as :meth:`insert_rows` writes a batch."""
        return self.insert_rows(
            [(e.originator_id, e.originator_version, e.topic, e.state) for e in stored_events]
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_rows(
        self,
        rows: Sequence[tuple[Any, int, str, Any]],
        encode: Callable[[Any], bytes] | None = None,
        roles_at: int | None = None,
    ) -> list[int]:
        """Write ``rows`` (stream, version, topic, stored bytes) in one transaction and
        return their positions: the table locked as the library locks it (writes are
        numbered in the order they commit) and its channel notified; the chain's head and
        the write's key checked before anything goes in (a refusal writes nothing); the
        positions taken from the sequence at once, the rows written with one COPY and
        their links with another. A row already stored (another writer's, at the same
        version) fails the COPY, and the whole write with it. With ``encode``, each
        row's last value is an event, encoded to its stored bytes as the row is sent.
        With ``roles_at``, only while the roles are at that version
        (:mod:`ledger.storage.roles_seen`), checked under the lock."""
        if not rows:
            return []
        if encode is not None and len(rows) < COPY_FROM:  # sent at once: encoded first
            rows = [(stream, version, topic, encode(e)) for stream, version, topic, e in rows]
            encode = None
        with (
            self.datastore.transaction(commit=True) as curs,
            curs.connection.cursor(row_factory=tuple_row) as cursor,
        ):
            self._lock_table(curs)
            self._notify_channel(curs)
            self.chainer.check_head(cursor)
            self.key_guard.check(cursor)
            if roles_at is not None:
                check_roles(cursor, self.events_table_name, roles_at, postgres=True)
            # Under the lock nobody else takes a position: these are the next ones, in order.
            cursor.execute(self.take_positions, (self.sequence(cursor), len(rows)))
            positions = [int(at) for (at,) in cursor.fetchall()]
            previous, links = self.chainer.begin(cursor, positions[0])
            if len(rows) < COPY_FROM:  # a command's few rows: one round trip
                stored = as_stored(rows)
                links += zip(positions, links_of(previous, positions, stored), strict=True)
                cursor.execute(self.insert_few, [positions, *map(list, zip(*stored, strict=True))])
            else:  # each row encoded and linked as it is sent: the server stores rows meanwhile
                with cursor.copy(self.copy_events) as copy:
                    copy.set_types(self.copy_types)
                    sent = _sent(copy.write_row, positions, rows, encode)
                    links += zip(positions, links_of(previous, positions, sent), strict=True)
            self.chainer.write(cursor, links)
        return positions

    def sequence(self, cursor: Cursor[Any]) -> str:
        """The sequence numbering the events table's positions (looked up once)."""
        if self._sequence is None:
            table = f"{self.datastore.schema}.{self.events_table_name}"
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'notification_id')", (table,))
            found = cursor.fetchone()
            if found is None or found[0] is None:
                raise LedgerError(
                    f"the events table {table} numbers its events with no sequence of its "
                    "own: it was altered outside ragw; restore the ledger from a backup"
                )
            self._sequence = str(found[0])
        return self._sequence

    def insert_at(self, rows: Sequence[StoredRow], check: Callable[[Any], None] | None) -> None:
        """Insert ``rows`` at the positions they give (see
        :func:`ledger.storage.batch.insert_at`): the table locked as every write locks it,
        the head and the key checked, the rows inserted with their ``notification_id``
        given, linked, and the sequence set to the last, so the next write continues
        after it. A login that may not set the sequence is refused before anything."""
        datastore = self.datastore
        insert = self.insert_few
        with (
            datastore.transaction(commit=True) as curs,
            curs.connection.cursor(row_factory=tuple_row) as cursor,
        ):
            self._lock_table(curs)
            sequence = self.sequence(cursor)
            cursor.execute("SELECT has_sequence_privilege(%s, 'UPDATE')", (sequence,))
            if not cursor.fetchone()[0]:  # type: ignore[index]
                raise RuleBrokenError(
                    "this login may not restore: a restore keeps each event at its position "
                    "in the log, which only the owner of the ledger's tables may set; "
                    "nothing was restored; restore as that owner"
                )
            self.chainer.check_head(cursor)
            self.key_guard.check(cursor)
            cursor.execute(insert, [list(column) for column in zip(*rows, strict=True)])
            self.chainer.extend(cursor, list(rows))
            cursor.execute("SELECT setval(%s, %s)", (sequence, rows[-1][0]))
            if check is not None:
                check(cursor)

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


def _sent(
    write: Callable[[Sequence[Any]], None],
    positions: Sequence[int],
    rows: Sequence[tuple[Any, int, str, Any]],
    encode: Callable[[Any], bytes] | None,
) -> Iterator[tuple[Any, int, str, bytes]]:
    """Each of ``rows`` as stored (its state encoded by ``encode`` when given, else as
    bytes), once ``write`` has sent it at its position: the rows the chain links."""
    for at, (stream, version, topic, state) in zip(positions, rows, strict=True):
        stored = encode(state) if encode is not None else state
        if type(stored) is not bytes:  # the link is of what the store holds
            stored = stored_bytes(stored)
        write((at, stream, version, topic, stored))
        yield stream, version, topic, stored


class KeyedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL factory, telling the recorder the key of the settings;
    for an organisation, every connection of its pool has the organisation's schema
    alone on its search path (the library qualifies its own statements; ragw's chain,
    key and read model then land in the same schema)."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        org = self.env.get("ORGANISATION")
        kwargs = self.datastore.pool.kwargs
        if org and isinstance(kwargs, dict):  # the pool connects lazily, with these
            kwargs["options"] = search_path_option(org)

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        if isinstance(recorder, ChainedPostgresRecorder):
            key = WriteKey.of(self.env.get("CIPHER_KEY"), self.cipher())
            recorder.key_guard = KeyGuard(recorder.events_table_name, postgres=True, key=key)
        return recorder
