"""An event's shape changes by upcasting: stored version-1 rows are read as the version
of the day, through the ledger's mapper, on every read.

Here a later ragw is imagined in which a progress note may cite documents: version 2
of ``ProgressNoted`` has ``links``, and ``upcast_v1_v2`` gives the notes stored by
ragw 0.1 (tests/fixtures) none. It is registered, for the test only, under the topic
the old rows were stored with, as a real change of the class would be.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, ClassVar, cast

import pytest
from click.testing import CliRunner
from eventsourcing import utils
from eventsourcing.persistence import StoredEvent

import events
from cli.main import main
from events import ProgressNoted
from ledger import LedgerError, open_ledger
from tests.fixtures.make_fixture import DB, EXPORT
from tests.integration.test_stored_events_fixture import as_stored, fixture_rows

TOPIC = "events.recommendation:ProgressNoted"
upcast_calls: list[dict[str, Any]] = []


class ProgressNotedV2(ProgressNoted):
    """A note, with the documents it cites (none before version 2)."""

    class_version: ClassVar[int] = 2
    links: tuple[str, ...]

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        upcast_calls.append(dict(state))
        state["links"] = []


class ProgressNotedV3(ProgressNotedV2):
    """Version 3: the note's text is kept under ``note``."""

    class_version: ClassVar[int] = 3
    note: str

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["note"] = state["text"]


class ProgressNotedWithoutUpcaster(ProgressNoted):
    class_version: ClassVar[int] = 2


def register(cls: type[ProgressNoted], monkeypatch: pytest.MonkeyPatch) -> None:
    """``cls`` is what the stored topic names, and the topic it writes, until the test
    ends."""
    monkeypatch.setitem(utils._topic_cache, TOPIC, cls)
    monkeypatch.setitem(utils._type_cache, cls, TOPIC)
    upcast_calls.clear()


@pytest.fixture
def old_file(tmp_path: Path) -> str:
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(DB, copy)
    return str(copy)


def stored_note() -> StoredEvent:
    row = next(row for row in fixture_rows() if row["topic"] == TOPIC)
    return as_stored(row)


def test_a_stored_version_1_note_is_read_as_version_2(
    old_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(ProgressNotedV2, monkeypatch)
    ledger = open_ledger(old_file, create=False)
    try:
        note = ledger.mapper.to_domain_event(stored_note())
    finally:
        ledger.close()
    assert type(note) is ProgressNotedV2
    assert (note.text, note.links, note.actor, note.on.isoformat()) == (
        "Draft policy at consultation",
        (),
        "Strategic Development",
        "2021-02-20",
    )
    assert len(upcast_calls) == 1 and "links" not in upcast_calls[0]


def test_a_version_2_event_is_stored_with_its_version_and_not_upcast_again(
    old_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(ProgressNotedV2, monkeypatch)
    ledger = open_ledger(old_file, create=False)
    try:
        note = cast(ProgressNotedV2, ledger.mapper.to_domain_event(stored_note()))
        cited = note.model_copy(update={"links": ("https://intranet.example/minutes.pdf",)})
        stored = ledger.mapper.to_stored_event(cited)
        upcast_calls.clear()
        again = ledger.mapper.to_domain_event(stored)
    finally:
        ledger.close()
    assert stored.topic == TOPIC
    assert json.loads(stored.state)["class_version"] == 2
    assert upcast_calls == []
    assert again == cited


def test_a_batch_of_version_1_and_version_2_events_stores_each_with_its_version(
    old_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imports write many events at once, by a faster path than one at a time."""
    register(ProgressNotedV2, monkeypatch)
    ledger = open_ledger(old_file, create=False)
    try:
        rows = fixture_rows()
        issued = ledger.mapper.to_domain_event(as_stored(rows[2]))
        note = ledger.mapper.to_domain_event(stored_note())
        states = ledger.mapper.encode_all([issued, note])  # type: ignore[attr-defined]
    finally:
        ledger.close()
    assert states[0].decode() == rows[2]["state"]
    assert json.loads(states[1]) == {
        **json.loads(stored_note().state),
        "links": [],
        "class_version": 2,
    }


def test_a_version_1_note_passes_through_every_upcaster_in_turn(
    old_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(ProgressNotedV3, monkeypatch)
    ledger = open_ledger(old_file, create=False)
    try:
        note = ledger.mapper.to_domain_event(stored_note())
    finally:
        ledger.close()
    assert type(note) is ProgressNotedV3
    assert (note.note, note.text, note.links) == (
        "Draft policy at consultation",
        "Draft policy at consultation",
        (),
    )


def test_an_old_ledger_reads_its_notes_as_version_2_in_every_read(
    old_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """History, board and log all read through the mapper: the old note shows the field
    version 2 added, and the board still takes the note as the item's latest comment."""
    register(ProgressNotedV2, monkeypatch)

    def read(*args: str) -> Any:
        result = CliRunner().invoke(main, ["--db", old_file, *args, "--format", "json"])
        assert result.exit_code == 0, (result.output, result.exception)
        return json.loads(result.stdout)

    events = read("history", "ROADS/1")["events"]
    assert events[2] == {
        "id": "ROADS/1@3",
        "type": "ProgressNotedV2",
        "on": "2021-02-20",
        "recorded_at": "2021-06-01T09:12:00+00:00",
        "actor": "Strategic Development",
        "text": "Draft policy at consultation",
        "links": [],
        "corrected_by": None,
    }
    board = {i["key"]: i for i in read("board", "--as-at", "2021-06-01")["items"]}
    assert board["ROADS/1"]["comment"] == "Draft policy at consultation"
    notes = [e for e in read("log")["events"] if e["id"] == "ROADS/1@3"]
    assert [n["links"] for n in notes] == [[]]
    assert upcast_calls, "nothing was upcast"


def test_a_stored_older_version_without_its_upcaster_is_refused(
    old_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(ProgressNotedWithoutUpcaster, monkeypatch)
    ledger = open_ledger(old_file, create=False)
    try:
        with pytest.raises((AttributeError, LedgerError), match="upcast_v1_v2"):
            ledger.mapper.to_domain_event(stored_note())
    finally:
        ledger.close()


def test_an_export_of_version_1_notes_restores_them_as_version_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(ProgressNotedV2, monkeypatch)
    monkeypatch.setitem(events.EVENT_TYPES, "ProgressNoted", ProgressNotedV2)
    target = str(tmp_path / "restored.sqlite")
    result = CliRunner().invoke(
        main, ["--db", target, "--actor", "Strategic Development", "restore", str(EXPORT)]
    )
    assert result.exit_code == 0, result.output
    note = CliRunner().invoke(main, ["--db", target, "history", "ROADS/1", "--format", "json"])
    assert json.loads(note.stdout)["events"][2]["links"] == []
