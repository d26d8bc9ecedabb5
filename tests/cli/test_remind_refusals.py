"""Reminders cannot be turned against their readers, nor sent without being recorded:
a name cannot add headers or a body of its own to a reminder (one recorded before names
were checked is neutralised, and a message whose headers would change is refused for
its owner alone); a day the record would refuse is refused before anything is sent; a
corrected reminder, a run back-dated to another day, and a run overlapping another all
follow the one rule the record checks; the password never goes in clear; a restore
refuses a reminder its rules would not have recorded. Against real mail servers
(aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import ledger.inputs
from tests.cli.test_remind import (
    ACTOR,
    CRIME,
    ON,
    OWNERS,
    PROTECTION,
    Mailbox,
    board,
    free_port,
    mail_server,
    run,
    text_of,
)


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(mailbox: Mailbox) -> Iterator[str]:
    yield from mail_server(mailbox)


@pytest.fixture
def demo(target: str) -> str:
    """The demo ledger with owners and addresses as tests/cli/test_remind.py gives it."""
    run(target, "demo", "--db", target)
    for key, owner in OWNERS.items():
        run(target, "assign", key, owner, "--on", "2019-11-01")
    run(target, "owner", "contact", "Head of Crime", *[f"--email={a}" for a in CRIME])
    run(target, "owner", "contact", "Head of Public Protection", "--email", PROTECTION[0])
    return target


#: A name that, decoded by a mail reader, would add a Reply-To header and a body.
INJECTING = (
    "Ops =?utf-8?q?=0D=0AReply-To:_boss@evil.org=0D=0A=0D=0AURGENT_login_at_http://evil.org?="
)
#: The headers a reminder is built with, and nothing else.
HEADERS = ["Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"]


def reminders_recorded(db: str, key: str) -> list[dict[str, Any]]:
    log = json.loads(run(db, "history", key, "--format", "json").stdout)
    return [e for e in log["events"] if e["type"] == "ReminderSent"]


def test_a_name_recorded_before_names_were_checked_cannot_add_headers_to_its_reminder(
    demo: str, smtp: str, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a ledger from before the rule: the name was taken as it was
    with monkeypatch.context() as before:
        before.setattr(ledger.inputs, "check_name", lambda text, what: text)
        run(demo, "assign", "HATE18/8", INJECTING, "--on", "2019-11-01")
        run(demo, "owner", "contact", INJECTING, "--email", "ops@example.org")
    run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert len(mailbox.received) == 3
    for _, message in mailbox.received:
        assert list(message.keys()) == HEADERS and message.is_multipart()
        assert not str(message["Date"]).endswith("-0000")
    (ops,) = mailbox.to("ops@example.org")
    assert str(ops["Subject"]).startswith("Reminder for Ops = ?utf-8?q?=0D=0AReply-To:")
    assert "HATE18/8" in text_of(ops, "plain") and "evil" not in str(ops["Reply-To"])
    assert reminders_recorded(demo, "HATE18/8")[0]["owner"] == INJECTING


def test_a_day_in_the_future_is_refused_before_anything_is_sent(
    demo: str, smtp: str, mailbox: Mailbox
) -> None:
    result = run(
        demo,
        "remind",
        "--on",
        "2099-01-15",
        "--within",
        "3000d",
        "--smtp",
        smtp,
        "--smtp-insecure",
        code=1,
    )
    assert "in the future" in result.stderr and len(result.stderr.splitlines()) == 1
    assert mailbox.received == []
    assert reminders_recorded(demo, "FRAUD19/1") == []


def test_a_corrected_reminder_is_sent_again_once_and_recorded(
    demo: str, smtp: str, mailbox: Mailbox
) -> None:
    first = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    version = next(
        line.rpartition("@")[2] for line in first.stdout.splitlines() if "FRAUD19/1@" in line
    )
    run(demo, "correct", f"FRAUD19/1@{version}", "--reason", "Sent to the wrong desk", "--on", ON)
    again = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert "recorded FRAUD19/1@" in again.stdout and "not recorded" not in again.stderr
    resent = mailbox.to(CRIME[0])
    assert len(resent) == 2 and "STALKING19/8" not in text_of(resent[1], "plain")
    assert board(demo)["FRAUD19/1"]["reminded"] == ON
    quiet = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert "nothing to send" in quiet.stdout and len(mailbox.received) == 3


def test_a_run_back_dated_to_another_day_sends_nothing_twice_on_one_real_day(
    demo: str, smtp: str, mailbox: Mailbox
) -> None:
    run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert len(mailbox.received) == 2
    earlier = run(demo, "remind", "--on", "2019-11-14", "--smtp", smtp, "--smtp-insecure", code=1)
    assert "nothing to send" in earlier.stdout and len(mailbox.received) == 2
    assert len(reminders_recorded(demo, "FRAUD19/1")) == 1


class Overlapped(Mailbox):
    """While the first message is being taken, another run sends and records every
    reminder through another server."""

    def __init__(self, db: str, other: str) -> None:
        super().__init__()
        self.db, self.other, self.outcome = db, other, None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.outcome is None:
            ragw = str(Path(sys.executable).parent / "ragw")
            self.outcome = subprocess.run(
                [
                    ragw,
                    "--db",
                    self.db,
                    "--actor",
                    ACTOR,
                    "remind",
                    "--on",
                    ON,
                    "--smtp",
                    self.other,
                    "--smtp-insecure",
                ],
                capture_output=True,
                text=True,
                env={**os.environ},
                timeout=120,
            )
        return await super().handle_DATA(server, session, envelope)


def test_a_run_overlapping_another_sends_nothing_and_says_so(
    demo: str, smtp: str, mailbox: Mailbox
) -> None:
    """While the first run's first message is being taken, another run starts: the first
    holds the ledger's sending lock, so the other sends nothing (through its own server)
    and says so in one line; the first sends and records every reminder, once."""
    overlapped = Overlapped(demo, smtp)
    for first in mail_server(overlapped):
        result = run(demo, "remind", "--on", ON, "--smtp", first, "--smtp-insecure", code=1)
    other = overlapped.outcome
    assert other is not None and other.returncode == 1, other
    assert "reminders are being sent by another process" in other.stderr
    assert other.stderr.count("\n") == 1 and len(mailbox.received) == 0
    assert len(overlapped.received) == 2  # the first run's, every one
    assert "Head of Uniform" in result.stderr, "only the owner without an address is said"
    assert len(reminders_recorded(demo, "FRAUD19/1")) == 1


@pytest.fixture
def clear_text_server() -> Iterator[tuple[str, Mailbox, list[tuple[bytes, bytes]]]]:
    """A server that offers sign-in without STARTTLS."""
    signed_in: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        signed_in.append((data.login, data.password))
        return AuthResult(success=True)

    taken = Mailbox()
    controller = Controller(
        taken,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}", taken, signed_in
    finally:
        controller.stop()


def test_nothing_is_sent_in_clear_to_a_server_without_starttls_unless_told_to(
    demo: str,
    clear_text_server: tuple[str, Mailbox, list[tuple[bytes, bytes]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, taken, signed_in = clear_text_server
    clear = run(demo, "remind", "--on", ON, "--smtp", server, code=1)  # no password
    assert f"{server} does not offer STARTTLS, so the reminders would go in clear" in clear.stderr
    assert len(clear.stderr.splitlines()) == 1 and taken.received == []
    monkeypatch.setenv("RAGW_SMTP_USER", "ragw")
    monkeypatch.setenv("RAGW_SMTP_PASSWORD", "s3cret")
    refused = run(demo, "remind", "--on", ON, "--smtp", server, code=1)
    assert "does not offer STARTTLS" in refused.stderr and server in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert signed_in == [] and taken.received == []
    assert board(demo)["FRAUD19/1"]["reminded"] is None
    run(demo, "remind", "--on", ON, "--smtp", server, "--smtp-insecure", code=1)
    assert signed_in == [(b"ragw", b"s3cret")] and len(taken.received) == 2


@pytest.mark.parametrize(
    ("field", "forged", "why"),
    [
        ("owner", "Head of Roads", "a reminder to 'Head of Roads' is not of it"),
        ("items", "EXTRA", "'not a key' is not a recommendation key"),
        ("message_id", "<a@example.org>\r\nBcc: x@example.org", "message id written <left@"),
    ],
)
def test_a_restore_refuses_a_reminder_its_rules_would_not_have_recorded(
    demo: str, tmp_path: Path, field: str, forged: str, why: str
) -> None:
    for server in mail_server(Mailbox()):
        run(demo, "remind", "--on", ON, "--smtp", server, "--smtp-insecure", code=1)
    backup = tmp_path / "backup.jsonl"
    run(demo, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    at = next(i for i, line in enumerate(lines) if line["type"] == "ReminderSent")
    payload = lines[at]["payload"]
    payload[field] = [*payload["items"], "not a key"] if field == "items" else forged
    backup.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run(str(tmp_path / "refused.db"), "restore", str(backup), code=1)
    assert f"line {at + 1}: " in result.stderr and why in result.stderr, result.stderr


def test_a_web_address_with_a_query_or_fragment_is_refused(demo: str, tmp_path: Path) -> None:
    result = run(demo, "remind", "--on", ON, "--base-url", "https://x.org/?q=1#frag", code=1)
    assert "query or fragment" in result.stderr
    # and a link planted where a message is written is not followed
    out = tmp_path / "mail"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("kept")
    (out / f"{ON}-Head-of-Crime.eml").symlink_to(elsewhere)
    run(demo, "remind", "--on", ON, "--out", str(out), code=1)  # some owners have no address
    message = out / f"{ON}-Head-of-Crime.eml"
    assert elsewhere.read_text() == "kept" and not message.is_symlink()
    assert message.stat().st_mode & 0o777 == 0o600 and "FRAUD19" in message.read_text()


def test_a_server_that_cannot_be_reached_sends_nothing_and_still_names_who_has_no_address(
    demo: str,
) -> None:
    server = f"127.0.0.1:{free_port()}"  # nobody listens there
    result = run(demo, "remind", "--on", ON, "--smtp", server, code=1)
    assert f"{server} could not be used" in result.stderr and "nothing was sent" in result.stderr
    assert "Head of Uniform" in result.stderr and "the rest were" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert board(demo)["FRAUD19/1"]["reminded"] is None
