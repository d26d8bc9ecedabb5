"""The browser tests' fixtures: Debian's chromium, headless (:mod:`tests.chromium`)."""

from __future__ import annotations

from tests.chromium import browser, chromium_path

__all__ = ["browser", "chromium_path"]
