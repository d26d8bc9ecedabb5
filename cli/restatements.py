"""``ragw restatements``: which items of a meeting's paper read differently now, and
the events (who recorded them, when) that made the difference."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.common import meeting_day, parse_moment, refuse, session_of
from cli.render import Output, emit, format_option
from ledger.formats import iso_utc
from projections.log import describe
from projections.restatements import Restatement, Restatements
from projections.usecases.restatements import restatements as restatements_read

if TYPE_CHECKING:
    from projections.log import EventRecord


@click.command()
@click.argument("committee_code", metavar="COMMITTEE")
@click.argument("day", metavar="DATE")
@click.option(
    "--since-issue",
    "since_issue",
    is_flag=True,
    help="Compare with the paper as issued (pack --issue), pinned by its position in "
    "the log. The default when the paper was issued.",
)
@click.option(
    "--known-at",
    "known_at",
    default=None,
    metavar="DATETIME",
    help="Compare with the paper as the ledger knew it at this ISO 8601 moment (a bare "
    "date: the end of that day). Default when the paper was not issued: the end of the "
    "meeting's day.",
)
@format_option
@click.pass_context
def restatements(
    ctx: click.Context,
    committee_code: str,
    day: str,
    since_issue: bool,
    known_at: str | None,
    fmt: str,
) -> None:
    """Items of the paper for COMMITTEE's meeting on DATE restated since.

    Lists every item whose row (status, due date, and the section of the paper it
    falls in: NEW GREEN, AMBER, RED, NEW RED, WHITE, CLOSED, NOT ASSESSED or
    PREVIOUSLY REPORTED) as known now differs from the paper as issued, or as known
    at --known-at; with each, the events recorded since that take effect on or before
    the meeting (changes dated back, corrections), who recorded them and when.

    \b
    Examples:
      ragw restatements PRMSC 2021-05-04
      ragw restatements PRMSC 2021-05-04 --since-issue --format json
      ragw restatements PRMSC 2021-05-04 --known-at 2021-05-04T09:00:00Z
    """
    if since_issue and known_at:
        refuse("--since-issue compares with the paper as issued; leave out --known-at")
    moment = parse_moment(known_at, "--known-at")
    read = restatements_read(
        session_of(ctx).uses,
        committee_code,
        meeting_day(day),
        since_issue=since_issue,
        known_at=moment,
    )
    found = read.restatements
    output = restated_output(
        found, f"Restated since {found.committee}'s paper for {found.meeting.isoformat()}"
    )
    output.footer = f"Compared with {read.basis}, as known at {iso_utc(found.compared_with)}."
    emit(output, fmt)


def restated_output(found: Restatements, title: str) -> Output:
    """Restated items as a table: one row an event, the item's rows then and now on its
    first; the document is the JSON of ``restatements``."""
    return Output(
        document=found.to_json(),
        columns=["key", "then", "now", "event", "on", "details", "recorded at", "by"],
        rows=[row for item in found.items for row in _rows(item)],
        title=title,
        wrap={"details": 40},
    )


def _rows(item: Restatement) -> list[list[object]]:
    """One row an event, the item's rows then and now on its first."""
    then, now = item.then.describe(), item.now.describe()
    rows: list[list[object]] = []
    listed: list[EventRecord | None] = [*item.events] or [None]
    for record in listed:
        event = (
            [
                record.id,
                record.on.isoformat(),
                describe(record),
                record.recorded_at.isoformat(timespec="seconds"),
                record.by,
            ]
            if record is not None
            else [None] * 5
        )
        rows.append([item.key, then, now, *event] if not rows else [None, None, None, *event])
    return rows
