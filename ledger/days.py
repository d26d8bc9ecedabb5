"""The day a change takes effect in the world: the rule every write applies to ``--on``,
also for checks of a file that open no ledger."""

from __future__ import annotations

from datetime import date

from ledger.errors import Field, RuleBrokenError


def day_of_change(
    on: date | None, today: date, *, not_before: date | None = None, since: str = ""
) -> date:
    """The day a change takes effect: ``on`` or ``today``; never in the future, never
    before ``not_before`` (``since`` says what happened then). The rule of
    :meth:`Governance.check_on`, for a check of a file that opens no ledger."""
    on = on or today
    if on > today:
        raise RuleBrokenError(
            "{field} {day} is in the future; record a change once it has happened "
            "(today is {today})",
            field=Field.ON,
            day=on.isoformat(),
            today=today.isoformat(),
        )
    if not_before is not None and on < not_before:
        raise RuleBrokenError(
            "{field} {day} is before {since} ({not_before}); give a date on or after that",
            field=Field.ON,
            day=on.isoformat(),
            since=since,
            not_before=not_before.isoformat(),
        )
    return on
