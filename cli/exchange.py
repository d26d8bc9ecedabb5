"""Getting data in and out: importing a tracker (and, later, export and restore)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.common import on_option, parse_day, session_of

#: Below this many rows an import is quick enough to need no progress bar.
PROGRESS_FROM = 200


@click.command("import")
@click.argument("file", metavar="FILE.csv|FILE.xlsx")
@on_option
@click.pass_context
def import_tracker(ctx: click.Context, file: str, on: str | None) -> None:
    """Import a tracker spreadsheet: all rows or none.

    Columns (header row, any order): report_code report scope published ref kind
    text, and optionally inspectorate status reason due comment owner lead on.
    Statuses, kinds and due dates are read as papers write them (NEW GREEN, area for
    improvement, "October 2018 Now January 2020"). Each row is recorded as at its `on`
    column, else --on, else today; for items already in the ledger only what changed
    since that date is recorded, so importing last year's papers oldest first
    back-fills a true history. A bad row refuses the whole file, every bad row listed
    with its line.

    \b
    Examples:
      ragw import tracker.xlsx --on 2019-11-15
      ragw import february.csv --on 2021-02-04 && ragw import may.csv --on 2021-05-04
    """
    from ledger.tracker import read_tracker

    day = parse_day(on, "--on")
    path = Path(file)
    rows = read_tracker(path)
    session = session_of(ctx)
    ledger = session.ledger(write=True)
    if len(rows) >= PROGRESS_FROM:
        with click.progressbar(length=len(rows), label=f"Importing {path.name}",
                               file=sys.stderr) as bar:  # fmt: skip
            outcome = ledger.import_tracker(rows, source=path.name, actor=session.actor,
                                            on=day, progress=bar.update)  # fmt: skip
    else:
        outcome = ledger.import_tracker(rows, source=path.name, actor=session.actor, on=day)
    click.echo(f"imported {path.name}: {outcome.describe()}")
