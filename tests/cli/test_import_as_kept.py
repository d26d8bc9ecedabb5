"""Importing a tracker as a force keeps it: title rows and merged title cells above the
header, the force's own column names, cells as Excel holds them, the sheet it is on, and
text files as Excel saves them; a column nothing explains is refused in one line that
lists the file's columns and the fields still missing, and --map then imports it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_import import PAPER, board, events_in
from tests.trackers import FORCE_NAMES, TITLE, seed_tracker, write_csv, write_force_xlsx


def test_a_force_tracker_with_title_rows_and_its_own_column_names_gives_the_contracts_board(
    ragw, elsewhere, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    kept = write_force_xlsx(tmp_path / "colp.xlsx", rows)
    contract = write_csv(tmp_path / "contract.csv", rows)
    assert "105 items added" in ragw("import", str(kept), "--on", PAPER)
    assert "105 items added" in elsewhere("import", str(contract), "--on", PAPER)
    as_kept = ragw("board", "--as-at", PAPER, "--format", "json")
    assert as_kept == elsewhere("board", "--as-at", PAPER, "--format", "json")
    assert len(json.loads(as_kept)["items"]) == 105
    assert "0 events recorded" in ragw("import", str(contract), "--on", PAPER)


def test_the_merged_title_cell_is_a_real_merge_above_the_header(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(write_force_xlsx(tmp_path / "colp.xlsx", seed_tracker()[:3]))
    page = book.worksheets[0]
    assert [str(r) for r in page.merged_cells.ranges] == ["A1:M1"]
    assert page["A1"].value == TITLE and page["A4"].value == FORCE_NAMES["report_code"]


def force_rows() -> list[dict[str, Any]]:
    return [{FORCE_NAMES[k]: v for k, v in row.items()} for row in seed_tracker()[:6]]


def test_a_column_nothing_explains_is_one_error_line_then_map_imports_it(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {("Rec" if k == "Rec No." else "Category" if k == "Type" else k): v for k, v in r.items()}
        for r in force_rows()
    ]
    file = write_csv(tmp_path / "odd.csv", rows)
    message = ragw("import", str(file), "--on", PAPER, code=1)
    assert message.count("\n") == 1 and message.startswith("Error: odd.csv has no column ref:")
    assert "'Rec', 'Category'" in message and "'Date Published'" in message
    assert 'add --map "Column in file=field" for each' in message
    message = ragw("import", str(file), "--on", PAPER, "--map", "Rec=ref", code=1)
    assert "the ledger does not know: 'Category'" in message
    done = ragw("import", str(file), "--on", PAPER, "--map", "Rec=ref", "--map", "category=kind")
    assert "6 items added" in done


def test_an_unknown_extra_column_is_refused_naming_it_until_it_is_left_out(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = [{**r, "Notes": "kept elsewhere"} for r in force_rows()]
    file = write_csv(tmp_path / "notes.csv", rows)
    message = ragw("import", str(file), "--on", PAPER, code=1)
    assert message.startswith("Error: notes.csv has columns the ledger does not know: 'Notes'")
    assert "6 items added" in ragw("import", str(file), "--on", PAPER, "--map", "Notes=")


def test_two_columns_giving_one_field_are_refused_naming_both(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [{**r, "Status": r["RAG"]} for r in force_rows()]
    message = ragw("import", str(write_csv(tmp_path / "two.csv", rows)), code=1)
    assert "the columns 'RAG', 'Status' all give the field status" in message
    assert message.count("\n") == 1


def test_a_mapping_of_a_column_the_file_lacks_or_to_no_field_is_refused(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    file = write_csv(tmp_path / "t.csv", force_rows())
    assert "has no column 'Lead officer' to map" in ragw(
        "import", str(file), "--map", "Lead officer=owner", code=1
    )
    assert "maps to 'colour', which is not a field" in ragw(
        "import", str(file), "--map", "RAG=colour", code=1
    )


def test_check_prints_the_mapping_and_first_rows_and_records_nothing(
    ragw, target: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from cli.main import main

    rows = seed_tracker()
    rows[7] = {**rows[7], "status": "PURPLE"}
    kept = write_force_xlsx(tmp_path / "colp.xlsx", rows)
    ragw("report", "add", "KEEP", "--title", "t", "--scope", "force", "--published", "2019-01-01")
    before = events_in(ragw)
    said = ragw("import", str(kept), "--check", "--on", PAPER, code=1)  # a gate for scripts
    assert said == "Error: colp.xlsx has 1 bad row (listed above); nothing was recorded\n"
    check = ["--db", target, "import", str(kept), "--check", "--on", PAPER]
    shown = CliRunner().invoke(main, check).stdout
    assert "colp.xlsx, sheet 'Tracker': header on line 4" in shown
    assert "'Rec No.'" in shown and "-> ref" in shown and "'Update / Progress'" in shown
    first = rows[0]
    assert f"line 5: on {PAPER}; report_code {first['report_code']};" in shown
    assert f"published {first['published']}; ref {first['ref']};" in shown
    assert "line 12: status 'purple' is not known" in shown  # the file's own row number
    assert shown.rstrip().endswith("nothing was recorded (--check)")
    assert events_in(ragw) == before


def test_check_opens_no_ledger(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli.main import main

    db = tmp_path / "none.db"
    kept = write_force_xlsx(tmp_path / "colp.xlsx", seed_tracker()[:4])
    result = CliRunner().invoke(main, ["--db", str(db), "import", str(kept), "--check"])
    assert result.exit_code == 0 and "the first 4 of 4 rows" in result.stdout
    assert not db.exists()


def test_a_bad_row_is_named_by_its_own_row_in_the_sheet(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    rows[40] = {**rows[40], "due": "whenever"}
    message = ragw("import", str(write_force_xlsx(tmp_path / "t.xlsx", rows)), code=1)
    assert "line 45: cannot read the due date 'whenever'" in message  # 4 rows above row 1


def test_the_first_sheet_with_a_header_is_read_unless_one_is_named(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = write_force_xlsx(tmp_path / "book.xlsx", seed_tracker()[:5], sheet="HMICFRS recs")
    book = load_workbook(path)
    notes = book.create_sheet("Read me", 0)
    notes.append(["How this tracker is kept"])
    hidden = book.create_sheet("Old", 1)
    hidden.append(list(FORCE_NAMES.values()))
    hidden.sheet_state = "hidden"
    book.save(path)
    assert "sheet 'HMICFRS recs': header on line 4" in ragw("import", str(path), "--check")
    message = ragw("import", str(path), "--sheet", "Nope", code=1)
    assert "book.xlsx has no sheet 'Nope'; its sheets are 'Read me', 'Old', 'HMICFRS recs'" in (
        message
    )
    message = ragw("import", str(path), "--sheet", "Read me", code=1)
    assert "book.xlsx (sheet 'Read me') has no column report, scope, published, ref, text" in (
        message
    )
    assert "5 items added" in ragw("import", str(path), "--sheet", "hmicfrs RECS", "--on", PAPER)


def text_file(path: Path, rows: list[dict[str, Any]], encoding: str, delimiter: str) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        handle.write(f"{TITLE}\r\n\r\n")  # as Excel saves the title rows above the header
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8.csv", "utf-8", ","),
        ("bom.csv", "utf-8-sig", ","),
        ("windows.csv", "cp1252", ","),
        ("unicode.txt", "utf-16", "\t"),
        ("unicode.csv", "utf-16", "\t"),
        ("utf16-commas.csv", "utf-16", ","),
        ("tabs.txt", "cp1252", "\t"),
    ],
)
def test_text_as_excel_saves_it_imports_the_same_board(
    ragw, tmp_path: Path, name: str, encoding: str, delimiter: str
) -> None:  # type: ignore[no-untyped-def]
    rows = [{**r, "Update / Progress": "Café £5 – “quoted”"} for r in force_rows()]
    file = text_file(tmp_path / name, rows, encoding, delimiter)
    assert "6 items added" in ragw("import", str(file), "--on", PAPER)
    shown = board(ragw)
    assert {i["comment"] for i in shown.values()} == {"Café £5 – “quoted”"}


def test_a_unicode_text_file_without_a_column_names_its_real_columns(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [{k: v for k, v in r.items() if k != "Rec No."} for r in force_rows()]
    message = ragw("import", str(text_file(tmp_path / "u.txt", rows, "utf-16", "\t")), code=1)
    assert message.startswith("Error: u.txt has no column ref: its header (line 3)")
    assert "'Date Published'" in message and "\\x00" not in message


def test_cells_as_a_csv_saved_by_excel_holds_them_give_the_contracts_board(
    ragw, elsewhere, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    rows = seed_tracker()
    saved = []
    for n, row in enumerate(rows):
        published = date.fromisoformat(row["published"])
        saved.append(
            {
                **row,
                "report_code": row["report_code"]
                if n == 0 or rows[n - 1]["report"] != row["report"]
                else "",
                "published": published.strftime("%d/%m/%Y" if n % 2 else "%d %b %Y"),
                # Excel saves a number 4 as "4"; a "4.0" in a CSV is a text ref 4.0
                "ref": f" {row['ref']} ",
                "status": f" {row['status'].lower()}  ",
                "scope": row["scope"].upper(),
            }
        )
    assert "105 items added" in ragw(
        "import", str(write_csv(tmp_path / "excel.csv", saved)), "--on", PAPER
    )
    elsewhere("import", str(write_csv(tmp_path / "contract.csv", rows)), "--on", PAPER)
    assert board(ragw) == board(elsewhere)


def test_a_report_title_naming_two_reports_leaves_the_code_to_be_filled_in(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    base = seed_tracker()[0]
    rows = [
        {**base, "report_code": "A1", "ref": "1"},
        {**base, "report_code": "B1", "ref": "1"},
        {**base, "report_code": "", "ref": "2"},
    ]
    message = ragw("import", str(write_csv(tmp_path / "t.csv", rows)), "--on", PAPER, code=1)
    assert f"line 4: the report code is empty and the title {base['report']!r} names the " in (
        message
    )
    assert "reports A1, B1; fill in the code" in message


def test_check_says_a_sheet_chosen_by_name_is_hidden(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = write_force_xlsx(tmp_path / "book.xlsx", seed_tracker()[:3], sheet="Old")
    book = load_workbook(path)
    book.create_sheet("Read me", 0).append(["How this tracker is kept"])
    book["Old"].sheet_state = "hidden"
    book.save(path)
    shown = ragw("import", str(path), "--check", "--sheet", "Old")
    assert "book.xlsx, sheet 'Old' (hidden): header on line 4" in shown


def test_check_refuses_a_future_date_against_the_ledgers_today(tmp_path: Path) -> None:
    from datetime import date

    from projections.usecases.files import check_tracker

    kept = write_force_xlsx(tmp_path / "colp.xlsx", seed_tracker()[:2])
    found = check_tracker(kept, on=date(2019, 11, 15), today=lambda: date(2019, 11, 14))
    assert [line for line, _ in found.problems] == [5, 6]
    assert "is in the future" in str(found.problems[0][1])
    assert "(today is 2019-11-14)" in str(found.problems[0][1])
    assert not check_tracker(kept, on=date(2019, 11, 15), today=lambda: date(2019, 11, 15)).problems
