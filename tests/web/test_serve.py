"""``ragw serve`` itself: it says where it listens, stops cleanly on SIGINT and SIGTERM,
keeps sessions across a restart only with RAGW_SECRET_KEY, and refuses with one line
what it cannot serve."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.web.conftest import AUDITOR, Client, ragw, start


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_serve_says_where_it_listens_and_stops_cleanly(ledger_target: str, how: int) -> None:
    running = start(ledger_target, "--workers", "2")
    assert running.url.startswith("http://127.0.0.1:")
    assert Client(running.url).get("/login")[0] == 200
    assert running.stop(how) == 0


def test_sessions_outlive_a_restart_only_with_the_secret_key(ledger_target: str) -> None:
    if "://" in ledger_target:
        pytest.skip("the store plays no part in the session's secret")
    secret = {"RAGW_SECRET_KEY": "a fixed secret for this test " * 2}
    first = start(ledger_target, env=secret)
    user = Client(first.url)
    assert user.sign_in(AUDITOR)[0] == 303
    first.stop()
    again = start(ledger_target, env=secret)
    user.url = again.url
    assert user.get("/board")[0] == 200
    again.stop()
    fresh = start(ledger_target)
    user.url = fresh.url
    assert user.get("/board")[0] == 303
    fresh.stop()


def test_a_session_on_one_ledger_is_not_taken_by_another_served_with_the_same_secret(
    ledger_target: str, tmp_path: Path
) -> None:
    """A copy of a ledger (for training, say) served with the same RAGW_SECRET_KEY: a
    session signed in there is refused by the real one, whose users and passwords it has."""
    if "://" in ledger_target:
        pytest.skip("a copy of a SQLite file shows it; the store plays no part")
    import shutil

    copy = str(tmp_path / "training.db")
    shutil.copyfile(ledger_target, copy)
    secret = {"RAGW_SECRET_KEY": "one secret for both services, long enough"}
    real, training = start(ledger_target, env=secret), start(copy, env=secret)
    try:
        user = Client(training.url)
        assert user.sign_in(AUDITOR)[0] == 303
        assert user.get("/board")[0] == 200
        user.url = real.url  # the same cookie, presented to the real ledger
        assert user.get("/board")[0] == 303
    finally:
        real.stop()
        training.stop()


def test_a_session_begun_on_a_copy_where_the_password_was_changed_is_not_the_real_ones(
    ledger_target: str, tmp_path: Path
) -> None:
    """A copy served under the very same ``--db`` text (``ragw.db`` in another folder) and
    the same secret, where whoever keeps the copy gave a user a password they know: a
    session signed in there is refused by the real service, and records nothing there."""
    if "://" in ledger_target:
        pytest.skip("a copy of a SQLite file shows it; the store plays no part")
    import shutil

    real_folder, copy_folder = tmp_path / "real", tmp_path / "copy"
    for folder in (real_folder, copy_folder):
        folder.mkdir()
        shutil.copyfile(ledger_target, folder / "ragw.db")
    ragw(str(copy_folder / "ragw.db"), "user", "password", AUDITOR, password="known on the copy")
    secret = {"RAGW_SECRET_KEY": "one secret for both services, long enough"}
    real = start("ragw.db", env=secret, cwd=real_folder)
    copy = start("ragw.db", env=secret, cwd=copy_folder)
    try:
        user = Client(copy.url)
        assert user.sign_in(AUDITOR, "known on the copy")[0] == 303
        assert user.get("/board")[0] == 200
        user.url = real.url  # the same cookie, presented to the real ledger
        status, _, headers = user.get("/board")
        assert (status, headers["Location"]) == (303, "/login")
        assert user.sign_in(AUDITOR)[0] == 303  # its own password still signs in there
        assert user.get("/board")[0] == 200
    finally:
        real.stop()
        copy.stop()


def test_a_short_secret_is_refused(ledger_target: str) -> None:
    result = CliRunner(env={"RAGW_SECRET_KEY": "short"}).invoke(
        main, ["--db", ledger_target, "serve", "--port", "0"]
    )
    assert result.exit_code == 1 and "at least 32" in result.stderr


def test_secure_cookies_are_sent_over_https_only(ledger_target: str) -> None:
    if "://" in ledger_target:
        pytest.skip("the store plays no part in the cookie")
    running = start(ledger_target, "--secure-cookies")
    try:
        _, _, headers = Client(running.url).get("/login")  # the form's token is in it
        assert "ragw_session=" in headers["Set-Cookie"] and "Secure" in headers["Set-Cookie"]
    finally:
        running.stop()


def refused(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    return lines[0]


def test_serve_refuses_a_ledger_that_does_not_exist(tmp_path: Path) -> None:
    assert "no ledger at" in refused("--db", str(tmp_path / "none.db"), "serve")
    assert not (tmp_path / "none.db").exists()


def test_serve_refuses_an_address_it_cannot_listen_on(ledger_target: str) -> None:
    line = refused("--db", ledger_target, "serve", "--host", "no-such-host.invalid")
    assert "cannot listen on" in line


@pytest.mark.postgres
def test_serve_refuses_a_postgresql_ledger_under_database_roles(
    postgres: Any, tmp_path: Path
) -> None:
    url = postgres.create_database(f"ragw_web_roles_{os.getpid()}")
    report = ["report", "add", "R", "--title", "T", "--scope", "force", "--published", "2021-01-04"]
    assert CliRunner().invoke(main, ["--db", url, "--actor", "G", *report]).exit_code == 0
    assert CliRunner().invoke(main, ["--db", url, "admin", "init-roles"]).exit_code == 0
    line = refused("--db", url, "serve")
    assert "access control" in line and "signed in" in line


def test_serve_help_says_when_cookies_are_secure() -> None:
    shown = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "loopback" in shown and "RAGW_SECRET_KEY" in shown
