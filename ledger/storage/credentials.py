"""Passwords and sign-in attempts, kept beside the ledger's events and never among them.

A user's creation, password changes and disabling are events (:mod:`events.access`);
the password itself is kept here only as an argon2id hash (argon2-cffi, its defaults:
the RFC 9106 recommendation), in a table of its own, so no export, backup, log line or
paper can carry it. Beside it, per name, the moment from which that user's sessions
count (signing out, or a new password, moves it on: every session begun before ends),
and the wrong passwords given for a name: five within :data:`WINDOW` lock the name for
:data:`LOCK`. Attempts are counted in the store, so every worker of the web service
agrees, and each count is one statement, so racing attempts are all counted.

Names are kept folded (case and spacing, as roles match them).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ledger.aggregates.access import fold_name

PASSWORDS = "ragw_passwords"
ATTEMPTS = "ragw_sign_in_attempts"
#: Wrong passwords counted together, and how long a name is refused after too many.
WINDOW = 15 * 60.0
LOCK = 15 * 60.0
#: Wrong passwords within :data:`WINDOW` that lock a name.
MOST_WRONG = 5

_HASHER = PasswordHasher()
#: Verified against when a name has no password, so a wrong name takes as long to refuse
#: as a wrong password (the time tells nothing of which names exist).
_NOBODY = _HASHER.hash("no such user: this hash matches no password anyone is given")


def _creates(real: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {PASSWORDS} (name TEXT PRIMARY KEY, hash TEXT NOT NULL, "
        f"sessions_from {real} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {ATTEMPTS} (name TEXT PRIMARY KEY, wrong INTEGER NOT NULL, "
        f"first_at {real} NOT NULL, locked_until {real} NOT NULL)",
    ]


class Credentials:
    """The passwords and sign-in attempts of a ledger's store (``recorder``: its
    application recorder, SQLite or PostgreSQL). ``clock`` gives seconds since the epoch."""

    def __init__(self, recorder: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.recorder = recorder
        self.clock = clock
        self.postgres = "postgres" in type(recorder.datastore).__module__
        self._mark = "%s" if self.postgres else "?"
        self._ready = False

    # The tables -----------------------------------------------------------------------

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        if not self._ready:
            self._create()
        with self.recorder.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def _create(self) -> None:
        """The tables, made on first use where they are missing (in a transaction of
        their own: a read's is never committed)."""
        with self.recorder.datastore.transaction(commit=True) as cursor:
            for table, statement in zip(
                (PASSWORDS, ATTEMPTS),
                _creates("DOUBLE PRECISION" if self.postgres else "REAL"),
                strict=True,
            ):
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
        """Keep ``password`` (hashed) as ``name``'s; every session begun before ends."""
        hashed = _HASHER.hash(password)
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(
                    f"INSERT INTO {PASSWORDS} (name, hash, sessions_from) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, "
                    "sessions_from = excluded.sessions_from"
                ),
                (fold_name(name), hashed, self.clock()),
            )

    def check_password(self, name: str, password: str) -> bool:
        """Whether ``password`` is ``name``'s (a name without one: never, in as long)."""
        with self._cursor(commit=False) as cursor:
            row = self._one(
                cursor, f"SELECT hash FROM {PASSWORDS} WHERE name = ?", (fold_name(name),)
            )
        stored = str(row[0]) if row else _NOBODY
        try:
            _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
        if row is None:
            return False
        if _HASHER.check_needs_rehash(stored):  # kept up with the library's parameters
            with self._cursor(commit=True) as cursor:
                cursor.execute(
                    self._sql(f"UPDATE {PASSWORDS} SET hash = ? WHERE name = ?"),
                    (_HASHER.hash(password), fold_name(name)),
                )
        return True

    def sessions_from(self, name: str) -> float | None:
        """The moment (seconds) from which ``name``'s sessions count; None: no password."""
        with self._cursor(commit=False) as cursor:
            row = self._one(
                cursor, f"SELECT sessions_from FROM {PASSWORDS} WHERE name = ?", (fold_name(name),)
            )
        return float(row[0]) if row else None

    def end_sessions(self, name: str) -> None:
        """Every session of ``name`` begun before now ends (signing out)."""
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"UPDATE {PASSWORDS} SET sessions_from = ? WHERE name = ?"),
                (self.clock(), fold_name(name)),
            )

    # Attempts -------------------------------------------------------------------------

    def locked_for(self, name: str) -> float:
        """How many seconds more ``name`` is refused (0: it may try)."""
        with self._cursor(commit=False) as cursor:
            row = self._one(
                cursor, f"SELECT locked_until FROM {ATTEMPTS} WHERE name = ?", (fold_name(name),)
            )
        return max(0.0, float(row[0]) - self.clock()) if row else 0.0

    def wrong_password(self, name: str) -> None:
        """Count a wrong password for ``name``: the :data:`MOST_WRONG`-th within
        :data:`WINDOW` of the first locks the name for :data:`LOCK` and starts the count
        again. Each step is one statement, so racing attempts are each counted."""
        now, folded = self.clock(), fold_name(name)
        with self._cursor(commit=True) as cursor:
            # counts long over go, so names tried at random cannot fill the table
            cursor.execute(
                self._sql(f"DELETE FROM {ATTEMPTS} WHERE first_at < ? AND locked_until < ?"),
                (now - WINDOW, now),
            )
            cursor.execute(
                self._sql(
                    f"INSERT INTO {ATTEMPTS} (name, wrong, first_at, locked_until) "
                    "VALUES (?, 0, ?, 0) ON CONFLICT (name) DO NOTHING"
                ),
                (folded, now),
            )
            cursor.execute(
                self._sql(
                    f"UPDATE {ATTEMPTS} SET "
                    "wrong = CASE WHEN first_at < ? THEN 1 ELSE wrong + 1 END, "
                    "first_at = CASE WHEN first_at < ? THEN ? ELSE first_at END "
                    "WHERE name = ?"
                ),
                (now - WINDOW, now - WINDOW, now, folded),
            )
            cursor.execute(
                self._sql(
                    f"UPDATE {ATTEMPTS} SET locked_until = ?, wrong = 0, first_at = ? "
                    "WHERE name = ? AND wrong >= ?"
                ),
                (now + LOCK, now, folded, MOST_WRONG),
            )

    def right_password(self, name: str) -> None:
        """A right password clears the count of wrong ones."""
        with self._cursor(commit=True) as cursor:
            cursor.execute(self._sql(f"DELETE FROM {ATTEMPTS} WHERE name = ?"), (fold_name(name),))
