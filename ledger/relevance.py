"""Commands on whether an item is the force's to act on, and on one item superseding
another (rules: :mod:`ledger.aggregates.supersession`).

Superseding closes an item, so where a committee's rules require sign-off for closures
it is recorded only by whoever may sign off (governance): a closure that waits for
sign-off is asked for by closing the item instead, and a request could not carry the
later item that supersedes it. Under such a rule without roles granted, nobody may
sign off their own change, so nobody records a supersession: close the item (it then
waits for sign-off) and name the later item in the reason.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from events import SignOffFor
from ledger.aggregates import Recommendation
from ledger.aggregates.supersession import (
    change_relevance,
    correct_supersession,
    partner_key,
    supersede,
)
from ledger.errors import ConflictError, Fix, ForbiddenError, Hint, LedgerError
from ledger.governance import Governance
from ledger.inputs import required_reason
from ledger.keys import split_key

#: What ``relevance`` says an item is, as the command line names it.
NOT_FOR_US, FOR_US = "not-for-us", "for-us"
#: How often a supersession is tried while other writers record (as a change of one item).
ATTEMPTS = 5


class Relevance(Governance):
    """Relevance and supersession, as commands on items."""

    if TYPE_CHECKING:  # the Ledger's (its items' commands)

        def get_recommendation(self, key: str) -> Recommendation: ...

    def change_relevance(
        self, key: str, *, for_us: bool, reason: str, actor: str, on: date | None = None
    ) -> list[str]:
        """Say that ``key`` is not the force's to act on (``for_us`` False: addressed to
        someone else) from ``on``, or that it is again. It stays on the ledger and the
        board; a paper lists it apart and does not count it."""
        why = required_reason(reason, "a change of relevance", key)
        waiting = [] if for_us else self.needs_sign_off(actor, SignOffFor.CLOSURES)
        if waiting:
            # Saying an item is not the force's takes it out of the counts, as a closure
            # does: where closures wait for sign-off, only who signs off says it.
            raise ForbiddenError(
                "{committees} require sign-off for closures, and an item not for the force "
                "leaves the counts as a closed one does: governance, who signs off, records "
                "it; or ask for {hint} giving the reason",
                committees=", ".join(waiting),
                hint=Hint.to(Fix.CLOSE, key=key),
            )
        return self._change(
            key, on, lambda item, day: change_relevance(item, for_us, why, actor, day), actor
        )

    def supersede(
        self, key: str, *, by: str, reason: str, actor: str, on: date | None = None
    ) -> list[str]:
        """Close ``key`` as superseded by ``by`` from ``on``, in one transaction with
        ``by``'s record that it supersedes ``key``."""
        why = required_reason(reason, "superseding", key)
        waiting = self.needs_sign_off(actor, SignOffFor.CLOSURES)
        if waiting:
            raise ForbiddenError(
                "{committees} require sign-off for closures, and superseding closes {key}: "
                "governance, who signs off, records it; or ask for {hint} naming the later "
                "item",
                committees=", ".join(waiting),
                key=key,
                hint=Hint.to(Fix.CLOSE, key=key),
            )
        day = self.check_on(on)

        def attempt() -> list[str]:
            item, later = self.get_recommendation(key), self.get_recommendation(by)
            self.authorize(actor, item=item, what=f"changing {item.key}")
            self.authorize(actor, item=later, what=f"changing {later.key}")
            supersede(item, later, why, actor, day, self._found_item)
            return self.save_all(item, later, what=f"{item.key} and {later.key}")

        return _retried(attempt)

    def correct_supersession(
        self, key: str, version: int, *, reason: str, actor: str, on: date | None = None
    ) -> list[str] | None:
        """Retract both halves of the supersession whose half is ``key``'s event
        ``version``, in one transaction; None when that event is no half of one."""
        if partner_key(self.get_recommendation(key), version) is None:
            return None
        day = self.check_on(on)

        def attempt() -> list[str]:
            item = self.get_recommendation(key)
            other = partner_key(item, version)
            assert other is not None  # an event's type never changes
            partner = self.get_recommendation(other)
            self.authorize(actor, item=item, what=f"changing {item.key}")
            self.authorize(actor, item=partner, what=f"changing {partner.key}")
            correct_supersession(item, partner, version, reason, actor, day)
            return self.save_all(item, partner, what=f"{item.key} and {partner.key}")

        return _retried(attempt)

    def _found_item(self, key: str) -> Recommendation | None:
        try:
            split_key(key)
            return self.get_recommendation(key)
        except LedgerError:
            return None


def _retried(attempt: Callable[[], list[str]]) -> list[str]:
    """``attempt``'s events, tried again (reading both items afresh and checking the
    rules again) when another writer recorded first, as a change of one item is."""
    for number in range(1, ATTEMPTS + 1):
        try:
            return attempt()
        except ConflictError:
            if number == ATTEMPTS:
                raise
            time.sleep(random.uniform(0.005, 0.02) * number)  # let the winner finish
    raise AssertionError("unreachable")
