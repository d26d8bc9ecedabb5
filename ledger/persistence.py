"""How events are stored, and where.

Events are pydantic models; the mapper stores ``model_dump(mode="json")`` as JSON and
validates it back on read, upcasting older shapes (``class_version``) on the way, so a
ledger written by an earlier ragw stays readable.
"""

from __future__ import annotations

import binascii
import os
from base64 import b64decode
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from ledger.errors import InvalidInputError, LedgerError

_ENVELOPE = {"originator_id", "originator_version"}


class PydanticMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=self.encode(domain_event),
        )

    def encode_all(self, events: Sequence[DomainEventProtocol[UUID]]) -> list[bytes]:
        """:meth:`encode` for many events: when there is nothing to upcast, compress or
        encrypt, straight from pydantic's serializer (the JSON bytes it writes)."""
        kinds = {type(event) for event in events}
        if (
            self.compressor
            or self.cipher
            or any(getattr(kind, "class_version", 1) > 1 for kind in kinds)
        ):
            return [self.encode(event) for event in events]
        # Each kind's serializer looked up once, not once an event.
        to_json = {
            kind: cast(type[BaseModel], kind).__pydantic_serializer__.to_json for kind in kinds
        }
        return [to_json[type(event)](event, exclude=_ENVELOPE) for event in events]

    def encode(self, domain_event: DomainEventProtocol[UUID]) -> bytes:
        """The stored state of an event: its fields but the envelope, as JSON,
        compressed and encrypted when the application is configured to."""
        model = cast(BaseModel, domain_event)
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state: dict[str, Any] = model.model_dump(mode="json", exclude=_ENVELOPE)
            state["class_version"] = class_version
            stored = self.transcoder.encode(state)
        else:  # the same compact JSON the transcoder writes, in half the time
            stored = model.model_dump_json(exclude=_ENVELOPE).encode()
        if self.compressor:
            stored = self.compressor.compress(stored)
        if self.cipher:
            stored = self.cipher.encrypt(stored)
        return stored

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            state: dict[str, Any] = self.transcoder.decode(data)
        except Exception as error:  # unreadable: say why, in the user's terms
            raise LedgerError(self._unreadable()) from error
        cls = resolve_topic(stored_event.topic)
        version = state.pop("class_version", 1)
        while version < getattr(cls, "class_version", 1):
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
        return cast(
            DomainEventProtocol[UUID],
            cls(
                originator_id=stored_event.originator_id,
                originator_version=stored_event.originator_version,
                **state,
            ),
        )

    def _unreadable(self) -> str:
        if self.cipher:
            return (
                f"the ledger's events cannot be decrypted with the key in {KEY_VARIABLE}: "
                "it is not this ledger's key, or this ledger is not encrypted (then unset "
                f"{KEY_VARIABLE})"
            )
        return (
            f"the ledger's events are encrypted (or damaged); set {KEY_VARIABLE} to its "
            "key, and run `ragw verify` to check nothing was altered"
        )


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


#: Where the key of an encrypted ledger comes from: never a flag, never a file of ours.
KEY_VARIABLE = "RAGW_ENCRYPTION_KEY"


def encryption_env() -> dict[str, str]:
    """The settings that encrypt every event's stored state with AES-GCM (the library's
    cipher), when ``RAGW_ENCRYPTION_KEY`` holds a key; none otherwise."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        return {}
    try:
        size = len(b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = 0
    if size not in (16, 24, 32):
        raise InvalidInputError(
            f"{KEY_VARIABLE} is not an encryption key (base64 of 16, 24 or 32 bytes); make "
            "one with `ragw admin new-key` and keep it safe: without it nothing can be read"
        )
    return {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": key}


def storage_env(target: str) -> dict[str, str]:
    """The eventsourcing settings for a ``--db`` target: a SQLite path or a URL."""
    return {**_store_env(target), **encryption_env()}


def _store_env(target: str) -> dict[str, str]:
    if is_postgres(target):
        url = urlsplit(target)
        dbname = url.path.lstrip("/")
        if not dbname or not url.hostname:
            raise InvalidInputError(
                f"{redact(target)} is not a complete PostgreSQL URL; "
                "write postgresql://user:password@host:5432/dbname"
            )
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(dbname),
            "POSTGRES_HOST": url.hostname,
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or ""),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "10",
            # Writers wait for a moment instead of failing at once on a busy table.
            "POSTGRES_LOCK_TIMEOUT": "30",
            # Its recorder links every event into the chain (tamper evidence).
            "APPLICATION_RECORDER_TOPIC": "ledger.recorders_postgres:ChainedPostgresRecorder",
        }
        return env
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(Path(target)),
        # Concurrent writers queue for the file's lock rather than failing at once.
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorders:ChainedSQLiteRecorder",
    }


def redact(target: str) -> str:
    """A target fit to print: never a password."""
    if not is_postgres(target):
        return target
    url = urlsplit(target)
    if url.password is None:
        return target
    netloc = f"{url.username}:***@{url.hostname}" + (f":{url.port}" if url.port else "")
    return url._replace(netloc=netloc).geturl()
