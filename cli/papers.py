"""The paper for a committee's meeting, read in a terminal: its summary table and its
appendix (the whole paper as one document is ``pack``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from cli.common import known_at_option, meeting_day, parse_moment, session_of
from cli.render import Output, dump_document, emit, format_option

if TYPE_CHECKING:
    from projections.committee import Appendix, Counts, Summary


def meeting_read(command: Callable[..., None]) -> Callable[..., None]:
    """COMMITTEE DATE [--as-known-at] [--format]: what every read of a paper takes."""
    for decorate in reversed((
        click.argument("committee_code", metavar="COMMITTEE"),
        click.argument("day", metavar="DATE"),
        known_at_option,
        format_option,
        click.pass_context,
    )):  # fmt: skip
        command = decorate(command)
    return command


# The paper ---------------------------------------------------------------------------


def cell(counts: Counts) -> str:
    """Counts as a paper prints them in one cell: "2 NEW GREEN", "5 AMBER", "1 NEW RED", a line each."""
    from projections.committee import NEW_RED, NOT_ASSESSED

    shown = {**counts, "RED": counts["RED"] - counts[NEW_RED]}
    order = ("NEW GREEN", "AMBER", "RED", NEW_RED, "WHITE", "CLOSED", NOT_ASSESSED)
    return "\n".join(f"{shown[k]} {k}" for k in order if shown.get(k))


def summary_output(summary: Summary) -> Output:
    from projections.committee import COUNT_KEYS, NOT_ASSESSED, long_date

    rows: list[list[Any]] = []
    section = None
    for row in summary.rows:
        if row.section != section:
            section = row.section
            rows.append([f"{section.capitalize()} reports", "", "", "", ""])
        national = row.report.scope == "national"
        was, now = cell(row.previous), cell(row.current)
        rows.append(
            [
                f"{row.report.code}: {row.report.title}",
                was if national else "",
                "" if national else was,
                now if national else "",
                "" if national else now,
            ]
        )

    keys = [*COUNT_KEYS[:-1]]
    if any(t[s][NOT_ASSESSED] for t in summary.totals.values() for s in t):
        keys.append(NOT_ASSESSED)
    totals_rows: list[list[Any]] = [
        [
            key,
            *(
                summary.totals[col][scope][key]
                for col in ("previous", "current")
                for scope in ("national", "force", "all")
            ),
        ]
        for key in keys
    ]
    totals_rows.append(
        [
            "Total Amber/Red/White",
            *(
                summary.totals[col][scope].outstanding
                for col in ("previous", "current")
                for scope in ("national", "force", "all")
            ),
        ]
    )

    previous = summary.previous_meeting
    compared = (
        f"compared with {long_date(previous.on)}" if previous else "the committee's first paper"
    )
    paper = f", paper {summary.meeting.paper}" if summary.meeting.paper else ""
    known = f"as known at {summary.known_at.isoformat()}" if summary.known_at else "as known now"
    exceptions = summary.exceptions
    return Output(
        document=summary.to_json(),
        title=(
            f"{summary.committee.name} ({summary.committee.code}): meeting of "
            f"{long_date(summary.meeting.on)}{paper}, {compared}; {known}"
            + (f"; ledger digest {summary.digest}" if summary.digest else "")
        ),
        columns=[
            "Report",
            "Previous: national",
            "Previous: force",
            "Current: national",
            "Current: force",
        ],
        rows=rows,
        wrap={"Report": 40},
        then=[
            Output(
                document=None,
                title="Totals",
                columns=[
                    "Status",
                    "Prev. national",
                    "Prev. force",
                    "Prev. all",
                    "Cur. national",
                    "Cur. force",
                    "Cur. all",
                ],
                rows=totals_rows,
                footer=summary.headline,
            ),
            Output(
                document=None,
                title="Overdue, neither RED nor extended",
                columns=["key", "status", "due", "days overdue", "owner"],
                rows=[
                    [o.key, o.status, o.due, o.days_overdue, o.owner] for o in exceptions.overdue
                ],
            ),
            Output(
                document=None,
                title=(
                    "Deadline extensions since the previous meeting"
                    if previous
                    else "Deadline extensions"
                ),
                columns=["key", "on", "from", "to", "reason", "by"],
                rows=[
                    [e.key, e.on, e.previous_due, e.due, e.reason, e.actor]
                    for e in exceptions.extensions
                ],
                wrap={"reason": 50},
            ),
            Output(
                document=None,
                title="Slippage (open items past their original date or extended)",
                columns=[
                    "key",
                    "status",
                    "original due",
                    "due",
                    "times extended",
                    "days past original",
                ],
                rows=[
                    [s.key, s.status, s.original_due, s.due, s.times_extended, s.days_past_original]
                    for s in exceptions.slippage
                ],
            ),
            Output(
                document=None,
                title="Awaiting sign-off",
                columns=["key", "status", "asks", "since", "by", "evidence"],
                rows=[
                    [
                        p.key,
                        p.status,
                        p.request,
                        p.pending["on"],
                        p.pending["actor"],
                        evidence_text(p.pending),
                    ]
                    for p in exceptions.claimed
                ],
                wrap={"evidence": 50},
            ),
            Output(
                document=None,
                title="Extension requests for the committee to grant",
                columns=["key", "status", "from", "to", "since", "by", "justification"],
                rows=[
                    [
                        p.key,
                        p.status,
                        p.pending["previous_due"],
                        p.pending["due"],
                        p.pending["on"],
                        p.pending["actor"],
                        evidence_text(p.pending),
                    ]
                    for p in exceptions.requested_extensions
                ],
                wrap={"justification": 50},
            ),
        ],
        csv=Output(
            document=None,
            columns=[
                "section",
                "code",
                "title",
                "scope",
                *(
                    f"{col} {key}"
                    for col in ("previous", "current")
                    for key in (*COUNT_KEYS, NOT_ASSESSED)
                ),
            ],
            rows=[
                [
                    row.section,
                    row.report.code,
                    row.report.title,
                    row.report.scope,
                    *(
                        counts[key] if key != "OUTSTANDING" else counts.outstanding
                        for counts in (row.previous, row.current)
                        for key in (*COUNT_KEYS, NOT_ASSESSED)
                    ),
                ]
                for row in summary.rows
            ],
        ),
    )


def evidence_text(pending: dict[str, Any]) -> str:
    """A request's evidence, then its links."""
    return "\n".join([pending["evidence"], *pending["links"]])


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
    from projections.usecases.papers import summary as summary_read

    known = parse_moment(as_known_at)
    paper = summary_read(session_of(ctx).uses, committee_code, meeting_day(day), as_known_at=known)
    if fmt == "json":  # the rows as rendered once, not the tables the other formats need
        click.echo(dump_document(paper.printable()))
    else:
        emit(summary_output(paper), fmt)


def status_with_pending(status: str, pending: dict[str, Any] | None, between: str = " ") -> str:
    """ "AMBER (GREEN pending sign-off)"; ``between`` the status and the brackets."""
    if pending is None:
        return status
    from ledger.state import asks_for

    return f"{status}{between}({asks_for(pending['request'], pending['due'])} pending sign-off)"


def appendix_output(appendix: Appendix) -> Output:
    from projections.committee import DEFINITIONS, long_date

    sections = []
    for report in appendix.reports:
        sections.append(
            Output(
                document=None,
                title=f"{report.report.title} [{report.report.code}]\n"
                f"{report.description}. {report.sentence}",
                columns=[
                    "ref",
                    "recommendation or area for improvement",
                    "status",
                    "due",
                    "comment",
                ],
                rows=[
                    [
                        i.ref,
                        f"{i.kind}: {i.text}",
                        status_with_pending(i.status, i.pending),
                        i.due_written,
                        i.comment,
                    ]
                    for i in report.items
                ],
                wrap={"recommendation or area for improvement": 50, "due": 16, "comment": 40},
            )
        )
    paper = f", paper {appendix.meeting.paper}" if appendix.meeting.paper else ""
    return Output(
        document=appendix.to_json(),
        title=(
            f"Appendix: {appendix.committee.name} ({appendix.committee.code}), meeting of "
            f"{long_date(appendix.meeting.on)}{paper}. Previously reported greens are not "
            "included." + (f" Ledger digest {appendix.digest}." if appendix.digest else "")
        ),
        columns=["status", "definition"],
        rows=[list(d) for d in DEFINITIONS],
        wrap={"definition": 80},
        then=sections,
        csv=Output(
            document=None,
            columns=[
                "report",
                "ref",
                "key",
                "kind",
                "status",
                "due",
                "due written",
                "overdue",
                "owner",
                "lead",
                "text",
                "comment",
            ],
            rows=[
                [
                    r.report.code,
                    i.ref,
                    i.key,
                    i.kind,
                    i.status,
                    i.due,
                    i.due_written,
                    i.overdue,
                    i.owner,
                    i.lead,
                    i.text,
                    i.comment,
                ]
                for r in appendix.reports
                for i in r.items
            ],
        ),
    )


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
    from projections.usecases.papers import appendix as appendix_read

    known = parse_moment(as_known_at)
    read = appendix_read(session_of(ctx).uses, committee_code, meeting_day(day), as_known_at=known)
    emit(appendix_output(read), fmt)
