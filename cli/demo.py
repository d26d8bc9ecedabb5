"""A ready ledger from a real committee paper, then its board."""

from __future__ import annotations

import os
import tempfile

import click

from cli.common import KEY_VARIABLE, Session, reader_gone, refuse, session_of
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
@click.option(
    "--national",
    is_flag=True,
    help="Build a national register instead: an inspectorate and two forces in one store.",
)
@format_option
@click.pass_context
def demo(ctx: click.Context, demo_target: str | None, national: bool, fmt: str) -> None:
    """Build a ledger from a real committee paper and show its board.

    The paper is the City of London Police appendix of HMICFRS recommendations
    reported in November 2019: 14 reports, every item with its status, due date
    and comment. Without --db the ledger lives in a temporary folder.

    With --national the store (which must hold no ledger yet: a new SQLite file or an
    empty PostgreSQL database) holds the inspectorate HMICFRS and the forces COLP and
    WMP: HMICFRS registers the paper's national reports and issues them to both forces;
    COLP records what its paper says of them, with its own reports; WMP's stay NOT
    ASSESSED (its paper, of 2017, reports none of them) beside its own reports of that
    paper; HMICFRS gives verdicts on a few of COLP's items. Then COLP's board is shown.

    \b
    Examples:
      ragw demo
      ragw --db demo.db demo && ragw --db demo.db history PEEL1819/1
      ragw demo --national --db national.db && ragw --db national.db --org WMP board
      ragw demo --national --db postgresql://owner@db/ragw
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
    if national:
        national_demo(ctx, session, fmt)
        return
    ledger = session.ledger(write=True)
    recorded = build_demo(ledger, actor=session.actor)
    click.echo(f"Built a demo ledger at {session.target}: {recorded} events.", err=True)
    show_board(ctx, fmt)
    db = f"ragw --db {session.target}"
    click.echo(
        f"\nTry: {db} history PEEL1819/1\n     {db} summary {DEMO_COMMITTEE} {DEMO_DATE}\n"
        f"     {db} pack {DEMO_COMMITTEE} {DEMO_DATE} --out paper.html",
        err=True,
    )


def national_demo(ctx: click.Context, session: Session, fmt: str) -> None:
    """Build the national register in the session's store, then show COLP's board."""
    from ledger import open_ledger
    from ledger.demo_national import FORCE, INSPECTORATE, REGISTER, build_national_demo

    key = os.environ.get(KEY_VARIABLE)
    counts = build_national_demo(
        session.ledger(write=True),
        lambda code: open_ledger(session.target, create=True, encryption_key=key, org=code),
        actor=session.actor,
    )
    built = ", ".join(f"{code} {count}" for code, count in counts.items() if code != REGISTER)
    click.echo(
        f"Built a national register at {session.target}: events {built}, and "
        f"{counts[REGISTER]} in the register.",
        err=True,
    )
    session.close()
    session.org = FORCE  # the board of a force, with the inspectorate's verdicts
    show_board(ctx, fmt)
    db = f"ragw --db {session.target}"
    click.echo(
        f"\nTry: {db} --org {FORCE} board\n     {db} --org WMP board --report FRAUD19\n"
        f"     {db} --org {FORCE} pack {DEMO_COMMITTEE} {DEMO_DATE} --out paper.html\n"
        f"     {db} --org {INSPECTORATE} verdicts {FORCE}\n"
        f"     {db} national board --report FRAUD19\n     {db} publish --out register",
        err=True,
    )


def show_board(ctx: click.Context, fmt: str) -> None:
    """The board as at the paper's date. A reader that stops reading it (``| head``)
    leaves the demo built: it was recorded before the board was shown."""
    try:
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
    except BrokenPipeError as error:
        reader_gone(error)
