"""A tracker's cells and columns as Excel and forces keep them: dates, refs, header names
and mappings, rich text, and text files in each encoding Excel saves."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from ledger.due import Due, parse_due
from ledger.errors import InvalidInputError
from ledger.exchange.columns import COLUMNS, check_header, field_of, find_header, parse_mapping
from ledger.exchange.entries import read_entry
from ledger.exchange.textfile import decoded, separator
from ledger.exchange.tracker import TrackerRow, read_sheet
from ledger.exchange.values import read_day, read_ref
from ledger.exchange.workbook import Line, cell_text


@pytest.mark.parametrize(
    "text",
    [
        "2019-11-15",
        "2019-11-15T00:00:00",
        "2019-11-15T10:30:00",
        "15/11/2019",
        "15.11.2019",
        "15-11-2019",
        "15/11/19",
        "15 Nov 2019",
        "15th November 2019",
        "15-Nov-2019",
        "15-Nov-19",
        " 15  nov 2019 ",
    ],
)
def test_a_day_reads_as_excel_holds_or_shows_it_in_the_uk(text: str) -> None:
    assert read_day(text, "published") == date(2019, 11, 15)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("11/15/2019", "not a real date"),  # never month first
        ("31/02/2019", "not a real date"),
        ("yesterday", "is not a date"),
        ("15/11/0019", "falls outside the years"),
        ("15/11/3019", "falls outside the years"),
    ],
)
def test_a_day_that_is_none_is_refused_saying_how_to_write_it(text: str, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        read_day(text, "published")


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (4.0, "General", "4"),
        (4, None, "4"),
        (4.1, "General", "4.1"),
        (1.1, "0.00", "1.10"),
        (4.0, "0.0", "4.0"),
        (1234.5, "#,##0.00", "1234.50"),
    ],
)
def test_a_number_cell_reads_as_excel_shows_it(
    value: float, number_format: str | None, shown: str
) -> None:
    assert cell_text(value, number_format) == shown


@pytest.mark.parametrize("cell", ["4.0", "4.00", "4", "4.1", "4a"])
def test_a_ref_typed_as_text_is_the_text_typed(cell: str) -> None:
    assert read_ref(f" {cell} ") == cell


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Report", "report"),
        ("Report code", "report_code"),
        ("report_code", "report_code"),
        ("CODE", "report_code"),
        ("Rec No.", "ref"),
        ("No.", "ref"),
        ("Recommendation number", "ref"),
        ("Recommendation", "text"),
        ("Description", "text"),
        ("RAG", "status"),
        ("RAG Status", "status"),
        ("Deadline", "due"),
        ("Target date", "due"),
        ("Due date", "due"),
        ("Update / Progress", "comment"),
        ("Comments", "comment"),
        ("National/Force", "scope"),
        ("Date Published", "published"),
        ("Publication date", "published"),
        ("Type", "kind"),
        ("Owner", "owner"),
        ("Responsible officer", "owner"),
        ("Lead", "lead"),
        ("Due_Date", "due"),  # ragw's export's due_date is passed over only beside its due
        ("Key", None),
        ("Notes", None),
    ],
)
def test_a_header_names_its_field_as_forces_write_it(header: str, field: str | None) -> None:
    assert field_of(header, {}) == field


def test_a_mapping_comes_before_the_names_and_may_leave_a_column_out() -> None:
    mapping = parse_mapping(["Notes=comment", "Update / Progress=", "Lead officer = OWNER"])
    assert field_of("NOTES", mapping) == "comment"
    assert field_of("update/progress", mapping) == ""
    assert field_of("Lead Officer", mapping) == "owner"
    assert mapping.written == {
        "notes": "Notes",
        "update progress": "Update / Progress",
        "lead officer": "Lead officer",
    }


@pytest.mark.parametrize(
    ("pairs", "says"),
    [
        (["Notes"], "is not a mapping"),
        (["=ref"], "is not a mapping"),
        (["Notes=colour"], "which is not a field"),
        (["Notes=ref", "notes=text"], "mapped twice"),
    ],
)
def test_a_mapping_that_says_nothing_sure_is_refused(pairs: list[str], says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        parse_mapping(pairs)


def test_the_header_is_the_first_row_naming_every_required_field() -> None:
    names = ["Code", "Report", "National/Force", "Date Published", "Rec No.", "Type", "Rec"]
    lines = iter(
        [
            Line(1, ["City of London Police - HMICFRS Recommendations Tracker", "", ""]),
            Line(2, ["As at 15/11/2019"]),
            Line(3, []),
            Line(4, ["Report", "Rec No.", "RAG"]),  # names some fields, not all
            Line(5, names),
            Line(6, ["data"]),
        ]
    )
    header, _ = find_header(lines, parse_mapping(["Rec=text"]), "t.csv")
    assert header is not None and header.line == 5
    assert header.fields == ("report_code", "report", "scope", "published", "ref", "kind", "text")
    assert next(lines).number == 6  # the rows below it are read on from there
    none, closest = find_header(iter([Line(1, ["Title"]), Line(2, names)]), {}, "t.csv")
    assert none is None and closest is not None and closest.line == 2


RUNS = (
    b'<r><rPr><b/><sz val="11"/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r>'
)
SHARED = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si>' + RUNS + b"</si></sst>"
)


@pytest.mark.parametrize("where", ["shared", "inline"])
def test_a_rich_text_cell_as_excel_saves_it_reads_as_its_whole_text(
    tmp_path: Path, where: str
) -> None:
    """Excel keeps a comment with bold words as runs of text, in the shared strings."""
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    assert page is not None
    page.append(["report_code", "report", "scope", "published", "ref", "kind", "text", "comment"])
    page.append(["R", "Roads", "force", "2019-01-01", "1", "afi", "Text", "RICHTEXT"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    rich = tmp_path / "rich.xlsx"
    cell = b'<c r="H2" t="inlineStr"><is><t>RICHTEXT</t></is></c>'
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(rich, "w") as written:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                assert cell in data
                runs = b'<c r="H2" t="inlineStr"><is>' + RUNS + b"</is></c>"
                data = data.replace(
                    cell, runs if where == "inline" else b'<c r="H2" t="s"><v>0</v></c>'
                )
            elif where == "shared" and part.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif where == "shared" and part.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"'
                    b"/></Relationships>",
                )
            written.writestr(part, data)
        if where == "shared":
            written.writestr("xl/sharedStrings.xml", SHARED)
    (row,) = read_sheet(rich).rows
    assert row.get("comment") == "Bold and plain"


@pytest.mark.parametrize(
    ("data", "utf16"),
    [
        ("a,b\r\nCafé £5,2\r\n".encode("utf-8-sig"), False),
        ("a,b\r\nCafé £5,2\r\n".encode(), False),
        ("a,b\r\nCafé £5,2\r\n".encode("cp1252"), False),
        ("a\tb\r\nCafé £5\t2\r\n".encode("utf-16"), True),
        ("a\tb\r\nCafé £5\t2\r\n".encode("utf-16-le"), True),
        ("a\tb\r\nCafé £5\t2\r\n".encode("utf-16-be"), True),
    ],
)
def test_text_is_read_in_each_encoding_excel_saves(data: bytes, utf16: bool) -> None:
    text, found = decoded(data, "t.csv")
    assert found == utf16 and "Café £5" in text and not text.startswith("\ufeff")
    assert separator(text, ".csv", found) == ("\t" if utf16 else ",")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_csv_saved_as_utf16_is_read_by_its_commas(encoding: str) -> None:
    text, utf16 = decoded("a,b\r\nCafé £5,2\r\n".encode(encoding), "t.csv")
    assert utf16 and separator(text, ".csv", utf16) == ","
    # Excel's Unicode text is tab-separated, whatever commas its cells hold
    text, utf16 = decoded("a\tb\r\nCafé, £5\t2\r\n".encode(encoding), "t.txt")
    assert separator(text, ".txt", utf16) == "\t"


def test_a_csv_of_tabs_is_read_by_its_tabs() -> None:
    assert separator("a\tb, c\tc\r\n1\t2\t3", ".csv", False) == "\t"
    assert separator("a,b\r\n", ".tsv", False) == "\t"


@pytest.mark.parametrize("titles", [0, 3])
def test_a_tracker_holds_20000_rows_below_its_header_whatever_is_above_it(
    tmp_path: Path, titles: int
) -> None:
    from ledger.exchange.workbook import MAX_ROWS

    head = "Tracker title\n" * titles + "report_code,report,scope,published,ref,kind,text\n"
    row = "R,Roads,force,2019-01-01,1,afi,Text\n"
    most = tmp_path / "most.csv"
    most.write_text(head + row * MAX_ROWS)
    assert len(read_sheet(most).rows) == MAX_ROWS
    more = tmp_path / "more.csv"
    more.write_text(head + row * (MAX_ROWS + 1))
    with pytest.raises(InvalidInputError, match="more than 20,000 rows below its header"):
        read_sheet(more)


def _row_due(due: str) -> Due:
    cells = {
        "report_code": "R1",
        "report": "A report",
        "scope": "Force",
        "published": "01/03/2019",
        "ref": "1",
        "kind": "Recommendation",
        "text": "Do it",
        "due": due,
    }
    return read_entry(TrackerRow(line=2, cells=cells), default_on=None, check_on=_any_on).due


def _any_on(on: date | None, *, not_before: date, since: str) -> date:
    return on or not_before


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("15-Nov-19", date(2019, 11, 15)),  # not November 2019
        ("1-Mar-20", date(2020, 3, 1)),  # not March 2020
        ("15/11/19", date(2019, 11, 15)),
        ("15 Nov 19", date(2019, 11, 15)),
        ("15-Nov-2019", date(2019, 11, 15)),
        ("15/11/2019", date(2019, 11, 15)),
        ("2019-11-15T00:00:00", date(2019, 11, 15)),
        ("Nov-19", date(2019, 11, 30)),  # a month alone is still its last day
        ("November 2019", date(2019, 11, 30)),
    ],
)
def test_a_due_cell_that_is_one_day_as_excel_writes_it_is_that_day(cell: str, day: date) -> None:
    assert _row_due(cell).dates == (day,)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01/03/98", date(1998, 3, 1)),
        ("01/03/30", date(1930, 3, 1)),
        ("01/03/29", date(2029, 3, 1)),
        ("01/03/00", date(2000, 3, 1)),
        ("1-Mar-99", date(1999, 3, 1)),
    ],
)
def test_a_two_digit_year_is_read_by_excels_pivot(text: str, day: date) -> None:
    assert read_day(text, "published") == day


def test_a_month_after_a_day_number_is_never_read_as_the_month_alone() -> None:
    # a day form parse_due does not read whole is refused rather than read as a month
    with pytest.raises(InvalidInputError, match="cannot read the due date"):
        parse_due("15-Nov-19 Now 31-Mar-20")
    assert parse_due("Mar-98").dates == (date(1998, 3, 31),)


def test_a_completion_date_is_never_the_due_date() -> None:
    assert field_of("Completion date", {}) is None  # named by --map or refused, never due


def test_due_date_is_a_forces_due_column_except_in_ragws_own_export() -> None:
    forces = ["Code", "Report", "Scope", "Published", "Ref", "Type", "Text"]
    for name in ("Due_Date", "DUE_DATE", "due_date"):
        header, _ = find_header(iter([Line(1, [*forces, name])]), {}, "t.csv")
        assert header is not None and header.fields[-1] == "due"
    export = [*COLUMNS[:7], "due", "due_date", "key", "overdue"]
    header, _ = find_header(iter([Line(1, export)]), {}, "board.csv")
    assert header is not None and header.fields[7:] == ("due", "", "", "")
    check_header(header, {}, "board.csv")  # nothing in it is unexplained


def test_utf8_with_a_byte_of_windows_text_is_refused_naming_its_line() -> None:
    data = "a,b\r\nCafé,1\r\n".encode() + "Thé £5,2\r\n".encode("cp1252")
    with pytest.raises(InvalidInputError, match="is UTF-8 but line 3 holds a byte") as refused:
        decoded(data, "t.csv")
    assert "0xe9" in str(refused.value)
