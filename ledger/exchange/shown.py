"""What a person reading an update sheet cannot see, so that nothing is recorded from it.

An update sheet is applied as its reader sees it: a row or column hidden or made too
small to read, rows hidden by default, or a cell formatted so its value does not show
(a number format ``;;;``, text in the colour of its fill) would record what whoever
checked the sheet did not see. The sheet's XML is read as XML (so ``hidden="&#49;"`` is
``1``), an element at a time, once the file is known to be within the limits.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from types import SimpleNamespace
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

#: Smaller than this, a row (in points; Excel's default is 15) or a column (in
#: characters; its default is 8.43) shows nothing legible.
MIN_HEIGHT = 6.0
MIN_WIDTH = 1.0
_TRUE = {"1", "true"}


def hidden_in(archive: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """The rows and columns the workbook's sheets do not show ("row 7", "column C",
    "every row not given a height"); and the cells drawn otherwise than each shows what
    it holds ("cells F4:G4 merged", "cells G2:G9 formatted by condition": a merge shows
    its first cell alone, and a rule can colour a value away); each in order, once."""
    found: list[str] = []
    drawn: list[str] = []
    for part in archive.infolist():
        name = part.filename
        if name.startswith("xl/tables/"):  # a table's style can colour its cells away
            drawn.append("cells formatted as a table")
        elif name == "xl/sharedStrings.xml" or (
            name.startswith("xl/worksheets/") and name.endswith(".xml")
        ):
            with archive.open(part) as stream:
                found += _hidden(stream, drawn)
    return list(dict.fromkeys(found)), list(dict.fromkeys(drawn))


def few(found: list[str]) -> str:
    """The first five of ``found``, and how many more."""
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return ", ".join(found[:5]) + more


def _hidden(stream: IO[bytes], drawn: list[str]) -> list[str]:
    found: list[str] = []
    try:
        for _, element in iterparse(stream, events=("end",)):
            name = element.tag.rpartition("}")[2]
            if name == "rPr":  # a part of a cell's text formatted apart from the cell
                why = _run(element)
                if why is not None:
                    drawn.append(why)
            elif name == "mergeCell":
                drawn.append(f"cells {_ref(element, 'ref')} merged")
            elif name == "conditionalFormatting":
                drawn.append(f"cells {_ref(element, 'sqref')} formatted by condition")
                element.clear()
            elif name == "row":
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


def _run(properties: Any) -> str | None:
    """Why a part of a cell's text, formatted apart (a run of rich text), does not show
    (None when it does): smaller than :data:`MIN_POINTS`, or too pale to read on white
    or on the sheet's cream shading. The cell's own format is :func:`concealing`'s."""
    for child in properties:
        tag = child.tag.rpartition("}")[2]
        if tag == "sz" and _below(child, "val", MIN_POINTS):
            return "a part of a cell's text too small to read"
        if tag == "color":
            attributes = child.attrib
            kind = next((k for k in ("rgb", "theme", "indexed") if k in attributes), None)
            try:
                colour = _colour(
                    SimpleNamespace(
                        type=kind,
                        rgb=attributes.get("rgb"),
                        theme=int(attributes.get("theme", -1)),
                        indexed=int(attributes.get("indexed", -1)),
                        tint=float(attributes.get("tint", 0) or 0),
                    )
                )
            except ValueError:
                return "a part of a cell's text in a colour no spreadsheet draws"
            if colour is not None and any(
                _contrast(colour, background) < MIN_CONTRAST for background in ("FFFFFF", SHADE)
            ):
                return "a part of a cell's text too pale to read"
    return None


def _ref(element: Any, name: str) -> str:
    """A range as the sheet names it, kept short and to letters, digits, ``:`` and
    spaces (it is repeated in a refusal)."""
    return re.sub(r"[^A-Za-z0-9: ]", "", str(element.get(name, "")))[:40].strip() or "?"


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
    of sections (``;;;`` hides everything; ragw's sheets use none), or one writing text
    of its own (``"2027-"mm-dd`` shows a date of 2099 as 2027's); a date shown without
    its year, month or day; or text too close in colour to its fill to be read (white
    on cream as on white; theme and palette colours resolved as Excel draws them)."""
    if cell.value is None or cell.value == "":
        return None
    number_format = str(getattr(cell, "number_format", "") or "")
    if ";" in number_format:
        return f"its number format {number_format!r} can hide or replace what it holds"
    if _LITERAL.search(number_format):
        return f"its number format {number_format!r} writes text of its own over what it holds"
    if _COLOURED.search(number_format):
        return f"its number format {number_format!r} gives its text a colour of its own"
    if isinstance(cell.value, date) and not _shows_a_whole_date(number_format):
        return f"its number format {number_format!r} shows its date without the whole of it"
    size = getattr(getattr(cell, "font", None), "sz", None)
    if isinstance(size, int | float) and size < MIN_POINTS:
        return f"its text is {size:g} points high, too small to read"
    font = _colour(getattr(getattr(cell, "font", None), "color", None))
    fill = getattr(cell, "fill", None)
    solid = fill is not None and getattr(fill, "fill_type", None) == "solid"
    background = (_colour(getattr(fill, "fgColor", None)) if solid else None) or "FFFFFF"
    if font is not None and _contrast(font, background) < MIN_CONTRAST:
        return "its text is too close to the colour of its background to be read"
    return None


#: Text a number format writes of its own: a quoted or backslashed letter or digit
#: (separators written so, ``yyyy\-mm\-dd`` as some locales save dates, show nothing
#: of their own).
_LITERAL = re.compile(r'\\[0-9A-Za-z]|"[^"]*[0-9A-Za-z][^"]*"')
#: A colour a number format gives its text (``[White]@``), which no fill is checked
#: against; ragw's sheets use none.
_COLOURED = re.compile(
    r"\[\s*(black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d+)\s*\]", re.IGNORECASE
)
#: The cream ragw's update sheets shade the columns to fill in with.
SHADE = "FFF9E5"
#: Text smaller than this (in points; ragw's sheets use 11) shows nothing legible.
MIN_POINTS = 6.0
#: The least contrast (WCAG's ratio, 1 to 21) between a cell's text and its fill that
#: shows the text: black on white is 21, white on ragw's cream shading 1.05.
MIN_CONTRAST = 1.5
#: The default Office theme's colours, by theme index (background 1, text 1,
#: background 2, text 2, accents 1 to 6, hyperlink, followed hyperlink).
_THEME = (
    "FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31",
    "A5A5A5", "FFC000", "5B9BD5", "70AD47", "0563C1", "954F72",
)  # fmt: skip


def _shows_a_whole_date(number_format: str) -> bool:
    shown = number_format.lower()
    if shown in ("general", ""):
        return True
    return "yy" in shown and "d" in shown and "m" in shown


def _colour(color: Any) -> str | None:
    """A colour as six hex digits as Excel draws it: explicit, from the palette, or from
    the theme with its tint; None for the default (automatic) colour."""
    if color is None:
        return None
    kind = getattr(color, "type", None)
    if kind == "rgb":
        value = str(getattr(color, "rgb", "") or "").upper()
        return value[-6:] if len(value) in (6, 8) else None
    if kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = getattr(color, "indexed", None)
        if isinstance(index, int) and 0 <= index < len(COLOR_INDEX):
            return str(COLOR_INDEX[index])[-6:].upper()
        return None
    if kind == "theme":
        index = getattr(color, "theme", None)
        if not isinstance(index, int) or not 0 <= index < len(_THEME):
            return None
        return _tinted(_THEME[index], float(getattr(color, "tint", 0.0) or 0.0))
    return None


def _tinted(rgb: str, tint: float) -> str:
    channels = [int(rgb[i : i + 2], 16) for i in (0, 2, 4)]
    if tint > 0:
        channels = [round(c + (255 - c) * tint) for c in channels]
    elif tint < 0:
        channels = [round(c * (1 + tint)) for c in channels]
    return "".join(f"{max(0, min(255, c)):02X}" for c in channels)


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(rgb: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(rgb[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
