"""A workbook's parts are measured a megabyte at a time before they are parsed: a row
or a hidden row's tag cut in two by the end of a megabyte is counted and named once."""

from __future__ import annotations

import io

import pytest

from ledger.errors import InvalidInputError
from ledger.exchange.workbook import _CHUNK, MAX_ROWS, _scan


@pytest.mark.parametrize("cut", range(1, 7))
def test_rows_cut_by_a_chunks_end_are_each_counted_once(cut: int) -> None:
    # `<row/>` is six bytes: the filler puts one of them across the end of the first chunk.
    filler = b" " * (_CHUNK - cut)
    assert _scan(io.BytesIO(filler + b"<row/>" * (MAX_ROWS + 1)), "most.xlsx") == []
    with pytest.raises(InvalidInputError, match="more than 20,000 rows"):
        _scan(io.BytesIO(filler + b"<row/>" * (MAX_ROWS + 2)), "more.xlsx")


@pytest.mark.parametrize("cut", [1, 2, 5, 10, 20, 30, 45])
def test_a_hidden_row_cut_by_a_chunks_end_is_named(cut: int) -> None:
    tag = b'<row r="7" spans="1:11" hidden="1" customFormat="1">'
    data = b" " * (_CHUNK - cut) + tag + b"<c/></row>" + b'<col min="3" max="4" width="0"/>'
    assert _scan(io.BytesIO(data), "roads.xlsx") == ["row 7", "columns C to D"]


def test_shown_rows_and_columns_are_not_named() -> None:
    data = b'<cols><col min="1" max="1" width="12"/></cols><row r="2" ht="0.5" hidden="0"/>'
    assert _scan(io.BytesIO(data), "roads.xlsx") == []
