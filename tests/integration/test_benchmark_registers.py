"""The registers the benchmarks time are ones ragw reads as it reads any: a national
register's forces hold national reports their inspectorate issued, so the national
board and summary show every one of their items (a report no issuer issued is left out
of every national view, and a benchmark of one would time nothing)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from benchmarks.national import (
    ITEMS_A_REPORT,
    add_organisations,
    build_force,
    build_inspectorate,
    force_codes,
)
from cli.main import main


def test_the_national_benchmarks_forces_hold_what_their_inspectorate_issued(
    tmp_path: Path,
) -> None:
    target = str(tmp_path / "national.db")
    add_organisations(target, 2)
    build_inspectorate(target)
    for seed, org in enumerate(force_codes(2), 1):
        build_force(target, org, ITEMS_A_REPORT * 2, seed)

    def read(*args: str) -> object:
        result = CliRunner().invoke(
            main, ["--db", target, "--actor", "bench", *args, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    board = read("national", "board", "--report", "N1", "--as-at", "2021-06-01")
    assert isinstance(board, dict)
    assert len(board["items"]) == ITEMS_A_REPORT
    summary = read("national", "summary", "--as-at", "2021-06-01")
    assert isinstance(summary, dict)
    across = {report["code"]: report["items"] for report in summary["reports"]}
    assert across["N1"] == across["N2"] == 2 * ITEMS_A_REPORT  # both forces' copies
