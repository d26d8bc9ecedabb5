"""Getting data in and out: importing a tracker, exporting, backing up and restoring."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.common import (
    cut_short,
    force_option,
    on_option,
    output_path,
    parse_day,
    parse_moment,
    progress,
    refuse,
    session_of,
    span_days,
)
from cli.sheets import replacing, write_csv, write_xlsx
from projections.usecases.board import board_export, update_sheet
from projections.usecases.events import backup, in_clear
from projections.usecases.files import apply_update_sheet
from projections.usecases.files import import_tracker as import_file

if TYPE_CHECKING:
    from projections.usecases import LedgerSession


@click.command("import")
@click.argument("file", metavar="FILE.csv|FILE.xlsx|FILE.txt")
@on_option
@click.option(
    "--sheet",
    default=None,
    metavar="NAME",
    help="The sheet of a workbook to read. Default: the first (visible) one with a header.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar='"Column in file=field"',
    help="Which field a column gives, where its name does not say (repeatable); "
    '"Column in file=" leaves a column out.',
)
@click.option(
    "--check",
    is_flag=True,
    help="Print the columns as they would be read and the first rows; record nothing.",
)
@click.pass_context
def import_tracker(
    ctx: click.Context,
    file: str,
    on: str | None,
    sheet: str | None,
    mapping: tuple[str, ...],
    check: bool,
) -> None:
    """Import a tracker spreadsheet as a force keeps it: all rows or none.

    The header is the first row that names the fields report scope published ref
    text (title rows, blank rows and merged title cells above it are passed over);
    optional fields: report_code kind inspectorate status reason due comment owner
    lead on. Columns are named as here or as forces name them, whatever the case and
    punctuation: Report code / Code, Report title / Report name, Type, RAG / RAG
    status / Status, Rec No. / No. / Ref / Recommendation number, Deadline / Due
    date / Target date, Update / Progress / Comments, Recommendation / Description,
    National/Force, Date Published / Publication date, Owner / Responsible officer.
    Any other column is named with --map "Column in file=field" (or left out with
    "Column in file="). --check prints the columns as they would be read, the
    first rows and the bad rows, records nothing, and exits 1 when there are bad rows.

    Cells are read as Excel holds them: dates as date cells, ISO or UK text
    (15/11/2019, 15 Nov 2019), refs saved as numbers (4.0 is 4), statuses, kinds and
    scopes in any case. A row without a report code takes the code of the one report
    its title names (in the rows above, or in the ledger). Text files are read as
    Excel saves them: CSV UTF-8, CSV (Windows), and Unicode text (UTF-16,
    tab-separated .txt).

    Without a report_code column, a report's code is the ledger's for its title, else
    derived from the title: each word's first letter and each number whole, in
    capitals, at most 12 characters (Cyber: Keep the light on -> CKTLO); when two
    titles derive the same code, or the ledger holds it for another title, each takes
    a dash and six hex digits of a hash of its title (FTTC-1A2B3C), so re-importing
    the tracker names the same reports. Without a kind column, the kind is read from
    the ref, which keeps it: AFI 3 / Area for improvement 3 -> afi AFI3, CoC 1 /
    Cause of concern 1 -> concern CoC1, Rec 1 and any other ref a recommendation (1):
    AFI 1 and Rec 1 of a report are two items. --check lists the derived codes.

    Each row is recorded as at its `on` column, else --on, else today; for items
    already in the ledger only what changed since that date is recorded, so importing
    last year's papers oldest first back-fills a true history. A bad row refuses the
    whole file, every bad row listed with its line in the file. A file is read up to
    20,000 rows below its header, 50 columns and 20 MB (100 MB unpacked); a bigger one
    is refused before it is read.

    \b
    Examples:
      ragw import tracker.xlsx --on 2019-11-15
      ragw import tracker.xlsx --check
      ragw import colp.xlsx --check   # no Code or Type column: the codes it derives
      ragw import tracker.xlsx --sheet "HMICFRS recs" --map "Lead officer=owner"
      ragw import tracker.xlsx --map "Notes=" --map "Rec=ref"
      ragw import february.csv --on 2021-02-04 && ragw import may.csv --on 2021-05-04
    """
    day = parse_day(on, "--on")
    path = Path(file)
    if check:
        from cli.import_check import show_check
        from projections.usecases.files import check_tracker

        found = check_tracker(path, on=day, sheet=sheet, mapping=mapping)
        count = len(found.problems)
        bad = f"{path.name} has {count} bad row{'s' if count != 1 else ''}"
        if found.problems:  # the gate's answer, whether or not its listing is read whole
            session_of(ctx).if_cut_short = cut_short(f"{bad}; nothing was recorded")
        show_check(path, found)
        if found.problems:  # a gate a script can use: exit 1 when the import would refuse
            click.echo(f"Error: {bad} (listed above); nothing was recorded", err=True)
            ctx.exit(1)
        return
    outcome = import_file(session_of(ctx).uses, path, on=day, sheet=sheet, mapping=mapping)
    click.echo(f"imported {path.name}: {outcome.describe()}")


# Export and restore ------------------------------------------------------------------


@click.command("export")
@click.option(
    "--out",
    "out",
    default=None,
    metavar="FILE.jsonl|FILE.csv|FILE.xlsx",
    help="Where to write; the suffix chooses what: .jsonl every event, .csv/.xlsx the board.",
)
@click.option(
    "--as-at",
    "as_at",
    default=None,
    metavar="DATE",
    help="The board as it stood on this date (.csv/.xlsx). Default: today.",
)
@click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    metavar="DATETIME",
    help="Only what had been recorded by this moment (.csv/.xlsx).",
)
@click.option(
    "--plaintext",
    is_flag=True,
    help="Of an encrypted ledger, write the file in clear all the same (refused without).",
)
@force_option
@click.pass_context
def export(
    ctx: click.Context,
    out: str | None,
    as_at: str | None,
    as_known_at: str | None,
    plaintext: bool,
    force: bool,
) -> None:
    """Export every event (.jsonl, for backup and restore) or the board (.csv, .xlsx).

    A .jsonl export has one event a line: id, type, key, on, recorded_at, actor and
    payload; `ragw restore` reads it back unchanged. A board export has the columns
    `ragw import` reads (plus key, due_date and overdue), so it can be imported
    elsewhere. No cell runs as a formula: a .csv cell that starts with = + - @ (a
    tab, a carriage return) is written behind a ' that `ragw import` drops again.

    Every file is created readable by its owner alone (0600). An encrypted ledger
    (RAGW_ENCRYPTION_KEY) is exported only with --plaintext: the file, events or
    board, is in clear, and must be kept as safe as the key.

    \b
    Examples:
      ragw export --out backup.jsonl
      ragw export --out board.xlsx --as-at 2019-11-15
      ragw export --out board.csv --as-at 2019-11-15 --as-known-at 2019-11-10T17:00:00Z
      ragw export --out backup.jsonl --force     # replace yesterday's backup.jsonl
      ragw export --out backup.jsonl --plaintext  # an encrypted ledger, in clear
    """
    path = output_path(
        out,
        (".jsonl", ".csv", ".xlsx"),
        "export writes every event to .jsonl, or the board to .csv or .xlsx",
        force=force,
    )
    suffix = path.suffix.lower()
    if suffix == ".jsonl" and (as_at or as_known_at):
        refuse("a .jsonl export holds every event; --as-at and --as-known-at are for the board")
    session = session_of(ctx)
    session.ledger(write=False)  # a missing ledger is said before a malformed date
    if suffix == ".jsonl":
        export_events(session.uses, path, plaintext=plaintext)
        return
    # the board holds the items' texts, owners and reasons: as much in clear as the events
    in_clear(session.uses, "its board", plaintext=plaintext)
    day = parse_day(as_at, "--as-at") or date.today()
    board = board_export(session.uses, as_at=day, as_known_at=parse_moment(as_known_at))
    columns, rows, digest = board.columns, board.rows, board.digest
    if suffix == ".csv":
        write_csv(path, columns, rows)
    else:
        known = f", as known at {as_known_at}" if as_known_at else ""
        write_xlsx(
            path,
            columns,
            rows,
            title=f"Board {day.isoformat()}",
            about=[
                ("Board as at", day.isoformat() + known),
                ("Items", str(len(rows))),
                *([("Ledger digest", digest)] if digest else []),
            ],
        )
    click.echo(
        f"wrote {path}: {len(rows)} items as at {day.isoformat()}"
        + (f"; ledger digest {digest}" if digest else ""),
        err=True,
    )


def export_events(session: LedgerSession, path: Path, *, plaintext: bool = False) -> None:
    read = backup(session, plaintext=plaintext)
    with replacing(path) as handle, progress(read.total, f"Exporting to {path.name}") as bar:
        count = 0
        for line in read.lines:
            handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
            bar(1)
    digest = read.digest
    click.echo(
        f"wrote {path}: {count} events" + (f"; ledger digest {digest}" if digest else ""), err=True
    )


# Owners' update sheets -----------------------------------------------------------------


def parse_days(text: str) -> int:
    """ "45d", "6w", "2m" (30-day months) or a bare number of days."""
    days = span_days(text)
    if days is None or days > 36_500:
        refuse(
            f"--due-within {text!r} is not a span of at most 100 years; write e.g. 45d, 6w or 2m"
        )
    return days


@click.command("requests")
@click.option("--owner", required=True, metavar="ROLE", help="Whose items: the owner's role.")
@click.option(
    "--due-within",
    "due_within",
    default=None,
    metavar="SPAN",
    help="Only items due within this span from today, or overdue (45d, 6w, 2m).",
)
@click.option("--out", "out", required=True, metavar="FILE.xlsx", help="Where to write the sheet.")
@force_option
@click.pass_context
def requests(ctx: click.Context, owner: str, due_within: str | None, out: str, force: bool) -> None:
    """Write an update sheet of OWNER's open items, for the owner to fill in.

    One row per open item (key, report, text, status, due date, latest comment), with
    shaded columns for a new status and its reason, a progress note, and a requested
    new due date with its justification. The owner fills it in; `ragw apply` records it.

    \b
    Examples:
      ragw requests --owner "D/Supt PSD" --out psd.xlsx
      ragw requests --owner "DCI Crime" --due-within 45d --out crime.xlsx
      ragw requests --owner "DCI Crime" --out crime.xlsx --force   # replace crime.xlsx
    """
    path = output_path(out, (".xlsx",), "an update sheet is written as .xlsx", force=force)
    span = parse_days(due_within) if due_within else None
    sheet = update_sheet(session_of(ctx).uses, owner=owner, within_days=span)
    rows = sheet.rows
    if not rows:
        refuse(
            f"{owner} has no open items{' due within ' + due_within if due_within else ''}; "
            "see `ragw board --owner ROLE`"
        )
    write_xlsx(
        path,
        sheet.columns,
        rows,
        title="Update",
        editable=sheet.filled,
        choices={"new status": sheet.statuses},
        about=[
            ("Owner", owner),
            ("As at", sheet.as_at.isoformat()),
            ("Items", str(len(rows))),
            (
                "How to",
                "Fill in the shaded columns of the rows that changed and leave the "
                "others blank. RED and WHITE need a reason; a new due date needs a "
                "justification. Type values, not formulas, and keep every sheet visible. "
                "Return the sheet, to be recorded with `ragw apply`.",
            ),
        ],
    )
    click.echo(f"wrote {path}: {len(rows)} open items of {owner}", err=True)


@click.command("apply")
@click.argument("file", metavar="FILE.xlsx")
@on_option
@click.pass_context
def apply(ctx: click.Context, file: str, on: str | None) -> None:
    """Record an owner's filled-in update sheet: all rows or none.

    Each change is recorded as yours (on PostgreSQL under access control, your database
    login), for the owner the sheet names: history shows "you for OWNER". You must be
    governance, or act for that owner; every row's item must be that owner's. Only what
    was filled in and differs from the item is recorded; blank rows record nothing. A
    row that would change an item changed since the sheet was written (its version
    column) is refused: ask for a new sheet. A bad row refuses the whole sheet, every
    bad row listed with its line.

    The sheet is read as whoever checks it sees it: a hidden sheet, row or column,
    a cell formatted to show other than it holds (white on cream, a date shown as another),
    or a formula in any cell (type the value itself), is refused naming it. A sheet is read up to
    20,000 rows below its header, 50 columns and 20 MB (100 MB unpacked); a bigger
    file is refused before it is read.

    \b
    Examples:
      ragw apply psd.xlsx
      ragw apply crime.xlsx --on 2019-11-15
    """
    path = Path(file)
    owner, outcome = apply_update_sheet(session_of(ctx).uses, path, on=parse_day(on, "--on"))
    who = f"as {owner}" if outcome.acting_for is None else f"for {owner}, as {outcome.actor}"
    click.echo(f"applied {path.name} {who}: {outcome.describe()}")
