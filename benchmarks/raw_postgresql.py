"""The baseline of ``postgresql.ingest_vs_raw``: the rows ragw stored for a register (its
events and their links in the chain), read back from PostgreSQL and inserted by plain
psycopg as fast as it can (one binary COPY a table, in one transaction) into empty
tables of the same definitions, in a schema of their own made for each run.

The events table is the event store's (its primary key, the position numbered by its
sequence, the unique index on it) and the chain's is ragw's: what ragw's recording
pays beyond it is its own work (encoding the events, hashing the links, the table
lock and the checks of the chain's head and the key).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from psycopg import sql

EVENTS = (
    "CREATE TABLE {schema}.stored_events (originator_id uuid NOT NULL, "
    "originator_version bigint NOT NULL, topic text, state bytea, "
    "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
)
POSITIONS = "CREATE UNIQUE INDEX ON {schema}.stored_events (notification_id ASC)"
CHAIN = "CREATE TABLE {schema}.ragw_chain (position BIGINT PRIMARY KEY, link TEXT NOT NULL)"


def raw_postgresql_seconds(target: str, events_table: str, runs: int = 3) -> tuple[int, float]:
    """(events, seconds): the stored rows of the ledger at ``target`` (its events in
    ``events_table``) inserted raw, the median of ``runs`` (one run alone varies)."""
    import psycopg

    with psycopg.connect(target, autocommit=True) as connection:
        events = sql.Identifier(events_table)
        rows = connection.execute(
            sql.SQL(
                "SELECT originator_id, originator_version, topic, state FROM {} "
                "ORDER BY notification_id"
            ).format(events)
        ).fetchall()
        links = connection.execute("SELECT position, link FROM ragw_chain ORDER BY position")
        chain = links.fetchall()
        seconds = [_once(connection, f"ragw_raw_{run}", rows, chain) for run in range(runs)]
    return len(rows), statistics.median(seconds)


def _once(connection: Any, name: str, rows: list[Any], links: list[Any]) -> float:
    schema = sql.Identifier(name)
    connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(schema))
    connection.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
    for statement in (EVENTS, POSITIONS, CHAIN):
        connection.execute(sql.SQL(statement).format(schema=schema))
    events = sql.SQL(
        "COPY {}.stored_events (originator_id, originator_version, topic, state) "
        "FROM STDIN (FORMAT BINARY)"
    ).format(schema)
    chain = sql.SQL("COPY {}.ragw_chain (position, link) FROM STDIN (FORMAT BINARY)").format(schema)
    started = time.perf_counter()
    with connection.transaction(), connection.cursor() as cursor:
        with cursor.copy(events) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for row in rows:
                copy.write_row(row)
        with cursor.copy(chain) as copy:
            copy.set_types(["int8", "text"])
            for row in links:
                copy.write_row(row)
    seconds = time.perf_counter() - started
    connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(schema))
    return seconds
