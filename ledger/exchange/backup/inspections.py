"""A backup's inspections replayed through the rules they passed when recorded: each
inspection's events re-made by :class:`~ledger.aggregates.Inspection`'s commands, and a
report's link to its inspection checked as ``report add`` checked it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from events import InspectionAdded, InspectionChanged, ReportRegistered
from ledger.aggregates import Access, Inspection
from ledger.aggregates.inspection import parse_expected
from ledger.errors import RuleBrokenError
from ledger.exchange.backup.items import authorized
from ledger.inputs import check_writable, clean_text
from ledger.keys import check_code, committee_id, inspection_id, report_id


def remake_inspection_event(
    aggregates: dict[UUID, Any], event: InspectionAdded | InspectionChanged, access: Access | None
) -> Inspection:
    """The inspection, with the event its command gives pending."""
    actor = event.actor
    if event.expected is not None and parse_expected(event.expected) != event.expected:
        raise RuleBrokenError(f"its expected {event.expected!r} is not as a command writes it")
    if isinstance(event, InspectionAdded):
        authorized(access, actor, "adding an inspection")
        check_code(event.code, what="inspection code")
        for taken, what in (
            (report_id(event.code), "report"),
            (committee_id(event.code), "committee"),
        ):
            if taken in aggregates:
                raise RuleBrokenError(f"{event.code} is the code of a {what} already")
        clean_text(event.title, "its title", required=True)
        if not event.inspectorates:
            raise RuleBrokenError("it names no inspectorate")
        for name in event.inspectorates:
            check_writable(name, "its inspectorate")
        return Inspection.add(
            code=event.code,
            title=event.title,
            inspectorates=event.inspectorates,
            fieldwork_from=event.fieldwork_from,
            fieldwork_to=event.fieldwork_to,
            debrief=event.debrief,
            expected=event.expected,
            no_report=event.no_report,
            reason=event.reason,
            actor=actor,
            on=event.on,
        )
    authorized(access, actor, "changing an inspection")
    if event.title is not None:
        clean_text(event.title, "its title", required=True)
    inspection: Inspection = aggregates[event.originator_id]
    inspection.change(
        title=event.title,
        fieldwork_from=event.fieldwork_from,
        fieldwork_to=event.fieldwork_to,
        debrief=event.debrief,
        expected=event.expected,
        no_report=event.no_report,
        reason=event.reason,
        actor=actor,
        on=event.on,
    )
    return inspection


def check_report_link(aggregates: dict[UUID, Any], event: ReportRegistered) -> None:
    """Refuse a report whose code is an inspection's, or that names an inspection earlier
    in the file could not have given it: none, one without a report, one another report
    named, or one whose fieldwork had not ended when the report was published."""
    if inspection_id(event.code) in aggregates:
        raise RuleBrokenError(f"{event.code} is the code of an inspection already")
    if event.inspection is None:
        return
    inspection = aggregates.get(inspection_id(event.inspection))
    if not isinstance(inspection, Inspection):
        raise RuleBrokenError(f"no inspection {event.inspection} earlier in the file")
    if inspection.no_report:
        raise RuleBrokenError(f"inspection {event.inspection} was to have no report")
    if inspection.report is not None:
        raise RuleBrokenError(
            f"inspection {event.inspection} has its report already ({inspection.report})"
        )
    if event.published < inspection.fieldwork_to:
        raise RuleBrokenError(
            f"its report was published before inspection {event.inspection}'s fieldwork ended"
        )
    inspection.report = event.code
