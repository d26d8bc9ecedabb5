"""Where a ledger is kept, as settings: a SQLite path or a PostgreSQL URL, and the key
that encrypts its events. Every setting arrives as an argument (the front end reads
its own configuration); nothing here reads the environment."""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.utils import Environment

from ledger.errors import Field, Fix, Hint, InvalidInputError
from ledger.storage.organisation import check_org, schema_of, search_path_option, table_prefix

#: The application's name, which the library prefixes its settings with.
APPLICATION = "ragw"


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


#: The library's other settings of how events are stored and read, given as ragw wants
#: them so the environment cannot: a stray ``COMPRESSOR_TOPIC`` recorded events no read
#: could open (the ledger then mixed compressed and plain ones), a stray cipher
#: encrypted a ledger under a key nobody gave ragw, a transcoder or stream id type of
#: its own wrote events in another form, snapshots would answer reads from other than
#: the log, ``CREATE_TABLE=no`` left a new ledger's file without its tables (a
#: traceback, then an empty ledger), a cache of its own size or none moved the speed
#: ragw is measured at. A ledger whose tables exist is opened without creating them
#: (:func:`ledger.storage.opening.open_ledger`).
PINNED = {
    "COMPRESSOR_TOPIC": "",
    "TRANSCODER_TOPIC": "",
    "IS_SNAPSHOTTING_ENABLED": "no",
    "AGGREGATE_CACHE_MAXSIZE": "1000",
    # the cache hands out copies brought up to date, as the library's defaults do: a
    # cached aggregate changed in place by a refused change would be saved later
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
    "AGGREGATE_CACHE_FASTFORWARD": "y",
    "AGGREGATE_CACHE_FASTFORWARD_SKIPPING": "n",
    "POSTGRES_GET_PASSWORD_TOPIC": "",
    "ORIGINATOR_ID_TYPE": "uuid",
    "CREATE_TABLE": "true",
}


def both_names(settings: dict[str, str]) -> dict[str, str]:
    """``settings`` under both the names the library reads each by: prefixed with the
    application's name (read first), and not."""
    named = Environment(APPLICATION)
    return {key: value for name, value in settings.items() for key in named.create_keys(name)}


def encryption_env(key: str | None) -> dict[str, str]:
    """The settings that encrypt every event's stored state with AES-GCM (the library's
    cipher) under ``key``; without a key, no cipher at all, whatever the environment
    says."""
    key = (key or "").strip()
    if not key:
        return {"CIPHER_TOPIC": "", "CIPHER_KEY": ""}
    try:
        size = len(b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = 0
    if size not in (16, 24, 32):
        raise InvalidInputError(
            "{key} is not an encryption key (base64 of 16, 24 or 32 bytes); make one with "
            "{hint} and keep it safe: without it nothing can be read",
            key=Field.ENCRYPTION_KEY,
            hint=Hint.to(Fix.NEW_KEY),
        )
    return {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": key}


def storage_env(
    target: str, encryption_key: str | None = None, org: str | None = None
) -> dict[str, str]:
    """The eventsourcing settings for a target (a SQLite path or a URL), encrypted
    under ``encryption_key`` when one is given, for organisation ``org`` when one is
    given (:mod:`ledger.storage.organisation`).

    The library adds the process's environment to these and reads a setting under the
    application's prefixed name first; each is given under both names, so a stray
    variable (a prefixed table prefix, schema or file name) can never send the events
    one way while the read model, which reads these settings alone, goes another; and
    the library's other settings are given too (:data:`PINNED`), stream ids as the
    store keeps them among them (the chain links the id the store holds)."""
    return both_names(
        {**PINNED, **_store_env(target), **encryption_env(encryption_key), **org_env(target, org)}
    )


def org_env(target: str, org: str | None) -> dict[str, str]:
    """The settings that keep a ledger in organisation ``org``'s schema (PostgreSQL) or
    tables (SQLite), or, without one, in the single ledger's: given either way, so none
    is left for the environment to fill."""
    settings = {"ORGANISATION": check_org(org) if org else ""}
    if is_postgres(target):
        settings["POSTGRES_SCHEMA"] = schema_of(org) if org else "public"
    else:
        settings["SQLITE_TABLE_PREFIX"] = table_prefix(org)
    return settings


def _store_env(target: str) -> dict[str, str]:
    if is_postgres(target):
        try:
            url = urlsplit(target)
            port = url.port or 5432
        except ValueError as error:  # a port past 65535, an unclosed [IPv6 address
            raise InvalidInputError(
                "{target} is not a PostgreSQL URL ({why}); "
                "write postgresql://user:password@host:5432/dbname",
                target=redact(target),
                why=str(error),
            ) from None
        dbname = url.path.lstrip("/")
        if not dbname or not url.hostname:
            raise InvalidInputError(
                f"{redact(target)} is not a complete PostgreSQL URL; "
                "write postgresql://user:password@host:5432/dbname"
            )
        env = {
            # Its factory tells the recorder the key, to hold each write to the ledger's.
            "PERSISTENCE_MODULE": "ledger.storage.postgres:KeyedPostgresFactory",
            "POSTGRES_DBNAME": unquote(dbname),
            "POSTGRES_HOST": url.hostname,
            "POSTGRES_PORT": str(port),
            "POSTGRES_USER": unquote(url.username or ""),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "10",
            # Writers wait for a moment instead of failing at once on a busy table.
            "POSTGRES_LOCK_TIMEOUT": "30",
            # Its recorder links every event into the chain (tamper evidence).
            "APPLICATION_RECORDER_TOPIC": "ledger.storage.postgres:ChainedPostgresRecorder",
        }
        return env
    return {
        # Its factory tells the recorder the key, to hold each write to the ledger's.
        "PERSISTENCE_MODULE": "ledger.storage.sqlite:KeyedSQLiteFactory",
        "SQLITE_DBNAME": str(Path(target)),
        # Concurrent writers queue for the file's lock rather than failing at once.
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": "ledger.storage.sqlite:ChainedSQLiteRecorder",
    }


def login_of(target: str) -> str:
    """The database login a PostgreSQL URL connects as."""
    return _store_env(target)["POSTGRES_USER"]


def open_connection(target: str, *, org: str | None = None, **options: Any) -> Any:
    """A new psycopg connection to the PostgreSQL database at ``target``, as the login
    of the URL (``options`` go to the driver, e.g. ``autocommit=True``): the one place
    ragw connects to PostgreSQL other than through the event store. For organisation
    ``org``, its schema alone is on the connection's search path."""
    import psycopg

    env = _store_env(target)
    if org:
        options["options"] = search_path_option(org)
    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        **options,
    )


@contextmanager
def connect(target: str, **options: Any) -> Iterator[Any]:
    """:func:`open_connection`, closed at the end of the block."""
    with open_connection(target, **options) as connection:
        yield connection


def redact(target: str) -> str:
    """A target fit to print: never a password."""
    if not is_postgres(target):
        return target
    try:
        url = urlsplit(target)
        if url.password is None:
            return target
        netloc = f"{url.username}:***@{url.hostname}" + (f":{url.port}" if url.port else "")
    except ValueError:  # not a URL that can be taken apart: show none of it
        return "postgresql://***"
    return url._replace(netloc=netloc).geturl()


def refused_by_the_server(error: BaseException | None) -> bool:
    """Whether the database server refused the login a privilege (the event store's
    library wraps the driver's error in one of its own, so its causes are looked at)."""
    seen = 0
    while error is not None and seen < 5:
        # the driver's own, or the library's wrapping it, or a refusal that names it
        if type(error).__name__ == "InsufficientPrivilege" or "permission denied" in str(error):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False
