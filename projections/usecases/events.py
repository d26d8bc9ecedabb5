"""The events themselves: one item's history, the whole log, and the export of every
event that a restore reads back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


def backup(session: LedgerSession) -> Backup:
    """Every event with its id, type, key, on, recorded_at, actor and payload."""
    ledger = session.ledger(write=False)
    total = ledger.last_position()
    digest = ledger.digest()
    lines = backup_lines(ledger.read_log())
    return Backup(str(digest) if digest else None, total, iter(lines))
