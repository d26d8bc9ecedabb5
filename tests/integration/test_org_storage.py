"""Organisations sharing one store: each keeps its events, chain, key record, users'
passwords, feeds and read model apart from the others' and from the single ledger's (on
SQLite in tables named with its prefix, on PostgreSQL in a schema of its own), so each
answers, verifies and is tampered with alone; and a ledger opened without one is the
single-organisation ledger as it always was."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest

from events import ReportRegistered
from ledger import Ledger, LedgerError, open_ledger
from ledger.application import Ledger as LedgerApplication
from ledger.storage.settings import connect, is_postgres, storage_env
from projections.store.stored_rows import Stored, schema_difference
from projections.usecases import LedgerSession
from projections.usecases import follow as following
from projections.usecases.board import board
from projections.usecases.follow import CaughtUp, catch_up, follow
from projections.usecases.integrity import rebuild, verify

ME = "Strategic Development"
ON = date(2021, 1, 4)
AS_AT = date(2021, 6, 1)
#: Each organisation's report, and the single ledger's (None).
REPORTS = {"WMP": "ROADS", "COLP": "FRAUD", None: "CUSTODY"}


def schemas(target: str, *names: str) -> None:
    """What ``ragw org add`` does on PostgreSQL: the organisations' schemas."""
    with connect(target, autocommit=True) as connection:
        for name in names:
            connection.execute(f"CREATE SCHEMA {name}")


@pytest.fixture
def store(target: str) -> str:
    """A store holding the schemas of WMP and COLP (PostgreSQL), empty."""
    if is_postgres(target):
        schemas(target, "org_wmp", "org_colp")
    return target


def fill(ledger: Ledger, code: str, refs: tuple[str, ...] = ("1", "2")) -> None:
    ledger.register_report(
        code, title=f"{code} report", scope="force", published=ON, actor=ME, on=ON
    )
    for ref in refs:
        ledger.issue_recommendation(
            code,
            ref,
            kind="afi",
            text=f"{code} item {ref}",
            due="2021-09-30",
            status="AMBER",
            owner="Head of Roads",
            actor=ME,
            on=ON,
        )


@pytest.fixture
def filled(store: str) -> Iterator[dict[str | None, Ledger]]:
    """WMP, COLP and the single ledger in one store, each with a report of its own."""
    opened = {org: open_ledger(store, create=True, org=org) for org in REPORTS}
    for org, ledger in opened.items():
        fill(ledger, REPORTS[org], ("1", "2", "3") if org == "COLP" else ("1", "2"))
    yield opened
    for ledger in opened.values():
        ledger.close()


def session_of(target: str, org: str | None) -> LedgerSession:
    return LedgerSession(
        target, ME, open_ledger=lambda write: open_ledger(target, create=True, org=org), org=org
    )


def board_keys(target: str, org: str | None) -> list[str]:
    """The keys on the organisation's board, read from its stored read model."""
    session = session_of(target, org)
    try:
        assert session.read_model() is not None  # the model, caught up: not the fold
        read = board(session, as_at=AS_AT)
        return [json.loads(line)["key"] for line in read.lines]
    finally:
        session.close()


# Events, boards, chains ----------------------------------------------------------------


def test_each_organisation_and_the_single_ledger_keep_their_own_events_and_boards(
    filled: dict[str | None, Ledger], store: str
) -> None:
    for org, ledger in filled.items():
        assert ledger.org == org
        reports = [e.code for _, e in ledger.read_log() if isinstance(e, ReportRegistered)]
        assert reports == [REPORTS[org]]
    assert board_keys(store, "WMP") == ["ROADS/1", "ROADS/2"]
    assert board_keys(store, "COLP") == ["FRAUD/1", "FRAUD/2", "FRAUD/3"]
    assert board_keys(store, None) == ["CUSTODY/1", "CUSTODY/2"]
    again = open_ledger(store, create=False, org="wmp")  # any case names the same organisation
    try:
        assert again.last_position() == filled["WMP"].last_position() == 3
    finally:
        again.close()
    session = session_of(store, "WMP")
    try:  # derived again from its own events alone, and nobody else's touched
        assert rebuild(session) == 3
    finally:
        session.close()
    assert board_keys(store, "WMP") == ["ROADS/1", "ROADS/2"]
    assert board_keys(store, "COLP") == ["FRAUD/1", "FRAUD/2", "FRAUD/3"]
    assert board_keys(store, None) == ["CUSTODY/1", "CUSTODY/2"]


def test_each_organisations_chain_verifies_alone_and_a_row_tampered_with_fails_only_its_own(
    filled: dict[str | None, Ledger], store: str
) -> None:
    for org in REPORTS:  # the whole verify: chain, key record, read model and its layout
        session = session_of(store, org)
        try:
            board(session, as_at=AS_AT)  # a read keeps the model
            assert verify(session).events == filled[org].last_position()
        finally:
            session.close()
    heads = {org: ledger.digest() for org, ledger in filled.items()}
    assert len(set(heads.values())) == 3
    tamper(store, "WMP", position=2)
    broken = filled["WMP"].verify().broken
    assert broken is not None and broken.position == 2
    for org in ("COLP", None):
        verdict = filled[org].verify()
        assert verdict.broken is None and verdict.head == heads[org]
    for org in REPORTS:
        session = session_of(store, org)
        try:
            if org == "WMP":
                with pytest.raises(LedgerError, match="position 2"):
                    verify(session)
            else:
                verify(session)
        finally:
            session.close()


def tamper(target: str, org: str, position: int) -> None:
    """Edit one stored event of ``org``'s, past ragw."""
    if is_postgres(target):
        with connect(target, org=org, autocommit=True) as connection:
            connection.execute(
                "UPDATE ragw_events SET state = convert_to(replace(convert_from(state, "
                "'UTF8'), 'item', 'ITEM'), 'UTF8') WHERE notification_id = %s",
                (position,),
            )
        return
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        table = f"org_{org.lower()}__stored_events"
        connection.execute(
            f"UPDATE {table} SET state = CAST(replace(CAST(state AS TEXT), 'item', 'ITEM') "
            "AS BLOB) WHERE rowid = ?",
            (position,),
        )
    finally:
        connection.close()


def test_each_organisation_keeps_its_own_key_record(store: str) -> None:
    key = "MDEyMzQ1Njc4OWFiY2RlZg=="  # 16 bytes
    secret = open_ledger(store, create=True, encryption_key=key, org="WMP")
    plain = open_ledger(store, create=True, org="COLP")
    single = open_ledger(store, create=True)
    try:
        fill(secret, "ROADS")  # encrypted, beside ledgers in clear: each its own record
        fill(plain, "FRAUD")
        fill(single, "CUSTODY")
        assert secret.encrypted and not plain.encrypted and not single.encrypted
    finally:
        for ledger in (secret, plain, single):
            ledger.close()
    without = open_ledger(store, create=True, org="WMP")
    try:
        with pytest.raises(LedgerError, match="this ledger is encrypted"):
            fill(without, "LATER")
    finally:
        without.close()


def test_each_organisations_users_passwords_and_feeds_are_its_own(
    filled: dict[str | None, Ledger],
) -> None:
    wmp, colp, single = filled["WMP"], filled["COLP"], filled[None]
    wmp.credentials.set_password("Alice", "a long enough password")
    assert wmp.credentials.check_password("alice", "a long enough password") is not None
    assert colp.credentials.check_password("alice", "a long enough password") is None
    assert single.credentials.sessions_from("alice") is None
    colp.credentials.set_password("Alice", "another long password")
    assert wmp.credentials.check_password("alice", "another long password") is None
    for _ in range(6):  # a name locked in one organisation is not locked in another
        wmp.credentials.attempt("alice")
    assert wmp.credentials.attempt("alice") > 0
    assert colp.credentials.attempt("alice") == 0
    token = wmp.feeds.new("Alice")
    assert wmp.feeds.owner_of(token) == "alice"
    assert colp.feeds.owner_of(token) is None and single.feeds.owner_of(token) is None


# The names each keeps ------------------------------------------------------------------


def everything(target: str, orgs: tuple[str | None, ...]) -> None:
    """Every table and index a ledger makes, made for each of ``orgs``: events, chain,
    key record, passwords, sign-in attempts, feeds, and the read model caught up."""
    for org in orgs:
        ledger = open_ledger(target, create=True, org=org)
        try:
            fill(ledger, REPORTS[org])
            ledger.credentials.set_password("Alice", "a long enough password")
            ledger.credentials.attempt("alice")
            ledger.feeds.new("Alice")
        finally:
            ledger.close()
        board_keys(target, org)


def names(path: str) -> set[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        return {
            (str(kind), str(name))
            for kind, name in connection.execute("SELECT type, name FROM sqlite_master")
        }
    finally:
        connection.close()


def named_for(prefix: str, found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The single ledger's names as an organisation's (SQLite names the index of a key
    after its table)."""
    auto = "sqlite_autoindex_"
    return {
        (kind, auto + prefix + name.removeprefix(auto) if name.startswith(auto) else prefix + name)
        for kind, name in found
    }


def test_on_sqlite_every_table_and_index_of_an_organisation_is_named_with_its_prefix(
    tmp_path: Any,
) -> None:
    alone = str(tmp_path / "alone.db")
    everything(alone, (None,))
    single = names(alone)
    # what today's ledger makes, named as it always was
    assert {("table", "stored_events"), ("table", "ragw_chain"), ("table", "ragw_spans")} <= single
    assert ("index", "ragw_spans_as_known") in single and len(single) > 25
    shared = str(tmp_path / "shared.db")
    everything(shared, ("WMP", None, "COLP"))
    assert names(shared) == single | named_for("org_wmp__", single) | named_for(
        "org_colp__", single
    )


@pytest.mark.postgres
def test_on_postgresql_each_organisation_has_every_table_and_index_in_its_own_schema(
    postgres: Any,
) -> None:
    target = postgres.create_database("ragw_orgs_names")
    schemas(target, "org_wmp", "org_colp")
    everything(target, ("WMP", None, "COLP"))
    with connect(target) as connection:
        found: dict[str, set[tuple[str, str]]] = {}
        for kind, name, schema in connection.execute(
            "SELECT 'table', tablename, schemaname FROM pg_tables UNION ALL "
            "SELECT 'index', indexname, schemaname FROM pg_indexes"
        ).fetchall():
            found.setdefault(schema, set()).add((kind, name))
    assert ("table", "ragw_events") in found["public"] and ("table", "ragw_spans") in found[
        "public"
    ]
    assert found["org_wmp"] == found["org_colp"] == found["public"]


def test_each_organisations_read_model_is_of_this_layout_and_a_redefined_index_shows_in_its_own_alone(
    filled: dict[str | None, Ledger], store: str
) -> None:
    for org in REPORTS:
        board_keys(store, org)
    for ledger in filled.values():
        stored = Stored(ledger, store)
        try:
            assert schema_difference(stored) is None
        finally:
            stored.close()
    if is_postgres(store):
        return  # a column's type is checked there, in the organisation's schema alike
    connection = sqlite3.connect(store, isolation_level=None)
    try:  # an index redefined in the file would leave rows out of the answers
        connection.execute("DROP INDEX org_wmp__ragw_board_key")
        connection.execute("CREATE INDEX org_wmp__ragw_board_key ON org_wmp__ragw_board (key)")
    finally:
        connection.close()
    found = {}
    for org, ledger in filled.items():
        stored = Stored(ledger, store)
        try:
            found[org] = schema_difference(stored)
        finally:
            stored.close()
    assert found["COLP"] is None and found[None] is None
    assert found["WMP"] is not None and found["WMP"].key == "org_wmp__ragw_board_key"


def both(name: str, value: str) -> dict[str, str]:
    """A setting under both its names: the settings ragw gives carry both."""
    return {name: value, f"RAGW_{name}": value}


def test_stray_settings_in_the_environment_move_neither_the_events_nor_the_model(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = str(tmp_path / "shared.db")
    wmp = open_ledger(target, create=True, org="WMP")
    wmp.close()
    for name, value in (("SQLITE_TABLE_PREFIX", "org_wmp__"), ("ORGANISATION", "WMP")):
        monkeypatch.setenv(name, value)
        monkeypatch.setenv(f"RAGW_{name}", value)
    single = open_ledger(target, create=True)
    assert single.org is None
    assert single.recorder.events_table_name == "stored_events"  # type: ignore[attr-defined]
    single.close()


def test_a_table_prefix_that_is_not_an_organisations_is_refused(tmp_path: Any) -> None:
    env = {
        **storage_env(str(tmp_path / "x.db")),
        **both("SQLITE_TABLE_PREFIX", "x; DROP TABLE y; --"),
    }
    with pytest.raises(LedgerError, match="not the prefix of an organisation's tables"):
        LedgerApplication(env=env)


# Writers and followers on PostgreSQL ----------------------------------------------------


def short_waits(target: str, org: str) -> Ledger:
    """``org``'s ledger, whose writes wait at most a second for a lock."""
    return LedgerApplication(
        env={**storage_env(target, org=org), **both("POSTGRES_LOCK_TIMEOUT", "1")}
    )


@pytest.mark.postgres
def test_on_postgresql_a_lock_on_one_organisations_events_does_not_stop_anothers_writes(
    postgres: Any,
) -> None:
    target = postgres.create_database("ragw_orgs_locks")
    schemas(target, "org_wmp", "org_colp")
    wmp, colp = short_waits(target, "WMP"), short_waits(target, "COLP")
    try:
        fill(colp, "FRAUD")
        with connect(target) as holder:  # a transaction holding COLP's events locked
            holder.execute("SET idle_in_transaction_session_timeout = '20s'")  # never hangs
            holder.execute("LOCK TABLE org_colp.ragw_events IN EXCLUSIVE MODE")
            fill(wmp, "ROADS")  # would fail after a second, were it waiting for COLP's lock
            with connect(target, org="COLP") as other:  # as COLP's writers would wait
                other.execute("SET lock_timeout = '100ms'")
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    other.execute("LOCK TABLE ragw_events IN EXCLUSIVE MODE")
            holder.rollback()
        assert wmp.last_position() == 3
    finally:
        wmp.close()
        colp.close()


@pytest.mark.postgres
def test_on_postgresql_an_organisations_model_is_created_without_waiting_for_anothers(
    postgres: Any,
) -> None:
    target = postgres.create_database("ragw_orgs_model_lock")
    schemas(target, "org_wmp")
    reading: dict[str, list[str]] = {}
    with connect(target) as holder:  # the single ledger's model being created meanwhile
        holder.execute("SELECT pg_advisory_xact_lock(hashtext('ragw_read_model'))")
        worker = threading.Thread(target=lambda: reading.update(keys=board_keys(target, "WMP")))
        worker.start()
        worker.join(timeout=20)
        waited = worker.is_alive()
        holder.rollback()
    worker.join()
    assert not waited and reading["keys"] == []


@pytest.mark.postgres
def test_on_postgresql_an_organisations_follower_is_woken_by_its_own_writes_alone(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = postgres.create_database("ragw_orgs_follow")
    schemas(target, "org_wmp", "org_colp")
    wmp, colp = (
        open_ledger(target, create=True, org="WMP"),
        open_ledger(target, create=True, org="COLP"),
    )
    single = open_ledger(target, create=True)
    assert single.recorder.channel_name == "ragw_events"  # type: ignore[attr-defined]
    assert wmp.recorder.channel_name == "org_wmp_ragw_events"  # type: ignore[attr-defined]
    heard: list[CaughtUp] = []
    woken: list[CaughtUp] = []  # every catch-up, whether or not it applied anything

    def counted(session: LedgerSession) -> CaughtUp:
        woken.append(catch_up(session))
        return woken[-1]

    monkeypatch.setattr(following, "catch_up", counted)
    stop = threading.Event()
    session = session_of(target, "WMP")
    # a poll far longer than the test: only a notification wakes it
    follower = threading.Thread(
        target=follow,
        args=(session,),
        kwargs={"poll": 600, "stopping": stop.is_set, "caught_up": heard.append},
    )
    follower.start()
    try:
        until(lambda: len(heard) == 1)  # the first catch-up, told whatever it applied
        fill(colp, "FRAUD")
        fill(single, "CUSTODY")
        time.sleep(1.5)
        assert len(woken) == 1
        fill(wmp, "ROADS")
        until(lambda: sum(done.applied for done in heard) == 3)
    finally:
        stop.set()
        follower.join(timeout=10)
        session.close()
        for ledger in (wmp, colp, single):
            ledger.close()
    assert not follower.is_alive()


def until(condition: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


@pytest.mark.postgres
def test_on_postgresql_a_sessions_own_connections_see_its_organisations_schema_alone(
    postgres: Any,
) -> None:
    target = postgres.create_database("ragw_orgs_connect")
    schemas(target, "org_wmp")
    for org, path in (("WMP", "org_wmp"), (None, '"$user", public')):
        session = session_of(target, org)
        try:
            with session.connect() as connection:
                assert connection.execute("SHOW search_path").fetchone() == (path,)
        finally:
            session.close()


@pytest.mark.postgres
def test_on_postgresql_a_models_creation_lock_held_by_anyone_is_waited_for_a_while_then_refused(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = postgres.create_database("ragw_orgs_model_lock_held")
    schemas(target, "org_wmp")
    monkeypatch.setattr("projections.store.database.CREATION_WAIT", 1)
    with connect(target) as holder:  # any login may hold an advisory lock of any name
        holder.execute("SELECT pg_advisory_lock(hashtext('org_wmp.ragw_read_model'))")
        started = time.monotonic()
        with pytest.raises(LedgerError, match="lock timeout"):
            board_keys(target, "WMP")
        assert time.monotonic() - started < 15
    assert board_keys(target, "WMP") == []  # once it is let go, the model is created
