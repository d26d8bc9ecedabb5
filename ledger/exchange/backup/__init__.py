"""Backup and restore: the whole history as JSON Lines, and back, unchanged.

Each line is one event: its id, its position in the log, type, key, the date it took
effect, the moment it was recorded, who recorded it, and its payload (:mod:`.lines`).
Restoring checks every line and writes exactly those events, in that order, into an
empty ledger in one transaction, so every read afterwards answers as the original did
(:mod:`.restoring`, replaying the rules with :mod:`.replay`). It is also how a ledger
moves from a SQLite file to PostgreSQL.
"""

from __future__ import annotations

from ledger.exchange.backup.lines import (
    ENVELOPE,
    backup_line,
    backup_lines,
    event_of,
    position_of,
    read_backup,
)
from ledger.exchange.backup.restoring import CLOCK_TOLERANCE, check_digest, restore

__all__ = [
    "CLOCK_TOLERANCE",
    "ENVELOPE",
    "backup_line",
    "backup_lines",
    "check_digest",
    "event_of",
    "position_of",
    "read_backup",
    "restore",
]
