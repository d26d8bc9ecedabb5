"""``ragw verdict ORG KEY VERDICT`` and ``ragw verdicts ORG``: the inspectorate's verdict
on an organisation's item, given and listed, beside (never instead of) the
organisation's own status. Each parses its input and calls one use case."""

from __future__ import annotations

from datetime import date

import click

from cli.common import known_at_option, on_option, parse_day, parse_moment, session_of
from cli.national_issue import needs_org, opener, server_refusal
from cli.render import Output, emit, format_option
from ledger.formats import iso_utc


@click.command()
@click.argument("org")
@click.argument("key")
@click.argument("verdict", metavar="accepted|not-accepted|superseded")
@click.option(
    "--reason",
    default=None,
    metavar="TEXT",
    help="Why: what the inspectorate found (required).",
)
@on_option
@click.pass_context
def verdict(
    ctx: click.Context, org: str, key: str, verdict: str, reason: str | None, on: str | None
) -> None:
    """Record this inspectorate's (--org) VERDICT on organisation ORG's item KEY:
    accepted (its terms properly addressed), not-accepted, or superseded. Recorded in the
    inspectorate's own ledger, where no force writes; the force's own status is
    unchanged. A later verdict on the same item replaces it from its own day.

    \b
    Examples:
      ragw --org HMICFRS verdict WMP FRAUD19/9 accepted --reason "Fraud desk in place"
      ragw --org HMICFRS verdict COLP FRAUD19/9 not-accepted --reason "No plan" --on 2019-11-15
    """
    from projections.usecases.national_issue import give_verdict

    session = session_of(ctx)
    own = needs_org(session, "ragw verdict", "ragw --org HMICFRS verdict WMP FRAUD19/9 accepted")
    day = parse_day(on, "--on")
    with server_refusal(
        f"a verdict is written in the inspectorate's ledger after reading {org}'s item, "
        f"which only the store owner's login may: run `ragw --org {own} verdict` with that "
        "login in --db"
    ):
        ids = give_verdict(
            session.uses, opener(session), org, key, verdict, reason=reason or "", on=day
        )
    for event_id in ids:
        click.echo(f"recorded {event_id}")


@click.command()
@click.argument("org")
@click.option(
    "--as-at",
    "as_at",
    default=None,
    metavar="DATE",
    help="The verdicts in effect on this date. Default: today.",
)
@known_at_option
@format_option
@click.pass_context
def verdicts(
    ctx: click.Context, org: str, as_at: str | None, as_known_at: str | None, fmt: str
) -> None:
    """This inspectorate's (--org) verdicts on organisation ORG's items, each the one in
    effect on the day (the latest given by then), in the report's order.

    \b
    Examples:
      ragw --org HMICFRS verdicts WMP
      ragw --org HMICFRS verdicts WMP --as-at 2019-11-15 --format json
    """
    from projections.usecases.national_issue import verdicts_on

    session = session_of(ctx)
    needs_org(session, "ragw verdicts", "ragw --org HMICFRS verdicts WMP")
    day = parse_day(as_at, "--as-at") or date.today()
    known = parse_moment(as_known_at)
    found = verdicts_on(session.uses, org, as_at=day, known_at=known)
    held = org.strip().upper()
    document = {
        "org": held,
        "as_at": day.isoformat(),
        "as_known_at": iso_utc(known) if known else None,
        "verdicts": [
            {
                "key": v.key,
                "verdict": v.verdict.value,
                "reason": v.reason,
                "on": v.on.isoformat(),
                "recorded_at": iso_utc(v.recorded_at),
                "actor": v.actor,
            }
            for v in found
        ],
    }
    emit(
        Output(
            document=document,
            columns=["key", "verdict", "on", "reason", "by"],
            rows=[[v.key, v.verdict.value, v.on.isoformat(), v.reason, v.actor] for v in found],
            title=f"Verdicts on {held}'s items as at {day.isoformat()}: {len(found)}",
            wrap={"reason": 50},
        ),
        fmt,
    )
