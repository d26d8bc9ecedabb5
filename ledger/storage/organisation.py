"""Organisations sharing one store: each force, police and crime commissioner,
inspectorate or fire service keeps its own ledger beside the others'.

On PostgreSQL an organisation's events, chain and read model live in a schema of its own
(``org_<code>``): the library qualifies its tables with ``POSTGRES_SCHEMA``, and every
connection ragw opens for the organisation has that schema alone on its search path, so
ragw's own statements land there too and a table the organisation lacks is never found
in another's. On SQLite the organisations share the file, each in tables of its own
(named with the prefix ``org_<code>__``). A ledger opened without an organisation is the
single-organisation ledger, its tables named as they always were.
"""

from __future__ import annotations

import re

from ledger.errors import InvalidInputError

#: What an organisation is, as ``ragw org add --kind`` takes it.
KINDS = ("force", "pcc", "inspectorate", "fire", "other")

_CODE = re.compile(r"[A-Z][A-Z0-9]{1,15}")


def check_org(code: str) -> str:
    """An organisation's code as ragw keeps it (capitals), or refused: 2 to 16 letters
    and digits, starting with a letter (it names a schema and tables)."""
    written = code.strip().upper()
    if not _CODE.fullmatch(written):
        raise InvalidInputError(
            "{code!r} is not an organisation code; give 2 to 16 letters and digits starting "
            "with a letter (e.g. WMP, COLP, HMICFRS)",
            code=code,
        )
    return written


def check_kind(kind: str) -> str:
    """An organisation's kind, one of :data:`KINDS` (any case)."""
    written = kind.strip().lower()
    if written not in KINDS:
        raise InvalidInputError(
            "{kind!r} is not a kind of organisation; give one of {kinds}",
            kind=kind,
            kinds=", ".join(KINDS),
        )
    return written


def schema_of(org: str) -> str:
    """The PostgreSQL schema of organisation ``org``."""
    return f"org_{check_org(org).lower()}"


def table_prefix(org: str | None) -> str:
    """What an organisation's SQLite tables are named with; nothing without one."""
    return f"{schema_of(org)}__" if org else ""


def search_path_option(org: str) -> str:
    """The connection option that puts organisation ``org``'s schema, alone, on the
    search path of a PostgreSQL connection."""
    return f"-c search_path={schema_of(org)}"
