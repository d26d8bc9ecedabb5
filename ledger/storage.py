"""Opening a ledger on a SQLite file or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from ledger.application import Ledger
from ledger.errors import LedgerError, LedgerMissingError
from ledger.persistence import is_postgres, redact, storage_env


def open_ledger(target: str, *, create: bool) -> Ledger:
    """Open the ledger at ``target``; a missing SQLite file is created only if ``create``."""
    env = storage_env(target)
    if not is_postgres(target):
        path = Path(target)
        if not path.exists():
            if not create:
                raise LedgerMissingError(
                    f"no ledger at {target}; record something first (e.g. `ragw report "
                    "add`), or point --db / RAGW_DB at an existing ledger"
                )
            if not path.parent.exists():
                raise LedgerError(
                    f"cannot create the ledger {target}: folder {path.parent} does not exist"
                )
        elif path.is_dir():
            raise LedgerError(f"{target} is a folder; --db takes a file or a postgresql:// URL")
    try:
        return Ledger(env=env)
    except Exception as error:  # the drivers raise many kinds; say which store failed
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise LedgerError(
            f"cannot open the ledger at {redact(target)}: {type(error).__name__}"
            + (f": {first_line}" if first_line else "")
        ) from error
