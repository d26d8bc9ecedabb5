"""The HTML paper, opened in a real headless Chromium: every section renders, the numbers
are the summary's, status cells carry colour and word, it prints on A4 and fetches nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

pytestmark = pytest.mark.browser
MEETING = "2019-11-15"
COLOURS = {
    "AMBER": "rgb(255, 210, 127)",
    "RED": "rgb(244, 160, 154)",
    "NEW RED": "rgb(244, 160, 154)",
    "NEW GREEN": "rgb(168, 213, 186)",
    "WHITE": "rgb(255, 255, 255)",
}


def ragw(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), "--actor", "Strategic Development", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("paper")
    db = folder / "ragw.db"
    ragw(db, "demo", "--db", str(db), "--format", "json")
    ragw(db, "pack", "PRMSC", MEETING, "--out", str(folder / "paper.html"))
    return {
        "html": folder / "paper.html",
        "summary": json.loads(ragw(db, "summary", "PRMSC", MEETING, "--format", "json")),
        "appendix": json.loads(ragw(db, "appendix", "PRMSC", MEETING, "--format", "json")),
        "folder": folder,
    }


@pytest.fixture
def page(browser: Any, paper: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    opened = context.new_page()
    requests: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(paper["html"].as_uri())
    opened.requests = requests
    yield opened
    context.close()


def test_every_section_of_the_paper_renders(page: Any, paper: dict[str, Any]) -> None:
    for section in (
        "#cover",
        "#summary",
        "#summary-table",
        "#totals",
        "#chart svg",
        "#exceptions",
        "#definitions",
        "#appendix",
    ):
        assert page.locator(section).first.is_visible(), section
    assert page.locator("#headline").inner_text() == paper["summary"]["headline"]
    shown = page.locator("#summary-table tbody tr[data-report]")
    assert [shown.nth(i).get_attribute("data-report") for i in range(shown.count())] == [
        r["code"] for r in paper["summary"]["reports"]
    ]
    for report in paper["appendix"]["reports"]:
        article = page.locator(f"#report-{report['code']}")
        assert article.is_visible() and report["sentence"] in article.inner_text()
        assert article.locator("tbody tr").count() == len(report["items"])


def test_the_totals_are_the_numbers_of_summary_json(page: Any, paper: dict[str, Any]) -> None:
    cells = page.locator("#totals td[data-key]")
    assert cells.count() == 7 * 6
    for i in range(cells.count()):
        cell = cells.nth(i)
        column, scope, key = (
            cell.get_attribute(a) for a in ("data-column", "data-scope", "data-key")
        )
        assert int(cell.inner_text()) == paper["summary"]["totals"][column][scope][key]


def test_the_summary_cells_show_each_reports_counts(page: Any, paper: dict[str, Any]) -> None:
    fraud = next(r for r in paper["summary"]["reports"] if r["code"] == "FRAUD19")
    cell = page.locator(
        'tr[data-report="FRAUD19"] td[data-column="current"][data-scope="national"]'
    )
    words = cell.locator("li").all_inner_texts()
    red_not_new = fraud["current"]["RED"] - fraud["current"]["NEW RED"]
    assert words == [
        f"{fraud['current'][k]} {k}"
        for k in ("NEW GREEN", "AMBER", "NEW RED", "WHITE")
        if fraud["current"][k]
    ] + ([f"{red_not_new} RED"] if red_not_new else [])


def test_status_cells_are_coloured_and_always_print_the_word(page: Any) -> None:
    cells = page.eval_on_selector_all(
        "#appendix td.status",
        "cells => cells.map(c => [c.innerText.trim(), c.dataset.status,"
        " getComputedStyle(c).backgroundColor, c.getBoundingClientRect().width])",
    )
    assert len(cells) > 80
    for word, status, colour, width in cells:
        assert word == status and colour == COLOURS[word], (word, status, colour)
        assert width > 40, "the word fits its cell"


def test_the_chart_shows_outstanding_items_at_every_meeting(
    page: Any, paper: dict[str, Any]
) -> None:
    bars = page.locator("#chart g.bar")
    assert bars.count() == 2
    assert bars.nth(1).get_attribute("data-total") == str(
        paper["summary"]["totals"]["current"]["all"]["OUTSTANDING"]
    )
    assert bars.nth(0).get_attribute("data-total") == str(
        paper["summary"]["totals"]["previous"]["all"]["OUTSTANDING"]
    )
    box = page.locator("#chart svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 150


def test_the_page_fetches_nothing_from_the_network(page: Any, paper: dict[str, Any]) -> None:
    page.wait_for_load_state("networkidle")
    assert page.requests == [paper["html"].as_uri()]


def test_the_paper_prints_on_a4_pages_with_the_headline_first(
    page: Any, paper: dict[str, Any]
) -> None:
    from pypdf import PdfReader

    pdf = paper["folder"] / "paper.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(str(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert len(reader.pages) > 5
    first = " ".join(reader.pages[0].extract_text().split())
    assert "There are currently 80 outstanding recommendations" in first


def test_a_screenshot_of_the_paper_is_taken(page: Any, paper: dict[str, Any]) -> None:
    shot = paper["folder"] / "paper.png"
    page.screenshot(path=str(shot), full_page=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_hostile_text_in_the_ledger_renders_as_text(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "ragw.db"
    hostile = '<script>document.title="owned"</script><img src=x onerror="alert(1)">'
    ragw(db, "committee", "add", "C", "--name", hostile, "--on", "2020-01-01")
    ragw(db, "meeting", "add", "C", "2020-06-01", "--on", "2020-01-01")
    ragw(
        db,
        "report",
        "add",
        "R",
        "--title",
        hostile,
        "--scope",
        "force",
        "--published",
        "2020-01-01",
        "--on",
        "2020-01-01",
    )
    ragw(
        db,
        "rec",
        "add",
        "R",
        "1",
        "--kind",
        "afi",
        "--text",
        hostile,
        "--status",
        "AMBER",
        "--on",
        "2020-01-02",
    )
    ragw(db, "pack", "C", "2020-06-01", "--out", str(tmp_path / "p.html"))
    page = browser.new_page()
    try:
        page.goto((tmp_path / "p.html").as_uri())
        assert page.locator("script, img").count() == 0
        assert page.title().startswith(hostile), "the script did not run; its text is the title"
        assert hostile in page.locator('tr[data-key="R/1"]').inner_text()
    finally:
        page.close()
