"""A tracker saved as text, as Excel saves it: "CSV UTF-8" (with a byte order mark),
plain "CSV" (Windows-1252 on a Windows machine), and "Unicode Text" (UTF-16 with a byte
order mark, the cells separated by tabs, saved as .txt). The encoding is told from the
bytes, the separator from the encoding and the first lines; each line keeps its number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ledger.errors import InvalidInputError
from ledger.exchange.cells import unescaped
from ledger.exchange.workbook import Line, check_size

#: A character UTF-8 writes in two to four bytes: in a file that is not UTF-8 as a whole,
#: the sign that it is UTF-8 with a byte of another encoding pasted in.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

#: The suffixes of trackers saved as text.
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


def decoded(data: bytes, name: str) -> tuple[str, bool]:
    """The text of a file's bytes, and whether it is UTF-16 (Excel's "Unicode Text")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, "utf-16", name), True
    head = data[:200]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and 0 not in head[0::2][:2]:
        return _utf16(data, "utf-16-le", name), True  # no byte order mark
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and 0 not in head[1::2][:2]:
        return _utf16(data, "utf-16-be", name), True
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(data):
            # UTF-8 with a byte of something else: read as Windows text, every accented
            # letter of the rest would be changed into two or three others, silently
            raise InvalidInputError(
                "{name} is UTF-8 but line {line} holds a byte that is not (byte {byte}); "
                "retype that line's accented letters or symbols and save it again as "
                "CSV UTF-8",
                name=name,
                line=data[: error.start].count(b"\n") + 1,
                byte=f"{data[error.start]:#04x}",
            ) from None
        try:
            return data.decode("cp1252"), False  # spreadsheets saved on Windows
        except UnicodeDecodeError as error:
            raise InvalidInputError(
                "{name} is neither UTF-8 nor Windows text (byte {byte} at {at}); save it "
                "again as CSV UTF-8",
                name=name,
                byte=f"{data[error.start]:#04x}",
                at=error.start,
            ) from None


def _utf16(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            "{name} reads as Unicode text (UTF-16) but is broken at byte {at}; save it again "
            "as Unicode text or as CSV UTF-8",
            name=name,
            at=error.start,
        ) from None


def separator(text: str, suffix: str, utf16: bool) -> str:
    """A tab for Unicode text and tab-separated files, else a comma, unless the first
    lines hold more tabs than commas (a .csv that is tab-separated). A UTF-16 file with
    no tab in its first lines is a CSV saved as UTF-16 (as some tools save one), read by
    its commas."""
    first = text[:4000]
    if suffix == ".tsv" or (utf16 and ("\t" in first or "," not in first)):
        return "\t"
    return "\t" if first.count("\t") > first.count(",") else ","


def text_lines(path: Path) -> Iterator[Line]:
    """The rows of a tracker saved as text, each with its first line's number; a cell
    ragw escaped on export is read back as the text it was."""
    check_size(path)
    data = path.read_bytes()  # not read_text: a cell's own line breaks stay as written
    text, utf16 = decoded(data, path.name)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=separator(text, path.suffix.lower(), utf16)
    )
    first_line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # e.g. a cell longer than any text ragw records
            raise InvalidInputError(
                "{name} cannot be read as CSV at line {line} ({error}); check that line and "
                "save it again as CSV",
                name=path.name,
                line=first_line,
                error=str(error),
            ) from None
        yield Line(first_line, [unescaped(value) for value in values])  # as ragw wrote it
        first_line = reader.line_num + 1  # a quoted cell may run over several lines
