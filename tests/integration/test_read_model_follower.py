"""On PostgreSQL after `ragw admin init-roles` only the follower role writes the read
model: the server refuses every change to it by writer and reader logins, `ragw follow`
keeps it up to date, and a reader's answers are the fold's exactly while it lags."""

from __future__ import annotations

import itertools
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from projections.store import TABLES, TRACKING
from projections.usecases.session import LedgerSession
from tests.cli.test_verify import history
from tests.integration.test_postgres_roles import as_login, cli

_numbers = itertools.count(1)
EVERY_TABLE = (TRACKING, *TABLES)


@pytest.fixture
def logins(postgres: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A ledger under init-roles, with governance, owner, auditor and follower logins
    (none of them a superuser), the model caught up by the follower."""
    url = postgres.create_database(f"ragw_follow_{os.getpid()}_{next(_numbers)}")
    history(lambda *args, code=0: cli(url, *args, actor="Strategic Development", code=code))
    cli(url, "assign", "R/1", "Head of Roads", actor="Strategic Development")
    cli(url, "admin", "init-roles")
    suffix = f"fw{os.getpid()}_{next(_numbers)}"  # logins are the whole server's
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    found = {"owner": url}
    for who, role in (
        ("gov", "governance"),
        ("alice", "owner"),
        ("audit", "auditor"),
        ("follower", "follower"),
    ):
        login = f"{who}_{suffix}"
        cli(url, "admin", "add-login", login, "--role", role)
        found[who], found[f"{who}_name"] = as_login(url, login), login
    cli(url, "role", "grant", "postgres", "governance", actor="postgres")
    cli(url, "role", "grant", found["gov_name"], "governance")
    cli(url, "role", "grant", found["alice_name"], "owner", "--acts-for", "Head of Roads")
    cli(url, "role", "grant", found["audit_name"], "auditor")
    cli(found["follower"], "follow", "--once")
    return found


def positions(url: str) -> tuple[int, int]:
    """(the read model's position, the log's last position)."""
    with psycopg.connect(url) as connection:
        model = connection.execute("SELECT position FROM ragw_tracking WHERE name = 'read_model'")
        last = connection.execute("SELECT max(notification_id) FROM ragw_events")
        return int(model.fetchone()[0]), int(last.fetchone()[0])  # type: ignore[index]


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["alice", "audit", "gov"])
def test_the_server_refuses_writer_and_reader_logins_every_change_to_the_read_model(
    logins: dict[str, str], who: str
) -> None:
    with psycopg.connect(logins[who], autocommit=True) as connection:
        for table in EVERY_TABLE:
            column = (
                "position"
                if table == TRACKING
                else "known_from"
                if table
                in (
                    "ragw_reports",
                    "ragw_committees",
                    "ragw_meetings",
                    "ragw_reviews",
                    "ragw_inspections",
                    "ragw_spans",
                )
                else "key"
            )
            for statement in (
                f"INSERT INTO {table} SELECT * FROM {table}",
                f"UPDATE {table} SET {column} = {column}",
                f"DELETE FROM {table}",
                f"TRUNCATE {table}",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the issue's own attempt
            connection.execute("UPDATE ragw_board_open SET head = replace(head, 'AMBER', 'GREEN')")
        assert connection.execute("SELECT count(*) FROM ragw_board_open").fetchone() == (2,)


@pytest.mark.postgres
def test_only_a_follower_login_follows_or_rebuilds_and_follow_once_catches_up(
    logins: dict[str, str],
) -> None:
    cli(logins["alice"], "note", "R/1", "Contract signed")
    model, last = positions(logins["owner"])
    assert model < last  # the owner's write left the model behind: writes never wait for it
    for who in ("alice", "audit", "gov"):
        for command in (("follow", "--once"), ("rebuild",)):
            error = cli(logins[who], *command, code=1)
            assert error.startswith("Error: on this PostgreSQL ledger only ragw's follower")
    assert positions(logins["owner"]) == (model, last)
    out = cli(logins["follower"], "follow", "--once")
    assert out == f"read model up to date at position {last} ({last - model} events applied)\n"
    assert positions(logins["owner"]) == (last, last)
    assert cli(logins["follower"], "rebuild").startswith(f"rebuilt the read model from {last}")


def reads(url: str, folder: Path) -> dict[str, bytes]:
    """Every kind of answer a reader gets, as printed or written."""
    folder.mkdir(exist_ok=True)
    found: dict[str, bytes] = {}
    for name, args in {
        "board": ("board",),
        "board json": ("board", "--format", "json"),
        "board then": ("board", "--as-at", "2021-02-15", "--format", "json"),
        "board known": ("board", "--as-known-at", "2021-01-01T00:00:00+00:00"),
        "board report": ("board", "--report", "S", "--format", "csv"),
        "summary": ("summary", "C", "2021-04-01", "--format", "json"),
        "summary later": ("summary", "C", "2021-07-01"),
        "appendix": ("appendix", "C", "2021-07-01", "--format", "json"),
        "log": ("log", "--format", "json"),
        "meetings": ("meeting", "list", "--format", "json"),
    }.items():
        found[name] = cli(url, *args).encode()
    for name, args in {
        "paper.html": ("pack", "C", "2021-07-01"),
        "board.csv": ("export",),
        "board.xlsx": ("export", "--as-at", "2021-05-01"),
        "sheet.xlsx": ("requests", "--owner", "Head of Roads"),
    }.items():
        path = folder / name
        path.unlink(missing_ok=True)
        cli(url, *args, "--out", str(path))
        found[name] = path.read_bytes() if not name.endswith(".xlsx") else _cells(path)
    return found


def _cells(path: Path) -> bytes:
    """A workbook's cell values (its bytes hold the moment it was written)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    return repr(
        [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]
    ).encode()


def fold_only(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Reads that fold the whole log and read nothing stored (as an encrypted ledger's)."""
    context = monkeypatch.context()
    patch = context.__enter__()
    patch.setattr(LedgerSession, "read_model", lambda self: None)
    patch.setattr(LedgerSession, "_lagging", lambda self, known_at: None)
    return context


def lagging_history(logins: dict[str, str]) -> None:
    """Writes by governance and an owner the follower has not seen: a report with an
    item, changes to known items, an inspection, a committee's new meeting reviewing a
    report, and the reports a known meeting reviews."""
    gov, alice = logins["gov"], logins["alice"]
    cli(
        gov,
        "report",
        "add",
        "S",
        "--title",
        "Schools",
        "--scope",
        "force",
        "--published",
        "2021-03-10",
        "--on",
        "2021-03-10",
    )
    cli(
        gov,
        "rec",
        "add",
        "S",
        "1",
        "--kind",
        "recommendation",
        "--text",
        "Fix roofs",
        "--due",
        "2021-05-31",
        "--on",
        "2021-03-11",
    )
    cli(alice, "note", "R/1", "Contract signed", "--on", "2021-03-20")
    cli(alice, "status", "R/1", "AMBER", "--on", "2021-01-20")  # back-dated: earlier spans
    cli(gov, "status", "R/2", "RED", "--on", "2021-06-15", "--reason", "Supplier gone")
    cli(
        gov,
        *("inspection", "add", "CUST", "--title", "Custody inspection"),
        *("--inspectorate", "HMICFRS", "--fieldwork", "2021-06-01..2021-06-03"),
        *("--on", "2021-06-03"),
    )
    cli(gov, "meeting", "add", "C", "2021-07-01", "--review", "S")
    cli(gov, "meeting", "review", "C", "2021-04-01", "R")
    cli(gov, "relevance", "S/1", "not-for-us", "--reason", "The council's", "--on", "2021-06-20")


@pytest.mark.postgres
def test_a_readers_answers_are_the_folds_while_the_follower_lags_and_after_it_catches_up(
    logins: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lagging_history(logins)
    model, last = positions(logins["owner"])
    assert last - model == 9
    with monkeypatch.context() as patch:  # the model and its tail, never the whole log
        patch.setattr("projections.recorded.Recorded.of", None)
        lagging = {who: reads(logins[who], tmp_path / who) for who in ("audit", "alice")}
    assert positions(logins["owner"]) == (model, last)  # reading wrote nothing
    context = fold_only(monkeypatch)
    folded = reads(logins["audit"], tmp_path / "fold")
    context.__exit__(None, None, None)
    assert b"S/1" in folded["board"] and b"Fix roofs" in folded["paper.html"]
    assert b"Custody inspection" in folded["paper.html"] and b"CUST" in folded["summary later"]
    assert b'"reviews":["S"]' in folded["meetings"] and b'"reviews":["R"]' in folded["meetings"]
    for who, answers in lagging.items():
        for name, answer in answers.items():
            assert answer == folded[name], (who, name)
    with monkeypatch.context() as patch:  # a long tail: the whole log is folded
        patch.setattr("projections.store.tail.TAIL", 2)
        assert reads(logins["audit"], tmp_path / "long") == folded
    cli(logins["follower"], "follow", "--once")
    assert positions(logins["owner"]) == (last, last)
    with monkeypatch.context() as patch:  # up to date: the model alone answers
        patch.setattr("projections.store.tail.overlaid", None)
        patch.setattr("projections.recorded.Recorded.of", None)
        assert reads(logins["audit"], tmp_path / "caught up") == folded


@pytest.fixture
def following(logins: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str]]]:
    """`ragw follow` running as the follower login, polling only every ten minutes (so
    only a notification wakes it sooner), and the lines it prints."""
    command = [
        sys.executable,
        "-c",
        "from cli.main import main; main()",
        "--db",
        logins["follower"],
        "follow",
        "--poll",
        "600",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    out = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in out], daemon=True).start()
    try:
        yield process, lines
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.postgres
def test_follow_is_woken_by_a_notification_and_stops_cleanly_on_sigterm(
    logins: dict[str, str], following: tuple[subprocess.Popen[str], queue.Queue[str]]
) -> None:
    process, lines = following
    _, last = positions(logins["owner"])
    assert lines.get(timeout=30) == f"read model up to date at position {last} (0 events applied)\n"
    started = time.monotonic()
    cli(logins["alice"], "note", "R/1", "Contract signed")
    assert lines.get(timeout=10) == (
        f"read model up to date at position {last + 1} (1 events applied)\n"
    )
    assert time.monotonic() - started < 10
    assert positions(logins["owner"]) == (last + 1, last + 1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert lines.get(timeout=5) == "stopped\n"


def test_follow_once_on_a_ledger_without_roles_catches_the_model_up(target: str) -> None:
    history(lambda *args, code=0: cli(target, *args, actor="Strategic Development", code=code))
    assert cli(target, "follow", "--once").startswith("read model up to date at position 11 (")
    assert cli(target, "follow", "--once") == (
        "read model up to date at position 11 (0 events applied)\n"
    )
