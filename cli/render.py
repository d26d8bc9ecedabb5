"""One way out for every read: table, md, csv or json, data on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import click
from tabulate import tabulate

from ledger.exchange.cells import CsvLines, csv_row, markdown_lines, one_cell
from ledger.formats import compact
from projections.text import JSONText

FORMATS = ("table", "md", "csv", "json")


@dataclass
class Output:
    """A read's result: the JSON document, and the same data as rows for tables."""

    document: Any
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    footer: str | None = None
    wrap: dict[str, int] = field(default_factory=dict)
    #: Further tables printed after this one in the human formats (a paper has several).
    then: list[Output] = field(default_factory=list)
    #: The rows CSV writes, when they differ from the table's (numbers, not phrases).
    csv: Output | None = None


def emit(output: Output, fmt: str) -> None:
    if fmt == "json":
        click.echo(dump_document(output.document))
    elif fmt == "csv":
        table = output.csv or output
        writer = CsvLines(sys.stdout)
        writer.writerow(table.columns)
        writer.writerows([csv_row(row) for row in table.rows])
    else:
        _print_table(output, fmt)
        for more in output.then:
            click.echo()
            _print_table(more, fmt)


def dump_document(value: Any, level: int = 0) -> str:
    """JSON as every command prints it: objects indented, and each object of a list on
    a line of its own, compact (boards and papers run to thousands of rows)."""
    pad, end = "  " * (level + 1), "  " * level
    if isinstance(value, dict) and value:
        members = (
            f"{pad}{compact(key)}: {dump_document(v, level + 1)}" for key, v in value.items()
        )
        return "{\n" + ",\n".join(members) + "\n" + end + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list | JSONText) for v in value):
        rows = (v if isinstance(v, JSONText) else compact(v) for v in value)
        return "[\n" + ",\n".join(pad + row for row in rows) + "\n" + end + "]"
    return value if isinstance(value, JSONText) else compact(value)


def emit_json_rows(head: dict[str, Any], name: str, lines: Iterable[str]) -> None:
    """``{**head, name: [...]}`` with one item of ``lines`` (compact JSON) a line,
    written a few thousand at a time as they come, so a board of any size prints in
    constant memory."""
    opening, closing = json.dumps({**head, name: []}, indent=2).rsplit("[]", 1)
    out = sys.stdout
    out.write(opening + "[")
    rows, separator = iter(lines), "\n    "
    while chunk := list(islice(rows, 2000)):
        out.write(separator + ",\n    ".join(chunk))
        separator = ",\n    "
    out.write(("]" if separator == "\n    " else "\n  ]") + closing + "\n")
    out.flush()


def _print_table(output: Output, fmt: str) -> None:
    if output.title:  # a carriage return would print what follows over the heading
        title = output.title.replace("\r", " ")
        click.echo(f"## {markdown_lines(title)}\n" if fmt == "md" else f"{title}\n")
    if output.columns:
        rows = [[format_cell(v, fmt) for v in row] for row in output.rows]
        widths = [output.wrap.get(column) for column in output.columns]
        table = tabulate(
            rows,
            headers=list(output.columns),
            tablefmt="github" if fmt == "md" else "simple",
            maxcolwidths=widths if fmt == "table" and any(widths) else None,
            disable_numparse=True,
        )
        click.echo(table if output.rows else "(nothing to show)")
    if output.footer:
        footer = markdown_lines(output.footer) if fmt == "md" else output.footer
        click.echo(f"\n{footer}" if output.columns else footer)


def format_cell(value: Any, fmt: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and fmt in ("md", "table"):
        return one_cell(value, fmt == "md")  # a cell stays on its row
    return value


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How to print: a table, Markdown, CSV or JSON.",
)
