"""The record of a ledger's key holds at the recorder itself: events handed to the store
as a restore hands them (past the commands, straight to the recorder) are refused the
same way, in the transaction that would insert them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher

from ledger import open_ledger
from ledger.errors import KeyRefusedError
from ledger.storage.keycheck import LABEL, KeyGuard, key_check
from projections.usecases.session import LedgerSession
from tests.cli.test_one_key import counts

KEY, OTHER = AESCipher.create_key(16), AESCipher.create_key(32)
ME = "Strategic Development"


def events_of_a_report(code: str) -> list[object]:
    """The events of a report registered in a ledger of its own, in memory."""
    from tests.conftest import memory_ledger

    elsewhere = memory_ledger()
    elsewhere.register_report(
        code, title="Hidden words", scope="force", published=date(2021, 1, 4), actor=ME
    )
    return [event for _, event in elsewhere.read_log()]


@pytest.mark.parametrize(
    ("first", "then", "said"),
    [
        (KEY, None, "is encrypted"),
        (KEY, OTHER, "is not this ledger's key"),
        (None, KEY, "is not encrypted"),
    ],
)
def test_events_handed_straight_to_the_recorder_are_held_to_the_ledgers_key(
    target: str, first: str | None, then: str | None, said: str
) -> None:
    ledger = open_ledger(target, create=True, encryption_key=first)
    ledger.register_report("R", title="Roads", scope="force", published=date(2021, 1, 4), actor=ME)
    ledger.close()
    before = counts(target)
    other = open_ledger(target, create=False, encryption_key=then)
    try:
        stored = [other.mapper.to_stored_event(e) for e in events_of_a_report("X")]  # type: ignore[arg-type]
        with pytest.raises(KeyRefusedError, match=said):
            other.recorder.insert_events(stored)
    finally:
        other.close()
    assert counts(target) == before


def test_a_ledger_kept_open_across_sessions_is_held_to_its_key_once(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a web worker keeps its ledger from one request to the next: its reads are held
    to the ledger's record of its key on the first, not again on every request."""
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    ledger.register_report("R", title="Roads", scope="force", published=date(2021, 1, 4), actor=ME)
    asked: list[bool] = []
    checked = KeyGuard.check_reading

    def counted(guard: KeyGuard, cursor: Any) -> bool:
        asked.append(checked(guard, cursor))
        return asked[-1]

    monkeypatch.setattr(KeyGuard, "check_reading", counted)
    try:
        for _ in range(3):  # three requests
            session = LedgerSession(
                target, ME, open_ledger=lambda write: ledger, closes_ledger=False
            )
            assert session.recorded(None).digest  # a read, of the model
            session.close()
    finally:
        ledger.close()
    assert asked == [True]


def test_the_check_value_is_an_hmac_of_a_fixed_label_under_the_key() -> None:
    import base64
    import hashlib
    import hmac

    raw = base64.b64decode(KEY)
    assert key_check(KEY) == "hmac-sha256:" + hmac.new(raw, LABEL, hashlib.sha256).hexdigest()
    assert key_check(KEY) != key_check(OTHER)
