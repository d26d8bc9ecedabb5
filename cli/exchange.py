"""Getting data in and out: importing a tracker, exporting, backing up and restoring."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.common import (
    on_option,
    output_path,
    parse_day,
    parse_moment,
    progress,
    refuse,
    session_of,
)

if TYPE_CHECKING:
    from ledger.application import Ledger


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
    with progress(len(rows), f"Importing {path.name}") as bar:
        outcome = ledger.import_tracker(rows, source=path.name, actor=session.actor, on=day,
                                        progress=bar)  # fmt: skip
    click.echo(f"imported {path.name}: {outcome.describe()}")


# Export and restore ------------------------------------------------------------------

BOARD_COLUMNS = ["key", "report_code", "report", "scope", "published", "inspectorate", "ref",
                 "kind", "text", "status", "due", "due_date", "overdue", "comment", "owner",
                 "lead"]  # fmt: skip


@click.command("export")
@click.option("--out", "out", default=None, metavar="FILE.jsonl|FILE.csv|FILE.xlsx",
              help="Where to write; the suffix chooses what: .jsonl every event, "
              ".csv/.xlsx the board.")  # fmt: skip
@click.option("--as-at", "as_at", default=None, metavar="DATE",
              help="The board as it stood on this date (.csv/.xlsx). Default: today.")  # fmt: skip
@click.option("--as-known-at", "as_known_at", default=None, metavar="DATETIME",
              help="Only what had been recorded by this moment (.csv/.xlsx).")  # fmt: skip
@click.pass_context
def export(ctx: click.Context, out: str | None, as_at: str | None,
           as_known_at: str | None) -> None:  # fmt: skip
    """Export every event (.jsonl, for backup and restore) or the board (.csv, .xlsx).

    A .jsonl export has one event a line: id, type, key, on, recorded_at, actor and
    payload; `ragw restore` reads it back unchanged. A board export has the columns
    `ragw import` reads (plus key, due_date and overdue), so it can be imported
    elsewhere.

    \b
    Examples:
      ragw export --out backup.jsonl
      ragw export --out board.xlsx --as-at 2019-11-15
      ragw export --out board.csv --as-at 2019-11-15 --as-known-at 2019-11-10T17:00:00Z
    """
    path = output_path(out, (".jsonl", ".csv", ".xlsx"),
                       "export writes every event to .jsonl, or the board to .csv or .xlsx")  # fmt: skip
    suffix = path.suffix.lower()
    if suffix == ".jsonl" and (as_at or as_known_at):
        refuse("a .jsonl export holds every event; --as-at and --as-known-at are for the board")
    ledger = session_of(ctx).ledger(write=False)
    if suffix == ".jsonl":
        export_events(ledger, path)
        return
    from cli.sheets import write_csv, write_xlsx
    from projections.board import board_of
    from projections.committee import KIND_WORDS, written_due

    day = parse_day(as_at, "--as-at") or date.today()
    recorded = session_of(ctx).recorded(parse_moment(as_known_at))
    board = board_of(recorded, as_at=day)
    states = recorded.states_as_at(day)
    rows = []
    for item in board.items:
        report = recorded.reports[item.report]
        rows.append([
            item.key, item.report, report.title, item.scope, report.published.isoformat(),
            "; ".join(report.inspectorates), item.ref, KIND_WORDS[item.kind], item.text,
            item.status or "", written_due(states[item.key], report.published),
            item.due.isoformat() if item.due else "", "OVERDUE" if item.overdue else "",
            item.comment, item.owner, item.lead,
        ])  # fmt: skip
    if suffix == ".csv":
        write_csv(path, BOARD_COLUMNS, rows)
    else:
        known = f", as known at {as_known_at}" if as_known_at else ""
        write_xlsx(path, BOARD_COLUMNS, rows, title=f"Board {day.isoformat()}",
                   about=[("Board as at", day.isoformat() + known),
                          ("Items", str(len(rows))),
                          *([("Ledger digest", recorded.digest)] if recorded.digest else [])])  # fmt: skip
    click.echo(f"wrote {path}: {len(rows)} items as at {day.isoformat()}"
               + (f"; ledger digest {recorded.digest}" if recorded.digest else ""), err=True)  # fmt: skip


def export_events(ledger: Ledger, path: Path) -> None:
    import json

    from cli.sheets import replacing
    from ledger.backup import backup_lines

    total = ledger.last_position()  # near enough for a progress bar
    digest = ledger.digest()  # before reading: the export holds at least this history
    with replacing(path) as handle, progress(total, f"Exporting to {path.name}") as bar:
        count = 0
        for line in backup_lines(event for _, event in ledger.read_log()):
            handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
            bar(1)
    click.echo(f"wrote {path}: {count} events" + (f"; ledger digest {digest}" if digest else ""),
               err=True)  # fmt: skip


@click.command("restore")
@click.argument("file", metavar="FILE.jsonl")
@click.pass_context
def restore(ctx: click.Context, file: str) -> None:
    """Restore an export (.jsonl) into an empty ledger, every event unchanged.

    Ids, recording times and actors are kept, so every board, summary and history
    reads as it did. This is also how a ledger moves from a SQLite file to PostgreSQL.

    \b
    Examples:
      ragw --db restored.db restore backup.jsonl
      ragw --db postgresql://ragw@db.example/ragw restore backup.jsonl
    """
    from ledger.backup import read_backup

    path = Path(file)
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        refuse(f"{file}: restore reads a .jsonl file written by `ragw export --out FILE.jsonl`")
    lines = path.read_text(encoding="utf-8").splitlines()
    session = session_of(ctx)
    ledger = session.ledger(write=True)
    with progress(len(lines), f"Restoring {path.name}") as bar:
        count = ledger.restore_backup(read_backup(lines), source=path.name, progress=bar)
    click.echo(f"restored {path.name}: {count} events")


# Owners' update sheets -----------------------------------------------------------------


def parse_days(text: str) -> int:
    """ "45d", "6w", "2m" (30-day months) or a bare number of days."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", text.lower())
    if not match:
        refuse(f"--due-within {text!r} is not a span; write e.g. 45d, 6w or 2m")
    return int(match[1]) * {"": 1, "d": 1, "w": 7, "m": 30}[match[2]]


@click.command("requests")
@click.option("--owner", required=True, metavar="ROLE", help="Whose items: the owner's role.")
@click.option("--due-within", "due_within", default=None, metavar="SPAN",
              help="Only items due within this span from today, or overdue (45d, 6w, 2m).")  # fmt: skip
@click.option("--out", "out", required=True, metavar="FILE.xlsx", help="Where to write the sheet.")
@click.pass_context
def requests(ctx: click.Context, owner: str, due_within: str | None, out: str) -> None:
    """Write an update sheet of OWNER's open items, for the owner to fill in.

    One row per open item (key, report, text, status, due date, latest comment), with
    shaded columns for a new status and its reason, a progress note, and a requested
    new due date with its justification. The owner fills it in; `ragw apply` records it.

    \b
    Examples:
      ragw requests --owner "D/Supt PSD" --out psd.xlsx
      ragw requests --owner "DCI Crime" --due-within 45d --out crime.xlsx
    """
    from cli.sheets import write_xlsx
    from ledger.updates import FILLED, OWNER_STATUSES, SHOWN
    from projections.board import board_of
    from projections.committee import KIND_WORDS, written_due

    path = output_path(out, (".xlsx",), "an update sheet is written as .xlsx")
    span = parse_days(due_within) if due_within else None
    ledger = session_of(ctx).ledger(write=False)
    today = ledger.today()
    recorded = session_of(ctx).recorded(None)
    states = recorded.states_as_at(today)
    items = [
        item for item in board_of(recorded, as_at=today, owner=owner).items
        if item.status not in ("GREEN", "CLOSED")
        and (span is None or (item.due is not None and (item.due - today).days <= span))
    ]  # fmt: skip
    if not items:
        refuse(f"{owner} has no open items{' due within ' + due_within if due_within else ''}; "
               "see `ragw board --owner ROLE`")  # fmt: skip
    items.sort(key=lambda i: (i.due or date.max, i.key))
    rows = [
        [i.key, recorded.reports[i.report].title, f"{KIND_WORDS[i.kind]}: {i.text}",
         i.status or "NOT ASSESSED",
         written_due(states[i.key], recorded.reports[i.report].published), i.comment,
         *([""] * len(FILLED))]
        for i in items
    ]  # fmt: skip
    write_xlsx(
        path, [*SHOWN, *FILLED], rows, title="Update", editable=FILLED,
        choices={"new status": [s.value for s in OWNER_STATUSES]},
        about=[
            ("Owner", owner),
            ("As at", today.isoformat()),
            ("Items", str(len(rows))),
            ("How to", "Fill in the shaded columns of the rows that changed and leave the "
                       "others blank. RED and WHITE need a reason; a new due date needs a "
                       "justification. Return the sheet, to be recorded with `ragw apply`."),
        ],
    )  # fmt: skip
    click.echo(f"wrote {path}: {len(rows)} open items of {owner}", err=True)


@click.command("apply")
@click.argument("file", metavar="FILE.xlsx")
@on_option
@click.pass_context
def apply(ctx: click.Context, file: str, on: str | None) -> None:
    """Record an owner's filled-in update sheet, as that owner: all rows or none.

    Only what was filled in and differs from the item is recorded; blank rows record
    nothing. A bad row refuses the whole sheet, every bad row listed with its line.

    \b
    Example:
      ragw apply psd.xlsx
    """
    from ledger.tracker import read_update_sheet

    path = Path(file)
    owner, rows = read_update_sheet(path)
    ledger = session_of(ctx).ledger(write=True)
    outcome = ledger.apply_updates(rows, source=path.name, owner=owner,
                                   actor=session_of(ctx).actor,
                                   on=parse_day(on, "--on"))  # fmt: skip
    click.echo(f"applied {path.name} as {owner}: {outcome.describe()}")
