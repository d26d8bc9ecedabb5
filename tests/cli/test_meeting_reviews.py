"""Reports for review, through the command line on each store: a meeting names the
reports it looks at closely (seed 002, "Overview of the four reports for review"), its
paper lists every item of them with its status, owner and latest comment as at the
meeting, and a change of the reviews is an event like any other: papers read as known
before it, or as issued before it, still list the reports reviewed then."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

MEETING = "2017-03-30"


def events_in(ragw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(ragw("log", "--format", "json"))["events"])


def reviewed(ragw, day: str = MEETING, *args: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    found = json.loads(ragw("summary", "JAC", day, "--format", "json", *args))["reviewed"]
    return found  # type: ignore[no-any-return]


#: The history the tests read, as typed: two reports of seed 002 with their items,
#: progress noted and an item added after the meeting, and the meeting before this one.
HISTORY = """
report add CRIME14 --title "Crime (PEEL)" --scope force --published 2014-11-27 --on 2014-11-27
rec add CRIME14 2.36 --kind recommendation --text "Review the examination of seized computers"
  --owner "Head of Forensics" --status AMBER --on 2014-11-27
rec add CRIME14 2.30 --kind recommendation --text "Review the information given to partners"
  --owner "Head of Intelligence" --on 2014-11-27
note CRIME14/2.36 "The backlog is halved" --on 2016-12-01
note CRIME14/2.36 "The backlog is eradicated" --on 2017-04-15
status CRIME14/2.36 GREEN --on 2017-04-20
rec add CRIME14 2.40 --kind afi --text "Added after the meeting" --on 2017-05-02
report add UNDERCOVER --title "Undercover Policing" --scope national --published 2014-10-01
  --on 2014-10-01
rec add UNDERCOVER 1 --kind recommendation --text "Enforce a fair reintegration strategy"
  --owner "WMP Lead" --status AMBER --on 2014-10-01
note UNDERCOVER/1 "A tenure policy was ratified" --on 2017-03-01
committee add JAC --name "Joint Audit Committee" --on 2016-01-01
meeting add JAC 2016-12-15 --on 2016-12-15
"""


@pytest.fixture
def ledger(ragw):  # type: ignore[no-untyped-def]
    for command in HISTORY.replace("\n  ", " ").strip().splitlines():
        ragw(*shlex.split(command))
    return ragw


CRIME14 = {
    "code": "CRIME14",
    "title": "Crime (PEEL)",
    "items": [
        {
            "key": "CRIME14/2.30",
            "ref": "2.30",
            "kind": "Recommendation",
            "text": "Review the information given to partners",
            "status": "NOT ASSESSED",
            "owner": "Head of Intelligence",
            "due": None,
            "latest_comment": None,
        },
        {
            "key": "CRIME14/2.36",
            "ref": "2.36",
            "kind": "Recommendation",
            "text": "Review the examination of seized computers",
            "status": "AMBER",
            "owner": "Head of Forensics",
            "due": None,
            "latest_comment": "The backlog is halved",
        },
    ],
}
UNDERCOVER = {
    "code": "UNDERCOVER",
    "title": "Undercover Policing",
    "items": [
        {
            "key": "UNDERCOVER/1",
            "ref": "1",
            "kind": "Recommendation",
            "text": "Enforce a fair reintegration strategy",
            "status": "AMBER",
            "owner": "WMP Lead",
            "due": None,
            "latest_comment": "A tenure policy was ratified",
        }
    ],
}


def test_a_meeting_reviews_every_item_of_its_reports_as_at_the_meeting_in_the_order_given(
    ledger,  # type: ignore[no-untyped-def]
) -> None:
    ledger("meeting", "add", "JAC", MEETING, "--review", "UNDERCOVER", "--review", "CRIME14")
    # The note and the GREEN recorded after the meeting are not what it reviewed.
    assert reviewed(ledger) == [UNDERCOVER, CRIME14]
    listed = json.loads(ledger("meeting", "list", "JAC", "--format", "json"))["meetings"]
    assert [(m["date"], m["reviews"]) for m in listed] == [
        ("2016-12-15", []),
        (MEETING, ["UNDERCOVER", "CRIME14"]),
    ]
    assert "UNDERCOVER, CRIME14" in ledger("meeting", "list", "JAC")


def test_the_reports_for_review_are_printed_after_the_summary_tables(ledger) -> None:  # type: ignore[no-untyped-def]
    ledger("meeting", "add", "JAC", MEETING, "--review", "CRIME14")
    for fmt, heading in (("table", "Reports for review\n"), ("md", "## Reports for review\n")):
        printed = ledger("summary", "JAC", MEETING, "--format", fmt)
        assert printed.index(heading) > printed.index("Extension requests for the committee")
        section = printed[printed.index(heading) :]
        assert "CRIME14: Crime (PEEL)" in section
        assert section.index("CRIME14/2.30".partition("/")[2]) < section.index("2.36")
        assert "The backlog is halved" in section
        assert "The backlog is eradicated" not in section


def test_the_summarys_help_names_the_reports_for_review() -> None:
    said = CliRunner().invoke(main, ["summary", "--help"]).stdout
    assert "Reports for review" in said and '"reviewed"' in said


def test_a_paper_without_reviews_prints_no_such_section(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger("meeting", "add", "JAC", MEETING, "--review", "CRIME14")
    assert reviewed(ledger, "2016-12-15") == []
    for fmt in ("table", "md"):
        assert "Reports for review" not in ledger("summary", "JAC", "2016-12-15", "--format", fmt)
    ledger("pack", "JAC", "2016-12-15", "--out", str(tmp_path / "before.html"))
    ledger("pack", "JAC", MEETING, "--out", str(tmp_path / "this.html"))
    assert "Reports for review" not in (tmp_path / "before.html").read_text()
    page = (tmp_path / "this.html").read_text()
    assert '<section id="reviewed">' in page
    assert page.index("Reports for review") < page.index('<section id="appendix"')


def test_a_change_of_reviews_leaves_papers_known_or_issued_before_it_as_they_were(
    ledger,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    ledger("meeting", "add", "JAC", MEETING, "--review", "CRIME14")
    ledger("pack", "JAC", "2016-12-15", "--issue", "--out", str(tmp_path / "december.html"))
    before = json.loads(ledger("log", "--format", "json"))["events"][-1]["recorded_at"]
    ledger("meeting", "review", "JAC", MEETING, "UNDERCOVER")
    assert reviewed(ledger) == [UNDERCOVER]
    assert reviewed(ledger, MEETING, "--as-known-at", before) == [CRIME14]
    ledger("meeting", "review", "JAC", MEETING, "--none")
    assert reviewed(ledger) == []
    assert reviewed(ledger, MEETING, "--as-known-at", before) == [CRIME14]
    history = json.loads(ledger("log", "--type", "MeetingReviewsChanged", "--format", "json"))
    assert [e["review"] for e in history["events"]] == [["UNDERCOVER"], []]
    ledger("meeting", "review", "JAC", MEETING, "CRIME14")
    ledger("pack", "JAC", MEETING, "--issue", "--out", str(tmp_path / "issued.html"))
    ledger("pack", "JAC", MEETING, "--as-issued", "--out", str(tmp_path / "again.html"))
    again = (tmp_path / "again.html").read_text()
    assert (tmp_path / "issued.html").read_text() == again
    assert 'id="reviewed-CRIME14"' in again and "reviewed-UNDERCOVER" not in again


def test_the_reviews_of_a_meeting_whose_paper_was_issued_are_part_of_that_paper(
    ledger,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    ledger("meeting", "add", "JAC", MEETING, "--review", "CRIME14")
    ledger("pack", "JAC", MEETING, "--issue", "--out", str(tmp_path / "issued.html"))
    before = events_in(ledger)
    error = ledger("meeting", "review", "JAC", MEETING, "UNDERCOVER", code=1)
    assert error.startswith("Error: ") and len(error.splitlines()) == 1, error
    assert "paper for the meeting of JAC on 2017-03-30 was issued" in error
    assert "choose reviews for the next meeting instead" in error
    assert events_in(ledger) == before
    assert reviewed(ledger) == [CRIME14]
    # Another meeting's reviews, whose paper has not gone out, still change.
    ledger("meeting", "review", "JAC", "2016-12-15", "UNDERCOVER")


def test_a_code_typed_with_spaces_around_is_stored_as_the_code(ledger) -> None:  # type: ignore[no-untyped-def]
    ledger("meeting", "add", "JAC", MEETING, "--review", " CRIME14 ")
    assert reviewed(ledger) == [CRIME14]
    listed = json.loads(ledger("meeting", "list", "JAC", "--format", "json"))["meetings"]
    assert listed[-1]["reviews"] == ["CRIME14"]
    assert "CRIME14 is named twice" in ledger(
        "meeting", "review", "JAC", "2016-12-15", " CRIME14", "CRIME14", code=1
    )


@pytest.mark.parametrize(
    "command",
    [
        ["meeting", "add", "JAC", MEETING, "--review", "NOPE"],
        ["meeting", "add", "JAC", MEETING, "--review", "CRIME14", "--review", "CRIME14"],
        ["meeting", "add", "NOPE", MEETING, "--review", "CRIME14"],
        ["meeting", "review", "JAC", "2016-12-15", "NOPE"],
        ["meeting", "review", "JAC", "2016-12-15", "CRIME14", "UNDERCOVER", "CRIME14"],
        ["meeting", "review", "NOPE", "2016-12-15", "CRIME14"],
        ["meeting", "review", "JAC", MEETING, "CRIME14"],
        ["meeting", "review", "JAC", "2016-12-15"],
        ["meeting", "review", "JAC", "2016-12-15", "CRIME14", "--none"],
        ["meeting", "review", "JAC", "2016-12-15", "--none"],
        ["meeting", "review", "JAC", "2016-12-15", " CRIME14", "CRIME14"],
        ["meeting", "review", "JAC", "2016-12-15", "LATER"],
        ["meeting", "add", "JAC", "2016-12-20", "--review", "LATER"],
        ["meeting", "review", "JAC", "2016-12-15", "CRIME14", "--on", "2016-12-14"],
    ],
    ids=[
        "add: a report the ledger does not hold",
        "add: a report named twice",
        "add: an unknown committee",
        "review: a report the ledger does not hold",
        "review: a report named twice",
        "review: an unknown committee",
        "review: an unknown meeting",
        "review: no report and no --none",
        "review: reports and --none",
        "review: no change",
        "review: a report named twice, once with spaces around",
        "review: a report published after the meeting",
        "add: a report published after the meeting",
        "review: --on before the meeting was scheduled",
    ],
)
def test_a_bad_review_is_refused_with_one_error_line_and_nothing_recorded(
    ledger,  # type: ignore[no-untyped-def]
    command: list[str],
) -> None:
    ledger(
        "report",
        "add",
        "LATER",
        "--title",
        "Later",
        "--scope",
        "force",
        "--published",
        "2017-01-10",
        "--on",
        "2017-01-10",
    )
    before = events_in(ledger)
    error = ledger(*command, code=1)
    assert error.startswith("Error: ") and len(error.splitlines()) == 1, error
    assert events_in(ledger) == before
    assert reviewed(ledger, "2016-12-15") == []


def test_the_error_names_what_is_wrong(ledger) -> None:  # type: ignore[no-untyped-def]
    assert "no report NOPE to review" in ledger(
        "meeting", "review", "JAC", "2016-12-15", "NOPE", code=1
    )
    assert "CRIME14 is named twice" in ledger(
        "meeting", "review", "JAC", "2016-12-15", "CRIME14", "CRIME14", code=1
    )
    assert "JAC has no meeting on 2017-03-30" in ledger(
        "meeting", "review", "JAC", MEETING, "CRIME14", code=1
    )
    ledger(
        "report",
        "add",
        "LATER",
        "--title",
        "Later",
        "--scope",
        "force",
        "--published",
        "2017-01-10",
        "--on",
        "2017-01-10",
    )
    assert "LATER was published on 2017-01-10, after the meeting of 2016-12-15" in ledger(
        "meeting", "review", "JAC", "2016-12-15", "LATER", code=1
    )
    assert "is before the meeting was scheduled (2016-12-15)" in ledger(
        "meeting", "review", "JAC", "2016-12-15", "CRIME14", "--on", "2016-12-14", code=1
    )


def test_reviews_restore_from_a_backup_and_forged_ones_are_refused(
    ledger,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    ledger(
        "report",
        "add",
        "LATER",
        "--title",
        "Later",
        "--scope",
        "force",
        "--published",
        "2017-01-10",
        "--on",
        "2017-01-10",
    )
    ledger("meeting", "add", "JAC", MEETING, "--review", "CRIME14")
    ledger("meeting", "review", "JAC", MEETING, "CRIME14", "UNDERCOVER")
    ledger("pack", "JAC", MEETING, "--issue", "--out", str(tmp_path / "issued.html"))
    backup = tmp_path / "backup.jsonl"
    ledger("export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]

    def restore(into: Path, edited: list[dict[str, Any]]) -> Any:
        path = tmp_path / f"{into.stem}.jsonl"
        path.write_text("".join(json.dumps(line) + "\n" for line in edited))
        return CliRunner().invoke(main, ["--db", str(into), "restore", str(path)])

    def events_at(into: Path) -> int:
        if not into.exists():
            return 0
        log = CliRunner().invoke(main, ["--db", str(into), "log", "--format", "json"])
        return len(json.loads(log.stdout)["events"]) if log.exit_code == 0 else 0

    restored = tmp_path / "restored.db"
    assert restore(restored, lines).exit_code == 0
    read = ["--db", str(restored), "summary", "JAC", MEETING, "--format", "json"]
    assert json.loads(CliRunner().invoke(main, read).stdout)["reviewed"] == reviewed(ledger)

    types = [(line["type"], bool(line["payload"].get("review"))) for line in lines]
    scheduled = types.index(("MeetingScheduled", True))
    changed = types.index(("MeetingReviewsChanged", True))
    # A change of the reviews appended after the paper for that meeting was issued.
    late = json.loads(json.dumps(lines[changed]))
    version = max(int(line["id"].rpartition("@")[2]) for line in lines if line["key"] == "JAC")
    late.update(id=f"JAC@{version + 1}", position=len(lines) + 1)
    late["recorded_at"] = lines[-1]["recorded_at"]
    late["payload"]["review"] = ["UNDERCOVER"]
    forgeries = {
        "a meeting reviewing a report the file does not hold": (scheduled, {"review": ["NOPE"]}),
        "a change naming a report the file does not hold": (changed, {"review": ["NOPE"]}),
        "a report named twice": (changed, {"review": ["CRIME14", "CRIME14"]}),
        "a change of a meeting the file does not hold": (changed, {"meeting": "2017-06-29"}),
        "a code with a space before it": (scheduled, {"review": [" CRIME14"]}),
        "a report published after the meeting": (
            changed,
            {"meeting": "2016-12-15", "review": ["LATER"]},
        ),
        "a change taking effect before its meeting was scheduled": (changed, {"on": "2017-01-01"}),
        "a change after the meeting's paper was issued": (len(lines), late),
    }
    said = {
        "a code with a space before it": "a code written untrimmed",
        "a report published after the meeting": "published on 2017-01-10, after the meeting",
        "a change taking effect before its meeting was scheduled": "before its meeting was",
        "a change after the meeting's paper was issued": "was issued",
    }
    for number, (why, (at, payload)) in enumerate(forgeries.items()):
        forged = json.loads(json.dumps(lines))
        if at == len(lines):
            forged.append(payload)
        elif "on" in payload:
            forged[at].update(payload)
        else:
            forged[at]["payload"].update(payload)
        into = tmp_path / f"forged-{number}.db"
        result = restore(into, forged)
        assert result.exit_code == 1, why
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1, why
        assert said.get(why, "") in result.stderr, (why, result.stderr)
        assert events_at(into) == 0, why
