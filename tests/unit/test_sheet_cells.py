"""Any text ragw writes to a sheet is text there, and reads back exactly: the CSV
escaping and its inverse, and the .csv and .xlsx writers against the tracker reader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cli.sheets import write_csv, write_xlsx
from ledger.exchange.cells import FORMULA_STARTS, escaped, runs_as_formula, unescaped
from ledger.exchange.tracker import read_tracker

#: Texts that start as spreadsheets' formulas do, with and without quotes before them.
formula_like = st.builds(
    lambda quotes, start, rest: "'" * quotes + start + rest,
    st.integers(0, 3),
    st.sampled_from(FORMULA_STARTS),
    st.text(max_size=20),
)
texts = st.one_of(st.text(), formula_like)
#: Texts as the ledger records them: trimmed, not empty.
recorded = texts.map(str.strip).filter(bool)
#: What a workbook can hold (XML has no place for most control characters).
in_workbooks = recorded.filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t))

ROW = {
    "report_code": "FRAUD19",
    "report": "Fraud",
    "scope": "force",
    "published": "2019-08-01",
    "ref": "1",
    "kind": "recommendation",
}


@given(texts)
def test_an_escaped_text_never_starts_a_formula_and_unescapes_to_itself(text: str) -> None:
    cell = escaped(text)
    assert not runs_as_formula(cell)
    assert unescaped(cell) == text
    assert cell == text or cell == "'" + text


@given(st.text())
def test_a_cell_ragw_did_not_escape_reads_as_it_stands(cell: str) -> None:
    if not (cell.startswith("'") and cell.lstrip("'")[:1] in tuple(FORMULA_STARTS)):
        assert unescaped(cell) == cell


def test_a_quote_before_plain_text_is_written_and_read_as_it_is() -> None:
    assert escaped("'tis done") == "'tis done" == unescaped("'tis done")
    assert escaped("=1+1") == "'=1+1" and escaped("'=1+1") == "''=1+1"
    assert unescaped("''=1+1") == "'=1+1" and unescaped("'=1+1") == "=1+1"


def written_and_read(suffix: str, text: str) -> dict[str, str]:
    columns = [*ROW, "text", "comment"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"board{suffix}"
        if suffix == ".csv":
            write_csv(path, columns, [[*ROW.values(), text, text]])
        else:
            write_xlsx(path, columns, [[*ROW.values(), text, text]], title="Board")
        (row,) = read_tracker(path)
    return row.cells


@settings(max_examples=150, deadline=None)
@given(recorded)
def test_any_recorded_text_reads_back_exactly_from_ragws_csv(text: str) -> None:
    cells = written_and_read(".csv", text)
    assert (cells["text"], cells["comment"]) == (text, text)


@settings(max_examples=60, deadline=None)
@given(in_workbooks)
def test_any_recorded_text_reads_back_exactly_from_ragws_workbook(text: str) -> None:
    cells = written_and_read(".xlsx", text)
    assert (cells["text"], cells["comment"]) == (text, text)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        in_workbooks | formula_like.filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t)),
        min_size=1,
        max_size=5,
    )
)
def test_no_text_becomes_a_formula_or_an_error_in_a_workbook(cells: list[str]) -> None:
    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.xlsx"
        write_xlsx(
            path,
            [f"c{i}" for i in range(len(cells))],
            [cells],
            title="Sheet",
            about=[("Owner", cells[0])],
        )
        book = load_workbook(path)
        written = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert {c.data_type for c in written if c.value is not None} == {"s"}
    assert [c.value for c in written[len(cells) : 2 * len(cells)]] == cells
