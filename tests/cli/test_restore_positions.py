"""A restore keeps every event at its position in the log, gaps and all: a PostgreSQL
log has gaps where writers collided (a sequence value taken by a transaction that never
committed), and the chain hashes each event's position. So every digest of the original
(printed on its papers, recorded with its issued papers) holds on the restored ledger,
on either store, restored from either, and later writes continue after the last."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_verify import digest_of, history

#: A new number for each database: an object's id is reused once it is collected.
_databases = itertools.count(1)


def runner_for(db: str) -> Callable[..., str]:
    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", db, "--actor", "Strategic Development", *args])
        assert result.exit_code == code, (result.output, result.stderr)
        assert "Traceback" not in result.output
        return result.stdout if code == 0 else result.stderr

    return run


def burn(url: str, count: int) -> None:
    """Take ``count`` positions no event will have, as a writer whose transaction rolled
    back does."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for _ in range(count):
            connection.execute("SELECT nextval('ragw_events_notification_id_seq')")


@pytest.fixture
def gapped(postgres: Any, tmp_path: Path) -> dict[str, Any]:
    """A PostgreSQL ledger whose log has gaps before and after the issue of a paper: the
    issued paper's bytes, its digest, the head, and its backup."""
    url = postgres.create_database(f"ragw_gapped_{os.getpid()}_{next(_databases)}")
    ragw = runner_for(url)
    history(ragw)
    burn(url, 3)
    ragw("note", "R/2", "Escalated after the gap", "--on", "2021-03-21")
    burn(url, 2)
    issued = tmp_path / "issued.html"
    pinned = digest_of(ragw("verify"))  # what the paper is pinned to
    ragw("pack", "C", "2021-04-01", "--out", str(issued), "--issue")
    burn(url, 4)
    ragw("note", "R/1", "After the issue", "--on", "2021-04-02")
    head = digest_of(ragw("verify"))
    backup = tmp_path / "gapped.jsonl"
    ragw("export", "--out", str(backup))
    return {
        "issued": issued.read_bytes(),
        "digest": pinned,
        "head": head,
        "backup": backup,
        "url": url,
    }


def test_the_gapped_log_keeps_its_gaps_on_the_original(gapped: dict[str, Any]) -> None:
    """The premise: positions skip, so a restore numbering events 1, 2, 3 ... would move
    every one after the first gap."""
    events = len(gapped["backup"].read_text().splitlines())
    assert int(gapped["head"].split(":")[0]) == events + 9


def test_a_restore_from_a_log_with_gaps_keeps_every_digest(
    gapped: dict[str, Any], target: str, tmp_path: Path
) -> None:
    ragw = runner_for(target)
    said = ragw("restore", str(gapped["backup"]), "--digest", gapped["digest"])
    assert digest_of(said) == gapped["head"]
    assert digest_of(ragw("verify")) == gapped["head"]
    assert ragw("verify", "--digest", gapped["digest"]).startswith("ok:")
    again = tmp_path / "again.html"
    ragw("pack", "C", "2021-04-01", "--out", str(again), "--as-issued")
    assert again.read_bytes() == gapped["issued"]
    # Exported again, the file is the same, positions and all.
    backup = tmp_path / "again.jsonl"
    ragw("export", "--out", str(backup))
    assert backup.read_bytes() == gapped["backup"].read_bytes()
    # The next write continues after the last position and is chained to it.
    last = int(gapped["head"].split(":")[0])
    ragw("note", "R/2", "Recorded on the restored ledger", "--on", "2021-04-03")
    out = ragw("verify", "--digest", gapped["digest"])
    assert out.startswith("ok:")
    assert digest_of(out).startswith(f"{last + 1}:")


def test_a_restored_log_with_gaps_moves_on_to_the_other_store(
    gapped: dict[str, Any], postgres: Any, tmp_path: Path
) -> None:
    """PostgreSQL to SQLite, then back to PostgreSQL: the digests hold at every step."""
    lite = str(tmp_path / "moved.db")
    runner_for(lite)("restore", str(gapped["backup"]))
    backup = tmp_path / "from-sqlite.jsonl"
    runner_for(lite)("export", "--out", str(backup))
    url = postgres.create_database(f"ragw_moved_{os.getpid()}_{next(_databases)}")
    ragw = runner_for(url)
    said = ragw("restore", str(backup), "--digest", gapped["digest"])
    assert digest_of(said) == gapped["head"]
    again = tmp_path / "again.html"
    ragw("pack", "C", "2021-04-01", "--out", str(again), "--as-issued")
    assert again.read_bytes() == gapped["issued"]


@pytest.mark.postgres
def test_a_writers_login_may_not_set_positions_and_restores_nothing(
    gapped: dict[str, Any], postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the tables' owner may say where the log continues (the sequence): a writer's
    login is refused in one line before anything is written; the owner then restores."""
    from tests.integration.test_postgres_roles import as_login

    url = postgres.create_database(f"ragw_writer_restore_{os.getpid()}")
    runner_for(url)("admin", "init-roles")
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    writer = f"restorer_{os.getpid()}"
    runner_for(url)("admin", "add-login", writer, "--role", "owner")
    message = runner_for(as_login(url, writer))("restore", str(gapped["backup"]), code=1)
    assert message.startswith("Error: this login may not restore") and message.count("\n") == 1
    assert runner_for(url)("log", "--format", "json").count('"id"') == 0
    assert digest_of(runner_for(url)("restore", str(gapped["backup"]))) == gapped["head"]
