"""verify passes no history that a restore's rules reject: an event no command could
have recorded, written with the library by a login the server lets insert events, is
named by verify (KEY@VERSION, position, the rule) — unasked on PostgreSQL under roles,
and with ``--rules`` anywhere. A ledger's history that verify passes replays whole."""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher

from events import Role
from ledger import open_ledger
from ledger.aggregates import Access
from ledger.keys import ACCESS_ID
from tests.integration.test_postgres_roles import as_login, cli

_databases = itertools.count(1)


def grant_by_hand(url: str, name: str) -> None:
    """``name`` grants herself governance with the library, under her own name."""
    ledger = open_ledger(url, create=False)
    try:
        access: Access = ledger.repository.get(ACCESS_ID)
        access.grant(name, Role.GOVERNANCE, None, name, datetime.now(UTC).date())
        ledger.save(access)
    finally:
        ledger.close()


def green_by_hand(url: str, name: str, key: str) -> None:
    """``name`` (an owner) sets GREEN with the library, skipping the sign-off."""
    from events import Status

    ledger = open_ledger(url, create=False)
    try:
        item = ledger.get_recommendation(key)
        item.change_status(Status.GREEN, None, name, datetime.now(UTC).date())
        ledger.save(item)
    finally:
        ledger.close()


@pytest.fixture
def sqlite_roles(tmp_path: Path) -> str:
    """A SQLite ledger under access control: governance, and Alice owning R/1's owner."""
    from tests.cli.test_verify import history

    db = str(tmp_path / "ragw.db")
    history(lambda *args, code=0: cli(db, *args, actor="Auditor", code=code))
    cli(db, "assign", "R/1", "Head of Roads", actor="Auditor")
    cli(db, "role", "grant", "Auditor", "governance", actor="Auditor")
    cli(db, "role", "grant", "Alice", "owner", "--acts-for", "Head of Roads", actor="Auditor")
    return db


def test_verify_rules_passes_a_ledger_its_commands_wrote(sqlite_roles: str) -> None:
    out = cli(sqlite_roles, "verify", "--rules")
    assert "events replayed, each what the rules it was recorded under give" in out


@pytest.mark.parametrize("written", ["grant", "green"])
def test_an_event_no_command_could_record_fails_verify_rules_on_sqlite(
    sqlite_roles: str, written: str
) -> None:
    if written == "grant":
        grant_by_hand(sqlite_roles, "Alice")
    else:
        green_by_hand(sqlite_roles, "Alice", "R/1")
    plain = cli(sqlite_roles, "verify")  # the chain alone: a SQLite file's writer can rewrite it
    assert "replayed" not in plain
    error = cli(sqlite_roles, "verify", "--rules", code=1)
    assert error.startswith("Error: event ") and error.count("\n") == 1, error
    name = "roles@" if written == "grant" else "R/1@"
    assert name in error and "(position " in error, error
    assert "Alice could not have recorded it" in error or "GREEN needed sign-off" in error


@pytest.fixture
def postgres_roles(postgres: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return roles_on(postgres, monkeypatch)


@pytest.fixture
def encrypted_roles(postgres: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """As ``postgres_roles``, its ledger encrypted under the key in RAGW_ENCRYPTION_KEY."""
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", AESCipher.create_key(32))
    return roles_on(postgres, monkeypatch)


def roles_on(postgres: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A ledger under roles on PostgreSQL: its owner's URL, and alice's (an owner)."""
    from tests.cli.test_verify import history

    url = postgres.create_database(f"ragw_verify_rules_{os.getpid()}_{next(_databases)}")
    history(lambda *args, code=0: cli(url, *args, actor="Strategic Development", code=code))
    cli(url, "assign", "R/1", "Head of Roads", actor="Strategic Development")
    cli(url, "admin", "init-roles")
    alice = f"rules_alice_{os.getpid()}_{next(_databases)}"
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    cli(url, "admin", "add-login", alice, "--role", "owner")
    cli(url, "role", "grant", "postgres", "governance", actor="postgres")
    cli(url, "role", "grant", alice, "owner", "--acts-for", "Head of Roads")
    return {"owner": url, "alice": as_login(url, alice), "alice_name": alice}


@pytest.mark.postgres
@pytest.mark.parametrize("written", ["grant", "green"])
def test_an_owner_login_granting_herself_governance_fails_verify_on_postgres(
    postgres_roles: dict[str, str], written: str
) -> None:
    """The review's case: alice, with her own login, grants herself governance (or sets
    GREEN) with the library; every link holds and the notes name her, yet verify fails."""
    owner, alice, name = (
        postgres_roles["owner"],
        postgres_roles["alice"],
        postgres_roles["alice_name"],
    )
    cli(alice, "note", "R/1", "Contract signed")
    assert "events replayed" in cli(owner, "verify")
    if written == "grant":
        grant_by_hand(alice, name)
    else:
        green_by_hand(alice, name, "R/1")
    error = cli(owner, "verify", code=1)
    assert error.startswith("Error: event ") and error.count("\n") == 1, error
    assert ("roles@" if written == "grant" else "R/1@") in error, error
    assert f"{name} could not have recorded it" in error or "GREEN needed sign-off" in error


@pytest.mark.postgres
def test_without_its_key_verify_checks_an_encrypted_ledger_s_chain_and_says_what_it_could_not(
    encrypted_roles: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The logins and rules of an encrypted ledger's writers are read from its events,
    which only the key opens: an auditor without it still checks the chain, and is told
    the rest was not checked, rather than shown a refusal to decrypt."""
    owner, alice = encrypted_roles["owner"], encrypted_roles["alice"]
    cli(alice, "note", "R/1", "Contract signed")
    assert "events replayed" in cli(owner, "verify")  # with the key
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    out = cli(owner, "verify")
    assert out.startswith("ok: ") and "every link matches" in out, out
    assert "replayed" not in out
    assert "recorded under roles were not checked, as only the key reads the events" in out
    error = cli(owner, "verify", "--rules", code=1)
    assert error.startswith("Error: the rules are replayed through the events themselves"), error
    assert error.count("\n") == 1


@pytest.mark.parametrize("by_hand", [False, True])
def test_what_verify_rules_passes_restores_and_what_it_refuses_restore_refuses(
    sqlite_roles: str, tmp_path: Path, by_hand: bool
) -> None:
    if by_hand:
        grant_by_hand(sqlite_roles, "Alice")
    backup = str(tmp_path / "backup.jsonl")
    cli(sqlite_roles, "export", "--out", backup)
    restored = str(tmp_path / "restored.db")
    if not by_hand:
        cli(sqlite_roles, "verify", "--rules")
        cli(restored, "restore", backup)
        return
    verify_error = cli(sqlite_roles, "verify", "--rules", code=1)
    restore_error = cli(restored, "restore", backup, code=1)
    assert "Alice could not have recorded it" in verify_error
    assert "Alice could not have recorded it" in restore_error
