"""Text in a CSV cell that no spreadsheet runs: the escaping ragw writes, and its inverse.

A spreadsheet opening a CSV file takes a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return for a formula (OWASP's "CSV injection"): an owner's note
``=HYPERLINK(...)`` would become a live link in governance's copy of the board. ragw
writes such a cell with a single quote in front (OWASP's convention), which every
spreadsheet shows as text, quote and all.

So that reading the file back gives the text exactly, a text that already starts with
quotes followed by one of those characters gets one more quote too: the escaped cells
are exactly those of one or more quotes then one of those characters, and reading drops
one quote from those alone. ``'tis`` and ``'quoted'`` are written and read as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

#: What makes a spreadsheet read a cell as a formula, when a cell starts with it.
FORMULA_STARTS = "=+-@\t\r"

_WRITTEN = re.compile(f"'*[{re.escape(FORMULA_STARTS)}]")
_ESCAPED = re.compile(f"'+[{re.escape(FORMULA_STARTS)}]")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take ``text``, typed or read from CSV, for a formula."""
    return bool(text) and text[0] in FORMULA_STARTS


def escaped(text: str) -> str:
    """``text`` as ragw writes it to a CSV cell: a spreadsheet shows it as text."""
    return "'" + text if _WRITTEN.match(text) else text


def unescaped(cell: str) -> str:
    """The text of a CSV cell ragw wrote (:func:`escaped` undone); any other cell as it is."""
    return cell[1:] if _ESCAPED.match(cell) else cell


def csv_row(row: Sequence[Any]) -> list[Any]:
    """A row as ragw writes it to CSV, to a file or on stdout: None empty, every text
    :func:`escaped` (a CSV is opened in spreadsheets; ``--format json`` is exact)."""
    return [escaped(v) if isinstance(v, str) else "" if v is None else v for v in row]


class CsvLines:
    """A CSV writer of rows each ended by a newline (as ragw prints CSV), that quotes a
    value holding a carriage return: the csv module quotes only what holds the line
    ending it writes, and a reader ending rows at a bare carriage return would start a
    new row there, its first cell unescaped (a note ``ok\\r=cmd|...`` read as a row of
    its own beginning with a formula). A row holding one is written with every value
    quoted; the values read back are the same."""

    def __init__(self, out: IO[str]) -> None:
        self._plain = csv.writer(out, lineterminator="\n")
        self._quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[Any]) -> None:
        returns = any(isinstance(value, str) and "\r" in value for value in row)
        (self._quoted if returns else self._plain).writerow(row)

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


#: C1 control characters, which a ledger recorded before they were refused may hold: a
#: terminal takes U+009B for the start of an escape sequence.
_C1 = re.compile("[\x80-\x9f]")


#: A recorded text in Markdown, written as the text it is: ``<`` and ``&`` as entities
#: (the renderers Markdown's ``<br>`` is for pass raw HTML on: a note holding
#: ``<details><summary>Signed off</summary>`` would hide what it says under words of its
#: own, an ``<img>`` would fetch from anywhere, an entity would draw a character the
#: ledger does not hold), and Markdown's inline marks after a backslash, so no text
#: becomes a link, an image, emphasis or code, and no ``|`` ends a table's cell.
_MARKDOWN = str.maketrans(
    {"&": "&amp;", "<": "&lt;", **{mark: "\\" + mark for mark in "\\`*_[]~|"}}
)


def markdown_lines(text: str) -> str:
    """A text as Markdown prints it, its line breaks kept (a heading and the line
    under it, a footer): each line a :func:`markdown_paragraph`."""
    return "\n".join(markdown_paragraph(line) for line in text.split("\n"))


#: What starts a block when it starts a line: a heading, a quote, a list item, a rule
#: or a heading's underline (``#``, ``>``, ``-``, ``+``, ``=``), or a numbered item.
_BLOCK_START = re.compile(r"(?:[#>+=-]|\d+(?=[.)]))")


def markdown_paragraph(text: str) -> str:
    """A text as Markdown prints it where it starts a line (a paragraph, a line of a
    heading or a footer): :func:`one_cell`'s, and nothing at its start makes it a block
    of another kind (a note ``# All signed off`` or ``> Approved by the committee``
    would print as a heading or a quote): leading spaces go (four would start code),
    a block's mark is escaped."""
    line = one_cell(text, True).lstrip(" \t")
    found = _BLOCK_START.match(line)
    if found is None:
        return line
    if found.group(0)[0].isdigit():  # 1. or 1): escape what follows the number
        return found.group(0) + "\\" + line[found.end() :]
    return "\\" + line


def one_cell(text: str, markdown: bool) -> str:
    """A text as a table's cell holds it: a carriage return (alone, or before a newline)
    is a line break, never a return to the line's start over what it printed; a C1
    control character is shown as U+FFFD; in Markdown, written as text
    (:data:`_MARKDOWN`), each break as ``<br>``, so the cell stays on its row."""
    if _C1.search(text):
        text = _C1.sub("\ufffd", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not markdown:
        return text
    text = text.translate(_MARKDOWN).replace("\n", "<br>")
    # nor a bare address, which GitHub's Markdown links by itself
    return text.replace("://", "\\://").replace("www.", "www\\.")
