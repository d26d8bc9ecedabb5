"""The ledger's record of its key is held to its events: a record edited past ragw
(an encrypted ledger's record set to "in clear", another key's check value written in,
a plaintext ledger's record set to "encrypted") makes ``verify`` fail naming it, and a
write held to the edited record is refused with nothing written. On both stores (on
PostgreSQL as the tables' owner, whom the server lets edit the record)."""

from __future__ import annotations

import pytest

from ledger.storage.keycheck import key_check
from tests.cli.test_encryption import cli, stored_bytes
from tests.cli.test_one_key import (
    SECRET,
    WRONG_KEY,
    add_secret,
    counts,
    encrypted,  # noqa: F401  (a fixture)
    new_key,
    own_key,
)
from tests.cli.test_verify import history, raw

ALTERED = "Error: this ledger's record of its encryption says its events are"


def edit_record(target: str, statement: str, *values: object) -> None:
    with raw(target) as (connection, _, _):
        mark = "%s" if "://" in target else "?"
        connection.execute(statement.replace("?", mark), values)


def verify_fails(target: str, says: str) -> None:
    error = cli(target, "verify", code=1)
    assert (
        error.startswith("Error: the ledger's record of its encryption") and error.count("\n") == 1
    ), error
    assert says in error and "the record has been altered" in error, error


def test_an_encrypted_ledgers_record_set_to_clear_fails_verify_and_refuses_a_write_without_the_key(
    encrypted: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edit_record(encrypted, "UPDATE ragw_key SET encrypted = false, key_check = NULL")
    verify_fails(encrypted, "says its events are in clear, but its first stored event is encrypted")
    own_key(monkeypatch)
    before = counts(encrypted)
    error = cli(encrypted, *add_secret(), code=1)
    assert error.startswith(ALTERED) and "nothing was recorded" in error, error
    assert counts(encrypted) == before
    assert SECRET.encode() not in stored_bytes(encrypted)


def test_another_keys_check_value_in_the_record_fails_verify_and_refuses_that_key(
    encrypted: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = new_key(encrypted)
    edit_record(encrypted, "UPDATE ragw_key SET key_check = ?", key_check(other))
    verify_fails(encrypted, "holds the check value of another key")
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", other)
    before = counts(encrypted)
    error = cli(encrypted, *add_secret(), code=1)
    assert error.startswith(WRONG_KEY), error
    assert counts(encrypted) == before


def test_a_plaintext_ledgers_record_set_to_encrypted_fails_verify_and_refuses_a_key(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(lambda *args, code=0: cli(target, *args, code=code))
    cli(target, "verify")
    key = new_key(target)
    edit_record(target, "UPDATE ragw_key SET encrypted = true, key_check = ?", key_check(key))
    verify_fails(target, "says its events are encrypted, but its first stored event is in clear")
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    before = counts(target)
    error = cli(target, *add_secret(), code=1)
    assert error.startswith(ALTERED), error
    assert counts(target) == before
