"""The use cases on a real ledger: which history a paper is read from, and that the
one choice of read path (the stored read model, kept sealed for an encrypted ledger)
gives the same answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher

from ledger import InvalidInputError, Ledger, open_ledger
from ledger.errors import Fix
from projections.usecases import LedgerSession
from projections.usecases.board import board, sign_off_queue, update_sheet
from projections.usecases.papers import paper, pinned_history, record_issue, summary

ME = "Strategic Development"
MEETING = date(2021, 5, 4)


def fill(ledger: Ledger) -> None:
    ledger.register_committee("PRMSC", name="Performance", actor=ME, on=date(2021, 1, 4))
    ledger.schedule_meeting("PRMSC", MEETING, actor=ME, on=date(2021, 1, 4))
    ledger.register_report(
        "ROADS",
        title="Roads policing",
        scope="force",
        published=date(2020, 6, 1),
        inspectorates=["HMICFRS"],
        actor=ME,
        on=date(2020, 6, 1),
    )
    for ref, due in (("1", "2021-05-20"), ("2", "2021-09-30"), ("3", None)):
        ledger.issue_recommendation(
            "ROADS",
            ref,
            kind="afi",
            text=f"Item {ref}",
            due=due,
            status="AMBER",
            owner="Head of Roads",
            actor=ME,
            on=date(2020, 7, 1),
        )


@pytest.fixture
def session(open_at: Callable[..., Ledger], target: str) -> Iterator[LedgerSession]:
    ledger = open_at(today=date(2021, 5, 1))
    opened = LedgerSession(target, ME, open_ledger=lambda write: ledger)
    yield opened
    if opened._store is not None:
        opened._store.close()


# Which history a paper is read from -----------------------------------------------------


def test_a_paper_to_issue_is_pinned_to_the_head_and_read_as_known_when_its_last_event_was_recorded(
    session: LedgerSession,
) -> None:
    ledger = session.ledger(write=False)
    fill(ledger)
    head = ledger.digest()
    assert head is not None
    pinned = pinned_history(ledger, "PRMSC", MEETING, as_issued=False)
    assert pinned.digest == str(head)
    assert pinned.read_at == ledger.recorded_at(head.position)
    assert pinned.as_known_at is None


def test_a_paper_asked_as_known_at_an_earlier_moment_is_read_then_and_headed_so(
    session: LedgerSession,
) -> None:
    ledger = session.ledger(write=False)
    fill(ledger)
    earlier = datetime(2000, 1, 1, tzinfo=UTC)
    pinned = pinned_history(ledger, "PRMSC", MEETING, as_issued=False, as_known_at=earlier)
    assert (pinned.read_at, pinned.as_known_at) == (earlier, earlier)


def test_a_paper_asked_as_known_at_a_later_moment_is_read_when_its_last_event_was_recorded(
    session: LedgerSession,
) -> None:
    ledger = session.ledger(write=False)
    fill(ledger)
    later = datetime.now(UTC) + timedelta(days=365)
    pinned = pinned_history(ledger, "PRMSC", MEETING, as_issued=False, as_known_at=later)
    assert pinned.read_at == ledger.recorded_at(ledger.last_position())
    assert pinned.as_known_at == later


def test_an_empty_ledger_has_no_paper_to_issue(session: LedgerSession) -> None:
    with pytest.raises(InvalidInputError, match="the ledger is empty"):
        pinned_history(session.ledger(write=False), "PRMSC", MEETING, as_issued=False)


def test_a_paper_never_issued_cannot_be_read_as_issued(session: LedgerSession) -> None:
    fill(session.ledger(write=False))
    with pytest.raises(InvalidInputError, match="has not been issued") as refused:
        paper(session, "PRMSC", MEETING, as_issued=True)
    assert refused.value.hint is not None and refused.value.hint.fix is Fix.ISSUE_PAPER


def test_an_issued_paper_is_read_again_from_the_history_it_was_issued_from(
    session: LedgerSession,
) -> None:
    ledger = session.ledger(write=False)
    fill(ledger)
    issued = paper(session, "PRMSC", MEETING, to_issue=True)
    assert issued.pinned is not None
    record_issue(session, "PRMSC", MEETING, issued)
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 4, 1))
    again = paper(session, "PRMSC", MEETING, as_issued=True)
    now = paper(session, "PRMSC", MEETING)
    assert again.pinned == issued.pinned
    assert again.paper.to_json() == issued.paper.to_json()
    assert now.paper.to_json() != issued.paper.to_json()
    assert again.paper.summary.digest == issued.pinned.digest


# The read path -------------------------------------------------------------------------


@pytest.fixture
def sealed(tmp_path: Path) -> Iterator[LedgerSession]:
    """A session on an encrypted ledger (a SQLite file), whose read model is sealed."""
    ledger = open_ledger(
        str(tmp_path / "sealed.db"), create=True, encryption_key=AESCipher.create_key(32)
    )
    ledger.today = lambda: date(2021, 5, 1)  # type: ignore[method-assign]
    opened = LedgerSession(str(tmp_path / "sealed.db"), ME, open_ledger=lambda write: ledger)
    yield opened
    opened.close()


def test_an_encrypted_ledger_keeps_a_sealed_read_model_that_its_reads_use(
    sealed: LedgerSession,
) -> None:
    fill(sealed.ledger(write=False))
    store = sealed.read_model()
    assert store is not None and store.sealer is not None
    assert store.position() == sealed.ledger(write=False).last_position()
    assert sealed.store().rebuild() == sealed.ledger(write=False).last_position()


@pytest.mark.parametrize(
    "filters",
    [{}, {"owner": "head of roads"}, {"status": "AMBER"}, {"overdue": True}, {"report": "NONE"}],
)
def test_an_encrypted_ledger_answers_every_read_as_a_plain_one_does(
    session: LedgerSession, sealed: LedgerSession, filters: dict[str, Any]
) -> None:
    for ledger in (session.ledger(write=False), sealed.ledger(write=False)):
        fill(ledger)
        ledger.note_progress("ROADS/2", "Under way", actor=ME, on=date(2021, 4, 1))
    for day in (date(2020, 12, 1), date(2021, 5, 1), date(2021, 6, 1)):
        stored = list(board(session, as_at=day, **filters).lines)
        assert list(board(sealed, as_at=day, **filters).lines) == stored
    papers = [summary(s, "PRMSC", MEETING, as_known_at=None).to_json() for s in (sealed, session)]
    for paper_json in papers:  # two ledgers: each its own chain
        paper_json.pop("digest")
    assert papers[0] == papers[1]
    assert (
        update_sheet(sealed, owner="Head of Roads", within_days=30).rows
        == update_sheet(session, owner="Head of Roads", within_days=30).rows
    )
    assert sealed.read_model() is not None


def test_the_sign_off_queue_holds_the_items_whose_request_awaits_sign_off_and_no_others(
    session: LedgerSession,
) -> None:
    ledger = session.ledger(write=False)
    fill(ledger)
    ledger.claim_completion("ROADS/2", evidence="Done", actor="Head of Roads", on=date(2021, 4, 1))
    queue = sign_off_queue(session, as_at=date(2021, 5, 1)).listed()
    assert [i.key for i in queue.items] == ["ROADS/2"] and queue.pending == 1
    assert list(sign_off_queue(session, as_at=date(2021, 3, 1)).lines) == []
    ledger.sign_off("ROADS/2", actor=ME, on=date(2021, 4, 2))
    assert list(sign_off_queue(session, as_at=date(2021, 5, 1)).lines) == []
