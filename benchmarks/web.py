"""The web service measured from outside, as browsers use it: the real ``ragw serve``
over the benchmark's register, driven over HTTP by clients that sign in and fill the
forms by their labels (the contract of ``../shared/web.md``), nothing of its code.

- ``web_board_vs_cli_board``: the board page (``GET /board``, every item, as a
  signed-in governance user) / the same board read and printed in process, as
  ``ragw board --format json`` prints it (goal <= 1.5);
- ``web_p95_vs_single``: 16 clients reading item pages while 2 record notes on items for
  30 s, each client a person reading a page about once a second: p95 latency of the
  reads / the median of one client reading alone (goal <= 4); no request may fail and
  every note must be recorded exactly once (or the run fails);
- ``web_saturated_p95_vs_single`` (no goal): the same with no pause between requests,
  i.e. 18 clients queueing for 2 cores: how latency grows past capacity.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

GOVERNOR, PASSWORD = "Bench Governance", "benchmark password"
READERS, WRITERS, SECONDS = 16, 2, 30.0
#: A person's pace: about one page a second, each (exponential pauses, mean 1 s).
PAUSE = 1.0


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    labelled: dict[str, str] = field(default_factory=dict)  # label text -> field name
    buttons: list[str] = field(default_factory=list)


class Forms(HTMLParser):
    """Every form of a page: its action, its fields (hidden ones with their values) and
    which field each label names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._ids: dict[str, str] = {}  # element id -> field name
        self._labels: list[tuple[str, list[str]]] = []  # (for, text parts)
        self._in_label: list[str] | None = None
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            self.forms[-1].fields[a["name"]] = a.get("value", "")
            if a.get("id"):
                self._ids[a["id"]] = a["name"]
            if a.get("type") == "submit" and a.get("value"):
                self.forms[-1].buttons.append(a["value"])
        elif tag == "label":
            self._in_label = []
            self._labels.append((a.get("for", ""), self._in_label))
        elif tag == "button" and self.forms:
            self._button = []

    def handle_data(self, data: str) -> None:
        if self._in_label is not None:
            self._in_label.append(data)
        if self._button is not None:
            self._button.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label = None
        elif tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append("".join(self._button).strip())
            self._button = None
        elif tag == "form" and self.forms:
            for target, parts in self._labels:
                if target in self._ids:
                    self.forms[-1].labelled[" ".join("".join(parts).split())] = self._ids[target]
            self._labels = []


def form_with(page: str, button: str) -> Form:
    parser = Forms()
    parser.feed(page)
    for form in parser.forms:
        if button in form.buttons:
            return form
    raise AssertionError(f"no form with a {button!r} button on the page")


class Client:
    """One person's browser: a cookie jar, and forms filled in by their labels."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, path: str, button: str, values: dict[str, str]) -> tuple[int, str]:
        """Fill the form with ``button`` on the page at ``path`` (by label) and send it;
        redirects are followed, as a browser follows them."""
        _, page = self.get(path)
        form = form_with(page, button)
        data = dict(form.fields)
        for label, value in values.items():
            data[form.labelled[label]] = value
        action = urllib.parse.urljoin(self.base + path, form.action or path)
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(action, data=body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, name: str, password: str) -> None:
        status, page = self.submit("/login", "Sign in", {"Name": name, "Password": password})
        parser = Forms()
        parser.feed(page)
        signed = status == 200 and not any("Sign in" in f.buttons for f in parser.forms)
        assert signed, (status, page[:300])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_users(target: str) -> None:
    """Governance and the users the clients sign in as (roles turn access control on;
    nothing read before this measured anything under it)."""
    from ledger import open_ledger

    ledger = open_ledger(target, create=False)
    try:
        ledger.grant_role(GOVERNOR, "governance", actor=GOVERNOR)
        ledger.add_user(GOVERNOR, password=PASSWORD, actor=GOVERNOR)
    finally:
        ledger.close()


class Server:
    """``ragw serve`` over ``target`` on a free port, until closed."""

    def __init__(self, target: str, workers: int) -> None:
        self.port = free_port()
        env = {**os.environ, "RAGW_SECRET_KEY": secrets.token_hex(32)}
        command = [sys.executable, "-c", "from cli.main import main; main()", "--db", target]
        command += ["serve", "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    said = self.process.stdout.read() if self.process.stdout else ""
                    raise RuntimeError(f"ragw serve stopped: {said}") from None
                time.sleep(0.2)
        raise RuntimeError("ragw serve did not start listening within 120 s")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def timed_get(client: Client, path: str) -> float:
    started = time.perf_counter()
    status, _ = client.get(path)
    if status != 200:
        raise AssertionError(f"GET {path}: {status}")
    return time.perf_counter() - started


def load(
    base: str, keys: list[str], *, paced: bool, seconds: float = SECONDS
) -> tuple[list[float], int, list[str]]:
    phase = "paced" if paced else "saturated"
    """Readers reading item pages and writers recording notes for ``seconds``: the
    readers' latencies, the failures, and the notes recorded (by their text)."""
    latencies: list[float] = []
    failures = [0]
    notes: list[str] = []
    lock = threading.Lock()
    rng = random.Random(7)
    # everyone signs in first (a sign-in is an argon2 check and the board page): the
    # phase measures people at work, not a crowd arriving
    clients = []
    for _ in range(READERS + WRITERS):
        client = Client(base)
        client.sign_in(GOVERNOR, PASSWORD)
        clients.append(client)
    stop = time.monotonic() + seconds

    def reader(number: int) -> None:
        client = clients[number]
        mine = random.Random(number)
        while time.monotonic() < stop:
            key = mine.choice(keys)
            try:
                took = timed_get(client, f"/items/{key}")
                with lock:
                    latencies.append(took)
            except Exception:
                with lock:
                    failures[0] += 1
            if paced:
                time.sleep(mine.expovariate(1 / PAUSE))

    def writer(number: int) -> None:
        client = clients[READERS + number]
        count = 0
        while time.monotonic() < stop:
            count += 1
            text = f"benchmark note {phase} {number}-{count}"
            key = rng.choice(keys)
            status, page = client.submit(f"/items/{key}", "Record note", {"Note": text})
            with lock:
                if status == 200 and text in page:
                    notes.append(text)
                else:
                    failures[0] += 1
            if paced:
                time.sleep(PAUSE)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0], notes


def recorded_notes(target: str) -> list[str]:
    from events import ProgressNoted
    from ledger import open_ledger

    ledger = open_ledger(target, create=False)
    try:
        return [
            str(event.text)  # type: ignore[attr-defined]
            for _, event in ledger.read_log(types=[ProgressNoted])
            if str(event.text).startswith("benchmark note")  # type: ignore[attr-defined]
        ]
    finally:
        ledger.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def web_timings(
    target: str, board_in_process: Callable[[], object], log: Callable[[str], None]
) -> dict[str, Any]:
    """The web's figures over the register at ``target`` (its read model up to date)."""
    keys = open_keys(target)[:500]  # a note on a closed item is rightly refused
    prepare_users(target)
    in_process = min(_seconds(board_in_process) for _ in range(3))
    server = Server(target, workers=2)
    try:
        client = Client(server.base)
        client.sign_in(GOVERNOR, PASSWORD)
        timed_get(client, "/board")  # the first request of each worker opens the ledger
        page = min(timed_get(client, "/board") for _ in range(3))
        log(f"  board page {page:.3f} s, in process {in_process:.3f} s")
        single = statistics.median(
            timed_get(client, f"/items/{key}") for key in random.Random(3).sample(keys, 60)
        )
        results: dict[str, Any] = {"board_page": page, "board_in_process": in_process}
        for paced, name in ((True, "paced"), (False, "saturated")):
            latencies, failures, notes = load(server.base, keys, paced=paced)
            results[f"{name}_p95"] = p95(latencies)
            results[f"{name}_reads"] = len(latencies)
            results[f"{name}_failures"] = failures
            results[f"{name}_notes"] = len(notes)
            log(
                f"  {name}: {len(latencies)} reads, p95 {p95(latencies):.3f} s (one client's "
                f"median {single:.3f} s), {len(notes)} notes, {failures} failures"
            )
            if failures:
                raise AssertionError(f"{failures} requests failed under load ({name})")
            stored = recorded_notes(target)
            if sorted(t for t in stored if t in set(notes)) != sorted(notes) or len(stored) != len(
                set(stored)
            ):
                raise AssertionError("a note was lost or recorded twice under load")
        results["single_median"] = single
    finally:
        server.close()
    return results


def open_keys(target: str) -> list[str]:
    """The keys of the register's items that are not closed, as the board lists them."""
    import json
    from datetime import date

    from ledger import open_ledger
    from projections.usecases import LedgerSession
    from projections.usecases.board import board

    session = LedgerSession(
        target, "bench", open_ledger=lambda _: open_ledger(target, create=False)
    )
    try:
        rows = (json.loads(line) for line in board(session, as_at=date.today()).lines)
        return sorted(row["key"] for row in rows if row["status"] != "CLOSED")
    finally:
        session.close()


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started
