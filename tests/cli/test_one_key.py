"""One key per ledger: the ledger records whether it is encrypted and a check value of
its key, and a write without that key, with another key, or with a key to a ledger kept
in clear is refused with one Error line, writing nothing: whatever the command (a
single change, an import, a restore), whatever the store, with or without roles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

from ledger.storage.keycheck import KeyGuard
from tests.cli.test_encryption import cli, reads, stored_bytes
from tests.cli.test_verify import history, raw
from tests.integration.test_postgres_roles import as_login
from tests.trackers import seed_tracker, write_csv

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ledger_0_1.sqlite"
SECRET = "plaintext secret"
NEEDS_KEY = "Error: this ledger is encrypted and RAGW_ENCRYPTION_KEY is not set"
WRONG_KEY = "Error: the key in RAGW_ENCRYPTION_KEY is not this ledger's key"
NOT_ENCRYPTED = "Error: this ledger is not encrypted, but RAGW_ENCRYPTION_KEY is set"


def counts(target: str) -> tuple[int, int]:
    """How many events and links the store holds, read past ragw."""
    with raw(target) as (connection, events, _):
        (stored,) = connection.execute(f"SELECT COUNT(*) FROM {events}").fetchone()
        (links,) = connection.execute("SELECT COUNT(*) FROM ragw_chain").fetchone()
    return int(stored), int(links)


def own_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """The key in RAGW_ENCRYPTION_KEY, taken out of it."""
    key = os.environ["RAGW_ENCRYPTION_KEY"]
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    return key


def board(target: str) -> Any:
    shown = json.loads(cli(target, "board", "--format", "json"))
    shown.pop("digest", None)
    return shown


def new_key(target: str) -> str:
    return cli(target, "admin", "new-key").strip()


def refused(target: str, expected: str | tuple[str, ...], *args: str) -> None:
    """``args`` ends in exactly one Error line saying ``expected``, and writes nothing."""
    before = counts(target)
    error = cli(target, *args, code=1)
    assert error.startswith(expected) and error.count("\n") == 1, error
    if isinstance(expected, str):
        assert "nothing was recorded" in error
    assert counts(target) == before


def add_secret(code: str = "NOKEY") -> tuple[str, ...]:
    return (
        "report",
        "add",
        code,
        "--title",
        SECRET,
        "--scope",
        "force",
        "--published",
        "2021-01-04",
    )


@pytest.fixture
def encrypted(target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ledger of eleven events, encrypted under the key now in RAGW_ENCRYPTION_KEY."""
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(target))
    history(lambda *args, code=0: cli(target, *args, code=code))
    return target


def test_a_write_without_the_key_to_an_encrypted_ledger_is_refused_and_writes_nothing(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reads(encrypted)
    key = own_key(monkeypatch)
    refused(encrypted, NEEDS_KEY, *add_secret())
    # a change to an item reads it first: refused as any write is, before it reads
    # (not as events it could not decrypt, "encrypted (or damaged)")
    refused(encrypted, NEEDS_KEY, "status", "R/1", "RED", "--reason", SECRET)
    refused(encrypted, NEEDS_KEY, "note", "R/1", SECRET)
    assert SECRET.encode() not in stored_bytes(encrypted)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert reads(encrypted) == expected  # the ledger reads on as before
    assert cli(encrypted, "verify").startswith("ok: 11 events")


def test_a_write_with_another_key_is_refused_and_writes_nothing(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reads(encrypted)
    key = own_key(monkeypatch)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(encrypted))
    refused(encrypted, WRONG_KEY, *add_secret())
    refused(encrypted, WRONG_KEY, "status", "R/1", "RED", "--reason", SECRET)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert reads(encrypted) == expected
    cli(encrypted, *add_secret("WITHKEY"))  # its own key still writes
    assert counts(encrypted) == (12, 12)


def test_a_write_with_a_key_to_a_ledger_kept_in_clear_is_refused_and_writes_nothing(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(lambda *args, code=0: cli(target, *args, code=code))
    expected = reads(target)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(target))
    refused(target, NOT_ENCRYPTED, *add_secret())
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    assert reads(target) == expected
    assert cli(target, "verify").startswith("ok: 11 events")


def test_an_import_without_the_key_is_refused_whole(
    encrypted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = write_csv(tmp_path / "tracker.csv", seed_tracker())
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    refused(encrypted, NEEDS_KEY, "import", str(file), "--on", "2021-02-01")


@pytest.mark.parametrize("read", [("log",), ("history", "R/2")], ids=["log", "history"])
def test_a_read_of_the_events_themselves_is_held_to_the_key_as_a_write_is(
    encrypted: str, monkeypatch: pytest.MonkeyPatch, read: tuple[str, ...]
) -> None:
    """Reads that replay the events, and never the read model, are refused in the one
    line a write without the key, or with another, is refused in."""
    expected = cli(encrypted, *read, "--format", "json")
    key = own_key(monkeypatch)
    refused(encrypted, NEEDS_KEY, *read)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(encrypted))
    refused(encrypted, WRONG_KEY, *read)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert cli(encrypted, *read, "--format", "json") == expected


@pytest.mark.parametrize("read", ["log", "verify"])
def test_a_read_with_a_key_to_a_ledger_kept_in_clear_is_refused(
    target: str, monkeypatch: pytest.MonkeyPatch, read: str
) -> None:
    history(lambda *args, code=0: cli(target, *args, code=code))
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(target))
    refused(target, NOT_ENCRYPTED, read)


def test_verify_with_another_key_says_the_key_is_not_the_ledger_s_not_that_the_model_differs(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chain needs no key, and verify checks it without one; a key given must be the
    ledger's own before the model is compared (under another, every row would differ)."""
    board(encrypted)  # the read model made
    key = own_key(monkeypatch)
    assert cli(encrypted, "verify").startswith("ok: 11 events")  # no key: the chain
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(encrypted))
    refused(encrypted, WRONG_KEY, "verify")
    # the events alone (a paper's digest too) need no key, whichever is given
    assert cli(encrypted, "verify", "--events-only").startswith("ok: 11 events")
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert cli(encrypted, "verify").startswith("ok: 11 events")


def test_the_web_service_of_an_encrypted_ledger_does_not_start_without_its_key(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its pages read the ledger: ``ragw serve`` is refused in the one line any read is,
    before it listens (run apart, so a service that did start is stopped, not waited on)."""

    def serve() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", "from cli.main import main; main()", "--db", encrypted]
        return subprocess.run(
            [*command, "serve", "--port", "0"], capture_output=True, text=True, timeout=60
        )

    own_key(monkeypatch)
    for expected in (NEEDS_KEY, WRONG_KEY):
        started = serve()
        assert started.returncode == 1 and started.stderr.startswith(expected), started.stderr
        assert started.stderr.count("\n") == 1
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(encrypted))


def test_a_restored_ledger_keeps_the_key_it_was_restored_with(
    encrypted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "backup.jsonl"
    cli(encrypted, "export", "--out", str(backup), "--plaintext")
    again = str(tmp_path / "restored.db")
    cli(again, "restore", str(backup))  # under the same key
    key = own_key(monkeypatch)
    refused(again, NEEDS_KEY, *add_secret())
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(again))
    refused(again, WRONG_KEY, *add_secret())
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    cli(again, *add_secret("WITHKEY"))


def test_the_record_holds_a_check_of_the_key_never_the_key(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = own_key(monkeypatch)
    with raw(encrypted) as (connection, _, _):
        ((on, check),) = connection.execute("SELECT encrypted, key_check FROM ragw_key").fetchall()
    assert bool(on) and check.startswith("hmac-sha256:") and key not in check
    assert key.encode() not in stored_bytes(encrypted)


@pytest.mark.parametrize("key", [False, True])
def test_a_ledger_written_before_the_record_gets_it_from_its_events_on_its_next_write(
    target: str, key: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if key:
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(target))
    history(lambda *args, code=0: cli(target, *args, code=code))
    with raw(target) as (connection, _, _):
        connection.execute("DROP TABLE ragw_key")  # as a ledger written before it
    own = own_key(monkeypatch) if key else None
    expected = NEEDS_KEY if key else NOT_ENCRYPTED
    if not key:
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(target))
    refused(target, expected, *add_secret())
    if key:
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(target))
        refused(target, WRONG_KEY, *add_secret())
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", own or "")
    else:
        monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    cli(target, *add_secret("NEXT"))  # the ledger's own settings write, and record them
    with raw(target) as (connection, _, _):
        ((on,),) = connection.execute("SELECT encrypted FROM ragw_key").fetchall()
    assert bool(on) == key
    assert cli(target, "verify").startswith("ok: 12 events")
    assert cli(target, "history", "R/2", "--format", "json")


def test_a_ledger_of_ragw_0_1_gets_its_record_on_its_next_write_and_reads_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = str(tmp_path / "old.sqlite")
    shutil.copyfile(FIXTURE, copy)
    before = board(copy)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(copy))
    refused(copy, NOT_ENCRYPTED, *add_secret())  # its events, in clear, say what it is
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    cli(copy, *add_secret("NEXT"))
    with raw(copy) as (connection, _, _):
        assert connection.execute("SELECT encrypted, key_check FROM ragw_key").fetchall() == [
            (0, None)
        ]
    assert board(copy) == before  # a report with no item adds no row
    assert cli(copy, "verify").startswith("ok:")


@pytest.mark.postgres
def test_under_roles_a_writer_records_the_key_once_and_is_held_to_it(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres.create_database(f"ragw_one_key_{os.getpid()}")
    assert "append-only" in cli(url, "admin", "init-roles")  # before any event
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    writer, reader = f"writer_{os.getpid()}", f"reader_{os.getpid()}"
    cli(url, "admin", "add-login", writer, "--role", "owner")
    cli(url, "admin", "add-login", reader, "--role", "auditor")
    as_writer, as_reader = as_login(url, writer), as_login(url, reader)
    key = new_key(url)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    cli(as_writer, *add_secret("FIRST"))  # the writer's first write records the key
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    refused(as_writer, NEEDS_KEY, *add_secret())
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(url))
    refused(as_writer, WRONG_KEY, *add_secret())
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert "FIRST" in cli(as_reader, "log")
    with psycopg.connect(as_writer, autocommit=True) as connection:
        for statement in ("UPDATE ragw_key SET encrypted = false", "DELETE FROM ragw_key"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    with (
        psycopg.connect(as_reader, autocommit=True) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("INSERT INTO ragw_key VALUES (2, false, null)")


@pytest.mark.postgres
def test_under_roles_a_ledger_without_the_record_is_given_it_by_its_owner_not_a_writer(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres.create_database(f"ragw_one_key_old_{os.getpid()}")
    history(lambda *args, code=0: cli(url, *args, code=code))
    with raw(url) as (connection, _, _):
        connection.execute("DROP TABLE ragw_key")  # a database written before it
    assert "append-only" in cli(url, "admin", "init-roles")  # as it was then: no record
    with raw(url) as (connection, _, _):
        connection.execute("DROP TABLE ragw_key")
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    writer = f"late_writer_{os.getpid()}"
    cli(url, "admin", "add-login", writer, "--role", "owner")
    refused(
        as_login(url, writer),
        "Error: this ledger keeps no record of its encryption yet",
        *add_secret(),
    )
    assert "`ragw admin init-roles`" in cli(as_login(url, writer), *add_secret(), code=1)
    cli(url, "admin", "init-roles")
    cli(as_login(url, writer), *add_secret("AFTER"))
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(url))
    refused(as_login(url, writer), NOT_ENCRYPTED, *add_secret())


def test_a_ledger_a_keyless_write_damaged_before_the_record_takes_no_more_writes(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ragw before the record let happen: events in clear after encrypted ones. Its
    first and last events disagree, so neither setting may write to it again."""
    key = own_key(monkeypatch)
    with monkeypatch.context() as unguarded:
        unguarded.setattr(KeyGuard, "check", lambda *args, **kwargs: None)
        unguarded.setattr(KeyGuard, "hold_reader", lambda *args, **kwargs: None)
        cli(encrypted, *add_secret("DAMAGE"))
    with raw(encrypted) as (connection, _, _):
        connection.execute("DROP TABLE ragw_key")
    refused(encrypted, NEEDS_KEY, *add_secret())
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    refused(encrypted, NOT_ENCRYPTED, *add_secret())


@pytest.mark.postgres
def test_an_encrypted_ledger_s_roles_are_set_up_only_with_its_key(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`admin init-roles` makes the read model's tables before it grants them, as the
    key the command comes with seals them: without the ledger's key it is refused before
    it grants or makes anything, and with the key it sets the roles up."""
    url = postgres.create_database(f"ragw_one_key_roles_{os.getpid()}")
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", new_key(url))
    history(lambda *args, code=0: cli(url, *args, code=code))
    key = own_key(monkeypatch)

    def granted() -> Any:
        with raw(url) as (connection, _, _):
            return connection.execute(
                "SELECT datacl FROM pg_database WHERE datname = current_database()"
            ).fetchone()[0]

    refused(url, NEEDS_KEY, "admin", "init-roles")
    assert granted() is None  # no group may connect: nothing was granted
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    assert "append-only" in cli(url, "admin", "init-roles")
    assert "ragw_writer" in str(granted())
    assert cli(url, "verify").startswith("ok: 11 events")
