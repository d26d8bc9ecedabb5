"""Owners reminded: where each owner's reminders go (``owner``), one digest email per
owner (``remind``), and an owner's due dates as a calendar (``calendar``)."""

from __future__ import annotations

import os
import re
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import click

from cli.common import (
    DONE_AS_PRINTED,
    LedgerGroup,
    cut_short,
    force_option,
    output_path,
    parse_day,
    record,
    refuse,
    session_of,
    span_days,
)
from cli.hints import cli_text
from cli.mailing import (
    PASSWORD_VARIABLE,
    SMTP_TIMEOUT,
    SMTP_VARIABLE,
    USER_VARIABLE,
    Sent,
    send_all,
)
from cli.render import Output, emit, format_option
from cli.sheets import replacing
from ledger.errors import LedgerError
from projections.usecases.reminders import WITHIN_DAYS, Digest, owner_calendar, reminders_due

__all__ = ["PASSWORD_VARIABLE", "SMTP_TIMEOUT", "SMTP_VARIABLE", "USER_VARIABLE", "Sent"]


@click.group(cls=LedgerGroup)
def owner() -> None:
    """Owners (the roles named on the board) and where their reminders go."""


@owner.command("contact")
@click.argument("name", metavar="OWNER")
@click.option(
    "--email",
    "emails",
    multiple=True,
    metavar="ADDR",
    help="An address the owner's reminders go to; repeat to copy several people.",
)
@click.option(
    "--clear", is_flag=True, help="Remove every address: the owner is no longer reminded."
)
@click.pass_context
def owner_contact(ctx: click.Context, name: str, emails: tuple[str, ...], clear: bool) -> None:
    """Send OWNER's reminders to these addresses from now on (each time the whole list:
    it replaces the addresses before; --clear removes them all). Governance, or whoever
    acts for OWNER, sets them; each change is an event of the owners' stream (_owners).

    \b
    Examples:
      ragw owner contact 'Head of Crime' --email dci.crime@example.org
      ragw owner contact 'Head of Crime' --email a@example.org --email b@example.org
      ragw owner contact 'Head of Crime' --clear
    """
    if clear and emails:
        refuse("--clear removes every address; give it alone, or --email without it")
    if not clear and not emails:
        refuse("give --email ADDR (repeat for more), or --clear to remove every address")
    record(ctx, lambda ledger, actor: ledger.set_owner_contact(name, emails, actor=actor))


@owner.command("list")
@format_option
@click.pass_context
def owner_list(ctx: click.Context, fmt: str) -> None:
    """Every owner with an address, and where their reminders go.

    \b
    Example:
      ragw owner list --format json
    """
    contacts = session_of(ctx).uses.ledger(write=False).contacts()
    kept = sorted(contacts.emails.values()) if contacts is not None else []
    emit(
        Output(
            {"owners": [{"owner": name, "emails": list(emails)} for name, emails in kept]},
            ["owner", "emails"],
            [[name, ", ".join(emails)] for name, emails in kept],
        ),
        fmt,
    )


def parse_within(text: str) -> int:
    """ "45d", "6w", "2m" (30-day months) or a bare number of days."""
    days = span_days(text)
    if days is None:
        refuse(f"--within {text!r} is not a span; write e.g. 45d, 6w or 2m")
    return days


def parse_server(text: str) -> tuple[str, int]:
    """HOST:PORT: a host name, an IPv4 address or a bracketed IPv6 one, and a port."""
    match = re.fullmatch(r"\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})\s*", text)
    if not match or not 0 < int(match[2]) < 65536:
        refuse(f"--smtp {text!r} is not a mail server; write HOST:PORT, e.g. smtp.example.org:587")
    return match[1].strip("[]"), int(match[2])


def parse_base_url(text: str | None) -> str | None:
    if text is None:
        return None
    if not re.fullmatch(r"https?://[^\s<>\"'?#]+", text.strip()):
        refuse(
            f"--base-url {text!r} is not a web address without a query or fragment "
            "(each item's path is added to it); write e.g. https://ragw.example.org"
        )
    return text.strip().rstrip("/")


def _file_name(day: date, owner: str, taken: set[str]) -> str:
    stem = f"{day.isoformat()}-{re.sub(r'[^A-Za-z0-9]+', '-', owner).strip('-')[:60] or 'owner'}"
    name, count = f"{stem}.eml", 1
    while name in taken:
        count += 1
        name = f"{stem}-{count}.eml"
    taken.add(name)
    return name


@click.command("remind")
@click.option("--on", "on", metavar="DATE", help="The day the board is read as at. Default: today.")
@click.option(
    "--within",
    "within",
    default=f"{WITHIN_DAYS}d",
    show_default=True,
    metavar="SPAN",
    help="Items due within this span of --on are listed after the overdue ones (45d, 6w, 2m).",
)
@click.option(
    "--smtp",
    "server",
    metavar="HOST:PORT",
    help=f"The mail server to send through (STARTTLS when it offers it). Env: {SMTP_VARIABLE}; "
    f"sign-in from {USER_VARIABLE} and {PASSWORD_VARIABLE}.",
)
@click.option(
    "--smtp-insecure",
    "insecure",
    is_flag=True,
    help="Send even where the server does not offer STARTTLS, so the messages (and "
    f"{USER_VARIABLE}'s password, when set) go in clear: only on a network you trust, such "
    "as to a relay on this machine.",
)
@click.option(
    "--from",
    "sender",
    default="ragw@localhost",
    show_default=True,
    metavar="ADDR",
    help="Who the reminders come from.",
)
@click.option(
    "--base-url",
    "base_url",
    metavar="URL",
    help="The web service's address: each item links to BASE/items/CODE/REF.",
)
@click.option(
    "--out",
    "out",
    metavar="DIR",
    help="Write each message to DIR as a .eml file (replacing one of the same name) instead "
    "of, or as well as, sending it; a file written is not recorded as sent.",
)
@click.pass_context
def remind(
    ctx: click.Context,
    on: str | None,
    within: str,
    server: str | None,
    insecure: bool,
    sender: str,
    base_url: str | None,
    out: str | None,
) -> None:
    """Email each owner one reminder of their open items overdue, or due within --within
    of --on (the board's rules), overdue first, then due soon, then those past their
    date but waiting on another body (WHITE, never overdue), and record each message the mail server
    took on every item it lists: `ragw history KEY` shows it, the board's JSON gives
    the day as "reminded", and a run repeated the same day sends nothing again.

    Owners with such items but no address (ragw owner contact), items with no owner,
    and messages the server refused (nothing is recorded for them) are named in one
    Error: line on stderr, exit status 1, after the rest were sent. Nothing to send:
    it says so, exit 0. Without --smtp (or RAGW_SMTP) and --out nothing is sent: the
    messages that would be are listed.

    \b
    Examples:
      ragw remind --smtp smtp.example.org:587 --from ragw@example.org \\
          --base-url https://ragw.example.org
      ragw remind --on 2019-11-15 --within 6w --out reminders/
      RAGW_SMTP=mail.example.org:587 ragw remind  # e.g. daily, from cron or a timer
      ragw remind --smtp localhost:25 --smtp-insecure  # a relay on this machine, no STARTTLS
    """
    session = session_of(ctx)
    day = parse_day(on, "--on") or session.uses.ledger(write=False).today()
    span = parse_within(within)
    server = server or os.environ.get(SMTP_VARIABLE) or None
    link_base = parse_base_url(base_url)
    folder = Path(out) if out else None
    if folder is not None and not folder.is_dir():
        refuse(f"--out {out}: folder does not exist; create it first")
    from ledger.aggregates.owners import check_email

    sender = check_email(sender)
    address = parse_server(server) if server else None
    if address is not None:
        # what is sent is recorded as at this day: a day the record would refuse must
        # be refused before anything is sent
        session.ledger(write=True).check_on(day)
    due = reminders_due(session.uses, on=day, within_days=span)
    missed = [
        f"no owner to remind of {', '.join(keys)}"
        if who is None
        else f"no address for {who} ({', '.join(keys)}): set one with "
        f"`ragw owner contact {who!r} --email ADDR`"
        for who, keys in due.unreachable.items()
    ]
    if missed:  # its answer (its exit status) decided before it prints
        session.if_cut_short = cut_short(NOT_REMINDED)
    delivered = 0
    if not due.digests:
        already = (
            f" ({due.sent_already} items reminded that day already)" if due.sent_already else ""
        )
        click.echo(f"nothing to send as at {day.isoformat()}{already}")
    else:
        failed, delivered = _deliver(
            ctx, due.digests, day, span, sender, link_base, folder, (address, insecure)
        )
        missed += failed
    if missed:
        rest = " (the rest were)" if delivered else ""
        raise click.ClickException(f"{len(missed)} not reminded: " + "; ".join(missed) + rest)


#: What a listing of reminders cut short says when some owners cannot be reminded.
NOT_REMINDED = (
    "some owners could not be reminded, which it lists once its output is read to the end"
)


def _deliver(
    ctx: click.Context,
    digests: list[Digest],
    day: date,
    span: int,
    sender: str,
    link_base: str | None,
    folder: Path | None,
    server: tuple[tuple[str, int] | None, bool],
) -> tuple[list[str], int]:
    """Each digest as a message, written to ``folder`` and sent to the server (its
    address, and whether it may be signed in to in clear); what could not be sent,
    and how many were sent (or else written)."""
    from render.reminders import reminder_message

    address, insecure = server
    domain = sender.rpartition("@")[2]
    missed: list[str] = []
    messages: list[tuple[Digest, EmailMessage]] = []
    for digest in digests:
        try:
            message = reminder_message(
                digest, on=day, within_days=span, sender=sender, base_url=link_base, domain=domain
            )
        except LedgerError as error:  # this owner's alone: the others are still sent
            missed.append(cli_text(error))
            continue
        messages.append((digest, message))
    session = session_of(ctx)
    if address is not None or folder is not None:  # each one sent (and recorded), or
        session.if_cut_short = DONE_AS_PRINTED  # written, then printed, in turn
    elif missed:  # a listing, whose answer (its exit status) is decided already
        session.if_cut_short = cut_short(NOT_REMINDED)
    if folder is not None:
        taken: set[str] = set()
        for digest, message in messages:
            path = folder / _file_name(day, digest.owner, taken)
            with replacing(path, "wb") as file:
                file.write(bytes(message))
            click.echo(f"wrote {path}")
    if address is not None:
        refused, sent = send_all(ctx, address, messages, day, insecure=insecure)
        return missed + refused, sent
    if folder is None:
        for digest, _ in messages:
            click.echo(
                f"would remind {digest.owner} at {', '.join(digest.addresses)}: "
                f"{', '.join(digest.keys)}"
            )
        click.echo(
            f"nothing sent: give --smtp HOST:PORT (or set {SMTP_VARIABLE}) to send, "
            "or --out DIR to write the messages"
        )
    return missed, len(messages) if folder is not None else 0


@click.command("calendar")
@click.option("--owner", "who", required=True, metavar="OWNER", help="Whose items (any case).")
@click.option("--out", "out", metavar="FILE.ics", help="The calendar file to write.")
@click.option("--on", "on", metavar="DATE", help="The day the board is read as at. Default: today.")
@click.option(
    "--base-url", "base_url", metavar="URL", help="Each to-do links to BASE/items/CODE/REF."
)
@force_option
@click.pass_context
def calendar(
    ctx: click.Context, who: str, out: str | None, on: str | None, base_url: str | None, force: bool
) -> None:
    """Write OWNER's open items as an iCalendar file: one to-do (VTODO) per item, due on
    its due date, that calendar clients update in place when the date moves.

    \b
    Example:
      ragw calendar --owner 'Head of Crime' --out crime.ics
    """
    path = output_path(out, (".ics",), "the calendar file", force=force)
    session = session_of(ctx)
    day = parse_day(on, "--on") or session.uses.ledger(write=False).today()
    found = owner_calendar(session.uses, owner=who, on=day)
    from render.reminders import calendar_ics

    with replacing(path, "wb") as file:
        file.write(calendar_ics(found, base_url=parse_base_url(base_url)))
    click.echo(f"wrote {path}: {len(found.lines)} open items of {found.owner}")
