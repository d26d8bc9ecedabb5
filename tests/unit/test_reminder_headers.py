"""A reminder's headers are exactly those it was built with: a value that would split
off a header of its own, or an encoded word a mail reader would decode into one, never
reaches a mail server."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import SMTP

import pytest

import render.reminders
from ledger.errors import LedgerError
from projections.usecases.reminders import Digest, ReminderLine

ON = date(2019, 11, 15)
LINE = ReminderLine("R/1", "Text", None, date(2019, 11, 1), None, 0, None, True, None)
INJECTING = "Ops =?utf-8?q?=0D=0AReply-To:_boss@evil.org=0D=0A=0D=0Abody?="


def message(owner: str) -> bytes:
    digest = Digest(owner, ("ops@example.org",), [LINE], [])
    built = render.reminders.reminder_message(
        digest, on=ON, within_days=45, sender="ragw@example.org"
    )
    return built.as_bytes(policy=SMTP)


@pytest.mark.parametrize("owner", [INJECTING, "Ops\r\nBcc: x@evil.org", "Ops\tof\n Crime"])
def test_an_owner_named_to_inject_headers_gets_a_reminder_with_only_its_own(owner: str) -> None:
    read = message_from_bytes(message(owner), policy=SMTP)
    assert [k for k in read if k.lower() in ("reply-to", "bcc")] == []
    assert read.is_multipart() and str(read["Subject"]).startswith("Reminder for Ops")


def test_a_message_whose_headers_would_change_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # as if the name were not made one line: the check of what is written catches it
    monkeypatch.setattr(render.reminders, "one_line", lambda name: name)
    with pytest.raises(LedgerError, match=r"would change them|cannot be written"):
        message(INJECTING)


def test_a_calendar_named_by_its_owner_keeps_the_owners_commas_and_semicolons_as_text() -> None:
    """The calendar's name is text, escaped as every text property is: a comma or a
    semicolon in an owner's name is part of the name, never a list's separator."""
    from projections.usecases.reminders import OwnerCalendar

    owner = 'Bob "<b@example.org>", =1+1; x'
    written = render.reminders.calendar_ics(OwnerCalendar(owner, date(2021, 1, 1), []))
    assert b'X-WR-CALNAME:Bob "<b@example.org>"\\, =1+1\\; x: due dates\r\n' in written
