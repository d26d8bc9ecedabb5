"""Shared set-up: ledgers on real SQLite files and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher

from ledger import Ledger, open_ledger
from tests import postgres_server

# Debian's chromium, headless, once for the whole run: the paper's tests and the web's
# share it (playwright's synchronous API allows one at a time).
from tests.chromium import browser, chromium_path

__all__ = ["browser", "chromium_path"]

TODAY = date(2021, 6, 1)
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_server.PostgresServer]:
    """A PostgreSQL server for the whole run. Outside CI a missing server skips its
    tests; in CI (CI=true) it fails them."""
    try:
        server = postgres_server.start()
    except Exception as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(f"no PostgreSQL server could be started here: {error}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty ledger target: a SQLite file path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ragw.db")
    server = request.getfixturevalue("postgres")
    return server.create_database(f"ragw_test_{os.getpid()}_{next(_database_numbers)}")


@pytest.fixture(
    params=[pytest.param(None, id="clear"), pytest.param(AESCipher.create_key(32), id="sealed")]
)
def key(request: pytest.FixtureRequest) -> str | None:
    """A ledger's encryption key: None, a ledger kept in clear with its read model in
    clear; a key, an encrypted ledger with its read model sealed under it. A test of the
    model that asks for it holds for both."""
    return request.param


@pytest.fixture
def open_at(target: str) -> Iterator[Callable[..., Ledger]]:
    opened: list[Ledger] = []

    def opener(*, today: date = TODAY) -> Ledger:
        ledger = open_ledger(target, create=True)
        ledger.today = lambda: today  # type: ignore[method-assign]
        opened.append(ledger)
        return ledger

    yield opener
    for ledger in opened:
        ledger.close()


def memory_ledger(today: date = TODAY) -> Ledger:
    """An in-memory ledger, for fast property tests of the rules and folds."""
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    ledger.today = lambda: today  # type: ignore[method-assign]
    return ledger
