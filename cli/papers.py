"""Committees, their meetings, and the paper for a meeting: summary, appendix, pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from cli.common import (
    LedgerGroup,
    on_option,
    output_path,
    parse_day,
    parse_moment,
    record,
    refuse,
    session_of,
)
from cli.render import Output, dump_document, emit, format_option

if TYPE_CHECKING:
    from collections.abc import Callable

    from cli.common import Session
    from projections.recorded import Recorded

known_at_option = click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    metavar="DATETIME",
    help="Only what had been recorded by this moment (ISO 8601): the paper as it could "
    "have been written then.",
)


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


def read_recorded(ctx: click.Context, as_known_at: str | None) -> Recorded:
    return session_of(ctx).recorded(parse_moment(as_known_at))


def meeting_day(value: str) -> date:
    day = parse_day(value, "DATE")
    assert day is not None
    return day


def known_text(recorded: Recorded) -> str:
    from projections.log import iso_utc

    return f"as known at {iso_utc(recorded.known_at)}" if recorded.known_at else "as known now"


# Committees and meetings -------------------------------------------------------------


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
    "--for", "changes", multiple=True, metavar="closures|extensions",
    help="A change that needs sign-off (repeat for both). Omit to need it for completion only.",
)  # fmt: skip
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
    recorded = read_recorded(ctx, as_known_at)
    committees = sorted(recorded.committees.values(), key=lambda c: c.code)
    rules = session_of(ctx).ledger(write=False).sign_off_rules() if committees else {}
    emit(
        Output(
            document={
                "committees": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "meetings": [m.on.isoformat() for m in c.sorted_meetings()],
                        "sign_off_for": ["completion", *rules.get(c.code, [])],
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
                    ", ".join(["completion", *rules.get(c.code, [])]),
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
@on_option
@click.pass_context
def meeting_add(
    ctx: click.Context, committee_code: str, day: str, paper: str | None, on: str | None
) -> None:
    """Add the meeting of COMMITTEE on DATE (YYYY-MM-DD); it may still be to come.

    \b
    Example:
      ragw meeting add PRMSC 2015-10-21 --paper "Pol 49/15"
    """
    when = meeting_day(day)
    record(
        ctx,
        lambda ledger, actor: ledger.schedule_meeting(
            committee_code, when, paper=paper, actor=actor, on=parse_day(on, "--on")
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
    """Every meeting, of one committee or of all, oldest first.

    \b
    Examples:
      ragw meeting list PRMSC
      ragw meeting list --format csv
    """
    recorded = read_recorded(ctx, as_known_at)
    if committee_code is not None:
        committees = [recorded.committee(committee_code)]
    else:
        committees = sorted(recorded.committees.values(), key=lambda c: c.code)
    rows: list[tuple[str, date, str | None, date | None]] = []
    for c in committees:
        before: date | None = None
        for m in c.sorted_meetings():
            rows.append((c.code, m.on, m.paper, before))
            before = m.on
    emit(
        Output(
            document={
                "meetings": [
                    {
                        "committee": code,
                        "date": day.isoformat(),
                        "paper": paper,
                        "previous_meeting": previous.isoformat() if previous else None,
                    }
                    for code, day, paper, previous in rows
                ]
            },
            columns=["committee", "date", "paper", "previous meeting"],
            rows=rows,
        ),
        fmt,
    )


# The paper ---------------------------------------------------------------------------


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
    from cli.paper.tables import summary_output
    from projections.committee import summary_of

    recorded = read_recorded(ctx, as_known_at)
    paper = summary_of(recorded, committee_code, meeting_day(day))
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
    from cli.paper.tables import appendix_output
    from projections.committee import appendix_of

    recorded = read_recorded(ctx, as_known_at)
    emit(appendix_output(appendix_of(recorded, committee_code, meeting_day(day))), fmt)


@click.command()
@click.argument("committee_code", metavar="COMMITTEE")
@click.argument("day", metavar="DATE")
@click.option(
    "--out",
    "out",
    default=None,
    metavar="FILE.html|FILE.docx",
    help="Where to write the paper; its suffix chooses the format.",
)
@known_at_option
@click.option("--issue", is_flag=True,
              help="Record that this paper was issued, pinned to the ledger's digest, so "
                   "--as-issued can render it again byte for byte.")  # fmt: skip
@click.option("--as-issued", "as_issued", is_flag=True,
              help="Render the paper exactly as it was issued, whatever was recorded or "
                   "corrected since.")  # fmt: skip
@click.pass_context
def pack(
    ctx: click.Context, committee_code: str, day: str, out: str | None,
    as_known_at: str | None, issue: bool, as_issued: bool,
) -> None:  # fmt: skip
    """Write the whole paper for COMMITTEE's meeting on DATE as one document.

    .html: a self-contained page, ready to print on A4, with a chart of outstanding
    items across the committee's meetings. .docx: the same paper as a Word document.
    With --issue the paper is rendered from the history up to the ledger's digest and
    its issue is recorded; --as-issued renders that issued paper again, byte for byte.

    \b
    Examples:
      ragw pack PRMSC 2019-11-15 --out paper.html
      ragw pack PRMSC 2019-11-15 --out paper.docx --issue
      ragw pack PRMSC 2019-11-15 --out paper-again.docx --as-issued
    """
    path = output_path(out, (".html", ".htm", ".docx"), "the paper is written as .html or .docx")
    suffix = path.suffix.lower()
    if issue and as_issued:
        refuse("--issue records a new issue and --as-issued renders the one recorded; give one")
    if as_issued and as_known_at:
        refuse("--as-issued renders the paper from the history it was issued from; "
               "leave out --as-known-at")  # fmt: skip
    from cli.sheets import replacing
    from projections.committee import paper_of

    meeting = meeting_day(day)
    session = session_of(ctx)
    pinned = None
    if issue or as_issued:
        pinned = pinned_history(session, committee_code, meeting, as_issued, as_known_at)
        recorded = session.recorded(pinned.read_at)
    else:
        recorded = read_recorded(ctx, as_known_at)
    paper = paper_of(recorded, committee_code, meeting)
    if pinned is not None:  # headed as it was asked for, with the digest it was read from
        paper = paper.headed(known_at=pinned.as_known_at, digest=pinned.digest)
    if suffix == ".docx":
        from cli.paper.docx import write_docx

        with replacing(path, "wb") as handle:
            write_docx(paper, handle)
    else:
        from cli.paper.html import render_html

        with replacing(path) as handle:
            handle.write(render_html(paper))
    if issue:
        from ledger.chain import Digest

        assert pinned is not None
        ids = session.ledger(write=True).issue_paper(
            committee_code, meeting, digest=Digest.parse(pinned.digest),
            read_at=pinned.read_at, as_known_at=pinned.as_known_at, actor=session.actor,
        )  # fmt: skip
        for event_id in ids:
            click.echo(f"recorded {event_id}")
    totals = paper.summary.totals["current"]["all"]
    click.echo(
        f"wrote {path}: {len(paper.appendix.reports)} reports, "
        f"{totals.outstanding} outstanding, {totals['NEW GREEN']} new green"
        + (f"; ledger digest {paper.summary.digest}" if paper.summary.digest else ""),
        err=True,
    )


@dataclass(frozen=True)
class Pinned:
    """The history a paper to be issued (or issued already) is read from."""

    digest: str
    #: Read as known at this moment: when the last event up to the digest was recorded
    #: (or the moment asked for, if earlier).
    read_at: datetime
    #: The moment the paper was asked for as known at, as its heading shows.
    as_known_at: datetime | None


def pinned_history(
    session: Session, committee: str, meeting: date, as_issued: bool, as_known_at: str | None
) -> Pinned:
    ledger = session.ledger(write=False)
    if as_issued:
        issued = ledger.issued_paper(committee, meeting)
        if issued is None:
            refuse(
                f"the paper for {committee}'s meeting on {meeting.isoformat()} has not been "
                f"issued; issue it with `ragw pack {committee} {meeting.isoformat()} --out "
                "FILE --issue`"
            )
        return Pinned(issued.digest, issued.read_at, issued.as_known_at)
    head = ledger.digest()
    if head is None or head.position == 0:
        refuse("the ledger is empty: there is no paper to issue")
    read_at = ledger.recorded_at(head.position)
    shown = parse_moment(as_known_at)
    return Pinned(str(head), min(read_at, shown) if shown else read_at, shown)


def register(group: click.Group) -> None:
    for command in (committee, meeting, summary, appendix, pack):
        group.add_command(command)
