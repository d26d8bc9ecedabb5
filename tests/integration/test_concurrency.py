"""Concurrent writers, in real parallel processes, never lose or repeat an event."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from events import ProgressNoted
from ledger import open_ledger

WORKERS, CHANGES = 4, 120
ROOT = Path(__file__).resolve().parents[2]


def seed(target: str) -> int:
    ledger = open_ledger(target, create=True)
    ledger.today = lambda: date(2021, 6, 1)  # type: ignore[method-assign]
    ledger.register_report(
        "R",
        title="Race",
        scope="force",
        published=date(2020, 1, 1),
        actor="setup",
        on=date(2020, 1, 1),
    )
    for ref in [*(f"w{n}" for n in range(WORKERS)), "shared"]:
        ledger.issue_recommendation(
            "R", ref, kind="afi", text="t", actor="setup", on=date(2020, 1, 1)
        )
    count = sum(1 for _ in ledger.read_log())
    ledger.close()
    return count


def test_parallel_writers_record_every_change_exactly_once(target: str) -> None:
    before = seed(target)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.writer", target, f"w{n}", str(CHANGES)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=600)
        assert worker.returncode == 0 and not err, err  # never a traceback
    ledger = open_ledger(target, create=False)
    notes = Counter(
        (event.actor, event.text, event.originator_id)
        for _, event in ledger.read_log()
        if isinstance(event, ProgressNoted)
    )
    assert sum(1 for _ in ledger.read_log()) == before + WORKERS * CHANGES * 2
    assert len(notes) == WORKERS * CHANGES * 2 and set(notes.values()) == {1}
    shared = ledger.get_recommendation("R/shared")
    versions = [event.originator_version for event in shared.history]
    assert versions == list(range(1, len(versions) + 1)), "one unbroken sequence, in order"
    ledger.close()


def test_racing_commands_either_land_or_say_run_it_again(target: str, tmp_path: Path) -> None:
    seed(target)
    ragw = [sys.executable, "-c", "from cli.main import main; main()", "--db", target]
    racers = [
        subprocess.Popen(
            [*ragw, "--actor", f"owner {n}", "note", "R/shared", f"note {n}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    landed = 0
    for racer in racers:
        out, err = racer.communicate(timeout=300)
        if racer.returncode == 0:
            landed += 1
            assert out.startswith("recorded R/shared@")
        else:
            assert racer.returncode == 1 and err.startswith("Error: ") and "again" in err, err
            assert err.count("\n") == 1
    history = CliRunner().invoke(main, ["--db", target, "history", "R/shared", "--format", "json"])
    notes = [
        e
        for e in __import__("json").loads(history.stdout)["events"]
        if e["type"] == "ProgressNoted"
    ]
    assert len(notes) == landed >= 1


def test_first_reads_at_once_all_answer(target: str) -> None:
    """Several readers may find the read model missing and create it together."""
    seed(target)
    ragw = [sys.executable, "-c", "from cli.main import main; main()", "--db", target]
    readers = [
        subprocess.Popen(
            [*ragw, "board", "--as-at", "2021-01-01", "--format", "json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for reader in readers:
        out, err = reader.communicate(timeout=300)
        assert reader.returncode == 0, err
        assert len(__import__("json").loads(out)["items"]) == WORKERS + 1
