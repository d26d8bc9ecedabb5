"""When an event is recorded: now, by this machine's clock, but never before the event
its stream recorded last (nor an item before its report's last event).

Reads "as known at a moment" take, of each stream, the events recorded by then, and a
restore refuses a stream whose moments go back: so a writer whose clock is behind
another's (a few seconds of NTP drift, or a machine set wrong) records its event at the
moment of the one before it instead, and its history stays in order. The moment is
never moved earlier than the clock's, so it still says when the event was recorded at
the latest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate


def not_before(previous: datetime | None, event_class: Any) -> datetime:
    """The moment to record an event of ``event_class`` at: the library's clock, or the
    moment of the event it follows (``previous``) when the clock is behind it."""
    now: datetime = event_class.create_timestamp()
    return now if previous is None or now >= previous else previous


class InOrder(BaseAggregate[UUID]):
    """An aggregate whose events are recorded no earlier than the one before them."""

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        if kwargs.get("timestamp") is None:
            kwargs["timestamp"] = not_before(self.modified_on, event_class)
        super().trigger_event(event_class, **kwargs)
