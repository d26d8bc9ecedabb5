"""Reading a tracker: the spreadsheet a force already keeps, as a workbook (XLSX) or as
text (CSV, or Excel's Unicode text: :mod:`ledger.exchange.textfile`).

A tracker has a header row, perhaps below title rows, and one row per item; its columns
are named as the command-line contract or forces name them, in any order
(:mod:`ledger.exchange.columns` finds the header and the field of each column). Cells
are read as text as a person typed them; dates that a spreadsheet stored as dates come
back as ISO dates. Every row keeps its line number in the file, so every complaint
about it can name it.

A CSV cell that ragw escaped on export (:mod:`ledger.exchange.cells`) is read back as the
text it was. A workbook cell holding a formula is read as the value the spreadsheet saved
with it; one saved without a value (as programs that cannot calculate write them), or
with an error, makes its row a bad row that names the cell.

An owner's update sheet is read as the person who checks it sees it: its sheets, rows
and columns must be visible, and no cell of it may hold a formula (a saved value that a
spreadsheet shows otherwise, or not at all, would be recorded unseen). Trackers and
update sheets alike are read within :data:`~ledger.exchange.workbook.LIMITS`, and
refused before they are read whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ledger.errors import Fix, Hint, InvalidInputError
from ledger.exchange.columns import (
    COLUMNS,
    DERIVED,
    HEADER_ROWS,
    IGNORED,
    OPTIONAL,
    REQUIRED,
    Header,
    check_header,
    find_header,
    no_header,
    unheaded,
)
from ledger.exchange.shown import concealing, few
from ledger.exchange.textfile import TEXT_SUFFIXES, text_lines
from ledger.exchange.updates import FILLED, VERSION, UpdateRow
from ledger.exchange.workbook import (
    LIMITS,
    MAX_ROWS,
    RECALCULATE,
    Line,
    cell_text,
    check_size,
    check_unpacked,
    count_rows,
    first_sheet,
    formula_of,
    hidden_parts,
    open_workbook,
    sheet_rows,
    too_many_rows,
)

__all__ = [
    "COLUMNS",
    "IGNORED",
    "LIMITS",
    "OPTIONAL",
    "RECALCULATE",
    "REQUIRED",
    "Line",
    "Tracker",
    "TrackerRow",
    "read_sheet",
    "read_tracker",
    "read_update_sheet",
]

_csv_lines = text_lines  # the name earlier code and tests read a CSV file's rows by
#: Rows a tracker may have above its header (titles, blank rows) beyond the limit of
#: :data:`MAX_ROWS` rows below it.
TITLE_ROWS = HEADER_ROWS - 1


@dataclass(frozen=True)
class TrackerRow:
    """One row: its line in the file, and its cells by column name."""

    line: int
    cells: dict[str, str]
    #: Why a cell of the row cannot be read (a formula without a saved value), if one cannot.
    problem: str = ""
    #: The fields of :data:`DERIVED` the file has no column for: derived for each row.
    absent: frozenset[str] = frozenset()

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Tracker:
    """A tracker as read: the header found (its line, sheet and the field each column
    gives) and every non-empty row below it."""

    header: Header
    rows: list[TrackerRow]


def read_tracker(path: Path) -> list[TrackerRow]:
    """Every non-empty row of a tracker (see :func:`read_sheet`)."""
    return read_sheet(path).rows


def read_sheet(
    path: Path, *, sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> Tracker:
    """A tracker saved as text (.csv, .txt, .tsv) or a workbook (.xlsx): its header
    and every non-empty row below it. ``sheet`` names a workbook's sheet (else the first
    visible one with a header); ``mapping`` (folded column: field) comes before the
    synonyms. Refuses a file it cannot read or whose header lacks a required field."""
    mapping = mapping or {}
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInputError(
            "no file {path}; give the path of a .csv or .xlsx tracker", path=str(path)
        )
    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise InvalidInputError(
                "{name} is text, which has no sheets; a sheet is chosen in an .xlsx workbook",
                name=path.name,
            )
        lines = count_rows(text_lines(path), path.name, TITLE_ROWS)
        header, closest = find_header(lines, mapping, path.name)
        if header is None:
            raise no_header(path.name, closest)
        return Tracker(header, rows_below(header, lines, mapping, path.name))
    if suffix in (".xlsx", ".xlsm"):
        return _workbook(path, sheet, mapping)
    raise InvalidInputError(
        "{name}: a tracker is read from .csv, .txt (Unicode text) or .xlsx; save it as "
        "one of those",
        name=path.name,
    )


def rows_of(lines: Iterable[Line], name: str) -> list[TrackerRow]:
    """The rows of ``lines`` below their header, the fields named as the ledger and
    forces name them."""
    numbered = iter(lines)
    header, closest = find_header(numbered, {}, name)
    if header is None:
        raise no_header(name, closest)
    return rows_below(header, numbered, {}, name)


def rows_below(
    header: Header, lines: Iterable[Line], mapping: Mapping[str, str], name: str
) -> list[TrackerRow]:
    """Every non-empty row after ``header``, its cells by field."""
    check_header(header, mapping, name)
    fields = header.fields
    read = [i for i, field in enumerate(fields) if field]
    absent = frozenset(field for field in DERIVED if field not in fields)
    rows = []
    for line in lines:
        if line.number - header.line > MAX_ROWS:
            raise too_many_rows(name)
        cells = {
            field: value.strip()
            for field, value in zip(fields, line.values, strict=False)
            if field and value.strip()
        }
        problem = line.problem(read) or unheaded(header, line)
        if cells or problem:
            rows.append(TrackerRow(line.number, cells, problem, absent))
    return rows


def _workbook(path: Path, sheet: str | None, mapping: Mapping[str, str]) -> Tracker:
    """The rows of the named sheet, or of the first visible sheet with a header; each
    cell as the value saved in the file. A formula's value is the one its spreadsheet
    saved with it (openpyxl cannot calculate), so a formula saved without one, or with
    an error, is unreadable."""
    values = open_workbook(path, data_only=True, above=TITLE_ROWS)
    try:
        formulas = open_workbook(path, data_only=False, measured=True)
    except InvalidInputError:
        values.close()
        raise
    try:
        first_sheet(values, path)  # a workbook without a worksheet is refused as before
        titles = [s.title for s in values.worksheets]
        if sheet is not None:
            chosen = [t for t in titles if t == sheet] or [
                t for t in titles if t.strip().casefold() == sheet.strip().casefold()
            ]
            if not chosen:
                raise InvalidInputError(
                    "{name} has no sheet {sheet}; its sheets are {sheets}",
                    name=path.name,
                    sheet=repr(sheet),
                    sheets=", ".join(repr(t) for t in titles),
                )
            candidates = chosen[:1]
        else:
            candidates = [s.title for s in values.worksheets if s.sheet_state == "visible"]
        closest: Header | None = None
        for title in candidates:
            lines = _sheet_lines(values[title], formulas[title], path.name)
            header, near = find_header(lines, mapping, path.name, title)
            if header is not None:
                header = replace(header, hidden=values[title].sheet_state != "visible")
                return Tracker(header, rows_below(header, lines, mapping, path.name))
            if near is not None and (closest is None or _named(near) > _named(closest)):
                closest = near
        raise no_header(path.name, closest, titles)
    finally:
        values.close()
        formulas.close()


def _named(header: Header) -> int:
    return len(set(REQUIRED) & set(header.fields))


def _sheet_lines(saved_sheet: Any, formula_sheet: Any, name: str) -> Iterator[Line]:
    pairs = zip(
        sheet_rows(saved_sheet, name, TITLE_ROWS),
        sheet_rows(formula_sheet, name, TITLE_ROWS),
        strict=False,
    )
    for (number, saved), (_, written) in pairs:
        unreadable = {
            index: _unreadable(cell, formula)
            for index, (cell, formula) in enumerate(zip(saved, written, strict=False))
            if formula.data_type == "f" and (cell.value is None or cell.data_type == "e")
        }
        shown = [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in saved]
        yield Line(number, shown, unreadable)


def _unreadable(cell: Any, formula: Any) -> str:
    name = formula.coordinate
    if cell.value is None:
        return f"cell {name} holds a formula with no saved value"
    return f"cell {name} holds a formula whose saved value is the error {cell.value}"


def read_update_sheet(path: Path) -> tuple[str, list[UpdateRow]]:
    """An owner's update sheet written by ``ragw requests``: its owner, and its rows.

    Refuses a sheet that is hidden, or hides rows or columns, a formula in any cell read
    (naming the cell), and a file past :data:`~ledger.exchange.workbook.LIMITS`; a
    formula in an item's row makes that row a bad row, so every one is named at once."""
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        raise InvalidInputError(
            "{path}: apply reads the .xlsx update sheet written by {hint}",
            path=path,
            hint=Hint.to(Fix.NEW_SHEET),
        )
    check_size(path)
    check_unpacked(path)
    hidden, drawn = hidden_parts(path)
    if drawn:
        raise InvalidInputError(
            "{name} has {drawn}, so a cell may not show what it would record (a merge "
            "shows its first cell alone; a rule can colour a value away); unmerge the "
            "cells and clear the rules, then save it again",
            name=path.name,
            drawn=few(drawn),
        )
    if hidden:
        raise InvalidInputError(
            "{name} hides {hidden} (hidden, or too small to read), so whoever checks the "
            "sheet cannot see what it would record; show them and save it again",
            name=path.name,
            hidden=few(hidden),
        )
    book = open_workbook(path, data_only=False, measured=True)  # formulas, to refuse them
    try:
        first = first_sheet(book, path)
        about_sheet = book["About"] if "About" in book.sheetnames else None
        for sheet in (first, about_sheet):
            if sheet is not None and sheet.sheet_state != "visible":
                raise InvalidInputError(
                    "{name}: its sheet {sheet} is hidden, so whoever checks the sheet cannot "
                    "see what it would record; show it (or remove it) and save it again",
                    name=path.name,
                    sheet=repr(sheet.title),
                )
        about = _about(about_sheet, path.name) if about_sheet is not None else {}
        lines = [_update_line(number, cells) for number, cells in sheet_rows(first, path.name)]
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
    if lines[0].unreadable:
        raise InvalidInputError(
            "{name}: {problem}", name=path.name, problem=next(iter(lines[0].unreadable.values()))
        )
    header = [" ".join(cell.strip().lower().split()) for cell in lines[0].values]
    missing = [c for c in ("key", *FILLED, VERSION) if c not in header]
    twice = [c for c in ("key", *FILLED, VERSION) if header.count(c) > 1]
    if twice:  # which of two would be recorded is not for the reader to guess
        raise InvalidInputError(
            "{name} has the column {twice} more than once; keep one and save it again",
            name=path.name,
            twice=", ".join(twice),
        )
    if missing:
        raise InvalidInputError(
            "{name} has lost its column {missing}; ask for a new sheet with {hint}",
            name=path.name,
            missing=", ".join(missing),
            hint=Hint.to(Fix.NEW_SHEET),
        )
    rows = []
    for line in lines[1:]:
        cells = dict(zip(header, (v.strip() for v in line.values), strict=False))
        problem = "; ".join(line.unreadable[i] for i in sorted(line.unreadable))
        if not cells.get("key") and not problem:
            if not any(cells.get(column) for column in FILLED):
                continue
            problem = "its key is empty: a row filled in names its item; type the key back"
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
                cells.get(VERSION, ""),
            )
        )
    return owner, rows


def _update_line(number: int, cells: tuple[Any, ...]) -> Line:
    """A row of an update sheet: its values as typed, and each formula cell with what
    to do instead."""
    formulas = {
        index: _typed_instead(cell.coordinate, formula)
        for index, cell in enumerate(cells)
        if (formula := formula_of(cell)) is not None
    }
    formulas |= {
        index: _shown_instead(cell.coordinate, why)
        for index, cell in enumerate(cells)
        if index not in formulas and (why := concealing(cell)) is not None
    }
    values = [
        "" if index in formulas else cell_text(cell.value) for index, cell in enumerate(cells)
    ]
    return Line(number, values, formulas)


def _about(sheet: Any, name: str) -> dict[str, str]:
    """The facts of an update sheet's About sheet (its owner, as at...), by name."""
    facts: dict[str, str] = {}
    for _, cells in sheet_rows(sheet, name):
        for cell in cells[:2]:
            formula = formula_of(cell)
            where = f"{sheet.title}!{cell.coordinate}"
            if formula is not None:
                raise InvalidInputError(
                    "{name}: {problem}", name=name, problem=_typed_instead(where, formula)
                )
            why = concealing(cell)
            if why is not None:
                raise InvalidInputError(
                    "{name}: {problem}", name=name, problem=_shown_instead(where, why)
                )
        if len(cells) > 1:
            facts[cell_text(cells[0].value).strip().lower()] = cell_text(cells[1].value).strip()
    return facts


def _shown_instead(cell: str, why: str) -> str:
    return f"cell {cell} does not show what it holds: {why}; clear its format and save it again"


def _typed_instead(cell: str, formula: str) -> str:
    """What to do about a formula: its text shown on one line, short and printable."""
    text = "".join(c if c.isprintable() else " " for c in " ".join(formula.split()))
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"cell {cell} holds a formula ({shown}); type the value itself"
