"""A write is held to the roles it was allowed under. A command checks its actor's roles
before it writes, and a write takes a while (an import, many seconds): were the roles
changed in between (a role revoked, access control turned on), the events would stand
as recorded by someone the roles no longer allowed, which ``verify`` and every restore
refuse for good. So the write says which version of the roles' stream it was allowed
under, and, in its own transaction, holding the store's lock, is refused when the stream
has moved on since: nothing is written, and the command, run again, is checked against
the roles then in force (a change of one item is run again at once).
"""

from __future__ import annotations

from typing import Any

from ledger.errors import ConflictError
from ledger.keys import ACCESS_ID


def check_roles(
    cursor: Any, events_table: str, allowed_at: int, *, postgres: bool, before: int = 0
) -> None:
    """Refuse the write in ``cursor``'s transaction unless the roles' stream is at
    version ``allowed_at`` (0: no roles yet), not counting this write's own events (on
    SQLite, stored from position ``before`` on)."""
    if postgres:
        cursor.execute(
            f"SELECT MAX(originator_version) FROM {events_table} WHERE originator_id = %s",
            (ACCESS_ID,),
        )
    else:
        cursor.execute(
            f"SELECT MAX(originator_version) FROM {events_table} "
            "WHERE originator_id = ? AND rowid < ?",
            (ACCESS_ID.hex, before),
        )
    row = cursor.fetchone()
    found = row[0] if row is not None and row[0] is not None else 0
    if int(found) != allowed_at:
        raise ConflictError(
            "the roles were changed while this was being recorded (roles@{now}, where it "
            "was allowed under roles@{was}); nothing was recorded; run the command again, "
            "under the roles in force now",
            now=int(found),
            was=allowed_at,
        )
