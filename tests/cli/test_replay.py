"""``ragw replay``: an item's history and a meeting's paper stepped through as recorded,
on SQLite and PostgreSQL. Each step shows exactly what then stood: the item's board row
(a status change, an extension, a note, a correction, a change recorded late and dated
back), the last one the board's row now; a meeting's counts as the summary counted them
as known at each step's moment, the last one the summary's now. Refusals are one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
import pytest

#: The item's facts after each of its events, in the order recorded: id, status, due,
#: overdue (as at today), comment.
EXPECTED = [
    ("R/1@1", "AMBER", "2019-06-30", True, None),  # issued
    ("R/1@2", "RED", "2019-06-30", True, None),  # a status change
    ("R/1@3", "RED", "2019-12-31", True, None),  # an extension
    ("R/1@4", "RED", "2019-12-31", True, "Plan agreed"),  # a note
    ("R/1@5", "AMBER", "2019-12-31", True, "Plan agreed"),  # the RED corrected away
    ("R/1@6", "WHITE", "2019-12-31", False, "Plan agreed"),  # paused in September
    ("R/1@7", "WHITE", "2019-12-31", False, "Plan agreed"),  # RED typed in late, dated March
]

Run = Callable[..., str]


def facts(step: dict[str, Any]) -> tuple[Any, ...]:
    state = step["state"]
    return (step["event"], state["status"], state["due"], state["overdue"], state["comment"])


@pytest.fixture
def item(ragw: Run) -> Run:
    """One item taken through every kind of change; a committee meeting before and
    after them, and one added last, before both."""
    ragw("committee", "add", "C", "--name", "Committee")
    ragw("meeting", "add", "C", "2019-06-01")
    ragw(
        *("report", "add", "R", "--title", "Roads", "--scope", "national"),
        *("--published", "2019-01-01", "--on", "2019-01-01"),
    )
    ragw(
        *("rec", "add", "R", "1", "--kind", "afi", "--text", "Fix the roads"),
        *("--due", "2019-06-30", "--status", "AMBER", "--owner", "Head of Roads"),
        *("--on", "2019-02-01"),
    )
    ragw("status", "R/1", "RED", "--reason", "Late", "--on", "2019-07-01")
    ragw("extend", "R/1", "--to", "2019-12-31", "--reason", "New plan", "--on", "2019-07-15")
    ragw("note", "R/1", "Plan agreed", "--on", "2019-08-01")
    ragw("correct", "R/1@2", "--reason", "RED was for another item", "--on", "2019-08-02")
    ragw("status", "R/1", "WHITE", "--reason", "Paused", "--on", "2019-09-01")
    ragw("status", "R/1", "RED", "--reason", "Was late in spring", "--on", "2019-03-01")
    ragw("meeting", "add", "C", "2019-10-01")
    ragw("meeting", "add", "C", "2019-04-01")  # added last, between the others
    return ragw


def test_each_step_of_an_items_replay_shows_its_row_just_after_that_event(item: Run) -> None:
    replayed = json.loads(item("replay", "R/1", "--format", "json"))
    assert list(replayed) == ["key", "steps"]
    assert replayed["key"] == "R/1"
    assert [facts(step) for step in replayed["steps"]] == EXPECTED
    assert all(list(step) == ["event", "recorded_at", "state"] for step in replayed["steps"])


def test_the_last_step_of_an_items_replay_is_its_row_on_the_board(item: Run) -> None:
    replayed = json.loads(item("replay", "R/1", "--format", "json"))
    board = json.loads(item("board", "--format", "json"))
    assert replayed["steps"][-1]["state"] == board["items"][0]


def test_each_step_is_the_board_row_as_known_at_that_events_recorded_moment(item: Run) -> None:
    """The replay folds the item's stream; the board reads the stored read model."""
    for step in json.loads(item("replay", "R/1", "--format", "json"))["steps"]:
        known = item("board", "--as-known-at", step["recorded_at"], "--format", "json")
        assert json.loads(known)["items"] == [step["state"]]


def test_a_replay_as_at_an_earlier_day_shows_the_late_entry_where_it_took_effect(
    item: Run,
) -> None:
    replayed = json.loads(item("replay", "R/1", "--as-at", "2019-08-01", "--format", "json"))
    statuses = [step["state"]["status"] for step in replayed["steps"]]
    # the extension, note and correction are before the day; WHITE is after it
    assert statuses == ["AMBER", "RED", "RED", "RED", "AMBER", "AMBER", "RED"]


def test_a_replay_as_known_at_a_moment_stops_there(item: Run) -> None:
    steps = json.loads(item("replay", "R/1", "--format", "json"))["steps"]
    cut = json.loads(
        item("replay", "R/1", "--as-known-at", steps[2]["recorded_at"], "--format", "json")
    )
    assert cut["steps"] == steps[:3]


def test_a_meetings_replay_ends_with_the_summarys_counts(item: Run) -> None:
    for day in ("2019-04-01", "2019-06-01", "2019-10-01"):
        replayed = json.loads(item("replay", "--meeting", "C", day, "--format", "json"))
        assert replayed["meeting"] == {"committee": "C", "day": day}
        summary = json.loads(item("summary", "C", day, "--format", "json"))
        assert replayed["steps"][-1]["state"] == summary["totals"]


def test_each_step_of_a_meetings_replay_is_the_summary_as_known_at_its_moment(item: Run) -> None:
    steps = json.loads(item("replay", "--meeting", "C", "2019-10-01", "--format", "json"))["steps"]
    # the meeting is added after the changes: the paper begins with it, holding the item
    # as it then was; then the April meeting changes what its previous column compares
    assert [step["event"] for step in steps] == ["C@3", "C@4"]
    assert steps[0]["state"]["current"]["national"]["WHITE"] == 1
    assert steps[0]["state"]["previous"]["all"]["NEW RED"] == 1  # RED in June, none before
    assert steps[1]["state"]["previous"]["all"]["NEW RED"] == 0  # RED in April already
    steps = json.loads(item("replay", "--meeting", "C", "2019-06-01", "--format", "json"))["steps"]
    # as at June: issued AMBER, RED (dated July, so not counted), ..., the RED dated March
    assert [step["event"] for step in steps] == ["C@2", "R/1@1", "R/1@7", "C@4"]
    for step in steps:
        known = item(
            "summary", "C", "2019-06-01", "--as-known-at", step["recorded_at"], "--format", "json"
        )
        assert json.loads(known)["totals"] == step["state"]
    assert steps[1]["state"]["current"]["all"]["AMBER"] == 1
    assert steps[2]["state"]["current"]["all"]["NEW RED"] == 1


def test_every_format_shows_every_step(item: Run) -> None:
    table = item("replay", "R/1")
    assert table.count("Step ") == len(EXPECTED) and "R/1@7 StatusChanged" in table
    md = item("replay", "R/1", "--format", "md")
    assert md.count("### Step ") == len(EXPECTED)
    rows = item("replay", "R/1", "--format", "csv").splitlines()
    assert rows[0].startswith("step,event,type,on,recorded_at,actor,status")
    assert [row.split(",")[1] for row in rows[1:]] == [e[0] for e in EXPECTED]
    paper = item("replay", "--meeting", "C", "2019-06-01", "--format", "csv").splitlines()
    assert len(paper) == 1 + 4 * 6  # a row a step, column and scope


def test_a_pager_opens_on_a_terminal_only(item: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    paged: list[str] = []
    monkeypatch.setattr(click, "echo_via_pager", lambda text: paged.append("".join(text)))
    printed = item("replay", "R/1")
    assert not paged  # not a terminal: printed as it is
    monkeypatch.setattr("cli.replay.on_terminal", lambda: True)
    assert item("replay", "R/1") == ""
    assert paged == [printed]
    assert item("replay", "R/1", "--format", "json").startswith("{")  # JSON never paged
    assert len(paged) == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["NOPE/1"], "Error: no recommendation NOPE/1; see `ragw board --report NOPE`"),
        (["--meeting", "X", "2019-06-01"], "Error: no committee X (committees: C); add it"),
        (["--meeting", "C", "2019-06-02"], "Error: C has no meeting on 2019-06-02 (meetings:"),
        ([], "Error: give an item's KEY, or --meeting COMMITTEE DATE"),
        (["R/1", "--meeting", "C", "2019-06-01"], "Error: give an item's KEY, or --meeting"),
        (["--meeting", "C"], "Error: give an item's KEY, or --meeting"),
        (["R/1", "2019-06-01"], "Error: give an item's KEY, or --meeting"),
        (["--meeting", "C", "2019-06-01", "--as-at", "2019-06-01"], "Error: --as-at is for an"),
    ],
)
def test_replaying_what_the_ledger_does_not_hold_is_refused_in_one_line(
    item: Run, args: list[str], error: str
) -> None:
    refused = item("replay", *args, code=1)
    assert refused.startswith(error)
    assert refused.count("\n") == 1
