"""What verify says of an intact ledger: the same lines from every front end, each
naming what was checked and what could not be, counted as it reads."""

from __future__ import annotations

import pytest

from ledger.chain import Digest
from projections.store.audit import Audited
from projections.usecases.integrity import Verified

HEAD = Digest(1, "0" * 64)


@pytest.mark.parametrize(("events", "said"), [(1, "1 event,"), (2, "2 events,"), (0, "0 events,")])
def test_the_chain_s_line_counts_its_events_as_it_reads(events: int, said: str) -> None:
    assert Verified(events, HEAD).said()[0] == f"ok: {said} every link matches"


def test_a_ledger_read_without_its_key_says_what_was_not_checked_naming_the_key_as_given() -> None:
    lines = Verified(3, HEAD, unchecked=1, unopened=True).said("RAGW_ENCRYPTION_KEY")
    assert lines[1] == (
        "the ledger is encrypted and RAGW_ENCRYPTION_KEY was not given: the logins and rules "
        "of 1 event recorded under roles were not checked, as only the key reads the events; "
        "their chain was"
    )
    assert lines[2] == (
        "the ledger is encrypted and RAGW_ENCRYPTION_KEY was not given: the read model was "
        "not checked, as only the key opens it; the events' chain was"
    )
    assert len(lines) == 3


def test_a_model_checked_or_not_kept_is_said_once_and_never_as_unchecked() -> None:
    checked = Verified(3, HEAD, model=Audited(rows=9, position=3, behind=1)).said()
    assert checked[1] == (
        "ok: read model, 9 rows, each what the events up to position 3 give; 1 later event "
        "is not in it yet (the next read brings them in)"
    )
    absent = Verified(3, HEAD, kept=False).said()
    assert absent[1].startswith("no read model is kept beside the events yet")
    events_only = Verified(3, HEAD, replayed=3).said()
    assert events_only[1:] == [
        "ok: 3 events replayed, each what the rules it was recorded under give"
    ]
