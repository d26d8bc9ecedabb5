"""The board and what is read off it: the board itself, the sign-off queue (the board
of items awaiting sign-off), a board export, and an owner's update sheet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from events import Status
from ledger.exchange.updates import FILLED, OWNER_STATUSES, SHOWN, VERSION
from ledger.state import fold_item
from projections.board import BOARD_STATUSES, board_item, board_of, stored_board
from projections.committee import KIND_WORDS, written_due
from projections.exceptions import NOT_ASSESSED
from projections.rows import board_counts
from projections.text import compact

if TYPE_CHECKING:
    from projections.board import BoardItem
    from projections.usecases.session import LedgerSession

#: The columns of a board export: those ``ragw import`` reads, plus key, due_date and
#: overdue, so an export can be imported elsewhere.
BOARD_COLUMNS = [
    "key",
    "report_code",
    "report",
    "scope",
    "published",
    "inspectorate",
    "ref",
    "kind",
    "text",
    "status",
    "due",
    "due_date",
    "overdue",
    "comment",
    "owner",
    "lead",
]


def status_named(text: str) -> str | None:
    """The board status ``text`` names, however spaced or cased ("not  assessed" is
    NOT ASSESSED); None when it names none."""
    wanted = " ".join(text.upper().split())
    return wanted if wanted in BOARD_STATUSES else None


@dataclass
class BoardRead:
    """The board as at a day, as known at a moment: each item as its JSON line, in
    board order, read once as they come (a national board runs to many thousands)."""

    as_at: date
    as_known_at: datetime | None
    lines: Iterator[str]

    def listed(self) -> ListedBoard:
        """Every item, read into rows, with the board's totals."""
        return ListedBoard.of([board_item(line) for line in self.lines])


@dataclass(frozen=True)
class ListedBoard:
    items: list[BoardItem]
    #: The board's totals as its footer prints them: items by status word (NOT ASSESSED
    #: before the first), and how many await sign-off when any do.
    counts: dict[str, int]
    #: How many items have a request awaiting sign-off.
    pending: int

    @classmethod
    def of(cls, items: list[BoardItem]) -> ListedBoard:
        return cls(items, board_counts(items), sum(1 for item in items if item.pending))


def board(
    session: LedgerSession,
    *,
    as_at: date,
    as_known_at: datetime | None = None,
    report: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    pending: bool = False,
) -> BoardRead:
    """The board as at ``as_at`` as known at ``as_known_at`` (now when None), narrowed
    to one report, one owner (any case), one status, the overdue items, or the items
    awaiting sign-off (the sign-off queue)."""
    filters: dict[str, Any] = {
        "report": report,
        "owner": owner,
        "status": status,
        "overdue": overdue,
        "pending": pending,
    }
    lines: Iterable[str]
    store = session.read_model()
    if store is None:
        read = board_of(session.recorded(as_known_at), as_at=as_at, **filters)
        lines = (compact(item.to_json()) for item in read.items)
    else:
        lines = stored_board(store, as_at=as_at, as_known_at=as_known_at, **filters)
    return BoardRead(as_at, as_known_at, iter(lines))


def sign_off_queue(
    session: LedgerSession, *, as_at: date, as_known_at: datetime | None = None
) -> BoardRead:
    """Every item with a request awaiting sign-off (a completion, a closure, an
    extension), as the board shows them: what governance signs off or rejects."""
    return board(session, as_at=as_at, as_known_at=as_known_at, pending=True)


@dataclass(frozen=True)
class BoardExport:
    as_at: date
    columns: Sequence[str]
    rows: list[list[Any]]
    #: The ledger's digest when it was read.
    digest: str | None


def board_export(
    session: LedgerSession, *, as_at: date, as_known_at: datetime | None = None
) -> BoardExport:
    """The board as rows of :data:`BOARD_COLUMNS`, due dates written as papers write
    them beside the ISO date."""
    recorded = session.recorded(as_known_at)
    states = recorded.states_as_at(as_at)
    rows = []
    for item in board_of(recorded, as_at=as_at).items:
        report = recorded.reports[item.report]
        rows.append(
            [
                item.key,
                item.report,
                report.title,
                item.scope,
                report.published.isoformat(),
                "; ".join(report.inspectorates),
                item.ref,
                KIND_WORDS[item.kind],
                item.text,
                item.status or "",
                written_due(states[item.key], report.published),
                item.due.isoformat() if item.due else "",
                "OVERDUE" if item.overdue else "",
                item.comment,
                item.owner,
                item.lead,
            ]
        )
    return BoardExport(as_at, BOARD_COLUMNS, rows, recorded.digest)


def open_items_due_within(
    items: Iterable[BoardItem], *, today: date, days: int | None
) -> list[BoardItem]:
    """The items still to work on (neither GREEN nor CLOSED, and for the force) due within ``days`` of
    ``today``, overdue ones included; every open item when ``days`` is None. Soonest
    due first, items with no due date last."""
    chosen = [
        item
        for item in items
        if item.status not in (Status.GREEN, Status.CLOSED)
        # an item not for the force is someone else's to act on: nobody is chased for it
        and item.not_for_the_force is None
        and (days is None or (item.due is not None and (item.due - today).days <= days))
    ]
    return sorted(chosen, key=lambda i: (i.due or date.max, i.key))


@dataclass(frozen=True)
class UpdateSheet:
    """An owner's update sheet: their open items as shown, and the columns to fill in."""

    owner: str
    as_at: date
    columns: Sequence[str]
    #: The columns the owner fills in, and the statuses they may choose.
    filled: Sequence[str]
    statuses: Sequence[str]
    rows: list[list[Any]]


def update_sheet(session: LedgerSession, *, owner: str, within_days: int | None) -> UpdateSheet:
    """The sheet of ``owner``'s open items due within ``within_days`` of today (all
    of them when None); it has no rows when there are none."""
    ledger = session.ledger(write=False)
    today = ledger.today()
    recorded = session.recorded(None)
    items = open_items_due_within(
        board_of(recorded, as_at=today, owner=owner).items, today=today, days=within_days
    )
    rows = []
    for i in items:
        # what the row shows and the version a row filled in on it is checked by, from
        # one reading of the item: a change landing meanwhile is in both or in neither
        item = ledger.get_recommendation(i.key)
        state = fold_item(item.history, as_at=today)
        if state is None:  # on the board as at today, so folded as at today: never so
            continue
        rows.append(
            [
                i.key,
                recorded.reports[i.report].title,
                f"{KIND_WORDS[state.kind.value]}: {state.text}",
                state.status.value if state.status else NOT_ASSESSED,
                written_due(state, recorded.reports[i.report].published),
                state.comment,
                *([""] * len(FILLED)),
                str(item.version),
            ]
        )
    return UpdateSheet(
        owner, today, [*SHOWN, *FILLED, VERSION], FILLED, [s.value for s in OWNER_STATUSES], rows
    )
