"""What a person reading an update sheet cannot see, so that nothing is recorded from it.

An update sheet is applied as its reader sees it: a row or column hidden or made too
small to read, rows hidden by default, or a cell formatted so its value does not show
(a number format ``;;;``, text in the colour of its fill) would record what whoever
checked the sheet did not see. The sheet's XML is read as XML (so ``hidden="&#49;"`` is
``1``), an element at a time, once the file is known to be within the limits.
"""

from __future__ import annotations

import zipfile
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

#: Smaller than this, a row (in points; Excel's default is 15) or a column (in
#: characters; its default is 8.43) shows nothing legible.
MIN_HEIGHT = 6.0
MIN_WIDTH = 1.0
_TRUE = {"1", "true"}


def hidden_in(archive: zipfile.ZipFile) -> list[str]:
    """The rows and columns the workbook's sheets do not show ("row 7", "column C",
    "every row not given a height"), in order, once each."""
    found: list[str] = []
    for part in archive.infolist():
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            with archive.open(part) as stream:
                found += _hidden(stream)
    return list(dict.fromkeys(found))


def _hidden(stream: IO[bytes]) -> list[str]:
    found: list[str] = []
    try:
        for _, element in iterparse(stream, events=("end",)):
            name = element.tag.rpartition("}")[2]
            if name == "row":
                if _true(element, "hidden") or _below(element, "ht", MIN_HEIGHT):
                    found.append(f"row {element.get('r', '?')}")
                element.clear()  # a row's cells are not needed: memory stays flat
            elif name == "col":
                if _true(element, "hidden") or _below(element, "width", MIN_WIDTH):
                    found.append(_columns(element))
            elif name == "sheetFormatPr" and (
                _true(element, "zeroHeight") or _below(element, "defaultRowHeight", MIN_HEIGHT)
            ):
                found.append("every row not given a height")
    except ParseError as error:
        raise ValueError(f"its XML cannot be read ({error})") from None
    return found


def _true(element: Any, name: str) -> bool:
    return str(element.get(name, "")).strip().lower() in _TRUE


def _below(element: Any, name: str, least: float) -> bool:
    value = element.get(name)
    if value is None:
        return False
    try:
        return float(value) < least
    except ValueError:
        return True  # a size no spreadsheet can draw: taken as not shown


def _columns(element: Any) -> str:
    from openpyxl.utils import get_column_letter

    try:
        first, last = int(element.get("min", 0)), int(element.get("max", 0))
    except ValueError:
        return "a column"
    if not 1 <= first <= last <= 16384:
        return "a column"
    if first == last:
        return f"column {get_column_letter(first)}"
    return f"columns {get_column_letter(first)} to {get_column_letter(last)}"


def concealing(cell: Any) -> str | None:
    """Why ``cell``'s value does not show as typed (None when it does): a number format
    of sections (``;;;`` hides everything; ragw's sheets use none), or text in the colour
    of its fill (white on no fill)."""
    if cell.value is None or cell.value == "":
        return None
    number_format = str(getattr(cell, "number_format", "") or "")
    if ";" in number_format:
        return f"its number format {number_format!r} can hide or replace what it holds"
    font = _rgb(getattr(getattr(cell, "font", None), "color", None))
    fill = getattr(cell, "fill", None)
    solid = fill is not None and getattr(fill, "fill_type", None) == "solid"
    background = _rgb(getattr(fill, "fgColor", None)) if solid else "FFFFFF"
    if font is not None and font == background:
        return "its text is the colour of its background"
    return None


def _rgb(color: Any) -> str | None:
    """An explicit colour as six hex digits (alpha dropped); None for theme colours and
    the default, which this does not resolve."""
    if color is None or getattr(color, "type", None) != "rgb":
        return None
    value = str(getattr(color, "rgb", "") or "").upper()
    return value[-6:] if len(value) in (6, 8) else None
