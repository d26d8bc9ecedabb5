"""An organisation's read model on SQLite, in tables of its own.

Organisations sharing one SQLite file keep their read models side by side, so every
name the model gives the file (tables and indexes alike: SQLite's index names are global
to the file) is named with the organisation's prefix
(:func:`ledger.storage.organisation.table_prefix`). The model's statements name their
tables ``ragw_...`` as they always did; a connection of an organisation renames each such
name as the statement is run, so no statement can reach another organisation's tables or
the single ledger's by forgetting a prefix. A ledger without an organisation connects as
it always did, with nothing renamed.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

#: A name the read model gives: ``ragw_`` at the start of a word (a name already
#: prefixed, ``org_x__ragw_...``, has no word start there and is left as it is).
_NAME = re.compile(r"\bragw_")
#: What SQLite names the index of a table's key with, before the table's name.
_AUTOINDEX = "sqlite_autoindex_"


def prefixed(prefix: str, statement: str) -> str:
    """``statement`` with each name of the read model named with ``prefix``."""
    return _NAME.sub(f"{prefix}ragw_", statement) if prefix else statement


def prefixed_name(prefix: str, name: str) -> str:
    """The name of an object of the read model as the organisation's file holds it: a
    table's or index's, or the index SQLite makes for a table's key (named after it)."""
    head, auto, rest = name.rpartition(_AUTOINDEX)
    if auto and not head:
        return auto + prefixed(prefix, rest)
    return prefixed(prefix, name)


class PrefixedCursor(sqlite3.Cursor):
    """A cursor running each statement with the read model's names prefixed."""

    def execute(self, sql: str, parameters: Any = (), /) -> PrefixedCursor:
        super().execute(prefixed(_prefix(self), sql), parameters)
        return self

    def executemany(self, sql: str, parameters: Any, /) -> PrefixedCursor:
        super().executemany(prefixed(_prefix(self), sql), parameters)
        return self


def _prefix(cursor: sqlite3.Cursor) -> str:
    return str(getattr(cursor.connection, "prefix", ""))


class PrefixedConnection(sqlite3.Connection):
    """A connection whose every cursor is a :class:`PrefixedCursor`."""

    prefix = ""

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or PrefixedCursor)

    # The connection's own shortcuts run statements without a cursor's methods.
    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> Any:
        return self.cursor().executescript(prefixed(self.prefix, script))


def connect(path: str, prefix: str, **options: Any) -> sqlite3.Connection:
    """A connection to the SQLite file at ``path`` (``options`` go to the driver): with
    ``prefix``, one that names the read model's tables with it; without, the driver's."""
    if not prefix:
        return sqlite3.connect(path, **options)
    connection = sqlite3.connect(path, factory=PrefixedConnection, **options)
    connection.prefix = prefix  # type: ignore[attr-defined]
    return connection
