"""JSON as every command prints it: objects indented, each row of a list on a line of
its own. Whatever the value, it reads back as the same value."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cli.render import compact, dump_document, emit_json_rows
from projections.exceptions import Overdue, Slippage
from projections.text import ref_order

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(documents)
def test_every_document_reads_back_as_itself(document: Any) -> None:
    assert json.loads(dump_document(document)) == document


@given(st.lists(st.dictionaries(st.text(max_size=5), scalars, max_size=4), max_size=5))
def test_a_board_written_row_by_row_is_the_document_printed_whole(rows: list[Any]) -> None:
    head = {"as_at": "2021-06-01", "as_known_at": None}
    out, sys.stdout = sys.stdout, io.StringIO()
    try:
        emit_json_rows(head, "items", (compact(row) for row in rows))
        streamed = sys.stdout.getvalue()
    finally:
        sys.stdout = out
    assert streamed == dump_document({**head, "items": rows}) + "\n"


def test_each_row_of_a_list_stands_on_its_own_line() -> None:
    text = dump_document({"items": [{"key": "PEEL1819/4"}, {"key": "PEEL1819/5"}]})
    assert text.splitlines() == [
        "{",
        '  "items": [',
        '    {"key":"PEEL1819/4"},',
        '    {"key":"PEEL1819/5"}',
        "  ]",
        "}",
    ]


days = st.dates()
words = st.text(max_size=12)


@given(words, words, days, st.integers(-(10**6), 10**6), st.none() | words)
def test_an_overdue_row_rendered_once_is_the_row_encoded(
    key: str, status: str, due: date, late: int, owner: str | None
) -> None:
    row = Overdue(key, status, due, late, owner)
    assert row.line() == compact(row.to_json())


@given(words, words, days, days, st.integers(0, 99), st.integers(0, 10**6))
def test_a_slippage_row_rendered_once_is_the_row_encoded(
    key: str, status: str, original: date, due: date, times: int, late: int
) -> None:
    row = Slippage(key, status, original, due, times, late)
    assert row.line() == compact(row.to_json())


codes = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,2}", fullmatch=True)
refs = st.from_regex(r"[0-9]{1,3}[a-z]?", fullmatch=True)


@given(
    st.lists(
        st.tuples(
            codes,
            refs,
            st.integers(1, 3) | st.integers(1, 10**7),
            st.integers(0, 2) | st.integers(0, 10**4),
        ),
        max_size=12,
    )
)
def test_exception_rows_sort_by_their_order_text_as_papers_order_them(
    rows: list[tuple[str, str, int, int]],
) -> None:
    """The text a stored row sorts by gives the order the papers define: most days
    first, then most extensions, then report code, then ref as numbered."""
    due = date(2020, 1, 1)
    overdue = [Overdue(f"{code}/{ref}", "AMBER", due, days, None) for code, ref, days, _ in rows]
    slippage = [Slippage(f"{c}/{r}", "AMBER", due, due, times, days) for c, r, days, times in rows]

    def item(key: str) -> tuple[str, str]:
        code, _, ref = key.partition("/")
        return code, ref_order(ref)

    assert sorted(overdue, key=Overdue.order) == sorted(
        overdue, key=lambda o: (-o.days_overdue, item(o.key))
    )
    assert sorted(slippage, key=Slippage.order) == sorted(
        slippage, key=lambda s: (-s.days_past_original, -s.times_extended, item(s.key))
    )
