"""Reminders handed to a mail server: a connection over TLS when the server offers
STARTTLS (and only then, unless told otherwise), each message sent and recorded
on the items it lists, and what was not sent or not recorded, said per owner."""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import TYPE_CHECKING

import click

from cli.common import refuse, session_of
from cli.hints import cli_text
from ledger.errors import LedgerError
from ledger.storage.sending import sending_lock
from projections.usecases.reminders import Digest

if TYPE_CHECKING:
    from ledger import Ledger

#: Where messages go when --smtp is not given, and who signs in there.
SMTP_VARIABLE, USER_VARIABLE, PASSWORD_VARIABLE = (
    "RAGW_SMTP",
    "RAGW_SMTP_USER",
    "RAGW_SMTP_PASSWORD",
)
#: How long a mail server may take to answer.
SMTP_TIMEOUT = 60


@dataclass
class Sent:
    """A message a mail server took: for whom of its recipients."""

    accepted: tuple[str, ...]
    refused: tuple[str, ...]


def _send(smtp: smtplib.SMTP, message: EmailMessage, digest: Digest) -> Sent:
    """Hand ``message`` to the server; what it refused outright raises."""
    refused = smtp.send_message(message)
    accepted = tuple(a for a in digest.addresses if a not in refused)
    return Sent(accepted, tuple(refused))


def _connect(address: tuple[str, int], *, insecure: bool) -> smtplib.SMTP:
    """A connection to the mail server at ``address``, over TLS, signed in when
    RAGW_SMTP_USER is set: never in clear (a server that does not offer STARTTLS could be
    anyone's in between, or its offer removed by one) unless ``insecure``."""
    host, port = address
    smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    try:
        smtp.ehlo()
        tls = smtp.has_extn("starttls")
        if tls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        user = os.environ.get(USER_VARIABLE)
        if not tls and not insecure:
            what = f"the reminders and {USER_VARIABLE}'s password" if user else "the reminders"
            refuse(
                f"the mail server {host}:{port} does not offer STARTTLS, so {what} would go "
                "in clear; nothing was sent (use a server that offers it, or --smtp-insecure "
                "on a network you trust, such as a relay on this machine)"
            )
        if user:
            smtp.login(user, os.environ.get(PASSWORD_VARIABLE, ""))
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_all(
    ctx: click.Context,
    address: tuple[str, int],
    messages: list[tuple[Digest, EmailMessage]],
    day: date,
    *,
    insecure: bool,
) -> tuple[list[str], int]:
    """Send each message and record those the server took; what was not sent, or sent
    and not recorded, and how many were sent."""
    session = session_of(ctx)
    ledger = session.ledger(write=True)
    # refused before anything is sent: a message sent that cannot be recorded would be
    # sent again by the next run
    ledger.authorize(session.actor, what="sending reminders")
    with sending_lock(session.target, session.org):  # one run sends at a time
        return _send_all(ledger, session.actor, address, messages, day, insecure=insecure)


def _send_all(
    ledger: Ledger,
    actor: str,
    address: tuple[str, int],
    messages: list[tuple[Digest, EmailMessage]],
    day: date,
    *,
    insecure: bool,
) -> tuple[list[str], int]:
    refused: list[str] = []
    done = sent_count = 0
    host, port = address
    try:
        smtp = _connect(address, insecure=insecure)
    except (smtplib.SMTPException, OSError) as error:
        said = " ".join(str(error).split())[:200]
        return [f"the mail server {host}:{port} could not be used ({said}); nothing was sent"], 0
    try:
        for digest, message in messages:
            owner = digest.owner
            # another run may have sent it meanwhile: the record's own rule, read again
            if any(ledger.reminded_already(key, day) for key in digest.keys):
                refused.append(f"{owner}'s items were reminded meanwhile; nothing sent to them")
                done += 1
                continue
            try:
                sent = _send(smtp, message, digest)
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
                said = " ".join(str(error).split())[:200]
                refused.append(f"the mail server refused {owner}'s reminder ({said})")
                click.echo(f"not sent to {owner}: refused; nothing recorded for it")
                done += 1
                continue
            done += 1
            sent_count += 1
            if sent.refused:
                refused.append(
                    f"the mail server refused {', '.join(sent.refused)} ({owner}'s "
                    "reminder went to the others only)"
                )
            try:
                ids = ledger.record_reminder(
                    owner,
                    addresses=sent.accepted,
                    keys=digest.keys,
                    message_id=str(message["Message-ID"]),
                    actor=actor,
                    on=day,
                )
            except LedgerError as error:
                refused.append(f"{owner}'s reminder was sent but not recorded: {cli_text(error)}")
                continue
            click.echo(
                f"reminded {digest.owner} at {', '.join(sent.accepted)}: "
                f"{', '.join(digest.keys)} ({message['Message-ID']})"
            )
            for event_id in ids:
                click.echo(f"recorded {event_id}")
    except BrokenPipeError:  # the output's reader, not the mail server (smtplib says that
        raise  # the server went away as SMTPServerDisconnected): cut short, as said there
    except (smtplib.SMTPException, OSError) as error:
        said = " ".join(str(error).split())[:200]
        left = ", ".join(digest.owner for digest, _ in messages[done:])
        refused.append(
            f"the mail server {host}:{port} failed ({said}); not sent to {left}: "
            "what was sent before is recorded"
        )
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
    return refused, sent_count
