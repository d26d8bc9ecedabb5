"""A restore re-makes relevance and supersessions as the commands made them: both halves
of a supersession, one after the other, and nothing a command could not have written
(a supersession naming an item the backup does not hold, a half without the other, an
item said to be for the force that always was)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.test_restore_checks import (
    appended,
    exported,
    refused,
    run,
    written,
)

__all__ = ["exported"]  # the module's fixture: the demo under access control, exported

Exported = tuple[str, list[dict[str, Any]]]
SUPERSEDED = {"by": "PEEL1819/3", "reason": "Carried into AFI 3"}


def test_a_supersession_and_its_retraction_restore_as_recorded(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "PEEL1819/1", SUPERSEDED)
    both = appended(
        lines,
        "Supersedes",
        "PEEL1819/3",
        {"superseded": "PEEL1819/1", "reason": SUPERSEDED["reason"]},
    )
    run(target, "restore", written(tmp_path, both))
    assert "superseded by PEEL1819/3" in run(target, "history", "PEEL1819/1", "--format", "csv")
    run(target, "verify")


def test_a_supersession_naming_an_item_the_backup_does_not_hold_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "PEEL1819/1", {"by": "NOPE/1", "reason": "r"})
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: it names NOPE/1, an item not earlier in the file" in message


def test_a_superseded_half_without_the_other_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "PEEL1819/1", SUPERSEDED)
    message = refused(target, written(tmp_path, lines))
    assert "also gave a Supersedes" in message and "which the backup does not hold" in message


def test_a_supersedes_half_alone_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    payload = {"superseded": "PEEL1819/1", "reason": "r"}
    lines = appended(exported[1], "Supersedes", "PEEL1819/3", payload)
    message = refused(target, written(tmp_path, lines))
    assert "a Supersedes is recorded only with the Superseded of PEEL1819/1" in message


def test_a_supersedes_half_naming_another_item_than_its_pair_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "PEEL1819/1", SUPERSEDED)
    lines = appended(lines, "Supersedes", "PEEL1819/3", {"superseded": "PEEL1819/5", "reason": "r"})
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: its superseded is 'PEEL1819/5'" in message


def test_an_item_said_to_be_for_the_force_again_that_always_was_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    payload = {"for_us": True, "reason": "r"}
    lines = appended(exported[1], "RelevanceChanged", "PEEL1819/1", payload)
    message = refused(target, written(tmp_path, lines))
    assert f"line {len(lines)}: PEEL1819/1 is for the force already" in message


def test_a_retraction_of_one_half_of_a_supersession_alone_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "PEEL1819/1", SUPERSEDED)
    lines = appended(
        lines,
        "Supersedes",
        "PEEL1819/3",
        {"superseded": "PEEL1819/1", "reason": "Carried into AFI 3"},
    )
    version = lines[-2]["id"].rpartition("@")[2]
    payload = {"corrects": f"PEEL1819/1@{version}", "reason": "Wrong"}
    lines = appended(lines, "EventCorrected", "PEEL1819/1", payload)
    message = refused(target, written(tmp_path, lines))
    assert "also gave a EventCorrected" in message


def test_a_change_of_relevance_or_supersession_with_an_empty_reason_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    payload = {"for_us": False, "reason": " "}
    lines = appended(exported[1], "RelevanceChanged", "PEEL1819/1", payload)
    assert "reason is empty" in refused(target, written(tmp_path, lines))
    lines = appended(exported[1], "Superseded", "PEEL1819/1", {**SUPERSEDED, "reason": ""})
    lines = appended(lines, "Supersedes", "PEEL1819/3", {"superseded": "PEEL1819/1", "reason": ""})
    assert "reason is empty" in refused(target, written(tmp_path, lines, "two.jsonl"))


def test_an_addressee_that_reorders_its_text_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = [dict(line) for line in exported[1]]
    issued = next(n for n, line in enumerate(lines) if line["type"] == "RecommendationIssued")
    lines[issued] = {
        **lines[issued],
        "payload": {**lines[issued]["payload"], "to": ["Home\u202eOffice"]},
    }
    assert "an addressee holds U+202E" in refused(target, written(tmp_path, lines))


def test_a_supersession_by_an_earlier_item_is_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "CYBER19/2", {"by": "PEEL1819/3", "reason": "r"})
    lines = appended(lines, "Supersedes", "PEEL1819/3", {"superseded": "CYBER19/2", "reason": "r"})
    assert "an item is superseded only by a later one" in refused(target, written(tmp_path, lines))


def test_the_halves_of_a_supersession_apart_in_the_file_are_refused(
    exported: Exported, target: str, tmp_path: Path
) -> None:
    lines = appended(exported[1], "Superseded", "PEEL1819/1", SUPERSEDED)
    lines = appended(lines, "ProgressNoted", "PEEL1819/5", {"text": "Between"})
    both = appended(
        lines,
        "Supersedes",
        "PEEL1819/3",
        {"superseded": "PEEL1819/1", "reason": SUPERSEDED["reason"]},
    )
    message = refused(target, written(tmp_path, both))
    assert f"line {len(both) - 1}: the event before it changed two items" in message
