"""National reports issued by the inspectorate to every force, and its verdicts, driven
as users drive them (seed 003, "Fraud: Time to Choose"): issuing reaches each force
once and only what is addressed to forces; each force's statuses stay its own; a
verdict is the inspectorate's alone, and each refusal is one `Error:` line."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_hostile_input import HOSTILE
from tests.national_store import add_national_store, add_report

ACTOR = "Strategic Development"
HM = ("--org", "HMICFRS")
#: The day the inspectorate published and registered its reports.
ON = "2019-04-02"
#: Seed 003, line 169 on: recommendations 9 and 10 of "Fraud: Time to Choose".
REC_9 = (
    "By 31 October 2019, chief constables should ensure that their forces' fraud "
    "victims receive an appropriate response"
)
REC_10 = "By 31 October 2019, the Home Office should ensure fraud policy is co-ordinated"


def invoke(target: str, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, ["--db", target, "--actor", ACTOR, *args], env=env)


@pytest.fixture
def ragw(target: str) -> Any:
    return _runner(target)


@pytest.fixture
def store(ragw: Any) -> Any:
    """An inspectorate and two forces; the inspectorate's national report FRAUD19 with
    recommendation 9 to chief constables and 10 to the Home Office alone."""
    add_national_store(ragw, ("WMP", "COLP"), report_on=ON, text=REC_9)
    ragw(
        *HM,
        "rec",
        "add",
        "FRAUD19",
        "10",
        "--kind",
        "recommendation",
        "--text",
        REC_10,
        "--to",
        "the Home Office",
        "--due",
        "2019-10-31",
        "--on",
        "2019-04-02",
    )
    return ragw


def national_report(ragw: Any, code: str, *more: str) -> None:
    add_report(ragw, *HM, code=code, on=ON, also=more)


def keys(ragw: Any, org: str) -> list[str]:
    board = json.loads(ragw("--org", org, "board", "--format", "json"))
    return [item["key"] for item in board["items"]]


def test_issuing_reaches_each_force_once_with_only_what_is_addressed_to_forces(
    store: Any,
) -> None:
    out = store(*HM, "national", "issue", "--on", "2019-04-10")
    assert out.splitlines() == [
        "recorded FRAUD19@1 in WMP's ledger",
        "recorded FRAUD19/9@1 in WMP's ledger",
        "recorded FRAUD19@1 in COLP's ledger",
        "recorded FRAUD19/9@1 in COLP's ledger",
    ]
    assert keys(store, "WMP") == keys(store, "COLP") == ["FRAUD19/9"]
    again = store(*HM, "national", "issue")
    assert again.splitlines() == [
        "WMP held every national report of HMICFRS already",
        "COLP held every national report of HMICFRS already",
    ]
    log = json.loads(store("--org", "WMP", "log", "--format", "json"))["events"]
    assert [(e["id"], e.get("origin")) for e in log if e["type"] == "ReportRegistered"] == [
        ("FRAUD19@1", "HMICFRS")
    ]
    (item,) = [e for e in log if e["type"] == "RecommendationIssued"]
    assert (item["text"], item["on"], item["due"]) == (REC_9, "2019-04-10", "2019-10-31")


def test_each_forces_statuses_are_its_own(store: Any) -> None:
    store(*HM, "national", "issue")
    store("--org", "WMP", "status", "FRAUD19/9", "GREEN")
    store("--org", "COLP", "status", "FRAUD19/9", "RED", "--reason", "No desk yet")
    statuses = {
        org: json.loads(store("--org", org, "board", "--format", "json"))["items"][0]["status"]
        for org in ("WMP", "COLP")
    }
    assert statuses == {"WMP": "GREEN", "COLP": "RED"}


def test_a_later_recommendation_reaches_the_forces_on_the_next_issue(store: Any) -> None:
    store(*HM, "national", "issue")
    store(
        *HM,
        "rec",
        "add",
        "FRAUD19",
        "11",
        "--kind",
        "recommendation",
        "--text",
        "Train",
        "--to",
        "all forces",
        "--on",
        "2019-04-02",
    )
    out = store(*HM, "national", "issue")
    assert out.splitlines() == [
        "recorded FRAUD19/11@1 in WMP's ledger",
        "recorded FRAUD19/11@1 in COLP's ledger",
    ]
    assert keys(store, "WMP") == ["FRAUD19/9", "FRAUD19/11"]


def test_issuing_to_one_force_leaves_the_others_and_a_force_may_take_its_own(
    store: Any,
) -> None:
    out = store(*HM, "national", "issue", "--to", "colp")
    assert out.splitlines()[-1] == "recorded FRAUD19/9@1 in COLP's ledger"
    assert keys(store, "WMP") == []
    taken = store("--org", "WMP", "national", "receive", "--from", "HMICFRS")
    assert taken.splitlines() == [
        "recorded FRAUD19@1 in WMP's ledger",
        "recorded FRAUD19/9@1 in WMP's ledger",
    ]
    assert store("--org", "WMP", "national", "receive").splitlines() == [
        "WMP held every national report of HMICFRS already"
    ]


def test_a_restricted_national_report_arrives_restricted_and_force_reports_are_not_issued(
    store: Any,
) -> None:
    national_report(store, "SECRET19", "--restricted")
    store(
        *HM,
        "rec",
        "add",
        "SECRET19",
        "1",
        "--kind",
        "recommendation",
        "--text",
        "Hidden",
        "--to",
        "forces",
        "--on",
        "2019-04-02",
    )
    store(
        *HM,
        "report",
        "add",
        "LOCAL19",
        "--title",
        "A force of its own",
        "--scope",
        "force",
        "--published",
        "2019-04-02",
        "--on",
        "2019-04-02",
    )
    store(
        *HM,
        "rec",
        "add",
        "LOCAL19",
        "1",
        "--kind",
        "recommendation",
        "--text",
        "Local",
        "--to",
        "chief constables",
        "--on",
        "2019-04-02",
    )
    store(*HM, "national", "issue")
    log = json.loads(store("--org", "WMP", "log", "--format", "json"))["events"]
    reports = {e["key"]: e.get("restricted", False) for e in log if e["type"] == "ReportRegistered"}
    assert reports == {"FRAUD19": False, "SECRET19": True}


def test_a_forces_own_report_of_the_same_code_is_not_received_and_holds_nothing_else_back(
    store: Any,
) -> None:
    store(
        "--org",
        "WMP",
        "report",
        "add",
        "FRAUD19",
        "--title",
        "Ours",
        "--scope",
        "force",
        "--published",
        "2019-04-02",
    )
    national_report(store, "PEEL20")
    store(
        *HM,
        "rec",
        "add",
        "PEEL20",
        "1",
        "--kind",
        "afi",
        "--text",
        "Be efficient",
        "--to",
        "forces",
        "--on",
        "2019-04-02",
    )
    said = store(*HM, "national", "issue", "--to", "WMP", code=1)
    assert said.startswith("Error: WMP holds a report FRAUD19 of its own")
    assert said.count("\n") == 1
    assert keys(store, "WMP") == ["PEEL20/1"]  # the rest was received


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--org", "WMP", "national", "issue"), "WMP (West Midlands Police, force) is not one"),
        (("national", "issue"), "give --org (or RAGW_ORG)"),
        ((*HM, "national", "issue", "--to", "NOWHERE"), "holds no organisation NOWHERE"),
        ((*HM, "national", "issue", "--to", "HMICFRS"), "is of kind inspectorate, not force"),
        ((*HM, "national", "receive"), "HMICFRS (HM Inspectorate, inspectorate) is not one"),
    ],
)
def test_issuing_is_refused_in_one_line_where_it_cannot_run(
    store: Any, args: tuple[str, ...], says: str
) -> None:
    assert says in store(*args, code=1)
    assert keys(store, "WMP") == keys(store, "COLP") == []


def test_a_verdict_is_the_inspectorates_own_beside_the_forces_status(store: Any) -> None:
    store(*HM, "national", "issue", "--on", "2019-04-10")
    store("--org", "WMP", "status", "FRAUD19/9", "GREEN", "--on", "2019-10-01")
    out = store(
        *HM,
        "verdict",
        "WMP",
        "FRAUD19/9",
        "not accepted",
        "--reason",
        "No plan for victims' calls",
        "--on",
        "2019-11-15",
    )
    assert out.splitlines() == ["recorded verdicts:WMP@1", "recorded verdicts:WMP@2"]
    store(
        *HM,
        "verdict",
        "WMP",
        "FRAUD19/9",
        "accepted",
        "--reason",
        "Plan in place",
        "--on",
        "2020-02-01",
    )
    then = json.loads(store(*HM, "verdicts", "WMP", "--as-at", "2019-12-01", "--format", "json"))
    assert [(v["key"], v["verdict"], v["reason"]) for v in then["verdicts"]] == [
        ("FRAUD19/9", "not-accepted", "No plan for victims' calls")
    ]
    now = json.loads(store(*HM, "verdicts", "WMP", "--format", "json"))["verdicts"]
    assert [(v["verdict"], v["on"]) for v in now] == [("accepted", "2020-02-01")]
    assert json.loads(store(*HM, "verdicts", "COLP", "--format", "json"))["verdicts"] == []
    (item,) = json.loads(store("--org", "WMP", "board", "--format", "json"))["items"]
    assert item["status"] == "GREEN"
    log = json.loads(store(*HM, "log", "--format", "json"))["events"]
    assert [(e["id"], e["key"], e.get("item"), e.get("verdict")) for e in log[-3:]] == [
        ("verdicts:WMP@1", "verdicts:WMP", None, None),
        ("verdicts:WMP@2", "verdicts:WMP", "FRAUD19/9", "not-accepted"),
        ("verdicts:WMP@3", "verdicts:WMP", "FRAUD19/9", "accepted"),
    ]
    described = store(*HM, "log", "--format", "csv")
    assert "verdict on FRAUD19/9: not-accepted: No plan for victims' calls" in described
    assert "issued by HMICFRS" in store("--org", "WMP", "log")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ("--org", "WMP", "verdict", "COLP", "FRAUD19/9", "accepted", "--reason", "x"),
            "WMP (West Midlands Police, force) is not one",
        ),
        (("verdict", "WMP", "FRAUD19/9", "accepted", "--reason", "x"), "give --org"),
        (
            (*HM, "verdict", "WMP", "FRAUD19/99", "accepted", "--reason", "x"),
            "no recommendation FRAUD19/99",
        ),
        (
            (*HM, "verdict", "NOWHERE", "FRAUD19/9", "accepted", "--reason", "x"),
            "holds no organisation NOWHERE",
        ),
        ((*HM, "verdict", "WMP", "FRAUD19/9", "accepted"), "--reason"),
        ((*HM, "verdict", "WMP", "FRAUD19/9", "accepted", "--reason", "  "), "--reason"),
        ((*HM, "verdict", "WMP", "FRAUD19/9", "done", "--reason", "x"), "verdict 'done'"),
        (
            (*HM, "verdict", "HMICFRS", "FRAUD19/9", "accepted", "--reason", "x"),
            "another organisation",
        ),
        ((*HM, "verdicts", "NOT A CODE"), "not an organisation code"),
        (("--org", "WMP", "verdicts", "COLP"), "is not one"),
    ],
)
def test_a_verdict_is_refused_in_one_line_where_it_cannot_be_given(
    store: Any, args: tuple[str, ...], says: str
) -> None:
    store(*HM, "national", "issue")
    assert says in store(*args, code=1)
    assert "Verdict" not in store(*HM, "log")


@pytest.mark.postgres
def test_with_each_organisations_own_login_the_server_refuses_writing_anothers_schema(
    request: pytest.FixtureRequest,
) -> None:
    """A force's login cannot write the inspectorate's verdicts, nor the inspectorate's
    login a force's ledger: the database refuses them, said in one line."""
    target = request.getfixturevalue("postgres").create_database(f"ragw_nat_{os.getpid()}")
    run = _runner(target)
    add_national_store(run, report_on=ON, text=REC_9, due=None)
    run(*HM, "national", "issue")
    logins = {}
    env = {"RAGW_NEW_PASSWORD": "secret"}
    for org in ("HMICFRS", "WMP"):
        run("--org", org, "admin", "init-roles")
        name = f"{org.lower()}_owner_{os.getpid()}"
        run("--org", org, "admin", "add-login", name, "--role", "owner", env=env)
        logins[org] = f"postgresql://{name}:secret@{target.split('@', 1)[1]}"
    as_force, as_inspectorate = _runner(logins["WMP"]), _runner(logins["HMICFRS"])
    said = as_force(*HM, "verdict", "WMP", "FRAUD19/9", "accepted", "--reason", "x", code=1)
    assert "the database refused this login" in said and "owner's login" in said
    said = as_inspectorate(*HM, "national", "issue", code=1)
    assert "the database refused this login" in said and "owner's login" in said
    said = as_inspectorate(*HM, "verdict", "WMP", "FRAUD19/9", "accepted", "--reason", "x", code=1)
    assert "the database refused this login" in said
    assert "Verdict" not in run(*HM, "log")


def _runner(target: str) -> Any:
    def run(*args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
        result = invoke(target, *args, env=env)
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        assert "Traceback" not in result.output
        if code:
            assert len(result.stderr.splitlines()) == 1, result.stderr
            assert result.stderr.startswith("Error: ")
            return str(result.stderr)
        return str(result.stdout)

    return run


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with FRAUD19/9 issued to both forces."""
    target = str(tmp_path_factory.mktemp("hostile") / "store.db")
    run = _runner(target)
    add_national_store(run, report_on=ON, text=REC_9, to="forces", due=None)
    run(*HM, "national", "issue")
    return target


VERDICT = ["WMP", "FRAUD19/9", "accepted", "--reason", "Done", "--on", "2019-11-15"]


@pytest.mark.parametrize("place", [0, 1, 2, 4, 6])
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_anywhere_in_a_verdict_is_refused_in_one_line_or_recorded(
    issued: str, place: int, value: str
) -> None:
    args = [*VERDICT]
    args[place] = value
    for command in (["verdict", *args], ["verdicts", *args[:1]], ["national", "issue", "--to"]):
        if command[-1] == "--to":
            command = [*command, value]
        result = invoke(issued, *HM, *command)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 1:
            assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert "ok:" in invoke(issued, *HM, "verify", "--rules").stdout


def test_verdicts_are_listed_in_the_order_the_report_numbers_its_recommendations(
    store: Any,
) -> None:
    for ref in ("2", "4a", "11"):
        item = ("--kind", "recommendation", "--text", f"Recommendation {ref}")
        store(*HM, "rec", "add", "FRAUD19", ref, *item, "--to", "forces", "--on", "2019-04-02")
    store(*HM, "national", "issue")
    for ref in ("11", "9", "4a", "2"):
        store(*HM, "verdict", "COLP", f"FRAUD19/{ref}", "accepted", "--reason", "Done")
    listed = json.loads(store(*HM, "verdicts", "COLP", "--format", "json"))["verdicts"]
    assert [v["key"] for v in listed] == ["FRAUD19/2", "FRAUD19/4a", "FRAUD19/9", "FRAUD19/11"]


def test_issuing_with_no_force_in_the_register_says_so_and_records_nothing(ragw: Any) -> None:
    ragw("org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    national_report(ragw, "FRAUD19")
    said = ragw(*HM, "national", "issue")
    assert said == "the register holds no force to issue to; nothing was recorded\n"
