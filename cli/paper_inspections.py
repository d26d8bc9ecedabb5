"""The paper's "Inspections" and "Reports published" as tables on a terminal, after the
summary's own (each only when it lists something)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.render import Output
from render.inspections import section_tables

if TYPE_CHECKING:
    from projections.committee import Summary


def inspection_outputs(summary: Summary) -> list[Output]:
    return [
        Output(
            document=None,
            title=table.heading,
            columns=list(table.headers),
            # the first column names the report or inspection, on one line whatever its
            # title holds (a cell's later lines would start at the line's start)
            rows=[[_flat(row[0]), *row[1:]] for row in table.rows],
            wrap={table.headers[0]: 36, table.headers[-1]: 40},
        )
        for table in section_tables(summary)
    ]


def _flat(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value
