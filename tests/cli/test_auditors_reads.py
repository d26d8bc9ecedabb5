"""Auditors' reads of who did what and when: `log` narrowed by actor, key, report, type,
recording window and effective window; `backdated` listing the entries recorded long
after the day they claim, with the issued papers they changed. Recording times are set
by a clock the test moves (every event's timestamp is taken from it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from events import LedgerEvent


class Clock:
    """The moment events are recorded at: set by the test, a microsecond apart."""

    def __init__(self) -> None:
        self.now = datetime(2019, 1, 1, 12, tzinfo=UTC)

    def set(self, day: str, hour: int = 12) -> None:
        """Record from noon (UTC) of ``day``: the same date in any zone within 11 hours."""
        self.now = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC)
        self.now += timedelta(hours=hour)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    ticking = Clock()
    monkeypatch.setattr(LedgerEvent, "create_timestamp", staticmethod(ticking))
    yield ticking


@pytest.fixture
def as_(target: str) -> Any:
    """Run ragw on the ledger as ``actor``; the output (stdout, or stderr when refused)."""
    runner = CliRunner()

    def run(actor: str, *args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", actor, *args])
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return run


def events_of(output: str) -> list[dict[str, Any]]:
    return list(json.loads(output)["events"])


def a_quarter(clock: Clock, as_: Any) -> None:
    """A report with two items, changed by Alice and Bob on several recording days."""
    clock.set("2019-09-02")
    as_(
        "Governance",
        "report",
        "add",
        "R",
        "--title",
        "R",
        "--scope",
        "force",
        "--published",
        "2019-09-02",
    )
    for ref in ("1", "2"):
        as_(
            "Governance",
            "rec",
            "add",
            "R",
            ref,
            "--kind",
            "afi",
            "--text",
            f"Item {ref}",
            "--on",
            "2019-09-02",
        )
    clock.set("2019-09-30")
    as_("Alice Smith", "status", "R/1", "AMBER", "--on", "2019-09-30")
    clock.set("2019-10-01")
    as_("Alice Smith", "note", "R/1", "Started", "--on", "2019-10-01")
    as_("Bob Jones", "status", "R/2", "AMBER", "--on", "2019-09-15")
    clock.set("2019-11-20", hour=23)
    as_("alice  SMITH", "status", "R/2", "RED", "--reason", "Late", "--on", "2019-11-01")
    clock.set("2019-12-01")
    as_("Alice Smith", "note", "R/2", "Escalated", "--on", "2019-12-01")


def test_log_of_an_actor_in_a_window_lists_exactly_their_events_recorded_in_it(
    clock: Clock, as_: Any
) -> None:
    a_quarter(clock, as_)
    listed = events_of(
        as_(
            "Auditor",
            "log",
            "--actor",
            "alice smith",
            "--from",
            "2019-10-01",
            "--to",
            "2019-11-20",
            "--format",
            "json",
        )
    )
    assert [(e["id"], e["actor"]) for e in listed] == [
        ("R/1@3", "Alice Smith"),
        ("R/2@3", "alice  SMITH"),
    ]
    # the same window as moments: the first day from its first moment, the last to its last
    moments = events_of(
        as_(
            "Auditor",
            "log",
            "--actor",
            "Alice Smith",
            "--from",
            "2019-10-01T00:00:00Z",
            "--to",
            "2019-11-20T23:59:59Z",
            "--format",
            "json",
        )
    )
    assert moments == listed
    # a bound that is an event's very moment of recording holds it
    first, last = (event["recorded_at"] for event in listed)
    exact = events_of(
        as_(
            "Auditor",
            "log",
            "--actor",
            "Alice Smith",
            "--from",
            first,
            "--to",
            last,
            "--format",
            "json",
        )
    )
    assert exact == listed
    assert (
        events_of(
            as_(
                "Auditor",
                "log",
                "--actor",
                "Alice Smith",
                "--to",
                "2019-11-20T22:00:00Z",
                "--from",
                "2019-10-01T12:00:01Z",
                "--format",
                "json",
            )
        )
        == []
    )


def test_log_filters_on_the_day_an_event_took_effect_apart_from_when_it_was_recorded(
    clock: Clock, as_: Any
) -> None:
    a_quarter(clock, as_)
    listed = events_of(
        as_(
            "Auditor", "log", "--on-from", "2019-09-15", "--on-to", "2019-09-30", "--format", "json"
        )
    )
    assert [e["id"] for e in listed] == ["R/1@2", "R/2@2"]
    table = as_("Auditor", "log", "--report", "R", "--type", "statuschanged")
    assert [line.split()[0] for line in table.splitlines()[2:]] == ["R/1@2", "R/2@2", "R/2@3"]


def test_log_refuses_an_unknown_event_type_naming_every_type(clock: Clock, as_: Any) -> None:
    a_quarter(clock, as_)
    said = as_("Auditor", "log", "--type", "StatusChange", code=1)
    assert said.startswith("Error: event type 'StatusChange' is not known; use one of ")
    assert "StatusChanged" in said and "PaperIssued" in said
    assert "is not a date" in as_("Auditor", "log", "--from", "2019-13-01", code=1)


def issued_then_changed(clock: Clock, as_: Any, tmp_path: Path) -> None:
    """A paper for 2019-11-15 issued on the day; then a status change dated 2019-11-01
    recorded three weeks late, and a note dated 2019-11-05 recorded 13 days late."""
    a_quarter_before_the_meeting(clock, as_)
    clock.set("2019-11-15")
    as_("Governance", "pack", "PRMSC", "2019-11-15", "--out", str(tmp_path / "p.html"), "--issue")
    clock.set("2019-11-18")
    as_("Bob Jones", "note", "R/2", "Thirteen days late", "--on", "2019-11-05")
    clock.set("2019-11-22")
    as_("Alice Smith", "status", "R/1", "RED", "--reason", "Missed", "--on", "2019-11-01")


def a_quarter_before_the_meeting(clock: Clock, as_: Any) -> None:
    clock.set("2019-09-02")
    as_(
        "Governance",
        "report",
        "add",
        "R",
        "--title",
        "R",
        "--scope",
        "force",
        "--published",
        "2019-09-02",
    )
    for ref in ("1", "2"):
        as_(
            "Governance",
            "rec",
            "add",
            "R",
            ref,
            "--kind",
            "afi",
            "--text",
            f"Item {ref}",
            "--status",
            "AMBER",
            "--on",
            "2019-09-02",
        )
    as_("Governance", "committee", "add", "PRMSC", "--name", "Sub Committee")
    as_("Governance", "meeting", "add", "PRMSC", "2019-11-15", "--on", "2019-09-02")


def test_an_entry_recorded_three_weeks_late_is_listed_with_the_issued_paper_it_changed(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    issued_then_changed(clock, as_, tmp_path)
    read = json.loads(as_("Auditor", "backdated", "--days", "14", "--format", "json"))
    assert read == {
        "days": 14,
        "events": [
            {
                "id": "R/1@2",
                "key": "R/1",
                "type": "StatusChanged",
                "on": "2019-11-01",
                "recorded_at": read["events"][0]["recorded_at"],
                "actor": "Alice Smith",
                "lag_days": 21,
                "papers": ["PRMSC 2019-11-15"],
            }
        ],
    }
    assert read["events"][0]["recorded_at"].startswith("2019-11-22T12:00:00")
    # more than N days: a lag of exactly 13 days is not listed at 13
    thirteen = events_of(as_("Auditor", "backdated", "--days", "13", "--format", "json"))
    assert [e["id"] for e in thirteen] == ["R/1@2"]
    # at 12 days the 13-day-late note is listed too; it too took effect before the meeting
    late = events_of(as_("Auditor", "backdated", "--days", "12", "--format", "json"))
    assert [(e["id"], e["actor"], e["lag_days"], e["papers"]) for e in late] == [
        ("R/1@2", "Alice Smith", 21, ["PRMSC 2019-11-15"]),
        ("R/2@2", "Bob Jones", 13, ["PRMSC 2019-11-15"]),
    ]


def test_backdated_chooses_by_the_day_recorded_and_names_no_paper_read_after_the_event(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    issued_then_changed(clock, as_, tmp_path)
    assert events_of(as_("Auditor", "backdated", "--from", "2019-11-23", "--format", "json")) == []
    assert [
        e["id"]
        for e in events_of(
            as_(
                "Auditor",
                "backdated",
                "--from",
                "2019-11-22",
                "--to",
                "2019-11-22",
                "--format",
                "json",
            )
        )
    ] == ["R/1@2"]
    # issued again now, the paper holds the late change: it changed no paper issued since
    clock.set("2019-11-25")
    as_("Governance", "pack", "PRMSC", "2019-11-15", "--out", str(tmp_path / "q.html"), "--issue")
    clock.set("2019-12-20")
    as_("Alice Smith", "note", "R/1", "After the meeting", "--on", "2019-11-20")
    late = events_of(as_("Auditor", "backdated", "--format", "json"))
    assert [(e["id"], e["papers"]) for e in late] == [
        ("R/1@2", ["PRMSC 2019-11-15"]),  # the first issue did not hold it
        ("R/1@3", []),  # took effect after the meeting
    ]
    table = as_("Auditor", "backdated")
    assert table.startswith("Events recorded more than 14 days after they took effect: 2")


@pytest.mark.parametrize("days", ["-1", "36501", "two"])
def test_backdated_refuses_a_lag_out_of_bounds(clock: Clock, as_: Any, days: str) -> None:
    a_quarter(clock, as_)
    assert as_("Auditor", "backdated", "--days", days, code=1).startswith(f"Error: --days {days!r}")
    assert "falls outside the years" in as_("Auditor", "backdated", "--to", "1899-01-01", code=1)


def test_a_paper_names_the_late_events_missing_from_its_history_by_position_and_by_moment(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    a_quarter_before_the_meeting(clock, as_)
    clock.set("2019-11-12")
    as_("Bob Jones", "note", "R/2", "Before the paper was read", "--on", "2019-10-20")
    clock.set("2019-11-15")
    # issued as known before Bob's note: the note is not in it, though recorded before it
    as_(
        "Governance",
        "pack",
        "PRMSC",
        "2019-11-15",
        "--out",
        str(tmp_path / "p.html"),
        "--issue",
        "--as-known-at",
        "2019-11-10T00:00:00Z",
    )
    # recorded after the issue by a writer whose clock is behind, even behind the moment
    # the paper was read as known at: not in it either, being after its position
    clock.set("2019-11-09")
    as_("Alice Smith", "note", "R/1", "Clock behind", "--on", "2019-10-01")
    late = events_of(as_("Auditor", "backdated", "--format", "json"))
    assert [(e["id"], e["lag_days"], e["papers"]) for e in late] == [
        ("R/1@2", 39, ["PRMSC 2019-11-15"]),
        ("R/2@2", 23, ["PRMSC 2019-11-15"]),
    ]


def test_the_log_marks_a_retracted_event_with_its_correction_whatever_it_is_filtered_by(
    clock: Clock, as_: Any
) -> None:
    a_quarter(clock, as_)
    as_("Governance", "correct", "R/1@2", "--reason", "Wrong item")
    for filters in ([], ["--type", "StatusChanged"], ["--actor", "Alice Smith"]):
        listed = events_of(as_("Auditor", "log", *filters, "--format", "json"))
        marked = {e["id"]: e.get("corrected_by") for e in listed if e["id"].startswith("R/1@")}
        assert marked["R/1@2"] == "R/1@4"
        assert marked.get("R/1@3") is None
