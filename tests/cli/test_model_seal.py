"""The read model records what it is sealed under (an encrypted ledger's key's check
value, or nothing: in clear). A record edited or removed in the model's tables blocks
every read, in one line saying that a rebuild with the ledger's key makes the model
again; and, once the ledger's own record of its key has proven the key, `ragw rebuild`
does make it anew, under that key, where it refused before. Without the key, or with
another, the rebuild is refused as any read is, and the model is left as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.test_encryption import cli
from tests.cli.test_verify import history, raw

SEAL = "read_model_seal"


def tracking(target: str) -> dict[str, int]:
    with raw(target) as (connection, _, _):
        return dict(connection.execute("SELECT name, position FROM ragw_tracking").fetchall())


def edit_seal(target: str, how: str) -> None:
    """The model's record of its seal, changed in its table past ragw."""
    mark = "%s" if target.startswith("postgresql") else "?"
    statement = {
        "edited": f"UPDATE ragw_tracking SET position = position + 1 WHERE name = {mark}",
        "removed": f"DELETE FROM ragw_tracking WHERE name = {mark}",
        "forged": f"INSERT INTO ragw_tracking (name, position) VALUES ({mark}, 7)",
    }[how]
    with raw(target) as (connection, _, _):
        connection.execute(statement, (SEAL,))


def board(target: str) -> list[dict[str, Any]]:
    return list(
        json.loads(cli(target, "board", "--as-at", "2021-04-01", "--format", "json"))["items"]
    )


@pytest.mark.parametrize("how", ["edited", "removed"])
def test_a_sealed_model_whose_record_of_its_seal_was_altered_is_made_again_by_a_rebuild(
    target: str, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    history(lambda *args: cli(target, *args))
    shown = board(target)
    sealed = tracking(target)[SEAL]
    edit_seal(target, how)
    altered = tracking(target)
    said = cli(target, "board", code=1)
    assert said.startswith("Error: the read model beside this ledger ")
    assert said.endswith(
        "; nothing was written; run `ragw rebuild` to derive the read model again from the "
        "events (with RAGW_ENCRYPTION_KEY set" + (")\n" if how == "edited" else " to its key)\n")
    )
    assert said.count("\n") == 1 and tracking(target) == altered  # nothing written
    assert cli(target, "rebuild").startswith("rebuilt the read model from ")
    assert tracking(target)[SEAL] == sealed
    assert board(target) == shown
    assert "ok: read model" in cli(target, "verify")


def test_a_rebuild_with_another_key_or_none_leaves_an_altered_model_as_it_was(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = cli(target, "admin", "new-key").strip()
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    history(lambda *args: cli(target, *args))
    board(target)
    edit_seal(target, "edited")
    altered = tracking(target)
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    assert "is not this ledger's key" in cli(target, "rebuild", code=1)
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    assert "this ledger is encrypted" in cli(target, "rebuild", code=1)
    assert tracking(target) == altered


def test_a_model_in_clear_given_a_forged_seal_is_made_again_in_clear_by_a_rebuild(
    target: str,
) -> None:
    history(lambda *args: cli(target, *args))
    shown = board(target)
    edit_seal(target, "forged")
    said = cli(target, "board", code=1)
    assert said.startswith("Error: the read model beside this ledger is sealed, and this ")
    assert said.endswith("(with RAGW_ENCRYPTION_KEY unset)\n")
    cli(target, "rebuild")
    assert SEAL not in tracking(target)
    assert board(target) == shown
