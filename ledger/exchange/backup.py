"""Backup and restore: the whole history as JSON Lines, and back, unchanged.

Each line is one event: its id, type, key, the date it took effect, the moment it was
recorded, who recorded it, and its payload. Restoring writes exactly those events, in
that order, into an empty ledger in one transaction, so every read afterwards answers
as the original did. It is also how a ledger moves from a SQLite file to PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import ValidationError

from events import (
    EVENT_TYPES,
    AccessControlled,
    AccessEvent,
    CommitteeEvent,
    LedgerEvent,
    RecommendationEvent,
    RecommendationIssued,
    ReportEvent,
    RulesAdopted,
    RulesEvent,
)
from ledger.errors import BatchRefusedError, Field, LedgerError, RuleBrokenError
from ledger.formats import iso_utc
from ledger.inputs import check_writable
from ledger.keys import (
    ACCESS_ID,
    ACCESS_KEY,
    RULES_ID,
    RULES_KEY,
    committee_id,
    recommendation_id,
    report_id,
    split_event_id,
    split_key,
)
from ledger.storage.mapper import upcast

if TYPE_CHECKING:
    from ledger.application import Ledger

ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor", "on"}


def backup_line(event: LedgerEvent, key: str) -> dict[str, Any]:
    """One event as a line of the backup; ``key`` names its stream (``CODE`` or
    ``CODE/REF``)."""
    return {
        "id": f"{key}@{event.originator_version}",
        "type": type(event).__name__,
        "key": key,
        "on": event.on.isoformat(),
        "recorded_at": iso_utc(event.timestamp),
        "actor": event.actor,
        "class_version": type(event).class_version,
        "payload": event.model_dump(mode="json", exclude=ENVELOPE),
    }


def backup_lines(events: Iterable[LedgerEvent]) -> Iterator[dict[str, Any]]:
    keys: dict[UUID, str] = {}
    for event in events:
        if event.originator_version == 1:
            if isinstance(event, RecommendationIssued):
                keys[event.originator_id] = f"{event.report}/{event.ref}"
            elif isinstance(event, AccessControlled):
                keys[event.originator_id] = ACCESS_KEY
            elif isinstance(event, RulesAdopted):
                keys[event.originator_id] = RULES_KEY
            else:
                keys[event.originator_id] = event.code  # type: ignore[attr-defined]
        yield backup_line(event, keys[event.originator_id])


def event_of(line: dict[str, Any]) -> LedgerEvent:
    """The event a backup line describes; refuses a line that does not add up."""
    cls = EVENT_TYPES.get(str(line.get("type")))
    if cls is None:
        raise RuleBrokenError(f"type {line.get('type')!r} is not an event the ledger records")
    key, version = split_event_id(str(line.get("id", "")))
    if key != line.get("key"):
        raise RuleBrokenError(f"id {line.get('id')!r} does not belong to key {line.get('key')!r}")
    if issubclass(cls, RecommendationEvent):
        stream = recommendation_id(*split_key(key))
    elif issubclass(cls, ReportEvent):
        stream = report_id(key)
    elif issubclass(cls, AccessEvent):
        if key != ACCESS_KEY:
            raise RuleBrokenError(f"{cls.__name__} belongs to {ACCESS_KEY!r}, not {key!r}")
        stream = ACCESS_ID
    elif issubclass(cls, RulesEvent):
        if key != RULES_KEY:
            raise RuleBrokenError(f"{cls.__name__} belongs to {RULES_KEY!r}, not {key!r}")
        stream = RULES_ID
    else:
        assert issubclass(cls, CommitteeEvent)
        stream = committee_id(key)
    payload = line.get("payload", {})
    if isinstance(payload, dict) and ENVELOPE & payload.keys():
        raise RuleBrokenError(
            "its payload repeats {fields}, which the line gives once",
            fields=", ".join(sorted(ENVELOPE & payload.keys())),
        )
    try:
        state = {
            **payload,
            "timestamp": datetime.fromisoformat(str(line["recorded_at"])),
            "actor": line["actor"],
            "on": date.fromisoformat(str(line["on"])),
        }
        upcast(cls, state, line.get("class_version", 1))
        for name, value in state.items():
            _check_writable(value, name)
        return cls(originator_id=stream, originator_version=version, **state)
    except LedgerError as error:
        raise RuleBrokenError(str(error)) from None
    except (KeyError, ValueError, TypeError, ValidationError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise RuleBrokenError(f"the event cannot be read: {first}") from None


def _check_writable(value: Any, name: str) -> None:
    """Refuse a text no paper or sheet can hold, wherever it sits in an event."""
    if isinstance(value, str):
        check_writable(value, f"its {name}")
    elif isinstance(value, list | tuple):
        for each in value:
            _check_writable(each, name)
    elif isinstance(value, dict):
        for key, each in value.items():
            _check_writable(each, f"{name}.{key}")


def read_backup(text_lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Numbered lines, parsed; a line that is not JSON comes back as its error."""
    for number, text in enumerate(text_lines, start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except json.JSONDecodeError as error:
            yield number, f"not a JSON object ({error.msg})"
            continue
        yield number, line if isinstance(line, dict) else "not a JSON object"


def restore(
    ledger: Ledger,
    lines: Iterable[tuple[int, dict[str, Any] | str]],
    *,
    source: str,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write every event of a backup into an empty ledger; return how many."""
    if ledger.last_position():
        raise RuleBrokenError(
            "restore writes into an empty ledger only, and this one holds events; "
            "give {store} a new file or an empty database",
            store=Field.STORE,
        )
    events: list[LedgerEvent] = []
    problems: list[tuple[int, LedgerError | str]] = []
    versions: dict[UUID, int] = {}
    for number, line in lines:
        if progress is not None:
            progress(1)
        if isinstance(line, str):
            problems.append((number, line))
            continue
        try:
            event = event_of(line)
        except LedgerError as error:
            problems.append((number, error))
            continue
        expected = versions.get(event.originator_id, 0) + 1
        if event.originator_version != expected:
            problems.append(
                (
                    number,
                    (
                        f"{line['id']} comes where {line['key']}@{expected} should; "
                        "the backup is incomplete or out of order"
                    ),
                )
            )
            continue
        versions[event.originator_id] = expected
        events.append(event)
    if problems:
        raise BatchRefusedError(source, problems)
    if events:
        stored = [ledger.mapper.to_stored_event(event) for event in events]
        ledger.recorder.insert_events(stored)
    return len(events)
