"""Inspections, as commands: an inspection added with its fieldwork (and, when known, its
hot debrief and when its report is expected, or that none will be published), and each
later change to it. The report of an inspection names it when it is registered
(:meth:`~ledger.governance.Governance.register_report`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ledger.aggregates import Inspection
from ledger.aggregates.inspection import parse_expected
from ledger.due import parse_iso_date, within_years
from ledger.errors import AlreadyExistsError, Field, InvalidInputError
from ledger.governance import Governance
from ledger.inputs import clean_inspectorates, clean_text
from ledger.keys import check_code, committee_id, inspection_id, report_id


def parse_fieldwork(text: str) -> tuple[date, date]:
    """``FROM..TO`` (both days in), or one day for fieldwork of a day."""
    start, sep, end = text.strip().partition("..")
    if not start.strip() or (sep and not end.strip()):
        raise InvalidInputError(
            "{fieldwork} {text!r} is not FROM..TO; write e.g. 2017-02-06..2017-02-09",
            fieldwork=Field.FIELDWORK,
            text=text,
        )
    first = parse_iso_date(start, "the fieldwork's first day")
    last = parse_iso_date(end, "the fieldwork's last day") if sep else first
    return (
        within_years(first, "the fieldwork's first day", start.strip()),
        within_years(last, "the fieldwork's last day", end.strip() or start.strip()),
    )


class Inspections(Governance):
    """Inspections of the force, before and without their reports."""

    def add_inspection(
        self,
        code: str,
        *,
        title: str,
        inspectorates: Sequence[str],
        fieldwork: str,
        debrief: date | None = None,
        expected: str | None = None,
        no_report: bool = False,
        reason: str | None = None,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Add inspection ``code``: its fieldwork (``FROM..TO``), and what is known."""
        self.authorize(actor, what="adding an inspection")
        code = check_code(code, what="inspection code")
        day = self.check_on(on)
        start, end = parse_fieldwork(fieldwork)
        named = clean_inspectorates(inspectorates)
        if not named:
            raise InvalidInputError(
                "inspection {code} needs the inspectorate that carries it out (e.g. HMICFRS; "
                "give each of a joint inspection's)",
                code=code,
            )
        for taken, what in (
            (inspection_id(code), "an inspection"),
            (report_id(code), "a report"),
            (committee_id(code), "a committee"),
        ):
            if taken in self.repository:
                raise AlreadyExistsError(
                    "{code} is the code of {what} already; give the inspection a code of its own",
                    code=code,
                    what=what,
                )
        inspection = Inspection.add(
            code=code,
            title=clean_text(title, Field.TITLE, required=True) or "",
            inspectorates=named,
            fieldwork_from=start,
            fieldwork_to=end,
            **_dated(debrief, expected, reason),
            no_report=no_report,
            actor=actor,
            on=day,
        )
        return self.save_all(inspection, what=f"inspection {code}")

    def update_inspection(
        self,
        code: str,
        *,
        title: str | None = None,
        fieldwork: str | None = None,
        debrief: date | None = None,
        expected: str | None = None,
        no_report: bool = False,
        reason: str | None = None,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Record what changed about inspection ``code``: a moved date says why."""
        self.authorize(actor, what="changing an inspection")
        inspection = self.get_inspection(code)
        day = self.check_on(on)
        start, end = parse_fieldwork(fieldwork) if fieldwork is not None else (None, None)
        inspection.change(
            title=clean_text(title, Field.TITLE, required=True) if title is not None else None,
            fieldwork_from=start,
            fieldwork_to=end,
            **_dated(debrief, expected, reason),
            no_report=no_report,
            actor=actor,
            on=day,
        )
        return self.save_all(inspection, what=f"inspection {inspection.code}")


def _dated(debrief: date | None, expected: str | None, reason: str | None) -> dict[str, Any]:
    """The debrief, expected report and reason of an inspection's add or change, checked."""
    return {
        "debrief": within_years(debrief, "the debrief", debrief.isoformat()) if debrief else None,
        "expected": parse_expected(expected) if expected is not None else None,
        "reason": clean_text(reason, Field.REASON, required=False),
    }
