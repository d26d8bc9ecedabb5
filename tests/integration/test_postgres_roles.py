"""On PostgreSQL the actor is the authenticated database login, and the server itself
keeps recorded events append-only for the roles ragw creates (`ragw admin init-roles`)."""

from __future__ import annotations

import itertools
import json
import os
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_verify import history

pytestmark = pytest.mark.postgres
_logins = itertools.count(1)


def cli(url: str, *args: str, actor: str | None = None, code: int = 0) -> str:
    options = ["--actor", actor] if actor else []
    result = CliRunner().invoke(main, ["--db", url, *options, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def as_login(url: str, login: str) -> str:
    """The same database, logged in as ``login``."""
    rest = url.split("@", 1)[1]
    return f"postgresql://{login}:secret@{rest}"


@pytest.fixture
def ledger_with_logins(postgres: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A ledger whose owner ran init-roles, with an owner login and an auditor login."""
    url = postgres.create_database(f"ragw_roles_{os.getpid()}_{next(_logins)}")
    history(lambda *args, code=0: cli(url, *args, actor="Strategic Development", code=code))
    cli(url, "assign", "R/1", "Head of Roads", actor="Strategic Development")
    cli(url, "assign", "R/2", "DCI Crime", actor="Strategic Development")
    assert "append-only" in cli(url, "admin", "init-roles")
    suffix = f"{os.getpid()}_{next(_logins)}"
    alice, audit = f"alice_{suffix}", f"audit_{suffix}"
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    cli(url, "admin", "add-login", alice, "--role", "owner")
    cli(url, "admin", "add-login", audit, "--role", "auditor")
    cli(url, "role", "grant", "postgres", "governance", actor="postgres")
    cli(url, "role", "grant", alice, "owner", "--acts-for", "Head of Roads")
    cli(url, "role", "grant", audit, "auditor")
    return {
        "owner": url,
        "alice": as_login(url, alice),
        "audit": as_login(url, audit),
        "alice_name": alice,
    }


def test_the_actor_is_the_database_login_not_a_flag(ledger_with_logins: dict[str, str]) -> None:
    alice = ledger_with_logins["alice"]
    cli(alice, "note", "R/1", "Contract signed")
    last = json.loads(cli(alice, "history", "R/1", "--format", "json"))["events"][-1]
    assert last["actor"] == ledger_with_logins["alice_name"]
    error = cli(alice, "note", "R/1", "As someone else", actor="Strategic Development", code=1)
    assert "you act as your database login" in error
    assert "needs its owner or governance" in cli(alice, "note", "R/2", "Not mine", code=1)


def test_the_server_refuses_to_change_recorded_events(ledger_with_logins: dict[str, str]) -> None:
    for who in ("alice", "owner"):  # an app login, and even the tables' owner
        with psycopg.connect(ledger_with_logins[who], autocommit=True) as connection:
            for statement in (
                "UPDATE ragw_events SET topic = topic",
                "DELETE FROM ragw_events",
                "TRUNCATE ragw_events",
                "UPDATE ragw_chain SET link = link",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
    assert cli(ledger_with_logins["owner"], "verify").startswith("ok:")


def test_an_auditor_login_reads_but_the_server_refuses_its_writes(
    ledger_with_logins: dict[str, str],
) -> None:
    audit = ledger_with_logins["audit"]
    assert json.loads(cli(audit, "board", "--format", "json"))["items"]
    assert "is auditor here" in cli(audit, "note", "R/1", "Looks fine", code=1)
    with (
        psycopg.connect(audit, autocommit=True) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute(
            "INSERT INTO ragw_events (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version + 100, topic, state FROM ragw_events "
            "LIMIT 1"
        )


def test_an_owner_login_claims_completion_and_only_a_governance_login_signs_it_off(
    ledger_with_logins: dict[str, str],
) -> None:
    owner, alice = ledger_with_logins["owner"], ledger_with_logins["alice"]
    cli(
        owner, "role", "grant", ledger_with_logins["alice_name"], "owner", "--acts-for", "DCI Crime"
    )
    assert "GREEN needs sign-off" in cli(alice, "status", "R/2", "GREEN", code=1)
    cli(alice, "complete", "R/2", "--evidence", "New system live")
    assert "signing off needs governance" in cli(alice, "sign-off", "R/2", code=1)
    cli(owner, "sign-off", "R/2", "--note", "Seen it working")
    events = json.loads(cli(owner, "history", "R/2", "--format", "json"))["events"]
    assert [(e["type"], e["actor"]) for e in events[-2:]] == [
        ("CompletionClaimed", ledger_with_logins["alice_name"]),
        ("SignedOff", "postgres"),
    ]
    item = json.loads(cli(alice, "board", "--format", "json"))["items"][1]
    assert (item["key"], item["status"], item["pending"]) == ("R/2", "GREEN", None)


def test_an_event_a_writer_login_records_by_hand_in_another_name_fails_verify(
    ledger_with_logins: dict[str, str],
) -> None:
    """The chain needs no secret, so a writer's login can bypass ragw and record in
    governance's name; the server notes who really inserted it, and verify names it."""
    from ledger import open_ledger

    alice, owner = ledger_with_logins["alice"], ledger_with_logins["owner"]
    cli(alice, "note", "R/1", "Contract signed")  # in her own name: as it should be
    assert cli(owner, "verify").startswith("ok:")
    by_hand = open_ledger(alice, create=False)
    try:
        by_hand.change_status("R/2", "GREEN", reason="Signed off", actor="postgres")
    finally:
        by_hand.close()
    error = cli(owner, "verify", code=1)
    assert error.startswith("Error: event R/2@") and "'postgres'" in error, error
    assert repr(ledger_with_logins["alice_name"]) in error, error


def test_no_login_may_rewrite_or_remove_the_servers_notes_of_who_recorded(
    ledger_with_logins: dict[str, str],
) -> None:
    cli(ledger_with_logins["alice"], "note", "R/1", "Contract signed")
    for who in ("alice", "audit"):
        with psycopg.connect(ledger_with_logins[who], autocommit=True) as connection:
            assert connection.execute("SELECT COUNT(*) FROM ragw_recorded_by").fetchone()[0] == 1
            for statement in (
                "UPDATE ragw_recorded_by SET login = 'postgres'",
                "DELETE FROM ragw_recorded_by",
                "TRUNCATE ragw_recorded_by",
                "INSERT INTO ragw_recorded_by VALUES (999, 'postgres')",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
    with psycopg.connect(ledger_with_logins["owner"], autocommit=True) as connection:
        for statement in (
            "UPDATE ragw_recorded_by SET login = 'x'",
            "DELETE FROM ragw_recorded_by",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


def test_only_the_tables_owner_keeps_passwords_so_a_writer_login_adds_no_user(
    ledger_with_logins: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passwords are kept where writers' logins cannot reach them (a writer who could
    would set governance's password and sign in as governance): a governance login's
    user add is refused before it records anything."""
    owner = ledger_with_logins["owner"]
    gov = f"gov_{os.getpid()}_{next(_logins)}"
    cli(owner, "admin", "add-login", gov, "--role", "governance")
    cli(owner, "role", "grant", gov, "governance")
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "a password long enough")
    before = len(json.loads(cli(owner, "log", "--format", "json"))["events"])
    error = cli(as_login(owner, gov), "user", "add", "Alice Smith", code=1)
    assert error.startswith("Error: this database login may not") and "owner" in error
    assert len(error.splitlines()) == 1
    assert len(json.loads(cli(owner, "log", "--format", "json"))["events"]) == before
    cli(owner, "user", "add", "postgres")  # the tables' owner may
    error = cli(as_login(owner, gov), "user", "password", "postgres", code=1)
    assert "may not" in error
    types = [e["type"] for e in json.loads(cli(owner, "log", "--format", "json"))["events"]]
    assert types.count("UserAdded") == 1 and "PasswordChanged" not in types


def test_a_link_naming_no_event_is_refused_by_the_server(
    ledger_with_logins: dict[str, str],
) -> None:
    """Writers insert links, as their writes link their events: one written by hand for
    a position holding no event would stand as the chain's head and refuse every later
    write. The server refuses it; the ledger writes and verifies on."""
    alice = ledger_with_logins["alice"]
    with psycopg.connect(alice, autocommit=True) as connection, pytest.raises(psycopg.Error):
        connection.execute(
            "INSERT INTO ragw_chain VALUES ((SELECT max(position) + 1 FROM ragw_chain), "
            "repeat('0', 64))"
        )
    cli(alice, "note", "R/1", "Contract signed")
    assert cli(ledger_with_logins["owner"], "verify").startswith("ok:")


def test_two_logins_whose_names_read_as_one_act_with_neither_ones_roles(
    ledger_with_logins: dict[str, str],
) -> None:
    """ragw's roles match names whatever their case: a login ALICE beside alice would
    act with alice's roles. Either is refused, with nothing recorded, until one goes."""
    owner, alice = ledger_with_logins["owner"], ledger_with_logins["alice_name"]
    cli(owner, "admin", "add-login", alice.upper(), "--role", "owner")
    before = cli(owner, "log", "--format", "json")
    for login in (alice.upper(), alice):
        error = cli(as_login(owner, login), "note", "R/1", "Me too", code=1)
        assert "read as one name in this ledger's roles" in error, error
    assert cli(owner, "log", "--format", "json") == before


def test_a_url_naming_no_login_acts_as_the_login_the_server_authenticated(
    ledger_with_logins: dict[str, str],
) -> None:
    """With no user in the URL the driver logs in as the system's user (as peer
    authentication and a .pgpass expect): the actor is who the server says logged in,
    here the test's own system user, given a login and a role first."""
    import getpass

    owner, me = ledger_with_logins["owner"], getpass.getuser()
    with psycopg.connect(owner, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (me,))
        made = exists.fetchone() is not None
    if not made:  # a login is the server's, not one database's: made once a server
        cli(owner, "admin", "add-login", me, "--role", "owner")
    cli(owner, "role", "grant", me, "owner", "--acts-for", "Head of Roads")
    url = "postgresql://" + owner.split("@", 1)[1]
    cli(url, "note", "R/1", "Contract signed")
    last = json.loads(cli(url, "history", "R/1", "--format", "json"))["events"][-1]
    assert last["actor"] == me


def test_an_event_recorded_in_a_case_variant_of_its_login_s_name_fails_verify(
    ledger_with_logins: dict[str, str],
) -> None:
    """ragw records the login the server authenticated, letter for letter: an event by
    hand naming the login's name in other letters' case (as login ALICE writing as alice
    would) is named by verify."""
    from ledger import open_ledger

    alice, owner = ledger_with_logins["alice"], ledger_with_logins["owner"]
    by_hand = open_ledger(alice, create=False)
    try:
        by_hand.note_progress("R/1", "By hand", actor=ledger_with_logins["alice_name"].upper())
    finally:
        by_hand.close()
    error = cli(owner, "verify", code=1)
    assert error.startswith("Error: event R/1@"), error
    assert repr(ledger_with_logins["alice_name"].upper()) in error, error


def test_init_roles_warns_when_its_groups_already_reach_another_database_of_the_server(
    postgres: Any,
) -> None:
    """Roles are the server's: a second ragw database set up on the same server gives its
    groups (and every login in them) the first one too, and set-up says so."""
    first = postgres.create_database(f"ragw_shared_a_{os.getpid()}_{next(_logins)}")
    second = postgres.create_database(f"ragw_shared_b_{os.getpid()}_{next(_logins)}")
    for url in (first, second):
        history(lambda *args, code=0, url=url: cli(url, *args, actor="Governance", code=code))
    cli(first, "admin", "init-roles")
    result = CliRunner().invoke(main, ["--db", second, "admin", "init-roles"])
    assert result.exit_code == 0, result.output
    assert "append-only" in result.stdout
    warning = result.stderr
    assert warning.startswith("warning: ragw_writer, ragw_reader and ragw_follower may also")
    assert first.rsplit("/", 1)[1] in warning and "a server of its own" in warning
    assert second.rsplit("/", 1)[1] not in warning
