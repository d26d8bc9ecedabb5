"""A refused first write removes the ledger file it created, which holds nothing; but
never once another command has recorded there meanwhile, or has the file open: that
write was acknowledged, and a refusal undoes nothing but itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledger.storage.unmade
from cli.main import main
from ledger import open_ledger
from ledger.storage.unmade import remove_if_unused

REFUSED = ("note", "NOPE/1", "no such item")
REPORT = ("report", "add", "R1", "--title", "T", "--scope", "force", "--published", "2019-01-01")


def invoke(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), "--actor", "Gov", *args])
    return result.exit_code, result.stdout + result.stderr


def test_a_refused_first_write_keeps_what_another_writer_recorded_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "new.db"
    real = ledger.storage.unmade.remove_if_unused

    def another_writer_first(path: Path) -> bool:
        assert invoke(db, *REPORT)[0] == 0, "recorded R1@1, and said so"
        return real(path)

    monkeypatch.setattr(ledger.storage.unmade, "remove_if_unused", another_writer_first)
    code, said = invoke(db, *REFUSED)
    assert code == 1 and said.startswith("Error: "), said
    assert db.exists()
    events = json.loads(invoke(db, "log", "--format", "json")[1])["events"]
    assert [e["type"] for e in events] == ["ReportRegistered"]


def test_a_refused_first_write_alone_leaves_no_file(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code, said = invoke(db, *REFUSED)
    assert code == 1 and said.count("\n") == 1, said
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_ledger_file_holding_an_event_or_open_elsewhere_is_never_removed(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ledger.db"
    ledger = open_ledger(str(db), create=True)
    try:
        assert not remove_if_unused(db), "open in another connection"
    finally:
        ledger.close()
    assert db.exists()
    invoke(db, *REPORT)
    assert not remove_if_unused(db), "it holds an event"
    assert json.loads(invoke(db, "log", "--format", "json")[1])["events"], "still readable"
    empty = tmp_path / "empty.db"
    open_ledger(str(empty), create=True).close()
    assert remove_if_unused(empty)
    assert not any(p.name.startswith("empty.db") for p in tmp_path.iterdir())


def test_a_refused_first_write_through_a_link_leaves_the_link(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(store / "real.db")
    code, said = invoke(link, *REFUSED)
    assert code == 1 and said.startswith("Error: "), said
    assert link.is_symlink(), "the user's link stays"
