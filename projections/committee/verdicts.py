"""The paper's section "The inspectorate's verdicts": for each item the appendix lists
that an inspectorate gave a verdict on, the force's own status at the meeting beside the
verdict in effect on the meeting's day, as known when the paper was read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from projections.committee.appendix import Appendix
    from projections.usecases.verdicts import Shown


@dataclass(frozen=True)
class VerdictRow:
    """An item's status as the force gives it and the inspectorate's verdict on it."""

    key: str
    status: str
    verdict: str
    given_by: str
    on: date
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "verdict": self.verdict,
            "by": self.given_by,
            "on": self.on.isoformat(),
            "reason": self.reason,
        }


def verdict_rows(appendix: Appendix, verdicts: Mapping[str, Shown]) -> list[VerdictRow]:
    """The appendix's items an inspectorate gave a verdict on, in the appendix's order."""
    return [
        VerdictRow(
            item.key,
            item.status,
            shown.given.verdict.value,
            shown.by,
            shown.given.on,
            shown.given.reason,
        )
        for report in appendix.reports
        for item in report.items
        if (shown := verdicts.get(item.key)) is not None
    ]
