"""A backup's inspections replayed through the rules they passed when recorded: each
inspection's events re-made by :class:`~ledger.aggregates.Inspection`'s commands, and a
report's link to its inspection checked as ``report add`` checked it: the inspection's
``InspectionReported`` is the file's next line, or (a ledger recorded before the link
was kept on the inspection's stream) the report's event alone holds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from events import InspectionAdded, InspectionChanged, InspectionReported, ReportRegistered
from ledger.aggregates import Access, Inspection, Report
from ledger.aggregates.inspection import parse_expected
from ledger.errors import RuleBrokenError
from ledger.exchange.backup.items import authorized
from ledger.inputs import MAX_MAKES, check_writable, clean_text
from ledger.keys import check_code, committee_id, inspection_id, report_id


def remake_inspection_event(
    aggregates: dict[UUID, Any],
    event: InspectionAdded | InspectionChanged | InspectionReported,
    access: Access | None,
) -> Inspection:
    """The inspection, with the event its command gives pending."""
    if isinstance(event, InspectionReported):
        raise RuleBrokenError(
            f"an InspectionReported is recorded only with the ReportRegistered of its report "
            f"{event.report} (which names the inspection), just before it"
        )
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


def remake_report(
    aggregates: dict[UUID, Any], event: ReportRegistered, access: Access | None, today: date
) -> Report:
    """The report, with the event ``report add`` gives pending, once the file's event is
    one it could have given on ``today``: by a role of this ledger's, but for a report
    received from another organisation, which that one's roles allowed."""
    if event.origin is None:
        authorized(access, event.actor, "adding a report")
    check_code(event.code)
    if event.published > today:
        raise RuleBrokenError(
            f"its report was published on {event.published.isoformat()}, after the "
            "day it was registered"
        )
    if event.makes is not None and not 0 <= event.makes <= MAX_MAKES:
        raise RuleBrokenError(f"its makes {event.makes} is not from 0 to {MAX_MAKES:,}")
    if committee_id(event.code) in aggregates:
        raise RuleBrokenError(f"{event.code} is the code of a committee already")
    clean_text(event.title, "its title", required=True)
    check_report_link(aggregates, event)
    return Report.register(
        code=event.code,
        title=event.title,
        scope=event.scope,
        published=event.published,
        inspectorates=event.inspectorates,
        makes=event.makes,
        restricted=event.restricted,
        inspection=event.inspection,
        origin=event.origin,
        actor=event.actor,
        on=event.on,
    )


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


@dataclass(frozen=True)
class ReportLink:
    """A report's link to its inspection, replayed: the inspection's event that
    ``report add`` gave with the report's, still to come. A file may hold reports of
    both forms (a ledger recorded before the event existed and continued since): each
    is what a command of its time wrote, and either gives the same link."""

    stream: UUID
    report: str
    actor: str
    on: date
    recorded: datetime

    @classmethod
    def of(cls, event: ReportRegistered) -> ReportLink | None:
        if event.inspection is None:
            return None
        return cls(
            inspection_id(event.inspection), event.code, event.actor, event.on, event.timestamp
        )

    def settle(self, aggregates: dict[UUID, Any], event: Any) -> Inspection | None:
        """The inspection with the ``InspectionReported`` its report's command gave
        pending, when ``event`` (the next line) is that one; else the link is recorded as
        a ledger before that event kept it, on the report alone, and None."""
        inspection: Inspection = aggregates[self.stream]
        if isinstance(event, InspectionReported) and event.originator_id == self.stream:
            if event.timestamp < self.recorded:  # the command records it after the report
                raise RuleBrokenError(
                    f"it was recorded at {event.timestamp.isoformat()}, before its report "
                    f"{self.report} ({self.recorded.isoformat()}), with which it was recorded"
                )
            inspection.reported(self.report, self.actor, self.on)
            return inspection
        inspection.report = self.report
        return None
