"""The board row, once: its fields and JSON, the overdue rule, the filters and the
paper order, with the SQL the stored read model runs generated from the same
definitions.

The board is read two ways: folded from the events (:func:`projections.board.board_of`)
and queried from the stored read model (:func:`projections.board.stored_board`). Both
build their rows, decide "overdue", filter and sort with what is defined here, so the
two cannot drift apart: the stored model keeps each row's JSON as the text before and
after ``overdue`` (:func:`json_around_overdue`), decided per query by
:func:`board_row_sql`; the filters' SQL comes from :meth:`BoardFilters.where`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from events import ReportRegistered, Status, Verdict
from ledger.state import NOT_OVERDUE, ItemView
from projections.text import compact, ref_order

#: The state of an item before its first colour, as boards, papers and filters name it.
NOT_ASSESSED = "NOT ASSESSED"
#: What ``--status`` accepts: a colour, CLOSED, or the state before the first colour.
BOARD_STATUSES = [s.value for s in Status] + [NOT_ASSESSED]
#: What the national views call an item without an inspectorate's verdict, and the
#: verdict words they count, in the order they print them.
NO_VERDICT = "none"
VERDICT_WORDS = (*(v.value for v in Verdict), NO_VERDICT)
#: The statuses, as stored words, in which an item past its due date is not overdue.
NOT_OVERDUE_WORDS = tuple(sorted(status.value for status in NOT_OVERDUE))
#: What the board's totals call the items awaiting sign-off.
PENDING_TOTAL = "pending sign-off"


@dataclass(frozen=True)
class ReportFacts:
    """A report as papers name it."""

    code: str
    title: str
    scope: str
    published: date
    inspectorates: tuple[str, ...] = ()
    makes: int | None = None
    #: Circulated but not intended for publication (see :class:`events.ReportRegistered`).
    restricted: bool = False
    #: The code of the inspection it is the report of.
    inspection: str | None = None
    #: The organisation that issued it to this ledger (a national report received).
    origin: str | None = None

    @classmethod
    def of(cls, event: ReportRegistered) -> ReportFacts:
        return cls(
            event.code,
            event.title,
            event.scope.value,
            event.published,
            tuple(event.inspectorates),
            event.makes,
            event.restricted,
            event.inspection,
            event.origin,
        )


# The paper order ---------------------------------------------------------------------


def report_place(published: date, code: str) -> str:
    """Where a report's items come on a board and in papers, as text: the newest report
    first, then by code (codes hold no character that sorts before the space)."""
    return f"{date.max.toordinal() - published.toordinal():07d} {code}"


def paper_order(report: ReportFacts) -> str:
    """Papers list the newest report first."""
    return report_place(report.published, report.code)


def place(published: date, code: str, ref: str) -> str:
    """An item's place on the board: its report's, then its ref as reports number them.
    Plain text order, so Python sorts by it and the stored model orders by it (in SQL,
    byte order: ``COLLATE "C"`` on PostgreSQL) the same."""
    return f"{report_place(published, code)} {ref_order(ref)}"


# The overdue rule --------------------------------------------------------------------


def is_overdue(due: date | None, status: Status | None, day: date) -> bool:
    """Past its due date on ``day`` and not GREEN, WHITE or CLOSED (an item not yet
    assessed can be overdue): :meth:`ledger.state.ItemState.overdue_as_at`."""
    return due is not None and due < day and status not in NOT_OVERDUE


def overdue_sql(due: str = "due", status: str = "status") -> str:
    """:func:`is_overdue` in SQL, the day as its one parameter (``?``)."""
    words = ", ".join(f"'{word}'" for word in NOT_OVERDUE_WORDS)
    return f"{due} < ? AND COALESCE({status}, '') NOT IN ({words})"


# The row -----------------------------------------------------------------------------


class BoardItem(NamedTuple):
    """One row of the board (a tuple: boards of a national register hold many). Its
    JSON has the fields in this order."""

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
    #: The day its owner was last reminded of it, or None.
    reminded: date | None = None
    #: Who the report addresses it to, as written.
    to: tuple[str, ...] = ()
    #: Why it is not the force's to act on, and since when (``reason``, ``on``); None
    #: while it is.
    not_for_the_force: dict[str, str] | None = None
    #: The later item that superseded it, and the items it superseded, by key.
    superseded_by: str | None = None
    supersedes: tuple[str, ...] = ()

    @classmethod
    def of(cls, state: ItemView, scope: str, day: date) -> BoardItem:
        """The row of an item's state as at ``day`` on a report of ``scope``."""
        return cls(
            key=state.key,
            report=state.report,
            ref=state.ref,
            kind=state.kind.value,
            scope=scope,
            status=state.status.value if state.status else None,
            due=state.due,
            overdue=state.overdue_as_at(day),
            owner=state.owner,
            text=state.text,
            lead=state.lead,
            comment=state.comment,
            pending=state.pending.to_json(state.key) if state.pending else None,
            reminded=state.reminded,
            to=state.to,
            not_for_the_force=not_for_the_force(state),
            superseded_by=state.superseded_by,
            supersedes=state.supersedes,
        )

    @classmethod
    def of_json(cls, line: str) -> BoardItem:
        """A row from its JSON line."""
        document = json.loads(line)
        due, reminded = document["due"], document.get("reminded")
        return cls(
            **{
                **document,
                "due": date.fromisoformat(due) if due else None,
                "reminded": date.fromisoformat(reminded) if reminded else None,
                "to": tuple(document.get("to", ())),
                "supersedes": tuple(document.get("supersedes", ())),
            }
        )

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
            "reminded": self.reminded.isoformat() if self.reminded else None,
            "to": list(self.to),
            "not_for_the_force": self.not_for_the_force,
            "superseded_by": self.superseded_by,
            "supersedes": list(self.supersedes),
        }

    def json_around_overdue(self) -> tuple[str, str]:
        """The row's JSON line as the text before ``overdue``'s value and the text
        after it: what the stored model keeps, since overdue depends on the day asked."""
        line = compact(self.to_json())
        before, after = line.split(_OVERDUE[self.overdue], 1)
        return before + '"overdue":', after


def not_for_the_force(state: ItemView) -> dict[str, str] | None:
    """Why an item is not the force's to act on, and since when, as boards print it;
    None while it is."""
    if state.not_for_us is None:
        return None
    on = state.relevance_on
    return {"reason": state.not_for_us, "on": on.isoformat() if on else ""}


_OVERDUE = {True: '"overdue":true', False: '"overdue":false'}


def board_row_sql(head: str = "head", tail: str = "tail") -> str:
    """The SQL of a stored row's JSON line as at the day (the one parameter): the text
    kept around ``overdue`` (:meth:`BoardItem.json_around_overdue`) joined by its value,
    decided by :func:`overdue_sql`."""
    return f"{head} || CASE WHEN {overdue_sql()} THEN 'true' ELSE 'false' END || {tail}"


# The filters -------------------------------------------------------------------------


def status_word(status: str | None) -> str:
    """The status as ``--status`` names it: a stored word, or NOT ASSESSED for none."""
    return status or NOT_ASSESSED


def same_owner(owner: str | None, wanted: str) -> bool:
    """``--owner`` matches whatever the letters' case."""
    return (owner or "").casefold() == wanted.casefold()


@dataclass(frozen=True)
class BoardFilters:
    """What narrows a board: a report, an owner (any letter case), a status (a word of
    :data:`BOARD_STATUSES`), overdue as at the day, pending sign-off. Each filter's
    rule in Python (:meth:`shows`) and in SQL (:meth:`where`) side by side."""

    report: str | None = None
    owner: str | None = None
    status: str | None = None
    overdue: bool = False
    pending: bool = False

    def shows(self, item: BoardItem) -> bool:
        if self.report is not None and item.report != self.report:
            return False
        if self.owner is not None and not same_owner(item.owner, self.owner):
            return False
        if self.status is not None and status_word(item.status) != self.status:
            return False
        if self.pending and item.pending is None:
            return False
        return not self.overdue or item.overdue

    def where(self, day: date) -> tuple[str, tuple[str, ...]]:
        """The conditions on stored rows as at ``day`` (``AND …``) and their parameters;
        the owner is matched on the rows found (:meth:`shows_owner`), as SQL cannot
        fold case as Python does."""
        where, values = "", tuple[str, ...]()
        if self.report is not None:
            where, values = where + "AND report = ? ", (*values, self.report)
        if self.status == NOT_ASSESSED:
            where += "AND status IS NULL "
        elif self.status is not None:
            where, values = where + "AND status = ? ", (*values, self.status)
        if self.overdue:
            where, values = where + f"AND {overdue_sql()} ", (*values, day.isoformat())
        if self.pending:
            where += "AND pending IS NOT NULL "
        return where, values

    def shows_owner(self, owner: str | None) -> bool:
        return self.owner is None or same_owner(owner, self.owner)


# The totals --------------------------------------------------------------------------


def board_counts(items: Iterable[BoardItem]) -> dict[str, int]:
    """A board's totals as its footer prints them: items by status word, and, when any
    await sign-off, how many (:data:`PENDING_TOTAL`), in the footer's order."""
    counts: Counter[str] = Counter()
    waiting = 0
    for item in items:
        counts[status_word(item.status)] += 1
        waiting += item.pending is not None
    if waiting:
        counts[PENDING_TOTAL] = waiting
    return dict(sorted(counts.items()))
