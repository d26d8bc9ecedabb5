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
from typing import Any

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
    left out."""
    if not is_postgres(target) or not keys:
        return {}
    found: dict[str, Counted] = {}
    import psycopg

    with open_connection(target) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        for org, wanted in keys.items():
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    counted = _counted(cursor, schema_of(org), list(wanted), day, known_at)
            except psycopg.Error:  # refused, or not as expected: its session reads it
                continue
            if counted is not None:
                found[org] = counted
    return found


def _counted(
    cursor: Any, schema: str, keys: list[str], day: date, known_at: datetime | None
) -> Counted | None:
    def run(query: str, parameters: tuple[str, ...] = ()) -> list[Any]:
        cursor.execute(prefixed(f"{schema}.", query).replace("?", "%s"), parameters)
        return list(cursor.fetchall())

    # the ledger's log is the event store's table named after the application
    cursor.execute(
        "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
        (f"{schema}.ragw_tracking", f"{schema}.ragw_events"),
    )
    if not cursor.fetchone()[0]:
        return None
    tracking = dict(run("SELECT name, position FROM ragw_tracking"))
    [(last,)] = run("SELECT COALESCE(MAX(notification_id), 0) FROM ragw_events")
    if tracking.get(LAYOUT_ROW) != LAYOUT or tracking.get(NAME, -1) < last:
        return None
    counts = counted_rows(run(*status_count_query(day, known_at)))
    on_board: dict[str, str] = {}
    for query in key_report_queries(day, known_at, keys):
        on_board.update(dict(run(*query)))
    if known_at is None:
        reports = report_facts(run(REPORTS_QUERY))
    else:
        reports = report_facts(run(REPORTS_QUERY + " WHERE known_from <= ?", (moment(known_at),)))
    return Counted(counts, on_board, reports)
