"""Secret calendar-feed addresses, kept beside the ledger's events and never among them.

A user's calendar feed (their owners' open items as iCalendar, for the calendar program
they already use) is read by that program with no session, so its address carries a
secret: 32 random bytes (``secrets.token_urlsafe``), of which only the SHA-256 is kept (a
stolen table gives no working address; a token that long needs no slow hash). A user
has one feed at a time: making a new one ends the old, and a disabled user's feed answers
nothing (:mod:`projections.usecases.feeds` asks the ledger on every read). No export,
backup or log carries a token; a restored ledger's users make theirs again.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from ledger.aggregates.access import fold_name

FEEDS = "ragw_feeds"


def create(table: str = FEEDS) -> str:
    """The statement creating the table (named ``table``: an organisation's SQLite
    tables are named with its prefix)."""
    return (
        f"CREATE TABLE IF NOT EXISTS {table} (name TEXT PRIMARY KEY, "
        "token_hash TEXT NOT NULL UNIQUE)"
    )


CREATE = create()
#: A token's length in characters (32 random bytes, URL-safe base64).
TOKEN_LENGTH = 43


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Feeds:
    """The feed tokens of a ledger's store (its recorder, SQLite or PostgreSQL), in a
    table named with the recorder's ``table_prefix`` (an organisation's on SQLite)."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.table = getattr(recorder, "table_prefix", "") + FEEDS
        self.postgres = "postgres" in type(recorder.datastore).__module__
        self._ready = False

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def _create(self) -> None:
        if not self._ready:
            with self.recorder.datastore.transaction(commit=True) as cursor:
                cursor.execute(create(self.table))
            self._ready = True

    def new(self, name: str) -> str:
        """A new feed token for ``name``, which ends the one they had; returned once."""
        self._create()
        token = secrets.token_urlsafe(32)
        with self.recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self._sql(
                    f"INSERT INTO {self.table} (name, token_hash) VALUES (?, ?) ON CONFLICT (name) "
                    "DO UPDATE SET token_hash = excluded.token_hash"
                ),
                (fold_name(name), hashed(token)),
            )
        return token

    def owner_of(self, token: str) -> str | None:
        """The (folded) name whose feed ``token`` is; None for any other string."""
        if len(token) != TOKEN_LENGTH:
            return None
        self._create()
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                self._sql(f"SELECT name FROM {self.table} WHERE token_hash = ?"), (hashed(token),)
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return str(row["name"] if isinstance(row, dict) else row[0])

    def end(self, name: str) -> None:
        self._create()
        with self.recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self._sql(f"DELETE FROM {self.table} WHERE name = ?"), (fold_name(name),)
            )
