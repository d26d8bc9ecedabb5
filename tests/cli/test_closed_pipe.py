"""A reader that stops reading (``ragw board | head -1``) ends the command quietly and as
done: nothing on stderr, exit 0, and a board streamed from the read model ends its
transaction (and, on PostgreSQL, closes its server-side cursor) while its connection is
still open, not in a traceback as the interpreter exits."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from tests.cli.test_verify import history
from tests.national_store import Run, add_national_store, runner_on
from tests.trackers import seed_tracker, write_csv

#: More items than a batch of the streamed board (projections.store.queries.BATCH), so
#: the reader leaves while the board is half read.
ITEMS = 2500


@pytest.fixture
def long_board(ragw: Run, tmp_path: Path) -> None:
    base = seed_tracker()[0]
    rows = [{**base, "ref": str(n)} for n in range(1, ITEMS + 1)]
    ragw("import", str(write_csv(tmp_path / "long.csv", rows)), "--on", "2019-11-15")


def read_first_line(target: str, *args: str) -> tuple[int, str]:
    """``ragw --db TARGET ARGS | head -1``: the exit status and stderr of ragw."""
    ragw_path = shutil.which("ragw") or str(Path(sys.executable).parent / "ragw")
    with subprocess.Popen(
        [ragw_path, "--db", target, "--actor", "Governance", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as shown:
        assert shown.stdout is not None and shown.stderr is not None
        assert shown.stdout.readline()
        shown.stdout.close()  # as `| head -1` does
        said = shown.stderr.read()
        return shown.wait(), said


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_board_whose_reader_stops_reading_ends_quietly_as_done(
    ragw: Run, target: str, long_board: None, fmt: str
) -> None:
    assert read_first_line(target, "board", "--as-at", "2020-01-01", "--format", fmt) == (0, "")
    # the store is left as it was: read again, whole
    assert ragw("board", "--as-at", "2020-01-01", "--format", "csv").count("\n") == ITEMS + 1


def test_a_log_whose_reader_stops_reading_ends_quietly_as_done(
    target: str, long_board: None
) -> None:
    assert read_first_line(target, "log", "--format", "json") == (0, "")


def into_a_closed_pipe(target: str, *args: str) -> tuple[int, str]:
    """``ragw --db TARGET ARGS`` run here with its output a pipe nobody reads any more:
    every write to it fails as ``| head`` makes it fail (EPIPE). The exit status, and
    what it said on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    said = io.StringIO()
    with (
        os.fdopen(write_end, "w") as closed,
        contextlib.redirect_stdout(closed),
        contextlib.redirect_stderr(said),
        pytest.raises(SystemExit) as ended,
    ):
        main(["--db", target, "--actor", "Governance", *args])
    return int(ended.value.code or 0), said.getvalue()


def test_a_write_recorded_whole_before_it_prints_ends_quietly_when_its_reader_stopped(
    ragw: Run, target: str
) -> None:
    """One transaction, then its ids printed: cut short, it was recorded all the same, as
    done (a read cut short ends so too)."""
    history(ragw)
    add = ("rec", "add", "R", "3", "--kind", "afi", "--text", "Item 3", "--on", "2021-01-06")
    assert into_a_closed_pipe(target, *add) == (0, "")
    assert "R/3@1" in ragw("log", "--format", "csv")
    assert into_a_closed_pipe(target, "board", "--as-at", "2021-02-01") == (0, "")


def test_a_national_issue_whose_reader_stopped_says_what_may_not_be_recorded(
    target: str,
) -> None:
    """It records each force's receipt and prints it, one after another: cut short, it
    is not said to be done, and what it printed was recorded."""
    run = runner_on(target, "Strategic Development")
    add_national_store(run, ("WMP", "COLP"))
    code, said = into_a_closed_pipe(target, "--org", "HMICFRS", "national", "issue")
    assert code == 1 and said.startswith("Error: the output was closed"), said
    assert said.count("\n") == 1
    held = [run("--org", org, "log", "--format", "csv").count("FRAUD19") for org in ("WMP", "COLP")]
    assert held[0] > 0  # the first force it printed received it


def test_an_import_check_whose_reader_stopped_still_answers_with_its_exit_status(
    target: str, tmp_path: Path
) -> None:
    """``--check`` is a gate scripts read by its exit status: with bad rows it exits 1
    and says so whether or not its listing is read to the end (a file without them,
    cut short, answers 0, as any read does)."""
    rows = seed_tracker()
    bad = [{**rows[0], "status": "PURPLE"}, {**rows[1], "status": "TEAL"}, *rows[2:]]
    code, said = into_a_closed_pipe(
        target, "import", str(write_csv(tmp_path / "bad.csv", bad)), "--check"
    )
    assert code == 1 and said == (
        "Error: the output was closed (its reader stopped reading) before it "
        "ended: bad.csv has 2 bad rows; nothing was recorded\n"
    )
    good = str(write_csv(tmp_path / "good.csv", rows))
    assert into_a_closed_pipe(target, "import", good, "--check") == (0, "")
