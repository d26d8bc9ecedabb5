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
            rows=table.rows,
            wrap={table.headers[0]: 36, table.headers[-1]: 40},
        )
        for table in section_tables(summary)
    ]
