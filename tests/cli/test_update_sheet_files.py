"""An update sheet is read as whoever checks it sees it, and within stated bounds: a
hidden sheet or a formula in any cell read is refused naming it; a file past 20,000 rows,
50 columns or 20 MB (100 MB unpacked) is refused before it is read whole, with bounded
memory; trackers are read within the same bounds. Files only: one store is enough (the
rules that depend on the store are in test_update_sheet_roles.py)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from ledger.exchange.updates import FILLED, SHOWN, VERSION
from ledger.exchange.workbook import MAX_COLUMNS, MAX_ROWS
from tests.cli.test_verify import history

OWNER = "Head of Roads"  # owns R/2 (AMBER) in the history below
LIMITS = "20,000 rows below its header, 50 columns and 20 MB (100 MB unpacked)"


@pytest.fixture
def target(tmp_path: Path) -> str:
    return str(tmp_path / "ragw.db")


@pytest.fixture
def roads(ragw, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The update sheet of Head of Roads, as ragw writes it."""
    history(ragw)
    sheet = tmp_path / "roads.xlsx"
    ragw("requests", "--owner", OWNER, "--out", str(sheet))
    return sheet


def events_in(ragw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(ragw("log", "--format", "json"))["events"])


def refused(ragw, *args: str) -> str:  # type: ignore[no-untyped-def]
    before = events_in(ragw)
    error = ragw(*args, code=1)
    assert error.startswith("Error: ") and error.count("\n") == 1, error
    assert events_in(ragw) == before, "a refused sheet wrote"
    return error


def edited(path: Path, **cells: str) -> Path:
    """``path`` with ``cells`` (by coordinate, on the update sheet; ``About_B1`` on the
    About sheet) set, saved by openpyxl as a spreadsheet saves them."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for name, value in cells.items():
        sheet, cell = (
            (book["About"], name[6:]) if name.startswith("About_") else (book.worksheets[0], name)
        )
        sheet[cell] = value
    book.save(path)
    return path


def cell(row: int, column: int, value: str) -> str:
    from openpyxl.utils import get_column_letter

    ref = f"{get_column_letter(column)}{row}"
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def handmade(path: Path, rows: Iterable[str], *, owner: str = OWNER, dimension: str = "") -> Path:
    """An update sheet written as XML by hand, its rows streamed into the zip (so that
    a sheet of millions of rows is made without holding it)."""
    header = "".join(cell(1, i, name) for i, name in enumerate((*SHOWN, *FILLED, VERSION), start=1))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
            '"/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxml'
            'formats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org'
            '/officeDocument/2006/relationships"><sheets><sheet name="Update" sheetId="1" '
            'r:id="rId1"/><sheet name="About" sheetId="2" r:id="rId2"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
            '"worksheets/sheet2.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet2.xml": _sheet(
            [f"<row r='1'>{cell(1, 1, 'Owner')}{cell(1, 2, owner)}</row>"]
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for piece in _sheet_pieces([f'<row r="1">{header}</row>', *[]], rows, dimension):
                sheet.write(piece.encode())
    return path


def _sheet(rows: Iterable[str]) -> str:
    return "".join(_sheet_pieces(rows, [], ""))


def _sheet_pieces(first: Iterable[str], rows: Iterable[str], dimension: str) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
        'formats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + "<sheetData>"
    )
    yield from first
    chunk: list[str] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == 10_000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    yield "</sheetData></worksheet>"


def key_rows(count: int) -> Iterator[str]:
    """``count`` rows naming R/2 and filling nothing in: read, and record nothing. Rows
    and cells need not say where they are (each follows the one before), so every row is
    the same text and millions of them pack into little."""
    for _ in range(count):
        yield '<row><c t="inlineStr"><is><t>R/2</t></is></c></row>'


def in_a_small_process(
    db: str, *args: str, memory: int = 1024**3
) -> subprocess.CompletedProcess[str]:
    """``ragw`` run with at most ``memory`` bytes of address space: a sheet read whole
    would need more."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "--db", db, *args],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )


# Seen as its reader sees it ----------------------------------------------------------------


def test_ragws_own_sheet_holds_no_formula_and_every_sheet_is_visible(roads: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(roads)
    assert [s.sheet_state for s in book.worksheets] == ["visible", "visible"]
    assert not [
        c.coordinate
        for s in book.worksheets
        for r in s.iter_rows()
        for c in r
        if c.data_type == "f"
    ]
    for sheet in book.worksheets:  # nothing drawn otherwise than it holds
        assert not sheet.merged_cells.ranges and not list(sheet.conditional_formatting)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
@pytest.mark.parametrize("sheet", ["Update", "About"])
def test_a_hidden_sheet_is_refused_naming_it(ragw, roads: Path, sheet: str, state: str) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    edited(roads, I2="Contract signed")
    book = load_workbook(roads)
    book[sheet].sheet_state = state
    if sheet == "Update":  # a spreadsheet opens on a visible sheet
        book.active = 1
    book.save(roads)
    error = refused(ragw, "apply", str(roads))
    assert f"Error: roads.xlsx: its sheet '{sheet}' is hidden, so whoever checks" in error


@pytest.mark.parametrize(
    ("hide", "said"), [("row", "row 2"), ("height", "row 2"), ("column", "column I")]
)
def test_a_hidden_row_or_column_is_refused_naming_it(
    ragw, roads: Path, hide: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    book = load_workbook(roads)
    sheet = book.worksheets[0]
    sheet["I2"] = "Contract signed"  # the progress note, in a row or column not shown
    if hide == "row":
        sheet.row_dimensions[2].hidden = True
    elif hide == "column":
        sheet.column_dimensions["I"].hidden = True
    book.save(roads)
    if hide == "height":  # as Excel writes a row dragged to nothing (openpyxl drops ht="0")
        with zipfile.ZipFile(roads) as packed:
            parts = {name: packed.read(name) for name in packed.namelist()}
        sheet_xml = "xl/worksheets/sheet1.xml"
        parts[sheet_xml] = parts[sheet_xml].replace(
            b'<row r="2"', b'<row r="2" ht="0" customHeight="1"', 1
        )
        assert b'ht="0"' in parts[sheet_xml]
        with zipfile.ZipFile(roads, "w") as packed:
            for name, data in parts.items():
                packed.writestr(name, data)
    error = refused(ragw, "apply", str(roads))
    assert error.startswith(f"Error: roads.xlsx hides {said} (hidden, or too small to read)")


def test_a_formula_in_any_cell_of_an_items_row_is_a_bad_row_naming_the_cell(
    ragw, roads: Path
) -> None:  # type: ignore[no-untyped-def]
    edited(roads, D2="=1+1", I2="Contract signed")  # the status shown, not a column read
    error = refused(ragw, "apply", str(roads))
    assert error.startswith("Error: roads.xlsx has 1 bad row and nothing was recorded")
    assert "line 2: cell D2 holds a formula (=1+1); type the value itself" in error
    edited(roads, D2="AMBER", A3='="R/"&"2"')  # a row made only of a formula is read too
    error = refused(ragw, "apply", str(roads))
    assert 'line 3: cell A3 holds a formula (="R/"&"2"); type the value itself' in error


def test_a_formula_in_the_header_or_the_owner_is_refused_naming_the_cell(ragw, roads: Path) -> None:  # type: ignore[no-untyped-def]
    edited(roads, I2="Contract signed", About_B1='="Head of "&"Roads"')
    error = refused(ragw, "apply", str(roads))
    assert (
        'Error: roads.xlsx: cell About!B1 holds a formula (="Head of "&"Roads"); type the' in error
    )
    edited(roads, About_B1=OWNER, G1='="new "&"status"')
    assert "roads.xlsx: cell G1 holds a formula" in refused(ragw, "apply", str(roads))


def test_a_sheet_is_read_past_the_extent_it_states_about_itself(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history(ragw)
    note = SHOWN.__len__() + FILLED.index("progress note") + 1
    version = str(len(json.loads(ragw("history", "R/2", "--format", "json"))["events"]))
    last = len(SHOWN) + len(FILLED) + 1
    sheet = handmade(
        tmp_path / "roads.xlsx",
        [
            f'<row r="2">{cell(2, 1, "R/2")}{cell(2, note, "Read all the same")}'
            f"{cell(2, last, version)}</row>"
        ],
        dimension="A1:A1",
    )
    assert ragw("apply", str(sheet)).endswith("1 events recorded\n")
    assert json.loads(ragw("history", "R/2", "--format", "json"))["events"][-1]["text"] == (
        "Read all the same"
    )


# Within stated bounds ----------------------------------------------------------------------


def test_a_sheet_of_the_most_rows_is_read_and_one_row_more_is_refused(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history(ragw)
    most = handmade(tmp_path / "most.xlsx", key_rows(MAX_ROWS))
    assert ragw("apply", str(most)).endswith(
        f"{MAX_ROWS} rows: 0 items changed, {MAX_ROWS} unchanged; 0 events recorded\n"
    )
    more = handmade(tmp_path / "more.xlsx", key_rows(MAX_ROWS + 1))
    error = refused(ragw, "apply", str(more))
    assert error == (
        f"Error: more.xlsx has more than 20,000 rows below its header; a sheet is read up to "
        f"{LIMITS}: split it into smaller files\n"
    )


def test_a_value_past_the_last_column_is_refused_naming_its_cell(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history(ragw)
    rows = (
        f'<row r="{r}">{cell(r, 1, "R/2")}{cell(r, 16384, "far")}</row>' for r in range(2, MAX_ROWS)
    )
    error = refused(ragw, "apply", str(handmade(tmp_path / "wide.xlsx", rows)))
    assert "Error: wide.xlsx: cell XFD2 is past column 50; a sheet is read up to" in error
    assert MAX_COLUMNS == 50


def test_a_workbook_of_millions_of_rows_is_refused_before_it_is_read_in_bounded_memory(
    ragw, tmp_path: Path, target: str
) -> None:  # type: ignore[no-untyped-def]
    history(ragw)
    # 3,000,000 rows: 0.4 MB on disk, 150 MB unpacked, where a sheet of 20,000 rows of
    # long texts unpacks to 40 MB.
    bomb = handmade(tmp_path / "bomb.xlsx", key_rows(3_000_000))
    assert bomb.stat().st_size < 1024**2
    done = in_a_small_process(target, "apply", str(bomb))
    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    assert (
        done.stderr.startswith("Error: bomb.xlsx unpacks to ")
        and "MB; a sheet is read up to" in done.stderr
    )
    # Under the unpacked bound, rows and cells are counted before any is parsed:
    # 1,000,000 empty rows in 20 MB of XML, or 20,000 rows of 60 cells.
    empty = handmade(tmp_path / "empty.xlsx", ("<row/>" for _ in range(1_000_000)))
    cells = handmade(
        tmp_path / "cells.xlsx", ("<row>" + "<c/>" * 60 + "</row>" for _ in range(MAX_ROWS))
    )
    # A single row numbered in the billions: no row is made up to it.
    far = handmade(
        tmp_path / "far.xlsx", [f'<row r="2000000000">{cell(2000000000, 1, "R/2")}</row>']
    )
    for sheet, said in (
        (empty, "has more than 20,000 rows below its header; a sheet is read up to"),
        (cells, "has more cells in a sheet than 20,001 rows of 50 columns hold"),
        (far, "has more than 20,000 rows below its header; a sheet is read up to"),
    ):
        done = in_a_small_process(target, "apply", str(sheet))
        assert done.returncode == 1 and done.stderr.startswith(f"Error: {sheet.name} {said}"), (
            done.stderr
        )


def test_a_file_past_its_byte_limit_is_refused_before_it_is_opened(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history(ragw)
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # not even a workbook: its size is all that is read
    assert refused(ragw, "apply", str(big)) == (
        f"Error: big.xlsx is 21.0 MB; a sheet is read up to {LIMITS}: split it into smaller files\n"
    )


def test_a_tracker_is_read_within_the_same_bounds(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history(ragw)
    header = "report_code,report,scope,published,ref,kind,text\n"
    item = "R,Roads,force,2021-01-04,3,afi,Item 3\n"
    most = tmp_path / "most.csv"  # blank rows are rows: the item is on the last one
    most.write_text(header + "\n" * (MAX_ROWS - 1) + item)
    more = tmp_path / "more.csv"
    more.write_text(header + "\n" * MAX_ROWS + item)
    error = refused(ragw, "import", str(more))
    assert error == (
        f"Error: more.csv has more than 20,000 rows below its header; a sheet is read up to "
        f"{LIMITS}: split it into smaller files\n"
    )
    wide = tmp_path / "wide.csv"
    wide.write_text(header + item.rstrip("\n") + "," * 60 + "x\n")
    assert "wide.csv has a value past column 50 on line 2" in refused(ragw, "import", str(wide))
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for line in (header, *["\n"] * MAX_ROWS, item):
        sheet.append(line.strip().split(",") if line.strip() else [])
    book.save(tmp_path / "more.xlsx")
    assert "more.xlsx has more than 20,000 rows below its header" in refused(
        ragw, "import", str(tmp_path / "more.xlsx")
    )
    assert ragw("import", str(most), "--on", "2021-01-05").startswith("imported most.csv: 1 rows")


@pytest.mark.parametrize("command", ["apply", "import"])
def test_the_bounds_are_stated_in_help_as_they_are_applied(ragw, command: str) -> None:  # type: ignore[no-untyped-def]
    from ledger.exchange.workbook import LIMITS as APPLIED

    assert APPLIED == LIMITS
    assert LIMITS in " ".join(ragw(command, "--help").split())


def _rewritten(path: Path, old: bytes, new: bytes, part: str = "xl/worksheets/sheet1.xml") -> None:
    """The workbook with one piece of a part's XML replaced, as a hand edit would."""
    with zipfile.ZipFile(path) as packed:
        parts = {name: packed.read(name) for name in packed.namelist()}
    assert old in parts[part], (old, parts[part][:400])
    parts[part] = parts[part].replace(old, new, 1)
    with zipfile.ZipFile(path, "w") as packed:
        for name, data in parts.items():
            packed.writestr(name, data)


#: Ways the XML of a sheet (as ragw writes it: it states its columns' widths and its
#: rows' default height) can hide row 2 or column I, and what the refusal names.
HIDINGS = {
    "row of a tenth of a point": (b'<row r="2"', b'<row r="2" ht="0.1" customHeight="1"', "row 2"),
    "hidden as a character reference": (b'<row r="2"', b'<row r="2" hidden="&#49;"', "row 2"),
    "hidden true": (b'<row r="2"', b'<row r="2" hidden="true"', "row 2"),
    "rows hidden by default": (
        b"<sheetFormatPr ",
        b'<sheetFormatPr zeroHeight="1" ',
        "every row not given a height",
    ),
    "column a hundredth wide": (
        b"<cols>",
        b'<cols><col min="9" max="9" width="0.01" customWidth="1"/>',
        "column I",
    ),
}


@pytest.mark.parametrize("how", list(HIDINGS))
def test_a_row_or_column_hidden_any_way_a_spreadsheet_can_is_refused(
    ragw, roads: Path, how: str
) -> None:  # type: ignore[no-untyped-def]
    """However the XML hides it (what a spreadsheet draws, not what one flag says)."""
    old, new, said = HIDINGS[how]
    edited(roads, I2="Contract signed")
    _rewritten(roads, old, new)
    error = refused(ragw, "apply", str(roads))
    assert error.startswith(f"Error: roads.xlsx hides {said} (hidden, or too small to read)"), error


@pytest.mark.parametrize(
    "disguise",
    [
        "number format ;;;",
        "white on white",
        "white on no fill",
        "red on red",
        "white on cream",
        "theme white on no fill",
        "palette white on no fill",
        "number format of its own text",
        "number format of its own colour",
        "text a point high",
    ],
)
def test_a_cell_formatted_so_its_value_does_not_show_is_a_bad_row_naming_it(
    ragw, roads: Path, disguise: str
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from openpyxl.styles import Color, Font, PatternFill

    book = load_workbook(roads)
    cell = book.worksheets[0]["I2"]
    cell.value = "Contract signed"
    if disguise == "number format ;;;":
        cell.number_format = ";;;"
    elif disguise == "white on white":
        cell.font = Font(color="FFFFFFFF")
        cell.fill = PatternFill("solid", fgColor="FFFFFFFF")
    elif disguise == "white on no fill":
        cell.font = Font(color="FFFFFF")
        cell.fill = PatternFill(fill_type=None)
    elif disguise == "white on cream":  # the sheet's own shading
        cell.font = Font(color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="FFF9E5")
    elif disguise == "theme white on no fill":
        cell.font = Font(color=Color(theme=0))
    elif disguise == "palette white on no fill":
        cell.font = Font(color=Color(indexed=9))
    elif disguise == "number format of its own text":
        cell.number_format = '"Contract not signed"'
    elif disguise == "number format of its own colour":
        cell.number_format = "[White]@"
    elif disguise == "text a point high":
        cell.font = Font(sz=1)
    else:
        cell.font = Font(color="FFC00000")
        cell.fill = PatternFill("solid", fgColor="FFC00000")
    book.save(roads)
    error = refused(ragw, "apply", str(roads))
    assert "cell I2 does not show what it holds" in error, error


@pytest.mark.parametrize("drawn", ["merged", "formatted by condition", "a table"])
def test_a_sheet_drawing_a_cell_otherwise_than_it_holds_is_refused_naming_the_cells(
    ragw, roads: Path, drawn: str
) -> None:  # type: ignore[no-untyped-def]
    """GREEN typed as the new status, then hidden: under a merge with the cell before it
    (a merge shows its first cell alone), or by a rule colouring it as its fill."""
    from openpyxl import load_workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font

    book = load_workbook(roads)
    sheet = book.worksheets[0]
    header = [str(cell.value or "").lower() for cell in sheet[1]]
    column = next(i for i, name in enumerate(header, start=1) if name.startswith("new status"))
    status = sheet.cell(row=2, column=column)
    status.value = "GREEN"
    if drawn == "formatted by condition":
        sheet.conditional_formatting.add(
            status.coordinate, FormulaRule(formula=["TRUE"], font=Font(color="FFF9E5"))
        )
    elif drawn == "a table":  # whose style (a custom one, say) can colour cells away
        from openpyxl.worksheet.table import Table

        sheet.add_table(Table(displayName="Updates", ref=f"A1:{status.coordinate}"))
    book.save(roads)
    before = f"{chr(ord(status.column_letter) - 1)}2"
    if drawn == "merged":  # as a spreadsheet saves a merge over a value (openpyxl drops it)
        with zipfile.ZipFile(roads) as packed:
            parts = {name: packed.read(name) for name in packed.namelist()}
        sheet_xml = "xl/worksheets/sheet1.xml"
        merge = f'</sheetData><mergeCells count="1"><mergeCell ref="{before}:{status.coordinate}"/></mergeCells>'
        parts[sheet_xml] = parts[sheet_xml].replace(b"</sheetData>", merge.encode(), 1)
        with zipfile.ZipFile(roads, "w") as packed:
            for name, data in parts.items():
                packed.writestr(name, data)
        said = f"cells {before}:{status.coordinate} merged"
    elif drawn == "a table":
        said = "cells formatted as a table"
    else:
        said = f"cells {status.coordinate} formatted by condition"
    error = refused(ragw, "apply", str(roads))
    assert error.startswith(f"Error: roads.xlsx has {said}, so a cell may not show"), error


@pytest.mark.parametrize(
    ("run", "said"),
    [
        ({"sz": 1}, "a part of a cell's text too small to read"),
        ({"color": "FFFFFF"}, "a part of a cell's text too pale to read"),
        ({"color": "FFF9E5"}, "a part of a cell's text too pale to read"),
        ({"b": True}, None),  # a word in bold shows: applied
        ({"color": "FFC00000", "i": True}, None),
    ],
)
def test_a_part_of_a_cells_text_formatted_so_it_does_not_show_is_refused(
    ragw, roads: Path, run: dict[str, object], said: str | None
) -> None:  # type: ignore[no-untyped-def]
    """A note reading "Work under way" to whoever checks it, and recording more: the rest
    of its text in a run of its own, a point high or white."""
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = load_workbook(roads, rich_text=True)
    sheet = book.worksheets[0]
    sheet["I2"].value = CellRichText(
        "Work under way",
        TextBlock(InlineFont(**run), " and the Chief Constable agreed to close it"),
    )
    book.save(roads)
    if said is None:
        assert "1 items changed" in ragw("apply", str(roads))
        return
    error = refused(ragw, "apply", str(roads))
    assert error.startswith(f"Error: roads.xlsx has {said}, so a cell may not show"), error


def dated(roads: Path, shown: str) -> Path:
    """``roads`` asking for a new due date of 2099-06-30, its cell shown as ``shown``."""
    from datetime import datetime

    from openpyxl import load_workbook

    book = load_workbook(roads)
    sheet = book.worksheets[0]
    sheet["J2"].value = datetime(2099, 6, 30)
    sheet["J2"].number_format = shown
    sheet["K2"].value = "The supplier is late"
    book.save(roads)
    return roads


@pytest.mark.parametrize("shown", ['"2027-"mm-dd', "mm-dd", "\\2\\0\\2\\7-mm-dd"])
def test_a_date_shown_as_another_or_without_its_year_is_a_bad_row(
    ragw, roads: Path, shown: str
) -> None:  # type: ignore[no-untyped-def]
    """2099-06-30 shown as 2027-06-30, or as 06-30: whoever checks the sheet would read
    another date than the one recorded."""
    error = refused(ragw, "apply", str(dated(roads, shown)))
    assert "cell J2 does not show what it holds" in error, error


@pytest.mark.parametrize(
    "shown", ["yyyy-mm-dd", "dd/mm/yyyy", "yyyy\\-mm\\-dd", "[$-809]d mmmm yyyy"]
)
def test_a_date_shown_whole_is_applied(ragw, roads: Path, shown: str) -> None:  # type: ignore[no-untyped-def]
    assert "1 items changed" in ragw("apply", str(dated(roads, shown)))


def test_a_coloured_cell_that_shows_its_text_is_applied(ragw, roads: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from openpyxl.styles import Font, PatternFill

    book = load_workbook(roads)
    cell = book.worksheets[0]["I2"]
    cell.value = "Contract signed"
    cell.font = Font(color="FF000000", bold=True)
    cell.fill = PatternFill("solid", fgColor="FFFFFF00")
    book.save(roads)
    assert "1 items changed" in ragw("apply", str(roads))
