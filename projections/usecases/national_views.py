"""The national board of one report: each recommendation, each organisation's status
and the inspectorate's verdict on it, as at any day and as known at any moment, made
from :func:`projections.usecases.national.national_read` (the national summary, its
counts, is :mod:`projections.usecases.national_summary`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.errors import NotFoundError
from projections.rows import status_word
from projections.text import ref_order
from projections.usecases.national import close_each, national_read

if TYPE_CHECKING:
    from ledger.aggregates import GivenVerdict
    from projections.rows import BoardItem, ReportFacts
    from projections.usecases.session import LedgerSession


# The national board ----------------------------------------------------------------


@dataclass(frozen=True)
class NationalCell:
    """One organisation's item on the national board: its status and the verdict."""

    item: BoardItem
    verdict: GivenVerdict | None

    @property
    def status(self) -> str:
        """The board's status word (NOT ASSESSED before the first)."""
        return status_word(self.item.status)

    def to_json(self) -> dict[str, Any]:
        verdict = self.verdict
        return {
            "status": self.status,
            "verdict": verdict.verdict.value if verdict else None,
            "verdict_reason": verdict.reason if verdict else None,
            "verdict_on": verdict.on.isoformat() if verdict else None,
            "verdict_by": verdict.by if verdict else None,
            "due": self.item.due.isoformat() if self.item.due else None,
            "overdue": self.item.overdue,
            "not_for_the_force": self.item.not_for_the_force,
            "superseded_by": self.item.superseded_by,
        }


@dataclass(frozen=True)
class NationalRow:
    """A recommendation of the report, with each organisation holding it."""

    key: str
    ref: str
    cells: dict[str, NationalCell]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "ref": self.ref,
            "organisations": {org: cell.to_json() for org, cell in self.cells.items()},
        }


@dataclass(frozen=True)
class NationalBoard:
    report: ReportFacts
    as_at: date
    as_known_at: datetime | None
    #: The organisations holding the report, in the register's order.
    organisations: list[str]
    #: Its recommendations as the report numbers them ("2" before "10", "4a" after "4").
    rows: list[NationalRow]
    digests: dict[str, str | None]

    def to_json(self) -> dict[str, Any]:
        return {
            "report": self.report.code,
            "as_at": self.as_at.isoformat(),
            "as_known_at": self.as_known_at.isoformat() if self.as_known_at else None,
            "title": self.report.title,
            "organisations": self.organisations,
            "items": [row.to_json() for row in self.rows],
            "digests": self.digests,
        }


def national_board(
    register: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    *,
    report: str,
    as_at: date,
    as_known_at: datetime | None = None,
) -> NationalBoard:
    """Each recommendation of report ``report`` with every organisation's status and
    the inspectorates' verdict, as at ``as_at`` as known at ``as_known_at``; refused
    when no organisation holds the report."""
    read = national_read(
        register, open_org, as_at=as_at, as_known_at=as_known_at, report=report, release=close_each
    )
    holding = [m.code for m in read.members if report in read.reports.get(m.code, {})]
    if not holding:
        raise NotFoundError(
            "no organisation of the register holds report {report} (as known {when})",
            report=report,
            when=f"at {as_known_at.isoformat()}" if as_known_at else "now",
        )
    rows: dict[str, NationalRow] = {}
    for found in read.items:
        item = found.item
        row = rows.setdefault(item.key, NationalRow(item.key, item.ref, {}))
        row.cells[found.org] = NationalCell(item, found.verdict)
    ordered = sorted(rows.values(), key=lambda row: (ref_order(row.ref), row.key))
    return NationalBoard(
        read.reports[holding[0]][report], as_at, as_known_at, holding, ordered, dict(read.digests)
    )
