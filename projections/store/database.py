"""The connection to the database the read model lives in (the ledger's own SQLite file
or PostgreSQL database), and what differs between the two: parameter marks, how a
transaction takes the writer's lock, and how a failure reaches the user."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ledger.errors import LedgerError
from ledger.storage.organisation import schema_of
from ledger.storage.settings import is_postgres, open_connection, storage_env
from projections.store.prefixed import connect as connect_sqlite
from projections.store.schema import NAME, create_tables, layout_ready, may_write
from projections.store.sealed_columns import open_rows, seal_rows
from projections.store.sealing import Sealer

if TYPE_CHECKING:
    from ledger.application import Ledger


#: The name the single ledger's model's creation is serialised under.
READ_MODEL = "ragw_read_model"


_NO_OFFSET = timedelta(0)


def moment(value: datetime) -> str:
    """A recording time as fixed-width UTC text, so text order is time order."""
    if value.tzinfo is UTC or value.utcoffset() == _NO_OFFSET:  # as the ledger records
        # them (read back, the zone is the decoder's own UTC): the offset's text cut off
        return value.isoformat(timespec="microseconds")[:-6]
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


#: How long, in seconds, creating a read model waits for another session creating it.
CREATION_WAIT = 30


class Database:
    """One connection to the read model's database, for one ledger.

    ``writable`` says whether this login keeps the model up to date itself (SQLite; a
    PostgreSQL ledger without ``ragw admin init-roles``; under it, the follower's
    login alone). A login that may not write never creates, migrates or catches the
    model up: ``ready`` says whether there is a model of this layout to read at all."""

    def __init__(self, ledger: Ledger, target: str, *, keep: bool = True) -> None:
        """Connect; with ``keep`` (the model's own connection) also find whether this
        login may write the model and, if it may, create its tables."""
        self.ledger = ledger
        self.postgres = is_postgres(target)
        self.target = target
        self.env = storage_env(target, org=ledger.org)
        #: What an organisation's tables are named with in a shared SQLite file (on
        #: PostgreSQL its schema keeps them apart): :mod:`projections.store.prefixed`.
        self.prefix = "" if self.postgres else getattr(ledger.recorder, "table_prefix", "")
        #: The name the model's creation is serialised under: one per schema.
        self.lock_name = f"{schema_of(ledger.org)}.ragw_read_model" if ledger.org else READ_MODEL
        #: How long, in seconds, the model's creation waits for that name's lock.
        self.creation_wait = CREATION_WAIT
        key = ledger.env.get("CIPHER_KEY") if ledger.encrypted else None
        #: An encrypted ledger's model is sealed under keys derived from its key
        #: (:mod:`projections.store.sealing`); None: the model is kept in clear.
        self.sealer = Sealer(key, ledger.org) if key else None
        #: The check value the model records of the key it is sealed under (0: clear).
        self.seal = self.sealer.check if self.sealer is not None else 0
        self.connection: Any = self._connect()
        #: Whether a board is being read from this connection, a batch at a time: until
        #: it is read or closed, the connection serves no other question (one asked
        #: meanwhile is refused, rather than left waiting on the connection for ever).
        self.reading = False
        self.writable = self.ready = False
        if not keep:
            return
        with self._transaction(lock=False) as cursor:
            self.writable = may_write(cursor, self.postgres)
            self.ready = self.writable or layout_ready(cursor, self._sql, self.postgres, self.seal)
        if self.writable:
            self.create()

    def create(self) -> None:
        """Create the tables of this layout (migrating those of another), whoever may
        write them later: what ``ragw admin init-roles`` does, as the tables' owner,
        before it grants them."""
        try:
            self._create()
        except LedgerError:  # another process created the tables at the same moment
            self._create()
        self.ready = True

    def _create(self) -> None:
        with self._transaction(lock=False) as cursor:
            if layout_ready(cursor, self._sql, self.postgres, self.seal):
                return
        with self._transaction(lock=True, creating=True) as cursor:
            create_tables(cursor, self._sql, self.postgres, self.seal)

    def _connect(self) -> Any:
        if self.postgres:
            return open_connection(self.target, org=self.ledger.org, connect_timeout=10)
        connection = connect_sqlite(
            self.env["SQLITE_DBNAME"], self.prefix, timeout=30, isolation_level=None
        )
        # The model is derived data: in WAL mode a commit of its own need not wait for
        # the disk (a power cut can only lose its latest pages, which the follower makes
        # again; the file stays whole, and the ledger's writes keep waiting for theirs).
        # This halves a large catch-up, whose pages are many times the events' size.
        if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA cache_size = -65536")
        return connection

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    @contextmanager
    def _transaction(self, *, lock: bool, creating: bool = False) -> Iterator[Any]:
        """One transaction; with ``lock``, this store's only writer until it ends."""
        if self.reading:
            raise LedgerError(
                "this read model's connection is still reading a board; read the board to "
                "its end, or close it, before asking the same store anything else"
            )
        cursor = self.connection.cursor()
        try:
            if self.postgres:
                if creating:  # the tracking row may not exist yet: lock the model's name
                    # Any login may take an advisory lock: one held by someone else is
                    # waited for a while, then refused, rather than for ever.
                    cursor.execute(f"SET LOCAL lock_timeout = '{self.creation_wait}s'")
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.lock_name,))
                elif lock:
                    cursor.execute(
                        "SELECT position FROM ragw_tracking WHERE name = %s FOR UPDATE", (NAME,)
                    )
                    # derived data, as on SQLite: a crash can only lose the model's latest
                    # pages (the follower makes them again), never leave a page half written
                    cursor.execute("SET LOCAL synchronous_commit = off")
            else:
                cursor.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
            yield cursor
        except BaseException as error:
            if self.postgres:
                self.connection.rollback()
            elif self.connection.in_transaction:
                cursor.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error) or type(error).__module__.startswith("psycopg"):
                raise LedgerError(
                    "the read model beside the events could not be brought up to date "
                    f"({type(error).__name__}: {' '.join(str(error).split())}); nothing was "
                    "changed; run the command again"
                ) from error
            raise
        else:
            self.connection.commit() if self.postgres else cursor.execute("COMMIT")
        finally:
            cursor.close()

    def _sealed(self, table: str, columns: str, rows: list[Any]) -> list[Any]:
        """``rows`` as the model stores them: as they are in clear, or sealed
        (:func:`projections.store.sealed_columns.seal_rows`)."""
        if self.sealer is None or not rows:
            return rows
        return seal_rows(self.sealer, table, columns, rows)

    def _opened(self, query: str, rows: list[Any]) -> list[Any]:
        """The rows ``query`` read, as they are in clear: as read, or opened
        (:func:`projections.store.sealed_columns.open_rows`)."""
        if self.sealer is None:
            return rows
        return open_rows(self.sealer, query, rows)

    def _tokens(self, values: tuple[str, ...], kind: str) -> tuple[str, ...]:
        """:meth:`_token` of each of ``values``."""
        return tuple(self._token(value, kind) for value in values)

    def _token(self, value: str, kind: str) -> str:
        """What the model stores for ``value`` of this kind (``key``, ``report`` ...) where
        SQL compares it: the value itself, or its token when sealed."""
        return value if self.sealer is None else self.sealer.token(value, kind)

    def _insert(self, cursor: Any, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
        """Many rows of ``columns`` into ``table`` at once: one ``COPY`` on PostgreSQL
        (a statement a row, even pipelined, took most of a catch-up), one prepared
        statement run for each row on SQLite."""
        if not rows:
            return
        if self.postgres:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns.split(",")))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    def _delete(
        self,
        cursor: Any,
        table: str,
        columns: str,
        rows: Sequence[Sequence[Any]],
        where: str = "",
        values: tuple[Any, ...] = (),
    ) -> None:
        """Delete the rows of ``table`` meeting ``where`` (``AND``-joined, with ``values``)
        whose ``columns`` hold the values of one of ``rows``; the first column is the
        item's key. On PostgreSQL one statement: the keys as an array (``key = ANY``), which
        the key's index answers however stale the table's statistics are (a join to
        unnested values, planned on a table counted while still empty, scanned the table
        once a key), then the row's other columns matched among them."""
        if not rows:
            return
        names = [name.strip() for name in columns.split(",")]
        if self.postgres:
            condition = f"{where.replace('?', '%s')} AND " if where else ""
            parameters: list[Any] = [*values, sorted({row[0] for row in rows})]
            tests = f"{condition}{names[0]} = ANY(%s)"
            if len(names) > 1:
                arrays = ", ".join("%s::text[]" for _ in names)
                tests += f" AND ({columns}) IN (SELECT * FROM unnest({arrays}))"
                parameters += [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(f"DELETE FROM {table} WHERE {tests}", parameters)
        else:
            condition = f"{where} AND " if where else ""
            tests = " AND ".join(f"{name} = ?" for name in names)
            cursor.executemany(
                f"DELETE FROM {table} WHERE {condition}{tests}", [(*values, *row) for row in rows]
            )

    def catch_up(self, progress: Callable[[int], object] | None = None) -> int:
        """Bring the model up to date with the log (:mod:`projections.store.follower`)."""
        raise NotImplementedError

    def close(self) -> None:
        self.connection.close()
