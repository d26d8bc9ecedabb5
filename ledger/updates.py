"""Kept so that older imports work: see :mod:`ledger.exchange.updates`."""

from __future__ import annotations

from ledger.exchange.updates import (
    FILLED,
    OWNER_STATUSES,
    SHOWN,
    SheetRules,
    UpdateOutcome,
    UpdateRow,
    apply_updates,
)

__all__ = [
    "FILLED",
    "OWNER_STATUSES",
    "SHOWN",
    "SheetRules",
    "UpdateOutcome",
    "UpdateRow",
    "apply_updates",
]
