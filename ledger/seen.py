"""A change made on what its maker saw. A page shows an item as it stood when it was
read; by the time its form is sent, someone else may have changed the item, or the
same form may be sent twice (a second press of the button, a page sent again from the
browser's history). A change that says what it was made on is refused when the item
is no longer so, and nothing is recorded: its maker looks again.

- Any change may name the item's version it was made on (``seen``: the version of the
  item's latest event then): refused once the item has another.
- A decision on a request awaiting sign-off may name the request (``request``: the
  version of the event that asked for it): refused once another awaits instead, so a
  sign-off never accepts evidence its signer did not see (a request rejected and asked
  for again, or withdrawn and replaced, in between).

Either is checked against the item as loaded for the write, inside the change's retry
(:meth:`ledger.application.Ledger._change`): a writer that lands first is seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.errors import ConflictError

if TYPE_CHECKING:
    from ledger.state import Pending


def check_seen(key: str, version: int, seen: int | None) -> None:
    """Refuse a change made on ``key`` at version ``seen`` when it is now at
    ``version`` (nothing to check without ``seen``)."""
    if seen is not None and seen != version:
        raise ConflictError(
            "{key} changed since it was shown ({was} was its latest event then, {now} is "
            "now); nothing was recorded; look at {key} again and make the change if it "
            "still holds",
            key=key,
            was=f"{key}@{seen}",
            now=f"{key}@{version}",
        )


def check_request(key: str, pending: Pending, request: int | None) -> None:
    """Refuse a decision on ``key``'s request ``request`` when ``pending`` (the one
    awaiting sign-off now) is another."""
    if request is not None and request != pending.version:
        raise ConflictError(
            "{was}, which this decision is on, no longer awaits sign-off: {now} does "
            "(asked for by {actor} on {day}); nothing was recorded; look at {key} again "
            "and decide on what awaits",
            was=f"{key}@{request}",
            now=f"{key}@{pending.version}",
            actor=pending.actor,
            day=pending.on.isoformat(),
            key=key,
        )
