"""The board read from the stored model lists its items in the papers' order (newest
report first, refs as numbered, text in byte order) exactly as the fold does: on a
PostgreSQL database whose collation orders letters its own way, and when the board is
longer than the batches it is read in, on both stores."""

from __future__ import annotations

import itertools
import os
import time
from datetime import date

import pytest

from events import Kind, Scope
from ledger import Ledger, open_ledger
from ledger.aggregates import Recommendation, Report
from ledger.due import parse_due
from ledger.errors import LedgerError
from projections.board import board_item, board_of, stored_board
from projections.recorded import Recorded
from projections.rows import BoardFilters
from projections.store import TimelineStore
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
        # a place column altered to the language's order: the board's order is the query's
        store.catch_up()
        store.connection.execute(
            'ALTER TABLE ragw_board_open ALTER COLUMN place TYPE text COLLATE "und-x-icu"'
        )
        store.connection.commit()
        for day in DAYS:
            assert list(stored_board(store, as_at=day)) == folded(ledger, day)
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


def record_a_board_larger_than_the_connection_holds(ledger: Ledger, items: int) -> None:
    """``items`` items of one report, recorded at once: several MB of board lines, more
    than the connection's buffers take before the server must wait for the reader."""
    published = date(2019, 1, 1)
    report = Report.register(
        code="BIG",
        title="A large inspection",
        scope=Scope.FORCE,
        published=published,
        inspectorates=["HMICFRS"],
        makes=items,
        actor=ME,
        on=published,
    )
    made = [
        Recommendation.issue(
            report=report,
            ref=str(ref),
            kind=Kind.AFI,
            text=f"Recommendation {ref}: " + "worded at length, as inspectorates word them " * 40,
            owner="Head of Crime",
            lead=None,
            due=parse_due("2020-12-31"),
            status=None,
            reason=None,
            actor=ME,
            on=published,
        )
        for ref in range(1, items + 1)
    ]
    ledger.save_all(report, *made, what="BIG")


@pytest.mark.postgres
def test_a_reader_slower_than_the_database_s_statement_timeout_still_gets_the_whole_board(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch is a statement of its own (a server-side cursor's ``FETCH``): a pager
    read slowly is not cut off half way by a ``statement_timeout`` meant for slow
    queries, as a result streamed whole (one statement) would be."""
    monkeypatch.setattr(stored_queries, "BATCH", 500)
    target = postgres.create_database(f"ragw_slow_reader_{os.getpid()}_{next(_numbers)}")
    ledger = open_ledger(target, create=True)
    record_a_board_larger_than_the_connection_holds(ledger, items=6_000)
    writer = TimelineStore(ledger, target)  # the model made before, with no timeout: its
    writer.catch_up()  # writing is not what is timed (a loaded machine can take 300 ms)
    writer.close()
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=300")
    store = TimelineStore(ledger, target)
    try:
        store.catch_up()  # in step: nothing to write
        lines = []
        for batch in store.board_batches(DAYS[-1]):
            time.sleep(0.05)  # the reader's pace: longer than the timeout in all
            lines += batch
        assert len(lines) == 6_000
        assert lines == folded(ledger, DAYS[-1])
    finally:
        store.close()
        ledger.close()


def test_a_store_asked_anything_while_a_board_is_half_read_refuses_rather_than_waits(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board holds the store's connection until it is read or closed: a question
    asked of the same store meanwhile gets a clear refusal, never a wait for ever."""
    monkeypatch.setattr(stored_queries, "BATCH", 3)
    ledger = open_ledger(target, create=True)
    store = TimelineStore(ledger, target)
    try:
        record_two_reports(ledger)
        half_read = store.board_batches(DAYS[0])
        next(half_read)
        with pytest.raises(LedgerError, match="still reading a board"):
            store.position()
        half_read.close()
        assert list(stored_board(store, as_at=DAYS[0])) == folded(ledger, DAYS[0])
    finally:
        store.close()
        ledger.close()
