"""The paper for a committee's meeting, read in a terminal: its summary table and its
appendix (the whole paper as one document is ``pack``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from cli.common import known_at_option, meeting_day, parse_moment, session_of
from cli.paper_tables import appendix_output, summary_output
from cli.render import Output, dump_document, emit, format_option
from cli.restatements import restated_output
from ledger.formats import iso_utc
from projections.usecases.papers import appendix as appendix_read
from projections.usecases.papers import summary as summary_read
from projections.usecases.restatements import restated_since

if TYPE_CHECKING:
    from projections.restatements import Restatements


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

    Reports for review: when the meeting reviews reports, every item of each, with
    its status, owner and latest comment as at the meeting (JSON: "reviewed").

    \b
    Examples:
      ragw summary PRMSC 2019-11-15
      ragw summary PRMSC 2019-11-15 --format json
      ragw summary PRMSC 2019-11-15 --as-known-at 2019-11-10T17:00:00Z
    """
    known, meeting, session = parse_moment(as_known_at), meeting_day(day), session_of(ctx).uses
    paper = summary_read(session, committee_code, meeting, as_known_at=known)
    restated = restated_since(session, committee_code, meeting, as_known_at=known)
    if fmt == "json":  # the rows as rendered once, not the tables the other formats need
        document = paper.printable()
        if restated is not None:
            document["restated_since_last_paper"] = restated.to_json()
        click.echo(dump_document(document))
    else:
        emit(with_restated(summary_output(paper), restated, fmt), fmt)


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
    known, meeting, session = parse_moment(as_known_at), meeting_day(day), session_of(ctx).uses
    read = appendix_read(session, committee_code, meeting, as_known_at=known)
    restated = restated_since(session, committee_code, meeting, as_known_at=known)
    emit(with_restated(appendix_output(read), restated, fmt), fmt)


def with_restated(output: Output, restated: Restatements | None, fmt: str) -> Output:
    """A paper's tables followed by "Restated since the last paper" when an item was
    (a table after the others; CSV keeps its one table)."""
    if restated is None:
        return output
    if fmt == "json" and isinstance(output.document, dict):
        output.document["restated_since_last_paper"] = restated.to_json()
    elif fmt in ("table", "md"):
        table = restated_output(restated, "Restated since the last paper")
        table.footer = (
            f"The meeting of {restated.meeting.isoformat()}: as this paper reads it, against "
            + (
                "the paper issued for it."
                if restated.issued
                else f"the ledger as known at {iso_utc(restated.compared_with)} (no paper "
                "for it was issued)."
            )
        )
        output.then.append(table)
    return output
