"""What every recorded fact has in common."""

from __future__ import annotations

import operator
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate
from pydantic import BaseModel, ConfigDict, Field


class Status(StrEnum):
    """RAGW, plus CLOSED: taken off the tracker without being implemented."""

    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"
    WHITE = "WHITE"
    CLOSED = "CLOSED"


class Kind(StrEnum):
    RECOMMENDATION = "recommendation"
    AFI = "afi"
    CONCERN = "concern"


class Scope(StrEnum):
    NATIONAL = "national"
    FORCE = "force"


class LedgerEvent(BaseModel, CanMutateAggregate[UUID]):
    """Base of every event: identity in its stream, who (and for whom), when recorded,
    when effective."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Bumped when an event's shape changes; stored events are upcast on read
    #: by ``upcast_vN_vN+1`` class methods, so old ledgers stay readable forever.
    class_version: ClassVar[int] = 1

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    actor: str
    on: date
    #: Whom ``actor`` recorded this for, when not themselves: the owner whose update sheet
    #: they applied. Left out of what is stored when empty, so every event that does not
    #: use it is stored, chained and backed up byte for byte as before it existed
    #: (``operator.not_``, a built-in: it is asked of every event written).
    acting_for: str | None = Field(default=None, exclude_if=operator.not_)

    def apply(self, aggregate: Any) -> None:
        # The aggregate, not the event, knows how it evolves.
        aggregate.when(self)

    def payload(self) -> dict[str, Any]:
        """The event's own facts, JSON-ready, without the envelope."""
        return self.model_dump(
            mode="json",
            exclude={"originator_id", "originator_version", "timestamp", "actor", "on"}
            | {"originator_topic"},
        )
