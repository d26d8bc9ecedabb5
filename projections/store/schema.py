"""The read model's tables and their layout, and the migration: a model of another
layout (an earlier ragw's) is dropped and derived again from the log, on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.errors import Field, Fix, Hint, LedgerError
from projections.store.head import HEAD_ROW

NAME = "read_model"
#: The table of the model's position (and layout).
TRACKING = "ragw_tracking"
#: The layout of the tables below. A model of another layout (an earlier ragw's) is
#: dropped and derived again from the log, on first use.
LAYOUT = 14
LAYOUT_ROW = "read_model_layout"
#: The tracking row marking a sealed model (an encrypted ledger's,
#: :mod:`projections.store.sealing`): its position is the check value of the key it was
#: sealed under. A model without it was made in clear. The two are never mixed: a model
#: found sealed under another key, or in clear for a ledger read with a key (or sealed
#: for one read without), is refused, and nothing is written; unless it holds nothing
#: yet (position 0), when it is made again as this read needs it. A rebuild makes it
#: anew under the key the read comes with, which the ledger's record of its key proved.
SEAL_ROW = "read_model_seal"
#: The end of a span that has not ended: later than any date, so one range test serves.
FOREVER = "9999-12-31"
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ragw_tracking (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_reports (
        code TEXT PRIMARY KEY, title TEXT NOT NULL, scope TEXT NOT NULL,
        published TEXT NOT NULL, inspectorates TEXT NOT NULL, makes INTEGER,
        restricted INTEGER NOT NULL, inspection TEXT, origin TEXT,
        known_from TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_committees (
        stream TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL,
        known_from TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ragw_meetings (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, paper TEXT,
        known_from TEXT NOT NULL)""",
    # Every event of every inspection, whole: a paper folds them as known at a moment.
    """CREATE TABLE IF NOT EXISTS ragw_inspections (
        stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
        event TEXT NOT NULL, known_from TEXT NOT NULL,
        PRIMARY KEY (stream, version))""",
    # The reports each meeting reviews, as each list was recorded: the list in force as
    # known at T is the one of the highest version recorded by T.
    """CREATE TABLE IF NOT EXISTS ragw_reviews (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, version INTEGER NOT NULL,
        reports TEXT NOT NULL, known_from TEXT NOT NULL)""",
    # Every span ever known, with the moments it was known: "as known at T" reads here.
    # ``relevance`` is NULL while the item is the force's to act on: papers count only
    # such rows (projections.exceptions.NOT_FOR_US otherwise).
    """CREATE TABLE IF NOT EXISTS ragw_spans (
        key TEXT NOT NULL, report TEXT NOT NULL,
        known_from TEXT NOT NULL, known_until TEXT,
        effective_from TEXT NOT NULL, effective_until TEXT NOT NULL,
        status TEXT, due TEXT, owner TEXT,
        original_due TEXT, times_extended INTEGER NOT NULL, extended_on TEXT,
        place TEXT NOT NULL, head TEXT NOT NULL, tail TEXT NOT NULL, state TEXT NOT NULL,
        pending TEXT, relevance TEXT)""",
    """CREATE INDEX IF NOT EXISTS ragw_spans_as_known
        ON ragw_spans (effective_until, known_from)""",
    """CREATE INDEX IF NOT EXISTS ragw_spans_open ON ragw_spans (key, known_until)""",
    # The spans known now. Each item's last span, which has not ended, is kept in the
    # papers' order (SQLite stores a table in its key's order); the ended ones in order
    # of the days they ended. So "the board as at D" reads one run of rows already in
    # order, merged with the few ended spans that were current on D.
    """CREATE TABLE IF NOT EXISTS ragw_board_open (
        effective_until TEXT NOT NULL, effective_from TEXT NOT NULL, place TEXT NOT NULL,
        key TEXT NOT NULL, report TEXT NOT NULL,
        status TEXT, due TEXT, owner TEXT,
        original_due TEXT, times_extended INTEGER NOT NULL, extended_on TEXT,
        head TEXT NOT NULL, tail TEXT NOT NULL, pending TEXT, relevance TEXT,
        PRIMARY KEY (place)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_board_open_key ON ragw_board_open (key)""",
    """CREATE TABLE IF NOT EXISTS ragw_board (
        effective_until TEXT NOT NULL, effective_from TEXT NOT NULL, place TEXT NOT NULL,
        key TEXT NOT NULL, report TEXT NOT NULL,
        status TEXT, due TEXT, owner TEXT,
        original_due TEXT, times_extended INTEGER NOT NULL, extended_on TEXT,
        head TEXT NOT NULL, tail TEXT NOT NULL, pending TEXT, relevance TEXT,
        PRIMARY KEY (effective_until, effective_from, place)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_board_key ON ragw_board (key, effective_from)""",
    # The few items not the force's, which a paper lists apart, found without a scan.
    """CREATE INDEX IF NOT EXISTS ragw_board_open_not_for_us ON ragw_board_open (key)
        WHERE relevance IS NOT NULL""",
    """CREATE INDEX IF NOT EXISTS ragw_board_not_for_us ON ragw_board (key)
        WHERE relevance IS NOT NULL""",
    """CREATE INDEX IF NOT EXISTS ragw_spans_not_for_us ON ragw_spans (key)
        WHERE relevance IS NOT NULL""",
    # Per meeting of each committee, every item as known now: its status then and at
    # the meeting before, all the summary counts (read grouped, from the index alone);
    # and the paper's lists (overdue, slippage, extended since the meeting before), each
    # row rendered and kept in the order the paper lists it.
    """CREATE TABLE IF NOT EXISTS ragw_paper_rows (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, key TEXT NOT NULL,
        report TEXT NOT NULL, status TEXT, previous TEXT,
        PRIMARY KEY (committee, meeting, key)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_paper_tally ON ragw_paper_rows
        (committee, meeting, report, status, previous)""",
    """CREATE TABLE IF NOT EXISTS ragw_paper_lines (
        committee TEXT NOT NULL, meeting TEXT NOT NULL, list TEXT NOT NULL,
        place TEXT NOT NULL, key TEXT NOT NULL, status TEXT, due TEXT, days INTEGER,
        owner TEXT, original_due TEXT, times_extended INTEGER, line TEXT,
        PRIMARY KEY (committee, meeting, list, place)) /* clustered */""",
    """CREATE INDEX IF NOT EXISTS ragw_paper_lines_key ON ragw_paper_lines
        (committee, meeting, key)""",
    # An inspectorate's verdicts on each organisation's items, every one ever given
    # (``version``: its place in the organisation's stream of verdicts): the one in
    # effect on D as known at T is the latest by day, then by recording, of those from
    # D or before recorded by T (:func:`ledger.aggregates.verdicts.in_effect`).
    """CREATE TABLE IF NOT EXISTS ragw_verdicts (
        org TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,
        verdict TEXT NOT NULL, reason TEXT NOT NULL, day TEXT NOT NULL,
        actor TEXT NOT NULL, known_from TEXT NOT NULL,
        PRIMARY KEY (org, key, version)) /* clustered */""",
)
TABLES = (
    "ragw_reports",
    "ragw_committees",
    "ragw_meetings",
    "ragw_inspections",
    "ragw_reviews",
    "ragw_spans",
    "ragw_board",
    "ragw_board_open",
    "ragw_paper_rows",
    "ragw_paper_lines",
    "ragw_verdicts",
)
#: The columns of ``ragw_spans``, in the order written.
SPAN_COLUMNS = (
    "key, report, known_from, known_until, effective_from, "
    "effective_until, status, due, owner, original_due, times_extended, "
    "extended_on, place, head, tail, state, pending, relevance"
)
BOARD_COLUMNS = (
    "effective_until, effective_from, place, key, report, status, due, "
    "owner, original_due, times_extended, extended_on, head, tail, pending, relevance"
)

#: The columns of ``ragw_paper_rows`` and ``ragw_paper_lines``, in the order
#: :func:`projections.store.paper_rows.paper_rows` gives them.
PAPER_COLUMNS = "committee, meeting, key, report, status, previous"
LINE_COLUMNS = (
    "committee, meeting, list, place, key, status, due, days, owner, original_due, "
    "times_extended, line"
)
#: The columns of ``ragw_verdicts``, in the order written.
VERDICT_COLUMNS = "org, key, version, verdict, reason, day, actor, known_from"


def layout_ready(cursor: Any, sql: Callable[[str], str], postgres: bool, seal: int = 0) -> bool:
    """Whether the tables exist, in this layout, sealed under the key whose check value
    is ``seal`` (0: in clear), with a position: then nothing is created (a database login
    without the right to create tables can keep it)."""
    exists = (
        "SELECT to_regclass('ragw_tracking') IS NOT NULL"
        if postgres
        else "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ragw_tracking'"
    )
    cursor.execute(exists)
    if not cursor.fetchone()[0]:
        return False
    cursor.execute(sql("SELECT name, position FROM ragw_tracking"))
    rows = dict(cursor.fetchall())
    return rows.get(LAYOUT_ROW) == LAYOUT and NAME in rows and rows.get(SEAL_ROW, 0) == seal


class SealedOtherwise(LedgerError):
    """The refusal of a model sealed otherwise than this ledger is read
    (:func:`refuse_mixing`)."""


def refuse_mixing(found: int, seal: int) -> SealedOtherwise:
    """The refusal for a model sealed otherwise than this ledger is read (``found``,
    ``seal``: check values, 0 for clear). The ledger's record of its key has proven the
    key this read comes with before any model is looked at (a read without the key, or
    with another, is refused first: :meth:`ledger.storage.keycheck.KeyGuard.check_reading`),
    so it is the model that is not this ledger's: its record of its seal was altered, or
    it is another's; a rebuild with the ledger's key makes it again (:func:`reseal`)."""
    if not seal:
        said = "is sealed, and this ledger is not encrypted"
        given = "with {key} unset"
    elif not found:
        said = "was made in clear, and this ledger is encrypted"
        given = "with {key} set to its key"
    else:
        said = "is sealed under another key than this ledger's, which {key} holds"
        given = "with {key} set"
    return SealedOtherwise(
        f"the read model beside this ledger {said}: the model is not this ledger's (its "
        "record of its seal was altered, or it is another ledger's); nothing was written; "
        f"{{hint}} ({given})",
        key=Field.ENCRYPTION_KEY,
        hint=Hint.to(Fix.REBUILD),
    )


def reseal(cursor: Any, sql: Callable[[str], str], seal: int) -> None:
    """Record the model as holding nothing yet (position 0), sealed under the key whose
    check value is ``seal`` (0: in clear), whatever it said before: a rebuild's first
    step, once the ledger's record of its key has proven the key, in the transaction
    that then drops every row and derives them again."""
    cursor.execute(sql("UPDATE ragw_tracking SET position = 0 WHERE name = ?"), (NAME,))
    cursor.execute(sql("DELETE FROM ragw_tracking WHERE name = ?"), (SEAL_ROW,))
    cursor.execute(sql("DELETE FROM ragw_tracking WHERE name = ?"), (HEAD_ROW,))
    if seal:
        cursor.execute(
            sql("INSERT INTO ragw_tracking (name, position) VALUES (?, ?)"), (SEAL_ROW, seal)
        )


def create_tables(cursor: Any, sql: Callable[[str], str], postgres: bool, seal: int = 0) -> None:
    """The tables of this layout, with a position of 0, sealed under the key whose check
    value is ``seal`` (0: in clear); those of another layout dropped first. Refused
    (:func:`refuse_mixing`) for a model of this layout sealed otherwise. Run holding the
    writer's lock."""
    cursor.execute(SCHEMA[0])  # the tracking table
    cursor.execute(sql("SELECT name, position FROM ragw_tracking"))
    rows = dict(cursor.fetchall())
    layout = rows.get(LAYOUT_ROW)
    if layout == LAYOUT and rows.get(SEAL_ROW, 0) != seal:
        if rows.get(NAME, 0):
            raise refuse_mixing(rows.get(SEAL_ROW, 0), seal)
        # nothing derived yet (a read without the key made the tables, then could not
        # read an event): made again under the key this read comes with
        layout = None
    if layout is None or layout != LAYOUT:
        for table in (*TABLES, "ragw_timeline_spans"):  # and the first layout's
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("DELETE FROM ragw_tracking")
        cursor.execute(
            sql("INSERT INTO ragw_tracking (name, position) VALUES (?, ?)"),
            (LAYOUT_ROW, LAYOUT),
        )
        if seal:
            cursor.execute(
                sql("INSERT INTO ragw_tracking (name, position) VALUES (?, ?)"), (SEAL_ROW, seal)
            )
    for statement in SCHEMA:
        if not postgres:  # kept in its key's order
            statement = statement.replace("/* clustered */", "WITHOUT ROWID")
        else:  # places in byte order whatever the database's collation, as SQLite and
            # Python order them, so an index on place gives the board's order unsorted
            statement = statement.replace("place TEXT NOT NULL", 'place TEXT COLLATE "C" NOT NULL')
        cursor.execute(statement)
    cursor.execute(sql("SELECT position FROM ragw_tracking WHERE name = ?"), (NAME,))
    if cursor.fetchone() is None:
        cursor.execute(sql("INSERT INTO ragw_tracking (name, position) VALUES (?, 0)"), (NAME,))


def may_write(cursor: Any, postgres: bool) -> bool:
    """Whether this login keeps the model up to date itself: always on SQLite; on
    PostgreSQL when it may update the tracking row and, once ``ragw admin init-roles``
    gave this database's model to the ledger's follower group (``ragw_follower``; an
    organisation's ``org_<code>_follower``, named after the schema the model is in),
    only as a member of it (its follower; a superuser, who may do anything there
    anyway, counts as one)."""
    if not postgres:
        return True
    cursor.execute(
        "WITH model AS (SELECT to_regclass('ragw_tracking') AS tracking),"
        " groups AS (SELECT tracking, (SELECT CASE WHEN n.nspname = 'public'"
        " THEN 'ragw_follower' ELSE n.nspname || '_follower' END FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tracking)"
        " AS follower FROM model)"
        " SELECT CASE WHEN tracking IS NULL THEN true"
        " WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = follower)"
        " THEN has_table_privilege(tracking, 'UPDATE')"
        " WHEN has_table_privilege(follower, tracking, 'UPDATE')"
        " THEN pg_has_role(follower, 'MEMBER')"
        " ELSE has_table_privilege(tracking, 'UPDATE') END FROM groups"
    )
    return bool(cursor.fetchone()[0])
