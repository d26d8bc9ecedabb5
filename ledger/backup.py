"""Kept so that older imports work: see :mod:`ledger.exchange.backup`."""

from __future__ import annotations

from ledger.exchange.backup import (
    ENVELOPE,
    backup_line,
    backup_lines,
    event_of,
    read_backup,
    restore,
)

__all__ = ["ENVELOPE", "backup_line", "backup_lines", "event_of", "read_backup", "restore"]
