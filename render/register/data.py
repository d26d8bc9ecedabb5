"""The register's open data: every published item, one row each, as CSV and JSON."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from ledger.exchange.cells import CsvLines, csv_row

if TYPE_CHECKING:
    from projections.usecases.publishing import PublicEntry, PublicRegister

#: The columns of ``recommendations.csv``, and the fields of each JSON row, in order.
COLUMNS = (
    "organisation",
    "report",
    "ref",
    "status",
    "verdict",
    "due",
    "key",
    "issued_by",
    "title",
    "kind",
    "text",
    "verdict_reason",
    "verdict_on",
    "verdict_by",
    "superseded_by",
    "as_at",
)


def row(register: PublicRegister, entry: PublicEntry, title: str) -> dict[str, Any]:
    return {
        "organisation": entry.org,
        "report": entry.report,
        "ref": entry.ref,
        "status": entry.status,
        "verdict": entry.verdict,
        "due": entry.due.isoformat() if entry.due else None,
        "key": entry.key,
        "issued_by": entry.issuer,
        "title": title,
        "kind": entry.kind,
        "text": entry.text,
        "verdict_reason": entry.verdict_reason,
        "verdict_on": entry.verdict_on.isoformat() if entry.verdict_on else None,
        "verdict_by": entry.verdict_by,
        "superseded_by": entry.superseded_by,
        "as_at": register.as_at.isoformat(),
    }


def rows(register: PublicRegister) -> list[dict[str, Any]]:
    return [
        row(register, entry, report.title)
        for report in register.reports
        for entry in report.entries
    ]


def as_csv(register: PublicRegister, table: list[dict[str, Any]] | None = None) -> bytes:
    """One header line, then a row per item; text a spreadsheet would run as a formula
    is written as text, as every CSV ragw writes."""
    out = io.StringIO()
    writer = CsvLines(out)
    writer.writerow(COLUMNS)
    table = rows(register) if table is None else table
    writer.writerows(csv_row([values[c] for c in COLUMNS]) for values in table)
    return out.getvalue().encode("utf-8")


def as_json(register: PublicRegister, table: list[dict[str, Any]] | None = None) -> bytes:
    """One document: the day, the organisations with their digests, and a line per
    recommendation (each line made by the C encoder: a register holds many)."""
    organisations = [
        {"code": m.code, "name": m.name, "kind": m.kind, "digest": register.digests.get(m.code)}
        for m in register.members
    ]
    table = rows(register) if table is None else table
    lines = ",\n".join(json.dumps(values, ensure_ascii=False) for values in table)
    head = json.dumps(
        {"as_at": register.as_at.isoformat(), "organisations": organisations}, ensure_ascii=False
    )
    return (f'{head[:-1]}, "recommendations": [\n{lines}\n]}}\n').encode()
