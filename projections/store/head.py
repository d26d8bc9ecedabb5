"""What the model last read, kept to prove the log still holds it.

The model's position says how far it has read; beside it, the tracking row
:data:`HEAD_ROW` keeps a fingerprint of the event it read there. Before each catch-up the
log must still hold that very event at that position: a model past the log's last event,
or an event there that is not the one it read, means events were deleted (or replaced)
after the model read them. Their links would have gone with them, so the chain alone
cannot show it, and SQLite gives a deleted last position to the next write, which the
model would then never read. The model is evidence of what the log held: such a read is
refused, and nothing is written, until someone has looked.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ledger.errors import Fix, Hint, LedgerError

#: The tracking row of the fingerprint of the event at the model's position.
HEAD_ROW = "read_model_head"


class LogBehindModel(LedgerError):
    """The log no longer holds what the model read (:func:`check_head`)."""


def fingerprint(notification: Any) -> int:
    """56 bits of the SHA-256 of a stored event (its stream, version, topic and stored
    bytes): a whole number any BIGINT column holds."""
    digest = hashlib.sha256(
        f"{notification.originator_id}\n{notification.originator_version}\n"
        f"{notification.topic}\n".encode()
    )
    digest.update(notification.state)
    return int.from_bytes(digest.digest()[:7], "big")


def check_head(recorder: Any, position: int, head: int | None, last: int) -> None:
    """Refuse unless the log still holds the event the model read at ``position`` (its
    fingerprint ``head``; None when not kept yet), the log's last position being
    ``last``."""
    if position > last:
        said = f"but the log's last event is at position {last}"
    elif position and head is not None:
        found = recorder.select_notifications(start=position, limit=1)
        if found and found[0].id == position and fingerprint(found[0]) == head:
            return
        said = "but the log holds another event there, or none"
    else:
        return
    raise LogBehindModel(
        "the read model has read the log up to position {position}, {said}: events were "
        "deleted or replaced since it read them (their links with them, so the chain "
        "alone cannot show it); nothing was written. Compare the ledger with its last "
        "backup or the digest on its last paper ({hint}) before any rebuild, which would "
        "forget what the model read",
        position=position,
        said=said,
        hint=Hint.to(Fix.VERIFY),
    )
