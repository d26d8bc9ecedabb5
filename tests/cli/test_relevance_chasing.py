"""Owners are chased only for the force's items: reminders, update sheets and calendars
leave out an item said not to be for the force (someone else acts on it) and one
superseded by a later item (closed). On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from openpyxl import load_workbook

from tests.cli.test_relevance import GOV, OWNER, as_, tracker

ON = "2021-03-10"


def chased(target: str) -> str:
    """The tracker with OLD/1..3 due soon, OLD/1 superseded and OLD/2 not for the force."""
    tracker(target)
    for key in ("OLD/1", "OLD/2", "OLD/3"):
        as_(target, GOV, "due", key, "2021-03-31", "--reason", "Set", "--on", "2021-02-01")
    as_(target, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO", "--on", "2021-03-01")
    as_(target, GOV, "supersede", "OLD/1", "--by", "NEW/1", "--reason", "r", "--on", "2021-03-01")
    as_(target, GOV, "owner", "contact", OWNER, "--email", "roads@example.org")
    return target


def test_a_reminder_lists_only_the_items_for_the_force(target: str, tmp_path: Path) -> None:
    chased(target)
    out = tmp_path / "mail"
    out.mkdir()
    as_(target, GOV, "remind", "--on", ON, "--out", str(out))
    (message,) = out.glob("*.eml")
    text = message.read_text()
    assert "OLD/3" in text and "OLD/2" not in text and "OLD/1" not in text


def test_an_update_sheet_lists_only_the_items_for_the_force(target: str, tmp_path: Path) -> None:
    chased(target)
    out = tmp_path / "sheet.xlsx"
    as_(target, GOV, "requests", "--owner", OWNER, "--out", str(out))
    keys = {row[0] for row in load_workbook(out).worksheets[0].iter_rows(values_only=True)}
    assert "OLD/3" in keys and not keys & {"OLD/1", "OLD/2"}


def test_a_calendar_has_to_dos_only_for_the_items_for_the_force(
    target: str, tmp_path: Path
) -> None:
    chased(target)
    ics = tmp_path / "roads.ics"
    as_(target, GOV, "calendar", "--owner", OWNER, "--on", ON, "--out", str(ics))
    todos = Calendar.from_ical(ics.read_bytes()).walk("VTODO")
    assert [str(t["summary"]).split(":")[0] for t in todos] == ["OLD/3"]
