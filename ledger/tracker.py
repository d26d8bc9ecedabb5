"""Kept so that older imports work: see :mod:`ledger.exchange.tracker`."""

from __future__ import annotations

from ledger.exchange.tracker import (
    ALIASES,
    COLUMNS,
    IGNORED,
    OPTIONAL,
    REQUIRED,
    TrackerRow,
    read_tracker,
    read_update_sheet,
    rows_of,
)

__all__ = [
    "ALIASES",
    "COLUMNS",
    "IGNORED",
    "OPTIONAL",
    "REQUIRED",
    "TrackerRow",
    "read_tracker",
    "read_update_sheet",
    "rows_of",
]
