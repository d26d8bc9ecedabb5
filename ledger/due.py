"""Reading due dates written the way committee papers write them.

Every form found in real papers is understood: an ISO date, a day ("By 30 November
2015"), a month ("November 2020", read as its last day), a time from publication
("within three months", "immediately", "with immediate effect"), no date at all
("To be set", "No deadline set by HMICFRS") and histories of dates ("October 2018 Now
January 2020", "No deadline set by HMICFRS December 2019 set to align with the next
inspection"). The first date written is the original due date; each later one is an
extension of it, so the original is never lost.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from ledger.errors import InvalidInputError
from ledger.inputs import check_shown, whole_number

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}

_MENTION = re.compile(
    rf"""
      (?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)
    | (?P<uk>\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}\b)
    | \b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<day_month>{_MONTH})\.?,?\s+(?P<day_year>\d{{4}})\b
    | (?<!\d[\s/.-])\b(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b
    | (?<!\d[\s/.-])\b(?P<short_month>{_MONTH})-(?P<short_year>\d{{2}})\b
    | \bQ(?P<quarter>[1-4])\s*(?P<quarter_year>\d{{4}})\b
    | \bwithin\s+(?P<count>\d+|[a-z-]+)\s+(?P<unit>day|week|month|year)s?\b
    | (?P<immediate>\bimmediate(?:ly)?\b|\bforthwith\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_NO_DATE = re.compile(
    r"\b(to be set|tbc|tba|tbd|none|no (?:deadline|date)|not set|n/?a|not applicable|ongoing"
    r"|complete(?:d)?)\b",
    re.IGNORECASE,
)

EXAMPLES = "2020-11-30, November 2020, 30 November 2020, within 3 months, immediately, to be set"


@dataclass(frozen=True)
class Due:
    """A due date as written, and the dates it names in order."""

    text: str
    dates: tuple[date, ...] = ()

    @property
    def original(self) -> date | None:
        return self.dates[0] if self.dates else None

    @property
    def extensions(self) -> tuple[date, ...]:
        return self.dates[1:]

    @property
    def current(self) -> date | None:
        return self.dates[-1] if self.dates else None


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(start: date, months: int) -> date:
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


#: The years a date may fall in: every inspection ragw tracks, with room on both sides;
#: beyond them a date is a typing slip (0001, 9999) that would only break arithmetic.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def within_years(day: date, what: str, written: str) -> date:
    """``day``, refused when it falls outside :data:`FIRST_YEAR`-:data:`LAST_YEAR`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInputError(
            f"{what} {written!r} falls outside the years {FIRST_YEAR}-{LAST_YEAR} the "
            "ledger accepts; check the year"
        )
    return day


def parse_iso_date(text: str, what: str = "date") -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{what} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2019-11-01"
        ) from None
    return within_years(day, what, text)


def parse_moment(text: str, what: str, *, end: bool = True) -> datetime:
    """A moment given as ``what``, in ISO 8601: a bare date is the last moment of that
    day (``end``: else its first), so a day given is wholly in; without a zone, the
    local time of the machine ragw runs on, as ISO 8601 reads a time without one. The
    one reading of every front end: the command line and the web read a moment alike."""
    written = text.strip()
    try:
        try:  # a day in any of ISO 8601's forms (2019-11-03, 20191103, 2019-W44-7)
            day = date.fromisoformat(written)
        except ValueError:
            moment = datetime.fromisoformat(written.replace("Z", "+00:00"))
        else:
            moment = datetime.combine(day, time.max if end else time.min)
    except ValueError:
        raise InvalidInputError(
            f"{what} {text!r} is not a date-time; write ISO 8601, e.g. 2019-11-03T10:15 "
            "(local time), 2019-11-03T10:15+00:00 or 2019-11-03 (the whole day)"
        ) from None
    within_years(moment.date(), what, text)
    return moment if moment.tzinfo else moment.astimezone()


def parse_due(text: str | None, published: date | None = None) -> Due:
    """Read a due date in any form the papers use; raise with examples if unreadable."""
    written = check_shown(" ".join((text or "").split()), "due date")
    dates: list[date] = []
    for match in _MENTION.finditer(written):
        dates.append(within_years(_mention_to_date(match, written, published), "due date", written))
    if not dates and written and not _NO_DATE.search(written):
        raise InvalidInputError(f"cannot read the due date {written!r}; write e.g. {EXAMPLES}")
    for earlier, later in pairwise(dates):
        if later <= earlier:
            raise InvalidInputError(
                f"due date {written!r} moves from {earlier.isoformat()} to "
                f"{later.isoformat()}; each later date must be after the one before it"
            )
    return Due(text=written, dates=tuple(dates))


def _mention_to_date(match: re.Match[str], written: str, published: date | None) -> date:
    groups = match.groupdict()
    try:
        if groups["iso"]:
            return date.fromisoformat(groups["iso"])
        if groups["uk"]:
            day, month, year = (int(part) for part in re.split(r"[/.]", groups["uk"]))
            return date(year, month, day)
        if groups["day"]:
            month = MONTHS[groups["day_month"].lower()]
            return date(int(groups["day_year"]), month, int(groups["day"]))
        if groups["month"]:
            return end_of_month(int(groups["year"]), MONTHS[groups["month"].lower()])
        if groups["short_month"]:  # spreadsheets' "Mar-20"
            # two-digit years by Excel's pivot: 00-29 are 20xx, 30-99 are 19xx
            short = int(groups["short_year"])
            return end_of_month(
                short + (2000 if short < 30 else 1900), MONTHS[groups["short_month"].lower()]
            )
        if groups["quarter"]:
            return end_of_month(int(groups["quarter_year"]), 3 * int(groups["quarter"]))
    except ValueError:
        raise InvalidInputError(
            f"{match.group(0)!r} in due date {written!r} is not a real date"
        ) from None
    if published is None:
        raise InvalidInputError(
            f"due date {written!r} counts from the report's publication, which is not known here"
        )
    if groups["immediate"]:
        return published
    count_text = groups["count"].lower()
    count = whole_number(count_text, 6) if count_text[:1].isdigit() else NUMBERS.get(count_text)
    if count is None and count_text.isascii() and count_text.isdecimal():
        raise InvalidInputError(
            f"due date {written!r} falls past the year {LAST_YEAR}; check the number"
        )
    if count is None:
        raise InvalidInputError(
            f"cannot read {groups['count']!r} in due date {written!r}; "
            "write a number, e.g. within 3 months"
        )
    unit = groups["unit"].lower()
    try:
        if unit == "day":
            return published + timedelta(days=count)
        if unit == "week":
            return published + timedelta(weeks=count)
        return add_months(published, count * (12 if unit == "year" else 1))
    except (OverflowError, ValueError):  # thousands of years on: past any calendar
        raise InvalidInputError(
            f"due date {written!r} falls past the year {LAST_YEAR}; check the number"
        ) from None


def month_text(day: date) -> str:
    """How papers print a due date: the month and year ("January 2020")."""
    return f"{calendar.month_name[day.month]} {day.year}"


def paper_date(day: date) -> str:
    """A due date as a paper prints it: a month-end as its month ("January 2020"),
    any other day in full ("30 November 2015")."""
    if day == end_of_month(day.year, day.month):
        return month_text(day)
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
