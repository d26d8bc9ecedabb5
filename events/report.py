"""Events in the life of an inspection report."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent, Scope


class ReportEvent(LedgerEvent):
    """Something that happened to an inspection report."""


class ReportRegistered(ReportEvent, CanInitAggregate[UUID]):
    originator_topic: str
    code: str
    title: str
    scope: Scope
    published: date
    inspectorates: tuple[str, ...] = ()
    makes: int | None = None
