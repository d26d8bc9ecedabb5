"""Many organisations' read models counted together on PostgreSQL, in one snapshot: what the
national summary asks of each force (its items by report, status and the verdict in
effect on each, and its reports), without opening any organisation's ledger (on a
national register, opening 43 ledgers and reading the inspectorate's thousands of
verdicts costs many times what the counting does). The verdicts are the inspectorates'
read models' (``ragw_verdicts``), joined to each force's board by the server.

An organisation is counted here only when its read model is there, in this layout,
and in step with its log (its position at the log's last event, read in the same
snapshot as the counts), and so is every inspectorate's: exactly when its own session
would read that model without changing it. Any other organisation (a model behind its
log, a sealed one as an encrypted ledger keeps, a login the server refuses, a SQLite store)
is left out, for the caller to read through its session as ever, and every one is when
an inspectorate's model is not in step; so the counts are always those its board gives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast

from events import Status, Verdict
from ledger.storage.organisation import schema_of
from ledger.storage.settings import is_postgres, open_connection
from projections.rows import ReportFacts
from projections.store.database import moment
from projections.store.prefixed import prefixed
from projections.store.queries import (
    REPORTS_QUERY,
    current_query,
    key_report_queries,
    report_facts,
)
from projections.store.schema import LAYOUT, LAYOUT_ROW, NAME, SEAL_ROW

#: One organisation's verdicts from one inspectorate's read model: every one given by
#: the day (and recorded by the moment, when one is asked about).
VERDICTS_GIVEN = (
    "SELECT key, verdict, day, known_from, version, {rank} AS source "
    "FROM ragw_verdicts WHERE org = ? AND day <= ?"
)


def verdicts_in_effect(given: list[str]) -> str:
    """The (key, verdict) of each item's verdict in effect, of those each of ``given``
    (:data:`VERDICTS_GIVEN` of an inspectorate, ranked in the register's order) selects,
    as :func:`ledger.aggregates.verdicts.prevails` ranks them, whichever inspectorate
    gave them: the latest by day, then by recording; of equals, the first inspectorate's,
    then the first recorded."""
    union = " UNION ALL ".join(given)
    return (
        f"SELECT DISTINCT ON (key) key, verdict FROM ({union}) AS given "
        "ORDER BY key, day DESC, known_from DESC, source, version"
    )


#: What each report's items are counted by, in order: how many; how many of each status
#: (:class:`events.Status`), then of none (not assessed); of each verdict
#: (:class:`events.Verdict`), then of none; and how many are not the force's to act on.
TALLY = ", ".join(
    (
        "COUNT(*)",
        *(f"COUNT(*) FILTER (WHERE status = '{status.value}')" for status in Status),
        "COUNT(*) FILTER (WHERE status IS NULL)",
        *(f"COUNT(*) FILTER (WHERE verdict = '{verdict.value}')" for verdict in Verdict),
        "COUNT(*) FILTER (WHERE verdict IS NULL)",
        "COUNT(*) FILTER (WHERE relevance IS NOT NULL)",
    )
)


@dataclass(frozen=True)
class Counted:
    """One organisation's read model, counted."""

    #: Each report's items counted (:data:`TALLY`), by the report's code.
    tallies: dict[str, list[int]]
    reports: dict[str, ReportFacts]
    #: Of the keys asked about (counted without an inspectorate's verdicts), those on
    #: the board, with their reports.
    on_board: dict[str, str]
    #: The items on the board under a report the organisation says it received that its
    #: issuer did not issue (:data:`RECEIVED`): planted, for the caller to count apart.
    planted: list[str]


@dataclass(frozen=True)
class InStep:
    """The organisations counted, by code; and the inspectorates whose models were not
    in step, when that kept every organisation from being counted."""

    counted: dict[str, Counted]
    behind: list[str]


#: The items under the reports an organisation says it received from an issuer.
RECEIVED = "AND report IN (SELECT code FROM ragw_reports WHERE origin IS NOT NULL) "
#: Of those, the keys an issuer did not issue under that report: each issued item is
#: given as its issuer's code and its key, joined by :data:`ISSUED_BY` (the separator
#: is given to the query too, so the two cannot disagree).
PLANTED = (
    "SELECT board.key FROM ({board}) AS board JOIN ragw_reports AS r ON r.code = board.report "
    "WHERE NOT (r.origin || ? || board.key = ANY(?::text[]))"
)
ISSUED_BY = "\x1f"

#: The connections the counting is shared between, all reading one snapshot (as
#: ``pg_dump --jobs`` shares one): the server counts on as many of its cores.
CONNECTIONS = 2
#: Fewer organisations than this are counted on one connection: a second costs more
#: than it saves.
SHARED_FROM = 8


def count_in_step(
    target: str,
    orgs: Iterable[str],
    inspectorates: Sequence[str],
    day: date,
    known_at: datetime | None,
    keys: Mapping[str, Iterable[str]] | None = None,
    issued: Sequence[str] = (),
) -> InStep:
    """Each of ``orgs`` whose model is in step with its log, counted as at ``day`` as
    known at ``known_at`` with the verdicts of ``inspectorates`` (in the register's
    order: a later one's verdict on an item stands over an earlier one's); the others
    are left out, and all are when an inspectorate's model is not in step. Counted
    without inspectorates, ``keys`` (by organisation) are looked up on each board
    instead, for the caller to place the verdicts it read itself. The items under
    reports an organisation received are held to ``issued`` (each item an issuer issued,
    :data:`ISSUED_BY`): the keys of any planted are given (``Counted.planted``), for the caller
    to count that organisation another way. Each connection's
    statements go to the server together (psycopg's pipeline), three round trips in
    all however many organisations there are, all in one snapshot."""
    wanted, given_by = list(orgs), list(inspectorates)
    if not is_postgres(target) or not wanted:
        return InStep({}, [])
    import psycopg

    asked = {org: sorted(set(keys.get(org, ()))) for org in wanted} if keys else {}
    ways = CONNECTIONS if len(wanted) >= SHARED_FROM else 1
    try:
        try:
            shares = [wanted[k::ways] for k in range(ways)]
            found = _shared(target, shares, given_by, day, known_at, asked, issued)
        except psycopg.Error:
            if ways == 1:
                raise
            # a second connection refused (a login's connection limit, say): one alone
            found = _shared(target, [wanted], given_by, day, known_at, asked, issued)
    except psycopg.Error:  # refused, or not as expected: each session reads its own
        return InStep({}, [])
    behind = [code for code in given_by if any(code in share.behind for share in found)]
    if behind:
        return InStep({}, behind)
    counted = {org: share.counted[org] for share in found for org in share.counted}
    return InStep({org: counted[org] for org in wanted if org in counted}, [])


def _shared(
    target: str,
    shares: list[list[str]],
    inspectorates: list[str],
    day: date,
    known_at: datetime | None,
    keys: dict[str, list[str]],
    issued: Sequence[str],
) -> list[InStep]:
    """Each share of the organisations counted on a connection of its own, each
    connection in a thread of its own, the first connection's snapshot imported by the
    others (``SET TRANSACTION SNAPSHOT``): what one would count alone."""
    import psycopg

    found: list[InStep | BaseException | None] = [None] * len(shares)
    imported = [threading.Event() for _ in shares]
    threads: list[threading.Thread] = []

    def count(k: int, snapshot: str) -> None:
        try:
            with open_connection(target) as connection:
                connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                with connection.transaction():
                    connection.execute(
                        _with_values(connection, "SET TRANSACTION SNAPSHOT %s", (snapshot,))
                    )
                    imported[k].set()
                    found[k] = _counted_together(
                        connection, shares[k], inspectorates, day, known_at, keys, issued
                    )
        except BaseException as error:  # told to the thread that waits for it
            found[k] = error
        finally:
            imported[k].set()

    try:
        with open_connection(target) as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            with connection.transaction():
                if len(shares) > 1:
                    snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
                    for k in range(1, len(shares)):
                        threads.append(threading.Thread(target=count, args=(k, snapshot)))
                        threads[-1].start()
                found[0] = _counted_together(
                    connection, shares[0], inspectorates, day, known_at, keys, issued
                )
                for k in range(1, len(shares)):  # exported until every other has it
                    imported[k].wait()
    finally:
        for thread in threads:
            thread.join()
    for outcome in found:
        if isinstance(outcome, BaseException):
            raise outcome
    return [cast(InStep, outcome) for outcome in found]


def _counted_together(
    connection: Any,
    orgs: list[str],
    inspectorates: list[str],
    day: date,
    known_at: datetime | None,
    keys: dict[str, list[str]],
    issued: Sequence[str],
) -> InStep:
    schemas = {org: schema_of(org) for org in (*inspectorates, *orgs)}
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
    # the model's layout and position against the log's last event (a model past it
    # read events since deleted: read through its own session, which refuses it)
    steps = _pipelined(
        connection,
        {
            org: (
                _in(
                    schemas[org],
                    "SELECT (SELECT position FROM ragw_tracking WHERE name = ?), "
                    "(SELECT position FROM ragw_tracking WHERE name = ?), "
                    "(SELECT COALESCE(MAX(notification_id), 0) FROM ragw_events), "
                    "(SELECT position FROM ragw_tracking WHERE name = ?)",
                ),
                (LAYOUT_ROW, NAME, SEAL_ROW),
            )
            for org in readable
        },
    )
    # a sealed model (an encrypted ledger's) is read through its own session, which
    # holds its key: its tokens and sealed text mean nothing to the server
    in_step = {
        org
        for org, [(layout, position, last, sealed)] in steps.items()
        if layout == LAYOUT and position is not None and position == last and sealed is None
    }
    behind = [code for code in inspectorates if code not in in_step]
    if behind:  # no verdict can be counted here
        return InStep({}, behind)
    reports_query: str = REPORTS_QUERY
    reports_values: tuple[str, ...] = ()
    if known_at is not None:
        reports_query, reports_values = (
            REPORTS_QUERY + " WHERE known_from <= ?",
            (moment(known_at),),
        )
    statements: dict[tuple[str, str, int], tuple[str, tuple[Any, ...]]] = {}
    counted_in = [org for org in orgs if org in in_step]
    for org in counted_in:
        schema = schemas[org]
        given, given_values = _verdicts_of(org, inspectorates, schemas, day, known_at)
        board, values = current_query(day, known_at, "SELECT key, report, status, relevance")
        # the verdicts' tables named in their own schemas once the board's are in its
        statements[(org, "counts", 0)] = (
            f"SELECT report, {TALLY} FROM ({_in(schema, board)}) AS board "
            f"LEFT JOIN ({given}) AS given USING (key) GROUP BY report",
            (*values, *given_values),
        )
        statements[(org, "reports", 0)] = (_in(schema, reports_query), reports_values)
        received, values = current_query(day, known_at, "SELECT key, report", RECEIVED)
        statements[(org, "planted", 0)] = (
            _in(schema, PLANTED.format(board=received)),
            (*values, ISSUED_BY, list(issued)),
        )
        for index, (query, values) in enumerate(
            key_report_queries(day, known_at, keys.get(org, []))
        ):
            statements[(org, "keys", index)] = (_in(schema, query), values)
    found = _pipelined(connection, statements)
    seen: dict[tuple[Any, ...], ReportFacts] = {}
    on_board: dict[str, dict[str, str]] = {org: {} for org in counted_in}
    for (org, what, _), rows in found.items():
        if what == "keys":
            on_board[org].update(rows)
    counted = {
        org: Counted(
            {report: list(numbers) for report, *numbers in found[(org, "counts", 0)]},
            report_facts(found[(org, "reports", 0)], seen),
            on_board[org],
            [key for (key,) in found[(org, "planted", 0)]],
        )
        for org in counted_in
    }
    return InStep(counted, [])


def _verdicts_of(
    org: str,
    inspectorates: list[str],
    schemas: dict[str, str],
    day: date,
    known_at: datetime | None,
) -> tuple[str, tuple[str, ...]]:
    """The query of the verdicts in effect on ``org``'s items (key, verdict), its
    tables named in each inspectorate's schema, and its parameters (none without an
    inspectorate)."""
    if not inspectorates:
        return "SELECT ''::text AS key, ''::text AS verdict WHERE false", ()
    given, values = [], []
    for rank, inspectorate in enumerate(inspectorates):
        query = VERDICTS_GIVEN.format(rank=rank)
        values += [org, day.isoformat()]
        if known_at is not None:
            query += " AND known_from <= ?"
            values.append(moment(known_at))
        given.append(_in(schemas[inspectorate], query))
    return verdicts_in_effect(given), tuple(values)


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
            cursor.execute(_with_values(connection, query, values))
    return {name: list(cursor.fetchall()) for name, cursor in cursors.items()}


def _with_values(connection: Any, query: str, values: tuple[Any, ...]) -> str:
    """``query`` with each ``%s`` replaced by its value, quoted by the driver as a
    literal: each organisation's statements differ (their schemas), so none is kept
    parsed, and finding the parameters of a long one costs more than its counting."""
    from psycopg import sql

    parts = query.split("%s")
    if len(parts) != len(values) + 1:
        raise ValueError("a statement's parameters do not match its values")
    quoted = [sql.Literal(value).as_string(connection) for value in values]
    return "".join(part + literal for part, literal in zip(parts, [*quoted, ""], strict=True))
