"""Writing spreadsheets people open: a header row, readable widths, RAGW colours.

No cell runs what someone typed: every text is a text cell in .xlsx, and escaped as
:mod:`ledger.exchange.cells` says in .csv.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ledger.exchange.cells import csv_row, runs_as_formula
from render.cells import STATUS_FILLS as FILLS
from render.cells import xml_safe

WIDE = {"text": 60, "comment": 50, "report": 40, "due": 28}


@contextmanager
def replacing(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write beside ``path`` and move into place at the end: a failed write never
    leaves a half-written file where a good one was.

    The file written first is new: created exclusively, under a name nobody can guess,
    in ``path``'s folder (so the move is a rename on one file system), readable by its
    owner only (0600, as every file ragw writes). A link planted at that name or at
    ``path`` itself is never followed: creating refuses an existing name without
    following it, and the rename replaces a link at ``path`` rather than writing where
    it points. Whether an existing ``path`` may be replaced is the command's to decide
    first (``--force``, :func:`cli.common.output_path`)."""
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    temporary = Path(name)
    try:
        if "b" in mode:
            with os.fdopen(descriptor, mode) as handle:
                yield handle
        else:
            with os.fdopen(descriptor, mode, encoding="utf-8", newline="") as handle:
                yield handle
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    with replacing(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_row(columns))
        writer.writerows([csv_row(row) for row in rows])


def write_xlsx(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str,
    about: Sequence[tuple[str, str]] = (),
    editable: Sequence[str] = (),
    choices: dict[str, Sequence[str]] | None = None,
) -> None:
    """One sheet of ``rows`` (frozen header, status cells coloured); an "About" sheet
    of ``about`` facts; columns named in ``editable`` are left unlocked and shaded."""
    # openpyxl, for .xlsx only: a .csv export and `replacing` never load it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ledger.exchange.shown import SHADE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if v is None else xml_safe(v) if isinstance(v, str) else v for v in row])
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDE.get(column, max(12, len(column) + 2))
        if column in WIDE:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrap
        if column in editable:
            fill = PatternFill("solid", fgColor=SHADE)
            for (cell,) in sheet.iter_rows(
                min_row=1, max_row=len(rows) + 1, min_col=index, max_col=index
            ):
                cell.fill = fill
    for column, allowed in (choices or {}).items():
        letter = get_column_letter(list(columns).index(column) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{max(len(rows), 1) + 1}")
        sheet.add_data_validation(validation)
    if "status" in columns:
        index = list(columns).index("status") + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if cell.value in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[str(cell.value)])
    if about:
        info = book.create_sheet("About")
        for fact in about:
            info.append([xml_safe(value) for value in fact])
        info.column_dimensions["A"].width = 18
        info.column_dimensions["B"].width = 80
    for each in book.worksheets:
        _text_cells(each)
    with replacing(path, "wb") as handle:
        book.save(handle)


def _text_cells(sheet: Any) -> None:
    """Every text a text cell: openpyxl would store one that starts with "=" as a
    formula (and "#N/A" as an error). One a spreadsheet would take for a formula when
    typed also gets Excel's quote prefix, so editing the cell keeps it text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = xml_safe(cell.value)
                cell.data_type = "s"
                if runs_as_formula(cell.value):
                    cell.quotePrefix = True
