"""The stored read model of one ledger, put together from its parts."""

from __future__ import annotations

from collections.abc import Callable

from ledger.errors import Fix, Hint, LedgerError
from projections.store.follower import Follower


def refuse_writing() -> LedgerError:
    """The refusal for a login that may not write the read model."""
    return LedgerError(
        "on this PostgreSQL ledger only ragw's follower writes the read model: {hint}",
        hint=Hint.to(Fix.FOLLOW_AS_FOLLOWER),
    )


class TimelineStore(Follower):
    """The read model of one ledger (a SQLite file or a PostgreSQL database): its
    tables (:mod:`~projections.store.schema`) in the ledger's own database
    (:mod:`~projections.store.database`), kept in step with the log
    (:mod:`~projections.store.follower`, :mod:`~projections.store.paper_rows`) and
    read (:mod:`~projections.store.queries`). A login that may not write it (not
    ``writable``) reads it as it is: catching up does nothing, rebuilding is refused."""

    def catch_up(self, progress: Callable[[int], object] | None = None) -> int:
        if not self.writable:  # brought up to date by its follower; checked all the same
            if self.ready:
                self.check_head()
            return 0
        return super().catch_up(progress)

    def rebuild(self, progress: Callable[[int], object] | None = None) -> int:
        if not self.writable:
            raise refuse_writing()
        return super().rebuild(progress)
