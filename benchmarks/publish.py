"""``publish_vs_export``: the public register written whole against every board exported.

The figure is the seconds of ``ragw publish --out DIR --as-at DAY`` (every organisation's
items read beside the inspectorate's verdicts, the site's pages and the open data
written, moved into place) / the seconds of ``ragw --org ORG export --out ORG.csv
--as-at DAY`` run for every organisation holding items, one after another (what a script
publishing the boards itself would do); both in process, best of ``runs`` (goal < 2).

:func:`measure_publish` takes a store already holding a national register (the national
benchmark builds one). ``python -m benchmarks.publish --forces N --items M`` builds a
small one on SQLite to try it: an inspectorate issuing national reports of 40
recommendations, each force receiving them and recording statuses, and verdicts on a
third of one force's items.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DAY = date(2021, 6, 1)
#: Recommendations per national report in the store :func:`build_national` makes.
PER_REPORT = 40


def _ragw(target: str, *args: str) -> None:
    from click.testing import CliRunner

    from cli.main import main

    result = CliRunner().invoke(main, ["--db", target, "--actor", "bench", *args])
    if result.exit_code != 0:
        raise RuntimeError(f"ragw {' '.join(args)}: {result.output}")


def _best(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def holders_of(target: str) -> list[str]:
    """The organisations of the store that hold items (every one but inspectorates)."""
    from ledger import open_ledger
    from ledger.national import GIVES_VERDICTS

    register = open_ledger(target, create=False)
    try:
        return [o.code for o in register.organisations() if o.kind != GIVES_VERDICTS]
    finally:
        register.close()


def measure_publish(
    target: str, log: Callable[[str], None], *, as_at: date = DAY, runs: int = 3
) -> dict[str, Any]:
    """``publish_vs_export`` on the store ``target``, and the seconds of each side."""
    holders = holders_of(target)
    day = as_at.isoformat()
    work = Path(tempfile.mkdtemp(prefix="ragw-bench-publish-"))
    try:

        def export() -> None:
            for org in holders:
                out = work / f"{org}.csv"
                out.unlink(missing_ok=True)
                _ragw(target, "--org", org, "export", "--out", str(out), "--as-at", day)

        def publish() -> None:
            _ragw(target, "publish", "--out", str(work / "register"), "--as-at", day)

        log(f"publish: the register of {len(holders)} organisations, and each board exported")
        exported = _best(export, runs)
        published = _best(publish, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = published / exported
    log(f"  publish {published:.2f} s; every board exported {exported:.2f} s ({ratio:.2f})")
    return {
        "publish_vs_export": round(ratio, 2),
        "publish_seconds": round(published, 3),
        "export_boards_seconds": round(exported, 3),
    }


def build_national(target: str, forces: int, items: int, *, seed: int = 1) -> None:
    """A national register on ``target``: ``forces`` forces each holding ``items``
    national recommendations (rounded up to whole reports) with statuses."""
    from ledger import open_ledger

    rng = random.Random(seed)
    _ragw(target, "org", "add", "HMI", "--name", "Inspectorate", "--kind", "inspectorate")
    codes = [f"F{n:02d}" for n in range(1, forces + 1)]
    for code in codes:
        _ragw(target, "org", "add", code, "--name", f"Force {code}", "--kind", "force")
    inspectorate = open_ledger(target, create=False, org="HMI")
    start = date(2019, 1, 7)
    keys = []
    for n in range((items + PER_REPORT - 1) // PER_REPORT):
        report, published = f"NAT{n}", start + timedelta(days=n)
        inspectorate.register_report(
            report,
            title=f"National report {n}",
            scope="national",
            published=published,
            actor="bench",
            on=published,
        )
        for ref in range(1, PER_REPORT + 1):
            keys.append(f"{report}/{ref}")
            inspectorate.issue_recommendation(
                report,
                str(ref),
                kind="recommendation",
                text=f"Chief constables should {ref}.",
                due="2020-03-31",
                actor="bench",
                on=published,
                to=["chief constables"],
            )
    for number, code in enumerate(codes):
        force = open_ledger(target, create=False, org=code)
        force.receive_national(inspectorate, actor="bench", on=date(2019, 6, 3))
        for key in keys:
            if rng.random() < 0.7:
                force.change_status(
                    key,
                    rng.choice(["AMBER", "RED"]),
                    reason="Progress.",
                    actor="bench",
                    on=date(2019, 9, 2),
                )
            if number == 0 and rng.random() < 0.33:
                inspectorate.give_verdict(
                    force,
                    key,
                    "accepted",
                    reason="Seen.",
                    actor="bench",
                    on=date(2020, 1, 6),
                )
        force.close()
    inspectorate.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.publish", description=__doc__)
    parser.add_argument("--forces", type=int, default=4)
    parser.add_argument("--items", type=int, default=200, help="items per force")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ragw-bench-national-"))
    try:
        target = str(folder / "national.db")
        build_national(target, args.forces, args.items)
        figures = measure_publish(target, lambda line: print(line, file=sys.stderr))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
