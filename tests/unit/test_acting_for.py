"""Whom an event was recorded for: stored, backed up and read back when given, and absent
from the stored bytes of every event that does not use it (the chain hashes those)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from events import StatusChanged
from ledger.exchange.backup import backup_line, event_of
from ledger.storage.mapper import PydanticMapper
from tests.conftest import memory_ledger

STREAM = UUID("12345678-1234-5678-1234-567812345678")


def changed(**extra: str) -> StatusChanged:
    return StatusChanged(
        originator_id=STREAM,
        originator_version=2,
        timestamp=datetime(2021, 2, 1, 9, 30, tzinfo=UTC),
        actor="alice",
        on=date(2021, 2, 1),
        status="RED",
        reason="Late",
        **extra,
    )


def mapper() -> PydanticMapper:
    return memory_ledger().mapper  # type: ignore[return-value]


def test_an_event_recorded_for_oneself_is_stored_byte_for_byte_as_before() -> None:
    stored = (
        b'{"timestamp":"2021-02-01T09:30:00Z","actor":"alice","on":"2021-02-01",'
        b'"status":"RED","reason":"Late"}'
    )
    assert mapper().encode(changed()) == stored
    assert mapper().encode_all([changed()]) == [stored]
    assert "acting_for" not in backup_line(changed(), "R/1")["payload"]


def test_an_event_recorded_for_an_owner_keeps_whom_through_the_store_and_a_backup() -> None:
    event = changed(acting_for="DCI Crime")
    stored = mapper().encode(event)
    assert b'"acting_for":"DCI Crime"' in stored
    assert mapper().encode_all([event]) == [stored]
    assert mapper().to_domain_event(mapper().to_stored_event(event)) == event
    line = backup_line(event, "R/1")
    assert line["actor"] == "alice" and line["payload"]["acting_for"] == "DCI Crime"
    restored = event_of(line)
    assert restored.acting_for == "DCI Crime"
    assert restored.model_dump() == event.model_dump() | {"originator_id": restored.originator_id}
