"""``org_write_scaling``: organisations recording at the same moment on one PostgreSQL
database, each in a schema of its own.

Each writer is a process of its own (as each force's people and services are), recording
``COMMANDS`` items one command (one transaction) at a time into its organisation's
ledger, after a report of its own. The baseline is one organisation recording alone; the
figure is the events per second of ``WRITERS`` organisations recording at once / that
baseline (goal >= 1.5 on two cores: one organisation's writes never wait for another's
table lock, so the store scales with the machine). Each writer is timed from a common
start, once its ledger is open, so process start-up is not counted.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from datetime import date
from typing import Any

WRITERS = 4
COMMANDS = 300
ON = date(2021, 1, 4)


def _record(target: str, org: str, report: str, commands: int, start: Any, times: Any) -> None:
    from ledger import open_ledger

    ledger = open_ledger(target, create=False, org=org)
    ledger.register_report(report, title=report, scope="force", published=ON, actor="bench", on=ON)
    start.wait()
    began = time.perf_counter()
    for ref in range(1, commands + 1):
        ledger.issue_recommendation(
            report, str(ref), kind="afi", text=f"Item {ref}", actor="bench", on=ON
        )
    times.put((began, time.perf_counter()))
    ledger.close()


def _recording_at_once(target: str, orgs: list[str], commands: int) -> float:
    """Seconds from the common start until the last writer has recorded: one per entry
    of ``orgs`` (an organisation named twice has two writers, each with a report)."""
    context = multiprocessing.get_context("spawn")
    start, times = context.Event(), context.Queue()
    workers = [
        context.Process(target=_record, args=(target, org, f"R{n}", commands, start, times))
        for n, org in enumerate(orgs)
    ]
    for worker in workers:
        worker.start()
    time.sleep(3)  # every writer opens its ledger and records its report first
    start.set()
    spans = [times.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join()
    return max(end for _, end in spans) - min(began for began, _ in spans)


def measure_org_writes(target: str, log: Callable[[str], None]) -> dict[str, Any]:
    """``org_write_scaling`` on the PostgreSQL database ``target``, and its seconds."""
    from ledger import open_ledger

    alone, together = ["SOLO"], [f"FORCE{n}" for n in range(1, WRITERS + 1)]
    shared = ["SHARED"] * WRITERS
    for org in (*alone, *together, "SHARED"):  # each its own schema, as `org add` makes it
        open_ledger(target, create=True, org=org).close()
    log(f"PostgreSQL: {WRITERS} organisations recording {COMMANDS} items each at once ...")
    one = _recording_at_once(target, alone, COMMANDS)
    four = _recording_at_once(target, together, COMMANDS)
    # The reference: as many writers in one organisation's ledger, whose every write
    # holds its events table's lock.
    same = _recording_at_once(target, shared, COMMANDS)
    scaling = (WRITERS * COMMANDS / four) / (COMMANDS / one)
    in_one = (WRITERS * COMMANDS / same) / (COMMANDS / one)
    log(
        f"  one alone {one:.2f} s; {WRITERS} organisations at once {four:.2f} s (scaling "
        f"{scaling:.2f}); {WRITERS} writers in one organisation {same:.2f} s ({in_one:.2f})"
    )
    return {
        "org_write_scaling": round(scaling, 3),
        "one_org_write_scaling": round(in_one, 3),
        "seconds": {
            "org_writes_alone": round(one, 3),
            "org_writes_together": round(four, 3),
            "org_writes_in_one": round(same, 3),
        },
    }
