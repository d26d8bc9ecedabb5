"""The board's rows streamed out of PostgreSQL a batch at a time: its plan, and how the
rows reach the client, measured with ``EXPLAIN (ANALYZE, BUFFERS)`` on a register of
200,000 events (``benchmarks/README.md``)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

#: The settings of the board's read transaction. The model's pages are read from memory:
#: at a disk's cost of a random read (4) the planner sorts every open row (spilling to
#: disk) rather than walk the index on place, and nothing is sent until the sort ends;
#: a board's plan is never worth compiling (JIT, which large tables would turn on).
BOARD_SETTINGS = ("SET LOCAL random_page_cost = 1.1", "SET LOCAL jit = off")


def streamed_rows(
    connection: Any, cursor: Any, query: str, parameters: tuple[Any, ...], batch: int
) -> Generator[list[Any], None, None]:
    """The rows of ``query``, ``batch`` at a time, in ``cursor``'s transaction, through a
    server-side cursor: each batch is a ``FETCH`` of its own, so a reader as slow as a
    pager is never cut off by the database's ``statement_timeout`` (a result streamed
    whole, in chunks, is one statement however long the reader takes), and memory holds
    one batch."""
    for setting in BOARD_SETTINGS:
        cursor.execute(setting)
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
