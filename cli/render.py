"""One way out for every read: table, md, csv or json, data on stdout."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click

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


def emit(output: Output, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(output.document, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(output.columns)
        writer.writerows([["" if v is None else v for v in row] for row in output.rows])
    else:
        from tabulate import tabulate  # only the human formats need it

        rows = [["" if v is None else v for v in row] for row in output.rows]
        widths = [output.wrap.get(column) for column in output.columns]
        table = tabulate(
            rows,
            headers=list(output.columns),
            tablefmt="github" if fmt == "md" else "simple",
            maxcolwidths=widths if fmt == "table" and any(widths) else None,
            disable_numparse=True,
        )
        if output.title:
            click.echo(f"## {output.title}\n" if fmt == "md" else f"{output.title}\n")
        click.echo(table if output.rows else "(nothing to show)")
        if output.footer:
            click.echo(f"\n{output.footer}")


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How to print: a table, Markdown, CSV or JSON.",
)
