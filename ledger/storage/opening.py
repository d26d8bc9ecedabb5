"""Opening a ledger on a SQLite file or a PostgreSQL database.

An organisation's ledger is opened only where the store holds it (its schema and tables
on PostgreSQL, its tables in the SQLite file): opening never creates one by the way, so
a mistyped code is refused rather than given an empty ledger of its own. Only opening
it with ``create`` (adding the organisation) creates it, its schema first on PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ledger.application import Ledger
from ledger.errors import Field, Fix, Hint, LedgerError, LedgerMissingError
from ledger.storage.organisation import check_org, schema_of, table_prefix
from ledger.storage.settings import both_names, connect, is_postgres, redact, storage_env

OPEN_ATTEMPTS = 5


class OrganisationMissingError(LedgerMissingError):
    """The store holds no ledger of the organisation asked for."""

    def __init__(self, target: str, org: str) -> None:
        self.org = org
        self.target = redact(target)
        super().__init__(
            "{target} holds no organisation {org}; add it to the store first",
            target=redact(target),
            org=org,
        )


def open_ledger(
    target: str,
    *,
    create: bool,
    encryption_key: str | None = None,
    org: str | None = None,
) -> Ledger:
    """Open the ledger at ``target``; a missing SQLite file is created only if ``create``.
    With ``encryption_key`` its events are stored (and read) encrypted under that key;
    with ``org``, the ledger of that organisation among others in the store: refused
    (:class:`OrganisationMissingError`) where the store does not hold it, unless
    ``create`` (the organisation being added), which creates it."""
    org = check_org(org) if org else None
    env = storage_env(target, encryption_key, org)
    held = _held(target, org) if org and not create else None
    if org and held == "missing":
        raise OrganisationMissingError(target, org)
    if org and create and is_postgres(target):
        _create_schema(target, org)
    if not is_postgres(target):
        path = Path(target)
        if not path.exists():
            if not create:
                raise LedgerMissingError(
                    "no ledger at {target}; {hint}", target=target, hint=Hint.to(Fix.RECORD_FIRST)
                )
            if not path.parent.exists():
                raise LedgerError(
                    f"cannot create the ledger {target}: folder {path.parent} does not exist"
                )
            _create_private(path)
        elif path.is_dir():
            raise LedgerError(
                "{target} is a folder; {store} takes a file or a postgresql:// URL",
                target=target,
                store=Field.STORE,
            )
        elif not create and path.stat().st_size == 0:  # a read never makes a ledger of it
            raise LedgerMissingError(
                "no ledger at {target} (the file is empty); {hint}",
                target=target,
                hint=Hint.to(Fix.RECORD_FIRST),
            )
    elif held == "tables" or (held is None and _tables_exist(target, org)):
        # a login that may not create tables opens it as it is
        env = {**env, **both_names({"CREATE_TABLE": "false"})}
    failure: Exception | None = None
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            return Ledger(env=env)
        except Exception as error:  # the drivers raise many kinds; say which store failed
            if attempt < OPEN_ATTEMPTS and _concurrent_setup(error):
                time.sleep(0.05 * attempt)  # another process is creating the tables
                continue
            failure = error
            break
    assert failure is not None
    first_line = str(failure).strip().splitlines()[0] if str(failure).strip() else ""
    raise LedgerError(
        f"cannot open the ledger at {redact(target)}: {type(failure).__name__}"
        + (f": {first_line}" if first_line else "")
    ) from failure


def _create_private(path: Path) -> None:
    """Create the ledger's file readable and writable by its owner alone (SQLite gives
    its journal files the same mode): a ledger is evidence, and may hold what a force
    keeps restricted. An empty file is an empty SQLite database."""
    with contextlib.suppress(FileExistsError):  # another writer created it just now
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _concurrent_setup(error: Exception) -> bool:
    """PostgreSQL refuses one of two sessions creating the same tables at once."""
    text = str(error)
    return "concurrently updated" in text or "already exists" in text or "duplicate key" in text


def _held(target: str, org: str) -> str:
    """How the store at ``target`` holds organisation ``org``'s ledger: ``"tables"`` (its
    event tables, in its schema on PostgreSQL, in the file on SQLite), ``"closed"`` (a
    PostgreSQL schema this login may not use: opening it lets the server say so) or
    ``"missing"``."""
    if is_postgres(target):
        return _schema_state(target, org)
    path = Path(target)
    if not path.is_file():
        return "missing"
    import sqlite3

    prefix = table_prefix(org)
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as db:
            names = {
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?",
                    (len(prefix), prefix),
                )
            }
    except sqlite3.Error:
        return "tables"  # not a ledger: opening it says what is wrong
    found = f"{prefix}ragw_chain" in names and any(name.endswith("_events") for name in names)
    return "tables" if found else "missing"


def _schema_state(target: str, org: str) -> str:
    """:func:`_held` on PostgreSQL, asked on one connection of the organisation's."""
    import psycopg

    try:
        with connect(target, org=org, connect_timeout=10) as connection:
            row = connection.execute(
                "SELECT to_regclass('ragw_events') IS NOT NULL "
                "AND to_regclass('ragw_chain') IS NOT NULL, "
                "(SELECT NOT has_schema_privilege(oid, 'USAGE') FROM pg_namespace "
                "WHERE nspname = %s)",
                (schema_of(org),),
            ).fetchone()
    except psycopg.OperationalError as error:  # no server, a wrong password: say so now
        raise _unreachable(target, error) from None
    except psycopg.Error:
        return "tables"  # opening will say what is wrong
    if row and row[0]:
        return "tables"
    return "closed" if row and row[1] else "missing"


def _create_schema(target: str, org: str) -> None:
    """Create organisation ``org``'s schema, as the login of the URL (the store's owner),
    unless it exists: its ledger's tables are created in it next."""
    import psycopg

    try:
        with connect(target, autocommit=True, connect_timeout=10) as connection:
            schema = schema_of(org)
            # a login that may not create schemas still opens one that exists
            if connection.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
            ).fetchone():
                return
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise LedgerError(
            "cannot create organisation {org}'s schema in {target}: {why}",
            org=org,
            target=redact(target),
            why=first_line or type(error).__name__,
        ) from None


def _tables_exist(target: str, org: str | None) -> bool:
    """Whether the PostgreSQL database (the organisation's schema) holds the event tables."""
    import psycopg

    try:
        with connect(target, org=org, connect_timeout=10) as connection:
            row = connection.execute(
                "SELECT to_regclass('ragw_events') IS NOT NULL "
                "AND to_regclass('ragw_chain') IS NOT NULL"
            ).fetchone()
            return bool(row and row[0])
    except psycopg.OperationalError as error:  # no server, a wrong password: say so now
        raise _unreachable(target, error) from None
    except psycopg.Error:
        return False  # opening will say what is wrong


def _unreachable(target: str, error: Exception) -> LedgerError:
    """The refusal of a store that cannot be reached (no server, a wrong password), in
    the first line of the driver's words."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return LedgerError(
        "cannot open the ledger at {target}: {why}",
        target=redact(target),
        why=first_line or type(error).__name__,
    )
