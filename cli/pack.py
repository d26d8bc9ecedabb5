"""The whole paper for a committee's meeting as one document (HTML or Word): as known
now, issued (pinned to the ledger's digest and recorded), or rendered again as issued."""

from __future__ import annotations

import click

from cli.common import known_at_option, meeting_day, output_path, parse_moment, refuse, session_of


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
    Before a paper is issued, what it was rendered from is compared with the fold of
    the events: a read model that differs is refused (run `ragw rebuild`).

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
    from projections.usecases.papers import paper as paper_read
    from projections.usecases.papers import record_issue

    meeting = meeting_day(day)
    session = session_of(ctx)
    read = paper_read(
        session.uses,
        committee_code,
        meeting,
        as_known_at=parse_moment(as_known_at),
        to_issue=issue,
        as_issued=as_issued,
    )
    paper = read.paper
    if suffix == ".docx":
        from cli.paper.docx import write_docx

        with replacing(path, "wb") as handle:
            write_docx(paper, handle)
    else:
        from cli.paper.html import render_html

        with replacing(path) as handle:
            handle.write(render_html(paper))
    if issue:
        for event_id in record_issue(session.uses, committee_code, meeting, read):
            click.echo(f"recorded {event_id}")
    totals = paper.summary.totals["current"]["all"]
    click.echo(
        f"wrote {path}: {len(paper.appendix.reports)} reports, "
        f"{totals.outstanding} outstanding, {totals['NEW GREEN']} new green"
        + (f"; ledger digest {paper.summary.digest}" if paper.summary.digest else ""),
        err=True,
    )
