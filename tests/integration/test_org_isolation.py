"""Organisations on one PostgreSQL database are kept apart by the server itself: after
each organisation's roles are set up, one organisation's logins are refused every table
of another's schema, and the single ledger's, whatever they send; inside its own schema
each group keeps what the single ledger's groups keep (writers append, readers read,
the follower alone writes the read model)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
import pytest

from ledger import open_ledger
from ledger.errors import InvalidInputError, LedgerError
from ledger.storage.settings import connect
from projections.usecases.access import add_login, groups, keep_history_append_only
from projections.usecases.session import LedgerSession

pytestmark = pytest.mark.postgres

ME = "setup"
ON = date(2021, 1, 4)
REFUSED = psycopg.errors.InsufficientPrivilege
_numbers = itertools.count(1)


@dataclass
class Org:
    """An organisation's ledger with its roles set up and a login of each kind."""

    code: str | None
    schema: str
    #: ragw role (owner, auditor, follower) to the login's URL and name
    urls: dict[str, str]
    names: dict[str, str]


def as_login(url: str, login: str) -> str:
    rest = url.split("@", 1)[1]
    return f"postgresql://{login}:secret@{rest}"


def session_of(target: str, org: str | None) -> LedgerSession:
    return LedgerSession(
        target, ME, open_ledger=lambda write: open_ledger(target, create=write, org=org)
    )


def set_up(target: str, code: str | None, *, stray: tuple[str, ...] = ()) -> Org:
    """Record a little in ``code``'s ledger (the single ledger for None), run the
    ``stray`` grants someone made by hand, set its roles up and add a login of each
    kind, as the store's owner."""
    schema = f"org_{code.lower()}" if code else "public"
    if code:
        with connect(target, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    ledger = open_ledger(target, create=True, org=code)
    try:
        report = code or "SINGLE"
        ledger.register_report(
            report, title=f"{report} roads", scope="force", published=ON, actor=ME, on=ON
        )
        ledger.issue_recommendation(
            report, "1", kind="recommendation", text="Fix the roads", actor=ME, on=ON
        )
    finally:
        ledger.close()
    with connect(target, autocommit=True) as connection:
        for grant in stray:
            connection.execute(grant)
    session = session_of(target, code)
    urls, names = {}, {}
    try:
        keep_history_append_only(session)
        for role in ("owner", "auditor", "follower"):
            name = f"{(code or 'single').lower()}_{role}_{os.getpid()}_{next(_numbers)}"
            add_login(session, name, "secret", role)
            urls[role], names[role] = as_login(target, name), name
    finally:
        session.close()
    return Org(code, schema, urls, names)


@pytest.fixture(scope="module")
def store(postgres: Any) -> Iterator[dict[str, Any]]:
    """Two organisations, NORTH and SOUTH, and the single ledger in one database; on
    SOUTH's schema someone granted too much before its roles were set up."""
    target = postgres.create_database(f"ragw_org_isolation_{os.getpid()}_{next(_numbers)}")
    single = set_up(target, None)
    north = set_up(target, "NORTH")
    south = set_up(target, "SOUTH", stray=STRAY)
    yield {"target": target, "north": north, "south": south, "single": single}


#: Grants made by hand on SOUTH's schema, which setting its roles up takes back.
STRAY = (
    "CREATE TABLE org_south.kept_aside (secret text)",
    "GRANT USAGE, CREATE ON SCHEMA org_south TO PUBLIC",
    "GRANT SELECT ON ALL TABLES IN SCHEMA org_south TO PUBLIC",
    "GRANT INSERT ON org_south.kept_aside TO ragw_writer, org_north_writer",
    "GRANT ALL ON org_south.ragw_events, org_south.ragw_chain TO ragw_writer",
    "GRANT USAGE ON SCHEMA org_south TO org_north_reader",
    "GRANT ALL ON SEQUENCE org_south.ragw_events_notification_id_seq TO PUBLIC",
    # as PostgreSQL before 15 left every database, and upgraded ones keep
    "GRANT CREATE ON SCHEMA public TO PUBLIC",
)


def test_no_organisations_login_can_plant_a_function_in_the_schema_every_path_holds(
    store: dict[str, Any],
) -> None:
    planted = "CREATE FUNCTION public.upper(varchar) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$"
    for org in ("north", "south", "single"):
        refused(store[org].urls["owner"], planted, "CREATE TABLE public.ragw_later (t text)")


def count(target: str, table: str) -> int:
    with connect(target) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def refused(url: str, *statements: str) -> None:
    """Each statement, sent alone in a transaction as the login of ``url``, is refused
    by the server."""
    with psycopg.connect(url) as connection:
        for statement in statements:
            try:
                connection.execute(statement)
            except REFUSED:
                connection.rollback()
            else:
                pytest.fail(f"the server let {url.split(':')[1][2:]} run: {statement}")


def test_one_organisations_writer_is_refused_every_table_of_another_and_of_the_single_ledger(
    store: dict[str, Any],
) -> None:
    target, north = store["target"], store["north"]
    own = "SELECT originator_id, originator_version + 100, topic, state FROM org_north.ragw_events"
    before = {t: count(target, t) for t in ("org_south.ragw_events", "public.ragw_events")}
    with psycopg.connect(north.urls["owner"], autocommit=True) as connection:
        assert connection.execute("SELECT COUNT(*) FROM org_north.ragw_events").fetchone()[0]
    refused(
        north.urls["owner"],
        "SELECT * FROM org_south.ragw_events",
        "SELECT * FROM org_south.ragw_chain",
        "SELECT * FROM org_south.ragw_key",
        "SELECT * FROM org_south.ragw_recorded_by",
        "SELECT * FROM org_south.ragw_tracking",
        "SELECT * FROM org_south.ragw_board",
        f"INSERT INTO org_south.ragw_events (originator_id, originator_version, topic, state) {own}",
        "INSERT INTO org_south.ragw_chain SELECT * FROM org_north.ragw_chain",
        "INSERT INTO org_south.ragw_tracking SELECT * FROM org_north.ragw_tracking",
        "UPDATE org_south.ragw_board SET key = key",
        "LOCK TABLE org_south.ragw_events IN EXCLUSIVE MODE",
        "SELECT * FROM public.ragw_events",
        "SELECT * FROM public.ragw_chain",
        "SELECT * FROM public.ragw_board",
        f"INSERT INTO public.ragw_events (originator_id, originator_version, topic, state) {own}",
        "INSERT INTO public.ragw_chain SELECT * FROM org_north.ragw_chain",
        "CREATE TABLE org_south.planted (i int)",
        "CREATE TABLE org_north.planted (i int)",
    )
    assert before == {t: count(target, t) for t in before}


def test_setting_the_search_path_to_another_organisations_schema_finds_nothing_there(
    store: dict[str, Any],
) -> None:
    with psycopg.connect(store["north"].urls["owner"], autocommit=True) as connection:
        connection.execute("SET search_path TO org_south")
        with pytest.raises(psycopg.errors.UndefinedTable):  # no USAGE: the schema is skipped
            connection.execute("SELECT * FROM ragw_events")
        connection.execute("SET search_path TO org_south, public")
        with pytest.raises(REFUSED):  # ... and the name lands on the single ledger's
            connection.execute("SELECT * FROM ragw_events")


def test_opening_another_organisations_ledger_as_ones_own_login_reads_nothing(
    store: dict[str, Any],
) -> None:
    with pytest.raises(LedgerError, match="permission denied for schema org_south"):
        open_ledger(store["north"].urls["owner"], create=False, org="SOUTH").close()


def test_only_an_organisations_own_groups_and_logins_may_use_its_schema(
    store: dict[str, Any],
) -> None:
    """Asked of the server for every role it knows: USAGE on a schema, and any privilege
    on any table of it, belong to that organisation's groups and their logins alone."""
    target = store["target"]
    with connect(target) as connection:
        for org in (store["north"], store["south"]):
            own = {*groups_of_org(target, org.code), *org.names.values()}
            users = connection.execute(
                "SELECT rolname FROM pg_roles WHERE NOT rolsuper AND rolname NOT LIKE 'pg\\_%%' "
                "AND has_schema_privilege(oid, %s, 'USAGE')",
                (org.schema,),
            ).fetchall()
            assert {row[0] for row in users} == own
            granted = connection.execute(
                "SELECT DISTINCT r.rolname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace, pg_roles r "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'S') AND NOT r.rolsuper "
                "AND r.rolname NOT LIKE 'pg\\_%%' AND (has_table_privilege(r.oid, c.oid, "
                "'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') "
                "OR (c.relkind = 'S' AND has_sequence_privilege(r.oid, c.oid, 'USAGE')))",
                (org.schema,),
            ).fetchall()
            assert {row[0] for row in granted} <= own
            assert groups_of_org(target, org.code)[0] in {row[0] for row in granted}


def groups_of_org(target: str, code: str | None) -> tuple[str, str, str]:
    session = session_of(target, code)
    try:
        return groups(session)
    finally:
        session.close()


def test_an_organisations_groups_are_named_after_it_and_the_single_ledger_keeps_ragws(
    store: dict[str, Any],
) -> None:
    target = store["target"]
    assert groups_of_org(target, "NORTH") == (
        "org_north_writer",
        "org_north_reader",
        "org_north_follower",
    )
    assert groups_of_org(target, None) == ("ragw_writer", "ragw_reader", "ragw_follower")
    with connect(target) as connection:
        joined = connection.execute(
            "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles m "
            "ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid WHERE m.rolname = ANY(%s)",
            ([*store["north"].names.values(), *store["single"].names.values()],),
        ).fetchall()
    north, single = store["north"].names, store["single"].names
    assert sorted(joined) == sorted(
        [
            (north["owner"], "org_north_writer"),
            (north["auditor"], "org_north_reader"),
            (north["follower"], "org_north_follower"),
            (single["owner"], "ragw_writer"),
            (single["auditor"], "ragw_reader"),
            (single["follower"], "ragw_follower"),
        ]
    )


def test_the_single_ledgers_logins_are_refused_every_organisations_tables(
    store: dict[str, Any],
) -> None:
    for role in ("owner", "follower"):
        refused(
            store["single"].urls[role],
            "SELECT * FROM org_north.ragw_events",
            "SELECT * FROM org_north.ragw_tracking",
            "UPDATE org_north.ragw_tracking SET position = position",
        )


def test_one_organisations_follower_writes_its_own_read_model_and_not_anothers(
    store: dict[str, Any],
) -> None:
    follower = store["north"].urls["follower"]
    with psycopg.connect(follower, autocommit=True) as connection:
        connection.execute("UPDATE org_north.ragw_tracking SET position = position")
    refused(
        follower,
        "UPDATE org_south.ragw_tracking SET position = position",
        "DELETE FROM org_south.ragw_board",
        "INSERT INTO org_south.ragw_tracking SELECT * FROM org_north.ragw_tracking",
        "UPDATE public.ragw_tracking SET position = position",
        "INSERT INTO org_north.ragw_events SELECT * FROM org_north.ragw_events LIMIT 0",
    )


def test_an_organisations_reader_reads_its_own_ledger_and_the_server_refuses_its_writes(
    store: dict[str, Any],
) -> None:
    reader = store["north"].urls["auditor"]
    with psycopg.connect(reader, autocommit=True) as connection:
        assert connection.execute("SELECT COUNT(*) FROM org_north.ragw_events").fetchone()[0]
        assert connection.execute("SELECT COUNT(*) FROM org_north.ragw_tracking").fetchone()[0]
    refused(
        reader,
        "INSERT INTO org_north.ragw_events SELECT * FROM org_north.ragw_events LIMIT 0",
        "INSERT INTO org_north.ragw_chain SELECT * FROM org_north.ragw_chain LIMIT 0",
        "UPDATE org_north.ragw_tracking SET position = position",
        "DELETE FROM org_north.ragw_board",
        "LOCK TABLE org_north.ragw_events IN EXCLUSIVE MODE",
        "SELECT * FROM org_south.ragw_events",
    )


def test_recorded_events_of_an_organisation_are_append_only_even_for_the_owner(
    store: dict[str, Any],
) -> None:
    for url in (store["north"].urls["owner"], store["target"]):
        refused(
            url,
            "UPDATE org_north.ragw_events SET topic = topic",
            "DELETE FROM org_north.ragw_chain",
            "TRUNCATE org_north.ragw_events",
            "TRUNCATE org_north.ragw_recorded_by",
        )


def test_a_writer_records_in_its_organisation_and_each_chain_verifies_alone(
    store: dict[str, Any],
) -> None:
    target, north = store["target"], store["north"]
    own = open_ledger(north.urls["owner"], create=False, org="NORTH")
    try:
        own.note_progress("NORTH/1", "Contract signed", actor=north.names["owner"], on=ON)
    finally:
        own.close()
    with connect(target) as connection:
        position, login = connection.execute(
            "SELECT position, login FROM org_north.ragw_recorded_by ORDER BY position DESC"
        ).fetchone()
    assert login == north.names["owner"]
    for code in ("NORTH", "SOUTH", None):
        ledger = open_ledger(target, create=False, org=code)
        try:
            verdict = ledger.verify()
            assert verdict.broken is None, (code, verdict)
            if code == "NORTH":
                assert verdict.head.position == position
        finally:
            ledger.close()


def test_a_writers_temporary_tables_cannot_hide_who_recorded_an_event(
    store: dict[str, Any],
) -> None:
    """The server notes who inserted each event in a function that runs as the tables'
    owner; temporary tables a writer makes (searched first unless told otherwise)
    named as the function's own cannot take the note, nor fake the table's owner."""
    north = store["north"]
    with psycopg.connect(north.urls["owner"]) as connection:  # one transaction, rolled back
        connection.execute("CREATE TEMP TABLE ragw_recorded_by (position bigint, login text)")
        connection.execute(
            "CREATE TEMP TABLE pg_class AS SELECT oid, "
            "(SELECT oid FROM pg_roles WHERE rolname = session_user) AS relowner "
            "FROM pg_catalog.pg_class WHERE oid = 'org_north.ragw_events'::regclass"
        )
        inserted = connection.execute(
            "INSERT INTO org_north.ragw_events (originator_id, originator_version, topic, "
            "state) SELECT originator_id, originator_version + 100, topic, state FROM "
            "org_north.ragw_events ORDER BY notification_id LIMIT 1 RETURNING notification_id"
        ).fetchone()[0]
        noted = connection.execute(
            "SELECT login FROM org_north.ragw_recorded_by WHERE position = %s", (inserted,)
        ).fetchone()
        assert noted == (north.names["owner"],)
        assert not connection.execute("SELECT * FROM pg_temp.ragw_recorded_by").fetchall()
        connection.rollback()
        # nor may it hang the owner's noting function on a table of its own
        connection.execute("CREATE TEMP TABLE mine (notification_id bigint)")
        with pytest.raises(REFUSED, match="permission denied for function"):
            connection.execute(
                "CREATE TRIGGER mine_noted AFTER INSERT ON mine REFERENCING NEW TABLE AS "
                "inserted FOR EACH STATEMENT EXECUTE FUNCTION org_north.ragw_note_login()"
            )
        connection.rollback()


def test_only_the_organisations_follower_keeps_its_read_model_up_to_date_itself(
    store: dict[str, Any],
) -> None:
    """A writer of the organisation given UPDATE on the model by hand still leaves it to
    the organisation's follower group (not the single ledger's)."""
    target, north = store["target"], store["north"]
    with connect(target, autocommit=True) as connection:
        connection.execute(f'GRANT UPDATE ON org_north.ragw_tracking TO "{north.names["owner"]}"')
    try:
        for role, writes in (("follower", True), ("owner", False), ("auditor", False)):
            session = session_of(north.urls[role], "NORTH")
            try:
                assert session.store().writable is writes, role
            finally:
                session.close()
    finally:
        with connect(target, autocommit=True) as connection:
            connection.execute(
                f'REVOKE UPDATE ON org_north.ragw_tracking FROM "{north.names["owner"]}"'
            )


def test_no_login_may_take_the_name_of_an_organisations_group(store: dict[str, Any]) -> None:
    """Else a login made before an organisation's roles were set up would be handed
    that organisation's schema by them."""
    target = store["target"]
    session = session_of(target, "NORTH")
    try:
        for name in ("org_west_writer", "ORG_WEST_FOLLOWER", "ragw_reader"):
            with pytest.raises(InvalidInputError, match="group roles"):
                add_login(session, name, "secret", "owner")
    finally:
        session.close()
    with connect(target, autocommit=True) as connection:
        connection.execute("CREATE ROLE org_west_reader LOGIN PASSWORD 'secret'")
    with pytest.raises(LedgerError, match="org_west_reader"):
        set_up(target, "WEST")
    with connect(target) as connection:
        used = connection.execute(
            "SELECT has_schema_privilege('org_west_reader', 'org_west', 'USAGE'), "
            "has_table_privilege('org_west_reader', 'org_west.ragw_events', 'SELECT')"
        ).fetchone()
    assert used == (False, False)


def test_an_organisation_whose_schema_holds_another_roles_objects_gets_no_grants(
    store: dict[str, Any],
) -> None:
    """Its owner would keep whatever it owns there, however the schema is closed, and
    a function of its own could stand in for the server's in the ledger's statements."""
    target, squatter = store["target"], f"squatter_{os.getpid()}_{next(_numbers)}"
    planted = (
        "CREATE SCHEMA IF NOT EXISTS org_east",
        f"CREATE ROLE {squatter} NOLOGIN",
        "CREATE TABLE org_east.planted (i int)",
        f"ALTER TABLE org_east.planted OWNER TO {squatter}",
        "CREATE FUNCTION org_east.lower(v varchar) RETURNS text LANGUAGE sql AS 'SELECT v'",
        f"ALTER FUNCTION org_east.lower(varchar) OWNER TO {squatter}",
    )
    with pytest.raises(LedgerError, match="lower, planted in the schema org_east belongs"):
        set_up(target, "EAST", stray=planted)
    with connect(target) as connection:
        assert connection.execute(
            "SELECT to_regrole('org_east_writer') IS NULL AND NOT has_schema_privilege("
            "%s, 'org_east', 'USAGE')",
            (squatter,),
        ).fetchone() == (True,)


def test_an_organisations_follower_keeps_its_model_and_its_people_read_their_board_from_it(
    store: dict[str, Any],
) -> None:
    """Through the use cases, as each login: the follower catches the organisation's
    model up in its schema, and a writer and a reader read the board from it."""
    from projections.usecases.board import board

    north = store["north"]
    follower = session_of(north.urls["follower"], "NORTH")
    try:
        model = follower.caught_up()
        assert model.position() == follower.ledger(write=False).last_position()
    finally:
        follower.close()
    for role in ("owner", "auditor"):
        session = session_of(north.urls[role], "NORTH")
        try:
            items = board(session, as_at=date(2021, 6, 1)).listed().items
            assert [item.key for item in items] == ["NORTH/1"], role
        finally:
            session.close()


@pytest.mark.parametrize("args", [("log",), ("--org", "SOUTH", "log"), ("org", "list")])
def test_a_command_an_organisations_login_may_not_run_is_refused_in_one_line(
    store: dict[str, Any], args: tuple[str, ...]
) -> None:
    from click.testing import CliRunner

    from cli.main import main

    result = CliRunner().invoke(main, ["--db", store["north"].urls["owner"], *args])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert "refused this login" in result.stderr or "permission denied" in result.stderr
