"""A restore's replay keeps each item's latest fold as its events come, so an item's
history is folded once, not once per event: the kept fold is always the one the whole
history gives (events backdated, corrections, closures included), and replaying an item
of thousands of events folds a number of events linear in them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

import ledger.aggregates.recommendation as recommendation_module
import ledger.exchange.backup.items as items_module
from events import LedgerEvent, ProgressNoted
from ledger.exchange.backup.items import ReplayedItem
from ledger.exchange.backup.replay import Replay, first_unruled
from ledger.keys import recommendation_id
from ledger.state import fold_item
from ledger.storage.opening import open_ledger


def events_of(tmp_path: Any) -> list[LedgerEvent]:
    from click.testing import CliRunner

    from cli.main import main

    db = str(tmp_path / "x.db")

    def run(*args: str) -> None:
        result = CliRunner().invoke(main, ["--db", db, "--actor", "Auditor", *args])
        assert result.exit_code == 0, result.output

    from tests.cli.test_verify import history

    history(lambda *args, code=0: run(*args))
    run("note", "R/1", "Later", "--on", "2021-03-01")
    run("note", "R/1", "Backdated", "--on", "2021-02-01")
    run("status", "R/1", "RED", "--reason", "Slipped", "--on", "2021-03-02")
    run("correct", "R/1@5", "--reason", "Wrong item")
    run("status", "R/1", "AMBER", "--on", "2021-02-15")
    run("close", "R/1", "--reason", "Superseded", "--on", "2021-04-01")
    ledger = open_ledger(db, create=False)
    try:
        return [event for _, event in ledger.read_log()]
    finally:
        ledger.close()


def test_the_kept_fold_is_always_the_whole_historys(tmp_path: Any) -> None:
    events = events_of(tmp_path)
    replay = Replay()
    for event in events:
        replay.check(event)
        item = replay.aggregates[event.originator_id]
        if isinstance(item, ReplayedItem):
            assert item.latest() == fold_item(item.history), event
    assert first_unruled(enumerate(events, start=1)) is None


def test_an_item_of_thousands_of_events_is_folded_in_linear_time(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folded = 0

    def counting(events: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal folded
        folded += len(events)
        return fold_item(events, *args, **kwargs)

    base = events_of(tmp_path)[:5]  # the report, R/1 issued and its first changes
    item = next(e for e in base if e.originator_id == recommendation_id("R", "1"))
    moment = max(e.timestamp for e in base)
    notes = []
    replay = Replay()
    for event in base:
        replay.check(event)
    aggregate = replay.aggregates[item.originator_id]
    version = aggregate.version
    for n in range(3000):
        version += 1
        notes.append(
            ProgressNoted(
                originator_id=item.originator_id,
                originator_version=version,
                timestamp=moment + timedelta(microseconds=n + 1),
                text=f"note {n}",
                actor="Auditor",
                on=date(2021, 5, 1) if n == 1 else date(2021, 6, 1),  # one backdated
            )
        )
    monkeypatch.setattr(items_module, "fold_item", counting)
    monkeypatch.setattr(recommendation_module, "fold_item", counting)
    for note in notes:
        replay.check(note)
    assert folded < 10 * len(notes), folded
