"""Owners are reminded, against a real mail server the tests start (aiosmtpd on
127.0.0.1): one message per owner with an address, overdue items first, links to the
items' pages; each message the server took recorded on every item it lists, so the
items' histories and the board show it, and a run repeated the same day sends nothing;
a server that refuses records nothing for what it refused; item text is escaped in the
HTML part; an owner's calendar parses back with icalendar. On SQLite and PostgreSQL."""

from __future__ import annotations

import email
import json
import socket
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from icalendar import Calendar

from cli.main import main

ACTOR = "Strategic Development"
ON = "2019-11-15"
BASE = "https://ragw.example.org"
#: Owners given to the demo's items overdue or due within 45 days of ON, and where
#: their reminders go (Head of Uniform: nowhere).
OWNERS = {
    "FRAUD19/1": "Head of Crime",  # RED, due 2019-09-30: overdue
    "STALKING19/8": "Head of Crime",  # AMBER, due 2019-11-30: due soon
    "MENTAL18/3": "Head of Public Protection",
    "HATE18/8": "Head of Public Protection",
    "PEEL17/3": "Head of Uniform",
}
CRIME = ("crime@example.org", "dci@example.org")
PROTECTION = ("pp@example.org",)


def run(db: str, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--db", db, "--actor", ACTOR, *args])
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


class Mailbox:
    """What the server was sent: each message with its envelope's recipients. Refuses
    (550) the recipients in ``refused``."""

    def __init__(self, refused: tuple[str, ...] = ()) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refused = refused

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.received if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def mail_server(mailbox: Mailbox) -> Iterator[str]:
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(mailbox: Mailbox) -> Iterator[str]:
    yield from mail_server(mailbox)


@pytest.fixture
def demo(target: str) -> str:
    """The demo ledger, its items due by 45 days after ON given owners as at ON's month,
    and addresses for two of those owners."""
    run(target, "demo", "--db", target)
    for key, owner in OWNERS.items():
        run(target, "assign", key, owner, "--on", "2019-11-01")
    run(target, "owner", "contact", "Head of Crime", *[f"--email={a}" for a in CRIME])
    run(target, "owner", "contact", "Head of Public Protection", "--email", PROTECTION[0])
    return target


def text_of(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


def board(db: str) -> dict[str, dict[str, Any]]:
    document = json.loads(run(db, "board", "--as-at", ON, "--format", "json").stdout)
    return {item["key"]: item for item in document["items"]}


def test_each_owner_with_an_address_gets_one_message_and_nothing_is_sent_twice_a_day(
    demo: str, smtp: str, mailbox: Mailbox
) -> None:
    first = run(
        demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", "--base-url", BASE, code=1
    )
    assert "Head of Uniform" in first.stderr and "PEEL17/3" in first.stderr
    assert len(first.stderr.splitlines()) == 1
    assert len(mailbox.received) == 2
    crime = mailbox.to(CRIME[0])
    assert len(crime) == 1 and mailbox.to(CRIME[1]) == crime
    assert sorted(mailbox.received[0][0] + mailbox.received[1][0]) == sorted(CRIME + PROTECTION)
    plain = text_of(crime[0], "plain")
    # overdue first, then due soon; each with its link
    assert plain.index("FRAUD19/1") < plain.index("STALKING19/8")
    assert plain.index("Overdue") < plain.index("FRAUD19/1") < plain.index("Due within 45")
    assert f"{BASE}/items/FRAUD19/1" in plain
    assert f'href="{BASE}/items/STALKING19/8"' in text_of(crime[0], "html")
    assert "HATE18/8" not in plain
    protection = text_of(mailbox.to(PROTECTION[0])[0], "plain")
    assert "HATE18/8" in protection and "MENTAL18/3" in protection
    assert "FRAUD19/1" not in protection

    history = run(demo, "history", "FRAUD19/1", "--format", "json").stdout
    assert "ReminderSent" in history and str(crime[0]["Message-ID"]) in history
    rows = board(demo)
    assert rows["FRAUD19/1"]["reminded"] == ON and rows["STALKING19/8"]["reminded"] == ON
    assert rows["PEEL17/3"]["reminded"] is None and rows["PEEL1819/1"]["reminded"] is None

    again = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert "nothing to send" in again.stdout and len(mailbox.received) == 2

    run(demo, "owner", "contact", "Head of Uniform", "--email", "uniform@example.org")
    last = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure")
    assert len(mailbox.received) == 3 and "PEEL17/3" in text_of(mailbox.received[2][1], "plain")
    quiet = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure")
    assert "nothing to send" in quiet.stdout and len(mailbox.received) == 3
    assert "recorded PEEL17/3@" in last.stdout
    run(demo, "verify")


def test_a_refusing_server_records_nothing_for_what_it_refused(demo: str) -> None:
    mailbox = Mailbox(refused=(PROTECTION[0], CRIME[1]))
    for smtp in mail_server(mailbox):
        result = run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert "Head of Public Protection" in result.stderr and CRIME[1] in result.stderr
    # Head of Crime's went to one of the two addresses; Protection's to nobody
    assert [rcpt for rcpt, _ in mailbox.received] == [[CRIME[0]]]
    rows = board(demo)
    assert rows["FRAUD19/1"]["reminded"] == ON
    assert rows["HATE18/8"]["reminded"] is None and rows["MENTAL18/3"]["reminded"] is None
    log = json.loads(run(demo, "history", "FRAUD19/1", "--format", "json").stdout)
    sent = [e for e in log["events"] if e["type"] == "ReminderSent"]
    assert [e["addresses"] for e in sent] == [[CRIME[0]]]
    assert sent[0]["items"] == ["FRAUD19/1", "STALKING19/8"]
    # what was refused is sent by the next run the same day; nothing else is
    retry = Mailbox()
    for smtp in mail_server(retry):
        run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    assert [rcpt for rcpt, _ in retry.received] == [list(PROTECTION)]


def test_hostile_item_text_is_escaped_in_the_html_part(target: str, tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    run(
        target,
        "report",
        "add",
        "EVIL",
        "--title",
        "T",
        "--scope",
        "force",
        "--published",
        "2019-01-07",
    )
    run(
        target,
        "rec",
        "add",
        "EVIL",
        "1",
        "--kind",
        "afi",
        "--text",
        hostile,
        "--due",
        "2019-11-20",
        "--owner",
        "Head of <b>Crime</b>",
        "--on",
        "2019-02-01",
    )
    run(target, "owner", "contact", "Head of <b>Crime</b>", "--email", "crime@example.org")
    out = tmp_path / "mail"
    out.mkdir()
    result = run(target, "remind", "--on", ON, "--out", str(out), "--base-url", BASE)
    assert "wrote" in result.stdout
    (written,) = out.glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    html = text_of(message, "html")
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert hostile in text_of(message, "plain")
    # a file written is not a reminder sent: nothing is recorded
    assert board(target)["EVIL/1"]["reminded"] is None


def test_an_owners_calendar_has_one_todo_per_open_item_that_follows_its_due_date(
    demo: str, tmp_path: Path
) -> None:
    ics = tmp_path / "crime.ics"
    run(demo, "calendar", "--owner", "head of crime", "--on", ON, "--out", str(ics))
    todos = Calendar.from_ical(ics.read_bytes()).walk("VTODO")
    assert sorted(str(t["summary"]).split(":")[0] for t in todos) == ["FRAUD19/1", "STALKING19/8"]
    fraud = next(t for t in todos if str(t["summary"]).startswith("FRAUD19/1"))
    assert fraud.decoded("due").isoformat() == "2019-09-30"

    run(
        demo,
        "extend",
        "FRAUD19/1",
        "--to",
        "2020-03-31",
        "--reason",
        "Slipped",
        "--on",
        "2019-11-10",
    )
    again = tmp_path / "again.ics"
    run(demo, "calendar", "--owner", "Head of Crime", "--on", ON, "--out", str(again))
    moved = next(
        t
        for t in Calendar.from_ical(again.read_bytes()).walk("VTODO")
        if str(t["summary"]).startswith("FRAUD19/1")
    )
    assert moved["uid"] == fraud["uid"]
    assert moved.decoded("due").isoformat() == "2020-03-31"
    assert (
        int(moved["sequence"]) == int(fraud["sequence"]) + 1
        and moved.decoded("last-modified").date().isoformat() == "2019-11-10"
    )
    # the extension retracted: the due date moves back, and the to-do is revised again
    extension = json.loads(run(demo, "history", "FRAUD19/1", "--format", "json").stdout)
    run(demo, "correct", extension["events"][-1]["id"], "--reason", "Not agreed")
    back = tmp_path / "back.ics"
    run(demo, "calendar", "--owner", "Head of Crime", "--on", ON, "--out", str(back))
    retracted = next(
        t
        for t in Calendar.from_ical(back.read_bytes()).walk("VTODO")
        if str(t["summary"]).startswith("FRAUD19/1")
    )
    assert retracted.decoded("due").isoformat() == "2019-09-30"
    assert int(retracted["sequence"]) > int(moved["sequence"])
    # GREEN and CLOSED items are not to-dos
    run(demo, "status", "STALKING19/8", "GREEN", "--on", "2019-11-12")
    run(demo, "calendar", "--owner", "Head of Crime", "--on", ON, "--out", str(again), "--force")
    assert len(Calendar.from_ical(again.read_bytes()).walk("VTODO")) == 1


def test_a_backup_with_contacts_and_reminders_restores_through_their_rules(
    demo: str, tmp_path: Path
) -> None:
    out = tmp_path / "mail"
    out.mkdir()
    mailbox = Mailbox()
    for smtp in mail_server(mailbox):
        run(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure", code=1)
    run(demo, "owner", "contact", "Head of Crime", "--clear")
    backup = tmp_path / "backup.jsonl"
    run(demo, "export", "--out", str(backup))
    restored = str(tmp_path / "restored.db")
    run(restored, "restore", str(backup))
    assert board(restored)["FRAUD19/1"]["reminded"] == ON
    assert "Head of Crime" not in run(restored, "owner", "list").stdout
    # a second reminder of an item the same day could not have been recorded
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    sent = next(line for line in lines if line["type"] == "ReminderSent")
    versions = [int(line["id"].rpartition("@")[2]) for line in lines if line["key"] == sent["key"]]
    forged = {
        **sent,
        "id": f"{sent['key']}@{max(versions) + 1}",
        "position": max(line["position"] for line in lines) + 1,
        "payload": {**sent["payload"], "message_id": "<another@example.org>"},
    }
    backup.write_text("".join(json.dumps(line) + "\n" for line in [*lines, forged]))
    result = run(str(tmp_path / "refused.db"), "restore", str(backup), code=1)
    assert f"reminded on {ON} already" in result.stderr


def test_a_server_offering_starttls_is_sent_to_over_tls_signed_in_from_the_environment(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RAGW_SMTP names the server; the messages go over TLS (the server offers STARTTLS),
    signed in as RAGW_SMTP_USER with RAGW_SMTP_PASSWORD."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    signed_in: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        signed_in.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret")

    class OverTls(Mailbox):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            assert session.ssl is not None, "sent in clear"
            return await super().handle_DATA(server, session, envelope)

    mailbox = OverTls()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    try:
        run(
            target,
            "report",
            "add",
            "R",
            "--title",
            "T",
            "--scope",
            "force",
            "--published",
            "2019-01-07",
        )
        run(
            target,
            "rec",
            "add",
            "R",
            "1",
            "--kind",
            "afi",
            "--text",
            "Item",
            "--due",
            "2019-11-20",
            "--owner",
            "Head of Roads",
            "--on",
            "2019-02-01",
        )
        run(target, "owner", "contact", "Head of Roads", "--email", "roads@example.org")
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate
        monkeypatch.setenv("RAGW_SMTP", f"127.0.0.1:{controller.port}")
        monkeypatch.setenv("RAGW_SMTP_USER", "ragw")
        monkeypatch.setenv("RAGW_SMTP_PASSWORD", "s3cret")
        run(target, "remind", "--on", ON)
    finally:
        controller.stop()
    assert signed_in == [(b"ragw", b"s3cret")]
    assert [rcpt for rcpt, _ in mailbox.received] == [["roads@example.org"]]


def test_without_a_server_or_a_folder_nothing_is_sent_and_it_says_how(demo: str) -> None:
    result = run(demo, "remind", "--on", ON, code=1)
    assert "would remind Head of Crime at crime@example.org, dci@example.org" in result.stdout
    assert "give --smtp HOST:PORT" in result.stdout
    assert board(demo)["FRAUD19/1"]["reminded"] is None


def test_an_owner_sets_their_own_contact_details_and_governance_alone_sends_reminders(
    tmp_path: Path,
) -> None:
    # on SQLite: on PostgreSQL the actor is the database login (tests/cli/test_roles.py)
    target = str(tmp_path / "roles.db")
    run(
        target,
        "report",
        "add",
        "R",
        "--title",
        "T",
        "--scope",
        "force",
        "--published",
        "2019-01-07",
    )
    run(target, "role", "grant", ACTOR, "governance")
    run(target, "role", "grant", "Alice", "owner", "--acts-for", "Head of Crime")
    alice = ["--db", target, "--actor", "Alice"]
    mine = CliRunner().invoke(
        main, [*alice, "owner", "contact", "head of crime", "--email", "a@example.org"]
    )
    assert mine.exit_code == 0, mine.output
    theirs = CliRunner().invoke(
        main, [*alice, "owner", "contact", "Head of Roads", "--email", "a@example.org"]
    )
    assert theirs.exit_code == 1 and "needs its owner or governance" in theirs.stderr
    run(
        target,
        "rec",
        "add",
        "R",
        "1",
        "--kind",
        "afi",
        "--text",
        "Item",
        "--due",
        "2019-11-20",
        "--owner",
        "Head of Crime",
        "--on",
        "2019-02-01",
    )
    sending = CliRunner().invoke(main, [*alice, "remind", "--on", ON, "--smtp", "127.0.0.1:9"])
    assert sending.exit_code == 1 and "needs governance" in sending.stderr
    # the owner's own change restores through the same rule
    backup = tmp_path / "backup.jsonl"
    run(target, "export", "--out", str(backup))
    restored = str(tmp_path / "restored.db")
    run(restored, "restore", str(backup))
    assert "a@example.org" in run(restored, "owner", "list").stdout


def test_reminders_cut_short_by_a_closed_output_say_so_and_the_mail_server_is_not_blamed(
    demo: str, smtp: str, mailbox: Mailbox
) -> None:
    """Each reminder is sent, recorded, then printed, in turn: a reader that stops
    reading (``| head``) stops the run after the first, which was sent and recorded."""
    from tests.cli.test_closed_pipe import into_a_closed_pipe

    code, said = into_a_closed_pipe(demo, "remind", "--on", ON, "--smtp", smtp, "--smtp-insecure")
    assert code == 1 and said.startswith("Error: the output was closed"), said
    assert said.count("\n") == 1 and "mail server" not in said
    assert len(mailbox.received) == 1
    assert run(demo, "log", "--format", "csv").stdout.count("ReminderSent") >= 1


def test_reminders_listed_or_written_to_a_closed_output_do_not_end_as_done(
    demo: str, tmp_path: Path
) -> None:
    """A listing whose owners are not all reachable (Head of Uniform has no address)
    answers 1 however much of it is read; messages written to a folder one by one, cut
    short, are not said to be all written."""
    from tests.cli.test_closed_pipe import into_a_closed_pipe

    code, said = into_a_closed_pipe(demo, "remind", "--on", ON)
    assert code == 1 and "some owners could not be reminded" in said, said
    assert said.count("\n") == 1
    out = tmp_path / "out"
    out.mkdir()
    code, said = into_a_closed_pipe(demo, "remind", "--on", ON, "--out", str(out))
    assert code == 1 and "what it printed was done, what came after may not be" in said, said
    assert len(list(out.iterdir())) == 1  # the one it printed, and no more


def test_an_item_past_its_date_waiting_on_another_body_is_not_chased_as_due_soon(
    demo: str, tmp_path: Path
) -> None:
    """FRAUD19/1, due 2019-09-30, turned WHITE (another organisation must deliver): it is
    not overdue, and not due within 45 days either: its owner's digest lists it apart."""
    run(demo, "status", "FRAUD19/1", "WHITE", "--reason", "Awaits Action Fraud", "--on", ON)
    out = tmp_path / "mail"
    out.mkdir()
    # Head of Uniform has no address: said, and the rest written
    run(demo, "remind", "--on", ON, "--out", str(out), "--base-url", BASE, code=1)
    messages = [email.message_from_bytes(p.read_bytes(), policy=default) for p in out.glob("*.eml")]
    (crime,) = [m for m in messages if "STALKING19/8" in text_of(m, "plain")]  # type: ignore[arg-type]
    assert str(crime["Subject"]).endswith("0 overdue, 1 due soon, 1 waiting on others (2019-11-15)")
    plain = text_of(crime, "plain")  # type: ignore[arg-type]
    soon, waiting = plain.split("Past their date, waiting on another body (WHITE)")
    assert "FRAUD19/1" not in soon and "STALKING19/8" in soon and "FRAUD19/1" in waiting


class SlowMailbox(Mailbox):
    """A mail server that takes five seconds over each message."""

    started = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        self.started = True
        await asyncio.sleep(5)
        return await super().handle_DATA(server, session, envelope)


def test_two_runs_started_together_send_each_reminder_once(demo: str) -> None:
    """A scheduled run and one by hand, the server slow: the first holds the ledger's
    sending lock from its first message to its last record; the second sends nothing and
    says so in one line; each owner gets one message."""
    import sys
    import time

    mailbox = SlowMailbox()
    for smtp in mail_server(mailbox):
        command = [
            sys.executable,
            "-c",
            "import sys; from cli.main import main; sys.argv[0] = 'ragw'; main()",
            *(
                "--db",
                demo,
                "--actor",
                ACTOR,
                "remind",
                "--on",
                ON,
                "--smtp",
                smtp,
                "--smtp-insecure",
            ),
        ]
        first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waited = time.monotonic()
        while not mailbox.started:  # the first is sending its first message
            assert time.monotonic() - waited < 60 and first.poll() is None, first.stderr
            time.sleep(0.05)
        second = subprocess.run(command, capture_output=True, text=True, timeout=120)
        out, _ = first.communicate(timeout=120)
        assert "being sent by another process" in second.stderr, (second.stdout, second.stderr)
        assert second.returncode == 1 and second.stderr.count("\n") == 1
        assert len(mailbox.to(CRIME[0])) == 1 and len(mailbox.to(PROTECTION[0])) == 1, out
