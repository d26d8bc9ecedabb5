"""docs/web-board.png: the board page of the demo's ledger, as governance sees it, in
headless Chromium (``python -m tests.web.screenshot [FILE]``, or ``make screenshot``)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.chromium import FLAGS, find_chromium
from tests.web.conftest import GOVERNANCE, seed, sign_in, start


def main(out: str = "docs/web-board.png") -> None:
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no chromium here: install Debian's chromium first")
    with tempfile.TemporaryDirectory() as folder:
        target = str(Path(folder) / "ragw.db")
        seed(target)
        server = start(target, "--workers", "1")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                sign_in(page, server.url, GOVERNANCE)
                page.goto(server.url + "/board?as_at=2019-11-15&report=FRAUD19")
                page.screenshot(path=out, full_page=False)
                browser.close()
        finally:
            server.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
