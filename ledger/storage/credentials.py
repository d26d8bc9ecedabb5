"""Passwords and sign-in attempts, kept beside the ledger's events and never among them.

A user's creation, password changes and disabling are events (:mod:`events.access`);
the password itself is kept here only as an argon2id hash (argon2-cffi, its defaults:
the RFC 9106 recommendation), in a table of its own, so no export, backup, log line or
paper can carry it. Beside it, per name, the moment from which that user's sessions
count (signing out, or a new password, moves it on: a session holds the moment read
with the hash its password was checked against, so one begun before it ends), and the
attempts to sign in as a name. An attempt is counted *before* its password is checked,
in one statement, so attempts racing each other are each counted: no more than
:data:`MOST_WRONG` passwords are ever checked for a name within :data:`WINDOW`; the
last of them wrong, or one more attempt, locks the name for :data:`LOCK`; a right
password does not lift a lock, only time does, or a new password (set by governance for
a user locked out: the guesses were at the old one, and whoever locked the name, by
guessing or to keep its user out, does not know the new). Counted in the store, so
every worker of the web service agrees.

Names are kept folded (case and spacing, as roles match them).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ledger.aggregates.access import fold_name
from ledger.errors import LedgerError

PASSWORDS = "ragw_passwords"
ATTEMPTS = "ragw_sign_in_attempts"
#: Attempts counted together, and how long a name is refused after too many (seconds).
WINDOW = 15 * 60
LOCK = 15 * 60
#: Passwords checked for a name within :data:`WINDOW` at most; the last wrong locks it.
MOST_WRONG = 5
#: Moments are kept as whole microseconds since the epoch: compared exactly.
_MICRO = 1_000_000
#: PostgreSQL's code for a privilege the login lacks.
_NO_PRIVILEGE = "42501"

_HASHER = PasswordHasher()


@cache
def _nobody() -> str:
    """Verified against when a name has no password, so a wrong name takes as long to
    refuse as a wrong password (the time tells nothing of which names exist). Made on
    first use: a hash takes 64 MiB and a tenth of a second, which no other command pays."""
    return _HASHER.hash("no such user: this hash matches no password anyone is given")


def create(passwords: str = PASSWORDS, attempts: str = ATTEMPTS) -> list[str]:
    """The statements creating the two tables, so named (an organisation's SQLite tables
    are named with its prefix)."""
    return [
        f"CREATE TABLE IF NOT EXISTS {passwords} (name TEXT PRIMARY KEY, hash TEXT NOT NULL, "
        "sessions_from BIGINT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {attempts} (name TEXT PRIMARY KEY, tries INTEGER NOT NULL, "
        "first_at BIGINT NOT NULL, locked_until BIGINT NOT NULL)",
    ]


def count(attempts: str = ATTEMPTS) -> str:
    """One statement: the attempt counted (a count over :data:`WINDOW` old starts again;
    a locked name's count stays as it is), the count and lock returned."""
    return f"""
INSERT INTO {attempts} AS a (name, tries, first_at, locked_until) VALUES (?, 1, ?, 0)
ON CONFLICT (name) DO UPDATE SET
    tries = CASE WHEN a.locked_until > ? THEN a.tries
                 WHEN a.first_at < ? THEN 1 ELSE a.tries + 1 END,
    first_at = CASE WHEN a.locked_until > ? THEN a.first_at
                    WHEN a.first_at < ? THEN ? ELSE a.first_at END
RETURNING tries, locked_until"""


CREATE = create()
COUNT = count()


class CredentialsRefusedError(LedgerError):
    """The store's login may not read or keep passwords."""


def _refused(error: BaseException | None) -> bool:
    """Whether the server refused for a privilege the login lacks (the event store
    wraps the driver's error: its cause carries the code)."""
    while error is not None:
        if getattr(error, "sqlstate", None) == _NO_PRIVILEGE:
            return True
        error = error.__cause__
    return False


def _mark(hashed: str) -> str:
    """The mark of a kept password: a digest of its salted hash, new with every
    password set (and every hash made again)."""
    return hashlib.sha256(b"ragw session of the password\0" + hashed.encode()).hexdigest()[:32]


def micros(seconds: float) -> int:
    return round(seconds * _MICRO)


class Credentials:
    """The passwords and sign-in attempts of a ledger's store (``recorder``: its
    application recorder, SQLite or PostgreSQL). ``clock`` gives seconds since the epoch.
    The tables are named with the recorder's ``table_prefix`` (an organisation's on
    SQLite), as the ledger's events are."""

    def __init__(self, recorder: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.recorder = recorder
        self.clock = clock
        prefix = getattr(recorder, "table_prefix", "")
        self.passwords, self.attempts = prefix + PASSWORDS, prefix + ATTEMPTS
        self._create_tables = create(self.passwords, self.attempts)
        self._count = count(self.attempts)
        self.postgres = "postgres" in type(recorder.datastore).__module__
        self._mark = "%s" if self.postgres else "?"
        self._ready = False

    def now(self) -> int:
        return micros(self.clock())

    # The tables -----------------------------------------------------------------------

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        try:
            if not self._ready:
                self._create()
            with self.recorder.datastore.transaction(commit=commit) as cursor:
                yield cursor
        except Exception as error:
            if _refused(error):
                raise CredentialsRefusedError(
                    "this database login may not read or keep the users' passwords (they are "
                    "kept apart from the events, where writers' logins cannot change them); "
                    "nothing was recorded; the owner of the ledger's tables adds users and "
                    "sets their passwords"
                ) from None
            raise

    def _create(self) -> None:
        """The tables, made on first use where they are missing (in a transaction of
        their own: a read's is never committed)."""
        with self.recorder.datastore.transaction(commit=True) as cursor:
            tables = (self.passwords, self.attempts)
            for table, statement in zip(tables, self._create_tables, strict=True):
                if not self._exists(cursor, table):
                    cursor.execute(statement)
        self._ready = True

    def _exists(self, cursor: Any, table: str) -> bool:
        if self.postgres:
            found = self._one(cursor, "SELECT to_regclass(?) IS NOT NULL", (table,))
        else:
            found = self._one(
                cursor,
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                (table,),
            )
        return bool(found and found[0])

    def check_writable(self) -> None:
        """Refuse, before anything is recorded, a login that could not keep a password."""
        if not self.postgres:
            return
        with self._cursor(commit=False) as cursor:
            found = self._one(
                cursor,
                "SELECT has_table_privilege(?, 'INSERT, UPDATE') "
                "AND has_table_privilege(?, 'INSERT, UPDATE, DELETE')",
                (self.passwords, self.attempts),
            )
        if not (found and found[0]):
            raise CredentialsRefusedError(
                "this database login may not keep the users' passwords; nothing was "
                "recorded; the owner of the ledger's tables adds users and sets their passwords"
            )

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._mark)

    def _one(self, cursor: Any, statement: str, values: tuple[Any, ...]) -> list[Any] | None:
        cursor.execute(self._sql(statement), values)
        row = cursor.fetchone()
        if row is None:
            return None
        return list(row.values()) if isinstance(row, dict) else list(row)

    # Passwords ------------------------------------------------------------------------

    def set_password(self, name: str, password: str) -> None:
        """Keep ``password`` (hashed) as ``name``'s; every session begun before ends, and
        any lock on the name is lifted, its count of wrong passwords cleared."""
        hashed = _HASHER.hash(password)
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"DELETE FROM {self.attempts} WHERE name = ?"), (fold_name(name),)
            )
            cursor.execute(
                self._sql(
                    f"INSERT INTO {self.passwords} (name, hash, sessions_from) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, "
                    "sessions_from = excluded.sessions_from"
                ),
                (fold_name(name), hashed, self.now()),
            )

    def check_password(self, name: str, password: str) -> tuple[int, str] | None:
        """When ``password`` is ``name``'s, the moment (microseconds) from which their
        sessions count, read with the hash it was checked against, and the mark of that
        very hash (as kept: the new one when it is hashed again), which a session holds
        (:meth:`session_mark`); None otherwise (a name without a password: never, in as
        long)."""
        with self._cursor(commit=False) as cursor:
            row = self._one(
                cursor,
                f"SELECT hash, sessions_from FROM {self.passwords} WHERE name = ?",
                (fold_name(name),),
            )
        stored = str(row[0]) if row else _nobody()
        try:
            _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _HASHER.check_needs_rehash(stored):  # kept up with the library's parameters
            rehashed = _HASHER.hash(password)
            with self._cursor(commit=True) as cursor:
                cursor.execute(
                    self._sql(f"UPDATE {self.passwords} SET hash = ? WHERE name = ? AND hash = ?"),
                    (rehashed, fold_name(name), stored),
                )
                if cursor.rowcount == 1:
                    stored = rehashed
        return int(row[1]), _mark(stored)

    def sessions_from(self, name: str) -> int | None:
        """The moment (microseconds) from which ``name``'s sessions count; None: no
        password is kept for them."""
        kept = self.session_mark(name)
        return kept[0] if kept is not None else None

    def session_mark(self, name: str) -> tuple[int, str] | None:
        """The moment (microseconds) from which ``name``'s sessions count, and the mark
        of the password kept for them (a digest of its salted hash): a session holds
        the mark it began with and counts only while the password is the same, so one
        begun on a copy of this store where the name was given another password is not
        this store's; None: no password is kept for them."""
        with self._cursor(commit=False) as cursor:
            row = self._one(
                cursor,
                f"SELECT sessions_from, hash FROM {self.passwords} WHERE name = ?",
                (fold_name(name),),
            )
        return (int(row[0]), _mark(str(row[1]))) if row is not None else None

    def end_sessions(self, name: str) -> None:
        """Every session of ``name`` begun before now ends (signing out)."""
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"UPDATE {self.passwords} SET sessions_from = ? WHERE name = ?"),
                (self.now(), fold_name(name)),
            )

    # Attempts -------------------------------------------------------------------------

    def attempt(self, name: str) -> float:
        """Count an attempt to sign in as ``name`` before its password is checked: how
        many seconds the name is refused for (0: check the password). The attempt past
        :data:`MOST_WRONG` within :data:`WINDOW` locks the name."""
        now, folded = self.now(), fold_name(name)
        cut = now - WINDOW * _MICRO
        with self._cursor(commit=True) as cursor:
            # counts long over go, so names tried at random cannot fill the table
            cursor.execute(
                self._sql(f"DELETE FROM {self.attempts} WHERE first_at < ? AND locked_until < ?"),
                (cut, now),
            )
            row = self._one(cursor, self._count, (folded, now, now, cut, now, cut, now))
            assert row is not None
            tries, locked_until = int(row[0]), int(row[1])
        if locked_until > now:
            return (locked_until - now) / _MICRO
        if tries > MOST_WRONG:
            self.lock(name)
            return float(LOCK)
        return 0.0

    def wrong_password(self, name: str) -> None:
        """The password of a counted attempt was wrong: the last that may be checked
        locks the name."""
        with self._cursor(commit=False) as cursor:
            row = self._one(
                cursor, f"SELECT tries FROM {self.attempts} WHERE name = ?", (fold_name(name),)
            )
        if row is not None and int(row[0]) >= MOST_WRONG:
            self.lock(name)

    def lock(self, name: str) -> None:
        now = self.now()
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(
                    f"UPDATE {self.attempts} SET locked_until = ?, tries = 0, first_at = ? "
                    "WHERE name = ? AND locked_until <= ?"
                ),
                (now + LOCK * _MICRO, now, fold_name(name), now),
            )

    def right_password(self, name: str) -> None:
        """A right password clears the count, never a lock."""
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"DELETE FROM {self.attempts} WHERE name = ? AND locked_until <= ?"),
                (fold_name(name), self.now()),
            )
