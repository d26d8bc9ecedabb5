"""The chain covers each stored value and the type it is stored as: any edit of a stored
column that SQL lets whoever holds the file or the tables make (a value, or only its
type: a dashed or upper-case stream id, a state kept as text, a version as text, a NULL,
a position, a link) is named by `ragw verify` and fails `verify --digest` of a digest
printed before. Tried with raw SQL on the SQLite file and on the PostgreSQL tables; and
the read model's columns alike."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_verify import digest_of, history, raw
from tests.cli.test_verify_model import falsify, in_step

Ragw = Callable[..., str]

_DASHED = (
    "substr(originator_id, 1, 8) || '-' || substr(originator_id, 9, 4) || '-' || "
    "substr(originator_id, 13, 4) || '-' || substr(originator_id, 17, 4) || '-' || "
    "substr(originator_id, 21)"
)
_EVENTS = "UPDATE stored_events SET"
_PG = "ALTER TABLE ragw_events ALTER COLUMN"
_CHAIN = "UPDATE ragw_chain SET"
#: The events are a report (1), items R/1 (2) and R/2 (3), and their changes; 8 and 9
#: are R/2's. (what changes, the SQL, what verify names)
SQLITE = [
    (
        "stream id dashed",
        f"{_EVENTS} originator_id = {_DASHED} WHERE rowid IN (8, 9)",
        "position 8",
    ),
    (
        "stream id upper-case",
        f"{_EVENTS} originator_id = upper(originator_id) WHERE rowid = 8",
        "position 8",
    ),
    (
        "stream id as bytes",
        f"{_EVENTS} originator_id = CAST(originator_id AS BLOB) WHERE rowid = 8",
        "position 8",
    ),
    (
        "stream id of another item",
        f"{_EVENTS} originator_id = (SELECT originator_id FROM stored_events WHERE rowid = 2) WHERE rowid = 8",
        "position 8",
    ),
    ("stream id NULL", f"{_EVENTS} originator_id = NULL WHERE rowid = 8", "position 8"),
    (
        "version",
        f"{_EVENTS} originator_version = originator_version + 100 WHERE rowid = 8",
        "position 8",
    ),
    (
        "version as text",
        f"{_EVENTS} originator_version = originator_version || 'x' WHERE rowid = 8",
        "position 8",
    ),
    (
        "version as real",
        f"{_EVENTS} originator_version = originator_version + 0.5 WHERE rowid = 8",
        "position 8",
    ),
    ("version NULL", f"{_EVENTS} originator_version = NULL WHERE rowid = 8", "position 8"),
    (
        "topic",
        f"{_EVENTS} topic = (SELECT topic FROM stored_events WHERE rowid = 7) WHERE rowid = 8",
        "position 8",
    ),
    ("topic as bytes", f"{_EVENTS} topic = CAST(topic AS BLOB) WHERE rowid = 8", "position 8"),
    ("topic NULL", f"{_EVENTS} topic = NULL WHERE rowid = 8", "position 8"),
    ("state", f"{_EVENTS} state = state || x'20' WHERE rowid = 8", "position 8"),
    ("state as text", f"{_EVENTS} state = CAST(state AS TEXT) WHERE rowid = 8", "position 8"),
    ("every state as text", f"{_EVENTS} state = CAST(state AS TEXT)", "position 1"),
    ("state NULL", f"{_EVENTS} state = NULL WHERE rowid = 8", "position 8"),
    ("position", f"{_EVENTS} rowid = 500 WHERE rowid = 8", "position 8 was deleted"),
    (
        "link",
        f"{_CHAIN} link = (SELECT link FROM ragw_chain WHERE position = 7) WHERE position = 8",
        "position 8",
    ),
    ("link as bytes", f"{_CHAIN} link = CAST(link AS BLOB) WHERE position = 8", "position 8"),
    ("link's position", f"{_CHAIN} position = 500 WHERE position = 8", "(position 8) has no link"),
    (
        "link's position as text",
        f"{_CHAIN} position = '8a' WHERE position = 8",
        "position '8a' (of type text)",
    ),
    (
        "link's position as real",
        f"{_CHAIN} position = 8.5 WHERE position = 8",
        "position 8.5 (of type real)",
    ),
]
POSTGRES = [
    (
        "stream id",
        "UPDATE ragw_events SET originator_id = (SELECT originator_id FROM ragw_events WHERE notification_id = 2) WHERE notification_id = 8",
        "position 8",
    ),
    (
        "stream id as text of its 32 hex digits",
        f"{_PG} originator_id TYPE text USING replace(originator_id::text, '-', '')",
        "position 1",
    ),
    (
        "stream id as dashed text",
        f"{_PG} originator_id TYPE text USING originator_id::text",
        "position 1",
    ),
    (
        "stream id as upper-case text",
        f"{_PG} originator_id TYPE text USING upper(originator_id::text)",
        "position 1",
    ),
    (
        "version",
        "UPDATE ragw_events SET originator_version = originator_version + 100 WHERE notification_id = 8",
        "position 8",
    ),
    (
        "version as text",
        f"{_PG} originator_version TYPE text USING originator_version::text",
        "position 1",
    ),
    ("version as numeric", f"{_PG} originator_version TYPE numeric", "position 1"),
    ("version as integer", f"{_PG} originator_version TYPE integer", "position 1"),
    (
        "topic",
        "UPDATE ragw_events SET topic = (SELECT topic FROM ragw_events WHERE notification_id = 7) WHERE notification_id = 8",
        "position 8",
    ),
    ("topic as varchar", f"{_PG} topic TYPE varchar", "position 1"),
    ("topic as bytes", f"{_PG} topic TYPE bytea USING convert_to(topic, 'UTF8')", "position 1"),
    ("topic NULL", "UPDATE ragw_events SET topic = NULL WHERE notification_id = 8", "position 8"),
    (
        "state",
        "UPDATE ragw_events SET state = state || '\\x20'::bytea WHERE notification_id = 8",
        "position 8",
    ),
    ("state as text", f"{_PG} state TYPE text USING convert_from(state, 'UTF8')", "position 1"),
    ("state NULL", "UPDATE ragw_events SET state = NULL WHERE notification_id = 8", "position 8"),
    (
        "position",
        "UPDATE ragw_events SET notification_id = 500 WHERE notification_id = 8",
        "position 8 was deleted",
    ),
    (
        "position as numeric",
        f"{_PG} notification_id TYPE numeric",
        "ragw_events.notification_id is of type numeric",
    ),
    (
        "link",
        f"{_CHAIN} link = (SELECT link FROM ragw_chain WHERE position = 7) WHERE position = 8",
        "position 8",
    ),
    ("link as varchar", "ALTER TABLE ragw_chain ALTER COLUMN link TYPE varchar", "position 1"),
    (
        "link as bytes",
        "ALTER TABLE ragw_chain ALTER COLUMN link TYPE bytea USING convert_to(link, 'UTF8')",
        "position 1",
    ),
    ("link's position", f"{_CHAIN} position = 500 WHERE position = 8", "(position 8) has no link"),
    (
        "link's position as text",
        "ALTER TABLE ragw_chain ALTER COLUMN position TYPE text",
        "ragw_chain.position is of type text",
    ),
]


def cli(target: str) -> Ragw:
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", "Strategic Development", *args])
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        assert "Traceback" not in result.output
        return result.stdout if code == 0 else result.stderr

    return run


def caught(target: str, statement: str, named: str) -> None:
    """``statement``, made on the history's store, fails verify naming ``named``, and
    fails verify --digest of the digest taken before it."""
    ragw = cli(target)
    history(ragw)
    digest = digest_of(ragw("verify", "--events-only"))
    falsify(target, statement)
    for args in (("verify",), ("verify", "--digest", digest)):
        error = ragw(*args, code=1)
        assert error.startswith("Error: ") and error.count("\n") == 1, error
        assert re.search(f"{re.escape(named)}(?![0-9])", error), error
        assert "altered" in error or "differs" in error or "not the one" in error, error


@pytest.mark.parametrize(("what", "statement", "named"), SQLITE, ids=[c[0] for c in SQLITE])
def test_any_edit_of_a_stored_value_or_its_type_fails_verify_on_sqlite(
    tmp_path: Path, what: str, statement: str, named: str
) -> None:
    caught(str(tmp_path / "ragw.db"), statement, named)


@pytest.mark.postgres
@pytest.mark.parametrize(("what", "statement", "named"), POSTGRES, ids=[c[0] for c in POSTGRES])
def test_any_edit_of_a_stored_value_or_its_type_fails_verify_on_postgres(
    postgres: Any, what: str, statement: str, named: str
) -> None:
    target = postgres.create_database(f"ragw_chain_types_{abs(hash(what)) % 10**9}")
    caught(target, statement, named)


def test_rewriting_a_stream_id_to_its_dashed_form_is_caught_before_a_second_event_at_a_version(
    tmp_path: Path,
) -> None:
    """The finding as reported: two of an item's events given the dashed form of its id
    verified, while `history` no longer showed them and the next write recorded a
    second R/2@4."""
    target = str(tmp_path / "ragw.db")
    ragw = cli(target)
    history(ragw)
    digest = digest_of(ragw("verify"))
    falsify(target, SQLITE[0][1])
    error = ragw("verify", code=1)
    assert error.startswith("Error: event R/2@4 (position 8) does not match its link"), error
    assert "position 8" in ragw("verify", "--digest", digest, code=1)


def test_a_version_written_as_text_of_its_number_is_stored_as_that_number_on_sqlite(
    tmp_path: Path,
) -> None:
    """The column's integer affinity turns '4' back into 4: nothing was changed, and the
    chain says so (only text that is no number, checked above, stays text)."""
    target = str(tmp_path / "ragw.db")
    ragw = cli(target)
    history(ragw)
    falsify(target, f"{_EVENTS} originator_version = CAST(originator_version AS TEXT)")
    with raw(target) as (connection, _, _):
        kinds = connection.execute("SELECT DISTINCT typeof(originator_version) FROM stored_events")
        assert kinds.fetchall() == [("integer",)]
    assert ragw("verify").startswith("ok: 11 events, every link matches")


def test_a_write_on_a_chain_whose_last_link_has_a_position_of_another_type_is_refused(
    tmp_path: Path,
) -> None:
    target = str(tmp_path / "ragw.db")
    ragw = cli(target)
    history(ragw)
    falsify(target, f"{_CHAIN} position = '11a' WHERE position = 11")
    error = ragw("note", "R/1", "More", code=1)
    assert error.startswith("Error: the chain's last link is at position '11a' (of type text)")
    assert "nothing was recorded; run `ragw verify`" in error and error.count("\n") == 1
    with raw(target) as (connection, _, _):
        assert connection.execute("SELECT COUNT(*) FROM stored_events").fetchone() == (11,)


#: A read model column of another type whose values read the same: (SQL, what is named).
MODEL_TYPES = [
    (
        "ALTER TABLE ragw_spans ALTER COLUMN times_extended TYPE boolean USING times_extended <> 0",
        "ragw_spans, times_extended: the column is of type boolean, not this layout's integer",
    ),
    (
        "ALTER TABLE ragw_reports ALTER COLUMN title TYPE varchar",
        "ragw_reports, title: the column is of type character varying, not this layout's text",
    ),
    (
        # the fingerprint of the event read is a 56-bit number no integer holds: gone first
        "DELETE FROM ragw_tracking WHERE name = 'read_model_head'; "
        "ALTER TABLE ragw_tracking ALTER COLUMN position TYPE integer",
        "ragw_tracking, position: the column is of type integer, not this layout's bigint",
    ),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("statement", "named"), MODEL_TYPES, ids=[m[1][:30] for m in MODEL_TYPES])
def test_a_read_model_column_of_another_type_fails_verify_on_postgres(
    postgres: Any, statement: str, named: str
) -> None:
    target = postgres.create_database(f"ragw_model_types_{abs(hash(statement)) % 10**9}")
    ragw = cli(target)
    in_step(ragw)
    falsify(target, statement)
    error = ragw("verify", code=1)
    assert error.startswith(f"Error: the read model differs from the events: {named}"), error
    assert ragw("verify", "--events-only").startswith("ok: 11 events")
    fix = re.search(r"its type again \((ALTER TABLE [^)]*)\), then run `ragw rebuild`", error)
    assert fix, error
    falsify(target, fix[1])  # as the tables' owner
    ragw("rebuild")
    assert "ok: read model, " in ragw("verify")


@pytest.mark.parametrize("target", ["sqlite"], indirect=True)
def test_a_read_model_value_stored_as_bytes_fails_verify_on_sqlite(ragw: Ragw, target: str) -> None:
    in_step(ragw)
    falsify(target, "UPDATE ragw_reports SET title = CAST(title AS BLOB) WHERE code = 'R'")
    error = ragw("verify", code=1)
    assert "ragw_reports, R on 2021-01-04: title is b'Roads' where the events give 'Roads'" in (
        error
    )
