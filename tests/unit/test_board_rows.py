"""The board row's rules, each written once, and the SQL generated from them: the overdue
rule for every status and due date, each filter over every status, the row's JSON kept
around ``overdue`` and the paper order agree with what they mean, in Python and in SQL."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from events import Kind, Status
from ledger.state import ItemState
from projections.board import BOARD_STATUSES
from projections.rows import (
    NOT_ASSESSED,
    BoardFilters,
    BoardItem,
    board_row_sql,
    is_overdue,
    overdue_sql,
    place,
)
from projections.store.state import StoredState
from projections.text import compact, ref_order

DAY = date(2020, 7, 1)
#: Due dates before, on and after the day, and none.
DUES = (DAY - timedelta(days=1), DAY, DAY + timedelta(days=1), None)
EVERY_STATUS = (*Status, None)


def test_every_status_can_be_asked_for_and_not_assessed_is_one_word() -> None:
    assert BOARD_STATUSES == ["GREEN", "AMBER", "RED", "WHITE", "CLOSED", "NOT ASSESSED"]
    assert NOT_ASSESSED == "NOT ASSESSED"


def overdue_by_meaning(status: Status | None, due: date | None) -> bool:
    """Past its due date and not GREEN, WHITE or CLOSED."""
    return (
        due is not None and due < DAY and status not in {Status.GREEN, Status.WHITE, Status.CLOSED}
    )


def sql_overdue(status: Status | None, due: date | None) -> bool:
    connection = sqlite3.connect(":memory:")
    found = connection.execute(
        f"SELECT CASE WHEN {overdue_sql()} THEN 1 ELSE 0 END FROM (SELECT ? AS due, ? AS status)",
        (DAY.isoformat(), due.isoformat() if due else None, status.value if status else None),
    ).fetchone()
    return bool(found[0])


def test_the_overdue_rule_is_the_same_in_the_fold_the_stored_state_and_sql() -> None:
    for status, due in itertools.product(EVERY_STATUS, DUES):
        state = ItemState(
            report="R", ref="1", kind=Kind.AFI, text="t", issued_on=DAY, status=status, due=due
        )
        stored = StoredState(
            (
                "R/1",
                "R",
                status.value if status else None,
                due.isoformat() if due else None,
                None,
                None,
                0,
                None,
                None,
                DAY.isoformat(),
                None,
            ),
            lambda span: "",
        )
        meant = overdue_by_meaning(status, due)
        answers = (
            state.overdue_as_at(DAY),
            stored.overdue_as_at(DAY),
            is_overdue(due, status, DAY),
            sql_overdue(status, due),
        )
        assert answers == (meant,) * 4, (status, due)


def item(
    status: str | None,
    due: date | None,
    owner: str | None,
    pending: bool,
    report: str = "R",
    text: str = "t",
) -> BoardItem:
    return BoardItem(
        key=f"{report}/1",
        report=report,
        ref="1",
        kind="afi",
        scope="force",
        status=status,
        due=due,
        overdue=is_overdue(due, Status(status) if status else None, DAY),
        owner=owner,
        text=text,
        lead=None,
        comment=None,
        pending={"request": "GREEN"} if pending else None,
    )


def test_each_filter_means_the_same_in_python_and_in_sql_for_every_status() -> None:
    """Every filter and combination, over items of every status, due date, owner and
    pending, in a table shaped as the model's: the rows SQL and the owner match keep
    are the items :meth:`BoardFilters.shows` keeps."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE TABLE board (n INTEGER, report TEXT, status TEXT, due TEXT, owner TEXT, "
        "pending TEXT)"
    )
    items = [
        item(status, due, owner, pending, report)
        for status, due, owner, pending, report in itertools.product(
            [s.value for s in Status] + [None],
            DUES,
            [None, "Head of Roads", "HEAD OF ROADS"],
            (False, True),
            ("R", "S"),
        )
    ]
    connection.executemany(
        "INSERT INTO board VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                n,
                i.report,
                i.status,
                i.due.isoformat() if i.due else None,
                i.owner,
                compact(i.pending) if i.pending else None,
            )
            for n, i in enumerate(items)
        ],
    )
    for report, owner, status, overdue, pending in itertools.product(
        (None, "R", "S"),
        (None, "head of roads", "Nobody"),
        (None, *BOARD_STATUSES),
        (False, True),
        (False, True),
    ):
        filters = BoardFilters(report, owner, status, overdue, pending)
        where, values = filters.where(DAY)
        rows = connection.execute(
            f"SELECT n, owner FROM board WHERE 1 = 1 {where} ORDER BY n", values
        ).fetchall()
        in_sql = [n for n, who in rows if filters.shows_owner(who)]
        assert in_sql == [n for n, i in enumerate(items) if filters.shows(i)], filters
        meant = [
            n
            for n, i in enumerate(items)
            if (report is None or i.report == report)
            and (owner is None or (i.owner or "").lower() == owner.lower())
            and (status is None or (i.status or "NOT ASSESSED") == status)
            and (not overdue or i.overdue)
            and (not pending or i.pending)
        ]
        assert in_sql == meant, filters


@given(
    text=st.text(),
    status=st.sampled_from([None, *(s.value for s in Status)]),
    due=st.sampled_from(DUES),
)
def test_the_stored_row_is_the_rows_json_with_overdue_decided_by_the_query(
    text: str, status: str | None, due: date | None
) -> None:
    """Texts quoting ``"overdue":true`` included: the row is split at its own field."""
    row = item(status, due, None, False, text=f'{text}"overdue":true,"overdue":false')
    head, tail = row.json_around_overdue()
    connection = sqlite3.connect(":memory:")
    found = connection.execute(
        f"SELECT {board_row_sql()} FROM (SELECT ? AS head, ? AS tail, ? AS due, ? AS status)",
        (DAY.isoformat(), head, tail, row.due.isoformat() if row.due else None, status),
    ).fetchone()[0]
    assert found == compact(row.to_json())
    assert BoardItem.of_json(found) == row


REFS = st.from_regex(r"[1-9][0-9]{0,2}[a-z]?", fullmatch=True)
CODES = st.from_regex(r"[A-Z0-9][A-Za-z0-9_.-]{0,6}", fullmatch=True)


@given(st.lists(st.tuples(st.dates(date(2000, 1, 1), date(2030, 1, 1)), CODES, REFS), min_size=2))
def test_the_paper_order_is_newest_report_first_then_code_then_ref_as_numbered(
    items: list[tuple[date, str, str]],
) -> None:
    def meant(entry: tuple[date, str, str]) -> Any:
        published, code, ref = entry
        number = int("".join(c for c in ref if c.isdigit()))
        return (-published.toordinal(), code, number, ref)

    assert sorted(items, key=lambda e: place(*e)) == sorted(items, key=meant)
    assert all(place(*e).endswith(ref_order(e[2])) for e in items)


ZERO_PADDED_REFS = st.from_regex(r"0{0,2}[1-9][0-9]{0,2}[a-z]?", fullmatch=True)


@given(st.lists(ZERO_PADDED_REFS, min_size=2, unique=True))
def test_every_ref_of_a_report_has_a_place_of_its_own_even_refs_that_read_as_one_number(
    refs: list[str],
) -> None:
    """``1`` and ``01`` are two items, each with its place on the board (whose tables key
    on it), kept in the order the reports number them."""
    published = date(2021, 1, 4)
    places = [place(published, "R", ref) for ref in refs]
    assert len(set(places)) == len(refs)

    def number(ref: str) -> int:
        return int("".join(c for c in ref if c.isdigit()))

    ordered = sorted(refs, key=lambda ref: place(published, "R", ref))
    assert [number(ref) for ref in ordered] == sorted(number(ref) for ref in refs)
