"""Per meeting of each committee, as known now, every item's status then and at the
meeting before (what a summary counts) and the paper's lists (overdue, slippage,
extended since the meeting before, pending sign-off), each row rendered, in the paper's
order. A new meeting's rows (and the next meeting's, which now compares with it) are
derived from the board; an event changes its item's rows for the meetings on or after
the first day it changes."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

from ledger.state import ItemState, Span
from projections.exceptions import (
    Lines,
    Made,
    Overdue,
    PendingSignOff,
    Row,
    Slippage,
    item_order,
    row_exceptions,
    row_of,
    row_pending,
)
from projections.store.queries import COUNTED, ROW_SELECT, Queries, current_query
from projections.store.schema import LINE_COLUMNS, PAPER_COLUMNS
from projections.text import JSONText


class PaperLists(NamedTuple):
    """A paper's lists as the read model keeps them for one meeting: rows of (key,
    status, due, days, owner, original due, times extended, line), in order."""

    overdue: list[tuple[Any, ...]]
    slippage: list[tuple[Any, ...]]
    #: The items extended since the meeting before.
    extended: list[str]
    #: The items with a request pending sign-off, as their lines.
    pending: list[str]

    def pending_sign_off(self) -> list[PendingSignOff]:
        return [PendingSignOff.of_line(line) for line in self.pending]

    def exceptions(self) -> tuple[Sequence[Overdue], Sequence[Slippage], Lines]:
        """The overdue and slippage rows (made when first looked at) and their lines."""
        day = date.fromisoformat
        overdue = Made(self.overdue, lambda r: Overdue(r[0], r[1], day(r[2]), r[3], r[4]))
        slippage = Made(
            self.slippage, lambda r: Slippage(r[0], r[1], day(r[5]), day(r[2]), r[6], r[3])
        )
        lines = ([JSONText(r[-1]) for r in self.overdue], [JSONText(r[-1]) for r in self.slippage])
        return overdue, slippage, lines


#: An item's paper row for a meeting, and its rows in the paper's lists.
Kept = tuple[tuple[Any, ...], list[tuple[Any, ...]]]


#: The columns of ``ragw_paper_rows`` and ``ragw_paper_lines``, in the order
#: :func:`paper_rows` gives them.
def paper_rows(
    committee: str, day: date, previous: date | None, row: Row, before: str | None
) -> Kept:
    """The paper row (:data:`PAPER_COLUMNS`) of the item of ``row`` for the meeting on
    ``day``, whose status at the meeting before (on ``previous``) was ``before``, and
    its rows in the paper's lists (:data:`LINE_COLUMNS`)."""
    overdue, slippage, extended = row_exceptions(row, day, previous.isoformat() if previous else "")
    key, report, status, *_ = row
    meeting = day.isoformat()
    lines: list[tuple[Any, ...]] = []
    if overdue is not None:
        lines.append(
            (
                committee,
                meeting,
                "overdue",
                overdue.order(),
                key,
                overdue.status,
                overdue.due.isoformat(),
                overdue.days_overdue,
                overdue.owner,
                None,
                None,
                str(overdue.line()),
            )
        )
    if slippage is not None:
        lines.append(
            (
                committee,
                meeting,
                "slippage",
                slippage.order(),
                key,
                slippage.status,
                slippage.due.isoformat(),
                slippage.days_past_original,
                None,
                slippage.original_due.isoformat(),
                slippage.times_extended,
                str(slippage.line()),
            )
        )
    if extended:
        lines.append((committee, meeting, "extended", item_order(key), key, *[None] * 7))
    pending = row_pending(row)
    if pending is not None:
        lines.append(
            (
                committee,
                meeting,
                "pending",
                pending.order(),
                key,
                pending.status,
                *[None] * 5,
                str(pending.line()),
            )
        )
    return (committee, meeting, key, report, status, before), lines


def state_on(spans: list[Span], day: date) -> ItemState | None:
    """The state a timeline gives for ``day``; None before the item was issued."""
    for start, until, state in spans:
        if start <= day and (until is None or day < until):
            return state
    return None


def counted_on(spans: list[Span], day: date) -> ItemState | None:
    """The state on ``day`` of an item a paper counts then; None before it was issued
    and while it is not the force's to act on."""
    state = state_on(spans, day)
    return state if state is not None and state.not_for_us is None else None


def item_paper_rows(
    committee: str, days: list[date], spans: list[Span], first: int = 0
) -> Iterator[tuple[date, Kept | None]]:
    """The rows (:func:`paper_rows`) of the item whose timeline as known now is
    ``spans``, for each of ``committee``'s meetings on ``days`` (in order) from the
    ``first``-th on; None for a meeting it was not on the board at, or not the force's
    to act on at (a paper counts it as it counts an item not yet on the board)."""
    then = counted_on(spans, days[first - 1]) if first else None
    for index in range(first, len(days)):
        day = days[index]
        state = counted_on(spans, day)
        if state is not None:
            previous = days[index - 1] if index else None
            status = then.status.value if then and then.status else None
            yield day, paper_rows(committee, day, previous, row_of(state), status)
        else:
            yield day, None
        then = state


class PaperRows(Queries):
    """Keeping each meeting's paper rows in step, and reading them."""

    def _meeting_days(self, cursor: Any) -> dict[str, list[date]]:
        """Every committee's meetings, in order, by code."""
        query = "SELECT committee, meeting FROM ragw_meetings"
        cursor.execute(query)
        days: dict[str, list[date]] = defaultdict(list)
        for code, day in self._opened(query, cursor.fetchall()):
            days[code].append(date.fromisoformat(day))
        return {code: sorted(found) for code, found in days.items()}

    def _follow_papers(
        self,
        cursor: Any,
        meetings: dict[str, list[date]],
        earlier: dict[str, list[date]],
        changed: dict[str, tuple[date, list[Span], bool]],
    ) -> None:
        """Keep each meeting's paper rows in step: a new meeting's (and the next one's,
        whose meeting before it is) from the board as now known, once this page's spans
        are in; and for each changed item, its rows of the meetings on or after the
        first day it changed."""
        whole: set[tuple[str, date]] = set()
        for code, days in meetings.items():
            known = set(earlier.get(code, ()))
            for index, day in enumerate(days):
                if day not in known:
                    whole.update((code, later) for later in days[index : index + 2])
        gone: dict[tuple[str, str], list[str]] = defaultdict(list)  # keys, by meeting
        rows: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []

        def add(kept: Kept) -> None:
            rows.append(kept[0])
            lines.extend(kept[1])

        for key, (since, spans, held) in changed.items():
            for code, days in meetings.items():
                for day, kept in item_paper_rows(code, days, spans, bisect_left(days, since)):
                    if (code, day) in whole:
                        continue
                    if held:  # an item new on this page has no rows to replace
                        gone[(code, day.isoformat())].append(key)
                    if kept is not None:
                        add(kept)
        for (code, day_text), keys in gone.items():
            meeting = (self._token(code, "committee"), day_text)
            stored = list(self._tokens(tuple(keys), "key"))
            for table in ("ragw_paper_rows", "ragw_paper_lines"):
                self._delete(
                    cursor,
                    table,
                    "key",
                    [(key,) for key in stored],
                    "committee = ? AND meeting = ?",
                    meeting,
                )
        for code, day in sorted(whole):
            for table in ("ragw_paper_rows", "ragw_paper_lines"):
                cursor.execute(
                    self._sql(f"DELETE FROM {table} WHERE committee = ? AND meeting = ?"),
                    (self._token(code, "committee"), day.isoformat()),
                )
            days = meetings[code]
            index = days.index(day)
            previous = days[index - 1] if index else None
            statuses: dict[str, str | None] = {}
            if previous is not None:
                query, parameters = current_query(previous, None, "SELECT key, status", COUNTED)
                cursor.execute(self._sql(query), parameters)
                statuses = dict(self._opened(query, cursor.fetchall()))
            query, parameters = current_query(day, None, ROW_SELECT, COUNTED)
            cursor.execute(self._sql(query), parameters)
            for row in self._opened(query, cursor.fetchall()):
                add(paper_rows(code, day, previous, row, statuses.get(row[0])))
        rows = self._sealed("ragw_paper_rows", PAPER_COLUMNS, rows)
        self._insert(cursor, "ragw_paper_rows", PAPER_COLUMNS, rows)
        lines = self._sealed("ragw_paper_lines", LINE_COLUMNS, lines)
        self._insert(cursor, "ragw_paper_lines", LINE_COLUMNS, lines)

    def paper_tally(
        self, committee: str, meeting: date
    ) -> Counter[tuple[str, str | None, str | None]]:
        """How many items of each report had each (status at the meeting, status at the
        meeting before) pair, for ``committee``'s meeting on ``meeting``, as known now."""
        self.catch_up()
        with self._transaction(lock=False) as cursor:
            cursor.execute(
                self._sql(
                    "SELECT report, status, previous, COUNT(*) FROM ragw_paper_rows WHERE "
                    "committee = ? AND meeting = ? GROUP BY report, status, previous"
                ),
                (self._token(committee, "committee"), meeting.isoformat()),
            )
            counted = cursor.fetchall()
        if self.sealer is not None:  # the reports' tokens, grouped by the database
            untoken = self.sealer.untoken
            counted = [(untoken(report, "report"), *rest) for report, *rest in counted]
        return Counter({(report, now, before): n for report, now, before, n in counted})

    def paper_lists(self, committee: str, meeting: date) -> PaperLists:
        """The lists of the paper for ``committee``'s meeting on ``meeting``, as known
        now, each in the paper's order, rendered."""
        self.catch_up()
        columns = "key, status, due, days, owner, original_due, times_extended, line"
        sealed = self.sealer is not None
        query = (
            f"SELECT {columns}, place FROM ragw_paper_lines WHERE committee = ? AND meeting = ? "
            "AND list = ? "
            # places are sealed in a sealed model: its rows are sorted once opened
            + (
                ""
                if sealed
                else 'ORDER BY place COLLATE "C"'
                if self.postgres
                else "ORDER BY place"
            )
        )
        found: dict[str, list[Any]] = {}
        with self._transaction(lock=False) as cursor:
            for name in ("overdue", "slippage", "extended", "pending"):
                values = (self._token(committee, "committee"), meeting.isoformat(), name)
                cursor.execute(self._sql(query), values)
                rows = self._opened(query, cursor.fetchall())
                if sealed:
                    rows.sort(key=lambda row: row[-1])
                found[name] = [row[:-1] for row in rows]
        return PaperLists(
            found["overdue"],
            found["slippage"],
            [row[0] for row in found["extended"]],
            [row[-1] for row in found["pending"]],
        )
