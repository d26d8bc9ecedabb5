"""Export, backup and restore: what goes out comes back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.demo import demo_paper

PAPER = "2019-11-15"


def run(db: str, *args: str, code: int = 0, actor: str = "Auditor") -> str:
    result = CliRunner().invoke(main, ["--db", db, "--actor", actor, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


@pytest.fixture
def original(tmp_path: Path) -> str:
    """The demo ledger on a SQLite file, with a correction, later changes and sign-offs
    (granted, rejected and still pending) in its history."""
    db = str(tmp_path / "original.db")
    run(db, "demo", "--db", db)
    green = run(db, "status", "PEEL1819/2", "GREEN", "--on", "2020-01-10").split()[-1]
    run(db, "correct", green, "--reason", "GREEN was for PEEL1819/3")
    run(
        db,
        "extend",
        "FRAUD19/2",
        "--to",
        "2020-06-30",
        "--reason",
        "Awaiting the NFIB data",
        "--on",
        "2020-02-01",
    )
    run(db, "meeting", "add", "PRMSC", "2020-03-01", "--paper", "Pol 12/20", "--on", "2020-01-01")
    run(db, "committee", "sign-off", "PRMSC", "--for", "extensions")
    owner = "Head of Cyber Crime"
    run(
        db,
        "complete",
        "CYBER19/1",
        "--evidence",
        "Training delivered",
        "--link",
        "https://intranet.example/fraud.pdf",
        "--on",
        "2020-01-20",
        actor=owner,
    )
    run(db, "sign-off", "CYBER19/1", "--on", "2020-02-10")
    run(
        db,
        "extend",
        "BETRAYAL/4a",
        "--to",
        "2020-12-31",
        "--reason",
        "Awaiting guidance",
        "--on",
        "2020-01-21",
        actor=owner,
    )
    run(db, "reject", "BETRAYAL/4a", "--reason", "Ask at the next meeting", "--on", "2020-02-11")
    run(
        db,
        "extend",
        "BETRAYAL/4a",
        "--to",
        "2020-09-30",
        "--reason",
        "Awaiting guidance",
        "--on",
        "2020-02-20",
        actor=owner,
    )
    return db


def reads(db: str) -> list[str]:
    """Everything a user can read, as the bytes the commands print."""
    keys = [
        i["key"]
        for i in json.loads(run(db, "board", "--as-at", "2020-03-01", "--format", "json"))["items"]
    ]
    outputs = [run(db, "log", "--format", "json"), run(db, "log")]
    for day in (PAPER, "2020-03-01"):
        outputs += [
            run(db, "board", "--as-at", day),
            run(db, "summary", "PRMSC", day, "--format", "json"),
            run(db, "appendix", "PRMSC", day, "--format", "json"),
        ]
    outputs += [run(db, "history", key, "--format", "json") for key in keys]
    return outputs


def test_export_then_restore_into_a_fresh_ledger_reads_byte_for_byte_the_same(
    original: str, target: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    run(original, "export", "--out", str(backup))
    head = run(original, "verify").splitlines()[-1].removeprefix("digest ")
    restored = run(target, "restore", str(backup), "--digest", head)
    # every event of the demo (with the items of earlier papers) and the changes above
    events = len(backup.read_text().splitlines())
    assert events > 280
    assert restored == f"restored backup.jsonl: {events} events; ledger digest {head}\n"
    assert reads(target) == reads(original)
    again = tmp_path / "again.jsonl"
    run(target, "export", "--out", str(again))
    assert again.read_bytes() == backup.read_bytes()


def test_each_exported_line_is_one_event_with_its_envelope_and_payload(
    original: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    run(original, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    assert len(lines) == len(json.loads(run(original, "log", "--format", "json"))["events"])
    green, correction = lines[-11], lines[-10]
    assert (green["type"], correction["type"]) == ("StatusChanged", "EventCorrected")
    assert {k: correction[k] for k in ("key", "actor")} == {"key": "PEEL1819/2", "actor": "Auditor"}
    assert correction["payload"] == {"corrects": green["id"], "reason": "GREEN was for PEEL1819/3"}
    assert set(correction) >= {"id", "type", "key", "on", "recorded_at", "actor", "payload"}
    signed = lines[-4]
    assert (signed["type"], signed["key"], signed["payload"]["outcome"]) == (
        "SignedOff",
        "CYBER19/1",
        "GREEN",
    )
    assert lines[-5]["payload"]["links"] == ["https://intranet.example/fraud.pdf"]


def test_restore_refuses_a_ledger_that_holds_events(original: str, tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl"
    run(original, "export", "--out", str(backup))
    before = run(original, "log", "--format", "json")
    message = run(original, "restore", str(backup), code=1)
    assert message.startswith("Error: restore writes into an empty ledger only")
    assert run(original, "log", "--format", "json") == before


def test_a_damaged_backup_is_refused_whole_naming_its_lines(original: str, tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl"
    run(original, "export", "--out", str(backup))
    lines = backup.read_text().splitlines()
    lines[10] = lines[10][:-5]  # cut short
    del lines[20]  # a missing event leaves a gap in its stream
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join(lines) + "\n")
    fresh = str(tmp_path / "fresh.db")
    message = run(fresh, "restore", str(damaged), code=1)
    assert message.startswith("Error: damaged.jsonl has 2 bad rows and nothing was recorded")
    assert "line 11: not a JSON object" in message and "line 21:" in message
    assert not Path(fresh).exists(), "a refused restore leaves no ledger behind"


def test_a_backup_written_by_a_newer_ragw_or_repeating_its_envelope_is_refused(
    original: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    run(original, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    lines[3]["class_version"] = 9  # a shape this ragw has never seen
    lines[5]["payload"]["actor"] = "Someone Else"  # a second, different actor
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(line) + "\n" for line in lines))
    fresh = str(tmp_path / "fresh.db")
    message = run(fresh, "restore", str(changed), code=1)
    assert message.startswith("Error: changed.jsonl has ") and "nothing was recorded" in message
    assert "line 4: " in message and "version 9 where it was written" in message
    assert "line 6: its payload repeats actor" in message
    assert not Path(fresh).exists()


def test_an_exported_board_imports_elsewhere_as_the_same_board(
    original: str, tmp_path: Path
) -> None:
    exported = tmp_path / "board.csv"
    run(original, "export", "--out", str(exported), "--as-at", "2020-03-01")
    elsewhere = str(tmp_path / "elsewhere.db")
    run(elsewhere, "import", str(exported), "--on", "2020-03-01")

    def board(db: str) -> list[tuple[str, str, str]]:
        items = json.loads(run(db, "board", "--as-at", "2020-03-01", "--format", "json"))["items"]
        return [(i["key"], i["status"], i["due"]) for i in items]

    assert board(elsewhere) == board(original)


def test_a_board_exported_as_known_at_a_moment_shows_what_the_ledger_said_then(
    original: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    events = json.loads(run(original, "log", "--format", "json"))["events"]
    green_recorded = next(
        e for e in events if e["type"] == "StatusChanged" and e["key"] == "PEEL1819/2"
    )["recorded_at"]
    out = tmp_path / "board.xlsx"
    run(
        original,
        "export",
        "--out",
        str(out),
        "--as-at",
        "2020-03-01",
        "--as-known-at",
        green_recorded,
    )
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    paper = {r["code"] for r in demo_paper()["reports"]}  # and earlier papers' reports
    assert len([key for key in rows if key.partition("/")[0] in paper]) == 105
    assert rows["PEEL1819/2"]["status"] == "GREEN", "the mistake, as shown before its correction"
    assert rows["FRAUD19/2"]["due"] == "March 2020", "the extension was recorded later"
