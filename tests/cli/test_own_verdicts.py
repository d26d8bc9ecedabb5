"""The inspectorate's verdict on a force's item, shown beside the force's own status on
its board and in the item's history: read from the inspectorate's ledger (where the force
cannot write), as at the board's day and as known at its moment, never instead of the
force's status."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ledger import open_ledger
from tests.national_store import Run, add_national_store, runner_on

ACTOR = "Strategic Development"


@pytest.fixture
def run(target: str) -> Run:
    return runner_on(target, ACTOR)


@pytest.fixture
def national(run: Any, target: str) -> str:
    """An inspectorate and two forces; FRAUD19/9 issued to both forces."""
    add_national_store(run, ("WMP", "COLP"))
    inspectorate = open_ledger(target, create=False, org="HMICFRS")
    try:
        for force in ("WMP", "COLP"):
            ledger = open_ledger(target, create=False, org=force)
            try:
                ledger.receive_national(inspectorate, actor=ACTOR, on=date(2019, 5, 1))
            finally:
                ledger.close()
    finally:
        inspectorate.close()
    return target


def give(target: str, org: str, verdict: str, reason: str, on: date) -> None:
    inspectorate = open_ledger(target, create=False, org="HMICFRS")
    holder = open_ledger(target, create=False, org=org)
    try:
        inspectorate.give_verdict(holder, "FRAUD19/9", verdict, reason=reason, actor="HMI", on=on)
    finally:
        holder.close()
        inspectorate.close()


def board_json(run: Any, org: str, *args: str) -> dict[str, Any]:
    return json.loads(run("--org", org, "board", *args, "--format", "json"))


def test_a_forces_board_shows_the_inspectorates_verdict_beside_its_own_status(
    run: Any, national: str
) -> None:
    run("--org", "WMP", "status", "FRAUD19/9", "GREEN", "--on", "2019-09-01")
    give(national, "WMP", "accepted", "The terms are properly addressed", date(2019, 10, 1))
    [item] = board_json(run, "WMP")["items"]
    assert item["status"] == "GREEN"  # the force's own, untouched by the verdict
    assert item["verdict"] == {
        "verdict": "accepted",
        "by": "HMICFRS",
        "on": "2019-10-01",
        "reason": "The terms are properly addressed",
    }
    table = run("--org", "WMP", "board")
    assert "verdict" in table.splitlines()[2]
    assert "accepted (HMICFRS, 2019-10-01)" in table
    # the other force was given none: its board has neither the field nor the column
    [other] = board_json(run, "COLP")["items"]
    assert "verdict" not in other
    assert "verdict" not in run("--org", "COLP", "board")


def test_a_verdict_is_shown_from_its_day_and_once_recorded(run: Any, national: str) -> None:
    before = datetime.now(UTC).isoformat()
    give(national, "WMP", "not-accepted", "No evidence of the new process", date(2019, 10, 1))
    [item] = board_json(run, "WMP", "--as-at", "2019-09-30")["items"]
    assert "verdict" not in item
    [item] = board_json(run, "WMP", "--as-at", "2019-10-01", "--as-known-at", before)["items"]
    assert "verdict" not in item
    [item] = board_json(run, "WMP", "--as-at", "2019-10-01")["items"]
    assert item["verdict"]["verdict"] == "not-accepted"


def test_a_later_verdict_replaces_the_earlier_from_its_own_day(run: Any, national: str) -> None:
    give(national, "WMP", "not-accepted", "No evidence yet", date(2019, 10, 1))
    give(national, "WMP", "accepted", "Evidence seen at the revisit", date(2020, 3, 1))
    [item] = board_json(run, "WMP", "--as-at", "2020-02-29")["items"]
    assert item["verdict"]["verdict"] == "not-accepted"
    [item] = board_json(run, "WMP", "--as-at", "2020-03-01")["items"]
    assert item["verdict"]["verdict"] == "accepted"


def test_an_items_history_ends_with_the_verdict_in_effect(run: Any, national: str) -> None:
    give(national, "WMP", "superseded", "Replaced by FRAUD21/3", date(2021, 1, 5))
    shown = run("--org", "WMP", "history", "FRAUD19/9")
    assert "Verdict of HMICFRS: superseded from 2021-01-05: Replaced by FRAUD21/3" in shown
    document = json.loads(run("--org", "WMP", "history", "FRAUD19/9", "--format", "json"))
    assert document["verdict"]["verdict"] == "superseded"
    other = json.loads(run("--org", "COLP", "history", "FRAUD19/9", "--format", "json"))
    assert "verdict" not in other


def test_a_verdict_cannot_take_effect_before_the_force_held_the_item(national: str) -> None:
    from ledger.errors import RuleBrokenError

    with pytest.raises(RuleBrokenError, match=r"before FRAUD19/9 was added to WMP's ledger"):
        give(national, "WMP", "accepted", "Too early", date(2019, 4, 30))
    assert open_ledger(national, create=False, org="HMICFRS").verdicts("WMP") == {}


def meeting(run: Any) -> None:
    wmp = ("--org", "WMP")
    run(*wmp, "committee", "add", "PRMSC", "--name", "Sub Committee", "--on", "2019-05-01")
    run(*wmp, "meeting", "add", "PRMSC", "2019-11-15", "--on", "2019-05-01")


def test_a_forces_paper_shows_the_verdicts_in_effect_on_the_meeting_day_as_issued(
    run: Any, national: str, tmp_path: Path
) -> None:
    meeting(run)
    run("--org", "WMP", "status", "FRAUD19/9", "AMBER", "--on", "2019-09-01")
    give(national, "WMP", "not-accepted", "No evidence of the process yet", date(2019, 10, 1))
    issued = tmp_path / "issued.html"
    run("--org", "WMP", "pack", "PRMSC", "2019-11-15", "--out", str(issued), "--issue")
    page = issued.read_text()
    assert "The inspectorate&#39;s verdicts" in page
    row = page[page.index('<table id="inspectorate-verdict-items">') :]
    row = row[row.index('<tr data-key="FRAUD19/9">') : row.index("</tr>", row.index("FRAUD19/9"))]
    for cell in (
        "AMBER",
        "not-accepted",
        "HMICFRS",
        "2019-10-01",
        "No evidence of the process yet",
    ):
        assert f"<td>{cell}</td>" in row
    # a verdict recorded after the paper was issued, even one dated before the meeting,
    # leaves the paper as issued as it was
    give(national, "WMP", "accepted", "Evidence seen", date(2019, 11, 1))
    again = tmp_path / "again.html"
    run("--org", "WMP", "pack", "PRMSC", "2019-11-15", "--out", str(again), "--as-issued")
    assert again.read_bytes() == issued.read_bytes()
    now = tmp_path / "now.html"
    run("--org", "WMP", "pack", "PRMSC", "2019-11-15", "--out", str(now))
    assert "<td>accepted</td>" in now.read_text()
    # the other force's paper has no such section
    colp = ("--org", "COLP")
    run(*colp, "committee", "add", "PRMSC", "--name", "Sub Committee", "--on", "2019-05-01")
    run(*colp, "meeting", "add", "PRMSC", "2019-11-15", "--on", "2019-05-01")
    other = tmp_path / "other.html"
    run(*colp, "pack", "PRMSC", "2019-11-15", "--out", str(other))
    assert "inspectorate-verdicts" not in other.read_text()


def test_a_public_paper_withholds_the_reason_of_a_verdict_on_a_restricted_reports_item(
    run: Any, national: str, tmp_path: Path
) -> None:
    meeting(run)
    wmp = ("--org", "WMP")
    run(
        *wmp,
        "report",
        "add",
        "SECRET20",
        "--title",
        "Covert matters",
        "--scope",
        "force",
        "--published",
        "2019-06-01",
        "--restricted",
    )
    run(
        *wmp,
        "rec",
        "add",
        "SECRET20",
        "1",
        "--kind",
        "recommendation",
        "--text",
        "Handle the informants better",
        "--on",
        "2019-06-01",
    )
    inspectorate = open_ledger(national, create=False, org="HMICFRS")
    holder = open_ledger(national, create=False, org="WMP")
    try:
        inspectorate.give_verdict(
            holder,
            "SECRET20/1",
            "accepted",
            reason="Informant handling reviewed",
            actor="HMI",
            on=date(2019, 10, 1),
        )
    finally:
        holder.close()
        inspectorate.close()
    public = tmp_path / "public.html"
    run(*wmp, "pack", "PRMSC", "2019-11-15", "--out", str(public))
    page = public.read_text()
    assert "Informant handling reviewed" not in page
    row = page[page.index('<tr data-key="SECRET20/1">', page.index("inspectorate-verdict-items")) :]
    assert "<td>accepted</td>" in row[: row.index("</tr>")]
    full = tmp_path / "full.html"
    run(*wmp, "pack", "PRMSC", "2019-11-15", "--out", str(full), "--include-restricted")
    assert "Informant handling reviewed" in full.read_text()
