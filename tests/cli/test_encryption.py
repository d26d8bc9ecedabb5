"""Encryption at rest: with a key in RAGW_ENCRYPTION_KEY every event's stored state is
AES-GCM ciphertext, nothing derived is stored in clear beside it (the read model is
sealed), and every command works as without it; without the key nothing can be read, but the chain still checks."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.storage import is_postgres
from tests.cli.test_verify import history, raw

SECRET_WORDS = (b"Waiting for the new system", b"Supplier late", b"Head of Roads")


def cli(target: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", "Strategic Development", *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def stored_bytes(target: str) -> bytes:
    """Everything the store holds: the SQLite file and its journal, or every row of every
    table in the PostgreSQL database."""
    if not is_postgres(target):
        return b"".join(p.read_bytes() for p in Path(target).parent.glob(Path(target).name + "*"))
    found = b""
    with raw(target) as (connection, _, _):
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        for (table,) in tables:
            for row in connection.execute(f"SELECT * FROM {table}").fetchall():
                found += b"|".join(v if isinstance(v, bytes) else str(v).encode() for v in row)
    return found


def reads(target: str) -> dict[str, Any]:
    def document(*args: str) -> Any:
        parsed = json.loads(cli(target, *args, "--format", "json"))
        parsed.pop("digest", None)
        return parsed

    return {
        "board": document("board", "--as-at", "2021-04-01"),
        "summary": document("summary", "C", "2021-04-01"),
        "appendix": document("appendix", "C", "2021-04-01"),
        "history": document("history", "R/2")["events"][-1]["type"],
    }


def test_with_a_key_the_stored_rows_are_unreadable_and_every_command_answers_the_same(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = str(tmp_path / "plain.db")
    history(lambda *args, code=0: cli(plain, *args, code=code))
    assert all(word in stored_bytes(plain) for word in SECRET_WORDS)  # the test can see text
    unencrypted = reads(plain)

    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    history(lambda *args, code=0: cli(target, *args, code=code))
    assert reads(target) == unencrypted
    cli(target, "pack", "C", "2021-04-01", "--out", str(tmp_path / "paper.html"))
    assert b"Waiting for the new system" in (tmp_path / "paper.html").read_bytes()
    assert cli(target, "verify").startswith("ok: 11 events")
    assert not any(word in stored_bytes(target) for word in SECRET_WORDS)


def test_without_the_key_nothing_is_read_but_the_chain_still_checks(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    history(lambda *args, code=0: cli(target, *args, code=code))
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    error = cli(target, "board", code=1)
    assert error.startswith("Error: this ledger is encrypted") and error.count("\n") == 1
    assert cli(target, "verify").startswith("ok: 11 events")
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    assert "is not this ledger's key" in cli(target, "summary", "C", "2021-04-01", code=1)
    # a note reads its item first: refused for its key before it does
    assert "is not this ledger's key" in cli(target, "note", "R/1", "More", code=1)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", "not a key")
    assert "is not an encryption key" in cli(target, "board", code=1)


@pytest.mark.parametrize(
    ("name", "what"),
    [("backup.jsonl", "its events"), ("board.csv", "its board"), ("board.xlsx", "its board")],
)
def test_an_encrypted_ledger_is_exported_in_clear_only_when_asked_to(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, what: str
) -> None:
    """The export's file is in clear, events or board alike: refused with one Error line
    and no file unless --plaintext asks for it; then written private to its owner."""
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    history(lambda *args, code=0: cli(target, *args, code=code))
    out = tmp_path / name
    error = cli(target, "export", "--out", str(out), code=1)
    assert error == (
        f"Error: this ledger is encrypted, and the export would write {what} in clear; "
        "nothing was written; add --plaintext to write it in clear all the same, and keep "
        "the file as safe as the key\n"
    )
    assert not out.exists()
    cli(target, "export", "--out", str(out), "--plaintext")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    if name.endswith(".jsonl"):  # and it restores, under a key, to the same ledger
        again = str(tmp_path / "restored.db")
        cli(again, "restore", str(out))
        assert reads(again) == reads(target)
        assert not any(word in stored_bytes(again) for word in SECRET_WORDS)


def test_a_ledger_kept_in_clear_is_exported_without_asking(target: str, tmp_path: Path) -> None:
    history(lambda *args, code=0: cli(target, *args, code=code))
    cli(target, "export", "--out", str(tmp_path / "backup.jsonl"))
    assert b"Waiting for the new system" in (tmp_path / "backup.jsonl").read_bytes()


def test_a_sealed_read_model_is_read_with_the_ledger_s_key_alone(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once reads keep the sealed model, a read without the key, or with another key,
    is refused by it in one line, and nothing is written; the right key reads on."""
    key = cli(target, "admin", "new-key").strip()
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    history(lambda *args, code=0: cli(target, *args, code=code))
    board = cli(target, "board", "--as-at", "2021-04-01")
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    error = cli(target, "board", code=1)
    assert error == (
        "Error: this ledger is encrypted and RAGW_ENCRYPTION_KEY is not set; nothing was "
        "recorded; set RAGW_ENCRYPTION_KEY to its key\n"
    )
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    error = cli(target, "board", code=1)
    assert "the key in RAGW_ENCRYPTION_KEY is not this ledger's key" in error
    assert error.count("\n") == 1
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert cli(target, "board", "--as-at", "2021-04-01") == board
    assert not any(word in stored_bytes(target) for word in SECRET_WORDS)
