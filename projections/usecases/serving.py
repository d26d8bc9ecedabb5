"""What a service needs to know of a ledger before serving it to people who sign in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.storage.settings import is_postgres

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession


def recorded_as_login(session: LedgerSession) -> bool:
    """Whether the database itself holds each event to the login that wrote it (a
    PostgreSQL ledger whose roles were set up): there a service's writes would be
    recorded as its own login, not as the people signed in to it."""
    if not is_postgres(session.target):
        return False
    from ledger.storage.logins import TABLE  # psycopg: PostgreSQL only

    with session.connect() as connection:
        found = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,)).fetchone()
    return bool(found and found[0])
