"""``python -m benchmarks.catch_up_floor --events N [--json]``: how fast any catch-up of
the read model's present layout could be, on SQLite, against the recording of the same
register (``catch_up_vs_recording``, goal >= 0.33).

Two floors, each measured in the same run as the recording and the catch-up:
- ``decode``: reading every notification a page at a time and decoding its event, which
  any follower must do, deriving and writing nothing;
- ``model_rows``: the rows the catch-up wrote (every table of the model), read back and
  inserted raw into empty tables of the same definitions, one ``executemany`` a table in
  one transaction, with the model's own settings (WAL, ``synchronous = NORMAL``, its
  cache): the database's cost of the model's bytes alone, with no Python work at all.

``best_catch_up_vs_recording`` = recording / (decode + model_rows): the ratio a catch-up
would reach if deriving the rows cost nothing and they were written as fast as raw
inserts. Below the goal, no tuning of the follower can meet it: the model must store
fewer bytes an event (``model_bytes_an_event``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.__main__ import build_register, parser_of, timed
from projections.store.follower import PAGE
from projections.store.schema import TABLES


def decode_seconds(target: str) -> float:
    """Every notification of ``target``'s log read and decoded a page at a time."""
    from ledger import open_ledger

    ledger = open_ledger(target, create=False)

    def decode() -> None:
        position = 0
        to_event = ledger.mapper.to_domain_event
        while found := ledger.recorder.select_notifications(start=position + 1, limit=PAGE):
            for notification in found:
                to_event(notification)
            position = found[-1].id

    try:
        return timed(decode)
    finally:
        ledger.close()


def model_rows_seconds(target: str, folder: Path) -> tuple[float, int]:
    """The model's rows of ``target`` inserted raw into empty tables of the same
    definitions (indexes included); and the model's size in bytes, as its pages."""
    source = sqlite3.connect(target)
    names = ", ".join(f"'{table}'" for table in TABLES)
    definitions = [
        sql
        for (sql,) in source.execute(
            f"SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN ({names}) "
            "ORDER BY type DESC"  # tables before their indexes
        )
    ]
    rows = {table: source.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES}
    size = sum(
        source.execute(
            "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN "
            f"(SELECT name FROM sqlite_master WHERE tbl_name IN ({names}))"
        ).fetchone()
    )
    source.close()
    raw = sqlite3.connect(folder / "raw-model.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("PRAGMA cache_size = -65536")
    for definition in definitions:
        raw.execute(definition)

    def insert() -> None:
        raw.execute("BEGIN")
        for table, found in rows.items():
            if found:
                marks = ", ".join("?" * len(found[0]))
                raw.executemany(f"INSERT INTO {table} VALUES ({marks})", found)
        raw.execute("COMMIT")

    try:
        return timed(insert), int(size)
    finally:
        raw.close()


def measure_floor(events: int, folder: Path) -> dict[str, Any]:
    from ledger import open_ledger
    from projections.store import TimelineStore

    pristine = str(folder / "register.db")
    recording = build_register(pristine, events)
    target = str(folder / "followed.db")
    shutil.copy(pristine, target)
    ledger = open_ledger(target, create=False)
    store = TimelineStore(ledger, target)
    catch_up = timed(store.catch_up)
    stored = ledger.last_position()
    store.close()
    ledger.close()
    decode = decode_seconds(pristine)
    model_rows, size = model_rows_seconds(target, folder)
    return {
        "catch_up_vs_recording": round(recording / catch_up, 3),
        "best_catch_up_vs_recording": round(recording / (decode + model_rows), 3),
        "model_bytes_an_event": round(size / stored),
        "events": stored,
        "seconds": {
            "recording": round(recording, 3),
            "catch_up": round(catch_up, 3),
            "decode": round(decode, 3),
            "model_rows": round(model_rows, 3),
        },
    }


def main() -> None:
    options = parser_of("python -m benchmarks.catch_up_floor", __doc__, 50_000).parse_args()
    print(f"recording a register of about {options.events} events ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ragw-floor-") as folder:
        results = measure_floor(options.events, Path(folder))
    if options.json:
        print(json.dumps(results, indent=2))
        return
    for name in ("catch_up_vs_recording", "best_catch_up_vs_recording", "model_bytes_an_event"):
        print(f"{name:28} {results[name]:>10}")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in results["seconds"].items()))
    print(f"({results['events']} events)")


if __name__ == "__main__":
    main()
