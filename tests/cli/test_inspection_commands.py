"""``ragw inspection add|update|list`` and ``report add --restricted --from-inspection``:
each refusal is one ``Error:`` line with nothing recorded, on SQLite and PostgreSQL; and a
restore re-makes inspections by the same rules, refusing a backup whose inspections or
reports of them no command could have written."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

ME = "Strategic Development"
ADD = ["inspection", "add"]
FIELDWORK = ["--inspectorate", "HMICFRS", "--fieldwork", "2021-02-06..2021-02-09"]
REPORT = ["report", "add", "NEW", "--title", "T", "--scope", "force", "--published", "2021-05-01"]


def run(target: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", ME, *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result.stdout if code == 0 else result.stderr


def events_in(target: str) -> int:
    return len(json.loads(run(target, "log", "--format", "json"))["events"])


def prepared(target: str) -> str:
    on = ["--on", "2021-02-09"]
    run(target, *ADD, "CUSTODY", "--title", "Custody", *FIELDWORK, "--expected", "2021-04", *on)
    run(target, *ADD, "CTCC", "--title", "CT", *FIELDWORK, "--no-report", "--reason", "why", *on)
    run(target, *REPORT[:2], "ROADS", *REPORT[3:-1], "2021-01-04", "--on", "2021-01-04")
    run(target, "committee", "add", "JAC", "--name", "Joint Audit Committee")
    return target


REFUSED = {
    "an unknown inspection": (
        ["inspection", "update", "NOPE", "--debrief", "2021-02-10"],
        "no inspection NOPE",
    ),
    "a duplicate code": (
        [*ADD, "CUSTODY", "--title", "T", *FIELDWORK],
        "CUSTODY is the code of an inspection",
    ),
    "a report's code": (
        [*ADD, "ROADS", "--title", "T", *FIELDWORK],
        "ROADS is the code of a report",
    ),
    "a committee's code": (
        [*ADD, "JAC", "--title", "T", *FIELDWORK],
        "JAC is the code of a committee",
    ),
    "fieldwork ending before it starts": (
        [*ADD, "X", "--title", "T", "--inspectorate", "H", "--fieldwork", "2021-02-09..2021-02-06"],
        "--fieldwork of X ends on 2021-02-06, before it starts",
    ),
    "fieldwork not FROM..TO": (
        [*ADD, "X", "--title", "T", "--inspectorate", "H", "--fieldwork", "2021-02-09.."],
        "is not FROM..TO",
    ),
    "no report without a reason": (
        [*ADD, "X", "--title", "T", *FIELDWORK, "--no-report"],
        "--reason",
    ),
    "a reason without no report": (
        [*ADD, "X", "--title", "T", *FIELDWORK, "--reason", "r"],
        "--no-report",
    ),
    "an expected date before fieldwork ends": (
        [*ADD, "X", "--title", "T", *FIELDWORK, "--expected", "2021-02-08"],
        "--expected 2021-02-08 is before the fieldwork of X ends",
    ),
    "an expected month that is no month": (
        [*ADD, "X", "--title", "T", *FIELDWORK, "--expected", "2021-13"],
        "neither a date nor a month",
    ),
    "a report expected where none will be": (
        [
            *ADD,
            "X",
            "--title",
            "T",
            *FIELDWORK,
            "--no-report",
            "--reason",
            "r",
            "--expected",
            "2021-05",
        ],
        "none is expected",
    ),
    "a debrief before fieldwork": (
        [*ADD, "X", "--title", "T", *FIELDWORK, "--debrief", "2021-02-01"],
        "--debrief of X",
    ),
    "no inspectorate": (
        [*ADD, "X", "--title", "T", "--inspectorate", " ", "--fieldwork", "2021-02-06"],
        "needs the inspectorate",
    ),
    "an inspection added in the future": (
        [*ADD, "X", "--title", "T", *FIELDWORK, "--on", "2999-01-01"],
        "in the future",
    ),
    "a moved date without its reason": (
        ["inspection", "update", "CUSTODY", "--expected", "2021-05"],
        'add --reason "why the date moved"',
    ),
    "a moved fieldwork without its reason": (
        ["inspection", "update", "CUSTODY", "--fieldwork", "2021-02-07..2021-02-09"],
        "--reason",
    ),
    "an update that changes nothing": (
        ["inspection", "update", "CUSTODY", "--expected", "2021-04"],
        "nothing about inspection CUSTODY changes",
    ),
    "an update that breaks the dates": (
        [
            "inspection",
            "update",
            "CUSTODY",
            "--fieldwork",
            "2021-02-06..2021-05-01",
            "--reason",
            "r",
        ],
        "before the fieldwork of CUSTODY ends",
    ),
    "a change taking effect before the inspection was added": (
        ["inspection", "update", "CUSTODY", "--debrief", "2021-02-10", "--on", "2021-02-08"],
        "inspection CUSTODY was added on 2021-02-09",
    ),
    "a report of an unknown inspection": (
        [*REPORT, "--from-inspection", "NOPE"],
        "no inspection NOPE",
    ),
    "a report of an inspection with no report": (
        [*REPORT, "--from-inspection", "CTCC"],
        "no report of inspection CTCC is to be published",
    ),
    "a report published before the fieldwork ended": (
        [*REPORT[:-1], "2021-02-07", "--from-inspection", "CUSTODY"],
        "before the fieldwork of inspection CUSTODY ended",
    ),
    "a report with an inspection's code": (
        [
            "report",
            "add",
            "CUSTODY",
            "--title",
            "T",
            "--scope",
            "force",
            "--published",
            "2021-05-01",
        ],
        "CUSTODY is the code of an inspection",
    ),
    "a committee with an inspection's code": (
        ["committee", "add", "CTCC", "--name", "N"],
        "CTCC is the code of an inspection",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_each_refusal_is_one_error_line_and_records_nothing(target: str, case: str) -> None:
    args, said = REFUSED[case]
    before = events_in(prepared(target))
    message = run(target, *args, code=1)
    assert len(message.splitlines()) == 1 and message.startswith("Error: "), message
    assert said in message, message
    assert events_in(target) == before


def test_an_inspection_has_one_report_and_then_cannot_lose_it(target: str) -> None:
    prepared(target)
    run(target, *REPORT, "--from-inspection", "CUSTODY", "--restricted")
    second = run(target, *REPORT[:2], "NEW2", *REPORT[3:], "--from-inspection", "CUSTODY", code=1)
    assert "inspection CUSTODY has its report already (NEW)" in second
    gone = run(target, "inspection", "update", "CUSTODY", "--no-report", "--reason", "r", code=1)
    assert "has its report NEW already" in gone
    listed = json.loads(run(target, "inspection", "list", "--format", "json"))["inspections"]
    assert {i["code"]: i["report"] for i in listed} == {"CUSTODY": "NEW", "CTCC": None}


def test_a_moved_date_is_recorded_with_its_reason_and_a_first_debrief_needs_none(
    target: str,
) -> None:
    prepared(target)
    assert run(target, "inspection", "update", "CUSTODY", "--debrief", "2021-02-10").strip() == (
        "recorded CUSTODY@2"
    )
    run(target, "inspection", "update", "CUSTODY", "--expected", "2021-06", "--reason", "slipped")
    log = json.loads(run(target, "log", "--format", "json"))["events"]
    moved = next(e for e in log if e["id"] == "CUSTODY@3")
    assert (moved["expected"], moved["reason"]) == ("2021-06", "slipped")
    listed = run(target, "inspection", "list")  # as at today, when both took effect
    assert "expected 2021-06" in listed and "debriefed" in listed
    before = run(target, "inspection", "list", "--as-at", "2021-03-01")
    assert "expected 2021-04" in before and "debriefed" not in before


def test_recording_that_no_report_will_be_published_clears_the_expected_date(
    target: str,
) -> None:
    prepared(target)
    run(target, "inspection", "update", "CUSTODY", "--no-report", "--reason", "sensitive")
    listed = json.loads(run(target, "inspection", "list", "--format", "json"))["inspections"]
    custody = next(i for i in listed if i["code"] == "CUSTODY")
    assert (custody["no_report"], custody["expected"]) == (True, None)
    before = json.loads(
        run(target, "inspection", "list", "--as-at", "2021-02-09", "--format", "json")
    )
    assert next(i for i in before["inspections"] if i["code"] == "CUSTODY")["expected"] == "2021-04"


def test_a_report_registered_as_making_no_recommendations_has_no_items(target: str) -> None:
    prepared(target)
    run(target, *REPORT, "--makes", "0")
    before = events_in(target)
    item = ["rec", "add", "NEW", "1", "--kind", "recommendation", "--text", "T"]
    message = run(target, *item, code=1)
    assert (
        message
        == "Error: report NEW was registered as making no recommendations; it has no items\n"
    )
    assert events_in(target) == before


# Restore ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("inspections")
    db = prepared(str(folder / "original.db"))
    run(db, "inspection", "update", "CUSTODY", "--expected", "2021-05", "--reason", "slipped")
    run(db, *REPORT, "--from-inspection", "CUSTODY", "--restricted", "--makes", "0")
    backup = folder / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    return [json.loads(line) for line in backup.read_text().splitlines()]


def restored(tmp_path: Path, lines: list[dict[str, Any]], code: int) -> str:
    path = tmp_path / "backup.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return run(str(tmp_path / "copy.db"), "restore", str(path), code=code)


def test_a_backup_of_inspections_and_their_reports_restores_as_it_was(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    restored(tmp_path, exported, 0)
    copy = str(tmp_path / "copy.db")
    listed = json.loads(run(copy, "inspection", "list", "--format", "json"))["inspections"]
    assert {i["code"]: (i["expected"], i["report"]) for i in listed} == {
        "CUSTODY": ("2021-05", "NEW"),
        "CTCC": (None, None),
    }
    run(copy, "verify")


def forged(lines: list[dict[str, Any]], event_id: str, **payload: Any) -> list[dict[str, Any]]:
    copy = json.loads(json.dumps(lines))
    line = next(each for each in copy if each["id"] == event_id)
    line["payload"].update(payload)
    return copy


@pytest.mark.parametrize(
    ("event_id", "payload", "said"),
    [
        ("CUSTODY@1", {"fieldwork_to": "2021-02-01"}, "ends on 2021-02-01, before it starts"),
        ("CUSTODY@1", {"code": "OTHER"}, "its payload names 'OTHER'"),
        ("CUSTODY@1", {"inspectorates": []}, "it names no inspectorate"),
        ("CUSTODY@1", {"expected": "May 2021"}, "neither a date nor a month"),
        ("CUSTODY@2", {"reason": None}, "moving a date of inspection CUSTODY needs a reason"),
        ("CTCC@1", {"reason": None}, "needs the reason none will be published"),
        ("NEW@1", {"inspection": "CTCC"}, "inspection CTCC was to have no report"),
        ("NEW@1", {"inspection": "GHOST"}, "no inspection GHOST earlier in the file"),
        ("NEW@1", {"published": "2021-02-07"}, "published before inspection CUSTODY's fieldwork"),
        ("ROADS@1", {"code": "CUSTODY"}, "its payload names 'CUSTODY'"),
    ],
)
def test_a_restore_refuses_inspections_no_command_could_have_written(
    exported: list[dict[str, Any]], tmp_path: Path, event_id: str, payload: Any, said: str
) -> None:
    message = restored(tmp_path, forged(exported, event_id, **payload), 1)
    assert len(message.splitlines()) == 1 and said in message, message
    assert not (tmp_path / "copy.db").exists()


def test_a_restore_refuses_a_second_report_of_one_inspection(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    first = next(line for line in exported if line["id"] == "NEW@1")
    second = json.loads(json.dumps(first))
    second.update(id="NEW2@1", key="NEW2", position=exported[-1]["position"] + 1)
    second["payload"]["code"] = "NEW2"
    lines = [*exported, second]
    message = restored(tmp_path, lines, 1)
    assert "inspection CUSTODY has its report already (NEW)" in message, message


def reported_at(lines: list[dict[str, Any]]) -> int:
    """Where the inspection's ``InspectionReported`` is: the line after its report's."""
    (at,) = [n for n, line in enumerate(lines) if line["type"] == "InspectionReported"]
    assert lines[at - 1]["id"] == "NEW@1" and lines[at]["payload"] == {"report": "NEW"}
    return at


def test_a_report_of_an_inspection_is_recorded_on_the_inspection_in_the_same_write(
    exported: list[dict[str, Any]],
) -> None:
    at = reported_at(exported)
    assert exported[at]["key"] == "CUSTODY"
    assert exported[at]["position"] == exported[at - 1]["position"] + 1


def test_a_backup_from_before_the_inspection_kept_its_report_restores_and_keeps_the_link(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    at = reported_at(exported)
    older = [*exported[:at], *exported[at + 1 :]]
    restored(tmp_path, older, 0)
    copy = str(tmp_path / "copy.db")
    second = ["--from-inspection", "CUSTODY"]
    message = run(copy, *REPORT[:2], "NEW2", *REPORT[3:], *second, code=1)
    assert "inspection CUSTODY has its report already (NEW)" in message, message


def moved(lines: list[dict[str, Any]], at: int, to: int) -> list[dict[str, Any]]:
    """Line ``at`` moved to index ``to``, positions renumbered in order."""
    copy = json.loads(json.dumps(lines))
    line = copy.pop(at)
    copy.insert(to, line)
    for line, position in zip(copy, sorted(each["position"] for each in lines), strict=True):
        line["position"] = position
    return copy


def test_a_restore_refuses_an_inspection_reported_apart_from_its_report(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    at = reported_at(exported)
    apart = moved(exported, at, at - 1)  # before its report
    assert [line["type"] for line in apart[at - 1 : at + 1]] == [
        "InspectionReported",
        "ReportRegistered",
    ]
    message = restored(tmp_path, apart, 1)
    assert "InspectionReported is recorded only with the ReportRegistered of its report NEW" in (
        message
    ), message
    assert not (tmp_path / "copy.db").exists()


def test_a_restore_refuses_an_inspection_reported_twice(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    copy = json.loads(json.dumps(exported))
    again = json.loads(json.dumps(copy[reported_at(copy)]))
    version = int(again["id"].split("@")[1]) + 1
    again.update(id=f"CUSTODY@{version}", position=copy[-1]["position"] + 1)
    message = restored(tmp_path, [*copy, again], 1)
    assert "InspectionReported is recorded only with the ReportRegistered" in message, message


def test_a_restore_refuses_a_report_linked_on_another_inspections_stream(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    copy = json.loads(json.dumps(exported))
    versions = [int(line["id"].split("@")[1]) for line in copy if line["key"] == "CTCC"]
    copy[reported_at(copy)].update(key="CTCC", id=f"CTCC@{max(versions) + 1}")
    message = restored(tmp_path, copy, 1)
    assert "InspectionReported is recorded only with the ReportRegistered" in message, message


def test_a_restore_refuses_an_inspection_reported_before_its_report_was_recorded(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    copy = json.loads(json.dumps(exported))
    at = reported_at(copy)
    previous = [line for line in copy[:at] if line["key"] == "CUSTODY"][-1]
    after, before = (
        datetime.fromisoformat(line["recorded_at"]) for line in (previous, copy[at - 1])
    )
    copy[at]["recorded_at"] = (after + (before - after) / 2).isoformat()  # in its stream's order
    message = restored(tmp_path, copy, 1)
    assert "before its report NEW" in message, message


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"payload": {"report": "ROADS"}}, "its report is 'ROADS' where the report's command"),
        ({"actor": "someone else"}, "its actor is 'someone else' where the report's command"),
        ({"on": "2021-01-04"}, "its on is 2021-01-04 where the report's command"),
    ],
)
def test_a_restore_refuses_an_inspection_reported_unlike_its_report(
    exported: list[dict[str, Any]], tmp_path: Path, change: dict[str, Any], said: str
) -> None:
    copy = json.loads(json.dumps(exported))
    copy[reported_at(copy)].update(change)
    message = restored(tmp_path, copy, 1)
    assert said in message, message
    assert not (tmp_path / "copy.db").exists()


def test_a_restore_refuses_an_inspection_with_a_report_code(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    first = next(line for line in exported if line["id"] == "CTCC@1")
    clash = json.loads(json.dumps(first))
    clash.update(id="ROADS@1", key="ROADS", position=exported[-1]["position"] + 1)
    clash["payload"]["code"] = "ROADS"
    message = restored(tmp_path, [*exported, clash], 1)
    assert "ROADS is the code of a report already" in message, message
