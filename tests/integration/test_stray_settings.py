"""How a ledger stores its events is ragw's to say: the event store's own settings left
in the environment (a compressor, a cipher and its key, a transcoder, snapshots, an
aggregate cache, stream ids as text, no tables made), under either of their names,
change nothing that is recorded or read, from a new ledger's first write on, kept in
clear or encrypted, on either store; and the aggregate cache is the size ragw sets."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from click.testing import CliRunner
from eventsourcing.cipher import AESCipher

from cli.main import main
from ledger.storage.settings import connect, is_postgres

ME = "Strategic Development"
STRAY = {
    "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
    "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
    "CIPHER_KEY": AESCipher.create_key(32),
    "TRANSCODER_TOPIC": "eventsourcing.persistence:JSONTranscoder",
    "IS_SNAPSHOTTING_ENABLED": "yes",
    "AGGREGATE_CACHE_MAXSIZE": "100",
    "ORIGINATOR_ID_TYPE": "text",
    "CREATE_TABLE": "no",
}


def run(target: str, *args: str, key: str | None = None) -> str:
    env = {"RAGW_ENCRYPTION_KEY": key or ""}
    result = CliRunner().invoke(main, ["--db", target, "--actor", ME, *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def stored_states(target: str) -> list[bytes]:
    if is_postgres(target):
        with connect(target) as connection:
            rows = connection.execute("SELECT state FROM ragw_events").fetchall()
    else:
        with sqlite3.connect(target) as connection:
            rows = connection.execute("SELECT state FROM stored_events").fetchall()
    return [bytes(state) for (state,) in rows]


@pytest.mark.parametrize("encrypted", [False, True], ids=["clear", "encrypted"])
def test_the_event_stores_own_settings_in_the_environment_change_nothing_recorded(
    target: str, monkeypatch: pytest.MonkeyPatch, encrypted: bool
) -> None:
    key = AESCipher.create_key(32) if encrypted else None
    for name, value in STRAY.items():  # under both the names the library reads
        monkeypatch.setenv(name, value)
        monkeypatch.setenv(f"RAGW_{name}", value)
    run(target, "report", "add", "ROADS", "--title", "Roads", "--scope", "force",
        "--published", "2021-01-04", key=key)  # fmt: skip
    run(target, "rec", "add", "ROADS", "1", "--kind", "afi", "--text", "Check the cars",
        "--on", "2021-01-05", key=key)  # fmt: skip
    run(target, "status", "ROADS/1", "AMBER", "--reason", "begun", "--on", "2021-02-01", key=key)
    with_stray = run(target, "board", "--format", "json", key=key)
    for name in STRAY:
        monkeypatch.delenv(name)
        monkeypatch.delenv(f"RAGW_{name}")
    # read without them, every event as it was recorded
    assert run(target, "board", "--format", "json", key=key) == with_stray
    assert '"status":"AMBER"' in with_stray.replace(" ", "")
    run(target, "rebuild", key=key)
    assert "ok" in run(target, "verify", key=key)
    states = stored_states(target)
    assert len(states) >= 3
    # in clear, each event is its JSON; encrypted, none is (and none is compressed JSON)
    assert all(state.startswith(b"{") for state in states) is not encrypted
    if encrypted:
        assert not any(state.startswith(b"{") for state in states)


def test_the_aggregate_cache_is_as_ragw_sets_it_whatever_the_environment_says(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger import open_ledger

    for name, value in (
        ("AGGREGATE_CACHE_MAXSIZE", "1"),
        ("DEEPCOPY_FROM_AGGREGATE_CACHE", "n"),
        ("AGGREGATE_CACHE_FASTFORWARD", "n"),
        ("AGGREGATE_CACHE_FASTFORWARD_SKIPPING", "y"),
    ):
        monkeypatch.setenv(f"RAGW_{name}", value)
    ledger = open_ledger(str(tmp_path / "x.db"), create=True)
    try:
        repository = ledger.repository
        assert repository.cache is not None and repository.cache.maxsize == 1000
        # copies, brought up to date: a cached aggregate changed by a refused change is
        # never the one a later change saves
        assert repository.deepcopy_from_cache and repository.fastforward
        assert not repository.fastforward_skipping
    finally:
        ledger.close()
