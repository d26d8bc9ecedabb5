"""An inspectorate's read model keeps its verdicts (``ragw_verdicts``: every verdict
given, naming the organisation whose item it is on), so the national summary counts
them beside each force's board without reading the inspectorate's log. The rows are
evidence like any other: `ragw --org HMICFRS verify` proves each one against the
events, names any edit, and `rebuild` mends it; a follower reading the log a page of
one event at a time writes the same rows. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from ledger.storage import is_postgres
from ledger.storage.organisation import schema_of, table_prefix
from projections.store import TABLES, TRACKING, TimelineStore, counts
from projections.store.counts import count_in_step
from projections.usecases import LedgerSession
from projections.usecases.national_summary import national_summary
from tests.cli.test_verify import raw
from tests.national_store import Run, add_national_store, runner_on

ACTOR = "Strategic Development"


@pytest.fixture
def run(target: str) -> Run:
    return runner_on(target, ACTOR)


@pytest.fixture
def verdicts(run: Run) -> None:
    """FRAUD19/9 issued to WMP and COLP; the inspectorate's verdicts on WMP's (accepted,
    then superseded) and on COLP's (not accepted); its model brought up to date."""
    add_national_store(run, ("WMP", "COLP"))
    run("--org", "HMICFRS", "national", "issue", "--on", "2019-04-02")
    hmi = ("--org", "HMICFRS", "verdict")
    run(*hmi, "WMP", "FRAUD19/9", "accepted", "--reason", "Policy seen", "--on", "2019-11-01")
    run(*hmi, "COLP", "FRAUD19/9", "not-accepted", "--reason", "No policy", "--on", "2019-11-02")
    run(*hmi, "WMP", "FRAUD19/9", "superseded", "--reason", "See 2021", "--on", "2020-06-01")
    run("--org", "HMICFRS", "board")  # a read brings the model up to date


@contextmanager
def inspectorates_tables(target: str) -> Iterator[Any]:
    """A connection past ragw, and how the inspectorate's model's tables are named."""
    with raw(target) as (connection, _, _):
        if is_postgres(target):
            yield connection, f"{schema_of('HMICFRS')}."
        else:
            yield connection, table_prefix("HMICFRS")


def stored(target: str) -> list[tuple[Any, ...]]:
    with inspectorates_tables(target) as (connection, prefix):
        return sorted(
            tuple(row)
            for row in connection.execute(
                f"SELECT org, key, version, verdict, reason, day FROM {prefix}ragw_verdicts"
            ).fetchall()
        )


def test_every_verdict_given_is_a_row_naming_the_organisation_whose_item_it_is(
    run: Run, target: str, verdicts: None
) -> None:
    assert stored(target) == [
        ("COLP", "FRAUD19/9", 2, "not-accepted", "No policy", "2019-11-02"),
        ("WMP", "FRAUD19/9", 2, "accepted", "Policy seen", "2019-11-01"),
        ("WMP", "FRAUD19/9", 3, "superseded", "See 2021", "2020-06-01"),
    ]
    assert run("--org", "HMICFRS", "verify").count("ok: ") == 2
    # a force's own model holds none
    run("--org", "WMP", "board")
    with raw(target) as (connection, _, _):
        name = f"{schema_of('WMP')}." if is_postgres(target) else table_prefix("WMP")
        assert connection.execute(f"SELECT COUNT(*) FROM {name}ragw_verdicts").fetchone()[0] == 0


#: (what is falsified, the SQL that falsifies it, what verify then names)
FALSIFIED = [
    (
        "a verdict's word",
        "UPDATE {t}ragw_verdicts SET verdict = 'accepted' WHERE org = 'COLP'",
        "ragw_verdicts, FRAUD19/9 on 2019-11-02: verdict is 'accepted' where the events give "
        "'not-accepted'",
    ),
    (
        "the organisation a verdict is on",
        "UPDATE {t}ragw_verdicts SET org = 'CLEV' WHERE org = 'COLP'",
        "ragw_verdicts, FRAUD19/9 on 2019-11-02: org is 'CLEV' where the events give 'COLP'",
    ),
    (
        "a verdict deleted",
        "DELETE FROM {t}ragw_verdicts WHERE verdict = 'superseded'",
        "ragw_verdicts, FRAUD19/9 on 2020-06-01: a row the events give is missing",
    ),
    (
        "a verdict planted",
        "INSERT INTO {t}ragw_verdicts SELECT 'WMP', 'FRAUD19/2', 9, verdict, reason, day, "
        "actor, known_from FROM {t}ragw_verdicts WHERE org = 'COLP'",
        "ragw_verdicts, FRAUD19/2 on 2019-11-02: a row the events do not give",
    ),
]


@pytest.mark.parametrize(("what", "statement", "named"), FALSIFIED, ids=[f[0] for f in FALSIFIED])
def test_any_edit_of_a_stored_verdict_is_named_and_rebuild_mends_it(
    run: Run, target: str, verdicts: None, what: str, statement: str, named: str
) -> None:
    summary = run("national", "summary", "--as-at", "2021-01-01", "--format", "json")
    with inspectorates_tables(target) as (connection, prefix):
        connection.execute(statement.format(t=prefix))
        if not is_postgres(target):
            connection.commit()
    error = run("--org", "HMICFRS", "verify", code=1)
    assert error.startswith(f"Error: the read model differs from the events: {named}"), error
    run("--org", "HMICFRS", "rebuild")
    assert run("--org", "HMICFRS", "verify").count("ok: ") == 2
    assert run("national", "summary", "--as-at", "2021-01-01", "--format", "json") == summary


def test_a_follower_reading_one_event_a_page_writes_the_same_verdicts(
    run: Run, target: str, verdicts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page followed by a follower of its own (as after a restart), one event a
    page: a stream's verdicts come on pages after the one naming its organisation, which
    the follower finds in the log."""
    before = stored(target)
    with inspectorates_tables(target) as (connection, prefix):
        for table in (*TABLES, TRACKING):
            connection.execute(f"DROP TABLE {prefix}{table}")
        if not is_postgres(target):
            connection.commit()
    monkeypatch.setattr("projections.store.follower.PAGE", 1)
    ledger = open_ledger(target, create=False, org="HMICFRS")
    try:
        while True:
            store = TimelineStore(ledger, target)
            try:
                if store.position() >= ledger.last_position():
                    break
                with store._transaction(lock=True) as cursor:
                    store._follow(cursor, store._position(cursor))
            finally:
                store.close()
    finally:
        ledger.close()
    assert stored(target) == before
    assert run("--org", "HMICFRS", "verify").count("ok: ") == 2


def test_the_national_summary_counts_the_verdicts_the_model_holds(
    run: Run, target: str, verdicts: None
) -> None:
    def verdict_counts(day: str) -> dict[str, dict[str, int]]:
        found = json.loads(run("national", "summary", "--as-at", day, "--format", "json"))
        return {org["code"]: org["verdicts"] for org in found["organisations"]}

    assert verdict_counts("2019-11-01") == {
        "WMP": {"accepted": 1, "not-accepted": 0, "superseded": 0, "none": 0},
        "COLP": {"accepted": 0, "not-accepted": 0, "superseded": 0, "none": 1},
    }
    if is_postgres(target):  # every model now in step: counted by the database, verdicts too
        counted = count_in_step(target, ["WMP", "COLP"], ["HMICFRS"], date(2021, 1, 1), None)
        assert sorted(counted.counted) == ["COLP", "WMP"]
    # the later verdict on WMP's item, from its own day
    assert verdict_counts("2021-01-01") == {
        "WMP": {"accepted": 0, "not-accepted": 0, "superseded": 1, "none": 0},
        "COLP": {"accepted": 0, "not-accepted": 1, "superseded": 0, "none": 0},
    }


def test_a_verdict_the_model_has_not_reached_is_counted_and_the_model_caught_up(
    run: Run, target: str, verdicts: None
) -> None:
    run(
        *("--org", "HMICFRS", "verdict", "COLP", "FRAUD19/9", "accepted"),
        *("--reason", "Policy published", "--on", "2020-07-01"),
    )
    day = date(2021, 1, 1)
    if is_postgres(target):  # the inspectorate's model is behind its log
        assert count_in_step(target, ["WMP", "COLP"], ["HMICFRS"], day, None).behind == ["HMICFRS"]
    found = json.loads(run("national", "summary", "--as-at", "2021-01-01", "--format", "json"))
    assert found["organisations"][1]["code"] == "COLP"
    assert found["organisations"][1]["verdicts"]["accepted"] == 1
    if is_postgres(target):  # brought up to date: every force counted on one connection
        counted = count_in_step(target, ["WMP", "COLP"], ["HMICFRS"], day, None)
        assert (counted.behind, sorted(counted.counted)) == ([], ["COLP", "WMP"])


def test_of_two_inspectorates_verdicts_on_one_item_the_later_given_stands_in_every_view(
    run: Run, target: str, verdicts: None
) -> None:
    """Whichever inspectorate gave it, and in whichever order the register added them:
    the verdict in effect is the latest by day, on the national board, in the national
    summary's counts and on the force's own board alike."""
    run("org", "add", "HMIP", "--name", "HM Inspectorate of Probation", "--kind", "inspectorate")
    run(
        *("--org", "HMIP", "verdict", "WMP", "FRAUD19/9", "not-accepted"),
        *("--reason", "Not shared with probation", "--on", "2020-07-01"),
    )  # after HMICFRS's last on WMP's (superseded, 2020-06-01): it stands
    run(
        *("--org", "HMIP", "verdict", "COLP", "FRAUD19/9", "accepted"),
        *("--reason", "Seen by probation", "--on", "2019-10-01"),
    )  # before HMICFRS's on COLP's (not accepted, 2019-11-02): HMICFRS's stands
    board = json.loads(
        run("national", "board", "--report", "FRAUD19", "--as-at", "2021-01-01", "--format", "json")
    )
    shown = board["items"][0]["organisations"]
    assert (shown["WMP"]["verdict"], shown["WMP"]["verdict_reason"]) == (
        "not-accepted",
        "Not shared with probation",
    )
    assert (shown["COLP"]["verdict"], shown["COLP"]["verdict_reason"]) == (
        "not-accepted",
        "No policy",
    )
    # each named with the inspectorate that gave it
    assert (shown["WMP"]["verdict_by"], shown["COLP"]["verdict_by"]) == ("HMIP", "HMICFRS")
    found = json.loads(run("national", "summary", "--as-at", "2021-01-01", "--format", "json"))
    counted = {org["code"]: org["verdicts"] for org in found["organisations"]}
    assert counted["WMP"] == {"accepted": 0, "not-accepted": 1, "superseded": 0, "none": 0}
    assert counted["COLP"] == {"accepted": 0, "not-accepted": 1, "superseded": 0, "none": 0}
    for org, given_by in (("WMP", "HMIP"), ("COLP", "HMICFRS")):
        own = run("--org", org, "board", "--as-at", "2021-01-01")
        assert f"not-accepted ({given_by}," in own, own


def test_an_inspectorate_model_this_login_cannot_follow_leaves_the_forces_counted_together(
    run: Run, target: str, verdicts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A login that may not write the inspectorate's model (``init-roles``: the follower
    keeps it), the model behind a new verdict: the forces are still counted together,
    the verdicts read from the inspectorate's ledger placed on them."""
    run("--org", "WMP", "board")
    run("--org", "COLP", "board")  # every force's model in step
    run(
        *("--org", "HMICFRS", "verdict", "COLP", "FRAUD19/9", "accepted"),
        *("--reason", "Policy published", "--on", "2020-07-01"),
    )
    real = LedgerSession.read_model

    def may_not_write(session: LedgerSession) -> Any:
        return None if session.org == "HMICFRS" else real(session)

    monkeypatch.setattr(LedgerSession, "read_model", may_not_write)
    opened: list[str | None] = []

    def open_org(org: str | None) -> LedgerSession:
        opened.append(org)
        return LedgerSession(
            target, ACTOR, open_ledger=lambda _: open_ledger(target, create=False, org=org), org=org
        )

    asked: list[list[str]] = []

    def counting(target: str, orgs: Any, inspectorates: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(list(inspectorates))
        return count_in_step(target, orgs, inspectorates, *args, **kwargs)

    monkeypatch.setattr(counts, "count_in_step", counting)
    register = open_org(None)
    try:
        found = national_summary(register, open_org, as_at=date(2021, 1, 1))
    finally:
        register.close()
    counted = {org.member.code: org.tally.verdicts for org in found.organisations}
    assert counted["COLP"] == {"accepted": 1, "not-accepted": 0, "superseded": 0, "none": 0}
    assert counted["WMP"] == {"accepted": 0, "not-accepted": 0, "superseded": 1, "none": 0}
    if is_postgres(target):  # no force's ledger opened
        assert set(opened) == {None, "HMICFRS"}
        # found behind once, then counted without it: not asked again while still behind
        assert asked == [["HMICFRS"], []]


@pytest.mark.postgres
def test_a_login_allowed_one_connection_still_counts_every_force_together(
    postgres: Any, tmp_path: Any
) -> None:
    """Two connections refused (a login's connection limit): counted on one."""
    target = postgres.create_database(f"ragw_one_connection_{id(tmp_path)}")
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(main, ["--db", target, "--actor", ACTOR, *args])
        assert result.exit_code == 0, result.output

    add_national_store(run, ("WMP", "COLP"))
    for org in ("HMICFRS", "WMP", "COLP"):
        run("--org", org, "board")
    import psycopg

    with psycopg.connect(target, autocommit=True) as connection:
        connection.execute("CREATE ROLE ragw_one_connection LOGIN CONNECTION LIMIT 1")
        for org in ("HMICFRS", "WMP", "COLP"):
            schema = schema_of(org)
            connection.execute(f"GRANT USAGE ON SCHEMA {schema} TO ragw_one_connection")
            connection.execute(
                f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO ragw_one_connection"
            )
    login = target.replace("postgres:unused@", "ragw_one_connection:unused@")
    day = date(2021, 1, 1)
    with mock.patch.object(counts, "SHARED_FROM", 1):  # two connections would be tried
        counted = count_in_step(login, ["WMP", "COLP"], ["HMICFRS"], day, None)
    assert sorted(counted.counted) == ["COLP", "WMP"]
    assert counted.counted == count_in_step(target, ["WMP", "COLP"], ["HMICFRS"], day, None).counted
