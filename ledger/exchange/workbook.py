"""Reading a spreadsheet someone sent, within stated bounds and as a person sees it.

A tracker or an update sheet comes from outside: a small file can unpack to gigabytes
(a 441 KB workbook of 3,000,000 rows took 1.3 GB and two minutes to read), so a file is
measured before it is read (its bytes, and a workbook's parts as they unpack, from the
zip's own directory), and rows are read one at a time, stopping at the first row past
the limit. The row and column counts a workbook states about itself are not trusted:
every row and cell in the file is read, however the file describes its extent.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from ledger.errors import InvalidInputError
from ledger.exchange.shown import hidden_in

#: The most rows below the header, columns and bytes a sheet may have to be read.
MAX_ROWS = 20_000
MAX_COLUMNS = 50
MAX_BYTES = 20 * 1024 * 1024
#: A workbook's parts as they unpack (its XML, compressed tenfold or more in the file).
MAX_UNPACKED = 100 * 1024 * 1024
LIMITS = (
    f"{MAX_ROWS:,} rows below its header, {MAX_COLUMNS} columns and {MAX_BYTES >> 20} MB "
    f"({MAX_UNPACKED >> 20} MB unpacked)"
)
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


def check_size(path: Path) -> None:
    """Refuse a file of more than :data:`MAX_BYTES`, before reading any of it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InvalidInputError(
            "{name} is {size}; a sheet is read up to {limits}: split it into smaller files",
            name=path.name,
            size=_megabytes(size),
            limits=LIMITS,
        )


def check_unpacked(path: Path, *, above: int = 0) -> None:
    """Refuse a workbook whose parts unpack to more than :data:`MAX_UNPACKED`, as its
    zip directory says (reading a part never gives more than the directory says), or
    any part of which holds more rows or cells than a sheet within the limits can.

    The rows and cells are counted in the unpacked bytes, a part at a time and a
    megabyte at a time, before any is parsed as XML: a spreadsheet library reading a
    sheet that does not state its extent parses the whole of it just to open it.
    ``above``: how many rows may come before the header (a tracker's titles)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_UNPACKED:
                raise InvalidInputError(
                    "{name} unpacks to {size}; a sheet is read up to {limits}: split it into "
                    "smaller files",
                    name=path.name,
                    size=_megabytes(unpacked),
                    limits=LIMITS,
                )
            for part in parts:
                with archive.open(part) as stream:
                    _scan(stream, path.name, above)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise not_a_workbook(path, error) from None


def hidden_parts(path: Path) -> tuple[list[str], list[str]]:
    """The rows and columns a workbook (already measured) does not show, and the cells
    it draws otherwise than they hold (:func:`~ledger.exchange.shown.hidden_in`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return hidden_in(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise not_a_workbook(path, error) from None


#: The start of a row or cell element in a sheet's XML, with or without a namespace
#: prefix; text never holds "<" (XML writes it &lt;).
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?(row|c)[\s/>]")
_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS
_CHUNK = 1024 * 1024


def _scan(stream: IO[bytes], name: str, above: int = 0) -> None:
    """Count a part's rows and cells, refusing too many."""
    rows = cells = 0
    carried = b""
    while True:
        chunk = stream.read(_CHUNK)
        data = carried + chunk
        cut = data.rfind(b"<")
        # A tag cut off at the end of the chunk is read with the next one.
        if chunk and cut >= 0 and data.find(b">", cut) < 0 and len(data) - cut < _CHUNK:
            data, carried = data[:cut], data[cut:]
        else:
            carried = b""
        found = _ELEMENT.findall(data)
        rows += found.count(b"row")
        cells += len(found)
        if rows > MAX_ROWS + 1 + above:
            raise too_many_rows(name)
        if cells - rows > _CELLS + above * MAX_COLUMNS:
            raise InvalidInputError(
                "{name} has more cells in a sheet than {rows} rows of {columns} columns hold; "
                "a sheet is read up to {limits}: split it into smaller files",
                name=name,
                rows=f"{MAX_ROWS + 1:,}",
                columns=MAX_COLUMNS,
                limits=LIMITS,
            )
        if not chunk:
            return


def open_workbook(path: Path, *, data_only: bool, measured: bool = False, above: int = 0) -> Any:
    """The workbook at ``path``, streamed (read-only), once it is found within the
    limits (unless already ``measured``); ``data_only`` gives formulas' saved values
    instead of the formulas."""
    from openpyxl import load_workbook

    if not measured:
        check_size(path)
        check_unpacked(path, above=above)
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # zip, XML and format errors all mean "not a workbook"
        raise not_a_workbook(path, error) from None


def first_sheet(book: Any, path: Path) -> Any:
    """The workbook's first worksheet (the one a tracker or an update sheet is read
    from); refuses a workbook that has none."""
    if not book.worksheets:
        raise InvalidInputError(
            "{name} holds no worksheet; save the sheet as a worksheet of an .xlsx workbook",
            name=path.name,
        )
    return book.worksheets[0]


def not_a_workbook(path: Path, error: BaseException) -> InvalidInputError:
    return InvalidInputError(
        "{name} cannot be read as an Excel workbook ({error}); save it again as .xlsx",
        name=path.name,
        error=type(error).__name__,
    )


def sheet_rows(sheet: Any, name: str, above: int = 0) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Each row of ``sheet`` (its number, its cells up to :data:`MAX_COLUMNS`), read one
    at a time; refuses the first row past :data:`MAX_ROWS` below the header, a value
    past the last column, and XML that turns out malformed part way."""
    sheet.reset_dimensions()  # the extent a file states may leave rows or columns out
    rows = enumerate(sheet.iter_rows(), start=1)
    while True:
        try:  # the sheet's XML is read row by row: it may turn out malformed late
            number, cells = next(rows)
        except StopIteration:
            return
        except Exception as error:  # e.g. a character XML cannot hold (&#11;)
            raise InvalidInputError(
                "{name} cannot be read as an Excel workbook ({kind}: {error}); "
                "save it again as .xlsx",
                name=name,
                kind=type(error).__name__,
                error=" ".join(str(error).split())[:200],
            ) from None
        if number > MAX_ROWS + 1 + above:
            raise too_many_rows(name)
        if len(cells) > MAX_COLUMNS:
            beyond = next((c for c in cells[MAX_COLUMNS:] if c.value is not None), None)
            if beyond is not None:
                raise InvalidInputError(
                    "{name}: cell {cell} is past column {columns}; a sheet is read up to "
                    "{limits}: move it into the first {columns} columns or remove it",
                    name=name,
                    cell=beyond.coordinate,
                    columns=MAX_COLUMNS,
                    limits=LIMITS,
                )
            cells = cells[:MAX_COLUMNS]
        yield number, cells


def count_rows(lines: Iterable[Line], name: str, above: int = 0) -> Iterator[Line]:
    """``lines``, refusing the first past :data:`MAX_ROWS` below the header or with a
    value past :data:`MAX_COLUMNS` (a CSV file's rows, read one at a time)."""
    for line in lines:
        if line.number > MAX_ROWS + 1 + above:
            raise too_many_rows(name)
        if any(value.strip() for value in line.values[MAX_COLUMNS:]):
            raise InvalidInputError(
                "{name} has a value past column {columns} on line {number}; a sheet is read "
                "up to {limits}: remove it",
                name=name,
                columns=MAX_COLUMNS,
                number=line.number,
                limits=LIMITS,
            )
        yield Line(line.number, line.values[:MAX_COLUMNS], line.unreadable)


def too_many_rows(name: str) -> InvalidInputError:
    return InvalidInputError(
        "{name} has more than {rows} rows below its header; a sheet is read up to {limits}: "
        "split it into smaller files",
        name=name,
        rows=f"{MAX_ROWS:,}",
        limits=LIMITS,
    )


#: A number format that shows a fixed count of decimals (``0.00``, ``#,##0.0``).
_DECIMALS = re.compile(r"[#,0]*0\.(0+)")


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell's value as a person typed it: dates as ISO dates, 4.0 as 4; a number whose
    format shows decimals as it shows them (1.1 in format ``0.00`` is ``1.10``: a ref
    1.10 typed as a number is stored as 1.1)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and number_format:
        decimals = _DECIMALS.fullmatch(number_format.strip())
        if decimals:
            return f"{value:.{len(decimals.group(1))}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a ref typed as 4 comes back as 4.0
    return str(value)


def formula_of(cell: Any) -> str | None:
    """The formula a cell holds, as written ("=SUM(A1:A3)"), or None: a value."""
    if getattr(cell, "data_type", None) != "f":
        return None
    value = cell.value
    return str(getattr(value, "text", None) or value)  # array formulas are objects


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"
