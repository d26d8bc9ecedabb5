"""A reminder and a calendar file leave ragw for places it does not control (mail
servers, mailboxes, calendar programs), so an item of a restricted report is given in
them by its key, status and dates alone, as a public paper and the web's calendar feed
give it; an item of any other report keeps its text."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from projections.committee.withholding import WITHHELD
from tests.cli.test_remind import ON, demo, run, text_of  # noqa: F401 (a fixture)

SECRET = "Covert tasking of sources in operation KINGFISHER"
KEY = "SECRET19/1"
#: An item of Head of Crime's, of a report that is not restricted.
OPEN_KEY = "FRAUD19/1"


@pytest.fixture
def restricted(demo: str) -> str:  # noqa: F811
    """The reminders' demo ledger with a restricted report's item for Head of Crime,
    due within the window."""
    run(demo, "report", "add", "SECRET19", "--title", "Covert matters", "--scope", "force",
        "--published", "2019-10-01", "--restricted", "--on", "2019-10-01")  # fmt: skip
    run(demo, "rec", "add", "SECRET19", "1", "--kind", "recommendation", "--text", SECRET,
        "--owner", "Head of Crime", "--due", "2019-11-30", "--on", "2019-11-01")  # fmt: skip
    return demo


def test_a_reminder_gives_a_restricted_reports_item_without_its_text(
    restricted: str, tmp_path: Path
) -> None:
    out = tmp_path / "mail"
    out.mkdir()
    run(restricted, "remind", "--on", ON, "--out", str(out), code=1)  # Uniform: no address
    message = message_from_bytes((out / f"{ON}-Head-of-Crime.eml").read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    for kind in ("plain", "html"):
        body = text_of(message, kind)
        assert KEY in body and OPEN_KEY in body and "2019-11-30" in body
        assert SECRET not in body and "KINGFISHER" not in body
        assert WITHHELD.replace("(", "").split(":")[0] in body


def test_a_calendar_file_gives_a_restricted_reports_item_without_its_text(
    restricted: str, tmp_path: Path
) -> None:
    path = tmp_path / "crime.ics"
    run(restricted, "calendar", "--owner", "Head of Crime", "--on", ON, "--out", str(path))
    written = path.read_text()
    assert f"SUMMARY:{KEY}: " in written and f"SUMMARY:{OPEN_KEY}: " in written
    assert "KINGFISHER" not in written and "withheld" in written
    assert path.stat().st_mode & 0o777 == 0o600  # as every file ragw writes


def test_a_calendar_file_is_not_written_through_a_link_planted_at_its_name(
    restricted: str, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("kept")
    path = tmp_path / "crime.ics"
    path.symlink_to(elsewhere)
    run(restricted, "calendar", "--owner", "Head of Crime", "--out", str(path), "--force")
    assert elsewhere.read_text() == "kept" and not path.is_symlink()
    assert path.read_text().startswith("BEGIN:VCALENDAR")
