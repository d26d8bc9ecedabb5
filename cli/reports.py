"""Reports: register a published report (restricted, or the report of an inspection,
:mod:`cli.inspections`). It parses its input and calls one ledger method."""

from __future__ import annotations

import click

from cli.common import LedgerGroup, on_option, parse_day, record


@click.group(cls=LedgerGroup)
def report() -> None:
    """Inspection reports."""


@report.command("add")
@click.argument("code")
@click.option("--title", required=True, help="The report's title.")
@click.option(
    "--scope",
    required=True,
    metavar="national|force",
    help="A national (thematic) or a force report.",
)
@click.option("--published", required=True, metavar="DATE", help="Publication date (YYYY-MM-DD).")
@click.option(
    "--inspectorate",
    "inspectorates",
    multiple=True,
    metavar="NAME",
    help="HMICFRS, HMI Prisons... (repeatable).",
)
@click.option(
    "--makes",
    type=int,
    default=None,
    metavar="N",
    help="How many recommendations the report makes in all (0: papers list it as making "
    "no recommendations for the force).",
)
@click.option(
    "--restricted",
    is_flag=True,
    help="Circulated but not intended for publication: papers show its title only, as "
    "restricted (pack --include-restricted shows it in full).",
)
@click.option(
    "--from-inspection",
    "inspection",
    default=None,
    metavar="CODE",
    help="The inspection (see `ragw inspection list`) this is the report of.",
)
@on_option
@click.pass_context
def report_add(
    ctx: click.Context,
    code: str,
    title: str,
    scope: str,
    published: str,
    inspectorates: tuple[str, ...],
    makes: int | None,
    restricted: bool,
    inspection: str | None,
    on: str | None,
) -> None:
    """Register an inspection report under a CODE of your choosing.

    \b
    Examples:
      ragw report add BETRAYAL --title "Shining a light on betrayal" \\
          --scope national --published 2019-09-01 --inspectorate HMICFRS --makes 6
      ragw report add DIGITAL15 --title "Real lives, real crime" --scope national \\
          --published 2015-07-15 --makes 0 --restricted
      ragw report add CUSTODY17R --title "Custody in West Midlands" --scope force \\
          --published 2017-08-01 --from-inspection CUSTODY17
    """
    published_on = parse_day(published, "--published")
    assert published_on is not None
    record(
        ctx,
        lambda ledger, actor: ledger.register_report(
            code,
            title=title,
            scope=scope,
            published=published_on,
            inspectorates=inspectorates,
            makes=makes,
            restricted=restricted,
            inspection=inspection,
            actor=actor,
            on=parse_day(on, "--on"),
        ),
    )
