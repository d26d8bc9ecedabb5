"""A force cannot make the inspectorate's recommendations say what it likes: it adds no
item of its own under a report it received, a report whose item it holds in other words
is not received again, and the public register publishes a received report only as its
issuer issued it (its words, its items, its restriction), never naming an item of a
restricted report in a public item's "superseded by"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from ledger.errors import RuleBrokenError
from tests.national_store import Run, add_national_store, runner_on

ME = "Registrar"


@pytest.fixture
def run(target: str) -> Run:
    return runner_on(target, ME)


@pytest.fixture
def issued(run: Any, target: str) -> str:
    """HMICFRS issued FRAUD19/9 to WMP."""
    add_national_store(run)
    run("--org", "HMICFRS", "national", "issue", "--on", "2019-04-10")
    return target


def add_inspectorates_10(run: Run) -> None:
    """FRAUD19/10 in the inspectorate's words, to chief constables, not yet issued."""
    run(
        "--org",
        "HMICFRS",
        "rec",
        "add",
        "FRAUD19",
        "10",
        "--kind",
        "recommendation",
        "--text",
        "The inspectorate's words",
        "--to",
        "chief constables",
    )


def test_a_force_adds_no_item_of_its_own_under_a_report_it_received(run: Any, issued: str) -> None:
    said = run(
        "--org",
        "WMP",
        "rec",
        "add",
        "FRAUD19",
        "10",
        "--kind",
        "recommendation",
        "--text",
        "Our own easy one",
        code=1,
    )
    assert said.startswith("Error: report FRAUD19 was issued by HMICFRS")
    assert "FRAUD19/10" not in run("--org", "WMP", "board")
    # the inspectorate's own item of that ref reaches the force when issued
    add_inspectorates_10(run)
    run("--org", "HMICFRS", "national", "issue")
    history = run("--org", "WMP", "history", "FRAUD19/10")
    assert "The inspectorate's words" in history


def test_an_item_held_in_other_words_than_its_origin_issued_stops_the_receipt(
    run: Any, issued: str
) -> None:
    add_inspectorates_10(run)
    force = open_ledger(issued, create=False, org="WMP")
    try:  # planted as a forged history would plant it
        planted = force.prepare_recommendation(
            "FRAUD19",
            "10",
            kind="recommendation",
            text="Our own easy one",
            actor=ME,
            received=True,
        )
        force.save_all(planted, what="FRAUD19/10")
        inspectorate = open_ledger(issued, create=False, org="HMICFRS")
        try:
            with pytest.raises(RuleBrokenError, match="FRAUD19/10 in words its origin"):
                force.receive_national(inspectorate, actor=ME)
        finally:
            inspectorate.close()
    finally:
        force.close()


@pytest.mark.parametrize("planted", ["report", "item"])
def test_verify_names_a_report_or_item_a_force_says_it_received_that_its_issuer_never_issued(
    run: Any, issued: str, planted: str
) -> None:
    """What a force's own login could insert with the library, past every command: a
    report "issued by HMICFRS" that HMICFRS never issued, or an item of the force's own
    under a report it did receive. The chain holds; the replay of the rules names it."""
    assert "ok:" in run("--org", "WMP", "verify", "--rules")  # as issued: no complaint
    force = open_ledger(issued, create=False, org="WMP")
    try:
        if planted == "report":
            from datetime import date

            from events import Scope
            from ledger.aggregates import Report

            made: Any = Report.register(
                code="FAKE1",
                title="Never issued",
                scope=Scope.NATIONAL,
                published=date(2019, 3, 1),
                inspectorates=["HMICFRS"],
                makes=1,
                origin="HMICFRS",
                actor=ME,
                on=date(2019, 3, 1),
            )
        else:
            made = force.prepare_recommendation(
                "FRAUD19", "99", kind="recommendation", text="Planted", actor=ME, received=True
            )
        force.save_all(made, what="the planted one")
        position = force.last_position()
        if planted == "report":  # and an item under it, which verify names after it
            under = force.prepare_recommendation(
                "FAKE1", "1", kind="recommendation", text="Planted", actor=ME, received=True
            )
            force.save_all(under, what="FAKE1/1")
    finally:
        force.close()
    said = run("--org", "WMP", "verify", "--rules", code=1)
    assert said.count("\n") == 1 and said.startswith(f"Error: position {position}: "), said
    if planted == "report":
        assert "report FAKE1 says HMICFRS issued it, and that ledger" in said
    else:
        assert "FRAUD19/99 is not an item its report's issuer issued" in said
    assert "written outside the ledger's rules" in said
    # nor do the national views count it as the issuer's
    shown = json.loads(run("national", "board", "--report", "FRAUD19", "--format", "json"))
    assert [row["ref"] for row in shown["items"]] == ["9"]
    refused = run("national", "board", "--report", "FAKE1", code=1)
    assert refused.startswith("Error: no organisation of the register holds report FAKE1")
    # and the summary counts what the board shows: the issuer's one item, no other report
    summary = json.loads(run("national", "summary", "--format", "json"))
    wmp = next(o for o in summary["organisations"] if o["code"] == "WMP")
    assert [(r["code"], r["items"]) for r in wmp["reports"]] == [("FRAUD19", 1)]
    assert [r["code"] for r in summary["reports"]] == ["FRAUD19"]


def test_the_public_register_publishes_a_received_report_as_its_issuer_issued_it(
    run: Any, issued: str, tmp_path: Path
) -> None:
    force = open_ledger(issued, create=False, org="WMP")
    try:  # words and an item the inspectorate never issued, planted in the force's copy
        planted = force.prepare_recommendation(
            "FRAUD19",
            "99",
            kind="recommendation",
            text="Planted Quibbleworth",
            actor=ME,
            received=True,
        )
        force.save_all(planted, what="FRAUD19/99")
    finally:
        force.close()
    out = tmp_path / "register"
    run("publish", "--out", str(out))
    rows = json.loads((out / "recommendations.json").read_text())["recommendations"]
    assert [(r["organisation"], r["ref"]) for r in rows] == [("WMP", "9")]
    assert rows[0]["text"] == "Chief constables should adopt the guidance"
    for path in out.rglob("*"):
        if path.is_file():
            assert "Quibbleworth" not in path.read_text(encoding="utf-8")


def test_a_public_item_never_names_the_restricted_item_that_superseded_it(
    run: Any, issued: str, tmp_path: Path
) -> None:
    wmp = ("--org", "WMP")
    run(
        *wmp,
        "report",
        "add",
        "OPEN20",
        "--title",
        "Roads",
        "--scope",
        "force",
        "--published",
        "2020-01-06",
    )
    run(
        *wmp,
        "rec",
        "add",
        "OPEN20",
        "1",
        "--kind",
        "afi",
        "--text",
        "Fix the roads",
        "--on",
        "2020-01-06",
    )
    run(
        *wmp,
        "report",
        "add",
        "HUSH21",
        "--title",
        "Hush",
        "--scope",
        "force",
        "--published",
        "2021-01-06",
        "--restricted",
    )
    run(
        *wmp,
        "rec",
        "add",
        "HUSH21",
        "1",
        "--kind",
        "afi",
        "--text",
        "Hush hush",
        "--on",
        "2021-01-06",
    )
    run(
        *wmp,
        "supersede",
        "OPEN20/1",
        "--by",
        "HUSH21/1",
        "--reason",
        "Replaced",
        "--on",
        "2021-02-01",
    )
    out = tmp_path / "register"
    run("publish", "--out", str(out))
    rows = json.loads((out / "recommendations.json").read_text())["recommendations"]
    [roads] = [r for r in rows if r["report"] == "OPEN20"]
    assert roads["status"] == "CLOSED" and not roads["superseded_by"]
    for path in out.rglob("*"):
        if path.is_file():
            assert "HUSH21" not in path.read_text(encoding="utf-8"), path


def test_a_backup_cannot_plant_or_reword_a_report_its_issuer_in_the_store_did_not_issue(
    run: Any, issued: str, tmp_path: Path
) -> None:
    backup = tmp_path / "wmp.jsonl"
    run("--org", "WMP", "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]

    def restored(store: str, changed: list[dict[str, Any]], code: int) -> str:
        forged = tmp_path / f"forged{len(list(tmp_path.iterdir()))}.jsonl"
        forged.write_text("".join(json.dumps(line) + "\n" for line in changed))
        result = CliRunner().invoke(
            main, ["--db", store, "--actor", ME, "--org", "WMP", "restore", str(forged)]
        )
        assert result.exit_code == code, result.output
        return result.stderr if code else result.stdout

    def with_payload(kind: str, **fields: Any) -> list[dict[str, Any]]:
        copy = [dict(line, payload=dict(line["payload"])) for line in lines]
        next(line for line in copy if line["type"] == kind)["payload"].update(fields)
        return copy

    # a store holding the inspectorate that issued FRAUD19, and no WMP yet
    store = str(tmp_path / "other.db")
    add_national_store(runner_on(store, ME), (), due=None)
    said = restored(store, with_payload("RecommendationIssued", text="Our easy words"), 1)
    assert said.startswith("Error: line ") and "in these words" in said
    said = restored(store, with_payload("ReportRegistered", title="Another title"), 1)
    assert "did not issue it so" in said
    # as issued, the backup restores
    assert "restored" in restored(store, lines, 0)


def test_a_force_takes_national_reports_itself_only_as_one_its_roles_allow(
    tmp_path: Path,
) -> None:
    # a file's ledger: on PostgreSQL the actor is the database login, named by no flag
    store = str(tmp_path / "store.db")

    def as_(actor: str, *args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", store, "--actor", actor, *args])
        assert result.exit_code == code, (args, result.output)
        return result.stdout if code == 0 else result.stderr

    add_national_store(
        runner_on(store, ME), title="Fraud", text="Adopt it", to="forces", due=None, on=None
    )
    as_(ME, "--org", "WMP", "role", "grant", ME, "governance")
    said = as_("Mallory", "--org", "WMP", "national", "receive", code=1)
    assert said.startswith("Error: Mallory holds no role in this ledger")
    assert "FRAUD19/9" not in as_(ME, "--org", "WMP", "board")
    assert "recorded FRAUD19/9@1 in WMP's ledger" in as_(ME, "--org", "WMP", "national", "receive")
