"""Due dates are read in every form the seed papers write them."""

from __future__ import annotations

import calendar
import json
from datetime import date
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.due import month_text, parse_due
from ledger.errors import InvalidInputError

PUBLISHED = date(2018, 7, 19)

# Every due text in the seed papers, with the dates it names (original first).
SEED_DUE_TEXTS = {
    "By 30 November 2015": [date(2015, 11, 30)],
    "by November 2015": [date(2015, 11, 30)],
    "by March 2015": [date(2015, 3, 31)],
    "November 2020": [date(2020, 11, 30)],
    "February 2020": [date(2020, 2, 29)],
    "To be set": [],
    "No deadline set by HMICFRS": [],
    "No date set by HMICFRS": [],
    "No deadline specified within the report": [],
    "": [],
    "within three months": [date(2018, 10, 19)],
    "within six months": [date(2019, 1, 19)],
    "Within six months": [date(2019, 1, 19)],
    "immediately": [PUBLISHED],
    "Immediately": [PUBLISHED],
    "with immediate effect": [PUBLISHED],
    "No deadline set by HMICFRS December 2019 set to align with the next inspection": [
        date(2019, 12, 31)
    ],
    "December 2019 set to align with the next inspection": [date(2019, 12, 31)],
    "December 2019 to align with the HMICFRS return visit": [date(2019, 12, 31)],
    "November 2019 to the NPCC": [date(2019, 11, 30)],
    "October 2018 Now January 2020": [date(2018, 10, 31), date(2020, 1, 31)],
    "September 2018 And January 2019": [date(2018, 9, 30), date(2019, 1, 31)],
    "September 2019 Now December 2019": [date(2019, 9, 30), date(2019, 12, 31)],
    "Now July 2019": [date(2019, 7, 31)],
    "No deadline specified within the report March 2019 deadline set": [date(2019, 3, 31)],
    "No deadline specified within the report  August 2019 deadline set": [date(2019, 8, 31)],
    "No deadline set by HMICFRS  A deadline of April 2019 has been set  New deadline set July 2019": [
        date(2019, 4, 30),
        date(2019, 7, 31),
    ],
}


# Forms trackers (spreadsheets) write that the papers do not.
TRACKER_DUE_TEXTS = {
    "31/03/2020": [date(2020, 3, 31)],
    "31.03.2020": [date(2020, 3, 31)],
    "Mar-20": [date(2020, 3, 31)],
    "Q3 2020": [date(2020, 9, 30)],
    "Ongoing": [],
    "TBC": [],
    "Completed": [],
    "Not applicable": [],
}


@pytest.mark.parametrize("text", sorted(TRACKER_DUE_TEXTS))
def test_due_dates_as_trackers_write_them_are_read(text: str) -> None:
    assert list(parse_due(text, PUBLISHED).dates) == TRACKER_DUE_TEXTS[text]


@pytest.mark.parametrize("text", sorted(SEED_DUE_TEXTS))
def test_every_due_text_in_the_seed_papers_is_read(text: str) -> None:
    assert list(parse_due(text, PUBLISHED).dates) == SEED_DUE_TEXTS[text]


def test_every_due_text_of_the_demo_paper_is_read() -> None:
    """Each of the paper's 105 due texts is read (none refused), to dates on or after
    its report's publication, later dates being extensions; only texts saying no date
    was set read as none."""
    paper = json.loads(files("ledger").joinpath("data", "colp-hmicfrs-2019-11.json").read_text())
    undated: set[str] = set()
    dated: list[tuple[date, ...]] = []
    for report in paper["reports"]:
        published = date.fromisoformat(report["published"])
        for item in report["items"]:
            due = parse_due(item["due"], published)
            if due.dates:
                dated.append(due.dates)
                assert all(day >= published for day in due.dates), (item["due"], due)
                assert list(due.dates) == sorted(set(due.dates)), (item["due"], due)
            else:
                undated.add(item["due"])
    assert undated == {
        "",
        "To be set",
        "No date set by HMICFRS",
        "No deadline specified within the report",
    }
    assert (len(dated), sum(len(dates) == 2 for dates in dated)) == (97, 5)


def test_an_extended_due_date_keeps_the_original() -> None:
    due = parse_due("October 2018 Now January 2020")
    assert due.original == date(2018, 10, 31)
    assert due.extensions == (date(2020, 1, 31),)
    assert due.current == date(2020, 1, 31)


def test_relative_due_dates_need_the_publication_date() -> None:
    with pytest.raises(InvalidInputError, match="publication"):
        parse_due("within three months", None)


@pytest.mark.parametrize("text", ["soon", "ASAP", "next year", "31 February 2020"])
def test_unreadable_due_dates_are_refused_with_examples(text: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_due(text, PUBLISHED)
    assert text in str(refused.value)


def test_a_history_of_dates_must_move_later() -> None:
    with pytest.raises(InvalidInputError, match="must be after"):
        parse_due("January 2020 Now October 2018")


@given(st.integers(1900, 2100), st.integers(1, 12))
def test_a_month_means_its_last_day(year: int, month: int) -> None:
    written = f"{calendar.month_name[month]} {year}"
    due = parse_due(written)
    assert due.original == date(year, month, calendar.monthrange(year, month)[1])
    assert month_text(due.original) == written


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_iso_dates_and_day_month_year_name_the_same_day(day: date) -> None:
    assert parse_due(day.isoformat()).original == day
    assert parse_due(f"{day.day} {calendar.month_name[day.month]} {day.year}").original == day


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.integers(1, 24))
def test_within_n_months_counts_from_publication(published: date, months: int) -> None:
    due = parse_due(f"within {months} months", published).original
    assert due is not None
    assert (due.year - published.year) * 12 + due.month - published.month == months
    assert due.day <= published.day
