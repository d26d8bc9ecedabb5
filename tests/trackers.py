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
