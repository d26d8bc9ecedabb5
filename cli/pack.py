"""The whole paper for a committee's meeting as one document (HTML or Word): as known
now, issued (pinned to the ledger's digest and recorded), or rendered again as issued."""

from __future__ import annotations

import click

from cli.common import (
    force_option,
    known_at_option,
    meeting_day,
    output_path,
    parse_moment,
    refuse,
    session_of,
)
from cli.sheets import replacing
from projections.usecases.papers import paper as paper_read
from projections.usecases.papers import record_issue


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
@force_option
@known_at_option
@click.option(
    "--issue",
    is_flag=True,
    help="Record that this paper was issued, pinned to the ledger's digest (its "
    "position in the log), so --as-issued can render it again byte for "
    "byte.",
)
@click.option(
    "--as-issued",
    "as_issued",
    is_flag=True,
    help="Render the paper exactly as it was issued, whatever was recorded or corrected since.",
)
@click.option(
    "--include-restricted",
    "include_restricted",
    is_flag=True,
    help="Show restricted reports in full (their details and their items' text), not "
    'as "restricted" with their title only: for a paper that goes to the committee alone.',
)
@click.pass_context
def pack(
    ctx: click.Context,
    committee_code: str,
    day: str,
    out: str | None,
    force: bool,
    as_known_at: str | None,
    issue: bool,
    as_issued: bool,
    include_restricted: bool,
) -> None:
    """Write the whole paper for COMMITTEE's meeting on DATE as one document.

    .html: a self-contained page, ready to print on A4, with a chart of outstanding
    items across the committee's meetings. .docx: the same paper as a Word document.
    With --issue the paper is rendered from the events up to the ledger's digest (its
    position in the log), compared with what the read model gives (a model that differs
    is refused: run `ragw rebuild`), and its issue is recorded; --as-issued renders that
    issued paper again from exactly those events, byte for byte, whatever was appended
    since and with whatever recording time. An existing FILE is replaced only with --force.

    \b
    Examples:
      ragw pack PRMSC 2019-11-15 --out paper.html
      ragw pack PRMSC 2019-11-15 --out paper.docx --issue
      ragw pack PRMSC 2019-11-15 --out paper-again.docx --as-issued
      ragw pack PRMSC 2019-11-15 --out paper.html --force   # replace paper.html
      ragw pack PRMSC 2019-11-15 --out committee-only.html --include-restricted
    """
    path = output_path(
        out, (".html", ".htm", ".docx"), "the paper is written as .html or .docx", force=force
    )
    suffix = path.suffix.lower()
    if issue and as_issued:
        refuse("--issue records a new issue and --as-issued renders the one recorded; give one")
    if as_issued and as_known_at:
        refuse(
            "--as-issued renders the paper from the history it was issued from; "
            "leave out --as-known-at"
        )
    meeting = meeting_day(day)
    session = session_of(ctx)
    read = paper_read(
        session.uses,
        committee_code,
        meeting,
        as_known_at=parse_moment(as_known_at),
        to_issue=issue,
        as_issued=as_issued,
        include_restricted=include_restricted,
        open_org=session.other,
    )
    paper = read.paper
    recorded: list[str] = []
    with replacing(path, "wb" if suffix == ".docx" else "w") as handle:
        if suffix == ".docx":
            from render.docx import write_docx  # python-docx: for a .docx paper only

            write_docx(paper, handle)
        else:
            from render.html import render_html  # jinja2: for an HTML paper only

            handle.write(render_html(paper))
        if issue:  # recorded before the file takes its name: a refused issue writes none
            recorded = record_issue(session.uses, committee_code, meeting, read)
    for event_id in recorded:
        click.echo(f"recorded {event_id}")
    totals = paper.summary.totals["current"]["all"]
    click.echo(
        f"wrote {path}: {len(paper.appendix.reports)} reports, "
        f"{totals.outstanding} outstanding, {totals['NEW GREEN']} new green"
        + (f"; ledger digest {paper.summary.digest}" if paper.summary.digest else ""),
        err=True,
    )
