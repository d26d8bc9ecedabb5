"""The events themselves: one item's history, the whole log, and the export of every
event that a restore reads back (of an encrypted ledger, only when asked for in clear)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.errors import Fix, Hint, RuleBrokenError
from ledger.exchange.backup import backup_lines
from ledger.state import fold_item
from projections.log import records_of

if TYPE_CHECKING:
    from ledger.state import ItemState
    from projections.log import EventRecord
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class ItemHistory:
    key: str
    #: Every event of the item, in the order recorded, corrections included.
    records: list[EventRecord]
    #: The item as it stands now (None if its events say nothing yet).
    state: ItemState | None


def history(session: LedgerSession, key: str) -> ItemHistory:
    """Every event of the item ``key``; refuses a key the ledger does not hold."""
    item = session.ledger(write=False).get_recommendation(key)
    # the item's own stream: no scan of the whole log
    return ItemHistory(item.key, records_of(item.history), fold_item(item.history))


def log(session: LedgerSession) -> list[EventRecord]:
    """Every event in the ledger, in the order recorded."""
    return records_of(event for _, event in session.ledger(write=False).read_log())


@dataclass(frozen=True)
class Backup:
    """Every event as one JSON object a line, read as written out."""

    #: The ledger's digest before reading: the export holds at least this history.
    digest: str | None
    #: About how many events there are (for a progress bar).
    total: int
    lines: Iterator[dict[str, Any]]


def in_clear(session: LedgerSession, what: str, *, plaintext: bool) -> None:
    """Refuse to copy an encrypted ledger's ``what`` (its events, its board) into a file
    in clear unless ``plaintext`` asks for it: the copy would hold what the key keeps
    from whoever reads the store, in a file the key no longer guards."""
    if session.ledger(write=False).encrypted and not plaintext:
        raise RuleBrokenError(
            "this ledger is encrypted, and the export would write {what} in clear; nothing "
            "was written; {hint} to write it in clear all the same, and keep the file as "
            "safe as the key",
            what=what,
            hint=Hint.to(Fix.EXPORT_IN_CLEAR),
        )


def backup(session: LedgerSession, *, plaintext: bool = False) -> Backup:
    """Every event with its id, type, key, on, recorded_at, actor and payload; of an
    encrypted ledger, only with ``plaintext`` (:func:`in_clear`)."""
    in_clear(session, "its events", plaintext=plaintext)
    ledger = session.ledger(write=False)
    total = ledger.last_position()
    digest = ledger.digest()
    lines = backup_lines(ledger.read_log())
    return Backup(str(digest) if digest else None, total, iter(lines))
