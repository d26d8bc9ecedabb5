"""The database's own part in who may do what, on PostgreSQL.

``ragw admin init-roles`` (run once by the database's owner) creates two group roles:
``ragw_writer`` records events (governance and owners log in as members of it) and
``ragw_reader`` only reads them (auditors). Neither may delete or truncate the event
tables, and triggers make the server itself refuse UPDATE, DELETE and TRUNCATE of
recorded events and their links to everyone: whatever ragw is asked, the database keeps
history append-only. (Writers hold the UPDATE privilege only because the event store
takes an EXCLUSIVE table lock to keep the log in order, which PostgreSQL grants to
those who may update; the triggers refuse every update.) The record of the ledger's
encryption (:mod:`ledger.storage.keycheck`) is kept the same way: writers may read it
and insert it (a ledger's first write records it), never change it.

The read model beside the events (the tables papers are printed from) is written by one
role alone, ``ragw_follower``, whose login runs ``ragw follow``: ``ragw_writer`` and
``ragw_reader`` may only SELECT it, so the server refuses their INSERT, UPDATE, DELETE
and TRUNCATE, and their reads fold the events the follower has not reached yet in
memory. (The follower needs no trigger to wake: the event store NOTIFYs the channel
named after its events table in every transaction that records events, delivered when
the writer commits.)
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from ledger.chain import TABLE as CHAIN_TABLE
from ledger.errors import Fix, Hint, InvalidInputError, LedgerError
from ledger.storage import logins
from ledger.storage.keycheck import CREATE as CREATE_KEY
from ledger.storage.keycheck import TABLE as KEY_TABLE

WRITER, READER, FOLLOWER = "ragw_writer", "ragw_reader", "ragw_follower"
#: The group each kind of login joins: ragw's roles, and the follower (no ragw role).
GROUP_OF = {"governance": WRITER, "owner": WRITER, "auditor": READER, "follower": FOLLOWER}

REFUSE = """
CREATE OR REPLACE FUNCTION ragw_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ragw: % of % is refused: recorded events are never changed',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$"""


def init_roles(connection: Any, events_table: str, read_model: list[str]) -> None:
    """Create the group roles, grant them what they need and no more, make the event
    tables append-only for everyone and let only the follower write the read model
    (run as the owner of the tables; running it again sets the same grants)."""
    events = [events_table, CHAIN_TABLE, KEY_TABLE]
    execute = connection.execute
    execute(CREATE_KEY)  # a ledger written before it kept one: writers' logins create nothing
    for group in (WRITER, READER, FOLLOWER):
        execute(
            sql.SQL(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN "
                "CREATE ROLE {role} NOLOGIN; END IF; END $$"
            ).format(name=sql.Literal(group), role=sql.Identifier(group))
        )
    every = sql.SQL(", ").join(map(sql.Identifier, (WRITER, READER, FOLLOWER)))
    readers = sql.SQL(", ").join(map(sql.Identifier, (READER, FOLLOWER)))
    database = connection.info.dbname
    execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), every))
    execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(every))
    for table in events:
        name = sql.Identifier(table)
        execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(name, every))
        # UPDATE for the event store's table lock alone; the record of the ledger's key
        # is inserted once, by its first write, and never locked
        may = "SELECT, INSERT" if table == KEY_TABLE else "SELECT, INSERT, UPDATE"
        execute(sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(may), name, sql.Identifier(WRITER)))
        execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, readers))
    execute(
        sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
            sql.Identifier(f"{events_table}_notification_id_seq"), sql.Identifier(WRITER)
        )
    )
    for table in read_model:  # SELECT for everyone; changes by the follower alone
        name = sql.Identifier(table)
        execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(name, every))
        execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, every))
        execute(
            sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                name, sql.Identifier(FOLLOWER)
            )
        )
    execute(REFUSE)
    for table in events:
        name = sql.Identifier(table)
        execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {} BEFORE UPDATE OR DELETE ON {} "
                "FOR EACH ROW EXECUTE FUNCTION ragw_refuse_change()"
            ).format(sql.Identifier(f"{table}_append_only"), name)
        )
        execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {} BEFORE TRUNCATE ON {} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ragw_refuse_change()"
            ).format(sql.Identifier(f"{table}_no_truncate"), name)
        )
    logins.install(connection, events_table, (WRITER, READER, FOLLOWER))


def add_login(connection: Any, login: str, password: str, role: str) -> None:
    """A database login for a person, a member of the group their ragw role needs."""
    if role not in GROUP_OF:
        raise InvalidInputError(f"{role!r} is not a role; use one of {', '.join(GROUP_OF)}")
    group = connection.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", (GROUP_OF[role],)
    ).fetchone()
    if not group:
        raise LedgerError(
            "the database has no group role {group} for a login to join; {hint}",
            group=GROUP_OF[role],
            hint=Hint.to(Fix.INIT_ROLES),
        )
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    if exists:
        raise LedgerError(f"the database already has a login {login!r}; choose another name")
    connection.execute(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            sql.Identifier(login), sql.Literal(password), sql.Identifier(GROUP_OF[role])
        )
    )
