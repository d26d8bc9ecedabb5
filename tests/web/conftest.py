"""The web service as people meet it: the real ``ragw serve`` started as a process on a
free port, over a ledger built from the demo's paper with a user for each role, on a
SQLite file and on a PostgreSQL database; a headless Chromium, and a plain HTTP client
that keeps its cookies for what a browser would never send."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import COMMANDS, main
from ledger import open_ledger
from ledger.storage.settings import is_postgres, login_of

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Correct horse battery 1"
GOVERNANCE = "Grace Hopper"
OWNER = "Olly Owner"
OTHER_OWNER = "Otto Other"
AUDITOR = "Audrey Auditor"
NO_ROLE = "Nora Nobody"
#: Users whose tests change them: locked out, disabled, their role revoked.
LOCKED = "Lou Locked"
DISABLED = "Dee Disabled"
REVOKED = "Rita Revoked"
CHANGED = "Pat Changed"
TWICE = "Sid Twice"
#: The owner Olly acts for, and the items that are theirs.
OLLYS = "Head of Public Protection"
OLLYS_ITEMS = ("HATE18/6", "PEEL1819/1", "FRAUD19/3")
OTTOS = "Head of Crime"
OTTOS_ITEMS = ("FRAUD19/1",)
#: An item whose ledger text is hostile to a page that does not escape it.
HOSTILE = "<script>alert(1)</script> \"quoted\" 'single' {{7*7}} & <b>bold</b>"
HOSTILE_ITEM = "FRAUD19/2"


def admin(target: str) -> str:
    """Who runs the commands that set the ledger up: governance on a SQLite file; on
    PostgreSQL, where roles are checked against the database login, that login."""
    return login_of(target) if is_postgres(target) else GOVERNANCE


def ragw(target: str, *args: str, password: str = PASSWORD) -> str:
    result = CliRunner().invoke(
        main,
        ["--db", target, "--actor", admin(target), *args],
        env={"RAGW_NEW_PASSWORD": password},
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, (args, result.output)
    return result.output


def add_user(target: str, name: str, password: str = PASSWORD) -> None:
    if "user" in COMMANDS:
        ragw(target, "user", "add", name, password=password)


def seed(target: str) -> None:
    """The demo's paper, owners for some of its items, and a user for each role."""
    ragw(target, "demo", "--db", target)
    if is_postgres(target):
        ragw(target, "role", "grant", admin(target), "governance")
    ragw(target, "role", "grant", GOVERNANCE, "governance")
    ragw(target, "role", "grant", OWNER, "owner", "--acts-for", OLLYS)
    ragw(target, "role", "grant", OTHER_OWNER, "owner", "--acts-for", OTTOS)
    ragw(target, "role", "grant", AUDITOR, "auditor")
    for name in (LOCKED, DISABLED, REVOKED, CHANGED, TWICE):
        ragw(target, "role", "grant", name, "auditor")
    for key in OLLYS_ITEMS:
        ragw(target, "assign", key, OLLYS, "--on", "2019-11-01")
    for key in OTTOS_ITEMS:
        ragw(target, "assign", key, OTTOS, "--on", "2019-11-01")
    ragw(target, "note", HOSTILE_ITEM, HOSTILE, "--on", "2019-11-02")
    ragw(target, "assign", HOSTILE_ITEM, HOSTILE, "--on", "2019-11-02")
    everyone = (GOVERNANCE, OWNER, OTHER_OWNER, AUDITOR, NO_ROLE, LOCKED, DISABLED, REVOKED)
    for name in (*everyone, CHANGED, TWICE):
        add_user(target, name)


def events_in(target: str) -> int:
    """How many events the ledger holds (counted: PostgreSQL's positions skip the
    numbers of writes that were rolled back)."""
    ledger = open_ledger(target, create=False)
    try:
        return sum(1 for _ in ledger.read_log())
    finally:
        ledger.close()


@dataclass
class Server:
    """A running ``ragw serve``."""

    target: str
    url: str
    process: subprocess.Popen[str]
    said: list[str] = field(default_factory=list)

    def stop(self, how: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def start(
    target: str, *options: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> Server:
    """``ragw --db TARGET serve --port 0 OPTIONS`` (run in ``cwd``) until it says where
    it listens."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "ragw"),
            "--db",
            target,
            "serve",
            "--port",
            "0",
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=cwd,
    )
    assert process.stdout is not None
    said = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        said.append(line)
        found = re.match(r"listening on (http://\S+)", line)
        if found:
            return Server(target, found.group(1), process, said)
    process.kill()
    raise AssertionError(f"ragw serve did not start: {''.join(said)}")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def ledger_target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded ledger for one module's tests, on each store."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("web") / "ragw.db")
    else:
        server = request.getfixturevalue("postgres")
        name = f"ragw_web_{os.getpid()}_{request.module.__name__.rsplit('.', 1)[-1]}"
        target = server.create_database(name[:60])
    seed(target)
    return target


@pytest.fixture(scope="module")
def server(ledger_target: str) -> Iterator[Server]:
    running = start(ledger_target, "--workers", "2")
    yield running
    assert running.stop() == 0


class Client:
    """An HTTP client with its own cookies, following no redirect: what a script or a
    forger sends, and exactly what the server answers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )
        self.last = ""

    def request(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, Any]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(self.url + path, data=data, timeout=30) as response:
                status, body, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read(), error.headers
        text = body.decode("utf-8", "replace")
        if status == 200:
            self.last = text
        return status, text, headers

    def get(self, path: str) -> tuple[int, str, Any]:
        return self.request(path)

    def token(self) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.last)
        assert found, "no CSRF token on the last page"
        return found.group(1)

    def post(self, path: str, fields: dict[str, str], *, csrf: bool = True) -> tuple[int, str, Any]:
        sent = {**fields, "csrf_token": self.token()} if csrf else fields
        return self.request(path, sent)

    def sign_in(self, name: str, password: str = PASSWORD) -> tuple[int, str, Any]:
        self.get("/login")
        return self.post("/login", {"name": name, "password": password})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def client(server: Server) -> Callable[[str | None], Client]:
    """A new client, signed in as the name given (or not at all)."""

    def made(name: str | None = None) -> Client:
        made = Client(server.url)
        if name is not None:
            status, _, headers = made.sign_in(name)
            assert status == 303, f"{name} could not sign in"
            assert headers["Location"].endswith("/board")
        return made

    return made


@pytest.fixture(scope="module")
def signed_in(browser: Any, server: Server) -> Iterator[Callable[..., Any]]:
    """A new browser page signed in as the name given, open at the requests page: one
    browser context per name and module, signed in once, so its pages share the session."""
    contexts: dict[tuple[str, int], Any] = {}

    def opened(name: str, *, width: int = 1200) -> Any:
        if (name, width) not in contexts:
            context = browser.new_context(viewport={"width": width, "height": 1000})
            contexts[(name, width)] = context
            sign_in(context.new_page(), server.url, name).close()
        page = contexts[(name, width)].new_page()
        page.goto(server.url + "/requests")
        return page

    yield opened
    for context in contexts.values():
        context.close()


def sign_in(page: Any, url: str, name: str, password: str = PASSWORD) -> Any:
    page.goto(url + "/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page
