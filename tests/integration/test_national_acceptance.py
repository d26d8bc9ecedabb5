"""The national register's acceptance, as users drive it on PostgreSQL: an inspectorate
and two forces in one database; a national report's recommendation issued once appears
on both forces' boards; each force's status is its own; the national board shows both
with the inspectorate's verdict; one force's login cannot read the other's events; and
``verify --org`` checks one organisation's chain."""

from __future__ import annotations

import json
import os
from functools import partial
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from cli.main import main
from tests.national_store import add_national_store

pytestmark = pytest.mark.postgres

ME = "Registrar"


def ragw(target: str, *args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", ME, *args], env=env)
    assert result.exit_code == code, (args, result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def test_a_national_recommendation_issued_once_is_tracked_by_each_force_and_judged_by_the_inspectorate(
    postgres: Any,
) -> None:
    target = postgres.create_database(f"ragw_national_acceptance_{os.getpid()}")
    add_national_store(
        partial(ragw, target),
        ("COLP", "WMP"),
        inspectorate="HM Inspectorate of Constabulary",
        report_also=("--inspectorate", "HMICFRS"),
        text="Chief constables should make sure their forces comply with the guidance",
        due="2019-09-30",
    )
    hmi = ("--org", "HMICFRS")
    ragw(target, *hmi, "national", "issue", "--on", "2019-04-03")

    for force in ("COLP", "WMP"):  # issued once, on both boards
        [item] = json.loads(ragw(target, "--org", force, "board", "--format", "json"))["items"]
        assert item["key"] == "FRAUD19/9" and item["status"] is None
    ragw(target, "--org", "COLP", "status", "FRAUD19/9", "GREEN", "--on", "2019-10-01")
    ragw(
        target,
        "--org",
        "WMP",
        "status",
        "FRAUD19/9",
        "RED",
        "--reason",
        "No plan yet",
        "--on",
        "2019-10-01",
    )
    ragw(
        target,
        *hmi,
        "verdict",
        "COLP",
        "FRAUD19/9",
        "accepted",
        "--reason",
        "The terms are properly addressed",
        "--on",
        "2019-11-01",
    )

    [colp] = json.loads(ragw(target, "--org", "COLP", "board", "--format", "json"))["items"]
    [wmp] = json.loads(ragw(target, "--org", "WMP", "board", "--format", "json"))["items"]
    assert (colp["status"], wmp["status"]) == ("GREEN", "RED")  # each force's own
    board = json.loads(
        ragw(
            target,
            "national",
            "board",
            "--report",
            "FRAUD19",
            "--as-at",
            "2019-11-15",
            "--format",
            "json",
        )
    )
    assert board["report"] == "FRAUD19" and board["as_at"] == "2019-11-15"
    [row] = board["items"]
    assert (row["key"], row["ref"]) == ("FRAUD19/9", "9")
    assert row["organisations"]["COLP"]["status"] == "GREEN"
    assert row["organisations"]["COLP"]["verdict"] == "accepted"
    assert row["organisations"]["WMP"]["status"] == "RED"
    assert row["organisations"]["WMP"]["verdict"] is None

    # one force's login reads its own events and is refused the other's by the server
    ragw(target, "--org", "WMP", "admin", "init-roles")
    ragw(target, "--org", "COLP", "admin", "init-roles")
    login = f"acceptance_wmp_{os.getpid()}"
    ragw(
        target,
        "--org",
        "WMP",
        "admin",
        "add-login",
        login,
        "--role",
        "auditor",
        env={"RAGW_NEW_PASSWORD": "secret"},
    )
    as_wmp = f"postgresql://{login}:secret@{target.split('@', 1)[1]}"
    assert "FRAUD19/9" in ragw(as_wmp, "--org", "WMP", "board")
    with (
        psycopg.connect(as_wmp, autocommit=True) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("SELECT * FROM org_colp.ragw_events")
    refused = ragw(as_wmp, "--org", "COLP", "board", code=1)
    assert refused.startswith("Error: ") and refused.count("\n") == 1
    assert "permission denied for schema org_colp" in refused

    # each organisation's chain is verified alone
    for org in ("HMICFRS", "COLP", "WMP"):
        assert ragw(target, "--org", org, "verify").startswith("ok: ")
