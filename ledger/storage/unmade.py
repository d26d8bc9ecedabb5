"""Undoing the creation of a SQLite ledger file by a command that was then refused: the
file goes only while it holds no event and no other connection has it open.

A refused command writes nothing, so a file it created for its write holds no event of
its own; but another command may have opened the new file meanwhile and recorded there
(its write acknowledged), and removing the file then would lose that write. So the file
is first taken out of WAL mode, which SQLite allows only while no other connection has
it open, then held under an exclusive lock while its events' tables are counted; only
if every one is empty are the file and its companions removed, still under that lock.
The one case left is a connection opened in the instant between the switch and the
removal that has not yet read anything: SQLite gives no sign of those."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

#: The files SQLite keeps beside a database.
COMPANIONS = ("-wal", "-shm", "-journal")


def remove_if_unused(path: Path) -> bool:
    """Remove the ledger file ``path`` (and its companions) if it holds no event and no
    other connection has it open; return whether it was removed."""
    if path.is_symlink():  # the user's link, and what it points to, stay as they are
        return False
    if not path.exists():
        _remove_companions(path)
        return True
    try:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        # out of WAL mode only with no other connection open: one is, so the file stays
        if connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0].lower() != "delete":
            return False
        connection.execute("BEGIN EXCLUSIVE")
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
            if name.endswith("stored_events")  # a ledger's, or an organisation's
        ]
        for table in tables:
            if connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
                connection.execute("ROLLBACK")
                connection.execute("PRAGMA journal_mode=WAL")
                return False
        with contextlib.suppress(OSError):
            path.unlink()
        _remove_companions(path)
        return True
    except sqlite3.Error:  # locked by another connection, or not a database after all
        return False
    finally:
        connection.close()


def _remove_companions(path: Path) -> None:
    for suffix in COMPANIONS:
        with contextlib.suppress(OSError):  # never made: its folder cannot hold it
            Path(f"{path}{suffix}").unlink(missing_ok=True)
