"""The board read from the stored model lists its items in the papers' order (newest
report first, refs as numbered, text in byte order) exactly as the fold does: on a
PostgreSQL database whose collation orders letters its own way, and when the board is
longer than the batches it is read in, on both stores."""

from __future__ import annotations

import itertools
import os
from datetime import date

import pytest

from ledger import Ledger, open_ledger
from projections.board import board_item, board_of, stored_board
from projections.recorded import Recorded
from projections.rows import BoardFilters
from projections.store import TimelineStore, streaming
from projections.store import queries as stored_queries
from projections.text import compact
from tests.postgres_server import PostgresServer
from tests.unit.test_time import ME

#: Refs whose byte order differs from a language's: upper case before lower case.
REFS = ("4b", "4B", "4a", "4A", "10", "2", "1c", "1C")
DAYS = (date(2019, 6, 1), date(2020, 6, 1), date(2021, 6, 1))
_numbers = itertools.count(1)


def record_two_reports(ledger: Ledger) -> None:
    """Two reports of the same refs; some items change status later, so a board as at
    an earlier day reads ended spans as well as open ones."""
    for code, published in (("OLDER", date(2018, 3, 1)), ("NEWER", date(2019, 5, 1))):
        ledger.register_report(
            code, title=code.title(), scope="force", published=published, actor=ME, on=published
        )
        for ref in REFS:
            ledger.issue_recommendation(
                code,
                ref,
                kind="recommendation",
                text=f"do {ref}",
                owner="Head of Roads",
                due="2020-01-31",
                status="AMBER",
                actor=ME,
                on=published,
            )
    for key in ("OLDER/4B", "NEWER/4a", "NEWER/1C", "OLDER/10"):
        ledger.change_status(key, "GREEN", reason="done", actor=ME, on=date(2020, 1, 15))


def folded(ledger: Ledger, day: date) -> list[str]:
    events = [event for _, event in ledger.read_log()]
    return [compact(item.to_json()) for item in board_of(Recorded.of(events), as_at=day).items]


@pytest.fixture
def language_ordered(postgres: PostgresServer) -> str:
    """A new PostgreSQL database whose collation is a language's (ICU), not bytes'."""
    import psycopg

    name = f"ragw_icu_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(postgres.admin_url, autocommit=True) as connection:
        try:
            connection.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu "
                "ICU_LOCALE 'en-GB' LOCALE 'C.UTF-8'"
            )
        except psycopg.Error as error:
            pytest.skip(f"this PostgreSQL has no ICU collations: {error}")
    target = postgres.url(name)
    with psycopg.connect(target) as connection:
        found = connection.execute("SELECT 'a' < 'B'").fetchone()
    assert found == (True,), "the database's collation sorts as bytes do: nothing tested"
    return target


@pytest.mark.postgres
def test_a_database_sorting_letters_its_own_way_lists_the_board_in_byte_order(
    language_ordered: str,
) -> None:
    ledger = open_ledger(language_ordered, create=True)
    store = TimelineStore(ledger, language_ordered)
    try:
        record_two_reports(ledger)
        for day in DAYS:
            assert list(stored_board(store, as_at=day)) == folded(ledger, day)
        newest = [board_item(line) for line in stored_board(store, as_at=DAYS[-1])][:8]
        assert [item.ref for item in newest] == ["1C", "1c", "2", "4A", "4B", "4a", "4b", "10"]
    finally:
        store.close()
        ledger.close()


def test_a_board_longer_than_its_batches_prints_whole_and_in_order(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read three rows at a time (on PostgreSQL, streamed from the server in chunks of
    three), the board is the fold's, every batch but the last full."""
    monkeypatch.setattr(stored_queries, "BATCH", 3)
    ledger = open_ledger(target, create=True)
    store = TimelineStore(ledger, target)
    try:
        record_two_reports(ledger)
        for day in DAYS:
            batches = list(store.board_batches(day))
            assert [line for batch in batches for line in batch] == folded(ledger, day)
            assert {len(batch) for batch in batches[:-1]} == {3}
            assert 0 < len(batches[-1]) <= 3
        unread = store.board_batches(DAYS[0])
        assert len(next(unread)) == 3
        unread.close()  # a reader that stops early: the store answers the next question
        assert list(stored_board(store, as_at=DAYS[0])) == folded(ledger, DAYS[0])
        by_report = list(store.board_batches(DAYS[0], filters=BoardFilters(report="OLDER")))
        assert [line for batch in by_report for line in batch] == [
            line for line in folded(ledger, DAYS[0]) if '"report":"OLDER"' in line
        ]
    finally:
        store.close()
        ledger.close()


@pytest.mark.postgres
def test_with_a_libpq_that_cannot_stream_in_chunks_the_board_is_fetched_a_batch_at_a_time(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A libpq older than 17: a server-side cursor, each batch fetched in turn."""
    monkeypatch.setattr(streaming, "chunked", lambda: False)
    monkeypatch.setattr(stored_queries, "BATCH", 3)
    target = postgres.create_database(f"ragw_unchunked_{os.getpid()}_{next(_numbers)}")
    ledger = open_ledger(target, create=True)
    store = TimelineStore(ledger, target)
    try:
        record_two_reports(ledger)
        batches = list(store.board_batches(DAYS[0]))
        assert [line for batch in batches for line in batch] == folded(ledger, DAYS[0])
        assert {len(batch) for batch in batches[:-1]} == {3}
        unread = store.board_batches(DAYS[0])
        next(unread)
        unread.close()
        assert list(stored_board(store, as_at=DAYS[0])) == folded(ledger, DAYS[0])
    finally:
        store.close()
        ledger.close()
