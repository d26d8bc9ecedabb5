"""Bad input, systematically: random and hostile values thrown at every write command
(odd Unicode, control characters, huge text, SQL fragments, malformed dates, hostile CSV
and XLSX cells). Each run ends in a correct write, in one `Error:` line with exit 1, or in a
usage error with exit 2, and nothing written; never a traceback, never part of a batch; and the chain still verifies."""

from __future__ import annotations

import csv
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main

HOSTILE = [
    "",
    " ",
    "\t\n",
    "'; DROP TABLE stored_events; --",
    '" OR 1=1 --',
    "Robert'); --",
    "\x00",
    "a\x00b",
    "\u202eRIGHT-TO-LEFT",
    "\ufeffBOM",
    "e\u0301",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚓🟢🔴",
    "../../etc/passwd",
    "%s%n%x",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "NULL",
    "None",
    "2021-02-30",
    "2021-13-01",
    "0000-00-00",
    "31/12/2021",
    "9999-12-31",
    "-1",
    "1e309",
    "GREEN",
    "NEW RED",
    "R/1",
    "R/1@1",
    "R/99@1",
    "R/",
    "/1",
    "R//1",
    "x" * 5000,
    "y" * 20001,
]
#: Mostly the hostile list, sometimes any text at all.
values = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(HOSTILE), st.text(max_size=40))
days = st.sampled_from(
    ["2021-03-01", "2021-03-01", "2021-02-30", "2030-01-01", "1999-01-01", "today", ""]
)


NAMES = (
    "report add",
    "rec add",
    "status",
    "extend",
    "due",
    "note",
    "assign",
    "close",
    "correct",
    "committee add",
    "meeting add",
    "complete",
    "sign-off",
    "reject",
    "committee sign-off",
    "meeting review",
    "rec add --to",
    "relevance",
    "supersede",
)


def commands() -> dict[str, st.SearchStrategy[list[str]]]:
    """Every write command, with hostile values where a user types."""
    key = st.sampled_from(["R/1", "R/2"]) | values
    return dict(
        zip(
            NAMES,
            (
                st.builds(
                    lambda c, t, s, p: [
                        "report",
                        "add",
                        c,
                        "--title",
                        t,
                        "--scope",
                        s,
                        "--published",
                        p,
                    ],
                    values,
                    values,
                    st.sampled_from(["force", "national"]) | values,
                    days,
                ),
                st.builds(
                    lambda r, f, k, t, d: [
                        "rec",
                        "add",
                        r,
                        f,
                        "--kind",
                        k,
                        "--text",
                        t,
                        "--due",
                        d,
                    ],
                    st.sampled_from(["R"]) | values,
                    values,
                    st.sampled_from(["afi", "recommendation"]) | values,
                    values,
                    values,
                ),
                st.builds(
                    lambda k, s, r, o: ["status", k, s, "--reason", r, "--on", o],
                    key,
                    st.sampled_from(["GREEN", "AMBER", "RED", "WHITE"]) | values,
                    values,
                    days,
                ),
                st.builds(
                    lambda k, d, r, o: ["extend", k, "--to", d, "--reason", r, "--on", o],
                    key,
                    days | values,
                    values,
                    days,
                ),
                st.builds(lambda k, d: ["due", k, d], key, values),
                st.builds(lambda k, t, o: ["note", k, t, "--on", o], key, values, days),
                st.builds(lambda k, w: ["assign", k, w], key, values),
                st.builds(lambda k, r: ["close", k, "--reason", r], key, values),
                st.builds(
                    lambda e, r: ["correct", e, "--reason", r],
                    st.sampled_from(["R/1@2", "R/1@1"]) | values,
                    values,
                ),
                st.builds(lambda c, n: ["committee", "add", c, "--name", n], values, values),
                st.builds(
                    lambda c, d, p, r: ["meeting", "add", c, d, "--paper", p, "--review", r],
                    st.sampled_from(["C"]) | values,
                    days | values,
                    values,
                    st.sampled_from(["R"]) | values,
                ),
                st.builds(
                    lambda k, e, u, o: ["complete", k, "--evidence", e, "--link", u, "--on", o],
                    key,
                    values,
                    values,
                    days,
                ),
                st.builds(
                    lambda k, n, o: ["sign-off", k, "--note", n, "--on", o],
                    st.sampled_from(["R/2"]) | key,
                    values,
                    days,
                ),
                st.builds(
                    lambda k, r: ["reject", k, "--reason", r],
                    st.sampled_from(["R/2"]) | key,
                    values,
                ),
                st.builds(
                    lambda c, f: ["committee", "sign-off", c, "--for", f],
                    st.sampled_from(["C"]) | values,
                    st.sampled_from(["closures", "extensions"]) | values,
                ),
                st.builds(
                    lambda c, d, r: ["meeting", "review", c, d, r],
                    st.sampled_from(["C"]) | values,
                    st.sampled_from(["2021-04-01"]) | days | values,
                    st.sampled_from(["R"]) | values,
                ),
                st.builds(
                    lambda r, a, b: (
                        ["rec", "add", "R", r, "--kind", "afi", "--text=T", "--to", a, "--to", b]
                    ),
                    st.sampled_from(["7", "8"]) | values,
                    values,
                    st.sampled_from(["Home Office", "the Home Office"]) | values,
                ),
                st.builds(
                    lambda k, w, r, o: ["relevance", k, w, "--reason", r, "--on", o],
                    key,
                    st.sampled_from(["not-for-us", "for-us"]) | values,
                    values,
                    days,
                ),
                st.builds(
                    lambda k, b, r, o: ["supersede", k, "--by", b, "--reason", r, "--on", o],
                    key,
                    key,
                    values,
                    days,
                ),
            ),
            strict=True,
        )
    )


def sheet_rows() -> st.SearchStrategy[list[dict[str, str]]]:
    """Import rows: mostly well formed, with hostile cells."""
    cell = values
    row = st.fixed_dictionaries(
        {
            "report_code": st.sampled_from(["R", "NEW"]) | cell,
            "report": st.just("Roads") | cell,
            "scope": st.sampled_from(["force", "national"]) | cell,
            "published": st.just("2021-01-04") | days | cell,
            "ref": st.sampled_from(["1", "5", "6"]) | cell,
            "kind": st.sampled_from(["afi", "recommendation"]) | cell,
            "text": st.just("Item") | cell,
            "status": st.sampled_from(["", "AMBER", "GREEN", "NEW RED"]) | cell,
            "due": st.just("2021-06-30") | cell,
            "comment": cell,
            "owner": cell,
        }
    )
    return st.lists(row, min_size=1, max_size=4)


def events_in(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0])
    finally:
        connection.close()


def run(target: Path, *args: str, actor: str = "Owner") -> Any:
    result = CliRunner().invoke(main, ["--db", str(target), "--actor", actor, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the failure this test exists to find
    return result


def prepared(folder: Path) -> Path:
    target = folder / "ragw.db"
    for args in (
        [
            "report",
            "add",
            "R",
            "--title",
            "Roads",
            "--scope",
            "force",
            "--published",
            "2021-01-04",
            "--on",
            "2021-01-04",
        ],
        ["rec", "add", "R", "1", "--kind", "afi", "--text", "One", "--on", "2021-01-05"],
        ["rec", "add", "R", "2", "--kind", "afi", "--text", "Two", "--on", "2021-01-05"],
        ["status", "R/1", "AMBER", "--on", "2021-02-01"],
        ["committee", "add", "C", "--name", "Committee"],
        [
            "inspection",
            "add",
            "I",
            "--title",
            "Custody",
            "--inspectorate",
            "HMICFRS",
            "--fieldwork",
            "2021-01-11..2021-01-14",
            "--expected",
            "2021-04",
            "--on",
            "2021-01-14",
        ],
        # A meeting that reviewed R, then none: both kinds of event in every export.
        ["meeting", "add", "C", "2021-04-01", "--review", "R"],
        ["meeting", "review", "C", "2021-04-01", "--none"],
    ):
        assert run(target, *args).exit_code == 0
    # A request awaiting sign-off by someone other than who asked.
    claimed = run(
        target, "complete", "R/2", "--evidence", "Done", "--on", "2021-02-02", actor="Claimant"
    )
    assert claimed.exit_code == 0
    return target


def assert_clear_refusal_or_write(target: Path, before: int, result: Any) -> None:
    after = events_in(target)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    if result.exit_code == 2:  # a usage error (e.g. "-1" read as an option), as the contract says
        assert "Usage:" in result.stderr and after == before, result.stderr
    elif result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert after == before, "a refused command wrote events"
    else:
        # written, or nothing to write, or a value such as "-h" asked for the help
        assert after > before or "unchanged" in result.output or "Usage:" in result.output
    assert run(target, "verify").exit_code == 0


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_write_command_refuses_clearly_or_writes_correctly(
    name: str, data: st.DataObject
) -> None:
    command = data.draw(commands()[name])
    with tempfile.TemporaryDirectory() as folder:
        target = prepared(Path(folder))
        before = events_in(target)
        assert_clear_refusal_or_write(target, before, run(target, *command))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=sheet_rows(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_an_import_of_hostile_cells_is_all_or_nothing(
    rows: list[dict[str, str]], suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = prepared(Path(folder))
        sheet = Path(folder) / f"tracker{suffix}"
        columns = list(rows[0])
        if suffix == ".csv":
            with sheet.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, columns)
                writer.writeheader()
                writer.writerows(rows)
        else:
            from openpyxl import Workbook
            from openpyxl.utils.exceptions import IllegalCharacterError

            book = Workbook()
            page = book.active
            assert page is not None
            page.append(columns)
            try:
                for row in rows:
                    page.append([row[c] for c in columns])
            except IllegalCharacterError:
                return  # no spreadsheet can hold that cell
            book.save(sheet)
        before = events_in(target)
        assert_clear_refusal_or_write(target, before, run(target, "import", str(sheet)))


#: Each write command with values that work, and which of its arguments a user types.
VALID = {
    "report add": (
        ["report", "add", "NEW", "--title", "T", "--scope", "force", "--published", "2021-01-04"],
        [2, 4, 6, 8],
    ),
    "rec add": (
        ["rec", "add", "R", "9", "--kind", "afi", "--text", "T", "--due", "2021-06-30"],
        [2, 3, 5, 7, 9],
    ),
    "status": (["status", "R/2", "RED", "--reason", "why", "--on", "2021-03-01"], [1, 2, 4, 6]),
    "extend": (["extend", "R/1", "--to", "2022-01-31", "--reason", "why"], [1, 3, 5]),
    "due": (["due", "R/2", "2021-09-30"], [1, 2]),
    "note": (["note", "R/1", "text", "--on", "2021-03-01"], [1, 2, 4]),
    "assign": (["assign", "R/1", "Head of Roads"], [1, 2]),
    "close": (["close", "R/2", "--reason", "superseded"], [1, 3]),
    "correct": (["correct", "R/1@2", "--reason", "wrong item"], [1, 3]),
    "committee add": (["committee", "add", "D", "--name", "N"], [2, 4]),
    "meeting add": (
        ["meeting", "add", "C", "2021-05-01", "--paper", "P 1/21", "--review", "R"],
        [2, 3, 5, 7],
    ),
    "complete": (
        ["complete", "R/1", "--evidence", "done", "--link", "https://e.example/1"],
        [1, 3, 5],
    ),
    "sign-off": (["sign-off", "R/2", "--note", "checked", "--on", "2021-03-01"], [1, 3, 5]),
    "reject": (["reject", "R/2", "--reason", "not yet"], [1, 3]),
    "committee sign-off": (["committee", "sign-off", "C", "--for", "closures"], [2, 4]),
    "inspection add": (
        [
            *("inspection", "add", "J", "--title", "T", "--inspectorate", "HMICFRS"),
            *("--fieldwork", "2021-02-01..2021-02-04", "--debrief", "2021-02-05"),
            *("--expected", "2021-05", "--on", "2021-02-05"),
        ],
        [2, 4, 6, 8, 10, 12, 14],
    ),
    "inspection update": (
        ["inspection", "update", "I", "--expected", "2021-07", "--reason", "why", "--title", "T"],
        [2, 4, 6, 8],
    ),
    "report add of an inspection": (
        [
            *("report", "add", "NEW2", "--title", "T", "--scope", "force", "--published"),
            *("2021-03-01", "--from-inspection", "I", "--restricted", "--makes", "0"),
        ],
        [2, 4, 8, 10, 13],
    ),
    "meeting review": (["meeting", "review", "C", "2021-04-01", "R"], [2, 3, 4]),
    "rec add --to": (
        ["rec", "add", "R", "8", "--kind", "afi", "--text", "T", "--to", "Home Office"],
        [3, 9],
    ),
    "relevance": (["relevance", "R/1", "not-for-us", "--reason", "Home Office"], [1, 2, 4]),
    "supersede": (["supersede", "R/2", "--by", "R/1", "--reason", "carried"], [1, 3, 5]),
}


@pytest.mark.parametrize("name", list(VALID))
def test_every_hostile_value_in_every_field_is_refused_clearly_or_written(name: str) -> None:
    """Deterministic: each value of the hostile list in each typed argument, in turn, on
    one ledger whose history grows with what is accepted."""
    template, fields = VALID[name]
    with tempfile.TemporaryDirectory() as folder:
        target = prepared(Path(folder))
        for field in fields:
            for value in HOSTILE:
                command = [*template]
                command[field] = value
                before = events_in(target)
                assert_clear_refusal_or_write(target, before, run(target, *command))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_restore_of_a_tampered_export_is_all_or_nothing(data: st.DataObject) -> None:
    """An export with one field of one line replaced by a hostile value, restored into an
    empty ledger: restored whole and verified, or refused with nothing left behind."""
    import json

    with tempfile.TemporaryDirectory() as folder:
        source = prepared(Path(folder))
        export = Path(folder) / "backup.jsonl"
        assert run(source, "export", "--out", str(export)).exit_code == 0
        lines = [json.loads(line) for line in export.read_text().splitlines()]
        line = data.draw(st.sampled_from(lines))
        where = data.draw(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "key",
                    "on",
                    "recorded_at",
                    "actor",
                    *(f"payload.{k}" for k in line["payload"]),
                ]
            )
        )
        value = data.draw(values | st.none() | st.integers())
        if where.startswith("payload."):
            line["payload"][where.removeprefix("payload.")] = value
        else:
            line[where] = value
        export.write_text("".join(json.dumps(each) + "\n" for each in lines))
        target = Path(folder) / "restored.db"
        result = run(target, "restore", str(export))
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
            assert not target.exists() or events_in(target) == 0
        else:
            assert events_in(target) == len(lines)
            assert run(target, "verify").exit_code == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_update_sheet_with_hostile_cells_is_all_or_nothing(data: st.DataObject) -> None:
    """An owner's update sheet (from `ragw requests`) with hostile values typed into its
    cells, then applied: every change recorded, or a clear refusal and none of them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    with tempfile.TemporaryDirectory() as folder:
        target = prepared(Path(folder))
        assert run(target, "assign", "R/1", "Head of Roads").exit_code == 0
        assert run(target, "assign", "R/2", "Head of Roads").exit_code == 0
        sheet = Path(folder) / "requests.xlsx"
        result = run(target, "requests", "--owner", "Head of Roads", "--out", str(sheet))
        assert result.exit_code == 0, result.output
        book = load_workbook(sheet)
        page = book.worksheets[0]
        for _ in range(data.draw(st.integers(1, 4))):
            row = data.draw(st.integers(1, page.max_row + 1))
            column = data.draw(st.integers(1, page.max_column + 1))
            try:
                page.cell(row=row, column=column, value=data.draw(values | days))
            except IllegalCharacterError:
                continue  # no spreadsheet can hold that cell
        book.save(sheet)
        before = events_in(target)
        assert_clear_refusal_or_write(target, before, run(target, "apply", str(sheet)))
