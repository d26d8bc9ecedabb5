"""A writer whose clock is behind another's still records each key's events in order:
an event is recorded no earlier than the event it follows in its key, and an item no
earlier than its report, so reads as known at a moment see a history that only grows,
and every ledger `verify` passes can be exported and restored (a restore refuses a key
whose moments go back)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import eventsourcing.domain
import pytest

from tests.cli.test_restore_positions import runner_for
from tests.cli.test_verify import history

BEHIND = timedelta(seconds=30)


@contextmanager
def clock_behind(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The event library's clock, which stamps every event, 30 s slow."""
    now = eventsourcing.domain.datetime_now_with_tzinfo
    with monkeypatch.context() as slow:
        slow.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: now() - BEHIND)
        yield


def moments(backup: Path, key: str) -> list[datetime]:
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    return [datetime.fromisoformat(line["recorded_at"]) for line in lines if line["key"] == key]


def test_a_write_from_a_slow_clock_is_recorded_in_order_and_restores(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ragw = runner_for(target)
    history(ragw)
    with clock_behind(monkeypatch):
        ragw("note", "R/2", "Written on a machine 30 s behind", "--on", "2021-03-21")
    ragw("report", "add", "S", "--title", "Seas", "--scope", "force", "--published", "2021-01-04")
    with clock_behind(monkeypatch):
        ragw("rec", "add", "S", "1", "--kind", "afi", "--text", "Item 1")
    assert ragw("verify").startswith("ok:")
    backup = tmp_path / "backup.jsonl"
    ragw("export", "--out", str(backup))
    item = moments(backup, "R/2")
    assert item == sorted(item) and len(item) >= 2
    report, first = moments(backup, "S"), moments(backup, "S/1")
    assert first[0] >= report[-1]
    restored = runner_for(str(tmp_path / "restored.db"))
    assert "restored backup.jsonl" in restored("restore", str(backup))
    assert restored("verify").startswith("ok:")


def test_a_right_clock_is_not_moved(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a clock behind the event before is held to it: the moment says when the
    event was recorded, at the latest."""
    from events import RecommendationIssued
    from ledger.aggregates.moments import not_before

    fixed = datetime(2021, 3, 1, 12, 0, 0).astimezone()
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: fixed)
    assert not_before(fixed - BEHIND, RecommendationIssued) == fixed
    assert not_before(fixed + BEHIND, RecommendationIssued) == fixed + BEHIND
    assert not_before(None, RecommendationIssued) == fixed


def test_of_two_notes_recorded_at_one_moment_the_later_is_the_papers_comment_as_known_then(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note from a slow clock takes the moment of the note before it: as known at that
    moment the item's comment is the later of the two, on the board and in the appendix
    alike, whatever was recorded after."""
    ragw = runner_for(target)
    history(ragw)
    ragw("meeting", "add", "C", "2021-06-01")
    ragw("note", "R/2", "Superseded comment", "--on", "2021-03-21")
    with clock_behind(monkeypatch):
        ragw("note", "R/2", "Comment as known", "--on", "2021-03-21")
    events = json.loads(ragw("history", "R/2", "--format", "json"))["events"]
    assert events[-1]["recorded_at"] == events[-2]["recorded_at"], "one moment"
    moment = events[-1]["recorded_at"]

    def comments() -> set[str]:
        known = ("--as-known-at", moment, "--format", "json")
        board = json.loads(ragw("board", "--as-at", "2021-06-01", *known))["items"]
        appendix = ragw("appendix", "C", "2021-06-01", *known)
        assert "Comment as known" in appendix and "Superseded comment" not in appendix
        return {i["comment"] for i in board if i["key"] == "R/2"}

    assert comments() == {"Comment as known"}
    ragw("note", "R/2", "Written later", "--on", "2021-03-22")  # ends the span read above
    assert comments() == {"Comment as known"}
