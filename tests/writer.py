"""A writer process for the concurrency tests: WORKER records CHANGES notes on its own
item and on a shared one, re-running a change the ledger refused as a conflict (as a
user re-runs a command), and prints how often it had to."""

from __future__ import annotations

import sys
from datetime import date

from ledger import ConflictError, open_ledger


def main(target: str, worker: str, changes: int) -> None:
    ledger = open_ledger(target, create=False)
    ledger.today = lambda: date(2021, 6, 1)  # type: ignore[method-assign]
    reruns = 0
    for n in range(changes):
        for key in (f"R/{worker}", "R/shared"):
            while True:
                try:
                    ledger.note_progress(key, f"{worker}:{n}", actor=worker, on=date(2021, 1, 1))
                    break
                except ConflictError:
                    reruns += 1
    ledger.close()
    print(reruns)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
