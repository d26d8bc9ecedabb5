"""A workbook's parts are measured a megabyte at a time before they are parsed (a row
cut in two by the end of a megabyte is counted once), and what its sheets do not show is
read from their XML as XML, however it is written."""

from __future__ import annotations

import io

import pytest

from ledger.errors import InvalidInputError
from ledger.exchange.shown import _hidden
from ledger.exchange.workbook import _CHUNK, MAX_ROWS, _scan

SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</worksheet>'
)


@pytest.mark.parametrize("cut", range(1, 7))
def test_rows_cut_by_a_chunks_end_are_each_counted_once(cut: int) -> None:
    # `<row/>` is six bytes: the filler puts one of them across the end of the first chunk.
    filler = b" " * (_CHUNK - cut)
    _scan(io.BytesIO(filler + b"<row/>" * (MAX_ROWS + 1)), "most.xlsx")
    with pytest.raises(InvalidInputError, match="more than 20,000 rows"):
        _scan(io.BytesIO(filler + b"<row/>" * (MAX_ROWS + 2)), "more.xlsx")


@pytest.mark.parametrize(
    ("xml", "named"),
    [
        (b'<sheetData><row r="7" hidden="1"><c r="A7"/></row></sheetData>', ["row 7"]),
        (b'<sheetData><row r="7" hidden="&#116;rue"/></sheetData>', ["row 7"]),
        (b'<sheetData><row r="7" ht="5.9" customHeight="1"/></sheetData>', ["row 7"]),
        (b'<sheetData><row r="7" ht="x"/></sheetData>', ["row 7"]),
        (b'<cols><col min="3" max="4" width="0"/></cols>', ["columns C to D"]),
        (b'<cols><col min="3" max="3" width="0.99"/></cols>', ["column C"]),
        (b'<sheetFormatPr zeroHeight="1"/>', ["every row not given a height"]),
        (b'<sheetFormatPr defaultRowHeight="0.5"/>', ["every row not given a height"]),
    ],
)
def test_what_a_sheet_does_not_show_is_named(xml: bytes, named: list[str]) -> None:
    drawn: list[str] = []
    assert _hidden(io.BytesIO(SHEET % xml), drawn) == named
    assert drawn == []


@pytest.mark.parametrize(
    ("xml", "drawn"),
    [
        (b'<mergeCells count="1"><mergeCell ref="F4:G4"/></mergeCells>', "cells F4:G4 merged"),
        (
            b'<conditionalFormatting sqref="G2:G9"><cfRule type="expression" priority="1"/>'
            b"</conditionalFormatting>",
            "cells G2:G9 formatted by condition",
        ),
        (
            b'<sheetData><row r="2"><c r="I2" t="inlineStr"><is><r><t>Done</t></r><r><rPr>'
            b'<sz val="1"/></rPr><t> and close it</t></r></is></c></row></sheetData>',
            "a part of a cell's text too small to read",
        ),
        (
            b'<sheetData><row r="2"><c r="I2" t="inlineStr"><is><r><rPr><color theme="0"/>'
            b"</rPr><t>close it</t></r></is></c></row></sheetData>",
            "a part of a cell's text too pale to read",
        ),
    ],
)
def test_what_a_sheet_draws_otherwise_than_it_holds_is_named(xml: bytes, drawn: str) -> None:
    found: list[str] = []
    assert _hidden(io.BytesIO(SHEET % xml), found) == []
    assert found == [drawn]


def test_shown_rows_and_columns_are_not_named() -> None:
    xml = (
        b'<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="12"/></cols>'
        b'<sheetData><row r="2" ht="6" hidden="0"/><row r="3"/></sheetData>'
    )
    drawn: list[str] = []
    assert _hidden(io.BytesIO(SHEET % xml), drawn) == []
    assert drawn == []
