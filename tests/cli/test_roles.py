"""Who may do what: roles granted as events by governance; owners change only the items
they act for; auditors only read; refusals are one Error line and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_verify import history

GOV, ALICE, BOB, AUDIT = "Strategic Development", "Alice Smith", "Bob Jones", "Internal Audit"


@pytest.fixture
def target(tmp_path: Path) -> str:
    """A SQLite file, where the actor is the name given. On PostgreSQL it is the database
    login whatever the flag says: tests/integration/test_postgres_roles.py."""
    return str(tmp_path / "ragw.db")


def as_(target: str, actor: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", actor, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def events(target: str) -> int:
    return len(json.loads(as_(target, AUDIT, "log", "--format", "json"))["events"])


def controlled(target: str) -> None:
    history(lambda *args, code=0: as_(target, GOV, *args, code=code))
    as_(target, GOV, "assign", "R/1", "Head of Roads")
    as_(target, GOV, "assign", "R/2", "DCI Crime")
    as_(target, GOV, "role", "grant", GOV, "governance")
    as_(target, GOV, "role", "grant", ALICE, "owner", "--acts-for", "head of roads")
    as_(target, GOV, "role", "grant", BOB, "owner", "--acts-for", "DCI Crime")
    as_(target, GOV, "role", "grant", AUDIT, "auditor")


def refused(target: str, actor: str, *args: str) -> str:
    before = events(target)
    error = as_(target, actor, *args, code=1)
    assert error.startswith("Error: ") and error.count("\n") == 1, error
    assert events(target) == before, "a refused command wrote"
    return error


def test_the_first_role_granted_must_be_governance(target: str) -> None:
    history(lambda *args, code=0: as_(target, GOV, *args, code=code))
    assert "must be governance" in refused(
        target, GOV, "role", "grant", ALICE, "owner", "--acts-for", "Head of Roads"
    )


def test_an_owner_changes_their_own_items_and_is_refused_anyone_elses(target: str) -> None:
    controlled(target)
    assert as_(target, ALICE, "note", "R/1", "Contract signed").startswith("recorded R/1@")
    error = refused(target, ALICE, "note", "R/2", "Not mine")
    assert "changing R/2 (owned by DCI Crime) needs its owner or governance" in error
    refused(target, ALICE, "status", "R/2", "GREEN")
    refused(target, BOB, "extend", "R/1", "--to", "2022-01-31", "--reason", "x")
    assert as_(target, BOB, "status", "R/2", "RED", "--reason", "Late").startswith("recorded R/2@")


def test_an_auditor_reads_everything_and_changes_nothing(target: str) -> None:
    controlled(target)
    for command in (
        ["note", "R/1", "Looks fine"],
        ["status", "R/1", "GREEN"],
        ["report", "add", "S", "--title", "T", "--scope", "force", "--published", "2021-01-04"],
        ["committee", "add", "D", "--name", "N"],
        ["role", "grant", AUDIT, "governance"],
    ):
        assert "is auditor here" in refused(target, AUDIT, *command)
    assert json.loads(as_(target, AUDIT, "board", "--format", "json"))["items"]
    assert as_(target, AUDIT, "verify").startswith("ok:")


def test_only_governance_adds_reports_and_grants_roles(target: str) -> None:
    controlled(target)
    refused(
        target,
        ALICE,
        "report",
        "add",
        "S",
        "--title",
        "T",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
    )
    assert "granting roles needs governance" in refused(
        target, ALICE, "role", "grant", BOB, "governance"
    )
    assert "holds no role" in refused(target, "Mallory", "note", "R/1", "hello")


def test_roles_are_revoked_as_events_but_never_the_last_governance(target: str) -> None:
    controlled(target)
    as_(target, GOV, "role", "revoke", ALICE, "owner", "--acts-for", "Head of Roads")
    assert "holds no role" in refused(target, ALICE, "note", "R/1", "Still mine?")
    assert "last governance role" in refused(target, GOV, "role", "revoke", GOV, "governance")
    listed = json.loads(as_(target, AUDIT, "role", "list", "--format", "json"))
    assert {(r["name"], r["role"]) for r in listed["roles"]} == {
        (GOV, "governance"),
        (BOB, "owner"),
        (AUDIT, "auditor"),
    }
    log = json.loads(as_(target, AUDIT, "log", "--format", "json"))["events"]
    assert [e["type"] for e in log[-6:]] == [
        "AccessControlled",
        "RoleGranted",
        "RoleGranted",
        "RoleGranted",
        "RoleGranted",
        "RoleRevoked",
    ]


def test_revoking_an_owner_role_without_saying_for_whom_names_the_owners_it_is_held_for(
    target: str,
) -> None:
    controlled(target)
    said = refused(target, GOV, "role", "revoke", ALICE, "owner")
    assert "Alice Smith holds the owner role for 'head of roads'" in said
    assert "--acts-for" in said and "does not hold" not in said
    assert "does not hold that role" in refused(target, GOV, "role", "revoke", ALICE, "auditor")


def test_an_owner_applies_only_their_own_update_sheet(target: str, tmp_path: Path) -> None:
    controlled(target)
    sheet = tmp_path / "crime.xlsx"
    as_(target, GOV, "requests", "--owner", "DCI Crime", "--out", str(sheet))
    assert "applying DCI Crime's update sheet" in refused(target, ALICE, "apply", str(sheet))
    assert as_(target, BOB, "apply", str(sheet)).startswith("applied crime.xlsx")


def test_an_owner_may_not_retract_a_due_date_they_set_to_set_a_later_one_unjustified(
    target: str,
) -> None:
    """R/3, due "to be set", gets a due date from its owner; extensions wait for the
    committee's sign-off. Retracting that date would leave the item "to be set" again,
    and any later date could then be set with no reason and no sign-off: refused, so a
    later date goes through an extension. Governance may retract it."""
    controlled(target)
    as_(target, GOV, "rec", "add", "R", "3", "--kind", "afi", "--text", "Item 3", "--on",
        "2021-01-05")  # fmt: skip
    as_(target, GOV, "assign", "R/3", "Head of Roads")
    as_(target, GOV, "committee", "sign-off", "C", "--for", "extensions")
    as_(target, ALICE, "due", "R/3", "2021-06-30", "--on", "2021-02-01")
    last = json.loads(as_(target, AUDIT, "history", "R/3", "--format", "json"))["events"][-1]
    assert last["type"] == "DeadlineSet" and last["actor"] == ALICE
    error = refused(target, ALICE, "correct", last["id"], "--reason", "wrong date")
    assert f"{last['id']} set R/3's due date; {ALICE} may not retract it" in error
    # the date stands, and a later one is an extension waiting for sign-off
    refused(target, ALICE, "due", "R/3", "2030-12-31")
    as_(target, ALICE, "extend", "R/3", "--to", "2030-12-31", "--reason", "more time")
    board = {
        i["key"]: i for i in json.loads(as_(target, AUDIT, "board", "--format", "json"))["items"]
    }
    assert board["R/3"]["due"] == "2021-06-30" and board["R/3"]["pending"] is not None
    as_(target, GOV, "correct", last["id"], "--reason", "Governance may")


def test_no_due_date_is_set_in_front_of_one_given_later(target: str) -> None:
    """R/3 gets its due date on 1 February and is extended, signed off; a due date set
    back-dated to January would become its original date, the signed-off extension a
    move from it: refused, for the owner as for governance, and nothing is written."""
    controlled(target)
    as_(target, GOV, "rec", "add", "R", "3", "--kind", "afi", "--text", "Item 3", "--on",
        "2021-01-05")  # fmt: skip
    as_(target, GOV, "assign", "R/3", "Head of Roads")
    as_(target, ALICE, "due", "R/3", "2021-06-30", "--on", "2021-02-01")
    as_(target, ALICE, "extend", "R/3", "--to", "2021-12-31", "--reason", "late", "--on",
        "2021-03-01")  # fmt: skip
    for who in (ALICE, GOV):
        error = refused(target, who, "due", "R/3", "2021-12-31", "--on", "2021-01-20")
        assert "R/3 is due 2021-06-30 from 2021-02-01, after --on 2021-01-20" in error
    assert "original due 2021-06-30, current due 2021-12-31" in as_(target, AUDIT, "history", "R/3")


def test_an_owner_retracts_only_their_own_events_never_governances_decision(
    target: str,
) -> None:
    """Governance moves R/1 from GREEN to RED; the owner, who may not set GREEN without
    sign-off, may not retract governance's RED either (the item would be GREEN again
    past every sign-off). Its own note it retracts."""
    controlled(target)
    as_(target, GOV, "status", "R/1", "RED", "--reason", "Evidence found wanting")
    red = json.loads(as_(target, AUDIT, "history", "R/1", "--format", "json"))["events"][-1]
    assert red["type"] == "StatusChanged" and red["actor"] == GOV
    error = refused(target, ALICE, "correct", red["id"], "--reason", "I disagree")
    assert f"{red['id']} was recorded by {GOV}; {ALICE} may retract only" in error
    board = json.loads(as_(target, AUDIT, "board", "--format", "json"))["items"]
    assert {i["key"]: i["status"] for i in board}["R/1"] == "RED"
    as_(target, ALICE, "note", "R/1", "Typed on the wrong item")
    mine = json.loads(as_(target, AUDIT, "history", "R/1", "--format", "json"))["events"][-1]
    as_(target, ALICE, "correct", mine["id"], "--reason", "Wrong item")
    as_(target, GOV, "correct", red["id"], "--reason", "Governance may")
