"""Reminders, as commands: where each owner's reminders go (their contact details, an
event of their own stream), and each reminder sent, recorded on every item it listed.

Sending the message is the front end's part; the ledger records what was sent, so an
item's history says when its owner was told, and a run repeated the same day finds
nothing left to send."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, cast

from eventsourcing.application import AggregateNotFoundError

from ledger.aggregates import Contacts, Recommendation
from ledger.aggregates.owners import check_emails, reminded_already, send_reminder
from ledger.errors import ConflictError, Field, RuleBrokenError
from ledger.governance import Governance
from ledger.inputs import clean_text
from ledger.keys import OWNERS_ID

#: How often a reminder's record is tried against items other writers keep changing.
RECORD_ATTEMPTS = 5


class Reminders(Governance):
    """Owners' contact details, and the reminders sent to them."""

    if TYPE_CHECKING:  # the Ledger's (its items' commands)

        def get_recommendation(self, key: str) -> Recommendation: ...

    def contacts(self) -> Contacts | None:
        """Every owner's addresses; None while none was ever set."""
        try:
            return cast(Contacts, self.repository.get(OWNERS_ID))
        except AggregateNotFoundError:
            return None

    def owner_emails(self, owner: str) -> tuple[str, ...]:
        """Where ``owner``'s reminders go (none: nowhere)."""
        contacts = self.contacts()
        return contacts.of(owner) if contacts is not None else ()

    def reminded_already(self, key: str, on: date) -> bool:
        """Whether the item ``key`` may not be reminded again now as at ``on``: the rule
        its record checks (:func:`~ledger.aggregates.owners.reminded_already`)."""
        item = self.get_recommendation(key)
        return reminded_already(item, on, datetime.now(UTC).date()) is not None

    def set_owner_contact(self, owner: str, emails: Sequence[str], *, actor: str) -> list[str]:
        """Send ``owner``'s reminders to ``emails`` from now on, replacing the addresses
        before (none: ``owner`` is no longer reminded). Governance, or whoever acts for
        ``owner``, may set them."""
        who = clean_text(owner, Field.OWNER, required=True) or ""
        self.authorize(actor, owner=who, what=f"setting where {who}'s reminders go")
        wanted = check_emails(emails)
        today = self.today()
        contacts = self.contacts() or Contacts.keep(actor=actor, on=today)
        contacts.set_contact(who, wanted, actor, today)
        return self.save_all(contacts, what="the owners' contact details")

    def record_reminder(
        self,
        owner: str,
        *,
        addresses: Sequence[str],
        keys: Sequence[str],
        message_id: str,
        actor: str,
        on: date,
    ) -> list[str]:
        """Record that the message ``message_id`` listing the items ``keys`` was sent to
        ``owner`` at ``addresses`` as at ``on``: one event on each item, all at once."""
        day = self.check_on(on)
        sent_to = check_emails(addresses)
        if not keys:
            raise RuleBrokenError("a reminder lists at least one item")
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            # checked again each time: the roles may have changed as another wrote
            self.authorize(actor, what="sending reminders")
            items: list[Recommendation] = [self.get_recommendation(key) for key in keys]
            listed = tuple(item.key for item in items)
            for item in items:
                send_reminder(
                    item,
                    owner=owner,
                    addresses=sent_to,
                    items=listed,
                    message_id=message_id,
                    actor=actor,
                    on=day,
                )
            try:
                return self.save_all(*items, what=f"{owner}'s reminder")
            except ConflictError:
                if attempt == RECORD_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.02) * attempt)
        raise AssertionError("unreachable")
