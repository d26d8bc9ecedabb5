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

An organisation's ledger (:mod:`ledger.storage.organisation`) gets groups of its own,
named after its schema (``org_wmp_writer``, ``org_wmp_reader``, ``org_wmp_follower``),
with the same grants inside its schema and nothing outside it. Its schema is walled
off: USAGE on it is revoked from PUBLIC and from every role but those three groups (and
the owner), so the server refuses another organisation's logins, and the single
ledger's, every object in it, whatever their search path or their table grants; its
tables keep no grant but its groups'. Its logins join its groups alone.
"""

from __future__ import annotations

import re
from typing import Any

from psycopg import sql

from ledger.chain import TABLE as CHAIN_TABLE
from ledger.errors import Fix, Hint, InvalidInputError, LedgerError
from ledger.storage import logins
from ledger.storage.keycheck import CREATE as CREATE_KEY
from ledger.storage.keycheck import TABLE as KEY_TABLE
from ledger.storage.organisation import schema_of

WRITER, READER, FOLLOWER = "ragw_writer", "ragw_reader", "ragw_follower"
#: The group each kind of login joins: ragw's roles, and the follower (no ragw role).
GROUP_OF = {"governance": WRITER, "owner": WRITER, "auditor": READER, "follower": FOLLOWER}

#: A name only a group role of ragw's may have: the single ledger's, or an
#: organisation's (``org_<code>_writer``...). No login may take one, so no login can
#: stand in for an organisation's group before that organisation's roles are made.
GROUP_NAME = re.compile(r"(ragw|org_[a-z][a-z0-9]*)_(writer|reader|follower)", re.IGNORECASE)

REFUSE = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ragw: % of % is refused: recorded events are never changed',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$"""


def schema_for(org: str | None) -> str:
    """The PostgreSQL schema a ledger's tables live in: the organisation's, or public."""
    return schema_of(org) if org else "public"


def groups_of(org: str | None) -> tuple[str, str, str]:
    """The writer, reader and follower groups of organisation ``org`` (named after its
    schema), or of the single ledger."""
    if not org:
        return WRITER, READER, FOLLOWER
    schema = schema_of(org)
    return f"{schema}_writer", f"{schema}_reader", f"{schema}_follower"


def group_of(role: str, org: str | None = None) -> str:
    """The group a login for ragw ``role`` joins, in organisation ``org``'s ledger or
    the single ledger."""
    if role not in GROUP_OF:
        raise InvalidInputError(f"{role!r} is not a role; use one of {', '.join(GROUP_OF)}")
    writer, reader, follower = groups_of(org)
    return {WRITER: writer, READER: reader, FOLLOWER: follower}[GROUP_OF[role]]


def init_roles(
    connection: Any, events_table: str, read_model: list[str], org: str | None = None
) -> list[str]:
    """Create the group roles, grant them what they need and no more, make the event
    tables append-only for everyone and let only the follower write the read model
    (run as the owner of the tables; running it again sets the same grants). For
    organisation ``org`` (``connection`` on its schema) all of it in its schema, for
    its own groups, with its schema closed to every other role. The other databases of
    the server the groups may connect to: roles are the server's, so a login made for
    this database reaches those too."""
    schema = schema_for(org)
    if org and connection.execute("SELECT current_schema()").fetchone()[0] != schema:
        raise LedgerError(  # a connection on another search path would grant the wrong tables
            "the connection does not stand on the schema {schema} of the organisation",
            schema=schema,
        )
    writer, reader, follower = groups = groups_of(org)
    events = [events_table, CHAIN_TABLE, KEY_TABLE]
    execute = connection.execute
    execute(CREATE_KEY)  # a ledger written before it kept one: writers' logins create nothing
    # Nobody but its owner creates in the schema every search path may hold (PostgreSQL
    # before 15 let everyone): a function planted there could stand in for the server's
    # own in the owner's statements, run with the owner's rights over every ledger.
    execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    if org:  # whoever was granted anything in its schema before loses it
        _close_schema(connection, schema, events_table)
    for group in groups:
        _create_group(connection, group)
    every = sql.SQL(", ").join(map(sql.Identifier, groups))
    readers = sql.SQL(", ").join(map(sql.Identifier, (reader, follower)))
    database = connection.info.dbname
    execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), every))
    execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), every))

    def revoke(table: str) -> None:
        if not org:  # an organisation's were all revoked above
            execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(_in(schema, table), every))

    for table in events:
        name = _in(schema, table)
        revoke(table)
        # UPDATE for the event store's table lock alone; the record of the ledger's key
        # is inserted once, by its first write, and never locked
        may = "SELECT, INSERT" if table == KEY_TABLE else "SELECT, INSERT, UPDATE"
        execute(sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(may), name, sql.Identifier(writer)))
        execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, readers))
    sequence = f"{events_table}_notification_id_seq"
    execute(
        sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
            _in(schema, sequence), sql.Identifier(writer)
        )
    )
    for table in read_model:  # SELECT for everyone; changes by the follower alone
        name = _in(schema, table)
        revoke(table)
        execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, every))
        execute(
            sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                name, sql.Identifier(follower)
            )
        )
    refuse = _in(schema, "ragw_refuse_change")
    execute(sql.SQL(REFUSE).format(function=refuse))
    for table in events:
        name = _in(schema, table)
        execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {} BEFORE UPDATE OR DELETE ON {} "
                "FOR EACH ROW EXECUTE FUNCTION {}()"
            ).format(sql.Identifier(f"{table}_append_only"), name, refuse)
        )
        execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {} BEFORE TRUNCATE ON {} "
                "FOR EACH STATEMENT EXECUTE FUNCTION {}()"
            ).format(sql.Identifier(f"{table}_no_truncate"), name, refuse)
        )
    logins.install(connection, schema, events_table, groups)
    logins.install_linked(connection, schema, events_table)
    return [
        name
        for (name,) in connection.execute(
            "SELECT DISTINCT d.datname FROM pg_database d, aclexplode(d.datacl) a "
            "JOIN pg_roles r ON r.oid = a.grantee WHERE r.rolname = ANY(%s) "
            "AND a.privilege_type = 'CONNECT' AND d.datname <> current_database() "
            "ORDER BY d.datname",
            (list(groups),),
        ).fetchall()
    ]


def add_login(
    connection: Any, login: str, password: str, role: str, org: str | None = None
) -> None:
    """A database login for a person, a member of the group their ragw role needs in
    organisation ``org``'s ledger (or the single ledger's), and of no other."""
    group = group_of(role, org)
    if GROUP_NAME.fullmatch(login):
        raise InvalidInputError(
            "{login} is named as the group roles of ledgers are; choose another name for a login",
            login=repr(login),
        )
    found = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone()
    if not found:
        raise LedgerError(
            "the database has no group role {group} for a login to join; {hint}",
            group=group,
            hint=Hint.to(Fix.INIT_ROLES),
        )
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    if exists:
        raise LedgerError(f"the database already has a login {login!r}; choose another name")
    connection.execute(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            sql.Identifier(login), sql.Literal(password), sql.Identifier(group)
        )
    )


def _in(schema: str, name: str) -> sql.Composable:
    """``name`` in ``schema``, qualified so no search path can point it elsewhere."""
    return sql.Identifier(schema, name)


def _create_group(connection: Any, group: str) -> None:
    """Create the group role ``group`` unless it exists; refuse one that exists but can
    log in (someone's login, which the grants would hand a ledger to)."""
    found = connection.execute(
        "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (group,)
    ).fetchone()
    if found is None:
        connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
    elif found[0]:
        raise LedgerError(
            "the database has a login named {group}, the name of one of ragw's group roles; "
            "nothing was granted; rename or drop that login, then set the roles up again",
            group=group,
        )


#: Where each kind of object keeps its owner and its grants, to find who was granted.
_ACL = {
    "SCHEMA": "SELECT nspowner, nspacl FROM pg_namespace WHERE nspname = %s",
    "TABLE": "SELECT c.relowner, c.relacl FROM pg_class c JOIN pg_namespace n "
    "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
}
_ACL["SEQUENCE"] = _ACL["TABLE"]

#: Every table, view and sequence in a schema, as the kind of object REVOKE names.
_RELATIONS = (
    "SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.relname "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') ORDER BY 2"
)

#: The schema itself, and every relation, function, type and operator in it, that
#: belongs to another role than the ledger's events table: its owner would keep
#: whatever it owns there, and a function or operator of its own could stand in for
#: the server's own (a better match for an argument's type) in the ledger's statements.
_STRAYS = """
WITH o AS (SELECT relowner AS owner FROM pg_class WHERE oid = to_regclass(%(events)s)),
s AS (SELECT oid, nspname, nspowner FROM pg_namespace WHERE nspname = %(schema)s)
SELECT s.nspname FROM s, o WHERE s.nspowner <> o.owner
UNION ALL SELECT c.relname FROM pg_class c, s, o
    WHERE c.relnamespace = s.oid AND c.relowner <> o.owner
UNION ALL SELECT p.proname FROM pg_proc p, s, o
    WHERE p.pronamespace = s.oid AND p.proowner <> o.owner
UNION ALL SELECT t.typname FROM pg_type t, s, o
    WHERE t.typnamespace = s.oid AND t.typowner <> o.owner
UNION ALL SELECT p.oprname FROM pg_operator p, s, o
    WHERE p.oprnamespace = s.oid AND p.oprowner <> o.owner
ORDER BY 1"""


def _close_schema(connection: Any, schema: str, events_table: str) -> None:
    """Revoke everything granted on an organisation's schema and on every table and
    sequence in it, from PUBLIC and from every role but the owner; refused, before
    anything is revoked, when the schema or anything in it belongs to another role than
    the ledger's tables (see :data:`_STRAYS`)."""
    names = {"schema": schema, "events": f"{schema}.{events_table}"}
    strays = [row[0] for row in connection.execute(_STRAYS, names).fetchall()]
    if strays:
        raise LedgerError(
            "{strays} in the schema {schema} belongs to another role than the ledger's "
            "events table; nothing was granted; give it to the owner of the ledger's "
            "tables (ALTER ... OWNER TO), or drop it, then set the roles up again",
            schema=schema,
            strays=", ".join(dict.fromkeys(strays)),
        )
    _revoke_all(connection, "SCHEMA", schema)
    for kind, name in connection.execute(_RELATIONS, names).fetchall():
        _revoke_all(connection, kind, schema, name)


def _revoke_all(connection: Any, kind: str, *name: str) -> None:
    """Revoke every privilege on the object ``name`` (a schema; a schema and a table or
    sequence in it) from PUBLIC and from every role granted one but its owner (the
    grants that follow are then all it has, whoever was granted what before)."""
    grantees = connection.execute(
        "SELECT DISTINCT CASE WHEN a.grantee = 0 THEN NULL "
        "ELSE pg_get_userbyid(a.grantee)::text END "
        f"FROM ({_ACL[kind]}) o(owner, acl), aclexplode(o.acl) a "
        "WHERE a.grantee <> o.owner",
        name,
    ).fetchall()
    target = sql.Identifier(*name)
    for (grantee,) in grantees:
        who = sql.SQL("PUBLIC") if grantee is None else sql.Identifier(grantee)
        connection.execute(
            sql.SQL("REVOKE ALL ON {} {} FROM {}").format(sql.SQL(kind), target, who)
        )
    connection.execute(sql.SQL("REVOKE ALL ON {} {} FROM PUBLIC").format(sql.SQL(kind), target))
