"""A moment typed without a zone means the same moment on the command line and on the
web: the local time of the machine ragw runs on, as ISO 8601 reads it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from cli.common import parse_moment
from ledger.errors import InvalidInputError
from web.pages import moment_given


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026-12-01T17:00", datetime(2026, 12, 1, 22, 0, tzinfo=UTC)),
        ("2026-07-01T17:00", datetime(2026, 7, 1, 21, 0, tzinfo=UTC)),  # summer time
        ("2026-12-01T17:00+00:00", datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),
        ("2026-12-01T17:00Z", datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),
        ("2026-12-01", datetime(2026, 12, 2, 4, 59, 59, 999999, tzinfo=UTC)),
        ("20261201", datetime(2026, 12, 2, 4, 59, 59, 999999, tzinfo=UTC)),  # a day too
        ("2026-W49-2", datetime(2026, 12, 2, 4, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_a_moment_typed_means_one_moment_on_the_command_line_and_the_web(
    new_york: None, typed: str, meant: datetime
) -> None:
    on_the_command_line = parse_moment(typed)
    on_the_web = moment_given(typed, "As known at")
    assert on_the_command_line == on_the_web == meant


@pytest.mark.parametrize("typed", ["yesterday", "2026-13-01T10:00", "1066-10-14T09:00"])
def test_a_moment_not_understood_is_refused_alike_naming_where_it_was_given(typed: str) -> None:
    with pytest.raises(InvalidInputError, match="--as-known-at"):
        parse_moment(typed)
    with pytest.raises(InvalidInputError, match="As known at"):
        moment_given(typed, "As known at")
