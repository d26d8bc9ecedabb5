"""The RAGW board as at a date, as known at a moment."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

from events import LedgerEvent, Status
from projections.recorded import Recorded
from projections.store import ReportFacts
from projections.text import ref_order

if TYPE_CHECKING:
    from projections.store import TimelineStore


class BoardItem(NamedTuple):
    """One row of the board (a tuple: boards of a national register hold many)."""

    key: str
    report: str
    ref: str
    kind: str
    scope: str
    status: str | None
    due: date | None
    overdue: bool
    owner: str | None
    text: str
    lead: str | None
    comment: str | None
    #: The request awaiting sign-off (GREEN, CLOSED, an EXTENSION), as JSON.
    pending: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "report": self.report,
            "ref": self.ref,
            "kind": self.kind,
            "scope": self.scope,
            "status": self.status,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "owner": self.owner,
            "lead": self.lead,
            "text": self.text,
            "comment": self.comment,
            "pending": self.pending,
        }


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
        counted: dict[str, int] = defaultdict(int)
        for item in self.items:
            counted[item.status or "NOT ASSESSED"] += 1
        return dict(counted)


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
        Recorded.of(events, as_known_at), as_at=as_at, report=report, owner=owner,
        status=status, overdue=overdue, pending=pending,
    )  # fmt: skip


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
    items: list[BoardItem] = []
    for state in recorded.states_as_at(as_at).values():
        registered = reports[state.report]
        item = BoardItem(
            key=state.key,
            report=state.report,
            ref=state.ref,
            kind=state.kind.value,
            scope=registered.scope,
            status=state.status.value if state.status else None,
            due=state.due,
            overdue=state.overdue_as_at(as_at),
            owner=state.owner,
            text=state.text,
            lead=state.lead,
            comment=state.comment,
            pending=state.pending.to_json(state.key) if state.pending else None,
        )
        if _shown(item, report=report, owner=owner, status=status, overdue=overdue,
                  pending=pending):  # fmt: skip
            items.append(item)
    items.sort(key=lambda i: (*paper_order(reports[i.report]), ref_order(i.ref)))
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
            as_at,
            as_known_at,
            report=report,
            owner=owner,
            status=status,
            overdue=overdue,
            pending=pending,
        )
    )


def board_item(line: str) -> BoardItem:
    """A board row from its JSON line."""
    document = json.loads(line)
    due = document["due"]
    return BoardItem(**{**document, "due": date.fromisoformat(due) if due else None})


def paper_order(report: ReportFacts) -> tuple[Any, ...]:
    """Papers list the newest report first."""
    return (-report.published.toordinal(), report.code)


def _shown(
    item: BoardItem, *, report: str | None, owner: str | None, status: str | None,
    overdue: bool, pending: bool,
) -> bool:  # fmt: skip
    if report is not None and item.report != report:
        return False
    if owner is not None and (item.owner or "").casefold() != owner.casefold():
        return False
    if status is not None and (item.status or "NOT ASSESSED") != status:
        return False
    if pending and item.pending is None:
        return False
    return not overdue or item.overdue


#: What ``--status`` accepts: a colour, CLOSED, or the state before the first colour.
BOARD_STATUSES = [s.value for s in Status] + ["NOT ASSESSED"]
