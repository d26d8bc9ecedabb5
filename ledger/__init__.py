"""The ledger: the application, its aggregates and rules, and where events are kept.

Names are loaded on first use, so a command that never opens a ledger (``--help``,
``--version``) does not pay for importing the persistence library.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ledger.errors import (
    AlreadyExistsError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    LedgerError,
    LedgerMissingError,
    NotFoundError,
    RuleBrokenError,
)

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.storage.opening import open_ledger

_LAZY = {"Ledger": "ledger.application", "open_ledger": "ledger.storage.opening"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = [
    "AlreadyExistsError",
    "ConflictError",
    "ForbiddenError",
    "InvalidInputError",
    "Ledger",
    "LedgerError",
    "LedgerMissingError",
    "NotFoundError",
    "RuleBrokenError",
    "open_ledger",
]
