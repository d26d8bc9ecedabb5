"""An organisation's login reaches its own ledger alone, so it cannot read the
inspectorate's verdicts: its board still shows its own items and statuses, says which
ledgers it could not read, and shows no verdict; the store's owner sees the verdict."""

from __future__ import annotations

import json
import os
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from tests.national_store import add_national_store

pytestmark = pytest.mark.postgres

ME = "setup"


def ragw(target: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", ME, *args], env=env)
    assert result.exit_code == 0, (result.output, result.stderr)
    return result.stdout


def test_a_forces_own_login_reads_its_board_without_the_verdicts_it_may_not_read(
    postgres: Any, tmp_path: Path
) -> None:
    target = postgres.create_database(f"ragw_verdict_roles_{os.getpid()}")
    add_national_store(
        partial(ragw, target), title="Fraud", text="Adopt the guidance", due=None, on=None
    )
    inspectorate = open_ledger(target, create=False, org="HMICFRS")
    force = open_ledger(target, create=False, org="WMP")
    try:
        force.receive_national(inspectorate, actor=ME, on=date(2019, 5, 1))
        inspectorate.give_verdict(
            force, "FRAUD19/9", "accepted", reason="Addressed", actor="HMI", on=date(2019, 9, 1)
        )
    finally:
        force.close()
        inspectorate.close()
    ragw(target, "--org", "WMP", "admin", "init-roles")
    login = f"unread_verdicts_wmp_{os.getpid()}"
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
    as_force = f"postgresql://{login}:secret@{target.split('@', 1)[1]}"

    document = json.loads(ragw(as_force, "--org", "WMP", "board", "--format", "json"))
    [item] = document["items"]
    assert item["key"] == "FRAUD19/9" and "verdict" not in item
    assert document["verdicts_unread"] == ["the register"]
    table = ragw(as_force, "--org", "WMP", "board")
    assert "Verdicts not shown: this login may not read the register's ledger" in table
    # nor the issuer's ledger: verify says what it received was not checked against it
    verified = ragw(as_force, "--org", "WMP", "verify", "--rules")
    assert "ok: " in verified and "replayed" in verified
    assert (
        "the reports received from HMICFRS were not checked against HMICFRS's ledger, "
        "which this login may not read" in verified
    )
    assert "HMICFRS" not in ragw(target, "--org", "WMP", "verify", "--rules")  # the owner may
    # a paper is never issued without the verdicts this login cannot read
    writer = f"unread_verdicts_writer_{os.getpid()}"
    ragw(
        target,
        "--org",
        "WMP",
        "committee",
        "add",
        "PRMSC",
        "--name",
        "Sub Committee",
        "--on",
        "2019-05-01",
    )
    ragw(target, "--org", "WMP", "meeting", "add", "PRMSC", "2019-11-15", "--on", "2019-05-01")
    ragw(
        target,
        "--org",
        "WMP",
        "admin",
        "add-login",
        writer,
        "--role",
        "governance",
        env={"RAGW_NEW_PASSWORD": "secret"},
    )
    as_writer = f"postgresql://{writer}:secret@{target.split('@', 1)[1]}"
    paper = tmp_path / "paper.html"
    result = CliRunner().invoke(
        main,
        [
            "--db",
            as_writer,
            "--org",
            "WMP",
            "pack",
            "PRMSC",
            "2019-11-15",
            "--out",
            str(paper),
            "--issue",
        ],
    )
    assert result.exit_code == 1 and "may not read the register" in result.stderr
    assert result.stderr.count("\n") == 1 and not paper.exists()
    assert "PaperIssued" not in ragw(target, "--org", "WMP", "log")
    # the store's owner reads every ledger: the verdict is there
    [owned] = json.loads(ragw(target, "--org", "WMP", "board", "--format", "json"))["items"]
    assert owned["verdict"]["verdict"] == "accepted"
