"""Organisations sharing one store, driven as users drive them: `ragw org add` makes an
organisation's own ledger (its identity its first event) and records it in the store's
register; `ragw --org CODE` runs every command on that organisation's ledger alone; an
organisation the store does not hold is refused, never created."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from tests.cli.test_restore_checks import nothing_written
from tests.national_store import add_recommendation_9, add_report

ACTOR = "Strategic Development"


@pytest.fixture
def run(target: str):  # type: ignore[no-untyped-def]
    def invoke(*args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
        result = CliRunner().invoke(main, ["--db", target, "--actor", ACTOR, *args], env=env)
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return invoke


def add_two_forces(run: Any) -> None:
    run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    run("org", "add", "colp", "--name", "City of London Police", "--kind", "FORCE")


def report(run: Any, *org: str) -> None:
    add_report(run, *org, title="Fraud")


def test_adding_an_organisation_records_it_in_its_own_ledger_and_in_the_register(
    run: Any, target: str
) -> None:
    out = run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    assert out.splitlines() == [
        "recorded org:WMP@1 in WMP's own ledger",
        "recorded org:WMP@1 in the register",
    ]
    listed = json.loads(run("org", "list", "--format", "json"))["organisations"]
    assert [(o["code"], o["name"], o["kind"]) for o in listed] == [
        ("WMP", "West Midlands Police", "force")
    ]
    own = json.loads(run("--org", "WMP", "log", "--format", "json"))
    assert [(e["id"], e["type"], e["code"], e["kind"]) for e in own["events"]] == [
        ("org:WMP@1", "OrganisationAdded", "WMP", "force")
    ]
    ledger = open_ledger(target, create=False, org="WMP")
    try:
        identity = ledger.identity()
        assert identity is not None and (identity.name, identity.kind) == (
            "West Midlands Police",
            "force",
        )
    finally:
        ledger.close()


def test_each_organisation_sees_only_its_own_reports_and_the_single_ledger_is_unchanged(
    run: Any,
) -> None:
    add_two_forces(run)
    report(run, "--org", "WMP")
    add_recommendation_9(run, "--org", "WMP", text="Tackle fraud", to=None, due="2020-03-31")
    run("--org", "WMP", "status", "FRAUD19/9", "GREEN")
    wmp = json.loads(run("--org", "WMP", "board", "--format", "json"))
    assert [(i["key"], i["status"]) for i in wmp["items"]] == [("FRAUD19/9", "GREEN")]
    assert json.loads(run("--org", "COLP", "board", "--format", "json"))["items"] == []
    assert json.loads(run("board", "--format", "json"))["items"] == []
    run("--org", "COLP", "history", "FRAUD19/9", code=1)


def test_ragw_org_from_the_environment_is_the_same_as_the_option(run: Any) -> None:
    add_two_forces(run)
    run(
        "report",
        "add",
        "R1",
        "--title",
        "T",
        "--scope",
        "force",
        "--published",
        "2019-04-02",
        env={"RAGW_ORG": "colp"},
    )
    assert "R1" in run("--org", "COLP", "log")
    assert "R1" not in run("--org", "WMP", "log")
    assert "R1" not in run("log")


def test_verify_of_one_organisation_checks_its_own_chain_with_its_identity(run: Any) -> None:
    add_two_forces(run)
    report(run, "--org", "WMP")
    run("--org", "WMP", "board")  # the read model is derived too
    out = run("--org", "WMP", "verify", "--rules")
    assert "ok: 2 events, every link matches" in out
    assert "ok: 2 events replayed" in out
    assert "ok: 1 event, every link matches" in run("--org", "COLP", "verify")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["org", "add", "1WMP", "--name", "X", "--kind", "force"], "not an organisation code"),
        (["org", "add", "W", "--name", "X", "--kind", "force"], "not an organisation code"),
        (["org", "add", "WMP-1", "--name", "X", "--kind", "force"], "not an organisation code"),
        (["org", "add", "WMP", "--name", "X", "--kind", "police"], "not a kind of organisation"),
        (["org", "add", "WMP", "--name", "  ", "--kind", "force"], "--name"),
    ],
)
def test_a_bad_organisation_is_refused_in_one_line_and_nothing_is_recorded(
    run: Any, target: str, args: list[str], says: str
) -> None:
    run("report", "add", "R1", "--title", "T", "--scope", "force", "--published", "2019-04-02")
    error = run(*args, code=1)
    assert error.startswith("Error: ") and len(error.strip().splitlines()) == 1
    assert says in error
    assert json.loads(run("org", "list", "--format", "json"))["organisations"] == []
    assert len(json.loads(run("log", "--format", "json"))["events"]) == 1


def test_a_code_in_the_register_is_refused_and_nothing_more_is_recorded(run: Any) -> None:
    run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    error = run("org", "add", "wmp", "--name", "Other", "--kind", "pcc", code=1)
    assert error.startswith("Error: ") and len(error.strip().splitlines()) == 1
    assert "WMP is in the register already: WMP (West Midlands Police, force)" in error
    assert len(json.loads(run("org", "list", "--format", "json"))["organisations"]) == 1
    assert len(json.loads(run("--org", "WMP", "log", "--format", "json"))["events"]) == 1


def test_adding_again_after_a_failure_midway_completes_the_register(run: Any, target: str) -> None:
    run("report", "add", "R1", "--title", "T", "--scope", "force", "--published", "2019-04-02")
    own = open_ledger(target, create=True, org="WMP")  # the run that stopped midway
    try:
        own.add_organisation("WMP", name="West Midlands Police", kind="force", actor=ACTOR)
    finally:
        own.close()
    assert json.loads(run("org", "list", "--format", "json"))["organisations"] == []
    out = run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    assert out.splitlines() == [
        "WMP's own ledger held its addition already",
        "recorded org:WMP@1 in the register",
    ]
    assert len(json.loads(run("--org", "WMP", "log", "--format", "json"))["events"]) == 1
    error = run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force", code=1)
    assert "in the register already" in error


def test_completing_an_addition_with_another_name_is_refused(run: Any, target: str) -> None:
    own = open_ledger(target, create=True, org="WMP")
    try:
        own.add_organisation("WMP", name="West Midlands Police", kind="force", actor=ACTOR)
    finally:
        own.close()
    error = run("org", "add", "WMP", "--name", "West Mercia Police", "--kind", "force", code=1)
    assert "names it WMP (West Midlands Police, force) already" in error
    assert json.loads(run("org", "list", "--format", "json"))["organisations"] == []


def test_an_organisation_the_store_does_not_hold_is_refused_and_not_created(
    run: Any, target: str
) -> None:
    run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    for args in (
        ["board"],
        ["report", "add", "R1", "--title", "T", "--scope", "force", "--published", "2019-04-02"],
    ):
        error = run("--org", "WMPX", *args, code=1)
        assert error.startswith("Error: ") and len(error.strip().splitlines()) == 1
        assert "holds no organisation WMPX; add it with `ragw org add WMPX" in error
    with pytest.raises(Exception, match="holds no organisation WMPX"):
        open_ledger(target, create=False, org="WMPX")
    assert [
        o["code"] for o in json.loads(run("org", "list", "--format", "json"))["organisations"]
    ] == ["WMP"]


def test_an_organisation_code_that_is_no_code_is_refused_in_one_line(run: Any) -> None:
    error = run("--org", "no such!", "board", code=1)
    assert error.startswith("Error: ") and "not an organisation code" in error


def test_the_register_is_kept_without_an_organisation(run: Any) -> None:
    add_two_forces(run)
    error = run(
        "--org",
        "WMP",
        "org",
        "add",
        "HMICFRS",
        "--name",
        "HMICFRS",
        "--kind",
        "inspectorate",
        code=1,
    )
    assert "leave out --org WMP" in error
    assert "leave out --org WMP" in run("--org", "WMP", "org", "list", code=1)


def test_an_organisation_in_the_store_is_described_in_the_log(run: Any) -> None:
    run("org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    out = run("log")
    assert "organisation HMICFRS added: 'HM Inspectorate' (inspectorate)" in out


@pytest.fixture
def register_backup(tmp_path: Path) -> list[dict[str, Any]]:
    """The lines of a register's backup: a report, then two organisations added."""
    db = str(tmp_path / "register.db")
    CliRunner().invoke(
        main,
        [
            "--db",
            db,
            "--actor",
            ACTOR,
            "report",
            "add",
            "R1",
            "--title",
            "T",
            "--scope",
            "force",
            "--published",
            "2019-04-02",
        ],
    )
    register = open_ledger(db, create=False)
    try:
        register.add_organisation("WMP", name="West Midlands Police", kind="force", actor=ACTOR)
        register.add_organisation("COLP", name="City of London", kind="force", actor=ACTOR)
    finally:
        register.close()
    backup = tmp_path / "backup.jsonl"
    result = CliRunner().invoke(main, ["--db", db, "export", "--out", str(backup)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in backup.read_text().splitlines()]


def restored(run: Any, tmp_path: Path, lines: list[dict[str, Any]], code: int = 0) -> str:
    path = tmp_path / "forged.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return str(run("restore", str(path), code=code))


def test_a_register_restores_with_its_organisations_and_verifies(
    run: Any, tmp_path: Path, register_backup: list[dict[str, Any]]
) -> None:
    assert [line["id"] for line in register_backup] == ["R1@1", "org:WMP@1", "org:COLP@1"]
    restored(run, tmp_path, register_backup)
    listed = json.loads(run("org", "list", "--format", "json"))["organisations"]
    assert [o["code"] for o in listed] == ["WMP", "COLP"]
    assert "ok: 3 events replayed" in run("verify", "--rules")


@pytest.mark.parametrize(
    ("forged", "says"),
    [
        ({"key": "org:wmp", "id": "org:wmp@1", "payload": {"code": "wmp"}}, "not written as"),
        ({"payload": {"kind": "police"}}, "not a kind of organisation"),
        ({"payload": {"kind": "Force"}}, "not written as it is kept"),
        ({"payload": {"name": " West Midlands Police"}}, "not trimmed"),
        ({"payload": {"name": "West\nMidlands"}}, "one line"),
        ({"payload": {"code": "COLP"}}, "its key is 'org:WMP'"),
        ({"key": "WMP", "id": "WMP@1"}, "belongs to an organisation's key"),
        ({"key": "org:W", "id": "org:W@1", "payload": {"code": "W"}}, "not an organisation code"),
    ],
)
def test_a_forged_organisation_is_refused_by_a_restore_and_nothing_is_written(
    run: Any,
    target: str,
    tmp_path: Path,
    register_backup: list[dict[str, Any]],
    forged: dict[str, Any],
    says: str,
) -> None:
    lines = [dict(line) for line in register_backup]
    fields = dict(forged)
    payload = fields.pop("payload", {})
    lines[1] = {**lines[1], **fields, "payload": {**lines[1]["payload"], **payload}}
    error = restored(run, tmp_path, lines, code=1)
    assert error.startswith("Error: ") and len(error.strip().splitlines()) == 1, error
    assert says in error, error
    assert nothing_written(target)


def test_an_organisation_added_twice_in_a_backup_is_refused(
    run: Any, tmp_path: Path, register_backup: list[dict[str, Any]]
) -> None:
    again = {**register_backup[1], "id": "org:WMP@2", "position": 4}
    error = restored(run, tmp_path, [*register_backup, again], code=1)
    assert "OrganisationAdded comes after its key was created" in error, error


def test_only_the_registers_governance_adds_an_organisation(run: Any, target: str) -> None:
    run("role", "grant", ACTOR, "governance")
    error = run(
        "--actor", "Someone Else", "org", "add", "WMP", "--name", "W", "--kind", "force", code=1
    )
    assert error.startswith("Error: ") and len(error.strip().splitlines()) == 1, error
    assert json.loads(run("org", "list", "--format", "json"))["organisations"] == []
    run("--org", "WMP", "board", code=1)  # its ledger was not made either


def test_an_organisation_added_by_someone_the_register_did_not_allow_is_refused(
    run: Any, target: str, tmp_path: Path
) -> None:
    db = str(tmp_path / "governed.db")
    granted = CliRunner().invoke(main, ["--db", db, "role", "grant", ACTOR, "governance"])
    assert granted.exit_code == 0, granted.output
    register = open_ledger(db, create=False)
    try:
        register.add_organisation("WMP", name="West Midlands Police", kind="force", actor=ACTOR)
    finally:
        register.close()
    backup = tmp_path / "backup.jsonl"
    assert CliRunner().invoke(main, ["--db", db, "export", "--out", str(backup)]).exit_code == 0
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    assert lines[-1]["id"] == "org:WMP@1"
    restored(run, tmp_path, lines)  # as recorded, it restores
    elsewhere = str(tmp_path / "forged.db")
    lines[-1] = {**lines[-1], "actor": "Someone Else"}
    path = tmp_path / "forged-actor.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = CliRunner().invoke(main, ["--db", elsewhere, "restore", str(path)])
    assert result.exit_code == 1, result.output
    assert "Someone Else could not have recorded it" in result.stderr


def another_store(target: str, tmp_path: Path, request: pytest.FixtureRequest, name: str) -> str:
    """A second, empty store of the same kind as ``target``."""
    if "://" not in target:
        return str(tmp_path / f"{name}.db")
    return str(request.getfixturevalue("postgres").create_database(f"{name}_{os.getpid()}"))


def ragw_at(store: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", store, "--actor", ACTOR, *args])
    assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
    return result.stdout if code == 0 else result.stderr


def test_an_organisations_backup_restores_as_that_organisation_in_another_store(
    run: Any, target: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    add_two_forces(run)
    report(run, "--org", "WMP")
    backup = tmp_path / "wmp.jsonl"
    run("--org", "WMP", "export", "--out", str(backup))
    other = another_store(target, tmp_path, request, "ragw_org_moved")
    ragw_at(other, "--org", "WMP", "restore", str(backup))
    again = ragw_at(other, "org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    assert again.splitlines() == [
        "WMP's own ledger held its addition already",
        "recorded org:WMP@1 in the register",
    ]
    assert ragw_at(other, "--org", "WMP", "log", "--format", "json") == run(
        "--org", "WMP", "log", "--format", "json"
    )
    third = another_store(target, tmp_path, request, "ragw_org_wrong")
    refused = ragw_at(third, "--org", "COLP", "restore", str(backup), code=1)
    assert "it adds organisation WMP, and this is organisation COLP's ledger" in refused


def test_a_single_ledgers_backup_becomes_an_organisations_ledger_in_a_shared_store(
    run: Any, target: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    report(run)
    backup = tmp_path / "single.jsonl"
    run("export", "--out", str(backup))
    shared = another_store(target, tmp_path, request, "ragw_org_joined")
    ragw_at(shared, "--org", "WMP", "restore", str(backup))
    added = ragw_at(
        shared, "org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force"
    )
    assert added.splitlines() == [
        "recorded org:WMP@1 in WMP's own ledger",
        "recorded org:WMP@1 in the register",
    ]
    events = json.loads(ragw_at(shared, "--org", "WMP", "log", "--format", "json"))["events"]
    assert [e["type"] for e in events] == ["ReportRegistered", "OrganisationAdded"]
    ragw_at(shared, "--org", "WMP", "verify")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--org", "", "report", "add", "OOPS", "--title", "T", "--scope", "force"),
            "--org is empty",
        ),
        (("--org", "WMP", "demo"), "run it without --org"),
    ],
)
def test_an_empty_organisation_or_a_demo_in_an_organisations_ledger_is_refused(
    run: Any, args: tuple[str, ...], said: str
) -> None:
    add_two_forces(run)
    before = run("log", "--format", "json")
    error = (
        run(*args, "--published", "2019-04-02", code=1) if "report" in args else run(*args, code=1)
    )
    assert error.startswith("Error: ") and len(error.splitlines()) == 1 and said in error, error
    assert run("log", "--format", "json") == before
    assert json.loads(run("--org", "WMP", "log", "--format", "json"))["events"][1:] == []
