"""A backup may not name anyone as no command would record them: a restore holds every
name an event gives (its actor, an owner, whom a change was made for, a role's holder,
a committee) to the rule the commands hold names to, so no restored history shows one
person's name as another's ("\\u202eecilA" shows as "Alice") or runs a name over two
lines, and ``verify`` (which links what was restored) never vouches for one. And a line
giving one key twice, which a reader of the file and ragw would read differently, is
refused. Each refusal is one `Error:` line naming the line, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_restore_checks import GOVERNANCE, refused, run, written


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The demo ledger with a role granted and an owner assigned: its export's lines."""
    folder = tmp_path_factory.mktemp("original")
    db = str(folder / "original.db")
    run(db, "demo", "--db", db)
    run(db, "role", "grant", GOVERNANCE, "governance")
    run(db, "assign", "FRAUD19/2", "DCI Crime", "--on", "2019-11-20")
    backup = folder / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    return [json.loads(line) for line in backup.read_text().splitlines()]


def at(lines: list[dict[str, Any]], kind: str) -> int:
    return next(i for i, line in enumerate(lines) if line["type"] == kind)


def test_the_backup_as_exported_restores(
    lines: list[dict[str, Any]], target: str, tmp_path: Path
) -> None:
    """The control for the refusals below."""
    run(target, "restore", written(tmp_path, lines))


@pytest.mark.parametrize(
    ("kind", "field", "value", "said"),
    [
        ("ProgressNoted", "actor", "\u202eecilA", "its actor holds U+202E"),
        ("OwnerAssigned", "owner", "DCI Crime\nDCI Other", "its owner holds a line break"),
        ("ProgressNoted", "acting_for", "\u2066Head of Cyber\u2069", "its acting_for holds U+2066"),
        ("RoleGranted", "name", "Audi\ttor", "its name holds a tab"),
        ("CommitteeRegistered", "name", "Performance\r\nBoard", "its name holds a carriage return"),
    ],
)
def test_a_name_no_command_would_record_is_refused_naming_its_line(
    lines: list[dict[str, Any]],
    target: str,
    tmp_path: Path,
    kind: str,
    field: str,
    value: str,
    said: str,
) -> None:
    index = at(lines, kind)
    forged = [dict(line) for line in lines]
    if field == "actor":
        forged[index]["actor"] = value
    else:
        forged[index]["payload"] = {**forged[index]["payload"], field: value}
    message = refused(target, written(tmp_path, forged))
    assert f"line {index + 1}" in message and said in message


def test_a_line_giving_a_key_twice_is_refused_as_two_readings_of_one_line(
    lines: list[dict[str, Any]], target: str, tmp_path: Path
) -> None:
    index = at(lines, "ProgressNoted")
    path = Path(written(tmp_path, lines))
    texts = path.read_text().splitlines()
    texts[index] = texts[index][:-1] + ', "actor": "Mallory"}'  # the file shows the first
    path.write_text("\n".join(texts) + "\n")
    message = refused(target, str(path))
    assert f'line {index + 1}: not a JSON object of one value a key ("actor" is given twice)' in (
        message
    )
