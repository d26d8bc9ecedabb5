"""One key per ledger: the store records whether its events are encrypted and, if they
are, a check value of the key (never the key), and every write is held to that record
inside the transaction that inserts its events, so a write without the key, with
another key, or with a key to a ledger kept in clear is refused and writes nothing.

The record is one row of its own table beside the events and the chain, written by
the ledger's first write: by the settings of that write on an empty ledger, or, on a
ledger written before the record existed, by what its first and last events are (JSON
in clear, or ciphertext that decrypts under the key of the write); a ledger whose
events disagree with the write refuses it instead.

The check value is an HMAC-SHA256 of a fixed label under the key: deterministic, so it
is compared (in constant time) without decrypting anything; a pseudo-random function of
the key, so it tells nothing of the key; and independent of the cipher's byte layout.
(An encryption of the label by the cipher would do as well, but its random nonce makes
each one different, so checking it means a decryption on every write.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import b64decode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.errors import Field, Fix, Hint, KeyRefusedError

TABLE = "ragw_key"


def create_key(table: str = TABLE) -> str:
    """The statement creating the record's table (named ``table``: an organisation's
    SQLite tables are named with its prefix)."""
    return (
        f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "encrypted BOOLEAN NOT NULL, key_check TEXT)"
    )


CREATE = create_key()
#: What the check value is the HMAC of; changing it makes every recorded key "another key".
LABEL = b"ragw: the key of this ledger"
#: A position past every event: "before" it, every event already stored.
EVERY = 2**63 - 1

_KEY = Field.ENCRYPTION_KEY
NEEDS_KEY = (
    "this ledger is encrypted and {key} is not set; nothing was recorded; set {key} to its key"
)
WRONG_KEY = (
    "the key in {key} is not this ledger's key; nothing was recorded; set {key} to the key "
    "this ledger is encrypted with"
)
NOT_ENCRYPTED = (
    "this ledger is not encrypted, but {key} is set; nothing was recorded; unset {key} to "
    "write to it"
)
ALTERED = (
    "this ledger's record of its encryption says its events are {said}, but its "
    "{which} stored event is {found}: the record has been altered since; nothing was "
    "recorded; its owner must write the record again as the events show it"
)
NO_RECORD = (
    "this ledger keeps no record of its encryption yet, and this login may not create "
    "it; nothing was recorded; {hint} (it creates the record's table)"
)


def key_check(key: str) -> str:
    """The check value recorded for ``key`` (base64, as the settings hold it)."""
    digest = hmac.new(b64decode(key), LABEL, hashlib.sha256).hexdigest()
    return f"hmac-sha256:{digest}"


@dataclass(frozen=True)
class WriteKey:
    """The key a write comes with: its check value (None: no key) and the cipher's
    decryption, which tells whether an event already stored is encrypted under it."""

    check: str | None = None
    decrypt: Callable[[bytes], object] | None = None

    @classmethod
    def of(cls, key: str | None, cipher: Any) -> WriteKey:
        """From the storage settings' key and the cipher made of it (both None, or both
        given)."""
        if not key or cipher is None:
            return cls()
        return cls(key_check(key), cipher.decrypt)

    def decrypts(self, state: bytes) -> bool:
        if self.decrypt is None:
            return False
        try:
            self.decrypt(state)
        except Exception:  # the cipher raises what its library raises: not this key
            return False
        return True


def hold_reading(ledger: Any, *, even_without_key: bool = True) -> None:
    """Refuse (:class:`KeyRefusedError`, in the words a write's refusal uses) reading
    ``ledger``, opened with its settings' key, unless that key is the ledger's own (none
    for a ledger kept in clear); once for the ledger opened. A ledger whose recorder
    keeps no record (one in memory) holds nothing. Not ``even_without_key``: a reader
    that came with no key is let through (it reads what needs none: ``verify``'s chain),
    one that came with a key is held to it."""
    recorder = ledger.recorder
    guard: KeyGuard | None = getattr(recorder, "key_guard", None)
    if guard is not None and (even_without_key or guard.key.check is not None):
        guard.hold_reader(recorder.datastore)


def lacks_key(ledger: Any) -> bool:
    """Whether ``ledger`` was opened without a key and is encrypted, as its record of its
    encryption says, or with no record yet its first event: never as anything derived
    from it (a read model's mark of its seal) says. False for a ledger with neither, or
    one whose recorder keeps no record (one in memory)."""
    recorder = ledger.recorder
    guard: KeyGuard | None = getattr(recorder, "key_guard", None)
    if guard is None or guard.key.check is not None:
        return False
    with recorder.datastore.transaction(commit=True) as cursor:
        return guard.says_encrypted(cursor)


def _row(row: Any) -> list[Any]:
    """A fetched row's values in order, whichever row factory the connection uses."""
    if row is None:
        return []
    return list(row.values()) if isinstance(row, dict) else list(row)


def _in_clear(state: bytes) -> bool:
    """Whether a stored state is an event's fields in clear (a JSON object)."""
    try:
        return isinstance(json.loads(state), dict)
    except ValueError:  # UnicodeDecodeError too: ciphertext is not text
        return False


class KeyGuard:
    """Holds every write to the ledger's record of its key, inside its transaction. The
    record is kept in ``table``: :data:`TABLE`, or an organisation's own on SQLite."""

    def __init__(
        self, events_table: str, *, postgres: bool, key: WriteKey, table: str = TABLE
    ) -> None:
        mark = "%s" if postgres else "?"
        position = "notification_id" if postgres else "rowid"
        self.key = key
        #: Whether a reader of this recorder was held to the ledger's record of its key
        #: (:meth:`hold_reader`): the record is written once, by the ledger's first write.
        self.reader_held = False
        self.postgres = postgres
        self.events_table = events_table
        self.table = table
        self.create = create_key(table)
        self.select = f"SELECT encrypted, key_check FROM {table} WHERE id = 1"
        self.insert = f"INSERT INTO {table} (id, encrypted, key_check) VALUES (1, {mark}, {mark})"
        earlier = f"SELECT state FROM {events_table} WHERE {position} < {mark} ORDER BY {position}"
        self.earliest = f"{earlier} LIMIT 1"
        self.latest = f"{earlier} DESC LIMIT 1"

    def check(self, cursor: Any, before: int = EVERY) -> None:
        """Refuse (:class:`KeyRefusedError`) a write whose key is not the ledger's, in the
        transaction that writes it, holding the store's write lock; the first write
        records the ledger's encryption, decided by the events stored before position
        ``before`` (the write's own events, when already inserted, come after it)."""
        if not self._table(cursor):
            raise KeyRefusedError(NO_RECORD, hint=Hint.to(Fix.INIT_ROLES))
        cursor.execute(self.select)
        row = cursor.fetchone()
        if row is not None:
            self._compare(bool(row[0]), row[1])
            # The record itself is a row anyone who can write the file can edit: held to
            # the last event stored, which costs one row (and one decryption) a write.
            cursor.execute(self.latest, (before,))
            found = cursor.fetchone()
            if found is not None:
                self._agrees(bool(row[0]), bytes(found[0]), "last")
            return
        for statement in (self.earliest, self.latest):
            cursor.execute(statement, (before,))
            found = cursor.fetchone()
            if found is not None:
                self._compare_stored(bytes(found[0]))
        cursor.execute(self.insert, (self.key.check is not None, self.key.check))

    def check_reading(self, cursor: Any) -> bool:
        """Refuse (:class:`KeyRefusedError`) a session reading the ledger (its events, or
        its read model) without the ledger's key, with another, or with one for a ledger
        in clear: its record of its encryption, or with none yet its first event, against
        this session's key. A model alone is no proof of what the ledger is: one forged
        in clear beside an encrypted ledger would otherwise be read as its own. Whether
        the ledger said what it is (False: no record and no event, nothing to read yet)."""
        said = self._said(cursor)
        if said is None:
            return False
        encrypted, check, first = said
        if first is None:
            self._compare(encrypted, check)
        else:
            self._compare_stored(first)
        return True

    def says_encrypted(self, cursor: Any) -> bool:
        """Whether the ledger says its events are encrypted (:meth:`_said`; False when
        it says nothing yet)."""
        said = self._said(cursor)
        return said is not None and said[0]

    def _said(self, cursor: Any) -> tuple[bool, str | None, bytes | None] | None:
        """What the ledger says it is, read in one place for every reader: its record of
        its encryption (encrypted, the key's check value), or with no record yet its
        first stored event (encrypted unless it is in clear, and the event's stored
        state, against which a key is tried); None when it holds neither."""
        row = self._record(cursor)
        if row:
            return bool(row[0]), row[1], None
        cursor.execute(self.earliest, (EVERY,))
        stored = _row(cursor.fetchone())
        if not stored:
            return None
        state = bytes(stored[0])
        return not _in_clear(state), None, state

    def hold_reader(self, datastore: Any) -> None:
        """:meth:`check_reading` in a transaction of its own, once for this recorder's
        life (a web worker keeps its ledger open across requests: it is held once, not
        on every request); a ledger that said nothing yet of what it is is asked again."""
        if self.reader_held:
            return
        # committed, not rolled back: a statement the driver prepared in a rolled back
        # transaction is gone from the server while the driver still counts it
        with datastore.transaction(commit=True) as cursor:
            self.reader_held = self.check_reading(cursor)

    def _record(self, cursor: Any) -> list[Any]:
        """The record of the ledger's encryption (encrypted, key check), read without
        creating its table: empty when there is none."""
        if self.postgres:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (self.table,))
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (self.table,)
            )
        found = _row(cursor.fetchone())
        if not found or not found[0]:
            return []
        cursor.execute(self.select)
        return _row(cursor.fetchone())

    def _table(self, cursor: Any) -> bool:
        """Whether the record's table is there, creating it if this login may: on SQLite
        whoever writes the file; on PostgreSQL the owner of the event tables alone (a
        writer's login creates nothing, and ``ragw admin init-roles`` creates it)."""
        if not self.postgres:
            cursor.execute(self.create)
            return True
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL, pg_has_role(relowner, 'USAGE') "
            "FROM pg_class WHERE oid = to_regclass(%s)",
            (self.table, self.events_table),
        )
        exists, owner = cursor.fetchone()
        if not exists and owner:
            cursor.execute(self.create)
        return bool(exists or owner)

    def _compare(self, encrypted: bool, check: str | None) -> None:
        given = self.key.check
        if encrypted and given is None:
            raise KeyRefusedError(NEEDS_KEY, key=_KEY)
        if not encrypted and given is not None:
            raise KeyRefusedError(NOT_ENCRYPTED, key=_KEY)
        if encrypted and not hmac.compare_digest(str(check), str(given)):
            raise KeyRefusedError(WRONG_KEY, key=_KEY)

    def disagreement(self, cursor: Any) -> str | None:
        """How the record disagrees with the first or last stored event (one in clear
        where the record says encrypted, or ciphertext where it says in clear), or with
        the key of this session when its events decrypt under it; None when it agrees, or
        there is no record or no event."""
        row = self._record(cursor)
        if not row:
            return None
        encrypted, check = bool(row[0]), row[1]
        for which, statement in (("first", self.earliest), ("last", self.latest)):
            cursor.execute(statement, (EVERY,))
            stored = _row(cursor.fetchone())
            if not stored:
                continue
            state = bytes(stored[0])
            if encrypted == _in_clear(state):
                return (
                    f"the ledger's record of its encryption says its events are "
                    f"{'encrypted' if encrypted else 'in clear'}, but its {which} stored "
                    f"event is {'in clear' if encrypted else 'encrypted'}"
                )
            given = self.key.check
            decrypts = encrypted and given and self.key.decrypts(state)
            if decrypts and not hmac.compare_digest(str(check), str(given)):
                return (
                    "the ledger's record of its encryption holds the check value of "
                    "another key than the one its events are encrypted with"
                )
        return None

    def _agrees(self, encrypted: bool, state: bytes, which: str) -> None:
        """Refuse unless the record (``encrypted``) agrees with a stored event's form."""
        clear = _in_clear(state)
        if encrypted == clear:
            raise KeyRefusedError(
                ALTERED,
                said="encrypted" if encrypted else "in clear",
                which=which,
                found="in clear" if clear else "encrypted",
            )
        if encrypted and self.key.decrypt is not None and not self.key.decrypts(state):
            raise KeyRefusedError(WRONG_KEY, key=_KEY)

    def _compare_stored(self, state: bytes) -> None:
        """A ledger with events and no record yet: its events say what it is."""
        if _in_clear(state):
            self._compare(False, None)
        elif self.key.check is None:
            raise KeyRefusedError(NEEDS_KEY, key=_KEY)
        elif not self.key.decrypts(state):
            raise KeyRefusedError(WRONG_KEY, key=_KEY)
