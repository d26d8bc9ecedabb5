"""Writes to items: add a report's recommendations, and every change an item goes
through (status, deadline, notes, owner, closing, completion and its sign-off,
corrections). Each parses its input and calls one ledger method. Registering a report
is :mod:`cli.reports`' (``report`` stays importable from here)."""

from __future__ import annotations

import click

from cli.common import LedgerGroup, link_option, on_option, parse_day, record, refuse
from cli.relevance import to_option
from cli.reports import report as report


@click.group(cls=LedgerGroup)
def rec() -> None:
    """Recommendations (items on the board)."""


@rec.command("add")
@click.argument("code")
@click.argument("ref")
@click.option(
    "--kind", required=True, metavar="recommendation|afi|concern", help="What the report calls it."
)
@click.option("--text", required=True, help="The recommendation's text.")
@click.option("--owner", default=None, metavar="ROLE", help="Who owns it, e.g. 'D/Supt PSD'.")
@click.option(
    "--lead", default=None, metavar="BODY", help="Who must deliver it when it is not the force."
)
@click.option(
    "--due",
    default=None,
    metavar="DUE",
    help="Due date in any form papers use: 2020-11-30, 'November 2020', 'within three months', 'to be set', 'October 2018 Now January 2020'.",
)
@click.option(
    "--status",
    default=None,
    metavar="STATUS",
    help="GREEN, AMBER, RED or WHITE; omit while not yet assessed.",
)
@click.option("--reason", default=None, help="Why, for RED or WHITE.")
@to_option
@on_option
@click.pass_context
def rec_add(
    ctx: click.Context,
    code: str,
    ref: str,
    kind: str,
    text: str,
    owner: str | None,
    lead: str | None,
    due: str | None,
    status: str | None,
    reason: str | None,
    to: tuple[str, ...],
    on: str | None,
) -> None:
    """Add recommendation REF of report CODE; its key is CODE/REF.

    The item is on the board from its --on date.

    \b
    Example:
      ragw rec add BETRAYAL 4a --kind recommendation --text "Record corruption..." \\
          --due "April 2020" --status AMBER --owner "D/Supt PSD" --on 2019-11-01
      ragw rec add INFOMGMT15 COP --kind recommendation --text "..." --to "College of Policing"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.issue_recommendation(
            code,
            ref,
            kind=kind,
            text=text,
            owner=owner,
            lead=lead,
            due=due,
            status=status,
            reason=reason,
            actor=actor,
            on=parse_day(on, "--on"),
            to=to,
        ),
    )


@click.command()
@click.argument("key")
@click.argument("status", metavar="GREEN|AMBER|RED|WHITE")
@click.option("--reason", default=None, help="Why; required for RED and WHITE.")
@on_option
@click.pass_context
def status(ctx: click.Context, key: str, status: str, reason: str | None, on: str | None) -> None:
    """Record a new RAGW status for KEY.

    \b
    Examples:
      ragw status PEEL1819/4 GREEN --on 2019-11-01
      ragw status FRAUD/9 RED --reason "Policy still at consultation"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.change_status(
            key, status, reason=reason, actor=actor, on=parse_day(on, "--on")
        ),
    )


@click.command()
@click.argument("key")
@click.option(
    "--to",
    "to",
    default=None,
    metavar="DATE",
    help="The new due date (YYYY-MM-DD), later than the current one.",
)
@click.option("--reason", default=None, help="The justification (required).")
@link_option
@on_option
@click.pass_context
def extend(
    ctx: click.Context,
    key: str,
    to: str | None,
    reason: str | None,
    links: tuple[str, ...],
    on: str | None,
) -> None:
    """Extend KEY's due date, with a justification. The original date is kept.

    Where a committee grants extensions (`ragw committee sign-off CODE --for
    extensions`), this asks for the extension: it awaits sign-off by governance.

    \b
    Example:
      ragw extend HATE/6 --to 2020-01-31 --reason "Bedding in the new Force Resolution Centre"
    """
    if to is None:
        refuse("an extension needs --to DATE, the new due date (YYYY-MM-DD)")
    new_due = parse_day(to, "--to")
    assert new_due is not None
    record(
        ctx,
        lambda ledger, actor: ledger.extend_deadline(
            key,
            to=new_due,
            reason=reason or "",
            links=links,
            actor=actor,
            on=parse_day(on, "--on"),
        ),
        requests=True,
    )


@click.command()
@click.argument("key")
@click.argument("due", metavar="DUE")
@click.option("--reason", default=None, help="Who set it, or why.")
@on_option
@click.pass_context
def due(ctx: click.Context, key: str, due: str, reason: str | None, on: str | None) -> None:
    """Set a due date for KEY where none was set ("to be set").

    \b
    Example:
      ragw due CYBER/2 "March 2020" --reason "Set by the force to align with the next inspection"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.set_deadline(
            key, due, reason=reason, actor=actor, on=parse_day(on, "--on")
        ),
    )


@click.command()
@click.argument("key")
@click.argument("text")
@on_option
@click.pass_context
def note(ctx: click.Context, key: str, text: str, on: str | None) -> None:
    """Record progress on KEY (the latest note is the board's comment).

    \b
    Example:
      ragw note PEEL1819/5 "Peer review booked for 20 November"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.note_progress(
            key, text, actor=actor, on=parse_day(on, "--on")
        ),
    )


@click.command()
@click.argument("key")
@click.argument("owner")
@on_option
@click.pass_context
def assign(ctx: click.Context, key: str, owner: str, on: str | None) -> None:
    """Make OWNER (a role) responsible for KEY.

    \b
    Example:
      ragw assign BETRAYAL/5 "D/Supt PSD"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.assign_owner(
            key, owner, actor=actor, on=parse_day(on, "--on")
        ),
    )


@click.command()
@click.argument("key")
@click.option("--reason", default=None, help="Why it comes off the tracker (required).")
@link_option
@on_option
@click.pass_context
def close(
    ctx: click.Context, key: str, reason: str | None, links: tuple[str, ...], on: str | None
) -> None:
    """Take KEY off the tracker without implementing it (e.g. superseded).

    Where a committee requires sign-off for closures, this asks for closing: the item
    stays open until governance signs it off.

    \b
    Example:
      ragw close PEEL17/3 --reason "Superseded by PEEL 2018/19 AFI 4"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.close_recommendation(
            key, reason=reason or "", links=links, actor=actor, on=parse_day(on, "--on")
        ),
        requests=True,
    )


@click.command()
@click.argument("key")
@click.option("--evidence", default=None, help="What was done, and how it shows (required).")
@link_option
@on_option
@click.pass_context
def complete(
    ctx: click.Context, key: str, evidence: str | None, links: tuple[str, ...], on: str | None
) -> None:
    """Record that KEY is implemented, with its evidence. It shows as GREEN pending
    sign-off until governance signs it off (then it is GREEN) or rejects it.

    \b
    Example:
      ragw complete PEEL1819/4 --evidence "Policy published and briefed to all staff" \\
        --link https://intranet.example/policies/lifetime-management.pdf
    """
    record(
        ctx,
        lambda ledger, actor: ledger.claim_completion(
            key, evidence=evidence or "", links=links, actor=actor, on=parse_day(on, "--on")
        ),
        requests=True,
    )


def _decided(given: str) -> tuple[str, int | None]:
    """KEY, or the id of its request (KEY@VERSION): the item, and the request's version
    when named (the decision is then on that request alone)."""
    if "@" not in given:
        return given, None
    from ledger.keys import split_event_id

    return split_event_id(given)


@click.command("sign-off")
@click.argument("key")
@click.option("--note", default=None, help="What the check found (optional).")
@on_option
@click.pass_context
def sign_off(ctx: click.Context, key: str, note: str | None, on: str | None) -> None:
    """Accept KEY's request pending sign-off: GREEN, a closure, or an extension. It
    takes effect as of --on. Only governance signs off, never who asked. Name the
    request itself (KEY@VERSION, its id in `ragw board --pending --format json`) to
    sign off that request alone: refused if another awaits by then.

    \b
    Examples:
      ragw board --pending
      ragw sign-off PEEL1819/4 --note "Checked the published policy"
      ragw sign-off PEEL1819/4@6 --note "Checked the evidence of request 6"
    """
    item, request = _decided(key)
    record(
        ctx,
        lambda ledger, actor: ledger.sign_off(
            item, note=note, actor=actor, on=parse_day(on, "--on"), request=request
        ),
    )


@click.command()
@click.argument("key")
@click.option("--reason", default=None, help="Why it is not accepted (required).")
@on_option
@click.pass_context
def reject(ctx: click.Context, key: str, reason: str | None, on: str | None) -> None:
    """Refuse KEY's request pending sign-off, with a reason; the item stays as it was.
    Name the request itself (KEY@VERSION) to reject that request alone.

    \b
    Examples:
      ragw reject PEEL1819/4 --reason "The policy is still in draft; attach the published one"
      ragw reject PEEL1819/4@6 --reason "The policy attached is the draft"
    """
    item, request = _decided(key)
    record(
        ctx,
        lambda ledger, actor: ledger.reject_sign_off(
            item, reason=reason or "", actor=actor, on=parse_day(on, "--on"), request=request
        ),
    )


@click.command()
@click.argument("event_id")
@click.option("--reason", default=None, help="What was wrong (required).")
@on_option
@click.pass_context
def correct(ctx: click.Context, event_id: str, reason: str | None, on: str | None) -> None:
    """Retract a mistaken event. It stays in the history, marked as corrected.

    \b
    Example:
      ragw correct PEEL1819/4@3 --reason "GREEN was recorded against the wrong item"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.correct_event(
            event_id, reason=reason or "", actor=actor, on=parse_day(on, "--on")
        ),
    )
