"""A paper's counts leave out the items not for the force and count a superseded item
CLOSED, alike from the stored read model and from the fold of the events: for each
meeting, as known at every moment, with meetings added before the changes and after
them, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from events import LedgerEvent
from ledger import Ledger, open_ledger
from projections.committee import paper_of, summary_of
from projections.recorded import Recorded
from projections.store import TimelineStore
from tests.conftest import memory_ledger

ME = "Strategic Development"
TODAY = date(2021, 12, 1)
MEETINGS = (date(2021, 2, 1), date(2021, 5, 1), date(2021, 9, 1))


def history(
    ledger: Ledger, *, late_meeting: bool, between: Callable[[], object] = lambda: None
) -> None:
    """Items 1-5 of R; A/1 supersedes R/1 from April; R/2 is not the force's from
    January (before the first meeting), R/3 from March to July, and R/5 (overdue since
    January) from March; ``between`` runs once the meetings are there."""
    for code, published in (("R", date(2020, 6, 1)), ("A", date(2021, 1, 4))):
        ledger.register_report(
            code, title=code, scope="force", published=published, actor=ME, on=published
        )
    for ref in "1234":
        ledger.issue_recommendation(
            "R", ref, kind="afi", text=ref, status="AMBER", actor=ME, on=date(2020, 6, 1)
        )
    ledger.issue_recommendation(
        "R", "5", kind="afi", text="5", due="2021-01-31", actor=ME, on=date(2020, 6, 1)
    )
    ledger.issue_recommendation(
        "A", "1", kind="afi", text="later", status="AMBER", actor=ME, on=date(2021, 1, 4)
    )
    ledger.register_committee("C", name="Committee", actor=ME, on=date(2021, 1, 4))
    for day in MEETINGS[:2]:
        ledger.schedule_meeting("C", day, actor=ME, on=date(2021, 1, 4))
    between()
    ledger.change_relevance("R/5", for_us=False, reason="HO", actor=ME, on=date(2021, 3, 1))
    ledger.change_relevance("R/2", for_us=False, reason="HO", actor=ME, on=date(2021, 1, 10))
    ledger.change_relevance("R/3", for_us=False, reason="CoP", actor=ME, on=date(2021, 3, 1))
    ledger.change_relevance("R/3", for_us=True, reason="Ours", actor=ME, on=date(2021, 7, 1))
    ledger.supersede("R/1", by="A/1", reason="Carried", actor=ME, on=date(2021, 4, 1))
    ledger.change_status("R/4", "GREEN", actor=ME, on=date(2021, 4, 2))
    if late_meeting:  # added once the changes are in: its rows are derived whole
        ledger.schedule_meeting("C", MEETINGS[2], actor=ME, on=date(2021, 1, 4))


def counts(events: list[LedgerEvent], day: date) -> dict[str, Any]:
    """The summary's totals, read from a fold of its own (nothing kept from another day)."""
    document = summary_of(Recorded.of(events), "C", day).to_json()
    totals = document["totals"]
    overdue = [row["key"] for row in document["exceptions"]["overdue"]]
    return {
        "previous": totals["previous"]["all"],
        "current": totals["current"]["all"],
        "overdue": overdue,
    }


def test_the_fold_counts_without_items_not_for_the_force_and_supersession_as_closed() -> None:
    ledger = memory_ledger(today=TODAY)
    history(ledger, late_meeting=True)
    events = [e for _, e in ledger.read_log()]
    recorded = Recorded.of(events)
    february, may, september = (counts(events, day) for day in MEETINGS)
    # R/5 is overdue, and not assessed, until it is not the force's.
    assert (february["overdue"], may["overdue"]) == (["R/5"], [])
    # February: R/2 is not the force's already; R/1, R/3, R/4 and A/1 are AMBER.
    assert (february["current"]["AMBER"], february["current"]["OUTSTANDING"]) == (4, 4)
    # May: R/3 is not the force's; R/1 superseded (CLOSED, not done); R/4 GREEN.
    assert (may["current"]["CLOSED"], may["current"]["NEW GREEN"]) == (1, 1)
    assert (may["current"]["AMBER"], may["previous"]["AMBER"]) == (1, 4)
    # September: R/3 is the force's again, counted as new to it.
    assert (september["current"]["AMBER"], september["previous"]["AMBER"]) == (2, 1)
    keys = [i.key for i in summary_of(recorded, "C", MEETINGS[1]).not_for_the_force]
    assert keys == ["R/2", "R/3", "R/5"]
    appendix = paper_of(recorded, "C", MEETINGS[1]).appendix.to_json()
    listed = {i["key"] for r in appendix["reports"] for i in r["items"]}
    assert listed == {"R/1", "R/4", "A/1"}


@pytest.fixture(params=[False, True], ids=["meetings-first", "meeting-added-late"])
def stored(request: pytest.FixtureRequest, target: str) -> Iterator[tuple[list[Any], Any]]:
    ledger = open_ledger(target, create=True)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    store = TimelineStore(ledger, target)
    # The model follows as the history is written: each meeting's rows kept, then kept
    # in step with the items that change after it.
    history(ledger, late_meeting=request.param, between=store.catch_up)
    events: list[LedgerEvent] = [e for _, e in ledger.read_log()]
    yield events, store
    store.close()
    ledger.close()


def test_the_stored_papers_are_the_papers_of_the_fold_as_known_at_every_moment(
    stored: tuple[list[LedgerEvent], TimelineStore],
) -> None:
    events, store = stored
    for known_at in [None, *(e.timestamp for e in events[12:])]:
        folded, kept = Recorded.of(events, known_at), Recorded.stored(store, known_at)
        for day in MEETINGS:
            if day not in folded.committees["C"].meetings:
                continue
            assert paper_of(kept, "C", day).to_json() == paper_of(folded, "C", day).to_json()
