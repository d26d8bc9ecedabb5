"""A tracker's cells as Excel holds them, read as the ledger's values.

A date may be a date cell (read as an ISO date, a time of day dropped when it is
midnight), an ISO date, or text written the UK way (``15/11/2019``, ``15.11.2019``,
``15/11/19``, ``15 Nov 2019``, ``15th November 2019``, ``15-Nov-2019``, ``15-Nov-19``:
how Excel shows and saves dates in the UK); never month first. A two-digit year is
read as Excel reads one typed in a cell (00-29 are 2000-2029, 30-99 are 1930-1999): the
file shows the date Excel holds, so reading it by Excel's rule gives that same date. A
due cell that is one whole day in any of these forms is that day (:func:`whole_day`),
never the month it names. A ref typed as a number
comes back from a workbook as ``4.0``: it is ref ``4`` (a text cell ``4.0`` is ref ``4.0``).
"""

from __future__ import annotations

import re
from datetime import date

from ledger.due import MONTHS, parse_iso_date, within_years
from ledger.errors import InvalidInputError

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_WORDS = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+({_MONTH})\.?,?[\s-]+(\d{{4}}|\d{{2}})", re.IGNORECASE
)
#: A date cell with its time of day, as :func:`ledger.exchange.workbook.cell_text` gives it.
_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def full_year(year: int, digits: int) -> int:
    """A year as written; two digits by Excel's pivot (00-29 are 20xx, 30-99 are 19xx)."""
    if digits != 2:
        return year
    return year + (2000 if year < 30 else 1900)


def whole_day(text: str, what: str) -> date | None:
    """The day ``text`` is when the whole of it is one day in a form :func:`read_day`
    reads; None when it is something else (a month, "within 3 months"); refused when it
    is written as a day that is not a real one."""
    written = " ".join(text.split())
    moment = _MOMENT.fullmatch(written)
    if moment:
        written = moment.group(1)
    if not (_ISO.fullmatch(written) or _NUMERIC.fullmatch(written) or _WORDS.fullmatch(written)):
        return None
    return read_day(text, what)


def read_day(text: str, what: str) -> date:
    """A day as a tracker's cell holds it; refused with the forms it may take."""
    written = " ".join(text.split())
    moment = _MOMENT.fullmatch(written)
    if moment:
        written = moment.group(1)
    try:
        return parse_iso_date(written, what)
    except InvalidInputError:
        pass
    day = month = year = None
    numeric = _NUMERIC.fullmatch(written)
    words = _WORDS.fullmatch(written)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        digits = len(numeric.group(3))
    elif words:
        day, month, year = int(words[1]), MONTHS[words[2].lower()], int(words[3])
        digits = len(words[3])
    if day is None or month is None or year is None:
        raise InvalidInputError(
            "{what} {text} is not a date; write it as 2019-11-15, 15/11/2019 or 15 Nov 2019",
            what=what,
            text=repr(text),
        )
    year = full_year(year, digits)
    try:
        found = date(year, month, day)
    except ValueError:
        raise InvalidInputError(
            "{what} {text} is not a real date (day, then month, then year)",
            what=what,
            text=repr(text),
        ) from None
    return within_years(found, what, text)


def read_ref(text: str) -> str:
    """A ref as a cell holds it. A number cell is read as Excel shows it
    (:func:`ledger.exchange.workbook.cell_text`: 4.0 is ``4``); a text cell is the text
    typed, so ``4.0`` stays ``4.0``, the ref a person gave an item with ``rec add``."""
    return text.strip()
