"""Which database login recorded each event, as the PostgreSQL server itself saw it.

Under access control ragw records the authenticated login as the actor, but the chain
needs no secret: a writer's login could insert an event (and its link) by hand, naming
someone else as its actor. So ``ragw admin init-roles`` has the server note, in the
statement that inserts events, the login of the session (``session_user``, which no
client sets) against each new position, in a table writers may only read and nobody
may change. ``verify`` then names any event whose actor is not the login that recorded
it. The tables' owner is not noted: it owns the triggers too, so could undo any note,
and it is who restores a backup (whose events keep their original actors).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from ledger.aggregates.access import fold_name

TABLE = "ragw_recorded_by"

#: The table of notes, in the ledger's schema (formatted with its qualified name).
CREATE = """
CREATE TABLE IF NOT EXISTS {} (
    position BIGINT PRIMARY KEY,
    login TEXT NOT NULL
)"""

#: SECURITY DEFINER: writers may not insert the notes themselves, the owner's function
#: does. Every name in it is qualified, and its search path puts the session's temporary
#: schema last, so a writer's own temporary tables (a ``pg_class`` or a
#: ``ragw_recorded_by`` of its own, searched first otherwise) cannot stand in for these.
NOTE = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF session_user::text <> (
        SELECT pg_catalog.pg_get_userbyid(c.relowner)::text
        FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID
    ) THEN
        INSERT INTO {table} (position, login)
        SELECT notification_id, session_user::text FROM inserted;
    END IF;
    RETURN NULL;
END $$"""


def install(connection: Any, schema: str, events_table: str, groups: Iterable[str]) -> None:
    """Create the table of notes and the trigger that writes them, in ``schema`` (run
    by the tables' owner; running it again changes nothing); ``groups`` may read the
    notes."""
    execute = connection.execute
    name = sql.Identifier(schema, TABLE)
    execute(sql.SQL(CREATE).format(name))
    function = sql.Identifier(schema, "ragw_note_login")
    execute(sql.SQL(NOTE).format(function=function, table=name))
    # it runs as the owner: nobody else may hang it on a table of their own (a trigger
    # checks EXECUTE when it is made, not when it fires)
    execute(sql.SQL("REVOKE ALL ON FUNCTION {}() FROM PUBLIC").format(function))
    execute(
        sql.SQL(
            "CREATE OR REPLACE TRIGGER {} AFTER INSERT ON {} REFERENCING NEW TABLE AS "
            "inserted FOR EACH STATEMENT EXECUTE FUNCTION {}()"
        ).format(
            sql.Identifier(f"{events_table}_note_login"),
            sql.Identifier(schema, events_table),
            function,
        )
    )
    readers = sql.SQL(", ").join(map(sql.Identifier, groups))
    execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(name, readers))
    execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, readers))
    refuse = sql.Identifier(schema, "ragw_refuse_change")
    for when, each in (("BEFORE UPDATE OR DELETE", "ROW"), ("BEFORE TRUNCATE", "STATEMENT")):
        execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {} " + when + " ON {} "
                "FOR EACH " + each + " EXECUTE FUNCTION {}()"
            ).format(sql.Identifier(f"{TABLE}_{each.lower()}_kept"), name, refuse)
        )


#: A link names the event it links: one for a position that holds no event (written by
#: hand by a writer, who may insert links) would stand as the chain's head and refuse
#: every later write. Checked once a statement, over the rows it inserted.
LINKED = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM inserted WHERE NOT EXISTS (
            SELECT 1 FROM {events} AS e WHERE e.notification_id = inserted.position
        )
    ) THEN
        RAISE EXCEPTION 'ragw: a link of the chain names no stored event'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$"""


def install_linked(connection: Any, schema: str, events_table: str) -> None:
    """The trigger refusing a link of ``schema``'s chain for a position holding no event
    (run by the tables' owner; running it again changes nothing)."""
    function = sql.Identifier(schema, "ragw_link_names_event")
    events = sql.Identifier(schema, events_table)
    connection.execute(sql.SQL(LINKED).format(function=function, events=events))
    connection.execute(sql.SQL("REVOKE ALL ON FUNCTION {}() FROM PUBLIC").format(function))
    connection.execute(
        sql.SQL(
            "CREATE OR REPLACE TRIGGER ragw_chain_links_events AFTER INSERT ON {} "
            "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION {}()"
        ).format(sql.Identifier(schema, "ragw_chain"), function)
    )


def server_login(ledger: Any) -> tuple[str, list[str]]:
    """:func:`logins_read_as`, asked on the PostgreSQL ledger's own connection."""
    with ledger.recorder.datastore.transaction(commit=False) as cursor:
        return logins_read_as(cursor)


def logins_read_as(cursor: Any) -> tuple[str, list[str]]:
    """The login the server authenticated this session as (``session_user``, whatever
    the URL named, or did not), and the other logins whose names read as the same name
    in ragw's roles, which match names whatever their case and spacing."""
    cursor.execute(
        "SELECT session_user, ARRAY(SELECT rolname::text FROM pg_roles WHERE rolcanlogin "
        "AND rolname <> session_user)"
    )
    row = cursor.fetchone()
    login, others = (row["session_user"], row["array"]) if isinstance(row, dict) else row
    folded = fold_name(str(login))
    return str(login), sorted(str(other) for other in others if fold_name(str(other)) == folded)


def noted(connection: Any) -> dict[int, str]:
    """Every note: position to login (none on a database whose roles were never set up)."""
    found = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,)).fetchone()
    if not found or not found[0]:
        return {}
    return {
        int(p): str(login)
        for p, login in connection.execute(f"SELECT position, login FROM {TABLE}").fetchall()
    }


@dataclass(frozen=True)
class Borrowed:
    """An event whose actor is not the login the server saw record it."""

    position: int
    name: str
    actor: str
    login: str


def borrowed(
    events: Iterable[tuple[int, str, str, bool]], logins: dict[int, str]
) -> Iterator[Borrowed]:
    """Events (position, name, actor, under access control) whose actor is not the
    login noted for them, exactly: under access control ragw records the login the
    server authenticated, letter for letter, and logins differing in case alone are
    different people (``ALICE`` writing as ``alice``). Before any role was granted a
    ledger takes any name as the actor, so only events recorded under access control
    are held to their login."""
    for position, name, actor, controlled in events:
        login = logins.get(position)
        if controlled and login is not None and actor != login:
            yield Borrowed(position, name, actor, login)
