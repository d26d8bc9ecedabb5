"""Replays: an item's history, or a meeting's paper, step by step as it was recorded
(:mod:`projections.replay`), as an auditor steps through what changed and when."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from projections.log import EventRecord, records_of
from projections.replay import Step, item_steps, known_by, meeting_steps

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Replay:
    """What is replayed (``{"key": ...}`` or ``{"meeting": ...}``), and its steps as they
    are worked out, each with the event as the log shows it."""

    subject: dict[str, Any]
    steps: Iterator[tuple[Step, EventRecord]]


def replay_item(
    session: LedgerSession, key: str, *, as_at: date, as_known_at: datetime | None = None
) -> Replay:
    """A step for every event of the item ``key`` (recorded by ``as_known_at``, when
    given), in the order recorded, each with the item's board row as at ``as_at`` just
    after it; refuses a key the ledger does not hold."""
    ledger = session.ledger(write=False)
    item = ledger.get_recommendation(key)  # its own stream: no scan of the whole log
    scope = ledger.get_report(item.key.partition("/")[0]).scope.value
    events = list(known_by(item.history, as_known_at))
    records = records_of(events)
    steps = item_steps(item.key, events, scope=scope, as_at=as_at)
    return Replay({"key": item.key}, zip(steps, records, strict=True))


def replay_meeting(
    session: LedgerSession, committee: str, day: date, *, as_known_at: datetime | None = None
) -> Replay:
    """A step for every event (recorded by ``as_known_at``, when given), in the order
    recorded, after which the counts of the paper for ``committee``'s meeting on ``day``
    differ from those just before it, with those counts (the summary's totals); refuses
    a committee or a meeting the ledger does not hold (as known then)."""
    session.recorded(as_known_at).committee(committee).meeting(day)
    ledger = session.ledger(write=False)
    events = known_by((event for _, event in ledger.read_log()), as_known_at)
    steps = meeting_steps(committee, day, events)
    return Replay(
        {"meeting": {"committee": committee, "day": day.isoformat()}},
        ((step, _record(step)) for step in steps),
    )


def _record(step: Step) -> EventRecord:
    """The step's event as the log shows it (named with the step's id)."""
    (record,) = records_of([step.event])
    return EventRecord(**{**record.__dict__, "id": step.id, "key": step.id.rpartition("@")[0]})
