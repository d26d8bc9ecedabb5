"""Events in the life of an inspection before (and without) its report: the fieldwork,
the hot debrief, when the report is expected, or that none will be published.

An inspection is known by a code of its own (never a report's or a committee's, so event
ids stay unambiguous); the report it leads to names it (``ReportRegistered.inspection``),
and the inspection's own stream records the link in the same transaction
(:class:`InspectionReported`), so two reports registered at the same moment for one
inspection cannot both be recorded: the second writer meets the first's event.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from events.base import LedgerEvent


class InspectionEvent(LedgerEvent):
    """Something that happened to an inspection."""


class InspectionAdded(InspectionEvent, CanInitAggregate[UUID]):
    """An inspection of the force, by ``inspectorates``, with fieldwork from
    ``fieldwork_from`` to ``fieldwork_to`` (both days in); a hot ``debrief`` when one was
    held or is planned; ``expected``: when its report is expected, a day (``2017-06-30``)
    or a month (``2017-06``); ``no_report``: the inspectorate said no report or
    recommendations will be published, and ``reason`` says why."""

    originator_topic: str
    code: str
    title: str
    inspectorates: tuple[str, ...] = ()
    fieldwork_from: date
    fieldwork_to: date
    debrief: date | None = None
    expected: str | None = None
    no_report: bool = False
    reason: str | None = None


class InspectionChanged(InspectionEvent):
    """What changed about an inspection; a field left None did not change. ``reason``
    says why (a date moved, or why no report will be published when ``no_report``)."""

    title: str | None = None
    fieldwork_from: date | None = None
    fieldwork_to: date | None = None
    debrief: date | None = None
    expected: str | None = None
    no_report: bool = False
    reason: str | None = None


class InspectionReported(InspectionEvent):
    """The inspection's ``report`` was registered, recorded with the report's
    ``ReportRegistered`` (which names the inspection) in one transaction. Ledgers recorded
    before this event existed hold the report's side only."""

    report: str
