"""The read model's answers: every item as at a day as known at a moment (one indexed
query), the board's rows ready to print in the papers' order, the reports, committees
and meetings recorded by a moment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime
from typing import Any, cast

from events import EVENT_TYPES, InspectionEvent
from ledger.errors import Fix, Hint, LedgerError
from ledger.state import ItemState
from projections.rows import BoardFilters, ReportFacts, board_row_sql, overdue_sql
from projections.store.database import Database, moment
from projections.store.sealed_columns import open_line
from projections.store.sealing import Sealer
from projections.store.state import STATE, StoredState
from projections.store.streaming import fetched_rows, streamed_rows

#: Rows fetched at a time when streaming a board out.
BATCH = 2000
#: The board's order on PostgreSQL: byte order, said in the query as well as by the
#: columns' collation (``COLLATE "C"``, so the index on place gives it), so that a column
#: altered to another collation can neither reorder the board nor, two differing, break it.
PLACE_ORDER = 'place COLLATE "C"'
#: A board row as printed: its JSON with ``overdue`` decided for the day asked about.
BOARD_ROW = f"SELECT {{owner}}{board_row_sql()}, place"
#: The columns a paper reads of every item; the rest of the state is read on demand.
STATE_SELECT = """SELECT key, report, status, due, owner, original_due, times_extended,
    extended_on, pending, effective_from, {known_from}"""
#: The columns of :data:`projections.recorded.Row`.
ROW_SELECT = """SELECT key, report, status, due, owner, original_due, times_extended,
    extended_on, pending, relevance"""
#: The rows a paper counts: the force's items (see ``relevance``).
COUNTED = "AND relevance IS NULL "
CURRENT = "WHERE effective_until > ? AND effective_from <= ? "
AS_KNOWN = "AND known_from <= ? AND (known_until IS NULL OR known_until > ?) "


def current_query(
    day: date,
    known_at: datetime | None,
    columns: str,
    where: str = "",
    values: tuple[str, ...] = (),
    column_values: tuple[str, ...] = (),
    ordered: str = "",
) -> tuple[str, tuple[str, ...]]:
    """``SELECT columns`` of every item as at ``day`` as known at ``known_at`` that
    also meets ``where`` (``AND …`` with ``values``), and its parameters: from the
    spans known now (the open ones, then the ended ones that were current on the
    day), or from every span ever known. With ``ordered`` (PostgreSQL) the spans known
    now come each in that order, so the planner can merge the two unsorted."""
    when = day.isoformat()
    if known_at is None:
        columns = columns.replace("{known_from}", "NULL")
        open_ = f"{columns} FROM ragw_board_open WHERE effective_from <= ? {where}"
        ended = f"{columns} FROM ragw_board {CURRENT}{where}"
        parameters = (*column_values, when, *values, *column_values, when, when, *values)
        if ordered:
            return f"({open_}ORDER BY {ordered}) UNION ALL ({ended}ORDER BY {ordered})", parameters
        return f"{open_} UNION ALL {ended}", parameters
    known = moment(known_at)
    columns = columns.replace("{known_from}", "known_from")
    query = f"{columns} FROM ragw_spans {CURRENT}{AS_KNOWN}{where}"
    return query, (*column_values, when, when, known, known, *values)


def status_count_query(day: date, known_at: datetime | None) -> tuple[str, tuple[str, ...]]:
    """The items on the board as at ``day`` as known at ``known_at`` counted by report,
    status and whether the force's to act on (``?`` parameters)."""
    columns = "SELECT report, status, CASE WHEN relevance IS NULL THEN 1 ELSE 0 END AS ours"
    query, parameters = current_query(day, known_at, columns)
    grouped = (
        f"SELECT report, status, ours, COUNT(*) FROM ({query}) AS board "
        "GROUP BY report, status, ours"
    )
    return grouped, parameters


def counted_rows(rows: list[Any]) -> list[tuple[str, str | None, bool, int]]:
    return [(report, status, bool(ours), int(n)) for report, status, ours, n in rows]


def key_report_queries(
    day: date, known_at: datetime | None, keys: list[str]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The queries finding which of ``keys`` are on the board as at ``day`` as known at
    ``known_at``, with their reports: (key, report) rows, 400 keys a query."""
    ordered = sorted(set(keys))
    for index in range(0, len(ordered), 400):
        chunk = tuple(ordered[index : index + 400])
        where = f"AND key IN ({', '.join('?' * len(chunk))}) "
        yield current_query(day, known_at, "SELECT key, report", where, chunk)


REPORTS_QUERY = (
    "SELECT code, title, scope, published, inspectorates, makes, restricted, inspection, "
    "origin FROM ragw_reports"
)


def report_facts(
    rows: list[Any], seen: dict[tuple[Any, ...], ReportFacts] | None = None
) -> dict[str, ReportFacts]:
    """The rows of :data:`REPORTS_QUERY`, by code; a row already in ``seen`` (a
    national report every force holds alike) is not read again."""
    found: dict[str, ReportFacts] = {}
    for row in rows:
        row = tuple(row)
        facts = seen.get(row) if seen is not None else None
        if facts is None:
            code, title, scope, published, inspectorates, makes, restricted, inspection, origin = (
                row
            )
            facts = ReportFacts(
                code,
                title,
                scope,
                date.fromisoformat(published),
                tuple(json.loads(inspectorates)),
                makes,
                bool(restricted),
                inspection,
                origin,
            )
            if seen is not None:
                seen[row] = facts
        found[facts.code] = facts
    return found


def _sql_of(postgres: bool, query: str, parameters: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    return (query.replace("?", "%s") if postgres else query), parameters


class Queries(Database):
    """The reads of the model, each after catching up with the log."""

    def states_as_at(self, day: date, known_at: datetime | None = None) -> dict[str, StoredState]:
        """Every item on the board as at ``day`` as known at ``known_at`` (now when None),
        by key, after catching up with the log."""
        rows = self._fetch_current(day, known_at, STATE_SELECT)
        load = self._state_json
        states = {row[0]: StoredState(row, load) for row in rows}
        if len(states) != len(rows):  # spans of one item overlap: the model is damaged
            raise LedgerError(
                "the stored timelines overlap: the read model is damaged; {hint}",
                hint=Hint.to(Fix.REBUILD),
            )
        return states

    def rows_as_at(self, day: date, known_at: datetime | None = None) -> list[Any]:
        """Every item on the board as at ``day`` as known at ``known_at``: the columns
        papers read (:data:`projections.recorded.Row`)."""
        return self._fetch_current(day, known_at, ROW_SELECT)

    def _fetch_current(
        self, day: date, known_at: datetime | None, columns: str, where: str = ""
    ) -> list[Any]:
        """The rows of :func:`current_query`, after catching up with the log."""
        self.catch_up()
        query, parameters = current_query(day, known_at, columns, where)
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql(query), parameters)
            return self._opened(query, list(cursor.fetchall()))

    def whole_states(
        self, day: date, known_at: datetime | None, keys: list[str]
    ) -> dict[str, ItemState]:
        """The whole states of these items as at ``day`` as known at ``known_at``, a
        few hundred a query."""
        self.catch_up()
        when = day.isoformat()
        parameters: tuple[str, ...]
        if known_at is None:
            condition, parameters = "AND known_until IS NULL ", (when, when)
        else:
            known = moment(known_at)
            condition, parameters = AS_KNOWN, (when, when, known, known)
        found: dict[str, ItemState] = {}
        ordered = sorted(set(keys))
        for index in range(0, len(ordered), 400):
            chunk = self._tokens(tuple(ordered[index : index + 400]), "key")
            query = (
                "SELECT key, state FROM ragw_spans "
                + CURRENT
                + condition
                + f"AND key IN ({', '.join('?' * len(chunk))})"
            )
            with self._transaction(lock=False) as cursor:
                cursor.execute(self._sql(query), parameters + chunk)
                for key, state in self._opened(query, cursor.fetchall()):
                    found[key] = STATE.validate_json(state)
        return found

    def status_rows(
        self, day: date, known_at: datetime | None = None
    ) -> list[tuple[str, str, str | None]]:
        """Every item a paper counts (the force's to act on) as at ``day`` as known at
        ``known_at``: (key, report, status word or None)."""
        return self._fetch_current(day, known_at, "SELECT key, report, status", COUNTED)

    def status_counts(
        self, day: date, known_at: datetime | None = None
    ) -> list[tuple[str, str | None, bool, int]]:
        """How many items the board as at ``day`` as known at ``known_at`` shows, by
        (report, status or None, whether the force's to act on): counted by the
        database, no row read out (what the national summary adds up)."""
        self.catch_up()
        with self._transaction(lock=False) as cursor:
            cursor.execute(*_sql_of(self.postgres, *status_count_query(day, known_at)))
            counted = counted_rows(cursor.fetchall())
        if self.sealer is not None:  # the reports' tokens, grouped by the database
            untoken = self.sealer.untoken
            counted = [
                (untoken(report, "report"), status, ours, n) for report, status, ours, n in counted
            ]
        return counted

    def reports_of_keys(
        self, day: date, known_at: datetime | None, keys: list[str]
    ) -> dict[str, str]:
        """Of the items ``keys``, those on the board as at ``day`` as known at
        ``known_at``, each with its report, a few hundred a query."""
        self.catch_up()
        found: dict[str, str] = {}
        stored = list(self._tokens(tuple(keys), "key"))
        for query, values in key_report_queries(day, known_at, stored):
            with self._transaction(lock=False) as cursor:
                cursor.execute(*_sql_of(self.postgres, query, values))
                found.update(dict(self._opened(query, cursor.fetchall())))
        return found

    def not_for_us_keys(self, day: date, known_at: datetime | None = None) -> list[str]:
        """The items not the force's to act on as at ``day`` as known at ``known_at``."""
        rows = self._fetch_current(day, known_at, "SELECT key", "AND relevance IS NOT NULL ")
        return [key for (key,) in rows]

    def _state_json(self, span: tuple[str, str, str | None]) -> str:
        """The whole state of the span (key, effective_from, known_from); a span
        known now is the item's only open span that starts then. A span closed the
        moment it was opened (two events of the item recorded at one moment, the second
        from a slower clock) shares the other's start and moment, but no read sees it."""
        key, start, known_from = span
        key = self._token(key, "key")
        query = "SELECT key, state FROM ragw_spans WHERE key = ? AND effective_from = ? AND "
        with self._transaction(lock=False) as cursor:
            if known_from is None:
                cursor.execute(self._sql(query + "known_until IS NULL"), (key, start))
            else:
                seen = "known_from = ? AND (known_until IS NULL OR known_until > known_from)"
                cursor.execute(self._sql(query + seen), (key, start, known_from))
            return str(self._opened(query, [cursor.fetchone()])[0][1])

    def board_batches(
        self, day: date, known_at: datetime | None = None, filters: BoardFilters | None = None
    ) -> Iterator[list[str]]:
        """The board as at ``day`` as known at ``known_at``: each item's JSON line,
        newest report first, items as numbered, a batch at a time (so memory does not
        grow with the board)."""
        self.catch_up()
        filters = filters or BoardFilters()
        if self.sealer is not None:
            yield from self._sealed_board(day, known_at, filters)
            return
        owner = filters.owner is not None
        columns = BOARD_ROW.replace("{owner}", "owner, " if owner else "")
        if self.postgres:
            columns = columns.replace("tail, place", f"tail, {PLACE_ORDER} AS place")
        where, values = filters.where(day)
        query, parameters = current_query(
            day,
            known_at,
            columns,
            where,
            values,
            column_values=(day.isoformat(),),
            ordered="place" if self.postgres else "",
        )
        query += " ORDER BY place"
        with self._transaction(lock=False) as cursor:
            if self.postgres:
                query = self._sql(query)
                batches = streamed_rows(self.connection, cursor, query, parameters, BATCH)
            else:
                batches = fetched_rows(cursor, query, parameters, BATCH)
            # closed before the transaction ends, even when the reader stops early; until
            # then the connection answers nothing else (Database.reading)
            self.reading = True
            try:
                with closing(batches):
                    for batch in batches:
                        if not owner:
                            yield [line for line, _ in batch]
                        else:
                            yield [line for who, line, _ in batch if filters.shows_owner(who)]
            finally:
                self.reading = False

    def _sealed_board(
        self, day: date, known_at: datetime | None, filters: BoardFilters
    ) -> Iterator[list[str]]:
        """:meth:`board_batches` of a sealed model: the rows SQL finds on what is clear
        (days, status) and tokens (the report), each line opened (one decryption a row),
        sorted by place in memory (places are sealed), the owner matched once opened."""
        sealer = cast(Sealer, self.sealer)
        if filters.report is not None:
            filters = replace(filters, report=sealer.token(filters.report, "report"))
        overdue = f"CASE WHEN {overdue_sql()} THEN 'true' ELSE 'false' END"
        where, values = filters.where(day)
        query, parameters = current_query(
            day,
            known_at,
            f"SELECT key, head, {overdue}, owner",
            where,
            values,
            column_values=(day.isoformat(),),
        )
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql(query), parameters)
            rows = cursor.fetchall()
        lines = []
        for key, sealed, late, owner in rows:
            if filters.owner is not None and not filters.shows_owner(
                sealer.open(owner, "owner", key)
            ):
                continue
            place, head, tail = open_line(sealer, sealed, key)
            lines.append((place, head + late + tail))
        lines.sort()
        for start in range(0, len(lines), BATCH):
            yield [line for _, line in lines[start : start + BATCH]]

    def reports(self, known_at: datetime | None = None) -> dict[str, ReportFacts]:
        """Every report recorded by ``known_at``, by code."""
        return report_facts(self._select(REPORTS_QUERY, known_at))

    def inspection_events(self, known_at: datetime | None = None) -> list[InspectionEvent]:
        """Every inspection's events recorded by ``known_at``, in the order recorded."""
        query = "SELECT stream, version, type, event FROM ragw_inspections"
        rows = sorted(self._select(query, known_at))  # each stream's in its order
        return [
            cast(InspectionEvent, EVENT_TYPES[kind].model_validate_json(text))
            for _, _, kind, text in rows
        ]

    def committees(self, known_at: datetime | None = None) -> list[tuple[str, str]]:
        """Every committee recorded by ``known_at``: (code, name)."""
        return [
            (code, name)
            for code, name in self._select("SELECT code, name FROM ragw_committees", known_at)
        ]

    def meetings(self, known_at: datetime | None = None) -> list[tuple[str, date, str | None]]:
        """Every meeting recorded by ``known_at``: (committee, date, paper)."""
        rows = self._select("SELECT committee, meeting, paper FROM ragw_meetings", known_at)
        return [(code, date.fromisoformat(day), paper) for code, day, paper in rows]

    def reviews(self, known_at: datetime | None = None) -> dict[tuple[str, date], tuple[str, ...]]:
        """The reports each meeting reviews, as known at ``known_at``, by (committee,
        date): of each meeting's lists recorded by then, the latest (none: not there)."""
        rows = self._select(
            "SELECT committee, meeting, version, reports FROM ragw_reviews", known_at
        )
        latest: dict[tuple[str, date], tuple[int, tuple[str, ...]]] = {}
        for code, day, version, reports in rows:
            meeting = (code, date.fromisoformat(day))
            if meeting not in latest or latest[meeting][0] < version:
                latest[meeting] = (version, tuple(json.loads(reports)))
        return {meeting: reports for meeting, (_, reports) in latest.items()}

    def _select(self, query: str, known_at: datetime | None) -> list[tuple[Any, ...]]:
        self.catch_up()
        parameters: tuple[str, ...] = ()
        if known_at is not None:
            query += " WHERE known_from <= ?"
            parameters = (moment(known_at),)
        with self._transaction(lock=False) as cursor:
            cursor.execute(self._sql(query), parameters)
            return self._opened(query, list(cursor.fetchall()))
