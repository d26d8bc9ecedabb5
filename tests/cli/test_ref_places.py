"""Refs a report holds that read as one number (``1`` and ``01``, as an older tracker or
a typing slip may give them) are two items, each read on the board, in the papers and
by verify as the events give it, in either store, clear or encrypted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.test_verify import history


@pytest.mark.parametrize("encrypted", [False, True], ids=["clear", "encrypted"])
def test_two_refs_that_read_as_one_number_are_two_items_on_the_board(
    ragw: Any, encrypted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if encrypted:
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", ragw("admin", "new-key").strip())
    history(ragw)
    for ref in ("01", "001"):
        ragw("rec", "add", "R", ref, "--kind", "afi", "--text", f"Item {ref}", "--on", "2021-01-06")
    ragw("status", "R/01", "RED", "--reason", "Slipped", "--on", "2021-01-07")
    board = json.loads(ragw("board", "--as-at", "2021-03-01", "--format", "json"))
    shown = [(item["key"], item["status"]) for item in board["items"]]
    assert shown == [("R/001", None), ("R/01", "RED"), ("R/1", "GREEN"), ("R/2", "AMBER")]
    assert ragw("verify").startswith("ok: 14 events")
    ragw("rebuild")
    again = json.loads(ragw("board", "--as-at", "2021-03-01", "--format", "json"))
    assert again["items"] == board["items"]
