"""A backup's national events restore only into the ledger that could have recorded
them: verdicts into an inspectorate's, on another organisation's items, each as its
rules give it; a report naming its origin into a force's, received from another
organisation. Forged ones are refused in one `Error:` line naming the line, with
nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_restore_checks import written
from tests.integration.test_postgres_roles import as_login

ACTOR = "Strategic Development"
Lines = list[dict[str, Any]]


def run(db: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", db, "--actor", ACTOR, *args])
    assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
    assert "Traceback" not in result.output
    return result.stdout if code == 0 else result.stderr


@pytest.fixture(scope="module")
def backups(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lines]:
    """The lines of an inspectorate's backup (a national report, its recommendation and
    a verdict on the force's item) and of the force's (the report received)."""
    folder = tmp_path_factory.mktemp("national")
    db = str(folder / "store.db")
    run(db, "org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    run(db, "org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    hm = ("--org", "HMICFRS")
    national = ("--scope", "national", "--published", "2019-04-02", "--on", "2019-04-02")
    run(db, *hm, "report", "add", "FRAUD19", "--title", "Fraud: Time to Choose", *national)
    item = ("--kind", "recommendation", "--text", "Respond to fraud victims")
    run(db, *hm, "rec", "add", "FRAUD19", "9", *item, "--to", "forces", "--on", "2019-04-02")
    run(db, *hm, "national", "issue", "--on", "2019-04-10")
    said = ("--reason", "No plan", "--on", "2019-11-15")
    run(db, *hm, "verdict", "WMP", "FRAUD19/9", "not-accepted", *said)
    found = {}
    for org in ("HMICFRS", "WMP"):
        out = folder / f"{org}.jsonl"
        run(db, "--org", org, "export", "--out", str(out))
        found[org] = [json.loads(line) for line in out.read_text().splitlines()]
    return found


def nothing_written(target: str, org: str | None) -> bool:
    if "://" not in target:
        return not Path(target).exists()
    where = ("--org", org) if org else ()
    result = CliRunner().invoke(main, ["--db", target, *where, "log", "--format", "json"])
    return result.exit_code != 0 or '"id"' not in result.stdout


def refused(target: str, tmp_path: Path, lines: Lines, org: str | None) -> str:
    where = ("--org", org) if org else ()
    said = run(target, *where, "restore", written(tmp_path, lines), code=1)
    assert len(said.splitlines()) == 1 and said.startswith("Error: "), said
    assert nothing_written(target, org)
    return said


def edited(lines: Lines, type_: str, nth: int = 0, **payload: Any) -> Lines:
    """``lines`` with the ``nth`` line of type ``type_`` given ``payload`` fields (a
    field ``key`` sets the line's key and id too)."""
    copy = [dict(line, payload=dict(line["payload"])) for line in lines]
    at = [i for i, line in enumerate(copy) if line["type"] == type_][nth]
    key = payload.pop("line_key", None)
    if key is not None:
        copy[at]["key"] = key
        copy[at]["id"] = f"{key}@{copy[at]['id'].rpartition('@')[2]}"
    copy[at]["payload"].update(payload)
    return copy


def verdict_lines(lines: Lines) -> Lines:
    return [line for line in lines if line["key"].startswith("verdicts:")]


def test_each_organisations_backup_restores_into_its_own_ledger_and_verifies(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    for org, lines in backups.items():
        run(target, "--org", org, "restore", written(tmp_path, lines, f"{org}.jsonl"))
        run(target, "--org", org, "verify", "--rules")
    listed = json.loads(run(target, "--org", "HMICFRS", "verdicts", "WMP", "--format", "json"))
    assert [v["verdict"] for v in listed["verdicts"]] == ["not-accepted"]


def test_verdicts_in_a_forces_ledger_are_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    force = backups["WMP"]
    last = force[-1]["position"]
    moved = [
        dict(line, position=last + n) for n, line in enumerate(verdict_lines(backups["HMICFRS"]), 1)
    ]
    said = refused(target, tmp_path, force + moved, "WMP")
    assert "verdicts are an inspectorate's, and this is WMP (West Midlands Police, force)" in said


def test_verdicts_in_the_ledger_of_no_organisation_are_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    said = refused(target, tmp_path, backups["HMICFRS"], None)
    assert "verdicts are an inspectorate's, and this is the ledger of no organisation" in said


def test_a_verdict_stream_naming_the_ledgers_own_organisation_is_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    lines = edited(backups["HMICFRS"], "VerdictsBegun", org="HMICFRS", line_key="verdicts:HMICFRS")
    lines = edited(lines, "VerdictGiven", line_key="verdicts:HMICFRS")
    said = refused(target, tmp_path, lines, "HMICFRS")
    assert "HMICFRS's own items" in said


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"key": " FRAUD19/9"}, "not written as it is kept"),
        ({"key": "FRAUD19"}, "FRAUD19"),
        ({"verdict": "done"}, "cannot be read"),
        ({"reason": " No plan"}, "reason must be trimmed"),
    ],
)
def test_a_verdict_no_command_gives_is_refused(
    backups: dict[str, Lines],
    target: str,
    tmp_path: Path,
    payload: dict[str, Any],
    says: str,
) -> None:
    said = refused(
        target, tmp_path, edited(backups["HMICFRS"], "VerdictGiven", **payload), "HMICFRS"
    )
    assert says in said


def test_a_verdict_stream_begun_for_an_unwritten_code_is_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    lines = edited(backups["HMICFRS"], "VerdictsBegun", org="wmp", line_key="verdicts:wmp")
    lines = edited(lines, "VerdictGiven", line_key="verdicts:wmp")
    assert "'wmp'" in refused(target, tmp_path, lines, "HMICFRS")


def test_a_verdict_dated_before_the_one_it_replaces_is_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    lines = backups["HMICFRS"]
    given = lines[-1]
    earlier = dict(
        given,
        id=given["id"].replace("@2", "@3"),
        position=given["position"] + 1,
        on="2019-11-01",
        payload={**given["payload"], "verdict": "accepted"},
    )
    said = refused(target, tmp_path, [*lines, earlier], "HMICFRS")
    assert "cannot take effect before the one it replaces (2019-11-15)" in said


def test_a_verdict_under_another_key_is_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    lines = edited(backups["HMICFRS"], "VerdictGiven", line_key="FRAUD19/9")
    assert "belongs to the verdicts on an organisation's items" in refused(
        target, tmp_path, lines, "HMICFRS"
    )


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"origin": "WMP"}, "names WMP, whose ledger this is, as its origin"),
        ({"origin": "hmicfrs"}, "not written as it is kept"),
        ({"origin": "1 BAD"}, "not an organisation code"),
    ],
)
def test_a_received_report_with_a_forged_origin_is_refused(
    backups: dict[str, Lines],
    target: str,
    tmp_path: Path,
    payload: dict[str, Any],
    says: str,
) -> None:
    said = refused(target, tmp_path, edited(backups["WMP"], "ReportRegistered", **payload), "WMP")
    assert says in said


@pytest.mark.parametrize("kind", ["pcc", "inspectorate"])
def test_a_report_received_by_a_ledger_not_a_forces_is_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path, kind: str
) -> None:
    lines = edited(backups["WMP"], "OrganisationAdded", kind=kind)
    assert "only a force receives national reports" in refused(target, tmp_path, lines, "WMP")


def test_a_report_naming_an_origin_in_the_ledger_of_no_organisation_is_refused(
    backups: dict[str, Lines], target: str, tmp_path: Path
) -> None:
    said = refused(target, tmp_path, backups["WMP"], None)
    assert "only a force receives national reports; this is the ledger of no" in said


def test_a_force_under_access_control_restores_what_the_inspectorate_issued_to_it(
    target: str, tmp_path: Path
) -> None:
    """The inspectorate's roles allowed the issue: the force's own roles, which the
    issuer holds none of, are not asked of it again on restore."""
    db = str(tmp_path / "store.db")
    run(db, "org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    run(db, "org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    run(db, "--org", "WMP", "role", "grant", "Chief Constable", "governance")
    hm = ("--org", "HMICFRS")
    national = ("--scope", "national", "--published", "2019-04-02", "--on", "2019-04-02")
    run(db, *hm, "report", "add", "FRAUD19", "--title", "Fraud: Time to Choose", *national)
    item = ("--kind", "recommendation", "--text", "Respond to fraud victims", "--to", "forces")
    run(db, *hm, "rec", "add", "FRAUD19", "9", *item, "--on", "2019-04-02")
    run(db, *hm, "national", "issue")
    backup = tmp_path / "wmp.jsonl"
    run(db, "--org", "WMP", "export", "--out", str(backup))
    run(target, "--org", "WMP", "restore", str(backup))
    run(target, "--org", "WMP", "verify", "--rules")
    board = json.loads(run(target, "--org", "WMP", "board", "--format", "json"))
    assert [i["key"] for i in board["items"]] == ["FRAUD19/9"]


def wmp_holds_nothing(target: str) -> bool:
    log = CliRunner().invoke(main, ["--db", target, "--org", "WMP", "log", "--format", "json"])
    return log.exit_code != 0 or '"id"' not in log.stdout


def test_a_force_encrypted_beside_an_inspectorate_in_clear_restores_what_it_received_checked(
    backups: dict[str, Lines], target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A force's backup restored under a key (how a ledger in clear is encrypted) into a
    store whose inspectorate is kept in clear: what it received is checked against the
    inspectorate's ledger, read without the key; a reworded item is refused, the backup
    as it was restores."""
    run(target, "--org", "HMICFRS", "restore", written(tmp_path, backups["HMICFRS"]))
    at = next(i for i, line in enumerate(backups["WMP"]) if line["key"] == "FRAUD19/9")
    forged = edited(backups["WMP"], backups["WMP"][at]["type"], text="FORGED: do nothing")
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", run(target, "admin", "new-key").strip())
    said = run(target, "--org", "WMP", "restore", written(tmp_path, forged), code=1)
    assert len(said.splitlines()) == 1 and "in these words" in said, said
    assert wmp_holds_nothing(target)
    run(target, "--org", "WMP", "restore", written(tmp_path, backups["WMP"], "WMP.jsonl"))
    assert "FRAUD19/9" in run(target, "--org", "WMP", "board", "--format", "csv")
    # and verify holds it to the inspectorate read in clear too: an item planted past
    # the commands in the encrypted force is named, not left unchecked
    assert "not checked" not in run(target, "--org", "WMP", "verify", "--rules")
    from ledger import open_ledger

    force = open_ledger(
        target, create=False, org="WMP", encryption_key=os.environ["RAGW_ENCRYPTION_KEY"]
    )
    try:
        planted = force.prepare_recommendation(
            "FRAUD19", "99", kind="recommendation", text="Planted", actor="x", received=True
        )
        force.save_all(planted, what="FRAUD19/99")
    finally:
        force.close()
    said = run(target, "--org", "WMP", "verify", "--rules", code=1)
    assert "FRAUD19/99 is not an item its report's issuer issued" in said, said


def test_a_force_s_restore_is_refused_when_its_issuer_is_kept_under_another_key(
    backups: dict[str, Lines], target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inspectorate's ledger cannot be read with the force's key, nor without one: what
    the force received cannot be checked, so nothing is restored (never unchecked)."""
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", run(target, "admin", "new-key").strip())
    run(target, "--org", "HMICFRS", "restore", written(tmp_path, backups["HMICFRS"]))
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", run(target, "admin", "new-key").strip())
    said = run(target, "--org", "WMP", "restore", written(tmp_path, backups["WMP"]), code=1)
    assert len(said.splitlines()) == 1 and said.startswith("Error: "), said
    assert "cannot be checked against HMICFRS's ledger" in said
    assert wmp_holds_nothing(target)


@pytest.mark.postgres
def test_a_force_s_restore_is_refused_when_its_login_may_not_read_its_issuer(
    backups: dict[str, Lines], postgres: Any, tmp_path: Path
) -> None:
    """A login of the force's own, which the inspectorate's schema is closed to, cannot
    check what the backup received: the restore is refused, not let through unchecked
    as though the store held no such issuer (a reworded item would have restored)."""
    import psycopg

    url = postgres.create_database(f"ragw_closed_issuer_{os.getpid()}")
    run(url, "--org", "HMICFRS", "restore", written(tmp_path, backups["HMICFRS"]))
    run(url, "--org", "WMP", "restore", written(tmp_path, [], "empty.jsonl"))  # its tables
    login = f"wmp_restorer_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:  # WMP's alone, none else's
        connection.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'secret'")
        connection.execute(f"GRANT CONNECT ON DATABASE {url.rsplit('/', 1)[1]} TO {login}")
        connection.execute(f"GRANT USAGE ON SCHEMA org_wmp TO {login}")
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'org_wmp'"
        ).fetchall()
        for (table,) in tables:
            connection.execute(f"ALTER TABLE org_wmp.{table} OWNER TO {login}")
        closed = connection.execute(
            "SELECT has_schema_privilege(%s, 'org_hmicfrs', 'USAGE')", (login,)
        ).fetchone()
    assert tables and closed == (False,)
    at = next(i for i, line in enumerate(backups["WMP"]) if line["key"] == "FRAUD19/9")
    forged = edited(backups["WMP"], backups["WMP"][at]["type"], text="FORGED: do nothing")
    said = run(as_login(url, login), "--org", "WMP", "restore", written(tmp_path, forged), code=1)
    assert len(said.splitlines()) == 1 and said.startswith("Error: "), said
    assert "cannot be checked against HMICFRS's ledger, which this restore cannot read" in said
    assert wmp_holds_nothing(url)
    run(url, "--org", "WMP", "restore", written(tmp_path, backups["WMP"], "WMP.jsonl"))
    assert "FRAUD19/9" in run(url, "--org", "WMP", "board", "--format", "csv")
