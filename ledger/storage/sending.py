"""One run at a time sends a ledger's reminders.

A run reads which items were reminded today, sends, then records each message the mail
server took; two runs started together (a scheduled run and one by hand) would both
read "not yet", and both send. So a run holds the ledger's sending lock from its first
message to its last record, and a second run that finds it held sends nothing and says
so. On SQLite the lock is an advisory ``flock`` on the ledger's file (separate on Linux
from the byte-range locks SQLite itself takes, so readers and writers are not held up);
on PostgreSQL an advisory lock of the server's, named after the ledger's schema, held
by a connection of its own.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from ledger.errors import ConflictError
from ledger.storage.organisation import schema_of
from ledger.storage.settings import connect, is_postgres

#: What the PostgreSQL advisory lock is named after, with the schema.
_NAME = "ragw-reminders:"


def _busy() -> ConflictError:
    return ConflictError(
        "this ledger's reminders are being sent by another process; nothing was sent by "
        "this one; try again once that has ended (nothing is sent twice in a day)"
    )


@contextmanager
def sending_lock(target: str, org: str | None = None) -> Iterator[None]:
    """Hold the sending lock of the ledger at ``target`` (of organisation ``org``), or
    refuse at once if another run holds it."""
    if is_postgres(target):
        with connect(target, autocommit=True) as connection:
            name = _NAME + (schema_of(org) if org else "public")
            found = connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (name,))
            row = found.fetchone()
            if not row or not row[0]:
                raise _busy()
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))
        return
    descriptor = os.open(target, os.O_RDONLY)  # organisations in one file share it
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy() from None
        yield
    finally:
        os.close(descriptor)  # the lock goes with it
