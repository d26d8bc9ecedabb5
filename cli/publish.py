"""``ragw publish``: the public register written as a static site and open data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli.common import parse_day, refuse, session_of


@click.command()
@click.option(
    "--out",
    "out",
    required=True,
    metavar="DIR",
    help="The folder to write: a new one, or a register publish wrote there before "
    "(replaced whole; a folder holding anything else is refused).",
)
@click.option(
    "--as-at",
    "as_at",
    default=None,
    metavar="DATE",
    help="The day the register shows (YYYY-MM-DD). Default: today.",
)
@click.pass_context
def publish(ctx: click.Context, out: str, as_at: str | None) -> None:
    """Write the public register of every organisation in the store to DIR.

    DIR/index.html lists the published reports (national reports first) with counts
    of statuses and verdicts; a page per report shows each organisation's status and
    the inspectorate's verdict on each recommendation; a page per organisation lists its
    items; DIR/recommendations.csv and DIR/recommendations.json are the same as open data
    (columns organisation, report, ref, status, verdict, due, key, issued_by, title, kind,
    text, verdict_reason, verdict_on, superseded_by, as_at). Restricted reports and their
    items are not in it at all. Every page carries each ledger's digest as read and the
    `verify --digest` that checks it later.

    The register is made in a folder beside DIR and moved into place when whole, so a
    reader never sees half of one. It reads every organisation's ledger, so it takes no
    --org; `ragw serve --public` serves the same pages.

    \b
    Examples:
      ragw publish --out register
      ragw --db postgresql://inspectorate@db/ragw publish --out /srv/www/register --as-at 2019-11-15
    """
    from projections.usecases.publishing import public_register
    from render.register import RegisterRefused, site, write_site

    session = session_of(ctx)
    if session.org is not None:
        refuse(
            f"--org {session.org}: publish writes the register of every organisation in "
            "the store; leave out --org (RAGW_ORG)"
        )
    day = parse_day(as_at, "--as-at") or date.today()
    path = Path(out)

    read = public_register(session.other(None), session.other, as_at=day)
    try:
        write_site(site(read), path)
    except RegisterRefused as refused:
        refuse(f"--out {refused}")
    click.echo(
        f"published {len(read.reports)} reports, {len(read.entries)} items of "
        f"{len(read.members)} organisations as at {day.isoformat()} to {path}"
    )
