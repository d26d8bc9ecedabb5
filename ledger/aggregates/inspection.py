"""An inspection before (and without) its report: its fieldwork, hot debrief and when
its report is expected, or that none will be published. Rules of each change live here,
so a restore re-makes every event by them."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from events import InspectionAdded, InspectionChanged, InspectionEvent, InspectionReported
from ledger.aggregates.moments import InOrder
from ledger.due import within_years
from ledger.errors import AlreadyExistsError, Field, Fix, Hint, InvalidInputError, RuleBrokenError
from ledger.keys import inspection_id

_EXPECTED = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_expected(text: str) -> str:
    """When a report is expected, as written: a day (``2017-06-30``) or a month
    (``2017-06``); refused otherwise."""
    written = text.strip()
    found = _EXPECTED.match(written)
    try:
        if found is None:
            raise ValueError(written)
        expected_by(written)
    except ValueError:
        raise InvalidInputError(
            "{expected} {text!r} is neither a date nor a month; write YYYY-MM-DD or YYYY-MM "
            "(e.g. 2017-06)",
            expected=Field.EXPECTED,
            text=text,
        ) from None
    return written


def expected_by(expected: str) -> date:
    """The last day an ``expected`` date or month allows: the day, or the month's last."""
    year, month, *day = (int(part) for part in expected.split("-"))
    last = day[0] if day else calendar.monthrange(year, month)[1]
    return within_years(date(year, month, last), "the expected report", expected)


class Inspection(InOrder):
    """An inspection of the force, known by its code."""

    Event = InspectionEvent
    Registered = InspectionAdded

    @classmethod
    def add(
        cls,
        *,
        code: str,
        title: str,
        inspectorates: Sequence[str],
        fieldwork_from: date,
        fieldwork_to: date,
        debrief: date | None,
        expected: str | None,
        no_report: bool,
        reason: str | None,
        actor: str,
        on: date,
    ) -> Inspection:
        _check(code, fieldwork_from, fieldwork_to, debrief, expected, no_report)
        if no_report and not reason:
            raise RuleBrokenError(
                "an inspection without a report needs the reason none will be published: "
                "{hint} for {code}",
                hint=Hint.to(Fix.GIVE_REASON, why="why no report will be published"),
                code=code,
            )
        if reason and not no_report:
            raise RuleBrokenError(
                "a reason is recorded with an inspection only when no report will be "
                "published; leave out {reason} for {code}",
                reason=Field.REASON,
                code=code,
            )
        return cls._create(
            InspectionAdded,
            id=inspection_id(code),
            code=code,
            title=title,
            inspectorates=tuple(inspectorates),
            fieldwork_from=fieldwork_from,
            fieldwork_to=fieldwork_to,
            debrief=debrief,
            expected=expected,
            no_report=no_report,
            reason=reason,
            actor=actor,
            on=on,
        )

    def when(self, event: InspectionEvent) -> None:
        if isinstance(event, InspectionAdded):
            self.code: str = event.code
            self.title: str = event.title
            self.fieldwork_from: date = event.fieldwork_from
            self.fieldwork_to: date = event.fieldwork_to
            self.debrief: date | None = event.debrief
            self.expected: str | None = event.expected
            self.no_report: bool = event.no_report
            #: The day it was added: no change to it takes effect earlier.
            self.added_on: date = event.on
            #: The report of this inspection, once one names it: recorded here with the
            #: report (:meth:`reported`); in a ledger recorded before that, set by
            #: whoever loads the inspection from the report's own event.
            self.report: str | None = None
        elif isinstance(event, InspectionChanged):
            for name in ("title", "fieldwork_from", "fieldwork_to", "debrief", "expected"):
                if getattr(event, name) is not None:
                    setattr(self, name, getattr(event, name))
            self.no_report = self.no_report or event.no_report
            if event.no_report:  # no report will be published: none is expected any more
                self.expected = None
        elif isinstance(event, InspectionReported):
            self.report = event.report

    def reported(self, report: str, actor: str, on: date) -> None:
        """Record that ``report`` (registered in the same transaction) reports on this
        inspection: a second report meets this event's version and is refused, however
        close together the two were registered."""
        self.check_reportable()
        self.trigger_event(InspectionReported, report=report, actor=actor, on=on)

    def check_reportable(self) -> None:
        """Refuse a report of an inspection that was to have none, or has one already."""
        if self.no_report:
            raise RuleBrokenError(
                "no report of inspection {code} is to be published (it was recorded so); {hint}",
                code=self.code,
                hint=Hint.to(Fix.SEE_INSPECTIONS),
            )
        if self.report is not None:
            raise AlreadyExistsError(
                "inspection {code} has its report already ({report}); a report names the "
                "inspection it reports on, and an inspection has one",
                code=self.code,
                report=self.report,
            )

    def change(
        self,
        *,
        title: str | None,
        fieldwork_from: date | None,
        fieldwork_to: date | None,
        debrief: date | None,
        expected: str | None,
        no_report: bool,
        reason: str | None,
        actor: str,
        on: date,
    ) -> None:
        """Record what changed (a field given as it already is did not change); a date
        that was set and moves, or a report that will no longer be published, needs
        its reason."""
        given: dict[str, Any] = {
            "title": title,
            "fieldwork_from": fieldwork_from,
            "fieldwork_to": fieldwork_to,
            "debrief": debrief,
            "expected": expected,
        }
        changes = {
            name: value
            for name, value in given.items()
            if value is not None and value != getattr(self, name)
        }
        if on < self.added_on:
            raise RuleBrokenError(
                "inspection {code} was added on {added}; a change to it cannot take effect "
                "on {on}, earlier",
                code=self.code,
                added=self.added_on.isoformat(),
                on=on.isoformat(),
            )
        no_report = no_report and not self.no_report
        if not changes and not no_report:
            raise RuleBrokenError(
                "nothing about inspection {code} changes: it already has what was given",
                code=self.code,
            )
        if no_report and self.report is not None:
            raise RuleBrokenError(
                "inspection {code} has its report {report} already; a report that was "
                "published cannot become one that will not be",
                code=self.code,
                report=self.report,
            )
        after = {name: changes.get(name, getattr(self, name)) for name in given}
        if no_report and "expected" not in changes:
            after["expected"] = None  # cleared by recording that no report will be published
        _check(
            self.code,
            after["fieldwork_from"],
            after["fieldwork_to"],
            after["debrief"],
            after["expected"],
            self.no_report or no_report,
        )
        moved = [
            name
            for name in ("fieldwork_from", "fieldwork_to", "debrief", "expected")
            if name in changes and getattr(self, name) is not None
        ]
        if (moved or no_report) and not reason:
            why = "why no report will be published" if no_report else "why the date moved"
            raise RuleBrokenError(
                "{what} of inspection {code} needs a reason: {hint}",
                what="recording that no report will be published" if no_report else "moving a date",
                code=self.code,
                hint=Hint.to(Fix.GIVE_REASON, why=why),
            )
        self.trigger_event(
            InspectionChanged,
            **changes,
            no_report=no_report,
            reason=reason,
            actor=actor,
            on=on,
        )


def _check(
    code: str,
    fieldwork_from: date,
    fieldwork_to: date,
    debrief: date | None,
    expected: str | None,
    no_report: bool,
) -> None:
    """The dates of an inspection must follow each other, and a report that will not be
    published is not expected."""
    if fieldwork_to < fieldwork_from:
        raise RuleBrokenError(
            "{fieldwork} of {code} ends on {end}, before it starts ({start}); give FROM..TO "
            "with FROM first",
            fieldwork=Field.FIELDWORK,
            code=code,
            end=fieldwork_to.isoformat(),
            start=fieldwork_from.isoformat(),
        )
    if debrief is not None and debrief < fieldwork_from:
        raise RuleBrokenError(
            "{debrief} of {code} ({day}) is before its fieldwork starts ({start})",
            debrief=Field.DEBRIEF,
            code=code,
            day=debrief.isoformat(),
            start=fieldwork_from.isoformat(),
        )
    if expected is not None:
        if no_report:
            raise RuleBrokenError(
                "no report of inspection {code} will be published, so none is expected; "
                "leave out {expected}",
                code=code,
                expected=Field.EXPECTED,
            )
        if expected_by(parse_expected(expected)) < fieldwork_to:
            raise RuleBrokenError(
                "{expected} {day} is before the fieldwork of {code} ends ({end}); a report "
                "follows its fieldwork",
                expected=Field.EXPECTED,
                day=expected,
                code=code,
                end=fieldwork_to.isoformat(),
            )
