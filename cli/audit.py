"""Reads for auditors: the entries recorded long after the day they say they took
effect, the recording times the log's filters take, and the audit pack of a meeting's
paper."""

from __future__ import annotations

from datetime import datetime

import click

from cli.common import (
    force_option,
    known_at_option,
    meeting_day,
    output_path,
    parse_day,
    parse_moment,
    refuse,
    session_of,
)
from cli.render import dump_document, format_option
from cli.sheets import replacing
from cli.streamed import emit_json_lines, emit_rows


def recorded_moment(value: str | None, option: str, *, end: bool) -> datetime | None:
    """A bound on recording time: an ISO 8601 moment, or a date, which means its first
    moment (``end``: its last), so a day given as a bound is wholly in
    (:func:`ledger.due.parse_moment`)."""
    if value is None:
        return None
    from ledger.due import parse_moment as moment_of

    return moment_of(value, option, end=end)


def lag_days(days: str) -> int:
    """The --days option: a whole number of days, 0 to 36500."""
    try:
        lag = int(days.strip())
    except ValueError:
        refuse(f"--days {days!r} is not a whole number of days; give 0 to 36500, e.g. 14")
    if not 0 <= lag <= 36_500:
        refuse(f"--days {days!r} is outside 0 to 36500; give a number of days in that range")
    return lag


@click.command()
@click.option(
    "--days",
    default="14",
    show_default=True,
    metavar="N",
    help="List events recorded more than N days (0 to 36500) after the day they took effect.",
)
@click.option(
    "--from",
    "recorded_from",
    default=None,
    metavar="DATE",
    help="Only events recorded on or after DATE.",
)
@click.option(
    "--to", "recorded_to", default=None, metavar="DATE", help="Only events recorded by DATE."
)
@format_option
@click.pass_context
def backdated(
    ctx: click.Context, days: str, recorded_from: str | None, recorded_to: str | None, fmt: str
) -> None:
    """Events recorded more than N days after the day they took effect (their --on),
    by who recorded them, with the issued papers each changed.

    An event's lag is the day it was recorded less the day it took effect. The day it
    was recorded is its recording time's date in this machine's time zone, the zone in
    which --on defaults to today when a change is recorded (so a change recorded
    without --on has a lag of 0).

    --from and --to choose by the day an event was recorded, not the day it took
    effect: an auditor reviewing a period asks what was entered in it, and an entry made
    in the period but dated long before is the one to find.

    Events are listed by actor (names as roles compare them, whatever their case and
    spacing, in alphabetical order), each actor's in the order recorded. An issued
    paper (pack --issue) is named against an event that took effect by its meeting but
    was recorded after the paper was read: the event changed what that paper would say
    if it were written now.

    \b
    Examples:
      ragw backdated
      ragw backdated --days 30 --from 2019-10-01 --to 2019-12-31
      ragw backdated --days 0 --format csv > late-entries.csv
      ragw backdated --format json
    """
    from projections.usecases.audit_log import backdated as backdated_read

    read = backdated_read(
        session_of(ctx).uses,
        days=lag_days(days),
        recorded_from=parse_day(recorded_from, "--from"),
        recorded_to=parse_day(recorded_to, "--to"),
    )
    entries = read.entries
    if fmt == "json":
        emit_json_lines("events", (entry.to_json() for entry in entries), {"days": read.days})
        return
    by_actor: dict[str, int] = {}
    for entry in entries:
        by_actor[entry.actor] = by_actor.get(entry.actor, 0) + 1
    emit_rows(
        ["actor", "id", "type", "on", "recorded at", "lag (days)", "details", "papers changed"],
        lambda: (
            [
                str(entry.by),
                entry.id,
                entry.type,
                entry.on,
                entry.recorded_at.isoformat(timespec="seconds"),
                str(entry.lag_days),
                entry.details,
                ", ".join(entry.papers),
            ]
            for entry in entries
        ),
        fmt,
        wrap={"details": 40, "papers changed": 30},
        title=f"Events recorded more than {read.days} day"
        + ("" if read.days == 1 else "s")
        + f" after they took effect: {len(entries)}",
        footer="  ".join(f"{name}: {n}" for name, n in by_actor.items()) or None,
    )


@click.command()
@click.argument("committee_code", metavar="COMMITTEE")
@click.argument("day", metavar="DATE")
@click.option(
    "--out",
    "out",
    default=None,
    metavar="FILE.html|FILE.docx",
    help="Where to write the pack; its suffix chooses the format.",
)
@force_option
@known_at_option
@click.option(
    "--days",
    default="14",
    show_default=True,
    metavar="N",
    help="Back-dated: recorded more than N days (0 to 36500) after the day it took effect.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json"]),
    default=None,
    help="Print the pack as JSON instead of writing a file.",
)
@click.option(
    "--include-restricted",
    "include_restricted",
    is_flag=True,
    help="Show what was written of restricted reports' items (text, notes, reasons, "
    "evidence) in full, not withheld: for a pack that goes to the committee alone.",
)
@click.pass_context
def audit(
    ctx: click.Context,
    committee_code: str,
    day: str,
    out: str | None,
    force: bool,
    as_known_at: str | None,
    days: str,
    fmt: str | None,
    include_restricted: bool,
) -> None:
    """Write an audit pack for the paper of COMMITTEE's meeting on DATE.

    For an auditor's file, in one document: the items of the paper restated since
    (as `ragw restatements` lists them); the entries recorded more than --days days
    after the day they took effect (as `ragw backdated` lists them); the deadline
    extensions granted, each with its justification, and the extensions requested;
    every sign-off request (completion claimed, extension or closure requested) with
    who claimed it and who signed it off or rejected it, or that it is still pending;
    and the verdict of `ragw verify` with the ledger's digest.

    The period the paper covers runs from the day after the committee's meeting
    before this one (the ledger's start when there was none) to the end of the
    meeting's day, as known now or at --as-known-at: back-dated entries, extensions
    and sign-offs are those recorded in it (a sign-off request is in it when it, or
    its decision, was); what was recorded after the meeting's day shows among the
    restated items. A ledger that fails to verify still gets its pack, which says
    what failed.

    Of the items of restricted reports the pack shows the keys, statuses, dates and
    who recorded what, and withholds what was written of them (text, notes, reasons,
    evidence, links) as `ragw pack` does; --include-restricted shows it in full, under
    a banner: not for publication (a pack for the committee alone).

    .html: a self-contained page ready to print on A4. .docx: the same pack as a
    Word document. An existing FILE is replaced only with --force.

    \b
    Examples:
      ragw audit PRMSC 2019-11-15 --out audit.html
      ragw audit PRMSC 2019-11-15 --out audit.docx --days 30
      ragw audit PRMSC 2019-11-15 --out audit.html --as-known-at 2019-12-31T17:00:00Z
      ragw audit PRMSC 2019-11-15 --format json > audit.json
      ragw audit PRMSC 2019-11-15 --out committee-only.html --include-restricted
    """
    from projections.usecases.audit import audit_pack

    if fmt == "json" and out is not None:
        refuse("--format json prints the pack; leave out --out, or leave out --format")
    path = None
    if fmt is None:
        path = output_path(
            out, (".html", ".htm", ".docx"), "the pack is written as .html or .docx", force=force
        )
    lag = lag_days(days)
    pack = audit_pack(
        session_of(ctx).uses,
        committee_code,
        meeting_day(day),
        as_known_at=parse_moment(as_known_at),
        days=lag,
        include_restricted=include_restricted,
    )
    if path is None:
        click.echo(dump_document(pack.to_json()))
        return
    if path.suffix.lower() == ".docx":
        from render.audit_docx import write_audit_docx  # python-docx: for .docx only

        with replacing(path, "wb") as handle:
            write_audit_docx(pack, handle)
    else:
        from render.audit_html import render_audit_html  # jinja2: for HTML only

        with replacing(path) as handle:
            handle.write(render_audit_html(pack))
    found = pack.audited
    click.echo(
        f"wrote {path}: {len(pack.restated.restatements.items)} restated, "
        f"{len(pack.backdated)} back-dated, {len(found.extensions)} extensions granted, "
        f"{len(found.sign_offs)} sign-off requests; verify: "
        + ("intact" if pack.verdict.intact else "FAILED")
        + (f"; ledger digest {pack.digest}" if pack.digest else ""),
        err=True,
    )
