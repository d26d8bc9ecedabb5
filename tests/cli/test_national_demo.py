"""`ragw demo --national`: one store with the inspectorate and two forces, built from the
November 2019 paper (seed 003): the national reports issued once reach both forces, City
of London Police's statuses are its paper's, West Midlands' are its own (of seed 002), and the inspectorate's verdicts are on City of London Police's board."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from ledger.aggregates import Report
from ledger.demo import DEMO_DATE, demo_paper
from ledger.demo_national import SATISFIED, VERDICTS, addressed_to, national_reports
from ledger.keys import report_id
from ledger.national import to_forces
from tests import postgres_server

ACTOR = "Strategic Development"


def ragw(target: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", ACTOR, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store the national demo was built in, once per kind of store for this module."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("national") / "national.db")
    else:
        server = cast(postgres_server.PostgresServer, request.getfixturevalue("postgres"))
        target = server.create_database(f"ragw_national_demo_{os.getpid()}")
    ragw(target, "demo", "--national", "--db", target)
    return target


def board(store: str, org: str) -> dict[str, dict[str, Any]]:
    shown = json.loads(
        ragw(store, "--org", org, "board", "--as-at", DEMO_DATE.isoformat(), "--format", "json")
    )
    return {item["key"]: item for item in shown["items"]}


def received_keys() -> set[str]:
    """The national items the paper's text addresses to forces."""
    return {
        f"{entry['code']}/{row['ref']}"
        for entry in national_reports()
        for row in entry["items"]
        if to_forces(addressed_to(entry["code"], row))
    }


def paper_statuses() -> dict[str, str]:
    return {
        f"{entry['code']}/{row['ref']}": row["status"].removeprefix("NEW ")
        for entry in demo_paper()["reports"]
        for row in entry["items"]
    }


@pytest.fixture
def ledgers(store: str) -> Iterator[dict[str, Any]]:
    opened = {org: open_ledger(store, create=False, org=org) for org in ("COLP", "WMP")}
    yield opened
    for ledger in opened.values():
        ledger.close()


def test_the_register_holds_the_inspectorate_and_two_forces(store: str) -> None:
    listed = json.loads(ragw(store, "org", "list", "--format", "json"))["organisations"]
    assert [(o["code"], o["kind"]) for o in listed] == [
        ("HMICFRS", "inspectorate"),
        ("COLP", "force"),
        ("WMP", "force"),
    ]


def test_both_forces_hold_the_national_reports_naming_the_inspectorate(
    ledgers: dict[str, Any],
) -> None:
    for ledger in ledgers.values():
        for code in ("FRAUD19", "BETRAYAL", "YOUTHOOCD", "DIGITAL19"):
            report = cast(Report, ledger.repository.get(report_id(code)))
            assert report.origin == "HMICFRS", (ledger.org, code)
        restricted = cast(Report, ledger.repository.get(report_id("DIGITAL19")))
        assert restricted.restricted


def test_items_addressed_to_others_than_forces_stay_with_the_inspectorate(store: str) -> None:
    for org in ("COLP", "WMP"):
        held = {key for key in board(store, org) if key.split("/")[0] in {"FRAUD19", "BETRAYAL"}}
        assert "FRAUD19/9" in held and "BETRAYAL/1" in held
        # the NPCC coordinator's, the Home Office's and the College's own items
        assert not held & {"FRAUD19/1", "FRAUD19/4", "BETRAYAL/2", "BETRAYAL/3"}


def test_the_city_of_london_statuses_are_its_papers(store: str) -> None:
    shown = board(store, "COLP")
    paper = paper_statuses()
    assert received_keys() <= set(shown)
    assert {key: item["status"] for key, item in shown.items()} == {
        key: paper[key] for key in shown
    }
    # its own reports are its alone, and on its board with the rest
    assert {"PEEL1819/1", "CUSTODY18/16", "CDI19/1", "STALKING19/3"} <= set(shown)


def test_the_west_midlands_statuses_are_its_own(store: str) -> None:
    shown = board(store, "WMP")
    # its paper (seed 002) reports none of the national reports: none assessed
    assert {shown[key]["status"] for key in received_keys()} == {None}
    # and its own reports of that paper, with the statuses it gives
    own = {key: item for key, item in shown.items() if key not in received_keys()}
    assert {key: (item["status"], item["superseded_by"]) for key, item in own.items()} == {
        "CPREVISIT15/1": ("GREEN", None),
        "CRIMEWMP14/2": ("CLOSED", "CPREVISIT15/1"),
    }
    assert not set(shown) & set(board(store, "COLP")) - received_keys()


def test_the_inspectorates_verdicts_are_on_the_city_of_london_board(store: str) -> None:
    shown = board(store, "COLP")
    judged = {key: item["verdict"] for key, item in shown.items() if item.get("verdict")}
    assert {key: (v["verdict"], v["by"], v["reason"]) for key, v in judged.items()} == {
        key: (verdict.value, "HMICFRS", reason) for key, verdict, reason in VERDICTS
    }
    assert all(shown[key]["status"] == "GREEN" for key in judged)
    assert not any(item.get("verdict") for item in board(store, "WMP").values())


def test_the_city_of_london_paper_has_the_inspectorates_verdicts(
    store: str, tmp_path: Path
) -> None:
    paper = tmp_path / "paper.html"
    ragw(store, "--org", "COLP", "pack", "PRMSC", DEMO_DATE.isoformat(), "--out", str(paper))
    page = paper.read_text("utf-8")
    assert "The inspectorate&#39;s verdicts" in page
    assert page.count(SATISFIED) == 4


def test_every_organisations_chain_verifies(store: str) -> None:
    for org in ("HMICFRS", "COLP", "WMP"):
        assert "digest" in ragw(store, "--org", org, "verify")
    assert "digest" in ragw(store, "verify")


def test_every_organisations_backup_restores_with_the_same_board_and_verdicts(
    store: str, tmp_path: Path
) -> None:
    again = str(tmp_path / "restored.db")
    for org in (None, "HMICFRS", "COLP", "WMP"):
        where = ("--org", org) if org else ()
        backup = str(tmp_path / f"{org or 'register'}.jsonl")
        ragw(store, *where, "export", "--out", backup)
        ragw(again, *where, "restore", backup)
    for org in ("COLP", "WMP"):
        assert board(again, org) == board(store, org)


def test_the_national_demo_is_refused_on_a_store_that_holds_a_ledger(target: str) -> None:
    ragw(target, "org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    before = ragw(target, "log", "--format", "json")
    said = ragw(target, "demo", "--national", "--db", target, code=1)
    assert said.startswith("Error: the national demo needs a store that holds no ledger yet")
    assert len(said.strip().splitlines()) == 1
    assert ragw(target, "log", "--format", "json") == before
    listed = json.loads(ragw(target, "org", "list", "--format", "json"))["organisations"]
    assert [o["code"] for o in listed] == ["HMICFRS"]


@pytest.mark.parametrize("org", ["COLP", "ABC"])
def test_the_national_demo_is_refused_on_a_store_holding_an_organisations_ledger_alone(
    target: str, tmp_path: Path, org: str
) -> None:
    """A force's ledger restored into the store (as a force joins one) is not yet in the
    register; the demo still writes nothing into it, nor anywhere else: whether it is one
    of the demo's organisations (COLP) or not (ABC)."""
    single = str(tmp_path / "single.db")
    ragw(
        single,
        "report",
        "add",
        "REAL20",
        "--title",
        "Real",
        "--scope",
        "force",
        "--published",
        "2020-01-01",
        "--on",
        "2020-01-02",
    )
    backup = str(tmp_path / "single.jsonl")
    ragw(single, "export", "--out", backup)
    ragw(target, "--org", org, "restore", backup)
    said = ragw(target, "demo", "--national", "--db", target, code=1)
    assert said.startswith("Error: the national demo needs a store that holds no ledger yet")
    assert f"(the ledgers of {org})" in said and len(said.strip().splitlines()) == 1
    assert (
        json.loads(ragw(target, "--org", org, "log", "--format", "json"))["events"][-1]["id"]
        == "REAL20@1"
    )
    assert len(json.loads(ragw(target, "--org", org, "log", "--format", "json"))["events"]) == 1
    assert json.loads(ragw(target, "org", "list", "--format", "json"))["organisations"] == []


def test_the_national_demo_is_refused_with_an_organisation(tmp_path: Path) -> None:
    target = str(tmp_path / "n.db")
    said = ragw(target, "--org", "COLP", "demo", "--national", code=1)
    assert said.startswith("Error: ") and len(said.strip().splitlines()) == 1
    assert not Path(target).exists()


def test_a_reader_that_stops_reading_the_board_leaves_the_demo_built(tmp_path: Path) -> None:
    ragw_path = shutil.which("ragw") or str(Path(sys.executable).parent / "ragw")
    target = str(tmp_path / "national.db")
    with subprocess.Popen(
        [ragw_path, "--db", target, "demo", "--national", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as shown:
        assert shown.stdout is not None and shown.stdout.readline().startswith("{")
        shown.stdout.close()  # as `| head -1` does
        assert shown.wait() == 0
    assert "digest" in ragw(target, "--org", "COLP", "verify")
