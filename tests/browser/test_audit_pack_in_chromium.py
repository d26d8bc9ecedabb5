"""The audit pack's HTML page, opened in a real headless Chromium: every section shows,
each table has a header for every column and the rows the pack's JSON lists, hostile
text from the ledger stays text, it prints on A4 and fetches nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from events import LedgerEvent
from tests.cli.test_audit_pack import HOSTILE, MEETING, acceptance
from tests.cli.test_auditors_reads import Clock

pytestmark = pytest.mark.browser
SECTIONS = ("#cover", "#verify", "#restated", "#backdated", "#extensions", "#sign-offs")


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("audit")
    target = str(folder / "ragw.db")
    runner = CliRunner()

    def run(actor: str, *args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", actor, *args])
        assert result.exit_code == code, (result.output, result.stderr)
        return result.stdout

    with pytest.MonkeyPatch.context() as patch:
        clock = Clock()
        patch.setattr(LedgerEvent, "create_timestamp", staticmethod(clock))
        acceptance(clock, run, folder)
        # hostile text in the committee's name and in a sign-off's note too
        run(
            "Strategic Development",
            "committee",
            "add",
            "X",
            "--name",
            HOSTILE,
            "--on",
            "2021-01-04",
        )
        run("Strategic Development", "meeting", "add", "X", MEETING, "--on", "2021-01-04")
    run("Internal Audit", "audit", "X", MEETING, "--out", str(folder / "hostile.html"))
    run("Internal Audit", "audit", "C", MEETING, "--out", str(folder / "audit.html"))
    yield {
        "html": folder / "audit.html",
        "hostile": folder / "hostile.html",
        "json": json.loads(run("Internal Audit", "audit", "C", MEETING, "--format", "json")),
        "folder": folder,
    }


@pytest.fixture
def page(browser: Any, pack: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    opened = context.new_page()
    requests: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(pack["html"].as_uri())
    opened.requests = requests
    yield opened
    context.close()


def test_every_section_of_the_pack_shows_under_its_heading(page: Any) -> None:
    for section in SECTIONS:
        assert page.locator(section).first.is_visible(), section
    assert page.locator("h2").all_inner_texts() == [
        "Verification of the ledger",
        "Restated since the paper",
        "Back-dated entries",
        "Deadline extensions",
        "Sign-offs",
    ]
    cover = page.locator("#cover").inner_text()
    for label in ("Committee:", "Meeting:", "Period covered:", "Pack made at:", "As known at:"):
        assert label in cover


def test_every_table_has_a_header_for_each_column_and_the_rows_of_the_json(
    page: Any, pack: dict[str, Any]
) -> None:
    document = pack["json"]
    expected = {
        "#restated-items": [i["key"] for i in document["restatements"]["items"]],
        "#backdated-events": [e["key"] for e in document["backdated"]["events"]],
        "#extensions-granted": [e["key"] for e in document["extensions"]],
        "#extensions-requested": [
            s["key"] for s in document["sign_offs"] if s["request"] == "EXTENSION"
        ],
        "#sign-off-requests": [s["key"] for s in document["sign_offs"]],
    }
    for table, keys in expected.items():
        assert keys, table  # the story gives every table rows
        headers = page.locator(f"{table} thead th[scope=col]")
        rows = page.locator(f"{table} tbody tr")
        assert [rows.nth(i).get_attribute("data-key") for i in range(rows.count())] == keys
        for i in range(rows.count()):
            assert rows.nth(i).locator("td").count() == headers.count(), table
        assert all(text.strip() for text in headers.all_inner_texts()), table


def test_the_verdict_shows_intact_with_the_digest_in_the_heading(
    page: Any, pack: dict[str, Any]
) -> None:
    verdict = page.locator("#verify .verdict")
    assert verdict.inner_text().startswith("INTACT")
    assert "intact" in (verdict.get_attribute("class") or "")
    assert pack["json"]["digest"] in page.locator("#cover").inner_text()


def test_hostile_text_in_the_ledger_renders_as_text(browser: Any, pack: dict[str, Any]) -> None:
    opened = browser.new_page()
    try:
        for file in (pack["html"], pack["hostile"]):
            opened.goto(file.as_uri())
            assert opened.locator("script, img").count() == 0
        opened.goto(pack["html"].as_uri())
        granted = opened.locator('#extensions-granted tr[data-key="R/3"]').inner_text()
        assert HOSTILE in granted
        opened.goto(pack["hostile"].as_uri())
        assert HOSTILE in opened.title() and HOSTILE in opened.locator("#cover").inner_text()
    finally:
        opened.close()


def test_the_page_fetches_nothing_and_prints_on_a4(page: Any, pack: dict[str, Any]) -> None:
    from pypdf import PdfReader

    page.wait_for_load_state("networkidle")
    assert page.requests == [pack["html"].as_uri()]
    pdf = Path(pack["folder"]) / "audit.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(str(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Audit pack" in first and "INTACT" in first
