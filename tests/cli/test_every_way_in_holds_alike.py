"""What a command refuses, no other way in records: an update sheet's owner (whom its
changes are recorded as made for) is a name, held to the name rule and the length of any
text; an inspectorate is text, no longer than any text, whether given to `report add`,
`inspection add` or in an import's row. So everything recorded restores from its own
backup. Each refusal is one `Error:` line, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_update_sheets import OWNER, events_in

LONG = "H" * 20_001


def error_line(ragw: Any, *args: str) -> str:
    message: str = ragw(*args, code=1)
    assert len(message.splitlines()) == 1 and message.startswith("Error: "), message
    return message


@pytest.mark.parametrize(
    ("owner", "said"),
    [
        ("DCI Crime\nDCI Other", "a line break"),
        ("\u202eemirC ICD", "U+202E"),
        ("x" * 20_001, "the limit is 20000"),
    ],
)
def test_an_update_sheet_naming_its_owner_as_no_command_would_is_refused(
    owned: Any, tmp_path: Path, owner: str, said: str
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    book = load_workbook(out)
    book["About"]["B1"] = owner
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("progress note") + 1).value = "Progress"
    book.save(out)
    before = events_in(owned)
    message = error_line(owned, "apply", str(out))
    assert "the sheet's owner" in message and said in message
    assert events_in(owned) == before


def test_an_inspectorate_longer_than_any_text_is_refused_by_report_add(
    owned: Any,
) -> None:
    before = events_in(owned)
    args = ("report", "add", "R20", "--title", "T", "--scope", "national")
    message = error_line(owned, *args, "--published", "2020-01-01", "--inspectorate", LONG)
    assert "an inspectorate is 20001 characters long; the limit is 20000" in message
    assert events_in(owned) == before


def test_an_inspectorate_longer_than_any_text_is_refused_in_an_import_row(
    owned: Any, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "report_code,report,scope,published,ref,kind,text,inspectorate\n"
        f"R21,Title,force,2020-01-01,1,afi,Text,HMICFRS;{LONG}\n"
    )
    before = events_in(owned)
    message = error_line(owned, "import", str(tracker))
    assert "an inspectorate is 20001 characters long" in message
    assert events_in(owned) == before


def test_what_every_way_in_accepted_restores_from_its_backup(owned: Any, tmp_path: Path) -> None:
    """The control: inspectorates at the limit, given every way in, export and restore."""
    most = "H" * 20_000
    args = ("report", "add", "R22", "--title", "T", "--scope", "national")
    owned(*args, "--published", "2020-01-01", "--inspectorate", f"  {most}  ")
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "report_code,report,scope,published,ref,kind,text,inspectorate\n"
        f"R23,Title,force,2020-01-01,1,afi,Text,HMICFRS; {most}\n"
    )
    owned("import", str(tracker))
    backup = tmp_path / "backup.jsonl"
    owned("export", "--out", str(backup))
    restored = CliRunner().invoke(main, ["--db", str(tmp_path / "r.db"), "restore", str(backup)])
    assert restored.exit_code == 0, restored.stderr
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    named = {
        line["key"]: line["payload"]["inspectorates"]
        for line in lines
        if line["key"] in ("R22", "R23")
    }
    assert named == {"R22": [most], "R23": ["HMICFRS", most]}


@pytest.mark.parametrize("blank", ["\u200b", "\ufeff\u200d", "\u2060 \u3164", "\u2800"])
def test_a_reason_that_shows_nothing_is_no_reason_on_any_way_in(
    owned: Any, tmp_path: Path, blank: str
) -> None:
    """A RED's rationale, an extension's justification: zero-width spaces, joiners or
    blank fillers alone would print as an empty reason on the paper, so they are no
    reason; in an update sheet's cell, as in any text not required, they are as empty."""
    before = events_in(owned)
    message = error_line(owned, "status", "FRAUD19/2", "RED", "--reason", blank)
    assert "RED needs a reason" in message
    message = error_line(owned, "extend", "FRAUD19/2", "--to", "2030-01-31", "--reason", blank)
    assert "an extension needs a reason" in message
    assert "show nothing" in error_line(owned, "note", "FRAUD19/2", blank)
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    from openpyxl import load_workbook

    book = load_workbook(out)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("progress note") + 1).value = blank
    book.save(out)
    assert "0 events recorded" in owned("apply", str(out))
    assert events_in(owned) == before


@pytest.mark.parametrize("order", ["\u202e", "\u2066", "\u202b"])
def test_a_note_that_reorders_the_text_around_it_is_refused(owned: Any, order: str) -> None:
    """Shown on a paper, "Done \u202etnemucod" reads as other words than were typed."""
    before = events_in(owned)
    message = error_line(owned, "note", "FRAUD19/2", f"Done {order}tnemucod")
    assert f"U+{ord(order):04X}" in message and "reorders" in message
    assert events_in(owned) == before


def test_a_due_date_or_a_link_that_reorders_the_text_around_it_is_refused(owned: Any) -> None:
    """A link shown as "…exe.jpg" that is "…gpj.exe"; a due date as written, which the
    paper prints: every text ragw shows is held to the same rule as a note."""
    before = events_in(owned)
    args = ("rec", "add", "FRAUD19", "98", "--kind", "afi", "--text", "Text")
    message = error_line(owned, *args, "--due", "\u202eDecember 2019")
    assert "U+202E" in message and "reorders" in message
    link = "https://x.example/\u202egpj.exe"
    message = error_line(owned, "complete", "FRAUD19/2", "--evidence", "Done", "--link", link)
    assert "U+202E" in message and "reorders" in message
    assert events_in(owned) == before
