"""Reads of any length printed as their rows come, in the same bytes as
:func:`cli.render.emit` prints them whole: CSV and JSON a row at a time; a table
(or Markdown) read twice, first for its columns' widths, then printed a page at a time
at those widths, so no read holds all its rows."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import click
from tabulate import tabulate

from cli.render import emit_json_rows, format_cell
from ledger.exchange.cells import CsvLines, csv_row, markdown_lines
from ledger.formats import compact

#: Rows laid out at a time in a table (tabulate lays out what it is given at once).
PAGE = 2000
#: What tabulate adds to a header's width when it sets a column's (its MIN_PADDING).
HEADER_PADDING = 2


def emit_rows(
    columns: Sequence[str],
    rows: Callable[[], Iterable[Sequence[Any]]],
    fmt: str,
    *,
    wrap: dict[str, int] | None = None,
    title: str | None = None,
    footer: str | None = None,
) -> None:
    """Print ``rows()`` under ``columns`` as :func:`cli.render.emit` prints an
    :class:`~cli.render.Output` of them (not JSON: see :func:`emit_json_lines`). A
    table calls ``rows`` twice and needs the same rows each time."""
    if fmt != "csv" and title:
        click.echo(f"## {markdown_lines(title)}\n" if fmt == "md" else f"{title}\n")
    _body(columns, rows, fmt, wrap or {})
    if fmt != "csv" and footer:
        click.echo(f"\n{markdown_lines(footer) if fmt == 'md' else footer}")


def _body(
    columns: Sequence[str],
    rows: Callable[[], Iterable[Sequence[Any]]],
    fmt: str,
    wrap: dict[str, int],
) -> None:
    if fmt == "csv":
        writer = CsvLines(sys.stdout)
        writer.writerow(columns)
        for row in rows():
            writer.writerow(csv_row(row))
        return
    widths_wanted = [wrap.get(column) for column in columns]
    maxcolwidths = widths_wanted if fmt == "table" and any(widths_wanted) else None
    tablefmt = "github" if fmt == "md" else "simple"

    def laid_out(page: list[list[Any]], headers: list[str]) -> list[str]:
        return str(
            tabulate(
                page,
                headers=headers,
                tablefmt=tablefmt,
                maxcolwidths=maxcolwidths,
                disable_numparse=True,
            )
        ).split("\n")

    widths = [0] * len(columns)
    for page in _pages(rows(), fmt):
        widths = [
            max(a, b)
            for a, b in zip(widths, _widths(laid_out(page, list(columns)), fmt), strict=True)
        ]
    if not any(widths):
        click.echo("(nothing to show)")
        return
    # a header as wide as its column, less what tabulate adds, sets the column's width
    # on every page to the widest cell of all of them
    pad = HEADER_PADDING + (2 if fmt == "md" else 0)
    headers = [column.ljust(width - pad) for column, width in zip(columns, widths, strict=True)]
    out = sys.stdout
    first = True
    for page in _pages(rows(), fmt):
        lines = laid_out(page, headers)
        out.write("\n".join(lines if first else lines[2:]) + "\n")
        first = False
    out.flush()


def emit_json_lines(
    name: str, documents: Iterable[dict[str, Any]], head: dict[str, Any] | None = None
) -> None:
    """``{**head, name: [...]}`` as :func:`cli.render.dump_document` prints it, a
    document at a time."""
    emit_json_rows(head or {}, name, (compact(document) for document in documents))


def _pages(rows: Iterable[Sequence[Any]], fmt: str) -> Iterator[list[list[Any]]]:
    cells = ([format_cell(value, fmt) for value in row] for row in rows)
    while page := list(islice(cells, PAGE)):
        yield page


def _widths(lines: list[str], fmt: str) -> list[int]:
    """Each column's width, read off the line under a table's header."""
    rule = lines[1]
    if fmt == "md":
        return [len(part) for part in rule.strip("|").split("|")]
    return [len(part) for part in rule.split("  ")]
