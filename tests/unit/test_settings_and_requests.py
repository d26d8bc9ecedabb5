"""Settings reach the ledger as arguments, and request kinds keep the values events
already store."""

from __future__ import annotations

import json
from base64 import b64encode
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from events import Request, SignedOff
from ledger import LedgerError, open_ledger
from ledger.state import Pending, asks_for

ME = "Strategic Development"
KEY = b64encode(bytes(range(32))).decode()


def test_a_sign_off_stored_before_request_kinds_were_an_enum_reads_and_writes_the_same() -> None:
    stored = (
        '{"timestamp":"2021-04-01T10:00:00Z","actor":"A","on":"2021-04-01",'
        '"request":"R/1@2","outcome":"EXTENSION","reason":"r","due":"2021-06-30",'
        '"previous_due":null,"note":null}'
    )
    # As the mapper reads a stored event back: its envelope, and the stored fields.
    event = SignedOff(originator_id=uuid4(), originator_version=3, **json.loads(stored))
    assert event.outcome is Request.EXTENSION
    assert event.model_dump(mode="json")["outcome"] == "EXTENSION"
    assert event.model_dump_json(exclude={"originator_id", "originator_version"}) == stored


def test_a_request_reads_as_the_word_papers_print() -> None:
    assert [str(r) for r in Request] == ["GREEN", "CLOSED", "EXTENSION"]
    assert Request.EXTENSION == "EXTENSION"
    assert asks_for(Request.GREEN, None) == "GREEN"
    assert asks_for(Request.EXTENSION, date(2021, 6, 30)) == "extension to 2021-06-30"
    pending = Pending(Request.CLOSED, date(2021, 4, 1), ME, "e", (), None, 2)
    assert pending.to_json("R/1")["request"] == "CLOSED"


def test_the_encryption_key_is_given_to_the_ledger_not_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", "not a key")
    # Set but not read: the ledger reads no environment, only what it is given.
    target = str(tmp_path / "ragw.db")
    ledger = open_ledger(target, create=True, encryption_key=KEY)
    assert ledger.encrypted
    ledger.register_report(
        "SECRET1", title="Hidden words", scope="force", published=date(2021, 1, 1), actor=ME
    )
    ledger.close()
    assert b"Hidden words" not in Path(target).read_bytes()
    reopened = open_ledger(target, create=False, encryption_key=KEY)
    assert reopened.get_report("SECRET1").title == "Hidden words"
    reopened.close()
    without = open_ledger(target, create=False)
    assert not without.encrypted
    with pytest.raises(LedgerError, match="encrypted"):
        without.get_report("SECRET1")
    without.close()
