"""`ragw serve --public`: the public register served read-only without sign-in, the
real server started as a process on each store. The same pages `ragw publish` writes;
no sign-in page, no form, no POST, nothing else (404); nothing restricted; and no WCAG
2.x A/AA violation that axe-core can find on any page, served or published."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.register_store import SECRET_CODES, SECRET_WORDS, national_store, ragw
from tests.web.conftest import Client, Server, start

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("public") / "ragw.db")
    else:
        target = request.getfixturevalue("postgres").create_database(f"ragw_public_{os.getpid()}")
    national_store(target)
    return target


@pytest.fixture(scope="module")
def public(store: str) -> Iterator[Server]:
    running = start(store, "--public", "--workers", "1")
    yield running
    assert running.stop() == 0


def crawl(client: Client, start_at: str = "/") -> dict[str, str]:
    """Every page reachable from ``start_at`` by its links, by path (with its query)."""
    seen: dict[str, str] = {}
    todo = [start_at]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        status, body, _ = client.get(path)
        assert status == 200, path
        seen[path] = body
        if not path.split("?")[0].endswith((".html", "/")):
            continue
        folder = path.split("?")[0].rsplit("/", 1)[0] + "/"
        for link in re.findall(r'href="([^"#]+)"', body):
            parts = (folder + link).split("/")
            resolved: list[str] = []
            for part in parts:
                if part == "..":
                    resolved.pop()
                elif part != ".":
                    resolved.append(part)
            todo.append("/".join(resolved))
    return seen


def test_the_served_register_is_the_one_publish_writes(
    public: Server, store: str, tmp_path: Path
) -> None:
    out = tmp_path / "register"
    ragw(store, "publish", "--out", str(out))
    served = crawl(Client(public.url))
    written = {
        path.relative_to(out).as_posix(): path.read_bytes().decode()
        for path in out.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }
    assert {path.lstrip("/") or "index.html" for path in served} == set(written)
    for path, body in served.items():
        assert body == written[path.lstrip("/") or "index.html"], path


def test_a_day_asked_for_is_kept_by_every_link(public: Server) -> None:
    served = crawl(Client(public.url), "/?as_at=2019-09-01")
    assert all(path.endswith("?as_at=2019-09-01") for path in served if path != "/style.css")
    report = served["/reports/hmicfrs-fraud19.html?as_at=2019-09-01"]
    assert re.search(r">COLP</a></th><td>AMBER</td><td>no verdict</td>", report)
    status, said, _ = Client(public.url).get("/?as_at=2019-02-30")
    assert status == 400 and "YYYY-MM-DD" in said


def test_nothing_restricted_or_unreported_is_served(public: Server) -> None:
    for path, body in crawl(Client(public.url)).items():
        for word in (*SECRET_WORDS, *SECRET_CODES):
            assert word.casefold() not in body.casefold(), (word, path)


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/logout",
        "/board",
        "/mine",
        "/items/FRAUD19/9",
        "/requests",
        "/verify",
        "/papers",
        "/static/ragw.css",
        "/.ragw-register.json",
        "/reports/",
        "/reports/../index.html",
    ],
)
def test_no_signed_in_page_or_anything_else_is_served(public: Server, path: str) -> None:
    status, body, headers = Client(public.url).get(path)
    assert status == 404, path
    assert "script-src 'none'" in headers["Content-Security-Policy"]
    assert "<form" not in body


@pytest.mark.parametrize("path", ["/", "/index.html", "/login", "/recommendations.csv"])
def test_a_post_is_refused(public: Server, path: str) -> None:
    status, body, _ = Client(public.url).request(path, {"name": "x", "password": "y"})
    assert status == 405 and "read-only" in body


def test_no_page_holds_a_form_or_a_script(public: Server) -> None:
    pages = {p: b for p, b in crawl(Client(public.url)).items() if ".html" in p or p == "/"}
    assert len(pages) == 7  # / and /index.html, two reports, three organisations
    for path, body in pages.items():
        assert "<form" not in body and "<script" not in body, path


def test_the_public_register_is_every_organisations_so_org_is_refused(store: str) -> None:
    result = CliRunner().invoke(main, ["--db", store, "--org", "WMP", "serve", "--public"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: --public serves the register of every")


@pytest.mark.browser
def test_axe_finds_no_wcag_violation_on_any_page_served_or_published(
    browser: Any, public: Server, store: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    out = tmp_path / "register"
    ragw(store, "publish", "--out", str(out), "--as-at", "2019-11-15")
    pages = [
        public.url + p
        for p in crawl(Client(public.url))
        if not p.endswith((".csv", ".json", ".css"))
    ]
    pages += [path.as_uri() for path in sorted(out.rglob("*.html"))]
    assert len(pages) >= 12
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    found = {}
    for url in pages:
        page.goto(url)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        found[url] = [(v["id"], v["nodes"][0]["target"]) for v in results.response["violations"]]
    context.close()
    assert {url: said for url, said in found.items() if said} == {}
