"""A ready ledger from a real committee paper, then its board."""

from __future__ import annotations

import os
import tempfile

import click

from cli.common import refuse, session_of
from cli.reads import board
from cli.render import format_option
from ledger.demo import DEMO_COMMITTEE, DEMO_DATE, build_demo


@click.command()
@click.option(
    "--db",
    "demo_target",
    default=None,
    metavar="TARGET",
    help="Build the demo ledger here (an empty or new ledger) instead of a temporary folder.",
)
@format_option
@click.pass_context
def demo(ctx: click.Context, demo_target: str | None, fmt: str) -> None:
    """Build a ledger from a real committee paper and show its board.

    The paper is the City of London Police appendix of HMICFRS recommendations
    reported in November 2019: 14 reports, every item with its status, due date
    and comment. Without --db the ledger lives in a temporary folder.

    \b
    Examples:
      ragw demo
      ragw --db demo.db demo && ragw --db demo.db history PEEL1819/1
    """
    session = session_of(ctx)
    if session.org is not None:  # an organisation's ledger begins with its identity
        refuse(
            "the demo builds a ledger of its own from the seed papers, not an organisation's "
            "in a shared store; run it without --org"
        )
    source = ctx.find_root().get_parameter_source("target")
    if demo_target is None and source is not None and source.name == "DEFAULT":
        folder = tempfile.mkdtemp(prefix="ragw-demo-")
        session.target = os.path.join(folder, "ragw.db")
    elif demo_target is not None:
        session.target = demo_target
    ledger = session.ledger(write=True)
    recorded = build_demo(ledger, actor=session.actor)
    click.echo(f"Built a demo ledger at {session.target}: {recorded} events.", err=True)
    ctx.invoke(
        board,
        as_at=DEMO_DATE.isoformat(),
        as_known_at=None,
        report_code=None,
        owner=None,
        status_filter=None,
        overdue=False,
        fmt=fmt,
    )
    db = f"ragw --db {session.target}"
    click.echo(
        f"\nTry: {db} history PEEL1819/1\n     {db} summary {DEMO_COMMITTEE} {DEMO_DATE}\n"
        f"     {db} pack {DEMO_COMMITTEE} {DEMO_DATE} --out paper.html",
        err=True,
    )
