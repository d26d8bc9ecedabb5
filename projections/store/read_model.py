"""The stored read model of one ledger, put together from its parts."""

from __future__ import annotations

from projections.store.follower import Follower


class TimelineStore(Follower):
    """The read model of one ledger (a SQLite file or a PostgreSQL database): its
    tables (:mod:`~projections.store.schema`) in the ledger's own database
    (:mod:`~projections.store.database`), kept in step with the log
    (:mod:`~projections.store.follower`, :mod:`~projections.store.paper_rows`) and
    read (:mod:`~projections.store.queries`)."""
