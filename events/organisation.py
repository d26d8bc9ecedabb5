"""Events of an organisation in a store shared by many: a force, a police and crime
commissioner, an inspectorate, a fire service.

An organisation is added once, and its addition is recorded twice: in the register of
the store (the single ledger, whose governance adds organisations) and as the first
event of the organisation's own ledger, so its identity is in its own chain and it knows
its kind without reading the register.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent


class OrganisationEvent(LedgerEvent):
    """Something that happened to an organisation."""


class OrganisationAdded(OrganisationEvent, CanInitAggregate[UUID]):
    """Organisation ``code`` (capitals, e.g. ``WMP``), called ``name``, of ``kind``
    (force, pcc, inspectorate, fire or other), keeps a ledger in this store."""

    originator_topic: str
    code: str
    name: str
    kind: str
