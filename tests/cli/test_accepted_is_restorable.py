"""What a command accepts, its ledger's own backup restores and every writer writes:
an actor too long or blank, a link holding a non-character, a name holding a C1
control character (U+009B moves a terminal's cursor) are refused where they come in,
exit 1, one line, nothing recorded. And a paper or a pack of a ledger recorded before
holds them anyway (a non-character becomes U+FFFD in Word)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from render.cells import xml_safe


def run(db: Path, *args: str, actor: str = "Gov", code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), "--actor", actor, *args])
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result.stderr if code else result.stdout


def events(db: Path) -> int:
    return len(json.loads(run(db, "log", "--format", "json"))["events"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "ragw.db"
    run(db, "report", "add", "R1", "--title", "T", "--scope", "force", "--published", "2019-01-01")
    run(db, "rec", "add", "R1", "1", "--kind", "afi", "--text", "t", "--on", "2019-01-02")
    return db


@pytest.mark.parametrize(
    ("actor", "args", "said"),
    [
        ("a" * 20_001, ("note", "R1/1", "x"), "is 20001 characters long"),
        ("   ", ("note", "R1/1", "x"), "is blank"),
        (
            "Gov",
            ("complete", "R1/1", "--evidence", "x", "--link", "https://e.org/\uffff"),
            "U+FFFF",
        ),
        ("Gov", ("close", "R1/1", "--reason", "x", "--link", "https://e.org/\ufffe"), "U+FFFE"),
        ("Gov", ("assign", "R1/1", "Custody Manager\u009b2K"), "U+009B"),
        ("Gov", ("note", "R1/1", "Moved\u0085on"), "U+0085"),
    ],
)
def test_what_no_backup_could_restore_is_refused_where_it_comes_in(
    db: Path, actor: str, args: tuple[str, ...], said: str
) -> None:
    before = events(db)
    error = run(db, *args, actor=actor, code=1)
    assert error.startswith("Error: ") and error.count("\n") == 1 and said in error, error
    assert events(db) == before


def test_the_ledgers_own_backup_restores(db: Path, tmp_path: Path) -> None:
    run(db, "complete", "R1/1", "--evidence", "done", "--link", "https://example.org/ok")
    backup = tmp_path / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    assert "restored" in run(tmp_path / "again.db", "restore", str(backup))


def test_a_non_character_recorded_before_is_written_as_a_replacement_in_word() -> None:
    assert xml_safe("a\uffffb\ufffec\ud800d") == "a\ufffdb\ufffdc\ufffdd"
    assert xml_safe("plain text\nover lines\tand tabs") == "plain text\nover lines\tand tabs"


def restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: dict[str, Any], *texts: tuple[str, ...]
) -> Path:
    """A ledger recorded under earlier ``rules`` (the patterns of :mod:`ledger.inputs`
    as they were), a report, an item and the commands ``texts``; its own backup
    restored into a new ledger, which is returned, holding every event as recorded."""
    import ledger.inputs

    old = tmp_path / "old.db"
    with monkeypatch.context() as before:
        for name, rule in rules.items():
            before.setattr(ledger.inputs, name, rule)
        report = ("report", "add", "R1", "--title", "T", "--scope", "force")
        run(old, *report, "--published", "2019-01-01")
        run(old, "rec", "add", "R1", "1", "--kind", "afi", "--text", "Text")
        for command in texts:
            run(old, *command)
    backup = tmp_path / "old.jsonl"
    run(old, "export", "--out", str(backup))
    again = tmp_path / "again.db"
    assert "restored" in run(again, "restore", str(backup))
    assert events(again) == events(old)
    return again


def test_a_backup_of_a_ledger_that_took_a_c1_character_before_still_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger recorded before C1 characters were refused (U+0092, a Windows apostrophe
    read as Latin-1): its own backup restores every event as it was; a table shows the
    character as U+FFFD, never raw to the terminal."""
    import re

    import ledger.inputs

    again = restored_after(
        tmp_path,
        monkeypatch,
        {"_UNWRITABLE": ledger.inputs._UNWRITABLE_BEFORE},
        ("note", "R1/1", "It\u0092s done"),
        ("assign", "R1/1", "Head\u009b2K of Roads"),
    )
    shown = run(again, "board")
    assert not re.search("[\x80-\x9f]", shown) and "Head\ufffd2K of Roads" in shown, shown


def test_a_backup_of_a_ledger_that_took_blank_or_reordering_notes_before_still_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes of zero-width spaces alone, or holding a character that reorders the text
    around it, were taken before they were refused: the ledger's own backup restores
    them as they were recorded."""
    import re

    never = re.compile("(?!)")
    restored_after(
        tmp_path,
        monkeypatch,
        {"_SHOWS_NOTHING": never, "_REORDERING": never},
        ("note", "R1/1", "\u200b"),
        ("note", "R1/1", "Done \u202etnemucod"),
    )
