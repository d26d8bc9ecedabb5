"""Who an item is for: whether the force is to act on it (``ragw relevance``), and one
item superseded by a later one (``ragw supersede``); ``rec add --to`` names who the
report addresses an item to. Each parses its input and calls one ledger method."""

from __future__ import annotations

import click

from cli.common import on_option, parse_day, record, refuse

to_option = click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ADDRESSEE",
    help=(
        "Who the report addresses it to, as written: 'Chief Constables', 'the Home "
        "Office', 'NPCC lead'; repeat for each (one body a --to: names hold commas)."
    ),
)


@click.command()
@click.argument("key")
@click.argument("relevance", metavar="not-for-us|for-us")
@click.option("--reason", default=None, help="Why (required): who it is for instead.")
@on_option
@click.pass_context
def relevance(
    ctx: click.Context, key: str, relevance: str, reason: str | None, on: str | None
) -> None:
    """Say that KEY is not the force's to act on (not-for-us), or is again (for-us).

    An item not for the force stays on the ledger and the board (its JSON says so)
    but is not counted in a paper's summary: the paper lists it apart, under "Not
    addressed to the force", with its addressees and the reason. It counts so from
    its --on date: papers of meetings before it count it as before. It leaves the
    counts as a closure does: where a committee requires sign-off for closures, only
    governance says an item is not for the force.

    \b
    Examples:
      ragw relevance INFOMGMT15/HO not-for-us --on 2015-10-21 \\
          --reason "For the Home Office, not the force"
      ragw relevance INFOMGMT15/HO for-us --reason "The force leads the pilot"
    """
    wanted = relevance.strip().casefold()
    if wanted not in ("not-for-us", "for-us"):
        refuse(f"{relevance!r} is neither not-for-us nor for-us (ragw relevance KEY not-for-us)")
    record(
        ctx,
        lambda ledger, actor: ledger.change_relevance(
            key,
            for_us=wanted == "for-us",
            reason=reason or "",
            actor=actor,
            on=parse_day(on, "--on"),
        ),
    )


@click.command()
@click.argument("key")
@click.option("--by", "by", required=True, metavar="KEY2", help="The later item superseding it.")
@click.option("--reason", default=None, help="Why it is superseded (required).")
@on_option
@click.pass_context
def supersede(ctx: click.Context, key: str, by: str, reason: str | None, on: str | None) -> None:
    """Close KEY as superseded by the later item KEY2 (--by), from --on.

    Both histories say so: KEY is CLOSED, superseded by KEY2 (its board JSON gains
    "superseded_by"), and KEY2 supersedes KEY ("supersedes"). Papers count KEY as
    closed, never as done. Refused when KEY is closed already, when KEY2 is closed,
    superseded or not for the force, when KEY2 was added before KEY (an item carries
    an earlier one forward, never a later one), or when KEY2 is superseded by KEY. `ragw correct` of either half
    retracts both. Where a committee requires sign-off for closures, only governance
    supersedes.

    \b
    Example:
      ragw supersede CRIMEWMP14/2 --by CPREVISIT15/1 --on 2017-03-30 \\
          --reason "Cause of concern eradicated; carried into the 2015 re-inspection"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.supersede(
            key, by=by, reason=reason or "", actor=actor, on=parse_day(on, "--on")
        ),
    )
