"""The national views, as the inspectorate's and a PCC's users read them: `ragw national
board --report CODE` gives each recommendation of a national report with every force's
own status beside the inspectorate's verdict, as at any day and as known at any moment;
`ragw national summary` counts them per organisation and per report; a force's user is
refused both. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date, datetime
from typing import Any

import pytest

from ledger import Ledger, open_ledger
from tests.national_store import Run, runner_on

ACTOR = "Strategic Development"
FRAUD = "Fraud: Time to Choose"
#: Seed 003's recommendations 9 and 2 of "Fraud: Time to Choose" (to chief constables),
#: and 4 (to the Home Office alone: no force receives it).
SEED = {
    "9": "By 30 September 2019, chief constables should publish their force's policy for "
    "responding to and investigating allegations of fraud.",
    "2": "By 31 March 2020, the National Police Chiefs' Council Coordinator for Economic "
    "Crime and chief constables should ensure that forces have processes in place to "
    "accurately and efficiently report fraud outcomes to the National Fraud "
    "Intelligence Bureau.",
    "4": "By 30 September 2019, the Home Office should publish information concerning its "
    "agreement with City of London Police to act as the national lead force for fraud.",
}
TO = {"9": ["chief constables"], "2": ["chief constables"], "4": ["Home Office"]}
DUE = {"9": "2019-09-30", "2": "2020-03-31", "4": "2019-09-30"}


@pytest.fixture
def run(target: str) -> Run:
    return runner_on(target, ACTOR)


def opened(target: str, org: str) -> Ledger:
    ledger = open_ledger(target, create=False, org=org)
    ledger.today = lambda: date(2021, 6, 1)  # type: ignore[method-assign]
    return ledger


@pytest.fixture
def national(run: Run, target: str) -> datetime:
    """An inspectorate, two forces and a PCC; FRAUD19 issued to both forces in April
    2019; by the end of 2019 WMP has done 9 (accepted by the inspectorate), COLP has
    not (RED, then AMBER in December). Returns a moment between the forces' autumn
    statuses and COLP's December one."""
    run("org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    run("org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    run("org", "add", "COLP", "--name", "City of London Police", "--kind", "force")
    run("org", "add", "OPCCWM", "--name", "West Midlands PCC", "--kind", "pcc")
    inspectorate = opened(target, "HMICFRS")
    inspectorate.register_report(
        "FRAUD19",
        title=FRAUD,
        scope="national",
        published=date(2019, 4, 2),
        actor=ACTOR,
        on=date(2019, 4, 2),
    )
    for ref in ("9", "2", "4"):
        inspectorate.issue_recommendation(
            "FRAUD19",
            ref,
            kind="recommendation",
            text=SEED[ref],
            due=DUE[ref],
            to=TO[ref],
            actor=ACTOR,
            on=date(2019, 4, 2),
        )
    forces = {org: opened(target, org) for org in ("WMP", "COLP")}
    for force in forces.values():
        force.receive_national(inspectorate, actor=ACTOR, on=date(2019, 4, 10))
    forces["WMP"].change_status("FRAUD19/9", "GREEN", actor=ACTOR, on=date(2019, 10, 1))
    forces["COLP"].change_status(
        "FRAUD19/9", "RED", reason="policy in draft", actor=ACTOR, on=date(2019, 10, 1)
    )
    inspectorate.give_verdict(
        forces["WMP"],
        "FRAUD19/9",
        "accepted",
        reason="The force's policy is published",
        actor=ACTOR,
        on=date(2019, 11, 1),
    )
    time.sleep(0.01)
    between = datetime.now().astimezone()
    time.sleep(0.01)
    forces["COLP"].change_status(
        "FRAUD19/9", "AMBER", reason="policy at consultation", actor=ACTOR, on=date(2019, 12, 1)
    )
    for ledger in (inspectorate, *forces.values()):
        ledger.close()
    return between


def board_json(run: Run, *args: str) -> dict[str, Any]:
    return dict(json.loads(run("--org", "HMICFRS", "national", "board", *args, "--format", "json")))


def test_the_national_board_shows_each_forces_own_status_beside_the_inspectorates_verdict(
    run: Run, national: datetime
) -> None:
    found = board_json(run, "--report", "FRAUD19", "--as-at", "2019-11-15")
    assert (found["report"], found["as_at"]) == ("FRAUD19", "2019-11-15")
    assert [item["key"] for item in found["items"]] == ["FRAUD19/2", "FRAUD19/9"]
    nine = found["items"][1]
    assert nine["ref"] == "9"
    assert {org: (c["status"], c["verdict"]) for org, c in nine["organisations"].items()} == {
        "WMP": ("GREEN", "accepted"),
        "COLP": ("RED", None),
    }
    assert nine["organisations"]["WMP"]["verdict_reason"] == "The force's policy is published"
    assert nine["organisations"]["WMP"]["verdict_on"] == "2019-11-01"
    assert nine["organisations"]["COLP"]["due"] == "2019-09-30"
    assert list(found["items"][0]["organisations"]) == ["WMP", "COLP"]
    assert {c["status"] for c in found["items"][0]["organisations"].values()} == {"NOT ASSESSED"}


def test_the_national_board_as_at_a_day_and_as_known_at_a_moment(
    run: Run, national: datetime
) -> None:
    def nine(*args: str) -> dict[str, tuple[str, str | None]]:
        items = board_json(run, "--report", "FRAUD19", *args)["items"]
        cells = next(i for i in items if i["ref"] == "9")["organisations"]
        return {org: (c["status"], c["verdict"]) for org, c in cells.items()}

    # before the verdict's day the force's GREEN stands alone
    assert nine("--as-at", "2019-10-15") == {"WMP": ("GREEN", None), "COLP": ("RED", None)}
    assert nine("--as-at", "2020-01-01") == {"WMP": ("GREEN", "accepted"), "COLP": ("AMBER", None)}
    known = national.isoformat()
    assert nine("--as-at", "2020-01-01", "--as-known-at", known) == {
        "WMP": ("GREEN", "accepted"),
        "COLP": ("RED", None),
    }


def test_the_national_board_table_has_a_row_per_recommendation_and_a_column_per_force(
    run: Run, national: datetime
) -> None:
    table = run(
        "--org", "OPCCWM", "national", "board", "--report", "FRAUD19", "--as-at", "2020-01-01"
    )
    lines = table.splitlines()
    assert lines[0].startswith(f"FRAUD19 ({FRAUD}) as at 2020-01-01, as known now: 2 ")
    header = lines[2].split()
    assert header == ["ref", "WMP", "COLP"]
    assert lines[4].split() == ["2", "NOT", "ASSESSED", "NOT", "ASSESSED"]
    assert " ".join(lines[5].split()) == "9 GREEN · accepted AMBER"
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "national",
                    "board",
                    "--report",
                    "FRAUD19",
                    "--as-at",
                    "2020-01-01",
                    "--format",
                    "csv",
                )
            )
        )
    )
    assert [(r["ref"], r["organisation"], r["status"], r["verdict"]) for r in rows] == [
        ("2", "WMP", "NOT ASSESSED", ""),
        ("2", "COLP", "NOT ASSESSED", ""),
        ("9", "WMP", "GREEN", "accepted"),
        ("9", "COLP", "AMBER", ""),
    ]
    assert "| 9     | GREEN · accepted" in run(
        "national", "board", "--report", "FRAUD19", "--as-at", "2020-01-01", "--format", "md"
    )


def test_items_come_as_the_report_numbers_them_and_superseded_or_elsewhere_items_say_so(
    run: Run, target: str, national: datetime
) -> None:
    inspectorate = opened(target, "HMICFRS")
    inspectorate.register_report(
        "ORDER20", title="Numbered", scope="national", published=date(2020, 1, 6), actor=ACTOR
    )
    for ref in ("10", "4a", "2", "4"):
        inspectorate.issue_recommendation(
            "ORDER20", ref, kind="recommendation", text=f"Do {ref}", to=["forces"], actor=ACTOR
        )
    wmp = opened(target, "WMP")
    wmp.receive_national(inspectorate, actor=ACTOR, on=date(2020, 1, 6))
    wmp.supersede("ORDER20/2", by="ORDER20/10", reason="Replaced", actor=ACTOR, on=date(2020, 2, 3))
    wmp.change_relevance(
        "ORDER20/4", for_us=False, reason="For the NPCC", actor=ACTOR, on=date(2020, 2, 3)
    )
    for ledger in (inspectorate, wmp):
        ledger.close()
    found = board_json(run, "--report", "ORDER20")
    assert [item["ref"] for item in found["items"]] == ["2", "4", "4a", "10"]
    assert list(found["items"][0]["organisations"]) == ["WMP"]  # COLP has not received it
    two, four = (found["items"][i]["organisations"]["WMP"] for i in (0, 1))
    assert (two["status"], two["superseded_by"]) == ("CLOSED", "ORDER20/10")
    assert four["not_for_the_force"] == {"reason": "For the NPCC", "on": "2020-02-03"}
    table = run("--org", "HMICFRS", "national", "board", "--report", "ORDER20")
    assert "CLOSED (superseded by ORDER20/10)" in table
    assert "NOT ASSESSED (not for the force)" in table


def summary_json(run: Run, *args: str) -> dict[str, Any]:
    return dict(json.loads(run("national", "summary", *args, "--format", "json")))


def test_the_national_summary_counts_per_organisation_and_per_report(
    run: Run, national: datetime
) -> None:
    found = summary_json(run, "--as-at", "2020-01-01")
    by_org = {o["code"]: o for o in found["organisations"]}
    assert list(by_org) == ["WMP", "COLP", "OPCCWM"]
    assert by_org["WMP"]["items"] == 2  # 4 is the Home Office's: never received
    assert by_org["WMP"]["statuses"] == {
        "GREEN": 1,
        "AMBER": 0,
        "RED": 0,
        "WHITE": 0,
        "CLOSED": 0,
        "NOT ASSESSED": 1,
    }
    assert by_org["WMP"]["verdicts"] == {
        "accepted": 1,
        "not-accepted": 0,
        "superseded": 0,
        "none": 1,
    }
    assert by_org["COLP"]["statuses"]["AMBER"] == 1
    assert by_org["OPCCWM"]["items"] == 0
    [fraud] = found["reports"]
    assert (fraud["code"], fraud["issued_by"], fraud["organisations"], fraud["items"]) == (
        "FRAUD19",
        "HMICFRS",
        ["WMP", "COLP"],
        4,
    )
    assert fraud["statuses"]["NOT ASSESSED"] == 2 and fraud["verdicts"]["accepted"] == 1
    assert found["totals"]["items"] == 4
    earlier = summary_json(run, "--as-at", "2020-01-01", "--as-known-at", national.isoformat())
    assert {o["code"]: o["statuses"]["RED"] for o in earlier["organisations"]}["COLP"] == 1
    rows = list(csv.DictReader(io.StringIO(run("national", "summary", "--format", "csv"))))
    assert [(r["organisation"], r["report"], r["items"], r["GREEN"]) for r in rows] == [
        ("WMP", "FRAUD19", "2", "1"),
        ("COLP", "FRAUD19", "2", "0"),
    ]
    table = run("--org", "OPCCWM", "national", "summary", "--as-at", "2020-01-01")
    assert "By report" in table and "Total: 4 items in 3 organisations" in table


def test_a_forces_user_may_not_read_the_national_views(run: Run, national: datetime) -> None:
    for args in (("board", "--report", "FRAUD19"), ("summary",)):
        said = run("--org", "WMP", "national", *args, code=1)
        assert said.count("\n") == 1 and said.startswith("Error: ")
        assert "West Midlands Police" in said and "ragw --org WMP board" in said


def test_a_report_no_organisation_holds_is_refused(run: Run, national: datetime) -> None:
    said = run("--org", "HMICFRS", "national", "board", "--report", "NOPE", code=1)
    assert said == "Error: no organisation of the register holds report NOPE (as known now)\n"


def test_the_national_views_hold_one_organisations_ledger_open_at_a_time(
    target: str, national: datetime
) -> None:
    from projections.usecases import LedgerSession
    from projections.usecases.national_summary import national_summary
    from projections.usecases.national_views import national_board

    live: set[int] = set()
    most = 0

    def open_org(org: str | None) -> LedgerSession:
        nonlocal most
        session = LedgerSession(
            target, ACTOR, open_ledger=lambda _: open_ledger(target, create=False, org=org)
        )
        closing = session.close

        def close() -> None:
            live.discard(id(session))
            closing()

        session.close = close  # type: ignore[method-assign]
        live.add(id(session))
        most = max(most, len(live))
        return session

    register = open_org(None)
    national_board(register, open_org, report="FRAUD19", as_at=date(2020, 1, 1))
    national_summary(register, open_org, as_at=date(2020, 1, 1))
    assert most == 2  # the register, and the one organisation being read
    assert live == {id(register)}
    register.close()
