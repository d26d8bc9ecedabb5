"""A restore checks what it restores: a backup a command could not have written is
refused whole, naming its lines, with nothing written; a backup ragw wrote restores.

Each finding of a review of `restore` has its test: a class named from the file (its
module imported), events from the future, GREEN by an actor without a role, a sign-off
of no request, a key that does not match its payload, a report code used twice, an item
without its report, and a digest the file's history does not give.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

GOVERNANCE = "Auditor"
OWNER = "Alice Smith"  # acts for the owner of CYBER19/1
MARKER = "ragw_planted_marker"


def run(db: str, *args: str, code: int = 0, actor: str = GOVERNANCE) -> str:
    result = CliRunner().invoke(main, ["--db", db, "--actor", actor, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    assert "Traceback" not in result.output
    return result.stdout if code == 0 else result.stderr


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict[str, Any]]]:
    """The demo ledger under access control (governance, and an owner acting for the owner
    of CYBER19/1, who claims it complete and has it signed off), and its export's lines."""
    folder = tmp_path_factory.mktemp("original")
    db = str(folder / "original.db")
    run(db, "demo", "--db", db)
    run(db, "assign", "CYBER19/1", "Head of Cyber Crime")
    run(db, "role", "grant", GOVERNANCE, "governance")
    run(db, "role", "grant", OWNER, "owner", "--acts-for", "Head of Cyber Crime")
    run(db, "complete", "CYBER19/1", "--evidence", "Training delivered", actor=OWNER)
    run(db, "sign-off", "CYBER19/1")
    run(db, "status", "PEEL1819/2", "RED", "--reason", "Slipped", actor=GOVERNANCE)
    backup = folder / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    return db, [json.loads(line) for line in backup.read_text().splitlines()]


def written(tmp_path: Path, lines: list[dict[str, Any]], name: str = "backup.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return str(path)


def appended(
    lines: list[dict[str, Any]],
    kind: str,
    key: str,
    payload: dict[str, Any],
    *,
    actor: str = GOVERNANCE,
    on: str = "2020-01-10",
    recorded_at: str | None = None,
) -> list[dict[str, Any]]:
    """``lines`` with one more event of ``key`` at its end, as an export would write it."""
    version = 1 + sum(1 for line in lines if line["key"] == key)
    line = {
        "id": f"{key}@{version}",
        "position": lines[-1]["position"] + 1,
        "type": kind,
        "key": key,
        "on": on,
        "recorded_at": recorded_at or datetime.now(UTC).isoformat(),
        "actor": actor,
        "class_version": 1,
        "payload": payload,
    }
    return [*lines, line]


def refused(target: str, backup: str, *args: str) -> str:
    """The one Error line a refused restore prints; nothing is written."""
    message = run(target, "restore", backup, *args, code=1)
    assert len(message.splitlines()) == 1 and message.startswith("Error: "), message
    assert nothing_written(target)
    return message


def nothing_written(target: str) -> bool:
    if "://" not in target:
        return not Path(target).exists()
    return run(target, "log", "--format", "json").count('"id"') == 0


def line_of(lines: list[dict[str, Any]], event_id: str) -> int:
    return next(n for n, line in enumerate(lines, start=1) if line["id"] == event_id)


def test_the_backup_of_a_ledger_under_access_control_restores_as_it_was(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    original, lines = exported
    run(target, "restore", written(tmp_path, lines))
    assert run(target, "log", "--format", "json") == run(original, "log", "--format", "json")
    assert run(target, "role", "list") == run(original, "role", "list")


def test_a_demo_ledger_restored_gives_the_same_board_and_the_same_export(
    target: str, tmp_path: Path
) -> None:
    demo = str(tmp_path / "x.db")
    run(demo, "demo", "--db", demo)
    backup, again = tmp_path / "backup.jsonl", tmp_path / "again.jsonl"
    run(demo, "export", "--out", str(backup))
    run(target, "restore", str(backup))
    run(target, "export", "--out", str(again))
    assert again.read_bytes() == backup.read_bytes()
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    pairs = [
        (lines[n - 1], line) for n, line in enumerate(lines) if line["type"] == "InspectionReported"
    ]
    assert pairs, "the demo's report of an inspection is recorded with the inspection's event"
    for report, link in pairs:
        assert report["type"] == "ReportRegistered"
        assert (report["payload"]["inspection"], report["key"]) == (
            link["key"],
            link["payload"]["report"],
        )
    for read in (("board",), ("board", "--format", "json"), ("summary", "PRMSC", "2019-11-15")):
        assert run(target, *read) == run(demo, *read)


# Topics: nothing named in the file is imported -------------------------------------------


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module that, imported, leaves a file behind: what a file must never make run."""
    folder = tmp_path / "planted"
    folder.mkdir()
    marker = folder / "imported"
    (folder / f"{MARKER}.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).touch()\nclass Committee: pass\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, MARKER, raising=False)
    return marker


def test_a_line_naming_another_class_to_create_is_refused_and_imports_nothing(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, planted: Path
) -> None:
    lines = json.loads(json.dumps(exported[1]))
    committee = next(line for line in lines if line["type"] == "CommitteeRegistered")
    committee["payload"]["originator_topic"] = f"{MARKER}:Committee"
    message = refused(target, written(tmp_path, lines))
    assert f"line {line_of(lines, committee['id'])}: CommitteeRegistered names '{MARKER}" in message
    assert not planted.exists() and MARKER not in sys.modules


def test_a_line_of_a_type_ragw_does_not_record_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, planted: Path
) -> None:
    lines = appended(exported[1], f"{MARKER}:Committee", "PRMSC", {})
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: type '{MARKER}:Committee' is not an event" in message
    assert not planted.exists() and MARKER not in sys.modules


# Dates: nothing from after the restore -------------------------------------------------


def test_an_event_recorded_after_the_restore_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    lines = appended(
        exported[1],
        "StatusChanged",
        "PEEL1819/1",
        {"status": "GREEN", "reason": None},
        on="2099-01-01",
        recorded_at="2099-01-01T09:00:00+00:00",
    )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: it was recorded at 2099-01-01T09:00:00+00:00, after" in message


def test_an_event_taking_effect_after_the_day_it_was_recorded_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    lines = appended(
        exported[1],
        "StatusChanged",
        "PEEL1819/1",
        {"status": "GREEN", "reason": None},
        on="2099-01-01",
    )
    message = refused(target, written(tmp_path, lines))
    assert (
        f"line {len(lines)}: it took effect on 2099-01-01, after the day it was recorded" in message
    )


def test_an_event_recorded_before_the_event_it_follows_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    lines = appended(
        exported[1],
        "ProgressNoted",
        "PEEL1819/1",
        {"text": "Draft policy"},
        recorded_at="2001-01-01T00:00:00+00:00",
    )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: it was recorded at 2001-01-01T00:00:00+00:00, before" in message


# Rules: each event one a command gave, when it was recorded ----------------------------


@pytest.mark.parametrize(
    ("actor", "why"),
    [
        ("Mallory", "access control was on and Mallory held no role"),
        (OWNER, f"{OWNER} was not governance, so GREEN needed sign-off"),
    ],
)
def test_green_set_by_an_actor_without_a_role_for_it_is_refused(
    exported: tuple[str, list[dict[str, Any]]],
    target: str,
    tmp_path: Path,
    actor: str,
    why: str,
) -> None:
    key = "CYBER19/1" if actor == OWNER else "PEEL1819/1"
    lines = appended(
        exported[1], "StatusChanged", key, {"status": "GREEN", "reason": None}, actor=actor
    )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: " in message and why in message, message


def test_a_sign_off_of_a_request_that_does_not_exist_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    payload = {"request": "PEEL1819/1@1", "outcome": "GREEN", "reason": "Done", "note": None}
    lines = appended(exported[1], "SignedOff", "PEEL1819/1", payload)
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: nothing of PEEL1819/1 awaits sign-off" in message


def test_a_change_that_does_not_follow_from_the_item_as_it_stood_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    """An extension whose previous due date is not the item's: the command would have
    written the item's."""
    lines = appended(
        exported[1],
        "DeadlineExtended",
        "FRAUD19/2",
        {"previous_due": "2001-01-31", "due": "2021-06-30", "reason": "Awaiting data"},
    )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: its previous_due is 2001-01-31 where the rules give" in message


@pytest.mark.parametrize("field", ["ref", "report"])
def test_an_item_whose_key_does_not_match_its_payload_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, field: str
) -> None:
    lines = json.loads(json.dumps(exported[1]))
    issued = next(line for line in lines if line["id"] == "PEEL1819/2@1")
    issued["payload"][field] = "99" if field == "ref" else "FRAUD19"
    message = refused(target, written(tmp_path, lines))
    named = "PEEL1819/99" if field == "ref" else "FRAUD19/2"
    assert f"line {line_of(lines, 'PEEL1819/2@1')}: its payload names '{named}'" in message


def test_a_report_whose_key_does_not_match_its_code_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    lines = json.loads(json.dumps(exported[1]))
    report = next(line for line in lines if line["type"] == "ReportRegistered")
    report["payload"]["code"] = "ELSEWHERE"
    message = refused(target, written(tmp_path, lines))
    assert f"line {line_of(lines, report['id'])}: its payload names 'ELSEWHERE'" in message


@pytest.mark.parametrize("version", [1, 2])
def test_a_report_code_registered_twice_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, version: int
) -> None:
    first = next(line for line in exported[1] if line["type"] == "ReportRegistered")
    lines = appended(exported[1], "ReportRegistered", first["key"], dict(first["payload"]))
    lines[-1]["id"] = f"{first['key']}@{version}"
    message = refused(target, written(tmp_path, lines))
    why = "ReportRegistered comes after its key was created" if version == 2 else "comes where"
    assert f"line {len(lines)}: " in message and why in message, message


def test_an_item_without_its_report_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    payload = {
        "originator_topic": "ledger.aggregates.recommendation:Recommendation",
        "report": "GHOST",
        "ref": "1",
        "kind": "afi",
        "text": "An item of no report",
    }
    lines = appended(exported[1], "RecommendationIssued", "GHOST/1", payload)
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: no report GHOST earlier in the file" in message


def test_a_change_to_an_item_never_issued_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    lines = appended(
        exported[1], "StatusChanged", "PEEL1819/77", {"status": "AMBER", "reason": None}
    )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: StatusChanged is the first event of its key here" in message


# Positions and the digest -------------------------------------------------------------


def chain_link(db: str, position: int) -> str:
    connection = sqlite3.connect(db)
    try:
        (link,) = connection.execute(
            "SELECT link FROM ragw_chain WHERE position = ?", (position,)
        ).fetchone()
    finally:
        connection.close()
    return str(link)


def test_restore_with_the_digest_of_the_original_restores_and_prints_the_same_digest(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    original, lines = exported
    head = run(original, "verify").splitlines()[-1].removeprefix("digest ")
    backup = written(tmp_path, lines)
    earlier = f"100:{chain_link(original, 100)}"
    assert run(target, "restore", backup, "--digest", earlier).endswith(f"ledger digest {head}\n")


def test_an_older_backup_without_positions_restores_and_gives_the_digest(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    original, lines = exported
    head = run(original, "verify").splitlines()[-1].removeprefix("digest ")
    unnumbered = [{k: v for k, v in line.items() if k != "position"} for line in lines]
    run(target, "restore", written(tmp_path, unnumbered), "--digest", head)
    assert run(target, "verify").splitlines()[-1] == f"digest {head}"


@pytest.mark.parametrize("wrong", ["link", "position", "history"])
def test_restore_refuses_a_file_whose_history_does_not_give_the_digest(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, wrong: str
) -> None:
    original, lines = exported
    lines = json.loads(json.dumps(lines))
    position, link = run(original, "verify").splitlines()[-1].removeprefix("digest ").split(":")
    if wrong == "link":
        link = link[:-1] + ("0" if link[-1] != "0" else "1")
    elif wrong == "position":
        position = str(int(position) + 1)
    else:  # a text edited in the file: every check passes but the digest's
        noted = next(line for line in lines if line["type"] == "ProgressNoted")
        noted["payload"]["text"] += " (edited)"
    message = refused(target, written(tmp_path, lines), "--digest", f"{position}:{link}")
    assert f"history up to position {position} does not give the digest" in message
    assert "encrypted ledger" in message and "ragw verify" in message


def test_positions_out_of_order_or_on_some_lines_only_are_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    lines = json.loads(json.dumps(exported[1]))
    lines[5]["position"] = lines[3]["position"]
    del lines[9]["position"]
    message = refused(target, written(tmp_path, lines))
    assert "line 6: its position 4 does not come after the line before's (5)" in message
    assert "line 10: some lines give their position in the log and some do not" in message


@pytest.mark.parametrize(
    ("field", "value"), [("on", "1066-10-14"), ("recorded_at", "0001-01-01T00:00:00+00:00")]
)
def test_a_date_or_moment_outside_the_years_the_ledger_accepts_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, field: str, value: str
) -> None:
    lines = json.loads(json.dumps(exported[1]))
    lines[-1][field] = value
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: " in message and "falls outside the years" in message


def test_access_control_turned_on_without_a_governance_role_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    """Nobody could write a ledger restored so: the first grant comes with the control."""
    lines = [line for line in exported[1] if line["key"] != "roles"]
    lines = appended(
        lines, "AccessControlled", "roles", {"originator_topic": "ledger.aggregates.access:Access"}
    )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: the command that recorded it also gave a governance role" in message


def test_an_item_written_with_a_later_due_date_needs_the_extension_it_was_recorded_with(
    target: str, tmp_path: Path
) -> None:
    """`--due "October 2019 Now January 2020"` records the item and its extension at once."""
    db = str(tmp_path / "original.db")
    run(
        db,
        "report",
        "add",
        "R1",
        "--title",
        "Roads",
        "--scope",
        "force",
        "--published",
        "2019-01-04",
    )
    run(
        db,
        "rec",
        "add",
        "R1",
        "1",
        "--kind",
        "afi",
        "--text",
        "Do it",
        "--due",
        "October 2019 Now January 2020",
    )
    backup = tmp_path / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    assert [line["type"] for line in lines] == [
        "ReportRegistered",
        "RecommendationIssued",
        "DeadlineExtended",
    ]
    message = refused(target, written(tmp_path, lines[:2], "cut.jsonl"))
    assert (
        "line 2: the command that recorded it also gave a DeadlineExtended (version 2)" in message
    )


def test_a_digest_not_written_as_printed_is_refused_before_anything_is_read(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    message = refused(target, written(tmp_path, exported[1]), "--digest", "263:abc")
    assert message.startswith("Error: --digest '263:abc' is not a digest")


@pytest.mark.parametrize("change", ["extensions", "closures"])
def test_an_owners_change_that_needed_sign_off_under_access_control_is_refused(
    exported: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path, change: str
) -> None:
    """PRMSC requires sign-off for ``change``: the owner's extension or closure recorded
    as done, not as a request, cannot have been."""
    today = datetime.now(UTC).date().isoformat()
    lines = appended(
        exported[1],
        "RulesAdopted",
        "rules",
        {"originator_topic": "ledger.aggregates.rules:Rules"},
        on=today,
    )
    lines = appended(
        lines, "SignOffRuleSet", "rules", {"committee": "PRMSC", "changes": [change]}, on=today
    )
    if change == "extensions":
        payload = {"previous_due": "2020-11-30", "due": "2021-06-30", "reason": "Awaiting data"}
        lines = appended(lines, "DeadlineExtended", "CYBER19/1", payload, actor=OWNER, on=today)
    else:
        lines = appended(
            lines,
            "RecommendationClosed",
            "CYBER19/1",
            {"reason": "Superseded"},
            actor=OWNER,
            on=today,
        )
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: {OWNER}'s {change} needed sign-off then" in message
    governance = [{**line, "actor": GOVERNANCE} if line is lines[-1] else line for line in lines]
    run(target, "restore", written(tmp_path, governance, "governance.jsonl"))


def test_an_update_sheet_applied_by_governance_under_access_control_restores(
    target: str, tmp_path: Path
) -> None:
    """The sheet's changes are governance's, recorded for the sheet's owner (who holds
    no role), GREEN included: they restore as they were recorded."""
    from tests.cli.test_update_sheets import fill

    db = str(tmp_path / "original.db")
    run(db, "demo", "--db", db)
    run(db, "assign", "FRAUD19/2", "DCI Crime", "--on", "2019-11-20")
    run(db, "role", "grant", GOVERNANCE, "governance")
    sheet = tmp_path / "crime.xlsx"
    run(db, "requests", "--owner", "DCI Crime", "--out", str(sheet))
    fill(sheet, {"FRAUD19/2": {"new status": "GREEN", "progress note": "Policy published"}})
    run(db, "apply", str(sheet))
    backup = tmp_path / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    last = lines[-1]
    assert (last["type"], last["actor"], last["payload"]["acting_for"]) == (
        "StatusChanged",
        GOVERNANCE,
        "DCI Crime",
    )
    run(target, "restore", str(backup))
    assert run(target, "history", "FRAUD19/2") == run(db, "history", "FRAUD19/2")
