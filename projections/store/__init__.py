"""A stored read model of the ledger, kept beside the events.

Reading the board as at a date by replaying the whole log stops working at a national
scale. This read model keeps:

- per item, the spans of its :func:`ledger.state.timeline`, with both kinds of time
  (``effective_from`` / ``effective_until``: the days the state held in the world,
  ``9999-12-31`` while it still holds; ``known_from`` / ``known_until``: the moments the
  ledger said so; a span is closed, never deleted, when a later event changes what is
  known), the board's columns (status, due, owner, comment, extensions) and the whole
  state as JSON for what papers print beyond them;
- per item what never changes (key, report, ref, kind, text, lead), and the reports,
  committees and meetings, each with the moment it was recorded;
- per meeting of each committee, as known now, every item's status then and at the
  meeting before (what a summary counts) and the paper's lists (overdue, slippage,
  extended since the meeting before), each row rendered, in the paper's order. A new
  meeting's rows (and the next meeting's, which now compares with it) are derived from
  the board; an event changes its item's rows for the meetings on or after the first
  day it changes. A summary as known at an earlier moment is worked out from the spans.

So "the board as at D, as known at T" is one indexed query that hands back the rows
ready to print, in the papers' order; and it answers exactly as the fold does. The model
follows the notification log and keeps its position in a tracking row written in the
same transaction as the rows it derived, so it is updated exactly once: a crash leaves
it at the last committed page, and the next read catches up, whoever wrote the events.
Writers never wait for it. ``rebuild`` derives it again from nothing.

Where each part lives: ``schema`` (tables, layout, migration), ``database`` (the
connection, SQLite and PostgreSQL), ``follower`` (following the log: spans, tracking
position), ``paper_rows`` (per-meeting paper rows), ``queries`` (the reads), ``state``
(an item's state read lazily from a span), ``read_model`` (:class:`TimelineStore`),
``tail`` (the events the follower has not reached yet, folded over the model in memory
by a login that may not write it), ``sealing`` and ``sealed_columns`` (an encrypted
ledger's model: the same tables, its text sealed or tokenised under keys derived from
the ledger's key, what the queries compare left clear), ``derive`` (the rows events give, made once for the
follower and the audit), ``audit`` and ``stored_rows`` (``verify``: every stored row
made again and compared).
The board row, its overdue rule, filters and order are :mod:`projections.rows`'.
"""

from __future__ import annotations

from projections.rows import ReportFacts
from projections.store.database import moment
from projections.store.follower import PAGE
from projections.store.paper_rows import PaperLists
from projections.store.queries import (
    AS_KNOWN,
    BATCH,
    BOARD_ROW,
    CURRENT,
    ROW_SELECT,
    STATE_SELECT,
)
from projections.store.read_model import TimelineStore
from projections.store.schema import (
    BOARD_COLUMNS,
    FOREVER,
    LAYOUT,
    LAYOUT_ROW,
    LINE_COLUMNS,
    NAME,
    PAPER_COLUMNS,
    SCHEMA,
    SPAN_COLUMNS,
    TABLES,
    TRACKING,
)
from projections.store.state import STATE, STATUSES, StoredState

__all__ = [
    "AS_KNOWN",
    "BATCH",
    "BOARD_COLUMNS",
    "BOARD_ROW",
    "CURRENT",
    "FOREVER",
    "LAYOUT",
    "LAYOUT_ROW",
    "LINE_COLUMNS",
    "NAME",
    "PAGE",
    "PAPER_COLUMNS",
    "ROW_SELECT",
    "SCHEMA",
    "SPAN_COLUMNS",
    "STATE",
    "STATE_SELECT",
    "STATUSES",
    "TABLES",
    "TRACKING",
    "PaperLists",
    "ReportFacts",
    "StoredState",
    "TimelineStore",
    "moment",
]
