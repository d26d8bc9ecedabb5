"""A supersession, and the correction of one, recorded while another writer notes
progress on one of its items is tried again and lands, as a change of one item does. On
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from ledger import open_ledger
from ledger.application import Ledger
from ledger.state import fold_item

ME = "setup"


def seeded(target: str) -> Ledger:
    ledger = open_ledger(target, create=True)
    ledger.today = lambda: date(2021, 6, 1)  # type: ignore[method-assign]
    for code, published in (("OLD", date(2020, 1, 1)), ("NEW", date(2021, 1, 4))):
        ledger.register_report(
            code, title=code, scope="force", published=published, actor=ME, on=published
        )
    for key, on in (("OLD/1", date(2020, 1, 1)), ("OLD/2", date(2020, 1, 1))):
        code, ref = key.split("/")
        ledger.issue_recommendation(code, ref, kind="afi", text="t", actor=ME, on=on)
    ledger.issue_recommendation("NEW", "1", kind="afi", text="t", actor=ME, on=date(2021, 1, 4))
    return ledger


def raced(ledger: Ledger, target: str, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Before the first save, another writer (in a thread of its own, on its own
    connection) notes progress on NEW/1; the save then finds that item moved on."""
    saves = ledger.save_all
    calls: list[int] = []

    def save_all(*items: Any, what: str) -> Any:
        calls.append(len(calls) + 1)
        if len(calls) == 1:

            def other() -> None:
                writer = open_ledger(target, create=False)
                writer.note_progress("NEW/1", "Meanwhile", actor="other", on=date(2021, 3, 1))
                writer.close()

            thread = threading.Thread(target=other)
            thread.start()
            thread.join()
        return saves(*items, what=what)

    monkeypatch.setattr(ledger, "save_all", save_all)
    return calls


def superseded_by(ledger: Ledger) -> str | None:
    state = fold_item(ledger.get_recommendation("OLD/1").history)
    assert state is not None
    return state.superseded_by


def test_a_supersession_raced_by_another_writer_is_tried_again_and_lands(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = seeded(target)
    calls = raced(ledger, target, monkeypatch)
    ledger.supersede("OLD/1", by="NEW/1", reason="Carried", actor=ME, on=date(2021, 3, 1))
    assert len(calls) == 2, "tried once more after the other writer"
    assert superseded_by(ledger) == "NEW/1"
    ledger.close()


def test_a_correction_of_a_supersession_raced_by_another_writer_is_tried_again(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = seeded(target)
    ledger.supersede("OLD/1", by="NEW/1", reason="Carried", actor=ME, on=date(2021, 3, 1))
    calls = raced(ledger, target, monkeypatch)
    ledger.correct_supersession("OLD/1", 2, reason="Wrong", actor=ME, on=date(2021, 3, 2))
    assert len(calls) == 2, "tried once more after the other writer"
    assert superseded_by(ledger) is None
    ledger.close()
