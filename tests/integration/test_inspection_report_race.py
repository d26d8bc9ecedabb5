"""Two reports registered at the same moment for one inspection: the inspection's own
stream records the link with each, so the second writer meets the first's event and
records nothing, and the ledger's backup still restores. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from events import ReportRegistered
from ledger import open_ledger
from ledger.application import Ledger
from ledger.errors import ConflictError

ME = "setup"
PUBLISHED = date(2021, 5, 1)


def seeded(target: str) -> Ledger:
    ledger = open_ledger(target, create=True)
    ledger.today = lambda: date(2021, 6, 1)  # type: ignore[method-assign]
    ledger.add_inspection(
        "CUSTODY",
        title="Custody",
        inspectorates=["HMICFRS"],
        fieldwork="2021-02-06..2021-02-09",
        actor=ME,
        on=date(2021, 2, 9),
    )
    return ledger


def report(ledger: Ledger, code: str) -> list[str]:
    return ledger.register_report(
        code, title=code, scope="force", published=PUBLISHED, inspection="CUSTODY", actor=ME
    )


def meanwhile(ledger: Ledger, target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between this writer's checks and its save, another (in a thread of its own, on
    its own connection) registers its report FIRST of the same inspection."""
    saves = ledger.save_all

    def save_all(*aggregates: Any, what: str) -> Any:
        def other() -> None:
            writer = open_ledger(target, create=False)
            writer.today = ledger.today  # type: ignore[method-assign]
            report(writer, "FIRST")
            writer.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        return saves(*aggregates, what=what)

    monkeypatch.setattr(ledger, "save_all", save_all)


def test_an_inspection_cannot_be_left_without_a_report_as_its_report_is_registered(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = seeded(target)
    meanwhile(ledger, target, monkeypatch)
    with pytest.raises(ConflictError, match="changed by another writer"):
        ledger.update_inspection(
            "CUSTODY", no_report=True, reason="sensitive", actor=ME, on=date(2021, 5, 2)
        )
    monkeypatch.undo()
    ledger.close()
    reader = open_ledger(target, create=False)
    found = reader.get_inspection("CUSTODY")
    assert (found.report, found.no_report) == ("FIRST", False)
    reader.close()


def test_of_two_reports_of_one_inspection_registered_at_once_only_the_first_is_recorded(
    target: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ledger = seeded(target)
    meanwhile(ledger, target, monkeypatch)
    with pytest.raises(ConflictError, match="changed by another writer"):
        report(ledger, "SECOND")
    monkeypatch.undo()
    ledger.close()

    reader = open_ledger(target, create=False)
    assert reader.get_inspection("CUSTODY").report == "FIRST"
    reports = [e for _, e in reader.read_log(types=(ReportRegistered,))]
    assert [e.code for e in reports if isinstance(e, ReportRegistered)] == ["FIRST"]
    reader.close()
    backup = tmp_path / "backup.jsonl"
    ragw(target, "export", "--out", str(backup))
    ragw(str(tmp_path / "copy.db"), "restore", str(backup))
    ragw(str(tmp_path / "copy.db"), "verify")


def ragw(target: str, *args: str) -> None:
    result = CliRunner().invoke(main, ["--db", target, "--actor", ME, *args])
    assert result.exit_code == 0, (result.output, result.exception)
