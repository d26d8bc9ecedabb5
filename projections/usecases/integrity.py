"""Whether the history is intact (the chain of every event), and rebuilding the read
model derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.errors import LedgerError

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.chain import Digest, Verdict
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Verified:
    """An intact chain: how many events check out, and the ledger's digest."""

    events: int
    head: Digest
    #: The digest asked about, which holds, and how many events extend it.
    digest: Digest | None = None
    since: int = 0


def verify(session: LedgerSession, digest: Digest | None = None) -> Verified:
    """Recompute the whole chain (and, given a paper's ``digest``, check that the
    history up to it is unchanged); refuses, naming the first event that no longer
    matches, when the history was altered."""
    ledger = session.ledger(write=False)
    with session.progress(ledger.last_position(), "Verifying the chain") as bar:
        verdict = ledger.verify(digest, progress=bar)
    return verified(ledger, verdict, digest)


def verified(ledger: Ledger, verdict: Verdict, digest: Digest | None) -> Verified:
    """The chain's ``verdict`` as an intact history, or the refusal that names what
    broke."""
    if verdict.broken is not None:
        at = verdict.broken
        name = ledger.event_name(at.stream, at.version) if at.stream and at.version else None
        which = (
            f"event {name} (position {at.position})"
            if name
            else f"the event at position {at.position}"
        )
        raise LedgerError(
            f"{which} {at.why}; the history has been altered after it was recorded "
            f"({verdict.events} events before it check out); restore the ledger from a backup "
            "or an export and compare"
        )
    if digest is not None and verdict.digest_holds is None:
        raise LedgerError(
            f"the ledger has no event at position {digest.position} (its last is "
            f"{verdict.head.position}): the digest is not of this ledger, or its history "
            "was cut short"
        )
    if digest is not None and not verdict.digest_holds:
        raise LedgerError(
            f"the history up to position {digest.position} is not the one the digest was "
            "taken of: it has been rewritten since"
        )
    since = verdict.head.position - digest.position if digest is not None else 0
    return Verified(verdict.events, verdict.head, digest, since)


def rebuild(session: LedgerSession) -> int:
    """Derive the stored read model again from every event; how many events."""
    store = session.store()
    with session.progress(session.ledger(write=False).last_position(), "Rebuilding") as bar:
        return store.rebuild(progress=bar)
