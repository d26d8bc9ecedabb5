"""Where events are kept: the settings of a store (a SQLite file or a PostgreSQL
database, and the key that encrypts it), the mapper between events and stored rows,
the recorders that chain every event and hold every write to the ledger's one key
(:mod:`ledger.storage.keycheck`), the batch insert, PostgreSQL's roles, and opening a
ledger.

``open_ledger`` is loaded on first use: it needs the application, which needs this
package's mapper.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ledger.storage.settings import connect, is_postgres, redact, storage_env

if TYPE_CHECKING:
    from ledger.storage.opening import open_ledger


def __getattr__(name: str) -> Any:
    if name == "open_ledger":
        return import_module("ledger.storage.opening").open_ledger
    raise AttributeError(name)


__all__ = ["connect", "is_postgres", "open_ledger", "redact", "storage_env"]
