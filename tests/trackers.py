"""Trackers for the tests: the seed paper (003) transcribed into the contract's columns."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ledger.demo import demo_paper

KINDS = {
    "recommendation": "Recommendation",
    "afi": "Area for improvement",
    "concern": "Cause of concern",
}
COLUMNS = [
    "report_code",
    "report",
    "scope",
    "published",
    "inspectorate",
    "ref",
    "kind",
    "text",
    "status",
    "due",
    "comment",
    "lead",
    "owner",
]


def seed_tracker() -> list[dict[str, Any]]:
    """Every item of the November 2019 appendix, written as the paper writes it."""
    return [
        {
            "report_code": report["code"],
            "report": report["title"],
            "scope": report["scope"],
            "published": report["published"],
            "inspectorate": "; ".join(report["inspectorates"]),
            "ref": item["ref"],
            "kind": KINDS[item["kind"]],
            "text": item["text"],
            "status": item["status"],
            "due": item["due"] or "",
            "comment": item["comment"] or "",
            "lead": item.get("lead") or "",
            "owner": "",
        }
        for report in demo_paper()["reports"]
        for item in report["items"]
    ]


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    columns = list(rows[0])
    sheet.append(columns)
    for row in rows:
        sheet.append([row[c] for c in columns])
    book.save(path)
    return path


#: The columns as a force's own tracker names them (issue 21's City of London tracker,
#: with a code and a type column).
FORCE_NAMES = {
    "report_code": "Code",
    "report": "Report",
    "scope": "National/Force",
    "published": "Date Published",
    "inspectorate": "Inspectorate",
    "ref": "Rec No.",
    "kind": "Type",
    "text": "Recommendation",
    "status": "RAG",
    "due": "Deadline",
    "comment": "Update / Progress",
    "lead": "Lead",
    "owner": "Owner",
}
TITLE = "City of London Police - HMICFRS Recommendations Tracker"


def write_force_xlsx(path: Path, rows: list[dict[str, Any]], *, sheet: str = "Tracker") -> Path:
    """``rows`` as a force keeps them in Excel: a merged title cell and an "As at" row
    above a blank row and the header in the force's own names; publication dates as
    date cells, numeric refs as numbers (some saved as 4.0), statuses in any case with
    spaces after them, scopes capitalised, comments as rich text, and each report's
    code on its first row alone."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    columns = list(rows[0])
    page["A1"] = TITLE
    page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    page["A2"] = "As at 15/11/2019"
    page.append([])
    page.append([FORCE_NAMES[c] for c in columns])
    coded: set[str] = set()
    for n, row in enumerate(rows):
        cells: list[Any] = []
        for column in columns:
            value = row[column]
            if column == "report_code":
                value = "" if value in coded else value
                coded.add(row[column])
            elif column == "published":
                value = datetime.fromisoformat(value)
            elif column == "ref" and value.isdigit():
                value = float(value) if n % 2 else int(value)
            elif column == "status":
                value = (value.lower() if n % 2 else value.title()) + "  "
            elif column == "scope":
                value = value.title()
            elif column == "comment" and " " in value and n % 3 == 0:
                first, rest = value.split(" ", 1)
                value = CellRichText([TextBlock(InlineFont(b=True), first), " " + rest])
            cells.append(value)
        page.append(cells)
    book.save(path)
    return path


#: Issue 21's City of London tracker's columns exactly: no report code, no type.
WHY_COLUMNS = {
    "report": "Report",
    "ref": "Rec No.",
    "text": "Recommendation",
    "status": "RAG",
    "due": "Deadline",
    "comment": "Update / Progress",
    "owner": "Owner",
    "published": "Date Published",
    "scope": "National/Force",
}
#: How a force writes each kind in its refs, row after row in turn.
REF_FORMS = {
    "Area for improvement": ("AFI {}", "AFI{}", "Area for improvement {}"),
    "Cause of concern": ("CoC {}", "Cause of concern {}"),
    "Recommendation": ("{}",),
}


def written_ref(row: dict[str, Any], n: int) -> str:
    """``row``'s ref as a force's tracker without a type column writes it."""
    forms = REF_FORMS[row["kind"]]
    return forms[n % len(forms)].format(row["ref"])


def write_why_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` in exactly the columns of :data:`WHY_COLUMNS`, below a merged title cell
    and an "As at" row; each item's kind in its ref, publication dates as date cells,
    scopes capitalised."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = "Tracker"
    page["A1"] = TITLE
    page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(WHY_COLUMNS))
    page["A2"] = "As at 15/11/2019"
    page.append([])
    page.append(list(WHY_COLUMNS.values()))
    for n, row in enumerate(rows):
        page.append(
            [
                written_ref(row, n)
                if field == "ref"
                else datetime.fromisoformat(row[field])
                if field == "published"
                else row[field].title()
                if field == "scope"
                else row[field]
                for field in WHY_COLUMNS
            ]
        )
    book.save(path)
    return path
