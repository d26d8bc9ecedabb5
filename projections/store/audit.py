"""Proving the read model: every stored row is exactly what the events give.

Papers are printed from the read model, so an edited row would print a falsified paper
whose events still verify. The audit makes every row again from the events up to the
model's tracking position, with the very functions the follower writes them with
(:mod:`projections.store.derive`), and compares, in bounded memory: events are read a stream at a time in the store's key order
(one item's events and rows held at once, with the few reports and meetings read first),
by forked worker processes, one a core, each for a share of the streams; stored rows a
page at a time. Each table is compared as a multiset: its rows' count and the sum of a
hash of its text (:func:`~projections.store.stored_rows.row_hash`, keyed afresh each
run; refused if PYTHONHASHSEED fixes the key). A table that differs is read again, item
by item, to name the first row that differs. Nothing is written.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from events import (
    RecommendationEvent,
)
from ledger.errors import LedgerError
from ledger.keys import recommendation_id, split_key
from projections.store.database import Database, moment
from projections.store.derive import (
    Rendered,
    board_row,
    is_open,
    span_row,
    span_steps,
)
from projections.store.head import HEAD_ROW, fingerprint
from projections.store.meta_rows import made_meta
from projections.store.paper_rows import item_paper_rows
from projections.store.schema import LAYOUT, LAYOUT_ROW, NAME, SEAL_ROW, TRACKING
from projections.store.sealed_columns import CODECS
from projections.store.stored_rows import (
    BATCH,
    ITEM_TABLES,
    ITEM_TOPICS,
    TABLES,
    Difference,
    Stored,
    Tally,
    describe,
    pages,
    row_hash,
    stored_tallies,
    tally,
)

#: Worker processes making the events' rows, at most (one a core).
WORKERS = 4
#: Rows of one table, as made from events.
Made = tuple[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Audited:
    """A read model whose every row is what the events give: how many rows, up to which
    position, and how many events the log holds beyond it (the next read brings them in)."""

    rows: int
    position: int
    behind: int


class Audit:
    """The audit of one stored read model against its ledger's events."""

    def __init__(self, store: Database, progress: Callable[[int], object] | None = None):
        self.store, self.ledger, self.progress = store, store.ledger, progress
        #: Whether the model keeps the fingerprint of the event at its position.
        self._keeps_head = True

    def run(self) -> Audited | Difference:
        """Compare every stored row with the rows the events give. The events' rows are
        made by worker processes, one a core, each for a share of the items, while the
        stored rows are read here (in a transaction begun after the workers were forked:
        a SQLite connection's locks must not be carried across a fork)."""
        if not sys.flags.hash_randomization:
            raise LedgerError(  # unkeyed sums: whoever edits the model could make them agree
                "the read model is compared by sums of keyed hashes, which PYTHONHASHSEED "
                "switches off; run verify without PYTHONHASHSEED set"
            )
        with self.store._transaction(lock=False) as cursor:
            cursor.execute("SELECT name, position FROM ragw_tracking")
            tracking = {str(name): int(at) for name, at in cursor.fetchall()}
        last, position = self.ledger.last_position(), tracking.get(NAME)
        self._keeps_head = HEAD_ROW in tracking  # a model followed before it was kept: none
        problem = self._tracking(tracking, position, last)
        if problem is not None:
            return problem
        assert position is not None
        making = self._making(position)
        tracking, stored = stored_tallies(self.store)
        last = max(last, self.ledger.last_position())  # read after the model's
        if tracking.get(NAME) != position:  # followed meanwhile: made again
            making()
            self._keeps_head = HEAD_ROW in tracking  # written with the page it read
            problem = self._tracking(tracking, tracking.get(NAME), last)
            if problem is not None:
                return problem
            position = tracking[NAME]
            making = self._making(position)
        made = making()
        for table in TABLES:
            if stored[table] != made[table]:
                later = self._making(last)() if position < last else None
                if later is not None and all(
                    stored[t] == later[t] for t in TABLES if t != TRACKING
                ):
                    return Difference(
                        "ragw_tracking",
                        NAME,
                        None,
                        f"the position is {position}, but the rows are those of "
                        f"the events up to position {last}: it was moved back",
                    )
                found = self._locate(table, position)
                if table == TRACKING and found.key == HEAD_ROW:
                    found = replace(found, log_behind=True)
                return found
        rows = sum(counted["rows"] for counted in stored.values())
        return Audited(rows, position, last - position)

    def _tracking(
        self, tracking: dict[str, int], position: int | None, last: int
    ) -> Difference | None:
        """What is wrong with the tracking rows, if anything."""
        table = "ragw_tracking"
        if position is None:
            return Difference(table, NAME, None, "the model's position is missing")
        if (layout := tracking.get(LAYOUT_ROW)) != LAYOUT:
            return Difference(
                table, LAYOUT_ROW, None, f"the layout is {layout} where it is {LAYOUT}"
            )
        if tracking.get(SEAL_ROW, 0) != self.store.seal:
            return Difference(
                table, SEAL_ROW, None, "the model is not sealed under this ledger's key"
            )
        for name in sorted(set(tracking) - {NAME, LAYOUT_ROW, SEAL_ROW, HEAD_ROW}):
            return Difference(table, name, None, "a row the follower never writes")
        if position > last:
            return Difference(
                table,
                NAME,
                None,
                f"the position is {position}, past the log's last event (position {last})",
                log_behind=True,
            )
        return None

    def _making(self, position: int) -> Callable[[], dict[str, Tally]]:
        """Start making every table's tally of the rows the events up to ``position``
        give; the callable returned waits for it. Each worker process reads the events
        of a share of the streams on a connection of its own (the reports, committees
        and meetings are read here first)."""
        meta = list(self.made_meta(position))
        workers = min(WORKERS, len(os.sched_getaffinity(0)))
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return lambda: self._tallies(meta, self.made_items(position, meta))
        context = multiprocessing.get_context("fork")
        bounds = [None, *(UUID(int=(k << 128) // workers) for k in range(1, workers)), None]
        started = []
        for k in range(workers):
            receive, send = context.Pipe(duplex=False)
            share = (bounds[k], bounds[k + 1])
            worker = context.Process(target=self._share, args=(send, position, meta, share))
            worker.start()
            send.close()
            started.append((worker, receive))

        def collect() -> dict[str, Tally]:
            tallies = self._tallies(meta, iter(()))
            for worker, receive in started:
                outcome, found = receive.recv()
                worker.join()
                if outcome != "ok":
                    raise LedgerError(f"the read model could not be checked: {found}")
                for table, counted in found.items():
                    tallies[table].update(counted)
            if self.progress is not None:
                self.progress(position)
            return tallies

        return collect

    def _share(self, send: Any, position: int, meta: Any, share: tuple[Any, Any]) -> None:
        """In a worker process: the tallies of the items of one ``share`` of the streams."""
        try:
            store = Stored(self.ledger, self.store.target)
            try:
                rows = Audit(store).made_items(position, meta, share=share)
                found = {t: dict(c) for t, c in self._tallies([], rows).items() if c}
            finally:
                store.close()
            send.send(("ok", found))
        except BaseException as error:  # told to the process that waits for it
            send.send(("failed", " ".join(str(error).split())))
        finally:
            send.close()
            os._exit(0)  # nothing inherited (connections) is closed from here

    @staticmethod
    def _tallies(meta: Any, items: Iterator[Made]) -> dict[str, Tally]:
        """The tallies of the rows ``meta`` (but its last) and ``items`` give."""
        tallies: dict[str, Tally] = {table: Counter() for table in TABLES}
        for table, rows in (*meta[:-1], *items) if meta else items:
            tally(tallies[table], rows)
        return tallies

    def made(self, position: int, stream: UUID | None = None) -> Iterator[Made]:
        """Every row the events up to ``position`` give, as (table, rows); only those of
        one item's ``stream`` (and the reports, committees and meetings) when given."""
        meta = list(self.made_meta(position))
        yield from meta[:-1]
        yield from self.made_items(position, meta, stream)

    def made_meta(self, position: int) -> Iterator[Any]:
        """The tracking rows, reports, committees, meetings and inspections the events up
        to ``position`` give, as (table, rows); last, what items' rows need of them."""
        for table, rows in made_meta(self.ledger, position):
            if table == TRACKING and self.store.seal:
                rows = [*rows, (SEAL_ROW, self.store.seal)]
            if table == TRACKING and self._keeps_head and position:
                found = self.ledger.recorder.select_notifications(start=position, limit=1)
                rows = [*rows, (HEAD_ROW, fingerprint(found[0]) if found else None)]
            yield table, rows

    def made_items(
        self,
        position: int,
        meta: list[Any],
        stream: UUID | None = None,
        share: tuple[Any, Any] = (None, None),
    ) -> Iterator[Made]:
        """The rows of every item (of one ``stream``, of a ``share`` of the streams)."""
        reports, meetings = meta[-1]
        for events in self._streams(position, stream, share):
            yield from self._item_rows(events, reports, meetings)

    def _streams(
        self, position: int, stream: UUID | None, share: tuple[Any, Any]
    ) -> Iterator[list[RecommendationEvent]]:
        """Each item's events up to ``position``, in the order recorded, an item at a
        time (in the store's order of stream ids), of one ``stream`` or the streams of
        ids from ``share[0]`` up to ``share[1]``."""
        recorder: Any = self.ledger.recorder
        at = "notification_id" if self.store.postgres else "rowid"
        where, values = f"WHERE {at} <= ?", list[Any]([position])
        if stream is not None:
            where += " AND originator_id = ?"
            values.append(stream if self.store.postgres else stream.hex)
        for bound, compare in zip(share, (">=", "<"), strict=True):
            if bound is not None:
                where += f" AND originator_id {compare} ?"
                values.append(bound if self.store.postgres else bound.hex)
        query = self.store._sql(
            f"SELECT originator_id, originator_version, topic, state FROM "
            f"{recorder.events_table_name} {where} ORDER BY originator_id, originator_version"
        )
        decode = self.ledger.mapper.to_domain_event
        current: Any = None
        events: list[RecommendationEvent] = []
        with self.store._transaction(lock=False) as cursor:
            rows = (
                self.store.connection.cursor(name="ragw_audit_events")
                if self.store.postgres
                else cursor
            )
            try:
                rows.execute(query, tuple(values))
                while page := rows.fetchmany(BATCH):
                    for originator, version, topic, state in page:
                        if topic not in ITEM_TOPICS:
                            continue
                        if originator != current:
                            if events:
                                yield events
                            current, events = originator, []
                        stored = StoredEvent(originator, version, topic, bytes(state))
                        events.append(cast(RecommendationEvent, decode(stored)))
                    if self.progress is not None:
                        self.progress(len(page))
            finally:
                if rows is not cursor:
                    rows.close()
        if events:
            yield events

    def _item_rows(
        self,
        events: list[RecommendationEvent],
        reports: dict[str, tuple[str, str]],
        meetings: dict[str, list[date]],
    ) -> Iterator[Made]:
        """The rows of one item, from its events (as the follower makes them)."""
        current: dict[str, list[Any]] = {}  # the spans known now, by start
        rendered: Rendered = {}
        timeline: list[Any] = []
        made: list[list[Any]] = []
        for event, ended, begun, after in span_steps([], events):
            timeline = after
            at = moment(event.timestamp)
            for span in ended:
                row = current.pop(span[0].isoformat(), None)
                if row is not None:
                    row[3] = at
            for span in begun:
                scope, published = reports[span[2].report]
                row = span_row(at, *span, scope, published, rendered)
                current[row[4]] = row
                made.append(row)
        yield "ragw_spans", [tuple(row) for row in made]
        boards = [board_row(row) for row in made if row[3] is None]
        yield "ragw_board_open", [board for board in boards if is_open(board)]
        yield "ragw_board", [board for board in boards if not is_open(board)]
        papers: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        for code, days in meetings.items():
            for _, kept in item_paper_rows(code, days, timeline):
                if kept is not None:
                    papers.append(kept[0])
                    lines.extend(kept[1])
        yield "ragw_paper_rows", papers
        yield "ragw_paper_lines", lines

    def _locate(self, table: str, position: int) -> Difference:
        """The first row of ``table`` that differs: the first item (or report, committee)
        in order whose rows differ, and the first of its rows."""
        columns, key_at, _ = TABLES[table]
        made: dict[str, Tally] = defaultdict(Counter)
        for found, rows in self.made(position):
            for row in rows if found == table else ():
                made[row[key_at]].update(rows=1, sum=row_hash(row))
        stored: dict[str, Tally] = defaultdict(Counter)
        with self.store._transaction(lock=False) as cursor:
            for page in pages(self.store, cursor, table):
                for row in page:
                    stored[tuple(row)[key_at]].update(rows=1, sum=row_hash(row))
        differing = [k for k in {*made, *stored} if made.get(k) != stored.get(k)]
        if not differing:  # the rows of no one item differ: the table differs as a whole
            return Difference(table, "every row", None, "the rows differ from the events'")
        key = min(differing)
        try:  # an item's rows are made from its stream alone
            stream = recommendation_id(*split_key(key)) if table in ITEM_TABLES else None
            made_now = self.made(position, stream)
        except LedgerError:  # not a key ragw writes: no item has it
            made_now = iter(())
        found_rows = (row for found, rows in made_now if found == table for row in rows)
        expected = [row for row in found_rows if row[key_at] == key]
        name = columns.split(", ")[key_at]
        codec = CODECS.get(table, ("", {}))[1].get(name)
        stored_key = self.store._token(key, codec[1]) if codec and codec[0] == "token" else key
        with self.store._transaction(lock=False) as cursor:
            kept = [
                tuple(row)
                for page in pages(self.store, cursor, table, f"WHERE {name} = ?", (stored_key,))
                for row in page
            ]
        return describe(table, key, expected, kept)
