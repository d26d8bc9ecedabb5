"""``python -m benchmarks --events N [--json] [--postgresql [only]] [--recordings R]``: speed
and memory, as ratios.

Every figure is a ratio against a baseline measured in the same run on the same data,
so it means the same on a slow machine and a fast one:

- ``ingest_vs_raw``: events/s recording a register in batches (as an import does) /
  events/s of a raw ``sqlite3`` executemany of the very same stored rows (the events
  and their links in the chain) (goal >= 0.6, in every run); the register is recorded
  three times (``--recordings R``: R times; 1 at a scale where three registers are hours
  and disk), each recording followed by the raw insert of its rows, and the medians
  taken (``benchmarks/recording.py``);
- ``catch_up_vs_recording``: the seconds recording the register took / the seconds the
  read model then takes to follow the same events from nothing (goal >= 0.33: a large
  import's first read waits for the catch-up);
- ``as_at_vs_replay``: a naive full replay printing the board as at a day / the same
  board, byte for byte, printed from the stored read model (goal >= 100);
- ``as_at_vs_sql_floor``: that board / the one hand-written SQL query that fetches the
  same rows from the read model (goal <= 3);
- ``summary_vs_as_at``: a committee summary, printed as ``ragw summary --format json``
  prints it / one as-at board (goal <= 4);
- ``cli_start_vs_imports``: ``ragw --version`` wall time / ``python -c "import
  eventsourcing, pydantic, click, tabulate"`` (goal <= 1.3);
- ``memory_1m_vs_10k``: peak RSS of ``ragw board --as-at --format json`` on this register
  / on a register of 10^4 events (goal <= 1.5; named for the 10^6 run);
- ``verify_vs_replay``: a full ``ragw verify`` (the chain of every event, and every row
  of the read model made again from the events and compared) / the naive replay of
  ``as_at_vs_replay`` (goal <= 2);
- ``log_memory_vs_board``: peak RSS of ``ragw log --format csv`` / of the board's
  process in ``memory_1m_vs_10k``, on the same register (goal <= 1.5: the log streams);
- ``log_vs_as_at`` and ``backdated_vs_as_at`` (no goal: both print every event of the
  register, each of which is back-dated): ``ragw log --format csv`` and ``ragw
  backdated --format json``, in process / one as-at board.
- ``restatements_vs_as_at``: ``ragw restatements`` of the last meeting as known at the
  moment the last hundredth of the log began, printed as JSON / one as-at board (goal
  <= 10).
- ``audit_vs_as_at`` (no goal: a full verify is part of it, and the register's every
  event is back-dated, so its page lists them all): ``ragw audit`` of the last meeting
  written as HTML, in process / one as-at board.
  ``as_at_vs_replay`` (goal <= 2).
- ``replay_key_vs_as_at``: ``ragw replay KEY --format json`` of one item / one as-at
  board (goal <= 1); ``replay_meeting_vs_replay``: ``ragw replay --meeting`` of the last
  meeting as JSON (a pass over the whole log that folds as the naive replay does, then
  counts and prints a step per change) / the naive replay (goal <= 3).
- ``web_board_vs_cli_board``, ``web_p95_vs_single`` and ``web_saturated_p95_vs_single``:
  the web service, measured from outside over HTTP (see ``benchmarks/web.py``).
- ``reimport_vs_import`` and ``reimport_changes_vs_import``: re-importing a tracker of
  20,000 rows unchanged, and with a quarter of its rows changed / its first import
  (goals <= 0.5 and <= 1.0; see ``benchmarks/imports.py``). A tracker is at most 20,000
  rows, whatever ``--events``; ``--imports only`` measures these alone.

With ``--postgresql`` the register is also recorded on a throw-away PostgreSQL server
started for the run, and its seconds and same-store ratios are added under
``"postgresql"``: ``ingest_vs_raw`` (ragw's recording of the register / a raw psycopg
COPY of the same stored rows into empty tables; goal >= 0.5; see
``benchmarks/raw_postgresql.py``), ``catch_up_vs_recording`` (goal >= 0.33),
``as_at_vs_replay`` (goal >= 100) and ``as_at_vs_sql_floor`` (goal <= 3) measured there
as on SQLite, and ``org_write_scaling``: organisations recording at once, each in a
schema of its own / one alone (goal >= 1.5; see ``benchmarks/orgs.py``). Under
``"peak_rss_kib"`` there, the peak RSS of a ``ragw board --as-at --format json`` process
(``board``) and of a ``ragw summary --format json`` one (``summary``) on that register,
and under ``"database_bytes"`` the register's database on disk, read model included.
``--postgresql only`` measures the PostgreSQL set alone, not the SQLite one before it.

``--skip verify|audit|restatements|replay-meeting`` (repeatable; with ``--postgresql
only``) leaves out a read that goes over the whole log again, or many times over the
read model, where it takes longer than the rest of the run at 10^7 events: the full
verify (and ``verify_vs_replay``), the audit pack (a full verify in it), the
restatements (best of three) or the meeting's replay. What was left out is listed under
``"skipped"``, and its ratios are absent rather than made up.

Unless ``--encrypted without``, the register is also recorded in an encrypted SQLite
ledger, its read model sealed, and ``"encrypted"`` gains ``as_at_vs_replay`` (the naive
replay of the encrypted log / the board from the sealed model; goal >= 50; see
``benchmarks/encrypted.py``).

``--national [--forces N] [--items M]`` measures the national views alone, on a
throw-away PostgreSQL server: ``national_summary_vs_sql_floor`` (goal <= 3) and
``national_board_seconds`` on 43 forces of 2,000 items (see ``benchmarks/national.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.encrypted import GOALS as ENCRYPTED_GOALS
from benchmarks.encrypted import measure_encrypted
from benchmarks.imports import GOALS as IMPORT_GOALS
from benchmarks.imports import import_results, import_timings
from benchmarks.national import GOALS as NATIONAL_GOALS
from benchmarks.national import measure_national
from benchmarks.raw_postgresql import raw_postgresql_seconds
from benchmarks.recording import RUNS, recording_seconds
from benchmarks.web import web_timings

GOALS = {
    "ingest_vs_raw": (">=", 0.6),
    "catch_up_vs_recording": (">=", 0.33),
    "as_at_vs_replay": (">=", 100.0),
    "as_at_vs_sql_floor": ("<=", 3.0),
    "summary_vs_as_at": ("<=", 4.0),
    "cli_start_vs_imports": ("<=", 1.3),
    "memory_1m_vs_10k": ("<=", 1.5),
    "verify_vs_replay": ("<=", 2.0),
    "log_memory_vs_board": ("<=", 1.5),
    "restatements_vs_as_at": ("<=", 10.0),
    "replay_key_vs_as_at": ("<=", 1.0),
    "replay_meeting_vs_replay": ("<=", 3.0),
    "web_board_vs_cli_board": ("<=", 1.5),
    "web_p95_vs_single": ("<=", 4.0),
    **IMPORT_GOALS,
}
#: The goals of the figures under "postgresql", each measured against a baseline on
#: PostgreSQL in the same run.
POSTGRES_GOALS = {
    "ingest_vs_raw": (">=", 0.5),
    "catch_up_vs_recording": (">=", 0.33),
    "as_at_vs_replay": (">=", 100.0),
    "as_at_vs_sql_floor": ("<=", 3.0),
}
START, TODAY = date(2016, 1, 1), date(2021, 12, 31)
MEETINGS = [date(2021, 2, 4), date(2021, 5, 4), date(2021, 8, 3)]
#: Events per transaction: about what one import of a 10,000-row tracker records (23,400).
BATCH = 25_000


def best(seconds: Callable[[], float], runs: int = 3) -> float:
    return min(seconds() for _ in range(runs))


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def build_register(
    target: str, events: int, *, seed: int = 1, encryption_key: str | None = None
) -> float:
    """A synthetic national register of about ``events`` events, recorded in batches
    (encrypted under ``encryption_key`` when given); return the seconds spent recording."""
    import random

    from events import Kind, Scope, Status
    from ledger import LedgerError, open_ledger
    from ledger.aggregates import Committee, Recommendation, Report
    from ledger.due import parse_due

    rng = random.Random(seed)
    ledger = open_ledger(target, create=True, encryption_key=encryption_key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    committee = Committee.register(
        code="NATREG", name="National register board", actor="bench", on=START
    )
    for meeting in MEETINGS:
        committee.schedule_meeting(meeting, None, "bench", START)
    pending: list[Any] = [committee]
    spent = 0.0
    written = 0
    report_number = 0
    while written < events:
        report_number += 1
        published = START + timedelta(days=rng.randrange(0, 1800))
        report = Report.register(
            code=f"R{report_number}",
            title=f"Inspection {report_number}",
            scope=rng.choice(list(Scope)),
            published=published,
            inspectorates=["HMICFRS"],
            makes=40,
            actor="bench",
            on=published,
        )
        pending.append(report)
        written += 1
        for ref in range(1, 41):
            on = published + timedelta(days=rng.randrange(0, 60))
            due = parse_due(f"{(on + timedelta(days=rng.randrange(60, 500))).isoformat()}")
            item = Recommendation.issue(
                report=report,
                ref=str(ref),
                kind=rng.choice(list(Kind)),
                text=f"Recommendation {ref} of inspection {report_number}",
                owner=f"Owner {rng.randrange(60)}",
                lead=None,
                due=due,
                status=None,
                reason=None,
                actor="bench",
                on=on,
            )
            day = on
            for _ in range(rng.randrange(3, 12)):
                day += timedelta(days=rng.randrange(1, 90))
                if day >= TODAY:
                    break
                choice = rng.random()
                try:  # a refused change is part of a realistic history too
                    if choice < 0.45:
                        item.change_status(
                            rng.choice(list(Status)[:4]), "as reported", "bench", day
                        )
                    elif choice < 0.6:
                        current = item.state_as_at(day).due or day
                        item.extend_deadline(
                            current + timedelta(days=rng.randrange(30, 200)),
                            "justified by the owner",
                            "bench",
                            day,
                        )
                    elif choice < 0.95:
                        item.note_progress(f"progress on {day.isoformat()}", "bench", day)
                    elif item.version > 1:
                        item.correct(
                            rng.randrange(2, item.version + 1),
                            "recorded against the wrong item",
                            "bench",
                            day,
                        )
                except LedgerError:
                    pass
            if rng.random() < 0.03 and day < TODAY:
                with contextlib.suppress(LedgerError):
                    item.close("superseded", "bench", day)
            pending.append(item)
            written += len(item.pending_events)
            if sum(len(a.pending_events) for a in pending) >= BATCH:
                spent += save(ledger, pending)
                pending = []
    if pending:
        spent += save(ledger, pending)
    ledger.close()
    return spent


def save(ledger: Any, batch: list[Any]) -> float:
    """Record one batch in one transaction, as an import does; return the seconds."""
    started = time.perf_counter()
    ledger.save_all(*batch, what="the register")
    return time.perf_counter() - started


def raw_insert_seconds(source: str, runs: int = 3) -> tuple[int, float]:
    """The same stored rows (the events and their links in the chain), inserted with one
    raw executemany a table into empty tables: the median of ``runs`` (one run alone
    varied by half between runs)."""
    connection = sqlite3.connect(source)
    rows = connection.execute(
        "SELECT originator_id, originator_version, topic, state FROM stored_events"
    ).fetchall()
    links = connection.execute("SELECT position, link FROM ragw_chain").fetchall()
    connection.close()

    def once() -> float:
        with tempfile.TemporaryDirectory() as folder:
            raw = sqlite3.connect(Path(folder) / "raw.db", isolation_level=None)
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute(
                "CREATE TABLE stored_events (originator_id TEXT, originator_version "
                "INTEGER, topic TEXT, state BLOB, "
                "PRIMARY KEY (originator_id, originator_version))"
            )
            raw.execute("CREATE TABLE ragw_chain (position BIGINT PRIMARY KEY, link TEXT)")

            def insert() -> None:
                raw.execute("BEGIN")
                raw.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
                raw.executemany("INSERT INTO ragw_chain VALUES (?, ?)", links)
                raw.execute("COMMIT")

            seconds = timed(insert)
            raw.close()
        return seconds

    return len(rows), statistics.median(once() for _ in range(runs))


def peak_rss_kib(
    target: str, read: tuple[str, ...] = ("board", "--as-at", "2021-06-01", "--format", "json")
) -> int:
    """Peak resident memory of one `ragw board --as-at` process (or of ``read``) on
    ``target``."""
    # VmHWM, not getrusage: Linux carries ru_maxrss over from the parent across exec.
    code = (
        "import sys\n"
        "from cli.main import main\n"
        "try:\n"
        f"    main(['--db', {target!r}, *{list(read)!r}])\n"
        "except SystemExit as stop:\n"
        "    if stop.code not in (0, None):\n"
        "        raise\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "print(status, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stderr.strip().splitlines()[-1])


def wall(command: list[str], runs: int = 7) -> float:
    return statistics.median(
        timed(lambda: subprocess.run(command, capture_output=True, check=True)) for _ in range(runs)
    )


def board_json(write: Callable[[], None]) -> str:
    """What one ``ragw board --format json`` prints, written into memory."""
    out, sys.stdout = sys.stdout, io.StringIO()
    try:
        write()
        return sys.stdout.getvalue()
    finally:
        sys.stdout = out


#: The as-at question asked in every run, and the read model's answer to it written
#: out by hand: the rows known now and current on the day (each item's open span, and
#: the ended spans that were current then), in the papers' order.
DAY = date(2021, 6, 1)
ROW = """head || CASE WHEN due < :day AND COALESCE(status, '') NOT IN
                        ('GREEN', 'WHITE', 'CLOSED') THEN 'true' ELSE 'false' END || tail"""
FLOOR_SQL = f"""
    SELECT {ROW}, place FROM ragw_board_open WHERE effective_from <= :day
    UNION ALL
    SELECT {ROW}, place FROM ragw_board WHERE effective_until > :day AND effective_from <= :day
    ORDER BY place
"""


def postgresql_floor_seconds(target: str) -> float:
    """The same rows in the same order fetched whole, as fast as PostgreSQL gives them:
    each part in the order of the index on place (byte order: the column's collation),
    merged, with the board's planner settings; the best of the plans measured in
    ``benchmarks/README.md``."""
    import psycopg

    from projections.store.streaming import BOARD_SETTINGS

    parts = FLOOR_SQL.replace(":day", "%(day)s").split("ORDER BY")[0].split("UNION ALL")
    floor = " UNION ALL ".join(f"({part} ORDER BY place)" for part in parts) + " ORDER BY place"
    with psycopg.connect(target) as server:

        def found() -> object:
            with server.transaction():
                for setting in BOARD_SETTINGS:
                    server.execute(setting)
                return server.execute(floor, {"day": DAY.isoformat()}).fetchall()

        return best(lambda: timed(found))


#: The reads ``--skip`` may leave out, each a pass over the whole log (or the read model
#: read many times) that takes longer than the rest of a run at 10^7 events.
SKIPPABLE = ("verify", "audit", "restatements", "replay-meeting")


def as_at_timings(
    ledger: Any,
    store: Any,
    target: str,
    log: Callable[[str], None] = lambda line: None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, float]:
    """The board as at DAY from the read model, by a naive replay, and by the SQL floor;
    a committee summary; a full verify and the replays of an item and of a meeting,
    unless in ``skip``. Fails if the replay and the read model disagree."""
    from cli.render import dump_document, emit_json_rows
    from projections.board import board_as_at, stored_board
    from projections.committee import summary_of
    from projections.recorded import Recorded
    from projections.text import compact

    head = {"as_at": DAY.isoformat(), "as_known_at": None}

    def stored() -> str:
        return board_json(lambda: emit_json_rows(head, "items", stored_board(store, as_at=DAY)))

    def replayed() -> str:
        board = board_as_at((event for _, event in ledger.read_log()), as_at=DAY)
        lines = (compact(item.to_json()) for item in board.items)
        return board_json(lambda: emit_json_rows(head, "items", lines))

    def summary() -> str:
        paper = summary_of(Recorded.stored(store), "NATREG", MEETINGS[-1])
        return dump_document(paper.printable())  # as `ragw summary --format json` prints it

    timings = {"board_as_at": best(lambda: timed(stored))}
    timings["summary"] = best(lambda: timed(summary))
    if not target.startswith("postgresql"):
        connection = sqlite3.connect(target)
        fetch = lambda: connection.execute(FLOOR_SQL, {"day": DAY.isoformat()}).fetchall()  # noqa: E731
        timings["sql_floor"] = best(lambda: timed(fetch))
        connection.close()
    else:
        timings["sql_floor"] = postgresql_floor_seconds(target)
    log("  the naive replay, compared with the board byte for byte ...")
    started = time.perf_counter()
    if replayed() != stored():
        raise SystemExit("the read model's board differs from the replayed board")
    timings["replay"] = time.perf_counter() - started
    if "verify" not in skip:
        log(f"  replay {timings['replay']:.1f} s; a full verify ...")
        timings["verify"] = timed(lambda: verify_all(ledger, target))
    log("  an item's replay" + ("" if "replay-meeting" in skip else " and the meeting's") + " ...")
    timings.update(replay_timings(ledger, meeting="replay-meeting" not in skip))
    return timings


def audit_timings(target: str) -> dict[str, float]:
    """The auditors' reads of every event, printed in process as the commands print
    them: the whole log as CSV, and the back-dated entries as JSON."""
    from cli.main import main as ragw

    def read(*args: str) -> None:
        board_json(lambda: ragw.main(["--db", target, *args], standalone_mode=False))

    return {
        "log": timed(lambda: read("log", "--format", "csv")),
        "backdated": timed(lambda: read("backdated", "--format", "json")),
    }


def restatements_seconds(target: str) -> float:
    """What ``ragw restatements NATREG <last meeting> --known-at T --format json`` takes
    from the read model, T the recording time of the event at 99% of the log: the items
    restated by the last hundredth recorded (back-dated changes and corrections)."""
    from cli.render import dump_document
    from ledger import open_ledger
    from projections.usecases import LedgerSession
    from projections.usecases.restatements import restatements

    ledger = open_ledger(target, create=False)
    session = LedgerSession(target, "bench", open_ledger=lambda write: ledger)
    moment = ledger.recorded_at(ledger.last_position() * 99 // 100)

    def read() -> str:
        found = restatements(session, "NATREG", MEETINGS[-1], known_at=moment)
        return dump_document(found.restatements.to_json())

    try:
        return best(lambda: timed(read))
    finally:
        session.close()


def audit_seconds(target: str) -> float:
    """What ``ragw audit NATREG <last meeting> --out pack.html`` takes, in process: the
    pack gathered (restatements, back-dated entries of the period, extensions and
    sign-offs, a full verify) and its page rendered."""
    from ledger import open_ledger
    from projections.usecases import LedgerSession
    from projections.usecases.audit import audit_pack
    from render.audit_html import render_audit_html

    ledger = open_ledger(target, create=False)
    session = LedgerSession(target, "bench", open_ledger=lambda write: ledger)
    try:
        return timed(lambda: render_audit_html(audit_pack(session, "NATREG", MEETINGS[-1])))
    finally:
        session.close()


def replay_timings(ledger: Any, *, meeting: bool = True) -> dict[str, float]:
    """An item's replay and a meeting's, printed as ``ragw replay --format json`` prints
    them (what the use case does, once the key or the meeting is found)."""
    from cli.render import dump_document
    from projections.replay import item_steps, meeting_steps

    def key() -> str:
        history = ledger.get_recommendation("R1/1").history
        steps = item_steps("R1/1", history, scope="national", as_at=TODAY)
        return dump_document({"key": "R1/1", "steps": [s.to_json() for s in steps]})

    def meeting_replay() -> str:
        events = (event for _, event in ledger.read_log())
        steps = [s.to_json() for s in meeting_steps("NATREG", MEETINGS[-1], events)]
        return dump_document({"meeting": {"committee": "NATREG"}, "steps": steps})

    timings = {"replay_key": best(lambda: timed(key))}
    if meeting:
        timings["replay_meeting"] = timed(meeting_replay)
    return timings


def remind_seconds(target: str, folder: Path) -> float:
    """``ragw remind --on TODAY --out DIR`` in process, every owner of the register
    given an address first: each owner's digest of the items overdue or due within 45
    days, written as .eml files (nothing is sent or recorded, so it can run again)."""
    from cli.main import main as ragw
    from ledger import open_ledger

    ledger = open_ledger(target, create=False)
    try:
        for owner in range(60):
            ledger.set_owner_contact(f"Owner {owner}", [f"owner{owner}@example.org"], actor="bench")
    finally:
        ledger.close()
    out = folder / "reminders"
    out.mkdir(exist_ok=True)
    command = ["--db", target, "remind", "--on", TODAY.isoformat(), "--out", str(out)]
    return best(
        lambda: timed(lambda: board_json(lambda: ragw.main(command, standalone_mode=False)))
    )


def verify_all(ledger: Any, target: str) -> None:
    """What ``ragw verify`` does: the chain, then every row of the read model."""
    from projections.store.audit import Audit, Audited
    from projections.store.stored_rows import Stored

    found = ledger.verify().broken or Audit(Stored(ledger, target)).run()
    if not isinstance(found, Audited):
        raise SystemExit(f"verify fails: {found}")


def board_now(target: str) -> str:
    """The board today, read and printed in process as ``ragw board --format json``."""
    from cli.render import emit_json_rows
    from ledger import open_ledger
    from projections.usecases import LedgerSession
    from projections.usecases.board import board

    session = LedgerSession(
        target, "bench", open_ledger=lambda _: open_ledger(target, create=False)
    )
    try:
        read = board(session, as_at=date.today())
        head = {"as_at": read.as_at.isoformat(), "as_known_at": None}
        return board_json(lambda: emit_json_rows(head, "items", read.lines))
    finally:
        session.close()


def measure_web(events: int, folder: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """The web service's figures alone, over a register built for them."""
    from ledger import open_ledger
    from projections.store import TimelineStore

    target = str(folder / "register.db")
    log(f"recording a register of about {events} events ...")
    build_register(target, events)
    ledger = open_ledger(target, create=False)
    store = TimelineStore(ledger, target)
    store.catch_up()
    store.close()
    ledger.close()
    log("the web service: the board page, and item pages under load ...")
    return web_results(web_timings(target, lambda: board_now(target), log))


def web_results(web: dict[str, float]) -> dict[str, Any]:
    results = {
        "web_board_vs_cli_board": web["board_page"] / web["board_in_process"],
        "web_p95_vs_single": web["paced_p95"] / web["single_median"],
    }
    return {
        **{name: round(value, 3) for name, value in results.items()},
        "web_saturated_p95_vs_single": round(web["saturated_p95"] / web["single_median"], 3),
        "met": {name: results[name] <= GOALS[name][1] for name in results},
    }


def measure_imports(folder: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """The import's figures alone: a tracker imported, then imported again."""
    imports = folder / "imports"
    imports.mkdir(exist_ok=True)
    found = import_results(import_timings(imports, log))
    return {**found, "seconds": {f"tracker_{k}": v for k, v in found["seconds"].items()}}


def measure(
    events: int,
    folder: Path,
    log: Callable[[str], None],
    *,
    web: bool = True,
    trackers: bool = True,
    recordings: int = RUNS,
) -> dict[str, Any]:
    from ledger import open_ledger
    from projections.store import TimelineStore

    target = str(folder / "register.db")
    log(f"recording a register of about {events} events ({recordings} times) ...")
    spares = [str(folder / f"register-{run}.db") for run in range(1, recordings)]
    rows, ingest_seconds, raw_seconds = recording_seconds(
        [target, *spares],
        lambda into: build_register(into, events),
        lambda source: raw_insert_seconds(source, runs=1),
    )
    for spare in spares:  # the rest of the run reads the first
        for path in Path(folder).glob(Path(spare).name + "*"):
            path.unlink()
    log(f"  {rows} events in {ingest_seconds:.1f} s; raw executemany {raw_seconds:.2f} s")

    ledger = open_ledger(target, create=False)
    store = TimelineStore(ledger, target)
    log("bringing the read model up to date ...")
    catch_up_seconds = timed(store.catch_up)
    log(f"  catch-up {catch_up_seconds:.1f} s; the board, the summary, a naive replay ...")
    timings = as_at_timings(ledger, store, target)
    timings |= audit_timings(target)
    timings["restatements"] = restatements_seconds(target)
    timings["audit"] = audit_seconds(target)
    log("  " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings.items()))

    log("measuring start-up and memory ...")
    ragw = [sys.executable, "-c", "from cli.main import main; main()", "--version"]
    imports = [sys.executable, "-c", "import eventsourcing, pydantic, click, tabulate"]
    start_seconds, imports_seconds = wall(ragw), wall(imports)
    small = str(folder / "small.db")
    build_register(small, 10_000, seed=2)
    small_ledger = open_ledger(small, create=False)
    small_store = TimelineStore(small_ledger, small)
    small_store.catch_up()  # both are measured reading a read model that is in step
    small_store.close()
    small_ledger.close()
    big_rss, small_rss = peak_rss_kib(target), peak_rss_kib(small)
    log_rss = peak_rss_kib(target, ("log", "--format", "csv"))
    store.close()
    ledger.close()
    timings["remind"] = remind_seconds(target, folder)
    log(f"  remind to .eml files {timings['remind']:.3f} s")
    tracker: dict[str, Any] = {"met": {}, "seconds": {}}
    if trackers:
        tracker = measure_imports(folder, log)
    served: dict[str, Any] = {"met": {}}
    if web:
        log("the web service: the board page, and item pages under load ...")
        served = web_results(web_timings(target, lambda: board_now(target), log))

    as_at = timings["board_as_at"]
    results = {
        "ingest_vs_raw": (rows / ingest_seconds) / (rows / raw_seconds),
        "catch_up_vs_recording": ingest_seconds / catch_up_seconds,
        "as_at_vs_replay": timings["replay"] / as_at,
        "as_at_vs_sql_floor": as_at / timings["sql_floor"],
        "summary_vs_as_at": timings["summary"] / as_at,
        "cli_start_vs_imports": start_seconds / imports_seconds,
        "memory_1m_vs_10k": big_rss / small_rss,
        "verify_vs_replay": timings["verify"] / timings["replay"],
        "log_memory_vs_board": log_rss / big_rss,
        "restatements_vs_as_at": timings["restatements"] / as_at,
        "replay_key_vs_as_at": timings["replay_key"] / as_at,
        "replay_meeting_vs_replay": timings["replay_meeting"] / timings["replay"],
    }
    unbounded = {
        "log_vs_as_at": timings["log"] / as_at,
        "backdated_vs_as_at": timings["backdated"] / as_at,
        "audit_vs_as_at": timings["audit"] / as_at,
        "remind_vs_as_at": timings["remind"] / as_at,
    }
    return {
        **{name: round(value, 3) for name, value in results.items()},
        **{name: round(value, 3) for name, value in unbounded.items()},
        **{name: value for name, value in served.items() if name != "met"},
        **{name: value for name, value in tracker.items() if name not in ("met", "seconds", "cpu")},
        **({"tracker_cpu": tracker["cpu"]} if "cpu" in tracker else {}),
        "events": rows,
        "goals": {name: f"{op} {goal}" for name, (op, goal) in GOALS.items()},
        "met": {
            **{
                name: (results[name] >= goal if op == ">=" else results[name] <= goal)
                for name, (op, goal) in GOALS.items()
                if name in results
            },
            **served["met"],
            **tracker["met"],
        },
        "seconds": {
            "ingest": round(ingest_seconds, 3),
            "raw_insert": round(raw_seconds, 4),
            "catch_up": round(catch_up_seconds, 3),
            **{name: round(seconds, 4) for name, seconds in timings.items()},
            "ragw_version": round(start_seconds, 4),
            "imports": round(imports_seconds, 4),
            **tracker["seconds"],
        },
        "peak_rss_kib": {"register": big_rss, "10k": small_rss, "log": log_rss},
        "machine": machine(),
    }


def machine() -> str:
    return (
        f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}"
    )


def measure_postgresql(
    events: int,
    log: Callable[[str], None],
    *,
    recordings: int = RUNS,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The same register on a throw-away PostgreSQL server started for the run: its
    seconds, the ratios that do not need a SQLite baseline, the peak memory of the board
    and the summary, and the database's size; the reads in ``skip`` left out."""
    import psycopg

    from benchmarks.orgs import measure_org_writes
    from ledger import open_ledger
    from projections.store import TimelineStore
    from tests import postgres_server

    server = postgres_server.start()
    try:
        target = server.create_database("ragw_bench")
        log(f"PostgreSQL: recording a register of about {events} events ({recordings} times) ...")

        def raw(source: str) -> tuple[int, float]:
            recorded = open_ledger(source, create=False)
            table = recorded.recorder.events_table_name  # type: ignore[attr-defined]
            recorded.close()
            return raw_postgresql_seconds(source, table, runs=1)

        spares = [server.create_database(f"ragw_bench_{run}") for run in range(1, recordings)]
        rows, ingest_seconds, raw_seconds = recording_seconds(
            [target, *spares], lambda into: build_register(into, events), raw
        )
        ledger = open_ledger(target, create=False)
        log(f"  {rows} events in {ingest_seconds:.1f} s; raw COPY {raw_seconds:.2f} s")
        store = TimelineStore(ledger, target)
        log("  bringing the read model up to date ...")
        catch_up_seconds = timed(store.catch_up)
        log(
            f"  catch-up {catch_up_seconds:.1f} s ({rows / catch_up_seconds:.0f} events/s); "
            "the board, the summary, the SQL floor ..."
        )
        timings = as_at_timings(ledger, store, target, log, skip)
        if "restatements" not in skip:
            log("  the restatements ...")
            timings["restatements"] = restatements_seconds(target)
        if "audit" not in skip:
            log("  the audit pack ...")
            timings["audit"] = audit_seconds(target)
        log(
            f"  ingest {ingest_seconds:.1f} s, catch-up {catch_up_seconds:.1f} s, "
            + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings.items())
        )
        store.close()
        ledger.close()
        log("  peak memory of the board and of the summary, each a process of its own ...")
        rss = {
            "board": peak_rss_kib(target),
            "summary": peak_rss_kib(
                target, ("summary", "NATREG", MEETINGS[-1].isoformat(), "--format", "json")
            ),
        }
        with psycopg.connect(target) as connection:
            size = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        database_bytes = int(size[0]) if size else 0
        log(
            f"  peak RSS board {rss['board']} KiB, summary {rss['summary']} KiB; "
            f"database {database_bytes / 2**30:.2f} GiB"
        )
        orgs = measure_org_writes(server.create_database("ragw_bench_orgs"), log)
    finally:
        server.stop()
    as_at = timings["board_as_at"]
    ratios = {
        "ingest_vs_raw": raw_seconds / ingest_seconds,
        "catch_up_vs_recording": ingest_seconds / catch_up_seconds,
        "as_at_vs_replay": timings["replay"] / as_at,
        "as_at_vs_sql_floor": as_at / timings["sql_floor"],
    }
    # each figure without a goal here, from the timings it divides, when both were taken
    unbounded = {
        name: timings[over] / timings[under]
        for name, over, under in (
            ("summary_vs_as_at", "summary", "board_as_at"),
            ("verify_vs_replay", "verify", "replay"),
            ("restatements_vs_as_at", "restatements", "board_as_at"),
            ("replay_key_vs_as_at", "replay_key", "board_as_at"),
            ("replay_meeting_vs_replay", "replay_meeting", "replay"),
            ("audit_vs_as_at", "audit", "board_as_at"),
        )
        if over in timings and under in timings
    }
    return {
        **{name: round(value, 3) for name, value in ratios.items()},
        "goals": {name: f"{op} {goal}" for name, (op, goal) in POSTGRES_GOALS.items()},
        "met": {
            name: ratios[name] >= goal if op == ">=" else ratios[name] <= goal
            for name, (op, goal) in POSTGRES_GOALS.items()
        },
        "org_write_scaling": orgs["org_write_scaling"],
        "one_org_write_scaling": orgs["one_org_write_scaling"],
        **{name: round(value, 3) for name, value in unbounded.items()},
        "events": rows,
        "recordings": recordings,
        "skipped": sorted(skip),
        "catch_up_events_per_second": round(rows / catch_up_seconds),
        "peak_rss_kib": rss,
        "database_bytes": database_bytes,
        "seconds": {
            "ingest": round(ingest_seconds, 3),
            "raw_insert": round(raw_seconds, 4),
            "catch_up": round(catch_up_seconds, 3),
            **{name: round(seconds, 4) for name, seconds in timings.items()},
            **orgs["seconds"],
        },
    }


def parser_of(prog: str, description: str | None, events: int) -> argparse.ArgumentParser:
    """The options every benchmark command takes: the register's size (``events`` by
    default) and ``--json``."""
    parser = argparse.ArgumentParser(
        prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=events, help="size of the register")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser


def main() -> None:
    parser = parser_of("python -m benchmarks", __doc__, 200_000)
    parser.add_argument(
        "--postgresql",
        nargs="?",
        const="also",
        choices=["also", "only"],
        help="also on a throw-away PostgreSQL 15 server started for the run; "
        "'--postgresql only': the PostgreSQL set alone",
    )
    parser.add_argument(
        "--recordings",
        type=int,
        default=RUNS,
        help=f"recordings of the register ingest_vs_raw takes the median of ({RUNS}); "
        "1 at 10^7 events",
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=SKIPPABLE,
        default=[],
        help="with --postgresql only: leave out this read (repeatable), listed under 'skipped'",
    )
    parser.add_argument(
        "--web",
        choices=["with", "without", "only"],
        default="with",
        help="measure the web service too (with), not (without), or alone (only)",
    )
    parser.add_argument(
        "--imports",
        choices=["with", "without", "only"],
        default="with",
        help="measure re-importing a 20,000-row tracker too (with), not (without), or alone (only)",
    )
    parser.add_argument(
        "--encrypted",
        choices=["with", "without"],
        default="with",
        help="measure the register encrypted too, its read model sealed (with), or not",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="measure only the national views, on a throw-away PostgreSQL server",
    )
    parser.add_argument(
        "--forces", type=int, default=43, help="with --national: how many forces (43)"
    )
    parser.add_argument(
        "--items", type=int, default=2000, help="with --national: items in each force (2,000)"
    )
    options = parser.parse_args()
    if options.recordings < 1:
        raise SystemExit("Error: --recordings must be at least 1; give 1 to record once.")
    if options.skip and options.postgresql != "only":
        raise SystemExit(
            "Error: --skip leaves reads out of the PostgreSQL set alone; add --postgresql only."
        )
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    if options.national:
        show_national(measure_national(options.forces, options.items, log), options.json)
        return
    if options.postgresql == "only":
        show_postgresql(
            measure_postgresql(
                options.events, log, recordings=options.recordings, skip=frozenset(options.skip)
            ),
            options.json,
        )
        return
    with tempfile.TemporaryDirectory(prefix="ragw-bench-") as folder:
        if options.web == "only":
            print(json.dumps(measure_web(options.events, Path(folder), log), indent=2))
            return
        if options.imports == "only":
            results = measure_imports(Path(folder), log)
            if options.json:
                print(json.dumps(results, indent=2))
                return
            for name, (op, goal) in IMPORT_GOALS.items():
                mark = "met" if results["met"][name] else "MISSED"
                print(f"{name:26} {results[name]:>10.3f}   goal {op} {goal:<6} {mark}")
            print("seconds: " + ", ".join(f"{k} {v}" for k, v in results["seconds"].items()))
            print("CPU time: " + ", ".join(f"{k} {v}" for k, v in results["cpu"].items()))
            return
        results = measure(
            options.events,
            Path(folder),
            log,
            web=options.web == "with",
            trackers=options.imports == "with",
            recordings=options.recordings,
        )
        if options.encrypted == "with":
            results["encrypted"] = measure_encrypted(
                options.events, Path(folder), DAY, build_register, log
            )
    if options.postgresql:
        results["postgresql"] = measure_postgresql(
            options.events, log, recordings=options.recordings
        )
    if options.json:
        print(json.dumps(results, indent=2))
        return
    for name, (op, goal) in GOALS.items():
        if name not in results["met"]:
            continue
        mark = "met" if results["met"][name] else "MISSED"
        print(f"{name:26} {results[name]:>10.3f}   goal {op} {goal:<6} {mark}")
    for name in (
        "log_vs_as_at",
        "backdated_vs_as_at",
        "audit_vs_as_at",
        "remind_vs_as_at",
        "web_saturated_p95_vs_single",
    ):
        if name in results:
            print(f"{name:26} {results[name]:>10.3f}   (no goal)")
    print(f"({results['events']} events; {results['machine']})")
    for name, (op, goal) in ENCRYPTED_GOALS.items() if "encrypted" in results else ():
        found = results["encrypted"]
        mark = "met" if found["met"][name] else "MISSED"
        print(f"{'encrypted.' + name:26} {found[name]:>10.3f}   goal {op} {goal:<6} {mark}")
    if "postgresql" in results:
        show_postgresql(results["postgresql"], as_json=False, alone=False)


def show_postgresql(found: dict[str, Any], as_json: bool, *, alone: bool = True) -> None:
    """The PostgreSQL set's figures; alone, with its seconds, memory and size."""
    if as_json:
        print(json.dumps({"postgresql": found, "machine": machine()}, indent=2))
        return
    for name, (op, goal) in POSTGRES_GOALS.items():
        mark = "met" if found["met"][name] else "MISSED"
        print(f"{'postgresql.' + name:34} {found[name]:>10.3f}   goal {op} {goal:<6} {mark}")
    if not alone:
        return
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in found["seconds"].items()))
    print("peak RSS (KiB): " + ", ".join(f"{k} {v}" for k, v in found["peak_rss_kib"].items()))
    print(
        f"({found['events']} events, {found['database_bytes']} bytes on disk, "
        f"skipped: {', '.join(found['skipped']) or 'nothing'}; {machine()})"
    )


def show_national(results: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for name, (op, goal) in NATIONAL_GOALS.items():
        mark = "met" if results["met"][name] else "MISSED"
        print(f"{name:30} {results[name]:>10.3f}   goal {op} {goal:<6} {mark}")
    print(f"{'national_board_seconds':30} {results['national_board_seconds']:>10.3f}   (no goal)")
    for name in ("publish_vs_export",):
        if name in results:
            print(f"{name:30} {results[name]!s:>10}")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in results["seconds"].items()))
    print(f"({results['forces']} forces of {results['items_a_force']} items on PostgreSQL)")


if __name__ == "__main__":
    main()
