"""Commands on requests awaiting sign-off: the owner's claim that an item is done, and
governance's decision on whatever awaits (sign-off or rejection). A decision may name
the request it is on (:mod:`ledger.seen`): it is refused once another awaits instead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ledger.errors import Field, Fix, Hint, RuleBrokenError
from ledger.governance import Governance
from ledger.inputs import clean_links, clean_text, required_reason


class Requests(Governance):
    """Completion claimed, and requests signed off or rejected."""

    def claim_completion(
        self,
        key: str,
        *,
        evidence: str,
        links: Sequence[str] = (),
        actor: str,
        on: date | None = None,
        seen: int | None = None,
    ) -> list[str]:
        """The owner says ``key`` is implemented; it is GREEN once signed off."""
        text = clean_text(evidence, Field.EVIDENCE, required=False)
        if not text:
            raise RuleBrokenError(
                "completion needs its evidence: {hint} for {key}",
                hint=Hint.to(Fix.GIVE_EVIDENCE),
                key=key,
            )
        found = clean_links(links)
        return self._change(
            key, on, lambda item, day: item.claim_completion(text, found, actor, day), actor, seen
        )

    def sign_off(
        self,
        key: str,
        *,
        note: str | None = None,
        actor: str,
        on: date | None = None,
        request: int | None = None,
    ) -> list[str]:
        """Accept ``key``'s pending request (the one asked for by its event ``request``,
        when given): it takes effect as of ``on``."""
        said = clean_text(note, Field.NOTE, required=False)
        self.authorize(actor, what="signing off")

        return self._change(
            key, on, lambda item, day: item.sign_off(said, actor, day, request), actor
        )

    def reject_sign_off(
        self,
        key: str,
        *,
        reason: str,
        actor: str,
        on: date | None = None,
        request: int | None = None,
    ) -> list[str]:
        """Refuse ``key``'s pending request (the one of event ``request``, when given),
        with a reason; the item stays as it was."""
        why = required_reason(reason, "a rejection", key)
        self.authorize(actor, what="rejecting a sign-off")
        return self._change(
            key, on, lambda item, day: item.reject_sign_off(why, actor, day, request), actor
        )
