"""What `ragw import --check` prints: the header found and the field each column gives,
the first rows as the import reads them, and the rows it would refuse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.hints import cli_text
from ledger.errors import LedgerError

if TYPE_CHECKING:
    from ledger.exchange.entries import TrackerEntry
    from projections.usecases.files import TrackerCheck

#: How many rows --check prints.
CHECK_ROWS = 5


def show_check(path: Path, found: TrackerCheck) -> None:
    """What --check prints: the header and the field of each column, the first rows as
    read, the bad rows; and that nothing was recorded (the command then exits 1 when
    there are bad rows)."""
    header = found.header
    sheet = f", sheet {header.sheet!r}" if header.sheet else ""
    sheet += " (hidden)" if header.hidden else ""
    click.echo(f"{path.name}{sheet}: header on line {header.line}; its columns read as")
    for name, field in header.mapping():
        click.echo(f"  {' '.join(name.split())!r:32} -> {field or '(left out)'}")
    if found.codes:
        click.echo(
            f"{len(found.codes)} report code{'s' if len(found.codes) != 1 else ''} derived "
            "from the titles (a title the ledger "
            "holds takes its code there):"
        )
        for title, code in found.codes.items():
            click.echo(f"  {code:20} {' '.join(title.split())}")
    click.echo(f"the first {min(CHECK_ROWS, len(found.read))} of {found.rows} rows as read:")
    for entry in found.read[:CHECK_ROWS]:
        click.echo(f"  line {entry.line}: " + "; ".join(_entry_cells(entry)))
    if found.problems:
        click.echo(f"{len(found.problems)} bad row{'s' if len(found.problems) != 1 else ''}:")
        for line, why in found.problems:
            said = cli_text(why) if isinstance(why, LedgerError) else why
            click.echo(f"  line {line}: {said}")
    click.echo("nothing was recorded (--check)")


def _entry_cells(entry: TrackerEntry) -> list[str]:
    def short(text: str | None) -> str:
        said = " ".join((text or "").split())
        return said if len(said) <= 40 else said[:39] + "…"

    return [
        f"on {entry.on.isoformat()}",
        f"report_code {entry.code}",
        f"report {short(entry.title)!r}",
        f"scope {entry.scope.value}",
        f"published {entry.published.isoformat()}",
        f"ref {entry.ref}",
        f"kind {entry.kind.value}",
        f"text {short(entry.text)!r}",
        f"status {entry.status.value if entry.status else '(none)'}",
        f"due {short(entry.due.text) or '(none)'}",
        f"comment {short(entry.comment)!r}" if entry.comment else "comment (none)",
        *([f"owner {entry.owner}"] if entry.owner else []),
        *([f"lead {entry.lead}"] if entry.lead else []),
    ]
