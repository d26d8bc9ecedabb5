"""Events in the life of an inspection report."""

from __future__ import annotations

import operator
from datetime import date
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from pydantic import Field

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
    #: Circulated but not intended for publication: the committee sees its title only
    #: (unless asked for in full), and public outputs leave it out. Left out of what is
    #: stored when not so, like ``inspection``, so every report registered before either
    #: existed is stored, chained and backed up byte for byte as it was.
    restricted: bool = Field(default=False, exclude_if=operator.not_)
    #: The code of the inspection this report is the report of.
    inspection: str | None = Field(default=None, exclude_if=operator.not_)
    #: The organisation that issued it to this ledger (``HMICFRS``): a national report
    #: received from the inspectorate's ledger, whose items are the inspectorate's
    #: recommendations to every force. Left out of what is stored when not so.
    origin: str | None = Field(default=None, exclude_if=operator.not_)
