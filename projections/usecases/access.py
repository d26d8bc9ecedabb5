"""Who may do what: the roles held, the PostgreSQL roles and logins a server enforces
them with, and what a request someone recorded now awaits."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from events import Request, SignOffFor
from ledger.keys import split_event_id

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Roles:
    #: Whether any role was ever granted (a ledger without is open to every writer).
    controlled: bool
    #: (name, role, acts for) of every role held now, in order.
    held: list[tuple[str, str, str | None]]


def roles(session: LedgerSession) -> Roles:
    """Every role held now."""
    access = session.ledger(write=False).access()
    held = sorted(access.held()) if access is not None else []
    return Roles(access is not None, held)


def keep_history_append_only(session: LedgerSession) -> list[str]:
    """Make the PostgreSQL database refuse UPDATE, DELETE and TRUNCATE of recorded
    events and their links, to everyone, and create the group roles ragw_writer,
    ragw_reader and ragw_follower with what they need and no more, the read model being
    the follower's alone (run as the tables' owner; again after an upgrade of ragw that
    changes the read model's layout, which it migrates). For an organisation's ledger,
    its own groups (:func:`groups`), in its schema alone, which no other role may use.
    The server's other databases the groups may also connect to (roles are the
    server's: a login made here reaches those too)."""
    # psycopg and the read model, for this set-up only: writes load this module to say
    # what a request awaits, and need neither
    from ledger.storage.roles_postgres import init_roles
    from projections.store import TABLES, TRACKING

    ledger = session.ledger(write=True)
    session.store().create()  # the read model's tables, this layout's, before the grants
    with _connect(session) as connection:
        recorder: Any = ledger.recorder
        return init_roles(connection, recorder.events_table_name, [TRACKING, *TABLES], ledger.org)


def groups(session: LedgerSession) -> tuple[str, str, str]:
    """The writer, reader and follower group roles of the session's ledger: its
    organisation's (``org_<code>_writer``...) or the single ledger's."""
    from ledger.storage.roles_postgres import groups_of  # psycopg: as above

    return groups_of(session.ledger(write=False).org)


def add_login(session: LedgerSession, login: str, password: str, role: str) -> None:
    """Create a PostgreSQL login for a person, in the group their ragw ``role`` needs
    in the session's ledger (its organisation's, or the single ledger's)."""
    from ledger.storage.roles_postgres import add_login as create  # psycopg: as above

    with _connect(session) as connection:
        create(connection, login, password, role, session.ledger(write=False).org)


def _connect(session: LedgerSession) -> AbstractContextManager[Any]:
    """A connection as the login of the URL, on the ledger's own schema: the grants name
    its tables, which must be the organisation's own and no other's."""
    from ledger.storage.settings import connect

    org = session.ledger(write=False).org
    return connect(session.target, org=org, autocommit=True)


@dataclass(frozen=True)
class Awaiting:
    """A request that awaits sign-off rather than having changed the item."""

    key: str
    #: What it asks for, in the ledger's words ("GREEN pending sign-off ...").
    asks: str
    #: Why it needs sign-off: completion always does; else the committees whose rule says so.
    why: str


def awaiting_sign_off(session: LedgerSession, event_id: str) -> Awaiting | None:
    """What the event ``event_id`` (just recorded) asked for, when it asked for a change
    rather than made it; None when it made it."""
    ledger = session.ledger(write=False)
    key, version = split_event_id(event_id)
    pending = ledger.get_recommendation(key).pending()
    if pending is None or pending.version != version:
        return None
    if pending.request == Request.GREEN:
        why = "completion is always signed off"
    else:
        change = SignOffFor.CLOSURES if pending.request == Request.CLOSED else SignOffFor.EXTENSIONS
        committees = ledger.needs_sign_off(session.actor, change)
        verb = "requires" if len(committees) == 1 else "require"
        why = f"{', '.join(committees)} {verb} sign-off for {change}"
    return Awaiting(key, pending.describe(), why)
