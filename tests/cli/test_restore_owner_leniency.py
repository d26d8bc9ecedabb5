"""A restore lets a change stand under an item's owner's name (an owner with no role)
only where an old update sheet could have recorded it so, applied by governance: a
colour, a note, a due date set or moved where no committee wanted sign-off for it, a
claim or a request. Closures, owners assigned, corrections, and extensions a committee's
rule made wait, by an owner with no role, could not have been recorded and are refused,
naming the line; and ``acting_for`` stands only on what an update sheet records.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_restore_checks import GOVERNANCE, appended, refused, run, written

ITEM = "FRAUD19/2"
OWNER = "DCI Crime"  # the item's owner, who holds no role
TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The demo ledger under access control: FRAUD19/2 assigned to DCI Crime (no role),
    then set AMBER by governance (FRAUD19/2@4); its export's lines."""
    folder = tmp_path_factory.mktemp("original")
    db = str(folder / "original.db")
    run(db, "demo", "--db", db)
    run(db, "assign", ITEM, OWNER, "--on", "2019-11-20")
    run(db, "role", "grant", GOVERNANCE, "governance")
    run(db, "status", ITEM, "AMBER", "--on", "2019-11-21")
    backup = folder / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    return [json.loads(line) for line in backup.read_text().splitlines()]


def under_rule(lines: list[dict[str, Any]], change: str) -> list[dict[str, Any]]:
    """``lines`` with PRMSC requiring sign-off for ``change``."""
    rules = {"originator_topic": "ledger.aggregates.rules:Rules"}
    lines = appended(lines, "RulesAdopted", "rules", rules, on=TODAY)
    sign_off = {"committee": "PRMSC", "changes": [change]}
    return appended(lines, "SignOffRuleSet", "rules", sign_off, on=TODAY)


EXTENDED = {"previous_due": "2020-03-31", "due": "2029-06-30", "reason": "Awaiting data"}


@pytest.mark.parametrize(
    ("kind", "payload", "rule"),
    [
        ("RecommendationClosed", {"reason": "Superseded"}, None),
        ("OwnerAssigned", {"owner": "Someone Else"}, None),
        ("EventCorrected", {"corrects": f"{ITEM}@4", "reason": "Not so"}, None),
        ("RecommendationClosed", {"reason": "Superseded"}, "closures"),
        ("DeadlineExtended", EXTENDED, "extensions"),
    ],
)
def test_what_no_update_sheet_recorded_under_an_owners_name_is_refused(
    lines: list[dict[str, Any]],
    target: str,
    tmp_path: Path,
    kind: str,
    payload: dict[str, Any],
    rule: str | None,
) -> None:
    held = under_rule(lines, rule) if rule else lines
    bad = appended(held, kind, ITEM, payload, actor=OWNER, on=TODAY)
    message = refused(target, written(tmp_path, bad))
    assert f"line {len(bad)}: {OWNER} could not have recorded it" in message
    assert "held no role" in message
    by_governance = [{**line, "actor": GOVERNANCE} if line is bad[-1] else line for line in bad]
    run(target, "restore", written(tmp_path, by_governance, "governance.jsonl"))


def test_an_old_update_sheet_under_the_owners_name_still_restores(
    lines: list[dict[str, Any]], target: str, tmp_path: Path
) -> None:
    """Before sheets named their applier, governance's application of DCI Crime's sheet
    recorded GREEN, a note and a later due date under her name."""
    old = appended(lines, "ProgressNoted", ITEM, {"text": "Policy published"}, actor=OWNER)
    old = appended(old, "StatusChanged", ITEM, {"status": "GREEN", "reason": None}, actor=OWNER)
    old = appended(old, "DeadlineExtended", ITEM, EXTENDED, actor=OWNER)
    run(target, "restore", written(tmp_path, old))
    history = run(target, "history", ITEM)
    assert "GREEN" in history and "Policy published" in history


@pytest.mark.parametrize(
    ("kind", "key", "payload"),
    [
        ("RoleGranted", "roles", {"name": "Bob", "role": "governance", "acts_for": None}),
        ("RecommendationClosed", ITEM, {"reason": "Superseded"}),
        ("EventCorrected", ITEM, {"corrects": f"{ITEM}@4", "reason": "Not so"}),
        ("OwnerAssigned", ITEM, {"owner": "Someone Else"}),
    ],
)
def test_acting_for_on_an_event_no_update_sheet_records_is_refused(
    lines: list[dict[str, Any]], target: str, tmp_path: Path, kind: str, key: str, payload: Any
) -> None:
    bad = appended(lines, kind, key, {**payload, "acting_for": "Chief Constable"})
    message = refused(target, written(tmp_path, bad))
    assert f"line {len(bad)}: " in message and "Chief Constable" in message
    plain = appended(lines, kind, key, payload)
    run(target, "restore", written(tmp_path, plain, "plain.jsonl"))


def test_acting_for_on_a_sheets_change_restores(
    lines: list[dict[str, Any]], target: str, tmp_path: Path
) -> None:
    noted = appended(lines, "ProgressNoted", ITEM, {"text": "Done", "acting_for": OWNER})
    run(target, "restore", written(tmp_path, noted))
