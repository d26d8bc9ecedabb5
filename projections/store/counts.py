"""Many organisations' read models counted on one PostgreSQL connection: what the
national summary asks of each force (its items by report and status, which of the
items with a verdict are on its board, its reports), without opening every
organisation's ledger (on a national register, opening 43 ledgers costs many times
what the counting does).

An organisation is counted here only when its read model is there, in this layout,
and in step with its log (its position at the log's last event, read in the same
snapshot as the counts): exactly when its own session would read that model without
changing it. Any other organisation (a model behind its log, none kept as for an
encrypted ledger, a login the server refuses, a SQLite store) is left out, for the
caller to read through its session as ever; so the counts are always those its board
gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from ledger.storage.organisation import schema_of
from ledger.storage.settings import is_postgres, open_connection
from projections.rows import ReportFacts
from projections.store.database import moment
from projections.store.prefixed import prefixed
from projections.store.queries import (
    REPORTS_QUERY,
    counted_rows,
    key_report_queries,
    report_facts,
    status_count_query,
)
from projections.store.schema import LAYOUT, LAYOUT_ROW, NAME


@dataclass(frozen=True)
class Counted:
    """One organisation's read model, counted."""

    #: (report, status or None, whether the force's to act on, how many).
    counts: list[tuple[str, str | None, bool, int]]
    #: Of the keys asked about, those on the board, with their reports.
    reports_of_keys: dict[str, str]
    reports: dict[str, ReportFacts]


def count_in_step(
    target: str,
    keys: dict[str, Iterable[str]],
    day: date,
    known_at: datetime | None,
) -> dict[str, Counted]:
    """Each organisation of ``keys`` (its keys: the items to look up) whose model is in
    step with its log, counted as at ``day`` as known at ``known_at``; the others are
    left out. Every organisation's statements go to the server together (psycopg's
    pipeline), three round trips in all however many organisations there are, in one
    snapshot."""
    if not is_postgres(target) or not keys:
        return {}
    import psycopg

    with open_connection(target) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        try:
            with connection.transaction():
                return _counted_together(connection, keys, day, known_at)
        except psycopg.Error:  # refused, or not as expected: each session reads its own
            return {}


def _counted_together(
    connection: Any, keys: dict[str, Iterable[str]], day: date, known_at: datetime | None
) -> dict[str, Counted]:
    schemas = {org: schema_of(org) for org in keys}
    # which organisations this login may read a model of, in this layout
    there = _pipelined(
        connection,
        {
            org: (
                "SELECT has_schema_privilege(%s, 'USAGE') AND to_regclass(%s) IS NOT NULL "
                "AND to_regclass(%s) IS NOT NULL",
                (schema, f"{schema}.ragw_tracking", f"{schema}.ragw_events"),
            )
            for org, schema in schemas.items()
        },
    )
    readable = [org for org, rows in there.items() if rows[0][0]]
    # the model's layout and position against the log's last event
    steps = _pipelined(
        connection,
        {
            org: (
                _in(
                    schemas[org],
                    "SELECT (SELECT position FROM ragw_tracking WHERE name = ?), "
                    "(SELECT position FROM ragw_tracking WHERE name = ?), "
                    "(SELECT COALESCE(MAX(notification_id), 0) FROM ragw_events)",
                ),
                (LAYOUT_ROW, NAME),
            )
            for org in readable
        },
    )
    in_step = [
        org
        for org, [(layout, position, last)] in steps.items()
        if layout == LAYOUT and position is not None and position >= last
    ]
    counted_query, counted_values = status_count_query(day, known_at)
    reports_query: str = REPORTS_QUERY
    reports_values: tuple[str, ...] = ()
    if known_at is not None:
        reports_query, reports_values = (
            REPORTS_QUERY + " WHERE known_from <= ?",
            (moment(known_at),),
        )
    statements: dict[tuple[str, str, int], tuple[str, tuple[Any, ...]]] = {}
    for org in in_step:
        schema = schemas[org]
        statements[(org, "counts", 0)] = (_in(schema, counted_query), counted_values)
        statements[(org, "reports", 0)] = (_in(schema, reports_query), reports_values)
        for index, (query, values) in enumerate(key_report_queries(day, known_at, list(keys[org]))):
            statements[(org, "keys", index)] = (_in(schema, query), values)
    found = _pipelined(connection, statements)
    counted: dict[str, Counted] = {}
    for org in in_step:
        on_board: dict[str, str] = {}
        for (owner, what, _), rows in found.items():
            if owner == org and what == "keys":
                on_board.update(dict(rows))
        counted[org] = Counted(
            counted_rows(found[(org, "counts", 0)]),
            on_board,
            report_facts(found[(org, "reports", 0)]),
        )
    return counted


def _in(schema: str, query: str) -> str:
    """``query`` (written for one ledger's tables, with ``?`` parameters) on the tables
    of ``schema``, in psycopg's parameters."""
    return prefixed(f"{schema}.", query).replace("?", "%s")


T = TypeVar("T")


def _pipelined(
    connection: Any, statements: dict[T, tuple[str, tuple[Any, ...]]]
) -> dict[T, list[Any]]:
    """Each statement's rows, the statements sent together and answered together."""
    cursors = {}
    with connection.pipeline():
        for name, (query, values) in statements.items():
            cursor = cursors[name] = connection.cursor()
            cursor.execute(query, values)
    return {name: list(cursor.fetchall()) for name, cursor in cursors.items()}
