"""Reading a tracker: the spreadsheet a force already keeps, as CSV or XLSX.

A tracker has a header row and one row per item, with the columns of the command-line
contract (any order, any case). Cells are read as text as a person typed them; dates
that a spreadsheet stored as dates come back as ISO dates. Every row keeps its line
number, so every complaint about it can name it.

A CSV cell that ragw escaped on export (:mod:`ledger.exchange.cells`) is read back as the
text it was. A workbook cell holding a formula is read as the value the spreadsheet saved
with it; one saved without a value (as programs that cannot calculate write them), or
with an error, makes its row a bad row that names the cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ledger.errors import Fix, Hint, InvalidInputError
from ledger.exchange.cells import unescaped
from ledger.exchange.updates import FILLED, UpdateRow

REQUIRED = ("report_code", "report", "scope", "published", "ref", "kind", "text")
OPTIONAL = ("inspectorate", "status", "reason", "due", "comment", "owner", "lead", "on")
COLUMNS = REQUIRED + OPTIONAL
#: Columns an export of the board adds for people; an import passes over them.
IGNORED = ("key", "due_date", "overdue")
#: Headers people write for the same column.
ALIASES = {
    "code": "report_code",
    "report code": "report_code",
    "title": "report",
    "report title": "report",
    "inspectorates": "inspectorate",
    "due date": "due",
    "recommendation": "text",
    "effective": "on",
    "as at": "on",
}
#: What to do about a formula whose value cannot be read.
RECALCULATE = (
    "open the file in Excel or LibreOffice and save it there, so the values are saved "
    "with the formulas, or type the value in place of the formula"
)


@dataclass(frozen=True)
class Line:
    """A row of a file as read: its number, its cells as text, and the cells (by column
    index) whose value cannot be read, each with why."""

    number: int
    values: list[str]
    unreadable: dict[int, str] = field(default_factory=dict)

    def problem(self, columns: Iterable[int]) -> str:
        """Why the cells of ``columns`` cannot all be read ("" when they can)."""
        said = [self.unreadable[i] for i in sorted(set(columns)) if i in self.unreadable]
        return f"{'; '.join(said)}; {RECALCULATE}" if said else ""


@dataclass(frozen=True)
class TrackerRow:
    """One row: its line in the file, and its cells by column name."""

    line: int
    cells: dict[str, str]
    #: Why a cell of the row cannot be read (a formula without a saved value), if one cannot.
    problem: str = ""

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def read_tracker(path: Path) -> list[TrackerRow]:
    """Every non-empty row of a .csv or .xlsx tracker; refuses a file it cannot read or
    whose header lacks a required column."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInputError(f"no file {path}; give the path of a .csv or .xlsx tracker")
    if suffix == ".csv":
        lines = _csv_lines(path)
    elif suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(path)
    else:
        raise InvalidInputError(
            f"{path.name}: a tracker is read from .csv or .xlsx; save it as one of those"
        )
    return rows_of(lines, path.name)


def rows_of(lines: Iterable[Line], name: str) -> list[TrackerRow]:
    numbered = iter(lines)
    try:
        header = next(numbered).values
    except StopIteration:
        raise InvalidInputError(
            f"{name} is empty; it needs a header row and a row per item"
        ) from None
    columns = [_column_name(cell) for cell in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInputError(
            f"{name} has no column {', '.join(missing)}; the header row needs "
            f"{' '.join(REQUIRED)} (optional: {' '.join(OPTIONAL)})"
        )
    unknown = [c for c in columns if c and c not in COLUMNS + IGNORED]
    if unknown:
        raise InvalidInputError(
            f"{name} has columns the ledger does not know: {', '.join(unknown)}; "
            f"use {' '.join(COLUMNS)} (rename or remove the others)"
        )
    read = [i for i, column in enumerate(columns) if column and column not in IGNORED]
    rows = []
    for line in numbered:
        cells = {
            column: value.strip()
            for column, value in zip(columns, line.values, strict=False)
            if column and column not in IGNORED and value.strip()
        }
        problem = line.problem(read)
        if cells or problem:
            rows.append(TrackerRow(line.number, cells, problem))
    return rows


def _column_name(cell: str) -> str:
    name = " ".join(cell.strip().lower().replace("_", " ").split())
    name = ALIASES.get(name, name)
    return name.replace(" ", "_")


def _csv_lines(path: Path) -> Iterator[Line]:
    data = path.read_bytes()  # not read_text: a cell's own line breaks stay as written
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # spreadsheets saved on Windows
        except UnicodeDecodeError as error:
            raise InvalidInputError(
                f"{path.name} is neither UTF-8 nor Windows text (byte {data[error.start]:#04x} "
                f"at {error.start}); save it again as CSV UTF-8"
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    first_line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # e.g. a cell longer than any text ragw records
            raise InvalidInputError(
                f"{path.name} cannot be read as CSV at line {first_line} ({error}); "
                "check that line and save it again as CSV"
            ) from None
        yield Line(first_line, [unescaped(value) for value in values])  # as ragw wrote it
        first_line = reader.line_num + 1  # a quoted cell may run over several lines


def _xlsx_lines(path: Path) -> Iterator[Line]:
    """The first sheet's rows, each cell as the value saved in the file; a formula's
    value is the one its spreadsheet saved with it (openpyxl cannot calculate), so a
    formula saved without one, or with an error, is unreadable."""
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # zip, XML and format errors all mean "not a workbook"
        raise InvalidInputError(
            f"{path.name} cannot be read as an Excel workbook ({type(error).__name__}); "
            "save it again as .xlsx"
        ) from None
    try:
        sheet, written_sheet = values.worksheets[0], formulas.worksheets[0]
        rows = enumerate(zip(sheet.iter_rows(), written_sheet.iter_rows(), strict=False), start=1)
        while True:
            try:  # the sheet's XML is read row by row: it may turn out malformed late
                number, (saved, written) = next(rows)
            except StopIteration:
                return
            except Exception as error:  # e.g. a character XML cannot hold (&#11;)
                raise InvalidInputError(
                    f"{path.name} cannot be read as an Excel workbook "
                    f"({type(error).__name__}: {' '.join(str(error).split())}); "
                    "save it again as .xlsx"
                ) from None
            unreadable = {
                index: _unreadable(cell, formula)
                for index, (cell, formula) in enumerate(zip(saved, written, strict=False))
                if formula.data_type == "f" and (cell.value is None or cell.data_type == "e")
            }
            yield Line(number, [_cell_text(cell.value) for cell in saved], unreadable)
    finally:
        values.close()
        formulas.close()


def _unreadable(cell: Any, formula: Any) -> str:
    name = formula.coordinate
    if cell.value is None:
        return f"cell {name} holds a formula with no saved value"
    return f"cell {name} holds a formula whose saved value is the error {cell.value}"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a ref typed as 4 comes back as 4.0
    return str(value)


def read_update_sheet(path: Path) -> tuple[str, list[UpdateRow]]:
    """An owner's update sheet written by ``ragw requests``: its owner, and its rows."""
    from openpyxl import load_workbook

    if path.suffix.lower() != ".xlsx" or not path.is_file():
        raise InvalidInputError(
            "{path}: apply reads the .xlsx update sheet written by {hint}",
            path=path,
            hint=Hint.to(Fix.NEW_SHEET),
        )
    lines = list(_xlsx_lines(path))
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        about = (
            {
                _cell_text(row[0]).strip().lower(): _cell_text(row[1]).strip()
                for row in book["About"].iter_rows(values_only=True)
                if row and len(row) > 1
            }
            if "About" in book.sheetnames
            else {}
        )
    finally:
        book.close()
    owner = about.get("owner", "")
    if not owner or not lines:
        raise InvalidInputError(
            "{name} is not an update sheet from {source} (its About sheet names no owner); "
            "ask for a new one with {hint}",
            name=path.name,
            source=Hint.to(Fix.NEW_SHEET),
            hint=Hint.to(Fix.NEW_SHEET_FOR_OWNER),
        )
    header = [" ".join(cell.strip().lower().split()) for cell in lines[0].values]
    missing = [c for c in ("key", *FILLED) if c not in header]
    if missing:
        raise InvalidInputError(
            "{name} has lost its column {missing}; ask for a new sheet with {hint}",
            name=path.name,
            missing=", ".join(missing),
            hint=Hint.to(Fix.NEW_SHEET),
        )
    read = [i for i, column in enumerate(header) if column in ("key", *FILLED)]
    rows = []
    for line in lines[1:]:
        cells = dict(zip(header, (v.strip() for v in line.values), strict=False))
        problem = line.problem(read)
        if not cells.get("key") and not problem:
            continue
        rows.append(
            UpdateRow(
                line.number,
                cells.get("key", ""),
                cells.get("new status", ""),
                cells.get("reason", ""),
                cells.get("progress note", ""),
                cells.get("new due date", ""),
                cells.get("justification", ""),
                problem,
            )
        )
    return owner, rows
