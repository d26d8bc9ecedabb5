"""The exceptions a committee paper lists, item by item.

What a committee must see about an item as at its meeting depends on nothing but the
item's columns that day (:data:`projections.recorded.Row`) and the date of the meeting
before: whether it is overdue (past its due date, neither RED nor done with), whether it
was extended since the meeting before, and how far it has slipped from its original
due date. Worked out here once, for papers read from the fold and for the rows the
stored read model keeps per meeting alike; each row sorts by a text of its own, in
Python and in SQL the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar, overload

from events import Status
from ledger.state import ItemView
from projections.rows import NOT_ASSESSED, NOT_OVERDUE_WORDS, status_word
from projections.text import JSONText, compact, ref_order

#: Statuses as words: not overdue past the due date (the board's overdue rule, and
#: RED, which a paper reports on its own); done with, so not slipping.
NOT_OVERDUE_AND_RED = frozenset({*NOT_OVERDUE_WORDS, Status.RED.value})
SETTLED_WORDS = frozenset({Status.GREEN.value, Status.CLOSED.value, Status.WHITE.value})
#: An item's columns as at a day, as papers read them: key, report, status, due, owner,
#: original due, times extended, when it was last extended (dates as ISO text), the
#: request pending sign-off (its JSON text), and its relevance (None, or
#: :data:`NOT_FOR_US`).
Row = tuple[
    str,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    int,
    str | None,
    str | None,
    str | None,
]
#: The relevance of an item not the force's to act on: a paper neither counts it nor
#: lists it among its exceptions, but apart (``projections.committee.relevance``).
NOT_FOR_US = "not-for-us"


def relevance_of(state: ItemView) -> str | None:
    """:data:`NOT_FOR_US` when the item is not the force's to act on, else None."""
    return NOT_FOR_US if state.not_for_us is not None else None


def counted(rows: Iterable[Row]) -> list[Row]:
    """The rows a paper counts and lists exceptions of: the force's items."""
    return [row for row in rows if row[9] is None]


def row_of(state: ItemView) -> Row:
    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None

    status = state.status.value if state.status else None
    return (
        state.key,
        state.report,
        status,
        iso(state.due),
        state.owner,
        iso(state.original_due),
        state.times_extended,
        iso(state.last_extended_on),
        state.pending_text,
        relevance_of(state),
    )


#: Larger than any count of days or extensions, so "most first" is plain text order.
_MOST = 10**8 - 1


class Overdue(NamedTuple):
    key: str
    status: str
    due: date
    days_overdue: int
    owner: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "owner": self.owner,
        }

    def line(self) -> JSONText:
        """``compact(self.to_json())``, from pieces encoded once."""
        return JSONText(
            f'{{"key":{_text(self.key)},"status":{_text(self.status)},'
            f'"due":{_day_text(self.due)},"days_overdue":{self.days_overdue},'
            f'"owner":{_text(self.owner)}}}'
        )

    def order(self) -> str:
        """Longest overdue first, then in the papers' order of items."""
        return f"{_MOST - self.days_overdue:08d} {item_order(self.key)}"


class Extension(NamedTuple):
    key: str
    on: date
    previous_due: date | None
    due: date
    reason: str
    actor: str

    def to_json(self) -> dict[str, Any]:
        previous = self.previous_due.isoformat() if self.previous_due else None
        return {
            "key": self.key,
            "on": self.on.isoformat(),
            "previous_due": previous,
            "due": self.due.isoformat(),
            "reason": self.reason,
            "actor": self.actor,
        }


class Slippage(NamedTuple):
    key: str
    status: str
    original_due: date
    due: date
    times_extended: int
    days_past_original: int

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "original_due": self.original_due.isoformat(),
            "due": self.due.isoformat(),
            "times_extended": self.times_extended,
            "days_past_original": self.days_past_original,
        }

    def line(self) -> JSONText:
        """``compact(self.to_json())``, from pieces encoded once."""
        return JSONText(
            f'{{"key":{_text(self.key)},"status":{_text(self.status)},'
            f'"original_due":{_day_text(self.original_due)},'
            f'"due":{_day_text(self.due)},"times_extended":{self.times_extended},'
            f'"days_past_original":{self.days_past_original}}}'
        )

    def order(self) -> str:
        """Furthest past the original due date first, then most extended, then in the
        papers' order of items."""
        return (
            f"{_MOST - self.days_past_original:08d} {_MOST - self.times_extended:08d} "
            f"{item_order(self.key)}"
        )


class PendingSignOff(NamedTuple):
    """An item whose request (GREEN, CLOSED, or an EXTENSION to a new due date) awaits
    sign-off: ``pending`` is the request as boards print it."""

    key: str
    status: str
    pending: dict[str, Any]

    @property
    def request(self) -> str:
        return str(self.pending["request"])

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "status": self.status, **self.pending}

    def line(self) -> JSONText:
        return JSONText(compact(self.to_json()))

    def order(self) -> str:
        """In the papers' order of items."""
        return item_order(self.key)

    @classmethod
    def of_line(cls, line: str) -> PendingSignOff:
        document = json.loads(line)
        key, status = document.pop("key"), document.pop("status")
        return cls(key, status, document)


def row_pending(row: Row) -> PendingSignOff | None:
    """The item of ``row``, when a request of it awaits sign-off."""
    pending = row[8]
    if pending is None:
        return None
    return PendingSignOff(row[0], row[2] or NOT_ASSESSED, json.loads(pending))


#: Keys, words and dates as JSON, each encoded once however many rows repeat it.
_text = cache(compact)


@cache
def _day_text(day: date) -> str:
    return compact(day.isoformat())


@cache  # papers sort thousands of rows by it
def item_order(key: str) -> str:
    """Items in the papers' order as text: by report code, then ref as numbered (codes
    hold no character sorting before the space)."""
    code, _, ref = key.partition("/")
    return f"{code} {ref_order(ref)}"


def row_exceptions(row: Row, day: date, since: str) -> tuple[Overdue | None, Slippage | None, bool]:
    """What the paper for the meeting on ``day`` lists about the item of ``row``: the
    item overdue, its slippage, and whether it was extended after ``since`` (the meeting
    before as ISO text; ``""`` when there was none)."""
    key, _, status, due, owner, original, times, extended_on, *_ = row
    word = status_word(status)
    today = day.isoformat()
    overdue = slippage = None
    if due is not None and due < today and status not in NOT_OVERDUE_AND_RED:
        on = date.fromisoformat(due)
        overdue = Overdue(key, word, on, (day - on).days, owner)
    if status not in SETTLED_WORDS and original is not None and due is not None:
        first = date.fromisoformat(original)
        late = max(0, (day - first).days) if original < today else 0
        if times or late:
            slippage = Slippage(key, word, first, date.fromisoformat(due), times, late)
    return overdue, slippage, extended_on is not None and extended_on > since


#: The overdue and slippage rows, rendered.
Lines = tuple[list[JSONText], list[JSONText]]
T = TypeVar("T")


class Made(Sequence[T], Generic[T]):
    """Rows made from stored tuples the first time they are looked at: a paper printed
    as JSON prints its rows' lines and never needs them."""

    def __init__(self, stored: list[tuple[Any, ...]], make: Callable[[tuple[Any, ...]], T]):
        self._stored, self._make = stored, make
        self._made: list[T] | None = None

    def _rows(self) -> list[T]:
        if self._made is None:
            self._made = [self._make(row) for row in self._stored]
        return self._made

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._rows()[index]

    def __len__(self) -> int:
        return len(self._stored)

    def __iter__(self) -> Iterator[T]:
        return iter(self._rows())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._rows())
