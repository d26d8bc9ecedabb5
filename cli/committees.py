"""Committees that receive the papers, and their meetings."""

from __future__ import annotations

import click

from cli.common import (
    LedgerGroup,
    known_at_option,
    meeting_day,
    on_option,
    parse_day,
    parse_moment,
    record,
    refuse,
    session_of,
)
from cli.render import Output, emit, format_option
from projections.usecases.papers import committees as committees_read
from projections.usecases.papers import meetings as meetings_read


@click.group(cls=LedgerGroup)
def committee() -> None:
    """Committees that receive the papers."""


@committee.command("add")
@click.argument("code")
@click.option("--name", default=None, help="The committee's full name.")
@on_option
@click.pass_context
def committee_add(ctx: click.Context, code: str, name: str | None, on: str | None) -> None:
    """Register a committee under a short CODE.

    \b
    Example:
      ragw committee add PRMSC --name "Police: Performance and Resource Management Sub Committee"
    """
    if not name:
        refuse(f'a committee needs --name: ragw committee add {code} --name "Its full name"')
    record(
        ctx,
        lambda ledger, actor: ledger.register_committee(
            code, name=name, actor=actor, on=parse_day(on, "--on")
        ),
    )


@committee.command("sign-off")
@click.argument("code")
@click.option(
    "--for",
    "changes",
    multiple=True,
    metavar="closures|extensions",
    help="A change that needs sign-off (repeat for both). Omit to need it for completion only.",
)
@click.pass_context
def committee_sign_off(ctx: click.Context, code: str, changes: tuple[str, ...]) -> None:
    """Set what CODE requires sign-off for, beyond completion (always signed off).

    With closures, `ragw close` asks for closing, and the item stays open until someone
    else signs it off; with extensions, `ragw extend` asks for the new due date, an
    extension request for the committee to grant. Governance's own changes take effect
    at once. Items are reported to every committee, so a rule holds for every item.

    \b
    Examples:
      ragw committee sign-off PRMSC --for closures --for extensions
      ragw committee sign-off PRMSC            # completion only, again
    """
    record(
        ctx,
        lambda ledger, actor: ledger.set_sign_off_rule(code, list(changes), actor=actor),
    )


@committee.command("list")
@known_at_option
@format_option
@click.pass_context
def committee_list(ctx: click.Context, as_known_at: str | None, fmt: str) -> None:
    """Every committee, with its meetings.

    \b
    Examples:
      ragw committee list
      ragw committee list --format json
    """
    committees = committees_read(session_of(ctx).uses, as_known_at=parse_moment(as_known_at))
    emit(
        Output(
            document={
                "committees": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "meetings": [day.isoformat() for day in c.meetings],
                        "sign_off_for": c.sign_off_for,
                    }
                    for c in committees
                ]
            },
            columns=["code", "name", "meetings", "latest meeting", "sign-off for"],
            rows=[
                [
                    c.code,
                    c.name,
                    len(c.meetings),
                    max(c.meetings, default=None),
                    ", ".join(c.sign_off_for),
                ]
                for c in committees
            ],
        ),
        fmt,
    )


@click.group(cls=LedgerGroup)
def meeting() -> None:
    """Meetings of a committee: each receives a paper."""


@meeting.command("add")
@click.argument("committee_code", metavar="COMMITTEE")
@click.argument("day", metavar="DATE")
@click.option(
    "--paper", default=None, metavar="REF", help="The paper's reference, e.g. 'Pol 49/15'."
)
@click.option(
    "--review",
    "reviews",
    multiple=True,
    metavar="CODE",
    help="A report the meeting reviews, every item of it (repeat, in the paper's order).",
)
@on_option
@click.pass_context
def meeting_add(
    ctx: click.Context,
    committee_code: str,
    day: str,
    paper: str | None,
    reviews: tuple[str, ...],
    on: str | None,
) -> None:
    """Add the meeting of COMMITTEE on DATE (YYYY-MM-DD); it may still be to come.

    Each --review names a report the meeting looks at closely: its paper gains
    "Reports for review", with every item of those reports, its status and owner as at
    the meeting and the latest comment.

    \b
    Examples:
      ragw meeting add PRMSC 2015-10-21 --paper "Pol 49/15"
      ragw meeting add PRMSC 2016-01-20 --paper "Pol 3/16" --review CRIMEDATA --review PEEL15
    """
    when = meeting_day(day)
    record(
        ctx,
        lambda ledger, actor: ledger.schedule_meeting(
            committee_code,
            when,
            paper=paper,
            review=list(reviews),
            actor=actor,
            on=parse_day(on, "--on"),
        ),
    )


@meeting.command("review")
@click.argument("committee_code", metavar="COMMITTEE")
@click.argument("day", metavar="DATE")
@click.argument("codes", metavar="CODE...", nargs=-1)
@click.option("--none", "clear", is_flag=True, help="The meeting reviews no report any more.")
@on_option
@click.pass_context
def meeting_review(
    ctx: click.Context,
    committee_code: str,
    day: str,
    codes: tuple[str, ...],
    clear: bool,
    on: str | None,
) -> None:
    """Make COMMITTEE's meeting on DATE review the reports CODE... (in that order),
    in place of those it named before; --none for no report.

    Clearing takes --none, never an empty list, so a list that came out empty by a
    slip does not quietly take every review off the paper. Papers read as known at a
    moment before the change still show the reports reviewed then. Once the meeting's
    paper is issued its reviews are part of it and are not changed: choose reviews for
    the next meeting instead.

    \b
    Examples:
      ragw meeting review PRMSC 2016-01-20 CRIMEDATA PEEL15
      ragw meeting review PRMSC 2016-01-20 --none
    """
    if clear and codes:
        refuse("give the reports to review or --none, not both")
    if not clear and not codes:
        refuse(
            f"name the reports to review: ragw meeting review {committee_code} {day} CODE... "
            "(or --none for no report)"
        )
    when = meeting_day(day)
    record(
        ctx,
        lambda ledger, actor: ledger.review_at_meeting(
            committee_code, when, list(codes), actor=actor, on=parse_day(on, "--on")
        ),
    )


@meeting.command("list")
@click.argument("committee_code", metavar="[COMMITTEE]", required=False)
@known_at_option
@format_option
@click.pass_context
def meeting_list(
    ctx: click.Context, committee_code: str | None, as_known_at: str | None, fmt: str
) -> None:
    """Every meeting, of one committee or of all, oldest first, with the reports each
    reviews.

    \b
    Examples:
      ragw meeting list PRMSC
      ragw meeting list --format csv
    """
    listed = meetings_read(
        session_of(ctx).uses, committee_code, as_known_at=parse_moment(as_known_at)
    )
    rows = [(m.committee, m.on, m.paper, m.previous, ", ".join(m.review)) for m in listed]
    emit(
        Output(
            document={
                "meetings": [
                    {
                        "committee": m.committee,
                        "date": m.on.isoformat(),
                        "paper": m.paper,
                        "previous_meeting": m.previous.isoformat() if m.previous else None,
                        "reviews": list(m.review),
                    }
                    for m in listed
                ]
            },
            columns=["committee", "date", "paper", "previous meeting", "reviews"],
            rows=rows,
        ),
        fmt,
    )
