"""The read model is evidence of what the log held. Events deleted from the log with
their links leave a chain that checks out; the model, which read them, does not agree,
and no read, verify or restore lets it quietly forget them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from cli.main import main


def ragw(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    if code:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    return result.stdout if code == 0 else result.stderr


def delete_last_event(db: Path) -> None:
    """What someone with the file can do: the last event and its link, gone."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "DELETE FROM stored_events WHERE rowid = (SELECT MAX(rowid) FROM stored_events)"
        )
        connection.execute(
            "DELETE FROM ragw_chain WHERE position = (SELECT MAX(position) FROM ragw_chain)"
        )


def test_a_deleted_last_event_written_over_is_refused_by_every_read_until_someone_looks(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ragw.db"
    ragw(db, "demo")
    ragw(db, "status", "CYBER19/1", "GREEN")
    ragw(db, "board")  # the model reads the GREEN
    delete_last_event(db)
    assert "every link matches" in ragw(db, "verify", "--events-only")  # the chain agrees
    ragw(db, "status", "CYBER19/1", "RED", "--reason", "Slipped")  # its position again
    said = ragw(db, "board", "--report", "CYBER19", code=1)
    assert "holds another event there" in said and "deleted or replaced" in said
    said = ragw(db, "verify", code=1)
    assert "read events the log no longer holds" in said and "rebuild" not in said.split(".")[0]


def test_a_model_past_the_logs_last_event_refuses_reads(tmp_path: Path) -> None:
    db = tmp_path / "ragw.db"
    ragw(db, "demo")
    ragw(db, "board")
    delete_last_event(db)
    said = ragw(db, "board", code=1)
    assert "the log's last event is at position 273" in said


def test_a_restore_into_a_ledger_whose_events_were_deleted_is_refused(tmp_path: Path) -> None:
    small, backup = tmp_path / "small.db", tmp_path / "small.jsonl"
    ragw(small, "committee", "add", "C", "--name", "Committee")
    ragw(small, "export", "--out", str(backup))
    db = tmp_path / "ragw.db"
    ragw(db, "demo")
    ragw(db, "board")
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM stored_events")
        connection.execute("DELETE FROM ragw_chain")
    said = ragw(db, "restore", str(backup), code=1)
    assert "its read model has read its log up to position 274" in said
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM stored_events").fetchone() == (0,)
    # a new file takes it
    assert "restored" in ragw(tmp_path / "new.db", "restore", str(backup))
    assert json.loads(ragw(tmp_path / "new.db", "board", "--format", "json"))["items"] == []


def test_a_login_that_may_not_bring_the_model_up_to_date_is_refused_alike(tmp_path: Path) -> None:
    """On PostgreSQL under roles a reader's login does not follow the log; its reads
    check what the model read all the same."""
    from ledger import open_ledger
    from ledger.errors import LedgerError
    from projections.store import TimelineStore

    db = tmp_path / "ragw.db"
    ragw(db, "demo")
    ragw(db, "board")
    delete_last_event(db)
    ledger = open_ledger(str(db), create=False)
    store = TimelineStore(ledger, str(db))
    try:
        store.writable = False  # as a reader's login finds it
        try:
            store.catch_up()
        except LedgerError as refusal:
            assert "the log's last event is at position 273" in str(refusal)
        else:
            raise AssertionError("a reader read a model of deleted events")
    finally:
        store.close()
        ledger.close()
