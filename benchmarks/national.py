"""``python -m benchmarks --national [--forces N] [--items M]``: the national views at
national size, on a throw-away PostgreSQL server: an inspectorate and ``N`` forces (43)
of ``M`` items each (2,000), each force in a schema of its own, with histories.

Each force holds the inspectorate's national reports (received, naming their origin:
the same :data:`NATIONAL_REPORTS` reports of 40 items in every force, which the
inspectorate's own ledger issued to forces) and reports of its own for the rest; every item has 1 to 5 changes (statuses, extensions, notes, a few
closures) over three years, and the inspectorate has given a verdict on about one item
in twenty. Each force's read model is brought up to date before anything is timed.

- ``national_summary_vs_sql_floor``: ``ragw national summary --format json`` as it runs
  (the register read, every organisation's ledger opened as ``--org`` opens it, each
  counted by its read model, the verdicts read, the JSON printed) / the floor: one
  hand-written SQL query per force's read model counting its items by report and
  status as at the day, on one open connection (goal <= 3);
- ``national_board_seconds``: ``ragw national board --report N1 --format json`` (one
  national report's 40 recommendations in every force), in seconds;
- ``publish_vs_export``: when ``benchmarks/publish.py`` is there, its figure (publishing
  the whole register / exporting every organisation's board), run on the same store.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from benchmarks.publish import measure_publish

GOALS = {"national_summary_vs_sql_floor": ("<=", 3.0), "publish_vs_export": ("<", 2.0)}
START, TODAY = date(2019, 1, 7), date(2021, 12, 31)
AS_AT = date(2021, 6, 1)
#: National reports every force holds, of 40 items each.
NATIONAL_REPORTS = 5
ITEMS_A_REPORT = 40
BATCH = 25_000
INSPECTORATE = "HMICFRS"
#: Forces built at once, one a core.
WORKERS = 2


def force_codes(forces: int) -> list[str]:
    return [f"F{n:02d}" for n in range(1, forces + 1)]


def add_organisations(target: str, forces: int) -> None:
    """The inspectorate and the forces, added as ``ragw org add`` adds them."""
    from ledger import open_ledger
    from projections.usecases import LedgerSession
    from projections.usecases.orgs import add_organisation

    register = LedgerSession(
        target, "bench", open_ledger=lambda write: open_ledger(target, create=write)
    )
    try:
        for code, kind in (
            (INSPECTORATE, "inspectorate"),
            *((f, "force") for f in force_codes(forces)),
        ):
            add_organisation(
                register,
                code,
                name=f"Organisation {code}",
                kind=kind,
                open_own=lambda written: open_ledger(target, create=True, org=written),
            )
    finally:
        register.close()


def national_published(number: int) -> date:
    """The day national report ``number`` was published."""
    return START + timedelta(days=91 * number)


def build_inspectorate(target: str) -> None:
    """The inspectorate's national reports, each item issued to forces: what every
    force's received copy is held to (a report or item no issuer issued is planted, and
    no national view shows or counts it)."""
    from events import Kind, Scope
    from ledger import open_ledger
    from ledger.aggregates import Recommendation, Report
    from ledger.due import parse_due

    ledger = open_ledger(target, create=False, org=INSPECTORATE)
    made: list[Any] = []
    for number in range(1, NATIONAL_REPORTS + 1):
        published = national_published(number)
        report = Report.register(
            code=f"N{number}",
            title=f"National report {number}",
            scope=Scope.NATIONAL,
            published=published,
            inspectorates=[INSPECTORATE],
            makes=ITEMS_A_REPORT,
            actor="bench",
            on=published,
        )
        made.append(report)
        for ref in range(1, ITEMS_A_REPORT + 1):
            made.append(
                Recommendation.issue(
                    report=report,
                    ref=str(ref),
                    kind=Kind.RECOMMENDATION,
                    text=f"Recommendation {ref} of report {number}",
                    owner=None,
                    lead=None,
                    due=parse_due((published + timedelta(days=365)).isoformat()),
                    status=None,
                    reason=None,
                    actor="bench",
                    on=published,
                    to=("chief constables",),
                )
            )
    ledger.save_all(*made, what="the national reports")
    ledger.close()


def build_force(target: str, org: str, items: int, seed: int) -> list[str]:
    """One force's ledger: the national reports received, its own reports for the
    rest, every item with a short history. Returns the keys of its items."""
    from events import Kind, Scope, Status
    from ledger import LedgerError, open_ledger
    from ledger.aggregates import Recommendation, Report
    from ledger.due import parse_due

    rng = random.Random(seed)
    ledger = open_ledger(target, create=False, org=org)
    pending: list[Any] = []
    keys: list[str] = []
    number = 0
    while len(keys) < items:
        number += 1
        national = number <= NATIONAL_REPORTS
        published = (
            national_published(number)
            if national
            else START + timedelta(days=rng.randrange(0, 900))
        )
        report = Report.register(
            code=f"N{number}" if national else f"{org}R{number}",
            title=f"National report {number}" if national else f"Inspection {number} of {org}",
            scope=Scope.NATIONAL if national else Scope.FORCE,
            published=published,
            inspectorates=[INSPECTORATE],
            makes=ITEMS_A_REPORT,
            origin=INSPECTORATE if national else None,
            actor="bench",
            on=published,
        )
        pending.append(report)
        for ref in range(1, min(ITEMS_A_REPORT, items - len(keys)) + 1):
            on = published + timedelta(days=rng.randrange(0, 30))
            item = Recommendation.issue(
                report=report,
                ref=str(ref),
                kind=Kind.RECOMMENDATION if national else rng.choice(list(Kind)),
                text=f"Recommendation {ref} of report {number}",
                owner=f"Owner {rng.randrange(20)}",
                lead=None,
                due=parse_due((on + timedelta(days=rng.randrange(60, 500))).isoformat()),
                status=None,
                reason=None,
                actor="bench",
                on=on,
            )
            day = on
            for _ in range(rng.randrange(1, 6)):
                day += timedelta(days=rng.randrange(1, 120))
                if day >= TODAY:
                    break
                choice = rng.random()
                with contextlib.suppress(LedgerError):
                    if choice < 0.6:
                        item.change_status(
                            rng.choice(list(Status)[:4]), "as reported", "bench", day
                        )
                    elif choice < 0.75:
                        current = item.state_as_at(day).due or day
                        item.extend_deadline(
                            current + timedelta(days=rng.randrange(30, 200)),
                            "justified by the owner",
                            "bench",
                            day,
                        )
                    else:
                        item.note_progress(f"progress on {day.isoformat()}", "bench", day)
            if rng.random() < 0.03 and day < TODAY:
                with contextlib.suppress(LedgerError):
                    item.close("superseded", "bench", day)
            pending.append(item)
            keys.append(item.key)
            if sum(len(a.pending_events) for a in pending) >= BATCH:
                ledger.save_all(*pending, what="the register")
                pending = []
    if pending:
        ledger.save_all(*pending, what="the register")
    ledger.close()
    return keys


def build_and_follow(target: str, org: str, items: int, seed: int) -> tuple[list[str], float]:
    """One force built (:func:`build_force`) and its read model brought up to date:
    its keys, and the seconds the catch-up took."""
    keys = build_force(target, org, items, seed)
    return keys, catch_up_all(target, [org])


def give_verdicts(target: str, keys: dict[str, list[str]], seed: int) -> int:
    """The inspectorate's verdicts on about one item in twenty of each force."""
    from events import Verdict
    from ledger import open_ledger
    from ledger.aggregates import Verdicts

    rng = random.Random(seed)
    ledger = open_ledger(target, create=False, org=INSPECTORATE)
    given = 0
    batch: list[Any] = []
    for org, held in keys.items():
        verdicts = Verdicts.begin(org=org, actor="bench", on=START)
        for key in sorted(rng.sample(held, max(1, len(held) // 20))):
            verdicts.give(
                key,
                rng.choice(list(Verdict)),
                "seen",
                "bench",
                START + timedelta(days=rng.randrange(400, 1000)),
            )
            given += 1
        batch.append(verdicts)
    ledger.save_all(*batch, what="the verdicts")
    ledger.close()
    return given


def catch_up_all(target: str, orgs: list[str]) -> float:
    """Every organisation's read model brought up to date; the seconds it took."""
    from ledger import open_ledger
    from projections.store import TimelineStore

    started = time.perf_counter()
    for org in orgs:
        ledger = open_ledger(target, create=False, org=org)
        store = TimelineStore(ledger, target)
        store.catch_up()
        store.close()
        ledger.close()
    return time.perf_counter() - started


def run_command(target: str, *args: str) -> str:
    """``ragw --db TARGET ARGS`` in process, as the command prints it; its output."""
    from cli.main import main as ragw

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ragw.main(["--db", target, "--actor", "bench", *args], standalone_mode=False)
    return out.getvalue()


def sql_floor(target: str, forces: list[str]) -> Callable[[], object]:
    """One hand-written query per force's read model: its items as at the day counted
    by report and status (the spans known now: the open ones, and the ended ones that
    were current on the day), on one connection opened beforehand."""
    import psycopg

    connection = psycopg.connect(target, autocommit=True)
    day = AS_AT.isoformat()

    def count() -> list[Any]:
        found = []
        with connection.cursor() as cursor:
            for org in forces:
                schema = f"org_{org.lower()}"
                cursor.execute(
                    "SELECT report, status, COUNT(*) FROM ("
                    f"SELECT report, status FROM {schema}.ragw_board_open "
                    "WHERE effective_from <= %s UNION ALL "
                    f"SELECT report, status FROM {schema}.ragw_board "
                    "WHERE effective_until > %s AND effective_from <= %s) AS board "
                    "GROUP BY report, status",
                    (day, day, day),
                )
                found.extend(cursor.fetchall())
        return found

    count.close = connection.close  # type: ignore[attr-defined]
    return count


def best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure_national(forces: int, items: int, log: Callable[[str], None]) -> dict[str, Any]:
    """The national figures on a throw-away PostgreSQL server."""
    from tests import postgres_server

    server = postgres_server.start()
    try:
        target = server.create_database("ragw_bench_national")
        return national_figures(target, forces, items, log)
    finally:
        server.stop()


def national_figures(
    target: str, forces: int, items: int, log: Callable[[str], None]
) -> dict[str, Any]:
    codes = force_codes(forces)
    log(f"PostgreSQL: an inspectorate and {forces} forces of {items} items each ...")
    started = time.perf_counter()
    add_organisations(target, forces)
    build_inspectorate(target)
    added = time.perf_counter() - started
    # each force recorded and its model brought up to date in a process of its own,
    # two at a time (one a core), as forces record in their own schemas
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        built_forces = pool.starmap(
            build_and_follow, [(target, org, items, seed) for seed, org in enumerate(codes, 1)]
        )
    keys = dict(zip(codes, (held for held, _ in built_forces), strict=True))
    verdicts = give_verdicts(target, keys, seed=0)
    caught = catch_up_all(target, [INSPECTORATE]) + sum(s for _, s in built_forces)
    built = time.perf_counter() - started
    log(
        f"  organisations added {added:.1f} s; all recorded, read models up to date, in "
        f"{built:.1f} s ({verdicts} verdicts; catch-up {caught:.1f} s of it, summed over "
        "processes)"
    )
    day = AS_AT.isoformat()
    summary = best(
        lambda: run_command(target, "national", "summary", "--as-at", day, "--format", "json")
    )
    board = best(
        lambda: run_command(
            target, "national", "board", "--report", "N1", "--as-at", day, "--format", "json"
        )
    )
    floor_query = sql_floor(target, codes)
    try:
        floor = best(floor_query)
    finally:
        floor_query.close()  # type: ignore[attr-defined]
    ratio = summary / floor
    log(f"  summary {summary:.3f} s, SQL floor {floor:.3f} s, national board {board:.3f} s")
    results: dict[str, Any] = {
        "national_summary_vs_sql_floor": round(ratio, 3),
        "national_board_seconds": round(board, 3),
        "forces": forces,
        "items_a_force": items,
        "verdicts": verdicts,
        "goals": {name: f"{op} {goal}" for name, (op, goal) in GOALS.items()},
        "met": {
            "national_summary_vs_sql_floor": ratio <= GOALS["national_summary_vs_sql_floor"][1]
        },
        "seconds": {
            "organisations_added": round(added, 3),
            "recorded_and_caught_up": round(built, 3),
            "catch_up_summed": round(caught, 3),
            "national_summary": round(summary, 4),
            "sql_floor": round(floor, 4),
            "national_board": round(board, 4),
        },
    }
    results.update(measure_publish(target, log, as_at=AS_AT))
    results["met"]["publish_vs_export"] = (
        results["publish_vs_export"] < GOALS["publish_vs_export"][1]
    )
    return results
