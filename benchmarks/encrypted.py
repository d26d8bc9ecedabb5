"""``encrypted.as_at_vs_replay``: the same register recorded in an encrypted SQLite
ledger, its read model kept sealed (:mod:`projections.store.sealing`): the naive
replay of the encrypted log (every event decrypted and folded) printing the board as at
the day / the same board, byte for byte, printed from the sealed model (goal >= 50).
The model's catch-up from nothing is reported beside it (no goal)."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

GOALS = {"as_at_vs_replay": (">=", 50.0)}


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _printed(lines: Any, day: date) -> str:
    """What ``ragw board --as-at DAY --format json`` prints of these lines."""
    from cli.render import emit_json_rows

    out, sys.stdout = sys.stdout, io.StringIO()
    try:
        emit_json_rows({"as_at": day.isoformat(), "as_known_at": None}, "items", lines)
        return sys.stdout.getvalue()
    finally:
        sys.stdout = out


def measure_encrypted(
    events: int,
    folder: Path,
    day: date,
    build: Callable[..., float],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Record the register (``build(target, events, encryption_key=KEY)``) encrypted,
    catch its sealed model up, and time the board as at ``day`` both ways."""
    from eventsourcing.cipher import AESCipher

    from ledger import open_ledger
    from projections.board import board_as_at, stored_board
    from projections.store import TimelineStore
    from projections.text import compact

    key = AESCipher.create_key(32)
    target = str(folder / "encrypted.db")
    log(f"encrypted: recording a register of about {events} events ...")
    ingest = build(target, events, encryption_key=key)
    ledger = open_ledger(target, create=False, encryption_key=key)
    with contextlib.closing(TimelineStore(ledger, target)) as store:
        catch_up = _timed(store.catch_up)

        def stored() -> str:
            return _printed(stored_board(store, as_at=day), day)

        def replayed() -> str:
            board = board_as_at((event for _, event in ledger.read_log()), as_at=day)
            return _printed((compact(item.to_json()) for item in board.items), day)

        board = min(_timed(stored) for _ in range(3))
        printed: list[str] = []
        replay = _timed(lambda: printed.append(replayed()))
        if printed[0] != stored():
            raise SystemExit("the sealed read model's board differs from the replayed board")
    ledger.close()
    log(
        f"  ingest {ingest:.1f} s, sealed catch-up {catch_up:.1f} s, board {board:.3f} s, "
        f"replay {replay:.2f} s"
    )
    ratios = {"as_at_vs_replay": replay / board}
    return {
        **{name: round(value, 3) for name, value in ratios.items()},
        "goals": {name: f"{op} {goal}" for name, (op, goal) in GOALS.items()},
        "met": {
            name: ratios[name] >= goal if op == ">=" else ratios[name] <= goal
            for name, (op, goal) in GOALS.items()
        },
        "catch_up_vs_recording": round(ingest / catch_up, 3),
        "seconds": {
            "ingest": round(ingest, 3),
            "catch_up": round(catch_up, 3),
            "board_as_at": round(board, 4),
            "replay": round(replay, 3),
        },
    }
