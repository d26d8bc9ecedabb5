"""A ledger its user may not write is said to be so, not "too busy ... run the command
again" (which could never succeed); a ledger locked by another writer past the wait
still says run again. Either way nothing is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import OperationalError

from cli.main import main

REPORT = ("report", "add", "R2", "--title", "T", "--scope", "force", "--published", "2019-01-01")


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        ("attempt to write a readonly database", "is read-only to this user"),
        ("database is locked", "too busy to record report R2"),
    ],
)
def test_a_write_the_store_refuses_says_why_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: str, said: str
) -> None:
    db = str(tmp_path / "ragw.db")
    runner = CliRunner()
    first = ("report", "add", "R1", "--title", "T", "--scope", "force", "--published", "2019-01-01")
    assert runner.invoke(main, ["--db", db, *first]).exit_code == 0

    def refused(*args: object, **kwargs: object) -> None:
        raise OperationalError(raised)

    monkeypatch.setattr("ledger.log.insert_events", refused)
    result = runner.invoke(main, ["--db", db, *REPORT])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Error: ") and said in result.stderr, result.stderr
    assert ("run the command again" in result.stderr) == ("locked" in raised)
