"""The command line behaves as the contract in cli.md says."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.demo import demo_paper


def events_in(ragw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(ragw("log", "--format", "json"))["events"])


def setup_fraud(ragw) -> None:  # type: ignore[no-untyped-def]
    ragw(
        "report",
        "add",
        "FRAUD19",
        "--title",
        "Fraud: Time to Choose",
        "--scope",
        "national",
        "--published",
        "2019-04-01",
        "--inspectorate",
        "HMICFRS",
        "--makes",
        "18",
        "--on",
        "2019-04-01",
    )
    ragw(
        "rec",
        "add",
        "FRAUD19",
        "9",
        "--kind",
        "recommendation",
        "--text",
        "Publish the policy",
        "--due",
        "September 2019",
        "--status",
        "AMBER",
        "--owner",
        "DCI Crime",
        "--on",
        "2019-05-01",
    )


def test_a_session_of_register_update_extend_and_read(ragw) -> None:  # type: ignore[no-untyped-def]
    setup_fraud(ragw)
    assert (
        ragw(
            "status", "FRAUD19/9", "RED", "--reason", "Policy at consultation", "--on", "2019-10-01"
        )
        == "recorded FRAUD19/9@2\n"
    )
    ragw(
        "extend",
        "FRAUD19/9",
        "--to",
        "2019-12-31",
        "--reason",
        "Consultation ends in December",
        "--on",
        "2019-10-02",
    )
    ragw("note", "FRAUD19/9", "Draft policy produced", "--on", "2019-10-03")
    ragw("assign", "FRAUD19/9", "D/Supt PSD", "--on", "2019-10-04")

    before = json.loads(ragw("board", "--as-at", "2019-09-30", "--format", "json"))
    after = json.loads(ragw("board", "--as-at", "2019-11-01", "--format", "json"))
    assert before == {"as_at": "2019-09-30", "as_known_at": None, "items": [before["items"][0]]}
    assert {
        k: before["items"][0][k]
        for k in ("key", "report", "ref", "kind", "scope", "status", "due", "overdue", "owner")
    } == {
        "key": "FRAUD19/9",
        "report": "FRAUD19",
        "ref": "9",
        "kind": "recommendation",
        "scope": "national",
        "status": "AMBER",
        "due": "2019-09-30",
        "overdue": False,
        "owner": "DCI Crime",
    }
    assert (after["items"][0]["status"], after["items"][0]["due"], after["items"][0]["owner"]) == (
        "RED",
        "2019-12-31",
        "D/Supt PSD",
    )
    assert after["items"][0]["overdue"] is False

    history = json.loads(ragw("history", "FRAUD19/9", "--format", "json"))
    assert history["key"] == "FRAUD19/9"
    assert [e["type"] for e in history["events"]] == [
        "RecommendationIssued",
        "StatusChanged",
        "DeadlineExtended",
        "ProgressNoted",
        "OwnerAssigned",
    ]
    first = history["events"][0]
    assert {"id", "type", "on", "recorded_at", "actor"} <= first.keys()
    assert first["actor"] == "Strategic Development" and first["on"] == "2019-05-01"
    assert "2019-09-30" in json.dumps(history) and "2019-12-31" in json.dumps(history)


def test_an_item_added_with_an_extended_due_date_shows_both_dates_in_its_history(ragw) -> None:  # type: ignore[no-untyped-def]
    ragw(
        "report",
        "add",
        "HATE18",
        "--title",
        "Understanding the difference",
        "--scope",
        "national",
        "--published",
        "2018-07-01",
    )
    ragw(
        "rec",
        "add",
        "HATE18",
        "6",
        "--kind",
        "concern",
        "--text",
        "Use the cyber-enabled flag",
        "--due",
        "October 2018 Now January 2020",
        "--status",
        "NEW RED",
        "--reason",
        "Bedding in",
        "--on",
        "2019-11-01",
    )
    history = json.loads(ragw("history", "HATE18/6", "--format", "json"))["events"]
    assert history[0]["due"] == "2018-10-31"
    assert (history[1]["type"], history[1]["previous_due"], history[1]["due"]) == (
        "DeadlineExtended",
        "2018-10-31",
        "2020-01-31",
    )


def test_the_log_lists_every_event_with_its_key_in_recorded_order(ragw) -> None:  # type: ignore[no-untyped-def]
    setup_fraud(ragw)
    events = json.loads(ragw("log", "--format", "json"))["events"]
    assert [(e["id"], e["type"], e["key"]) for e in events] == [
        ("FRAUD19@1", "ReportRegistered", "FRAUD19"),
        ("FRAUD19/9@1", "RecommendationIssued", "FRAUD19/9"),
    ]
    assert all({"on", "recorded_at", "actor"} <= e.keys() for e in events)


def test_a_correction_retracts_an_event_as_known_now_but_not_as_known_before(ragw) -> None:  # type: ignore[no-untyped-def]
    setup_fraud(ragw)
    ragw("status", "FRAUD19/9", "GREEN", "--on", "2019-10-01")
    moment = json.loads(ragw("log", "--format", "json"))["events"][-1]["recorded_at"]
    ragw("correct", "FRAUD19/9@2", "--reason", "GREEN was meant for item 8")
    now = json.loads(ragw("board", "--as-at", "2019-11-01", "--format", "json"))
    then = json.loads(
        ragw("board", "--as-at", "2019-11-01", "--as-known-at", moment, "--format", "json")
    )
    assert now["items"][0]["status"] == "AMBER"
    assert then["items"][0]["status"] == "GREEN" and then["as_known_at"] is not None
    retracted = json.loads(ragw("history", "FRAUD19/9", "--format", "json"))["events"][1]
    assert retracted["corrected_by"] == "FRAUD19/9@3"


@pytest.mark.parametrize(
    "args",
    [
        ("status", "FRAUD19/9", "RED"),
        ("status", "FRAUD19/9", "WHITE"),
        ("status", "FRAUD19/9", "PURPLE"),
        ("status", "FRAUD19/99", "GREEN"),
        ("status", "FRAUD19/9", "GREEN", "--on", "2999-01-01"),
        ("status", "FRAUD19/9", "GREEN", "--on", "2019-13-01"),
        ("status", "FRAUD19/9", "GREEN", "--on", "2019-04-30"),
        ("extend", "FRAUD19/9", "--to", "2019-12-31"),
        ("extend", "FRAUD19/9", "--to", "2019-08-31", "--reason", "r"),
        ("extend", "FRAUD19/9", "--reason", "r"),
        ("close", "FRAUD19/9"),
        ("correct", "FRAUD19/9@5", "--reason", "r"),
        ("correct", "FRAUD19/9@1", "--reason", "r"),
        (
            "report",
            "add",
            "FRAUD19",
            "--title",
            "t",
            "--scope",
            "force",
            "--published",
            "2019-01-01",
        ),
        ("report", "add", "X", "--title", "t", "--scope", "planet", "--published", "2019-01-01"),
        ("rec", "add", "FRAUD19", "9", "--kind", "afi", "--text", "t"),
        ("rec", "add", "FRAUD19", "10", "--kind", "afi", "--text", "t", "--due", "soonish"),
        ("rec", "add", "FRAUD19", "10", "--kind", "wish", "--text", "t"),
        ("rec", "add", "NOPE", "1", "--kind", "afi", "--text", "t"),
        ("note", "FRAUD19/9", "   "),
        ("board", "--as-at", "yesterday"),
        ("board", "--status", "BLUE"),
        ("board", "--as-known-at", "noon"),
        ("history", "FRAUD19/99"),
    ],
)
def test_every_refusal_is_one_error_line_exit_1_and_writes_nothing(
    ragw, args: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    setup_fraud(ragw)
    before = events_in(ragw)
    message = ragw(*args, code=1)
    assert message.startswith("Error: ") and message.count("\n") == 1, message
    assert events_in(ragw) == before


def test_a_refused_first_write_leaves_no_ledger_file_behind(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = CliRunner().invoke(
        main,
        [
            "--db",
            str(db),
            "report",
            "add",
            "X",
            "--title",
            "t",
            "--scope",
            "planet",
            "--published",
            "2019-01-01",
        ],
    )
    assert result.exit_code == 1 and not db.exists()


def test_reading_a_missing_ledger_says_so_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    result = CliRunner().invoke(main, ["--db", str(db), "board"])
    assert result.exit_code == 1 and "no ledger" in result.stderr and not db.exists()


@pytest.mark.parametrize("read", [("log",), ("board",), ("verify",)])
def test_reading_an_empty_file_says_there_is_no_ledger_and_leaves_it_empty(
    tmp_path: Path, read: tuple[str, ...]
) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    result = CliRunner().invoke(main, ["--db", str(db), *read])
    assert result.exit_code == 1 and "no ledger at" in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and db.stat().st_size == 0


def test_board_filters_narrow_the_items(ragw) -> None:  # type: ignore[no-untyped-def]
    setup_fraud(ragw)
    ragw(
        "rec",
        "add",
        "FRAUD19",
        "3",
        "--kind",
        "recommendation",
        "--text",
        "t",
        "--due",
        "August 2019",
        "--status",
        "GREEN",
        "--on",
        "2019-05-01",
    )

    def keys(*args: str) -> list[str]:
        return [
            i["key"]
            for i in json.loads(ragw("board", "--as-at", "2019-11-01", "--format", "json", *args))[
                "items"
            ]
        ]

    assert keys() == ["FRAUD19/3", "FRAUD19/9"]
    assert keys("--status", "green") == ["FRAUD19/3"]
    assert keys("--overdue") == ["FRAUD19/9"]
    assert keys("--owner", "DCI Crime") == ["FRAUD19/9"]
    assert keys("--report", "OTHER") == []


def _all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _all_commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


@pytest.mark.parametrize("name, command", _all_commands(main))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "ragw " in command.help, f"`ragw {name} --help` shows no example"


def test_help_opens_no_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "board", "--help"])
    assert result.exit_code == 0 and not (tmp_path / "x.db").exists()


def test_the_installed_ragw_command_runs_the_demo(tmp_path: Path) -> None:
    ragw_path = shutil.which("ragw") or str(Path(os.sys.executable).parent / "ragw")  # type: ignore[attr-defined]
    db = tmp_path / "demo.db"
    done = subprocess.run(
        [ragw_path, "--db", str(db), "demo", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    board = json.loads(done.stdout)
    paper = {r["code"] for r in demo_paper()["reports"]}  # and earlier papers' reports
    assert board["as_at"] == "2019-11-15"
    assert len([i for i in board["items"] if i["report"] in paper]) == 105
    again = subprocess.run(
        [
            ragw_path,
            "--db",
            str(db),
            "board",
            "--as-at",
            "2019-11-15",
            "--status",
            "RED",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(i["key"] for i in json.loads(again.stdout)["items"]) == [
        "CUSTODY18/16",
        "FRAUD19/1",
        "FRAUD19/16",
        "FRAUD19/9",
        "HATE18/6",
    ]
