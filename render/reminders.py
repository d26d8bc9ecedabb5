"""A reminder as an email (RFC 5322, plain text and HTML alternatives; the HTML's every
value escaped) and an owner's calendar (iCalendar, one to-do per open item), shared by
front ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email import message_from_bytes
from email.errors import MessageError
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from functools import cache
from urllib.parse import quote
from uuid import uuid5

from icalendar import Calendar, Todo, vText
from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from ledger.errors import InvalidInputError
from ledger.keys import NAMESPACE
from projections.usecases.reminders import Digest, OwnerCalendar, ReminderLine

#: The product that writes calendars, as iCalendar names it.
PRODID = "-//ragw//owners' due dates//EN"


@cache  # compiled once: a run renders a message per owner
def _template() -> Template:
    return Environment(
        loader=PackageLoader("render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    ).get_template("reminder.html.j2")


def item_url(base_url: str | None, key: str) -> str | None:
    """The web page of the item ``key`` (the web's item path), when there is a web."""
    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/items/{quote(key, safe='/')}"


def one_line(name: str) -> str:
    """``name`` as a header may hold it: on one line (every run of spaces, tabs and line
    breaks one space) and without "=?", which mail software decodes as an encoded word
    into whatever it holds, headers included (names recorded before they were refused)."""
    return " ".join(name.split()).replace("=?", "= ?")


def _checked(message: EmailMessage, subject: str) -> EmailMessage:
    """``message`` when, written out as it is sent, its header block holds exactly the
    headers it was built with and the subject it was given: nothing in a value could
    split off a header or a body of its own."""
    try:
        written = message.as_bytes(policy=SMTP)
    except (MessageError, ValueError) as error:
        raise InvalidInputError(
            "the reminder for {owner} cannot be written as an email ({why})",
            owner=repr(subject[:80]),
            why=" ".join(str(error).split())[:120],
        ) from None
    read = message_from_bytes(written, policy=SMTP)
    if (
        list(read.keys()) != list(message.keys())
        or " ".join(str(read["Subject"]).split()) != subject
    ):
        raise InvalidInputError(
            "the reminder {subject} would not reach its owner as built: a value in its "
            "headers would change them",
            subject=repr(subject[:80]),
        )
    return message


def _sections(digest: Digest, on: date, within_days: int) -> list[tuple[str, list[ReminderLine]]]:
    sections = []
    if digest.overdue:
        sections.append((f"Overdue as at {on.isoformat()}", digest.overdue))
    if digest.due_soon:
        sections.append((f"Due within {within_days} days of {on.isoformat()}", digest.due_soon))
    if digest.waiting:
        sections.append(
            (
                f"Past their date, waiting on another body (WHITE), as at {on.isoformat()}",
                digest.waiting,
            )
        )
    return sections


def _plain(line: ReminderLine, base_url: str | None) -> str:
    due = line.due.isoformat() if line.due else "not set"
    original = line.original_due.isoformat() if line.original_due else "not set"
    text = " ".join(line.text.split())
    parts = [
        f"- {line.key}: {text}",
        f"  due {due} (originally {original}; extended {line.times_extended} times)",
    ]
    url = item_url(base_url, line.key)
    if url:
        parts.append(f"  {url}")
    return "\n".join(parts)


def reminder_message(
    digest: Digest,
    *,
    on: date,
    within_days: int,
    sender: str,
    base_url: str | None = None,
    domain: str = "ragw.invalid",
) -> EmailMessage:
    """The email reminding ``digest``'s owner of their items: overdue first, then due
    soon; each with its key, text, due date, original due date and times extended, and
    a link to its page when ``base_url`` is given. Its Message-ID is new each time."""
    count = len(digest.keys)
    owner = one_line(digest.owner)
    subject = (
        f"Reminder for {owner}: {len(digest.overdue)} overdue, "
        f"{len(digest.due_soon)} due soon"
        + (f", {len(digest.waiting)} waiting on others" if digest.waiting else "")
        + f" ({on.isoformat()})"
    )
    greeting = (
        f"{owner}: {count} item{'s' if count != 1 else ''} on the board need "
        f"an update as at {on.isoformat()}."
    )
    closing = "This reminder is recorded in each item's history."
    sections = _sections(digest, on, within_days)
    plain = [greeting, ""]
    for heading, lines in sections:
        plain += [heading, "", *(_plain(line, base_url) for line in lines), ""]
    plain.append(closing)
    html = _template().render(
        subject=subject,
        greeting=greeting,
        sections=sections,
        closing=closing,
        link=lambda key: item_url(base_url, key),
    )
    message = EmailMessage()
    try:
        message["Subject"] = subject
        message["From"] = sender
        message["To"] = ", ".join(digest.addresses)
    except ValueError as error:  # a line break in a value: refused by the library
        raise InvalidInputError(
            "the reminder for {owner} cannot be written as an email ({why})",
            owner=repr(owner[:80]),
            why=" ".join(str(error).split())[:120],
        ) from None
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid("ragw", domain=domain)
    message.set_content("\n".join(plain) + "\n")
    message.add_alternative(html, subtype="html")
    return _checked(message, subject)


def calendar_ics(calendar: OwnerCalendar, *, base_url: str | None = None) -> bytes:
    """``calendar``'s items as iCalendar: one VTODO each, with its due date (DUE) where
    it has one. Each to-do keeps its UID for good (made from the item's key); its
    SEQUENCE (the item's version less one) rises with every change to the item, a due
    date moved back by a retraction too, and LAST-MODIFIED says when it was last
    extended, so calendar clients update it in place."""
    ics = Calendar()
    ics.add("prodid", PRODID)
    ics.add("version", "2.0")
    # a text, escaped as SUMMARY is (the library types a property it does not know as
    # raw text unless told)
    ics.add("x-wr-calname", vText(f"{one_line(calendar.owner)}: due dates"))
    stamp = datetime.now(UTC).replace(microsecond=0)
    for line in calendar.lines:
        todo = Todo()
        todo.add("uid", f"{uuid5(NAMESPACE, 'item:' + line.key)}@ragw")
        todo.add("dtstamp", stamp)
        todo.add("summary", f"{line.key}: {' '.join(line.text.split())[:200]}")
        todo.add("description", line.text)
        if line.due is not None:
            todo.add("due", line.due)
        todo.add("sequence", calendar.versions.get(line.key, 1) - 1)
        if line.last_moved is not None:
            todo.add("last-modified", datetime.combine(line.last_moved, time(), tzinfo=UTC))
        todo.add("status", "NEEDS-ACTION")
        url = item_url(base_url, line.key)
        if url:
            todo.add("url", url)
        ics.add_component(todo)
    return bytes(ics.to_ical())
