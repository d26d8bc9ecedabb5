"""Writes that start from a file: a tracker to import, an owner's filled-in update
sheet to apply, an export to restore. Each reads the whole file first (refusing a
file it cannot read, every bad row listed), then records all of it or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.errors import Fix, Hint, InvalidInputError
from ledger.exchange.backup import read_backup
from ledger.exchange.tracker import read_tracker, read_update_sheet

if TYPE_CHECKING:
    from ledger.chain import Digest
    from ledger.exchange.importing import ImportOutcome
    from ledger.exchange.updates import UpdateOutcome
    from projections.usecases.session import LedgerSession


def import_tracker(session: LedgerSession, path: Path, *, on: date | None) -> ImportOutcome:
    """Import the tracker at ``path`` (.csv or .xlsx), each row as at its ``on``
    column, else ``on``, else today."""
    rows = read_tracker(path)
    ledger = session.ledger(write=True)
    with session.progress(len(rows), f"Importing {path.name}") as bar:
        return ledger.import_tracker(
            rows, source=path.name, actor=session.actor, on=on, progress=bar
        )


def apply_update_sheet(
    session: LedgerSession, path: Path, *, on: date | None
) -> tuple[str, UpdateOutcome]:
    """Record the filled-in update sheet at ``path`` as the session's actor's, acting
    for the sheet's owner; whose sheet it was, and what was recorded (and by whom)."""
    owner, rows = read_update_sheet(path)
    ledger = session.ledger(write=True)
    outcome = ledger.apply_updates(rows, source=path.name, owner=owner, actor=session.actor, on=on)
    return owner, outcome


def restore(
    session: LedgerSession, file: str, *, digest: Digest | None = None
) -> tuple[int, Digest | None]:
    """Restore the export ``file`` (.jsonl) into an empty ledger, refusing it unless its
    history gives ``digest`` (when given); how many events, and the restored ledger's
    own digest."""
    path = Path(file)
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        raise InvalidInputError(
            "{file}: restore reads a .jsonl file written by {hint}",
            file=file,
            hint=Hint.to(Fix.EXPORT_BACKUP),
        )
    # Bytes, decoded line by line: a line that is not UTF-8 is a bad line like any other.
    lines = [_utf8(line) for line in path.read_bytes().splitlines()]
    ledger = session.ledger(write=True)
    with session.progress(len(lines), f"Restoring {path.name}") as bar:
        count = ledger.restore_backup(
            read_backup(lines), source=path.name, progress=bar, digest=digest
        )
    return count, ledger.digest()


def _utf8(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd"  # not JSON, so refused naming its line, with nothing written
