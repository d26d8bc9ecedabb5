"""Inspections of the force before (or without) their reports: add one with its
fieldwork, record what changed about it, and list them. Each parses its input and calls
one ledger method or use case."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from cli.common import (
    LedgerGroup,
    known_at_option,
    on_option,
    parse_day,
    parse_moment,
    record,
    refuse,
    session_of,
)
from cli.render import Output, emit, format_option

if TYPE_CHECKING:
    from projections.usecases.inspections import InspectionListing


@click.group(cls=LedgerGroup)
def inspection() -> None:
    """Inspections of the force, before (or without) their reports."""


fieldwork_help = "The days inspectors were in force, FROM..TO (e.g. 2017-02-06..2017-02-09)."
debrief_help = "The day of the hot debrief (YYYY-MM-DD)."
expected_help = "When the report is expected: a day (2017-06-30) or a month (2017-06)."
no_report_help = "No report or recommendations will be published; give --reason."


@inspection.command("add")
@click.argument("code")
@click.option("--title", required=True, help="What is inspected.")
@click.option(
    "--inspectorate",
    "inspectorates",
    multiple=True,
    required=True,
    metavar="NAME",
    help="Who inspects: HMICFRS, HMI Prisons... (repeat for a joint inspection).",
)
@click.option("--fieldwork", required=True, metavar="FROM..TO", help=fieldwork_help)
@click.option("--debrief", default=None, metavar="DATE", help=debrief_help)
@click.option("--expected", default=None, metavar="DATE|MONTH", help=expected_help)
@click.option("--no-report", "no_report", is_flag=True, help=no_report_help)
@click.option("--reason", default=None, help="Why no report will be published.")
@on_option
@click.pass_context
def inspection_add(
    ctx: click.Context,
    code: str,
    title: str,
    inspectorates: tuple[str, ...],
    fieldwork: str,
    debrief: str | None,
    expected: str | None,
    no_report: bool,
    reason: str | None,
    on: str | None,
) -> None:
    """Add an inspection of the force under a CODE of your choosing (never a report's or
    a committee's): its fieldwork and what is known of its report. Papers list it from
    the day it takes effect (--on) until its report is published (`ragw report add ...
    --from-inspection CODE`).

    \b
    Examples:
      ragw inspection add CUSTODY17 --title "Custody (joint, unannounced)" \\
          --inspectorate "HMI Prisons" --inspectorate HMICFRS \\
          --fieldwork 2017-02-06..2017-02-09 --debrief 2017-02-10 --expected 2017-07
      ragw inspection add CTCC16 --title "Counter Terrorism Command & Control" \\
          --inspectorate HMICFRS --fieldwork 2016-12-13..2016-12-15 \\
          --no-report --reason "the subject is sensitive"
    """
    if reason is not None and not no_report:
        refuse(
            "--reason on inspection add says why no report will be published; "
            "give --no-report with it, or leave it out"
        )
    record(
        ctx,
        lambda ledger, actor: ledger.add_inspection(
            code,
            title=title,
            inspectorates=inspectorates,
            fieldwork=fieldwork,
            debrief=parse_day(debrief, "--debrief"),
            expected=expected,
            no_report=no_report,
            reason=reason,
            actor=actor,
            on=parse_day(on, "--on"),
        ),
    )


@inspection.command("update")
@click.argument("code")
@click.option("--title", default=None, help="What is inspected, reworded.")
@click.option("--fieldwork", default=None, metavar="FROM..TO", help=fieldwork_help)
@click.option("--debrief", default=None, metavar="DATE", help=debrief_help)
@click.option("--expected", default=None, metavar="DATE|MONTH", help=expected_help)
@click.option("--no-report", "no_report", is_flag=True, help=no_report_help)
@click.option(
    "--reason",
    default=None,
    help="Why: needed when a date already recorded moves, and with --no-report.",
)
@on_option
@click.pass_context
def inspection_update(
    ctx: click.Context,
    code: str,
    title: str | None,
    fieldwork: str | None,
    debrief: str | None,
    expected: str | None,
    no_report: bool,
    reason: str | None,
    on: str | None,
) -> None:
    """Record what changed about inspection CODE, as of --on: a date first known (no
    reason needed), a date that moved (with --reason), or that no report will be
    published after all.

    \b
    Examples:
      ragw inspection update CUSTODY17 --debrief 2017-02-10
      ragw inspection update CUSTODY17 --expected 2017-09 \\
          --reason "the inspectorate moved publication to September"
      ragw inspection update DISCL17 --no-report --reason "folded into the national report"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.update_inspection(
            code,
            title=title,
            fieldwork=fieldwork,
            debrief=parse_day(debrief, "--debrief"),
            expected=expected,
            no_report=no_report,
            reason=reason,
            actor=actor,
            on=parse_day(on, "--on"),
        ),
    )


@inspection.command("list")
@click.option(
    "--as-at", "as_at", default=None, metavar="DATE", help="Each as at this day. Default: today."
)
@known_at_option
@format_option
@click.pass_context
def inspection_list(
    ctx: click.Context, as_at: str | None, as_known_at: str | None, fmt: str
) -> None:
    """Every inspection, as at a day: its fieldwork, stage (to come, in progress,
    completed, debriefed), debrief, when its report is expected (or that none will be
    published, and why) and the report that names it.

    \b
    Examples:
      ragw inspection list
      ragw inspection list --as-at 2017-03-30 --format json
    """
    from projections.usecases.inspections import inspections

    day = parse_day(as_at, "--as-at") or date.today()
    found = inspections(session_of(ctx).uses, as_at=day, as_known_at=parse_moment(as_known_at))
    emit(
        Output(
            document={"as_at": day.isoformat(), "inspections": [i.to_json() for i in found]},
            columns=["code", "title", "by", "fieldwork", "stage", "debrief", "report"],
            rows=[
                [
                    i.code,
                    i.title,
                    ", ".join(i.inspectorates),
                    f"{i.fieldwork_from}..{i.fieldwork_to}",
                    i.stage,
                    i.debrief,
                    _report_cell(i),
                ]
                for i in found
            ],
            wrap={"title": 40},
        ),
        fmt,
    )


def _report_cell(listed: InspectionListing) -> str:
    if listed.report:
        return f"published: {listed.report}"
    if listed.no_report:
        return "none will be published"
    return f"expected {listed.expected}" if listed.expected else "not yet known"
