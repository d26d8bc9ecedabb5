"""Tamper evidence: `ragw verify` recomputes the chain of links over every stored event
and names the first event that no longer matches; a digest printed earlier proves the
history up to it unchanged. Tried on the SQLite file and on the PostgreSQL table."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.chain import GENESIS, link
from ledger.storage import is_postgres


@contextmanager
def raw(target: str) -> Iterator[tuple[Any, str, str]]:
    """A connection straight to the store, past ragw; the events table's name and its
    position column."""
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target, autocommit=True) as connection:
            yield connection, "ragw_events", "notification_id"
    else:
        connection = sqlite3.connect(target, isolation_level=None)
        try:
            yield connection, "stored_events", "rowid"
        finally:
            connection.close()


def store_past_ragw(target: str) -> None:
    """An event written straight into the store, past ragw: the last event's copy as
    its stream's next version, with no link in the chain."""
    with raw(target) as (connection, events, position):
        mark = "%s" if is_postgres(target) else "?"
        row = connection.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {events} "
            f"ORDER BY {position} DESC LIMIT 1"
        ).fetchone()
        connection.execute(
            f"INSERT INTO {events} (originator_id, originator_version, topic, state) "
            f"VALUES ({mark}, {mark}, {mark}, {mark})",
            (row[0], row[1] + 1, row[2], bytes(row[3])),
        )


def history(ragw: Callable[..., str]) -> None:
    """Eleven events: a report, two items, and changes to them."""
    ragw(
        "report",
        "add",
        "R",
        "--title",
        "Roads",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        "--on",
        "2021-01-04",
    )
    for ref in ("1", "2"):
        ragw(
            "rec",
            "add",
            "R",
            ref,
            "--kind",
            "afi",
            "--text",
            f"Item {ref}",
            "--due",
            "2021-06-30",
            "--on",
            "2021-01-05",
        )
    for ref, status in (("1", "AMBER"), ("2", "AMBER"), ("1", "GREEN")):
        ragw("status", f"R/{ref}", status, "--on", "2021-02-01")
    ragw("note", "R/2", "Waiting for the new system", "--on", "2021-03-01")
    ragw("extend", "R/2", "--to", "2021-09-30", "--reason", "Supplier late", "--on", "2021-03-02")
    ragw("assign", "R/2", "Head of Roads", "--on", "2021-03-03")
    ragw("committee", "add", "C", "--name", "Committee")
    ragw("meeting", "add", "C", "2021-04-01")


def digest_of(output: str) -> str:
    found = re.findall(r"digest (\d+:[0-9a-f]{64})$", output, re.MULTILINE)
    assert found, output
    return found[-1]


def test_an_untouched_ledger_verifies_and_prints_its_digest(ragw: Any) -> None:
    history(ragw)
    out = ragw("verify")
    assert out.startswith("ok: 11 events, every link matches")
    assert digest_of(out).startswith("11:")


def test_an_edited_event_is_named_and_verify_fails(ragw: Any, target: str) -> None:
    history(ragw)
    with raw(target) as (connection, events, position):
        state = connection.execute(f"SELECT state FROM {events} WHERE {position} = 5")
        edited = bytes(state.fetchone()[0]).replace(b"AMBER", b"GREEN")
        connection.execute(
            f"UPDATE {events} SET state = %s WHERE {position} = 5".replace(
                "%s", "%s" if is_postgres(target) else "?"
            ),
            (edited,),
        )
    error = ragw("verify", code=1)
    assert error.startswith("Error: event R/2@2 (position 5) does not match its link")
    assert error.count("\n") == 1


def test_a_deleted_event_is_named_and_verify_fails(ragw: Any, target: str) -> None:
    history(ragw)
    with raw(target) as (connection, events, position):
        connection.execute(f"DELETE FROM {events} WHERE {position} = 7")
    error = ragw("verify", code=1)
    assert error.startswith("Error: the event at position 7 was deleted")


def test_two_swapped_events_are_caught_at_the_first_of_them(ragw: Any, target: str) -> None:
    history(ragw)
    with raw(target) as (connection, events, position):
        rows = {
            at: connection.execute(
                f"SELECT topic, state FROM {events} WHERE {position} = {at}"
            ).fetchone()
            for at in (4, 6)
        }
        mark = "%s" if is_postgres(target) else "?"
        for at, other in ((4, 6), (6, 4)):
            connection.execute(
                f"UPDATE {events} SET topic = {mark}, state = {mark} WHERE {position} = {at}",
                (rows[other][0], bytes(rows[other][1])),
            )
    assert "(position 4) does not match its link" in ragw("verify", code=1)


def test_a_history_rewritten_with_new_links_still_fails_the_digest_printed_before(
    ragw: Any, target: str
) -> None:
    """Someone who can write the tables may rewrite an event and every link after it,
    so the chain checks out on its own; the digest printed on an earlier paper does not."""
    history(ragw)
    digest = digest_of(ragw("verify"))
    ragw("note", "R/1", "Signed off by the board", "--on", "2021-03-04")
    assert "holds" in ragw("verify", "--digest", digest)
    with raw(target) as (connection, events, position):
        mark = "%s" if is_postgres(target) else "?"
        state = connection.execute(f"SELECT state FROM {events} WHERE {position} = 6")
        edited = bytes(state.fetchone()[0]).replace(b"GREEN", b"RED")
        connection.execute(f"UPDATE {events} SET state = {mark} WHERE {position} = 6", (edited,))
        rows = connection.execute(
            f"SELECT {position}, originator_id, originator_version, topic, state "
            f"FROM {events} ORDER BY {position}"
        ).fetchall()
        previous = GENESIS
        for at, stream, version, topic, stored in rows:
            previous = link(previous, at, stream, version, topic, stored)
            connection.execute(
                f"UPDATE ragw_chain SET link = {mark} WHERE position = {mark}", (previous, at)
            )
    assert ragw("verify").startswith("ok: 12 events")  # consistent on its own
    error = ragw("verify", "--digest", digest, code=1)
    assert error.startswith("Error: the history up to position 11 is not the one the digest")


def test_an_event_stored_past_ragw_is_named_and_stops_further_writes(
    ragw: Any, target: str
) -> None:
    history(ragw)
    store_past_ragw(target)
    assert "(position 12) has no link: it was inserted outside ragw" in ragw("verify", code=1)
    error = ragw("note", "R/1", "More", code=1)
    assert "without ragw; nothing was recorded; run `ragw verify`" in error


@pytest.mark.parametrize("digest", ["", "11", "x:" + "0" * 64, "11:" + "0" * 63, "11:xyz"])
def test_a_malformed_digest_is_refused_with_how_to_write_it(ragw: Any, digest: str) -> None:
    history(ragw)
    error = ragw("verify", "--digest", digest, code=1)
    assert error.startswith("Error: --digest") and "POSITION:64-HEX-DIGITS" in error


def test_a_digest_of_a_position_the_ledger_never_reached_is_refused(ragw: Any) -> None:
    history(ragw)
    error = ragw("verify", "--digest", "99:" + "a" * 64, code=1)
    assert "has no event at position 99" in error


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(at=st.integers(1, 11), change=st.sampled_from(["state", "version", "delete"]))
def test_any_single_row_changed_anywhere_is_named(
    tmp_path_factory: pytest.TempPathFactory, at: int, change: str
) -> None:
    from click.testing import CliRunner

    from cli.main import main

    target = str(tmp_path_factory.mktemp("chain") / "ragw.db")
    runner = CliRunner()

    def ragw(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", "Strategic Development", *args])
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    history(ragw)
    with raw(target) as (connection, events, _):
        if change == "delete":
            connection.execute(f"DELETE FROM {events} WHERE rowid = {at}")
        elif change == "state":
            connection.execute(f"UPDATE {events} SET state = state || x'20' WHERE rowid = {at}")
        else:
            connection.execute(
                f"UPDATE {events} SET originator_version = originator_version + 100 "
                f"WHERE rowid = {at}"
            )
    error = ragw("verify", code=1)
    assert f"(position {at})" in error or f"position {at} was deleted" in error


def test_papers_and_exports_print_the_digest_that_verify_then_proves(
    ragw: Any, target: str, tmp_path: Any
) -> None:
    import json

    from click.testing import CliRunner

    from cli.main import main

    history(ragw)
    head = digest_of(ragw("verify"))
    summary = json.loads(ragw("summary", "C", "2021-04-01", "--format", "json"))
    appendix = json.loads(ragw("appendix", "C", "2021-04-01", "--format", "json"))
    assert summary["digest"] == appendix["digest"] == head
    assert f"ledger digest {head}" in ragw("summary", "C", "2021-04-01")
    runner = CliRunner()
    for out in ("paper.html", "backup.jsonl", "board.csv"):
        result = runner.invoke(
            main,
            [
                "--db",
                target,
                *(["pack", "C", "2021-04-01"] if out == "paper.html" else ["export"]),
                "--out",
                str(tmp_path / out),
            ],
        )
        assert result.exit_code == 0, result.output
        assert f"ledger digest {head}" in result.stderr
    assert head in (tmp_path / "paper.html").read_text()
    ragw("note", "R/1", "Later news", "--on", "2021-03-05")
    assert f"digest {head} holds" in ragw("verify", "--digest", summary["digest"])
