"""The board's rows streamed out of PostgreSQL a batch at a time: its plan, and how the
rows reach the client, measured with ``EXPLAIN (ANALYZE, BUFFERS)`` on a register of
200,000 events (``benchmarks/README.md``)."""

from __future__ import annotations

from collections.abc import Generator
from itertools import islice
from typing import Any

#: The settings of the board's read transaction. The model's pages are read from memory:
#: at a disk's cost of a random read (4) the planner sorts every open row (spilling to
#: disk) rather than walk the index on place, and nothing is sent until the sort ends;
#: a board's plan is never worth compiling (JIT, which large tables would turn on).
BOARD_SETTINGS = ("SET LOCAL random_page_cost = 1.1", "SET LOCAL jit = off")


def chunked() -> bool:
    """Whether this libpq (17 or later) hands over a result in chunks as it arrives."""
    import psycopg

    return bool(psycopg.capabilities.has_stream_chunked())


def streamed_rows(
    connection: Any, cursor: Any, query: str, parameters: tuple[Any, ...], batch: int
) -> Generator[list[Any], None, None]:
    """The rows of ``query``, ``batch`` at a time, in ``cursor``'s transaction: the server
    sends them all at once, in chunks, so it makes the next while these are printed;
    with an older libpq, a server-side cursor fetches each batch in turn."""
    for setting in BOARD_SETTINGS:
        cursor.execute(setting)
    if chunked():
        # The connection is busy until the rows are read or this generator is closed.
        rows = cursor.stream(query, parameters, size=batch)
        try:
            while found := list(islice(rows, batch)):
                yield found
        finally:
            rows.close()  # an unread rest is cancelled
        return
    named = connection.cursor(name="ragw_board")
    try:
        named.execute(query, parameters)
        while found := named.fetchmany(batch):
            yield found
    finally:
        named.close()


def fetched_rows(
    cursor: Any, query: str, parameters: tuple[Any, ...], batch: int
) -> Generator[list[Any], None, None]:
    """The rows of ``query``, ``batch`` at a time (SQLite steps through them as asked)."""
    cursor.execute(query, parameters)
    while found := cursor.fetchmany(batch):
        yield found
