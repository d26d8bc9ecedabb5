"""Reads for auditors: the entries recorded long after the day they say they took
effect, and the recording times the log's filters take."""

from __future__ import annotations

from datetime import date, datetime, time

import click

from cli.common import parse_day, refuse, session_of
from cli.render import format_option
from cli.streamed import emit_json_lines, emit_rows


def recorded_moment(value: str | None, option: str, *, end: bool) -> datetime | None:
    """A bound on recording time: an ISO 8601 moment (no zone: local time), or a date,
    which means its first moment (``end``: its last), local time, so a day given as a
    bound is wholly in."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time.max if end else time.min)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        refuse(
            f"{option} {value!r} is not a date or a date-time; write ISO 8601, e.g. "
            "2019-11-03 or 2019-11-03T10:15:00+00:00"
        )
    from ledger.due import within_years

    within_years(moment.date(), option, value)
    return moment if moment.tzinfo else moment.astimezone()


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

    try:
        lag = int(days.strip())
    except ValueError:
        refuse(f"--days {days!r} is not a whole number of days; give 0 to 36500, e.g. 14")
    if not 0 <= lag <= 36_500:
        refuse(f"--days {days!r} is outside 0 to 36500; give a number of days in that range")
    read = backdated_read(
        session_of(ctx).uses,
        days=lag,
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
                entry.by,
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
