"""The RAGW board as at a date, as known at a moment: folded from the events or read
from the stored read model, with the one row, rule, filters and order of
:mod:`projections.rows`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from typing import TYPE_CHECKING, Any

from events import LedgerEvent
from projections.recorded import Recorded
from projections.rows import (
    BOARD_STATUSES,
    BoardFilters,
    BoardItem,
    board_counts,
    paper_order,
    place,
)

if TYPE_CHECKING:
    from projections.store import TimelineStore


@dataclass(frozen=True)
class Board:
    as_at: date
    as_known_at: datetime | None
    items: list[BoardItem]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_at": self.as_at.isoformat(),
            "as_known_at": self.as_known_at.isoformat() if self.as_known_at else None,
            "items": [item.to_json() for item in self.items],
        }

    def counts(self) -> dict[str, int]:
        """The totals its footer prints (:func:`projections.rows.board_counts`)."""
        return board_counts(self.items)


def board_as_at(
    events: Iterable[LedgerEvent],
    *,
    as_at: date,
    as_known_at: datetime | None = None,
    report: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    pending: bool = False,
) -> Board:
    """Every item on the board as at ``as_at``, using only what was recorded by
    ``as_known_at`` (everything, when None). Filters narrow the items shown."""
    return board_of(
        Recorded.of(events, as_known_at),
        as_at=as_at,
        report=report,
        owner=owner,
        status=status,
        overdue=overdue,
        pending=pending,
    )


def board_of(
    recorded: Recorded,
    *,
    as_at: date,
    report: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    pending: bool = False,
) -> Board:
    """The board from item states (folded, or read from a stored read model)."""
    reports = recorded.reports
    shown = BoardFilters(report, owner, status, overdue, pending).shows
    items = [
        item
        for state in recorded.states_as_at(as_at).values()
        if shown(item := BoardItem.of(state, reports[state.report].scope, as_at))
    ]
    items.sort(key=lambda i: place(reports[i.report].published, i.report, i.ref))
    return Board(as_at=as_at, as_known_at=recorded.known_at, items=items)


def stored_board(
    store: TimelineStore,
    *,
    as_at: date,
    as_known_at: datetime | None = None,
    report: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    pending: bool = False,
) -> Iterator[str]:
    """The same board as :func:`board_of`, as the JSON of each item (one line each, as
    ``--format json`` prints them), straight from the stored read model's query:
    nothing is folded or decoded, and memory stays flat however big the board."""
    return chain.from_iterable(
        store.board_batches(
            as_at, as_known_at, BoardFilters(report, owner, status, overdue, pending)
        )
    )


def board_item(line: str) -> BoardItem:
    """A board row from its JSON line."""
    return BoardItem.of_json(line)


__all__ = [
    "BOARD_STATUSES",
    "Board",
    "BoardItem",
    "board_as_at",
    "board_item",
    "board_of",
    "paper_order",
    "stored_board",
]
