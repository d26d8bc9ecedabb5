"""Events of the national register: the inspectorate's verdict on an organisation's
item, separate from the organisation's own status.

An organisation says what it has done (its item's status, in its own ledger); the
inspectorate says whether it is satisfied (a verdict, in the inspectorate's ledger, where
no organisation can write): committees complain when bodies mark their own homework. The
verdicts on one organisation's items are one stream of the inspectorate's ledger,
begun by :class:`VerdictsBegun`.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent


class Verdict(StrEnum):
    """What the inspectorate says of an organisation's item: the terms of the
    recommendation properly addressed (accepted), not (not-accepted), or overtaken by a
    later recommendation (superseded). The values are what events store."""

    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not-accepted"
    SUPERSEDED = "superseded"


class VerdictEvent(LedgerEvent):
    """Something the inspectorate recorded of an organisation's items."""


class VerdictsBegun(VerdictEvent, CanInitAggregate[UUID]):
    """The inspectorate's verdicts on the items of organisation ``org`` begin here: the
    first event of their stream, recorded with the first verdict."""

    originator_topic: str
    org: str


class VerdictGiven(VerdictEvent):
    """The inspectorate's ``verdict`` on ``org``'s item ``key`` (``FRAUD19/9``), from
    ``on``, for ``reason``; a later verdict on the same item replaces it from its own
    day, and the earlier one stays in the history."""

    key: str
    verdict: Verdict
    reason: str
