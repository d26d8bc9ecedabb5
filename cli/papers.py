"""The paper for a committee's meeting, read in a terminal: its summary table and its
appendix (the whole paper as one document is ``pack``)."""

from __future__ import annotations

from collections.abc import Callable

import click

from cli.common import known_at_option, meeting_day, parse_moment, session_of
from cli.paper.tables import appendix_output, summary_output
from cli.render import dump_document, emit, format_option
from projections.usecases.papers import appendix as appendix_read
from projections.usecases.papers import summary as summary_read


def meeting_read(command: Callable[..., None]) -> Callable[..., None]:
    """COMMITTEE DATE [--as-known-at] [--format]: what every read of a paper takes."""
    for decorate in reversed(
        (
            click.argument("committee_code", metavar="COMMITTEE"),
            click.argument("day", metavar="DATE"),
            known_at_option,
            format_option,
            click.pass_context,
        )
    ):
        command = decorate(command)
    return command


@click.command()
@meeting_read
def summary(
    ctx: click.Context, committee_code: str, day: str, as_known_at: str | None, fmt: str
) -> None:
    """The summary table of the paper for COMMITTEE's meeting on DATE.

    Per report, open items by status as at the previous meeting and as at this
    one; NEW GREEN, NEW RED and CLOSED against the meeting before each; totals; the
    headline; and the exceptions a committee must see (overdue items neither RED
    nor extended, extensions since the previous meeting, slippage).

    \b
    Examples:
      ragw summary PRMSC 2019-11-15
      ragw summary PRMSC 2019-11-15 --format json
      ragw summary PRMSC 2019-11-15 --as-known-at 2019-11-10T17:00:00Z
    """
    known = parse_moment(as_known_at)
    paper = summary_read(session_of(ctx).uses, committee_code, meeting_day(day), as_known_at=known)
    if fmt == "json":  # the rows as rendered once, not the tables the other formats need
        click.echo(dump_document(paper.printable()))
    else:
        emit(summary_output(paper), fmt)


@click.command()
@meeting_read
def appendix(
    ctx: click.Context, committee_code: str, day: str, as_known_at: str | None, fmt: str
) -> None:
    """The appendix of the paper for COMMITTEE's meeting on DATE.

    The RAGW definitions, then per report its description, the count sentence and
    every item not already reported GREEN or CLOSED: text, status (NEW GREEN / NEW
    RED since the previous meeting), due date with its history, latest comment.

    \b
    Examples:
      ragw appendix PRMSC 2019-11-15
      ragw appendix PRMSC 2019-11-15 --format csv > appendix.csv
    """
    known = parse_moment(as_known_at)
    read = appendix_read(session_of(ctx).uses, committee_code, meeting_day(day), as_known_at=known)
    emit(appendix_output(read), fmt)
