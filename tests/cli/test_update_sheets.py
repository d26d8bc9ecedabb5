"""Owners' update sheets: requests -> filled in -> apply -> history shows who applied it,
for the owner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

OWNER = "DCI Crime"
APPLIER = "Strategic Development"  # the fixture's actor


def events_in(ragw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(ragw("log", "--format", "json"))["events"])


def sheet_rows(path: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    return header, rows


def fill(path: Path, changes: dict[str, dict[str, str]]) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, value in changes.get(str(row[0].value), {}).items():
            row[header.index(column)].value = value
    book.save(path)
    return path


def test_a_sheet_lists_the_owners_open_items_with_columns_to_fill_in(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    header, rows = sheet_rows(out)
    assert header == [
        "key",
        "report",
        "recommendation",
        "status",
        "due",
        "last comment",
        "new status",
        "reason",
        "progress note",
        "new due date",
        "justification",
        "version",
    ]
    assert set(rows) == {"FRAUD19/2", "FRAUD19/5", "HATE18/6"}, "GREEN items are done"
    assert rows["HATE18/6"]["due"] == "October 2018 Now January 2020"
    assert all(rows[k]["new status"] is None for k in rows)


def test_the_round_trip_records_what_the_owner_filled_in_by_who_applied_it_for_the_owner(
    owned, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    fill(
        out,
        {
            "FRAUD19/2": {
                "new status": "GREEN",
                "progress note": "Policy published on the intranet",
            },
            "FRAUD19/5": {
                "new due date": "2021-03-31",
                "justification": "Waiting for the NFIB feed",
            },
        },
    )
    result = owned("apply", str(out))
    assert result == (
        f"applied crime.xlsx for {OWNER}, as {APPLIER}: 3 rows: 2 items changed, 1 unchanged; "
        "3 events recorded\n"
    )
    history = json.loads(owned("history", "FRAUD19/2", "--format", "json"))["events"]
    assert [(e["type"], e["actor"], e["acting_for"]) for e in history[-2:]] == [
        ("ProgressNoted", APPLIER, OWNER),
        ("StatusChanged", APPLIER, OWNER),
    ]
    assert "acting_for" not in history[0], "an event recorded for oneself says nothing more"
    extension = json.loads(owned("history", "FRAUD19/5", "--format", "json"))["events"][-1]
    assert (extension["type"], extension["due"], extension["reason"], extension["actor"]) == (
        "DeadlineExtended",
        "2021-03-31",
        "Waiting for the NFIB feed",
        APPLIER,
    )
    assert f"{APPLIER} for {OWNER}" in owned("history", "FRAUD19/5", "--format", "csv")
    backup = tmp_path / "backup.jsonl"
    owned("export", "--out", str(backup))
    restored = CliRunner().invoke(main, ["--db", str(tmp_path / "r.db"), "restore", str(backup)])
    assert restored.exit_code == 0, restored.stderr
    again = CliRunner().invoke(
        main, ["--db", str(tmp_path / "r.db"), "history", "FRAUD19/2", "--format", "json"]
    )
    assert json.loads(again.stdout)["events"] == history, "a backup keeps whom it was for"
    before = events_in(owned)
    assert "0 events recorded" in owned("apply", str(out)), "applying it again changes nothing"
    assert events_in(owned) == before


def test_a_sheet_with_bad_rows_is_refused_whole(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    fill(
        out,
        {
            "FRAUD19/2": {"new status": "GREEN"},
            "FRAUD19/5": {"new status": "RED"},
            "HATE18/6": {"new due date": "2021-03-31"},
        },
    )
    before = events_in(owned)
    message = owned("apply", str(out), code=1)
    assert message.startswith("Error: crime.xlsx has 2 bad rows and nothing was recorded")
    assert message.count("\n") == 1
    lines = {key: n for n, key in enumerate(sheet_rows(out)[1], start=2)}
    assert f"line {lines['FRAUD19/5']}: RED needs a reason" in message
    assert f"line {lines['HATE18/6']}: a new due date needs a justification" in message
    assert events_in(owned) == before


def test_due_within_keeps_the_items_due_soon_or_overdue(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owned("extend", "FRAUD19/2", "--to", "2099-12-31", "--reason", "Long programme")
    out = tmp_path / "soon.xlsx"
    owned("requests", "--owner", OWNER, "--due-within", "45d", "--out", str(out))
    assert set(sheet_rows(out)[1]) == {"FRAUD19/5", "HATE18/6"}


@pytest.mark.parametrize(
    "args",
    [
        ("requests", "--owner", "Nobody", "--out", "x.xlsx"),
        ("requests", "--owner", OWNER, "--out", "x.csv"),
        ("requests", "--owner", OWNER, "--due-within", "soon", "--out", "x.xlsx"),
        ("apply", "missing.xlsx"),
    ],
)
def test_refusals_about_update_sheets_are_one_error_line(owned, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    message = owned(*args, code=1)
    assert message.startswith("Error: ") and message.count("\n") == 1, message


def test_a_spreadsheet_that_is_not_an_update_sheet_is_refused(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    assert "is not an update sheet" in owned("apply", str(other), code=1)


def test_a_sheet_never_undoes_what_was_recorded_after_it_was_written(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Governance sets FRAUD19/5 AMBER after the sheet was written; the owner's RED on the
    old sheet would overturn it unseen: refused, naming the versions, nothing recorded."""
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    owned("status", "FRAUD19/5", "AMBER")
    fill(out, {"FRAUD19/5": {"new status": "RED", "reason": "Feed not delivered"}})
    before = events_in(owned)
    message = owned("apply", str(out), code=1)
    assert "FRAUD19/5 changed since this sheet was written (FRAUD19/5@" in message, message
    assert "ask for `ragw requests`" in message and message.count("\n") == 1
    assert events_in(owned) == before


def test_a_sheet_applied_again_after_the_item_moved_on_is_refused(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    fill(out, {"FRAUD19/5": {"new status": "RED", "reason": "Feed not delivered"}})
    assert "1 events recorded" in owned("apply", str(out))
    assert "0 events recorded" in owned("apply", str(out)), "again, unchanged: nothing to do"
    owned("status", "FRAUD19/5", "AMBER", "--reason", "Feed arrived")
    before = events_in(owned)
    assert "FRAUD19/5 changed since this sheet was written" in owned("apply", str(out), code=1)
    assert events_in(owned) == before
    board = json.loads(owned("board", "--format", "json"))["items"]
    assert {i["key"]: i["status"] for i in board}["FRAUD19/5"] == "AMBER"


def test_a_column_given_twice_is_refused_whichever_would_be_read(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    fill(out, {"FRAUD19/5": {"new status": "AMBER"}})
    book = load_workbook(out)
    sheet = book.worksheets[0]
    sheet.cell(row=1, column=40, value="New Status")
    sheet.cell(row=3, column=40, value="GREEN")
    book.save(out)
    before = events_in(owned)
    message = owned("apply", str(out), code=1)
    assert message == (
        "Error: crime.xlsx has the column new status more than once; keep one and save it again\n"
    )
    assert events_in(owned) == before


def test_a_row_filled_in_whose_key_was_cleared_is_a_bad_row(owned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    fill(out, {"FRAUD19/5": {"new status": "RED", "reason": "Feed not delivered", "key": ""}})
    before = events_in(owned)
    message = owned("apply", str(out), code=1)
    line = list(sheet_rows(tmp_path / "crime.xlsx")[1]).index(None) + 2
    assert f"line {line}: its key is empty" in message, message
    assert events_in(owned) == before


def test_a_reminder_sent_after_the_sheet_was_written_leaves_it_good(
    owned, target: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A reminder changes nothing a sheet shows or records: a daily run of reminders must
    not make yesterday's sheet stale."""
    from datetime import date

    from ledger import open_ledger

    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    owned("owner", "contact", OWNER, "--email", "dci@example.org")
    ledger = open_ledger(target, create=False)
    try:
        ledger.record_reminder(
            OWNER,
            addresses=["dci@example.org"],
            keys=["FRAUD19/5"],
            message_id="<1@ragw.example.org>",
            actor=APPLIER,
            on=date.today(),
        )
    finally:
        ledger.close()
    fill(out, {"FRAUD19/5": {"new status": "RED", "reason": "Feed not delivered"}})
    assert "1 events recorded" in owned("apply", str(out))


@pytest.mark.parametrize("version", ["²", "0", "-1", "99", "three"])
def test_a_version_cell_typed_over_is_one_error_line(owned, tmp_path: Path, version: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "crime.xlsx"
    owned("requests", "--owner", OWNER, "--out", str(out))
    fill(out, {"FRAUD19/5": {"progress note": "Chased", "version": version}})
    before = events_in(owned)
    message = owned("apply", str(out), code=1)
    assert message.count("\n") == 1 and "its version cell holds" in message, message
    assert events_in(owned) == before
