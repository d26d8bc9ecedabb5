"""A ledger written by ragw 0.1 reads the same with the code of the day.

The fixture (tests/fixtures/make_fixture.py says how it was made, and why it is never
made again) holds every kind of event ragw records. It is read three ways: the ledger
file as written, and its stored rows loaded as they are into a fresh SQLite file and a
fresh PostgreSQL database. Renaming or moving an event class, or changing its fields,
without registering the old topic or upcasting the old shape, fails here.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from cli.main import main
from events import EVENT_TYPES
from ledger import open_ledger
from ledger.governance import Governance
from tests.fixtures.make_fixture import (
    DB,
    EXPORT,
    INSPECTION_REPORTS_ROWS,
    INSPECTIONS_ROWS,
    NATIONAL_ROWS,
    ORGANISATIONS_ROWS,
    RELEVANCE_ROWS,
    REMINDERS_ROWS,
    REVIEWS_ROWS,
    ROWS,
    USERS_ROWS,
    stored_rows,
)

GOVERNANCE = "Strategic Development"
_databases = itertools.count(1)


def fixture_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ROWS.read_text().splitlines()]


def as_stored(row: dict[str, Any], topic: str | None = None) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(row["stream"]),
        originator_version=row["version"],
        topic=topic or row["topic"],
        state=row["state"].encode(),
    )


def load_rows(target: str, rows: list[dict[str, Any]], **topics: str) -> str:
    """A fresh ledger at ``target`` holding ``rows`` exactly as stored (a row's topic
    replaced where ``topics`` maps its position, as ``"7": "new topic"``)."""
    ledger = open_ledger(target, create=True)
    try:
        ledger.recorder.insert_events(
            [as_stored(row, topics.get(str(row["position"]))) for row in rows]
        )
    finally:
        ledger.close()
    return target


@pytest.fixture(
    params=[
        "file as written",
        "rows into sqlite",
        pytest.param("rows into postgres", marks=pytest.mark.postgres),
    ]
)
def old_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The ledger ragw 0.1 wrote: its file (a copy: reads add the read model to it), or
    its stored rows loaded into a fresh store."""
    if request.param == "file as written":
        copy = tmp_path / "old.sqlite"
        shutil.copyfile(DB, copy)
        return str(copy)
    if request.param == "rows into sqlite":
        return load_rows(str(tmp_path / "rows.db"), fixture_rows())
    server = request.getfixturevalue("postgres")
    target = server.create_database(f"ragw_fixture_{os.getpid()}_{next(_databases)}")
    return load_rows(target, fixture_rows())


def ragw(target: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", GOVERNANCE, *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result.stdout if code == 0 else result.stderr


def read_json(target: str, *args: str) -> Any:
    return json.loads(ragw(target, *args, "--format", "json"))


def users_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in USERS_ROWS.read_text().splitlines()]


def reminders_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in REMINDERS_ROWS.read_text().splitlines()]


def inspections_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in INSPECTIONS_ROWS.read_text().splitlines()]


def reviews_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in REVIEWS_ROWS.read_text().splitlines()]


def relevance_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RELEVANCE_ROWS.read_text().splitlines()]


def inspection_reports_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in INSPECTION_REPORTS_ROWS.read_text().splitlines()]


def organisations_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ORGANISATIONS_ROWS.read_text().splitlines()]


def national_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in NATIONAL_ROWS.read_text().splitlines()]


def every_fixture_row() -> list[dict[str, Any]]:
    """The rows of every stored-events fixture, the first and those written after it."""
    return (
        fixture_rows()
        + users_rows()
        + reminders_rows()
        + inspections_rows()
        + reviews_rows()
        + relevance_rows()
        + inspection_reports_rows()
        + organisations_rows()
        + national_rows()
    )


def test_the_fixture_holds_every_kind_of_event_ragw_records() -> None:
    rows = every_fixture_row()
    stored = {row["topic"].rpartition(":")[2] for row in rows}
    assert stored == set(EVENT_TYPES), (
        "an event type is missing from tests/fixtures (add it: see make_fixture.py)",
        set(EVENT_TYPES) - stored,
    )
    # Each stored topic still names an event class: moved or renamed, with its old
    # topic registered (eventsourcing.utils.register_topic).
    assert {resolve_topic(row["topic"]) for row in rows} == set(EVENT_TYPES.values())


def test_users_recorded_by_0_2_read_as_they_were(tmp_path: Path) -> None:
    target = load_rows(str(tmp_path / "users.db"), users_rows())
    listed = read_json(target, "user", "list", "--format", "json")["users"]
    assert listed == [
        {
            "name": "Head of Roads",
            "email": "roads@example.org",
            "disabled": True,
            "roles": [],
            "password": False,
        }
    ]
    ragw(target, "verify")


def test_reminders_recorded_by_0_2_read_as_they_were(tmp_path: Path) -> None:
    target = load_rows(str(tmp_path / "reminders.db"), reminders_rows())
    listed = read_json(target, "owner", "list")["owners"]
    assert listed == [
        {"owner": "Head of Roads", "emails": ["roads@example.org", "deputy@example.org"]}
    ]
    (item,) = read_json(target, "board", "--as-at", "2021-06-01")["items"]
    assert item["reminded"] == "2021-06-01"
    history = read_json(target, "history", "ROADS21/1")["events"]
    assert history[-1]["message_id"] == "<fixture.reminder@example.org>"
    ragw(target, "verify")


def test_inspections_recorded_by_0_3_read_as_they_were(tmp_path: Path) -> None:
    target = load_rows(str(tmp_path / "inspections.db"), inspections_rows())
    listed = read_json(target, "inspection", "list", "--as-at", "2021-04-01")["inspections"]
    assert [(i["code"], i["stage"], i["expected"], i["report"]) for i in listed] == [
        ("CTCC21", "debriefed", None, None),
        ("CUSTODY21", "debriefed", "2021-05-10", "CUSTODY21R"),
    ]
    assert listed[0]["no_report"] and listed[0]["reason"] == "the subject is sensitive"
    (report,) = [e for e in read_json(target, "log")["events"] if e["key"] == "CUSTODY21R"]
    assert (report["restricted"], report["inspection"]) == (True, "CUSTODY21")


def test_a_report_of_an_inspection_recorded_on_both_streams_reads_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = load_rows(str(tmp_path / "reported.db"), inspection_reports_rows())

    def unread(*_: Any) -> None:
        raise AssertionError("the inspection's own stream says which report it has")

    monkeypatch.setattr(Governance, "report_of", unread)
    (listed,) = read_json(target, "inspection", "list")["inspections"]
    assert (listed["code"], listed["report"]) == ("VETTING21", "VETTING21R")
    second = [
        *("report", "add", "AGAIN", "--title", "Again", "--scope", "force"),
        *("--published", "2021-05-28", "--from-inspection", "VETTING21"),
    ]
    refused = ragw(target, *second, code=1)
    assert "inspection VETTING21 has its report already (VETTING21R)" in refused, refused
    backup = tmp_path / "backup.jsonl"
    ragw(target, "export", "--out", str(backup))
    ragw(str(tmp_path / "copy.db"), "restore", str(backup))
    ragw(str(tmp_path / "copy.db"), "verify")


def test_reviews_recorded_by_0_3_read_as_they_were(tmp_path: Path) -> None:
    target = load_rows(str(tmp_path / "reviews.db"), reviews_rows())
    meetings = read_json(target, "meeting", "list", "JAC")["meetings"]
    assert [(m["date"], m["reviews"]) for m in meetings] == [
        ("2017-03-30", ["CRIME14", "UNDERCOVER"]),
        ("2017-06-29", []),
    ]
    reviewed = read_json(target, "summary", "JAC", "2017-03-30")["reviewed"]
    assert [(r["code"], [i["latest_comment"] for i in r["items"]]) for r in reviewed] == [
        ("CRIME14", ["A team was set up"]),
        ("UNDERCOVER", ["A team was set up"]),
    ]


def test_relevance_and_supersessions_recorded_by_0_3_read_as_they_were(tmp_path: Path) -> None:
    target = load_rows(str(tmp_path / "relevance.db"), relevance_rows())
    board = {i["key"]: i for i in read_json(target, "board", "--as-at", "2021-06-01")["items"]}
    assert board["INFO15/8"]["to"] == ["all Chief Constables"]
    assert (board["INFO15/8"]["status"], board["INFO15/8"]["superseded_by"]) == (
        "CLOSED",
        "PEEL16/1",
    )
    assert board["PEEL16/1"]["supersedes"] == ["INFO15/8"]
    assert board["INFO15/HO"]["not_for_the_force"] is None  # for the force again
    then = read_json(target, "board", "--as-at", "2015-12-01")["items"]
    assert {i["key"]: i["not_for_the_force"] for i in then}["INFO15/HO"] == {
        "reason": "For the Home Office",
        "on": "2015-10-21",
    }
    ragw(target, "verify")


def test_organisations_added_by_0_4_read_as_they_were(tmp_path: Path) -> None:
    target = load_rows(str(tmp_path / "register.db"), organisations_rows())
    listed = read_json(target, "org", "list")["organisations"]
    assert [(o["code"], o["kind"], o["added"]) for o in listed] == [
        ("HMICFRS", "inspectorate", "2021-06-01"),
        ("WMP", "force", "2021-06-01"),
    ]
    assert [e["id"] for e in read_json(target, "log")["events"]] == ["org:HMICFRS@1", "org:WMP@1"]
    backup = tmp_path / "backup.jsonl"
    ragw(target, "export", "--out", str(backup))
    ragw(str(tmp_path / "copy.db"), "restore", str(backup))
    ragw(str(tmp_path / "copy.db"), "verify", "--rules")


def test_the_ledger_file_holds_exactly_the_rows_of_the_jsonl() -> None:
    assert stored_rows(DB) == fixture_rows()
    assert DB.stat().st_size + ROWS.stat().st_size < 200_000


def test_every_stored_event_reads_back_to_the_bytes_it_was_stored_as(tmp_path: Path) -> None:
    """Reading and writing again an event whose class is still at version 1 gives the
    stored bytes: a field added, renamed or retyped without a ``class_version`` and an
    upcaster shows up here, even where old rows would still happen to validate."""
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(DB, copy)
    ledger = open_ledger(str(copy), create=False)
    try:
        for row in every_fixture_row():
            event = ledger.mapper.to_domain_event(as_stored(row))
            if type(event).class_version == 1:  # type: ignore[attr-defined]
                again = ledger.mapper.to_stored_event(event)
                assert again.state.decode() == row["state"], (
                    f"{row['topic']} changed shape since ragw 0.1: bump its class_version "
                    "and add upcast_v1_v2 (ledger/storage/mapper.py)"
                )
    finally:
        ledger.close()


def test_the_board_reads_as_it_did(old_ledger: str) -> None:
    fields = (
        "key",
        "report",
        "ref",
        "kind",
        "scope",
        "status",
        "due",
        "overdue",
        "owner",
        "lead",
        "comment",
    )
    board = read_json(old_ledger, "board", "--as-at", "2021-06-01")
    assert (board["as_at"], board["as_known_at"]) == ("2021-06-01", None)
    assert [tuple(item[f] for f in fields) for item in board["items"]] == [
        (
            "ROADS/1",
            "ROADS",
            "1",
            "afi",
            "force",
            "GREEN",
            "2021-09-30",
            False,
            "Head of Operations",
            None,
            "Draft policy at consultation",
        ),
        (
            "ROADS/2",
            "ROADS",
            "2",
            "recommendation",
            "force",
            None,
            "2021-04-30",
            True,
            None,
            "College of Policing",
            None,
        ),
        (
            "ROADS/3",
            "ROADS",
            "3",
            "concern",
            "force",
            "RED",
            "2021-12-31",
            False,
            "Head of Roads",
            None,
            None,
        ),
        (
            "FRAUD/9",
            "FRAUD",
            "9",
            "recommendation",
            "national",
            "CLOSED",
            "2019-09-30",
            False,
            "DCI Crime",
            None,
            None,
        ),
        (
            "FRAUD/10",
            "FRAUD",
            "10",
            "recommendation",
            "national",
            "AMBER",
            "2021-12-31",
            False,
            "DCI Crime",
            None,
            None,
        ),
    ]
    pending = {item["key"]: item["pending"] for item in board["items"] if item["pending"]}
    assert pending == {
        "FRAUD/10": {
            "id": "FRAUD/10@2",
            "request": "EXTENSION",
            "due": "2022-06-30",
            "previous_due": "2021-12-31",
            "on": "2021-05-20",
            "actor": "DCI Crime",
            "evidence": "Data-sharing law",
            "links": ["https://intranet.example/fraud-data.docx"],
        }
    }


def test_the_board_as_known_before_a_correction_shows_what_was_then_believed(
    old_ledger: str,
) -> None:
    """The recording moments stored then still date what was known when: ROADS/3 was
    GREEN from 09:16 until the correction recorded at 09:17."""

    def status_of_roads_3(*args: str) -> str:
        board = read_json(old_ledger, "board", "--as-at", "2021-03-12", "--report", "ROADS", *args)
        return {item["key"]: item["status"] for item in board["items"]}["ROADS/3"]

    assert status_of_roads_3("--as-known-at", "2021-06-01T09:16:30Z") == "GREEN"
    assert status_of_roads_3() == "RED"


def test_histories_read_as_they_did(old_ledger: str) -> None:
    history = read_json(old_ledger, "history", "ROADS/1")
    assert history["key"] == "ROADS/1"
    assert [
        (e["id"], e["type"], e["on"], e["recorded_at"], e["actor"]) for e in history["events"]
    ] == [
        (
            "ROADS/1@1",
            "RecommendationIssued",
            "2021-01-05",
            "2021-06-01T09:02:00+00:00",
            GOVERNANCE,
        ),
        ("ROADS/1@2", "StatusChanged", "2021-02-10", "2021-06-01T09:11:00+00:00", GOVERNANCE),
        ("ROADS/1@3", "ProgressNoted", "2021-02-20", "2021-06-01T09:12:00+00:00", GOVERNANCE),
        ("ROADS/1@4", "OwnerAssigned", "2021-02-21", "2021-06-01T09:13:00+00:00", GOVERNANCE),
        ("ROADS/1@5", "DeadlineExtended", "2021-03-01", "2021-06-01T09:14:00+00:00", GOVERNANCE),
        (
            "ROADS/1@6",
            "CompletionClaimed",
            "2021-04-01",
            "2021-06-01T09:21:00+00:00",
            "Head of Roads",
        ),
        ("ROADS/1@7", "SignedOff", "2021-04-05", "2021-06-01T09:22:00+00:00", GOVERNANCE),
    ]
    signed = history["events"][6]
    assert (signed["request"], signed["outcome"], signed["reason"], signed["note"]) == (
        "ROADS/1@6",
        "GREEN",
        "Policy published",
        "Checked the published policy",
    )
    assert history["events"][4]["previous_due"] == "2021-03-31"

    corrected = read_json(old_ledger, "history", "ROADS/3")["events"]
    assert [(e["type"], e.get("corrected_by")) for e in corrected] == [
        ("RecommendationIssued", None),
        ("DeadlineExtended", None),
        ("StatusChanged", "ROADS/3@4"),
        ("EventCorrected", None),
        ("ExtensionRequested", None),
        ("SignedOff", None),
    ]
    rejected = read_json(old_ledger, "history", "ROADS/2")["events"]
    assert [(e["type"], e.get("reason") or e.get("evidence")) for e in rejected[2:]] == [
        ("ClosureRequested", "Training moved to the College"),
        ("SignOffRejected", "The College has not agreed"),
    ]
    assert (
        ragw(old_ledger, "history", "ROADS/3")
        .rstrip()
        .endswith("Now RED; original due 2021-03-31, current due 2021-12-31, extended 2 times")
    )


def test_the_summary_reads_as_it_did(old_ledger: str) -> None:
    summary = read_json(old_ledger, "summary", "PRMSC", "2021-05-01")
    assert (summary["paper"], summary["previous_meeting"], summary["previous_paper"]) == (
        "Pol 9/21",
        "2021-02-01",
        "Pol 1/21",
    )
    assert summary["headline"] == (
        "There are currently 2 outstanding recommendations [1 national and 1 force]. There "
        "is 1 new green to report since the previous report on 1 February 2021. "
        "1 recommendation was closed."
    )
    assert [(r["code"], r["section"], r["current"]) for r in summary["reports"]] == [
        (
            "ROADS",
            "previous",
            {
                "NEW GREEN": 1,
                "AMBER": 0,
                "RED": 1,
                "NEW RED": 0,
                "WHITE": 0,
                "CLOSED": 0,
                "OUTSTANDING": 1,
                "NOT ASSESSED": 1,
            },
        ),
        (
            "FRAUD",
            "previous",
            {
                "NEW GREEN": 0,
                "AMBER": 1,
                "RED": 0,
                "NEW RED": 0,
                "WHITE": 0,
                "CLOSED": 1,
                "OUTSTANDING": 1,
            },
        ),
    ]
    assert summary["totals"]["previous"]["all"] == {
        "NEW GREEN": 0,
        "AMBER": 3,
        "RED": 1,
        "NEW RED": 1,
        "WHITE": 0,
        "CLOSED": 0,
        "OUTSTANDING": 4,
        "NOT ASSESSED": 1,
    }
    exceptions = summary["exceptions"]
    assert [o["key"] for o in exceptions["overdue"]] == ["ROADS/2"]
    assert [(e["key"], e["due"]) for e in exceptions["extensions"]] == [
        ("ROADS/1", "2021-09-30"),
        ("ROADS/3", "2021-12-31"),
    ]


def test_the_log_lists_every_stored_event_in_order(old_ledger: str) -> None:
    events = read_json(old_ledger, "log")["events"]
    rows = fixture_rows()
    assert [e["type"] for e in events] == [row["topic"].rpartition(":")[2] for row in rows]
    assert (events[0]["id"], events[-1]["id"], len(events)) == ("ROADS@1", "PRMSC@4", 34)
    issued = events[-1]
    assert (issued["meeting"], issued["digest"]) == ("2021-05-01", f"33:{rows[32]['link']}")


def test_committees_meetings_and_roles_read_as_they_did(old_ledger: str) -> None:
    assert read_json(old_ledger, "committee", "list") == {
        "committees": [
            {
                "code": "PRMSC",
                "name": "Performance and Resource Management",
                "meetings": ["2021-02-01", "2021-05-01"],
                "sign_off_for": ["completion", "closures", "extensions"],
            }
        ]
    }
    meetings = read_json(old_ledger, "meeting", "list", "PRMSC")["meetings"]
    assert [(m["date"], m["paper"], m["previous_meeting"]) for m in meetings] == [
        ("2021-02-01", "Pol 1/21", None),
        ("2021-05-01", "Pol 9/21", "2021-02-01"),
    ]
    assert read_json(old_ledger, "role", "list") == {
        "controlled": True,
        "roles": [
            {"name": "Head of Roads", "role": "owner", "acts_for": "Head of Roads"},
            {"name": GOVERNANCE, "role": "governance", "acts_for": None},
        ],
    }


def test_the_chain_written_then_verifies_now_with_the_same_links(old_ledger: str) -> None:
    rows = fixture_rows()
    middle = rows[19]
    out = ragw(old_ledger, "verify", "--digest", f"{middle['position']}:{middle['link']}")
    assert out.splitlines() == [
        "ok: 34 events, every link matches",
        "digest 20:" + middle["link"] + " holds: the history up to it is unchanged, and "
        "14 events since only extend it",
        f"digest 34:{rows[-1]['link']}",
    ]


def test_a_stored_topic_that_no_longer_names_a_class_fails_loudly(tmp_path: Path) -> None:
    """An event class renamed without registering its old topic: the ledger refuses to
    read rather than leave the event out of the board or the history."""
    rows = fixture_rows()
    noted = next(row for row in rows if row["topic"].endswith(":ProgressNoted"))
    renamed = "events.recommendation:NoteTaken"
    target = load_rows(str(tmp_path / "renamed.db"), rows, **{str(noted["position"]): renamed})
    for read in (("history", "ROADS/1"), ("log",), ("board",)):
        result = CliRunner().invoke(main, ["--db", target, *read])
        assert result.exit_code == 1, f"{read} read a ledger with an unknown topic"
        assert result.stderr.startswith("Error: a stored event names "), (read, result.stderr)
        assert repr(renamed) in result.stderr and "Traceback" not in result.output


def test_a_ledger_file_whose_events_table_was_tampered_with_is_refused_by_verify(
    tmp_path: Path,
) -> None:
    """The links in the file are the ones written then: an edit to an old row is found."""
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(DB, copy)
    with sqlite3.connect(copy) as connection:
        (state,) = connection.execute("SELECT state FROM stored_events WHERE rowid = 12").fetchone()
        edited = bytes(state).replace(b"Policy stalled", b"Policy agreed")
        connection.execute("UPDATE stored_events SET state = ? WHERE rowid = 12", (edited,))
    connection.close()
    result = CliRunner().invoke(main, ["--db", str(copy), "verify"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: event ROADS/1@2 (position 12)"), result.stderr


def test_an_export_written_by_ragw_0_1_restores_to_the_same_ledger(
    target: str, tmp_path: Path
) -> None:
    """``ragw export`` files are kept as backups: one written then restores into an
    empty ledger with every event as it was, down to the chain's links."""
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(DB, copy)
    result = CliRunner().invoke(
        main, ["--db", target, "--actor", GOVERNANCE, "restore", str(EXPORT)]
    )
    assert result.exit_code == 0, (result.output, result.exception)
    assert read_json(target, "log") == read_json(str(copy), "log")
    assert ragw(target, "verify").splitlines()[-1] == f"digest 34:{fixture_rows()[-1]['link']}"


def test_the_paper_issued_by_ragw_0_1_renders_again_as_it_was_read_then(old_ledger: str) -> None:
    """Its PaperIssued has the shape of the day (the digest holds the position it is
    pinned to): the paper read again from the events up to that position is the one the
    stored read model gives as known at the moment it was read."""
    from projections.committee import paper_of
    from projections.usecases import LedgerSession
    from projections.usecases.papers import paper

    session = LedgerSession(
        old_ledger, GOVERNANCE, open_ledger=lambda write: open_ledger(old_ledger, create=False)
    )
    try:
        issued = session.ledger(write=False).issued_paper("PRMSC", date(2021, 5, 1))
        assert issued is not None and issued.position == 33
        again = paper(session, "PRMSC", date(2021, 5, 1), as_issued=True).paper
        then = paper_of(session.recorded(issued.read_at), "PRMSC", date(2021, 5, 1))
        assert again.to_json() == then.headed(known_at=None, digest=issued.digest).to_json()
        assert again.summary.digest == f"33:{fixture_rows()[32]['link']}"
    finally:
        session.close()


def test_a_national_report_received_and_a_verdict_given_by_0_5_read_as_they_were(
    tmp_path: Path,
) -> None:
    target = str(tmp_path / "national.db")
    for org in ("HMICFRS", "WMP"):
        ledger = open_ledger(target, create=True, org=org)
        try:
            rows = [row for row in national_rows() if row["org"] == org]
            ledger.recorder.insert_events([as_stored(row) for row in rows])
        finally:
            ledger.close()
    (given,) = read_json(target, "--org", "HMICFRS", "verdicts", "WMP", "--as-at", "2019-12-01")[
        "verdicts"
    ]
    assert (given["key"], given["verdict"], given["on"]) == (
        "FRAUD19/9",
        "not-accepted",
        "2019-11-15",
    )
    assert (
        read_json(target, "--org", "HMICFRS", "verdicts", "WMP", "--as-at", "2019-11-14")[
            "verdicts"
        ]
        == []
    )
    received = [
        e for e in read_json(target, "--org", "WMP", "log")["events"] if e["key"] == "FRAUD19"
    ]
    assert [(e["type"], e["origin"]) for e in received] == [("ReportRegistered", "HMICFRS")]
    for org in ("HMICFRS", "WMP"):
        backup = tmp_path / f"{org}.jsonl"
        ragw(target, "--org", org, "export", "--out", str(backup))
        ragw(str(tmp_path / "copy.db"), "--org", org, "restore", str(backup))
        ragw(str(tmp_path / "copy.db"), "--org", org, "verify", "--rules")
