"""The rows of the reports, committees and meetings (with the reports each reviews), and
of an inspectorate's verdicts, that the events up to a position give: what the audit reads first, before the items, whose
rows need them (a report's title and scope, each committee's meeting days)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.utils import get_topic

from events import (
    CommitteeRegistered,
    InspectionEvent,
    MeetingScheduled,
    ReportRegistered,
    VerdictGiven,
    VerdictsBegun,
)
from projections.store.database import moment
from projections.store.derive import (
    META_EVENTS,
    committee_row,
    inspection_row,
    meeting_rows,
    report_row,
    verdict_row,
)
from projections.store.schema import LAYOUT, LAYOUT_ROW, NAME
from projections.store.stored_rows import BATCH, kinds

if TYPE_CHECKING:
    from ledger.application import Ledger


#: The topics of the events the model reads first (reports, committees, meetings and
#: their reviews).
_META = [get_topic(kind) for cls in META_EVENTS for kind in kinds(cls)]


def made_meta(ledger: Ledger, position: int) -> Iterator[Any]:
    """The tracking rows, reports, committees and meetings the events up to
    ``position`` give, as (table, rows); last, what items' rows need of them."""
    yield "ragw_tracking", [(LAYOUT_ROW, LAYOUT), (NAME, position)]
    reports: dict[str, tuple[str, str]] = {}
    codes: dict[str, str] = {}
    days: dict[str, list[date]] = defaultdict(list)
    orgs: dict[str, str] = {}  # each stream of verdicts' organisation
    for event in _meta_events(ledger, position):
        at = moment(event.timestamp)
        if isinstance(event, VerdictsBegun):  # recorded before any verdict of its stream
            orgs[str(event.originator_id)] = event.org
        elif isinstance(event, VerdictGiven):
            yield "ragw_verdicts", [verdict_row(orgs[str(event.originator_id)], event, at)]
        elif isinstance(event, ReportRegistered):
            row = report_row(event, at)
            reports[event.code] = (row[2], row[3])
            yield "ragw_reports", [row]
        elif isinstance(event, CommitteeRegistered):
            row = committee_row(event, at)
            codes[row[0]] = event.code
            yield "ragw_committees", [row]
        elif isinstance(event, InspectionEvent):
            yield "ragw_inspections", [inspection_row(event, at)]
        else:  # a meeting, or a change of the reports it reviews
            code = codes.get(str(event.originator_id))
            if code is not None:  # the follower joins a meeting to its committee
                if isinstance(event, MeetingScheduled):
                    days[code].append(event.meeting)
                yield from meeting_rows(code, event, at)
    yield reports, {code: sorted(found) for code, found in days.items()}


def _meta_events(ledger: Ledger, position: int) -> Iterator[Any]:
    """The reports, committees and meetings recorded up to ``position``, in order."""
    recorder: Any = ledger.recorder
    mapper = ledger.mapper
    start = 1
    while start <= position:
        page = recorder.select_notifications(start, BATCH, stop=position, topics=_META)
        yield from (mapper.to_domain_event(notification) for notification in page)
        if len(page) < BATCH:
            return
        start = page[-1].id + 1
