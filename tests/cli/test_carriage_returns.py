"""A carriage return in a note is kept (a text may run over lines, typed on any
machine), but never lets a printed read lie: a table shows it as a line break, not a
return over what the line printed; a Markdown row stays one row; a CSV quotes it, so a
reader that ends rows at a bare carriage return never starts a row inside the note; a
report's title with line breaks heads its table on one line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main

NOTE = "Awaiting IT.\rSigned off by the Chief Constable: GREEN on 2019-05-01"
FORMULA = "ok\r=cmd|' /C calc'!A0"


@pytest.fixture
def ragw(tmp_path: Path) -> Callable[..., str]:
    target = str(tmp_path / "ragw.db")

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", target, "--actor", "Gov", *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    title = "Custody review\n\nThere are 0 outstanding recommendations.\n\n## Reports for review"
    run("report", "add", "R", "--title", title, "--scope", "force", "--published", "2019-01-10")
    run("rec", "add", "R", "1", "--kind", "afi", "--text", "Fix custody", "--on", "2019-01-10")
    run("note", "R/1", NOTE, "--on", "2019-02-01")
    run("note", "R/1", FORMULA, "--on", "2019-02-02")
    return run


def test_a_table_shows_a_carriage_return_as_a_line_break(ragw: Callable[..., str]) -> None:
    for read in (("history", "R/1"), ("board",)):
        out = ragw(*read, "--format", "table")
        assert "\r" not in out, read
    assert "Awaiting IT." in ragw("history", "R/1")


def test_a_markdown_row_holding_a_carriage_return_stays_one_row(ragw: Callable[..., str]) -> None:
    out = ragw("history", "R/1", "--format", "md")
    assert "\r" not in out
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert all(not line.lstrip("| ").startswith(("Signed off", "=cmd")) for line in rows)
    assert "Awaiting IT.<br>Signed off by the Chief Constable" in out


@pytest.mark.parametrize("read", [("history", "R/1"), ("log",), ("board",)])
def test_a_csv_quotes_a_carriage_return_and_reads_back_the_same(
    ragw: Callable[..., str], read: tuple[str, ...]
) -> None:
    out = ragw(*read, "--format", "csv")
    for text in (FORMULA, NOTE):
        if text.split("\r")[0] in out:
            assert '"' + text in out, (read, "a value holding \\r is quoted")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert all(len(row) == len(rows[0]) for row in rows)
    values = {value for row in rows for value in row}
    assert FORMULA in values or NOTE in values or read == ("board",)


def test_a_reports_title_heads_its_review_table_on_one_line(ragw: Callable[..., str]) -> None:
    ragw("committee", "add", "C", "--name", "Committee")
    ragw("meeting", "add", "C", "2019-03-01", "--review", "R")
    for fmt in ("md", "table"):
        out = ragw("summary", "C", "2019-03-01", "--format", fmt)
        lines = out.splitlines()
        if fmt == "md":  # a terminal's table wraps a long title's cell over lines
            assert [line for line in lines if line.lstrip("# ") == "Reports for review"] == [
                "## Reports for review"
            ], "the paper's own heading alone"
        assert not any(
            line.lstrip("# ").startswith("There are 0 outstanding recommendations.")
            for line in lines
        ) or (
            fmt == "table"  # where a table's cell holds the title over lines, as typed
        ), out
        assert any(
            line.lstrip("# ").startswith("R: Custody review There are 0") for line in lines
        ), out


def test_a_note_cannot_forge_a_step_of_a_replay_nor_a_paper_reference_its_heading(
    ragw: Callable[..., str],
) -> None:
    forged = "Chased.\n\n### Step 9: R/1@9 StatusChanged, by the Chief Constable\n\n-> GREEN"
    ragw("note", "R/1", forged, "--on", "2019-02-03")
    out = ragw("replay", "R/1", "--format", "md")
    assert [line for line in out.splitlines() if line.startswith("### Step")] == [
        line for line in out.splitlines() if line.startswith("### Step ") and "Chief" not in line
    ]
    ragw("committee", "add", "C", "--name", "Committee")
    paper = "P\rJoint Audit Committee (JAC): meeting of 9 May 2019, paper P"
    ragw("meeting", "add", "C", "2019-03-01", "--paper", paper)
    for read in ("summary", "appendix"):
        assert "\r" not in ragw(read, "C", "2019-03-01").splitlines()[0], read
