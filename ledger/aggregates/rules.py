"""The ledger's rules: which changes each committee requires sign-off for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from events import RulesAdopted, RulesEvent, SignOffFor, SignOffRuleSet
from ledger.aggregates.moments import InOrder
from ledger.errors import AlreadyExistsError
from ledger.keys import RULES_ID


class Rules(InOrder):
    """The ledger's rules: which changes each committee requires sign-off for."""

    Event = RulesEvent

    @classmethod
    def adopt(cls, *, actor: str, on: date) -> Rules:
        return cls._create(RulesAdopted, id=RULES_ID, actor=actor, on=on)

    def when(self, event: RulesEvent) -> None:
        if isinstance(event, RulesAdopted):
            self.sign_off: dict[str, frozenset[SignOffFor]] = {}
        elif isinstance(event, SignOffRuleSet):
            self.sign_off[event.committee] = frozenset(event.changes)

    def requiring(self, change: SignOffFor) -> list[str]:
        """The committees that require sign-off for ``change``."""
        return sorted(code for code, changes in self.sign_off.items() if change in changes)

    def set_sign_off(
        self, committee: str, changes: Sequence[SignOffFor], actor: str, on: date
    ) -> None:
        wanted = tuple(sorted(set(changes)))
        if tuple(sorted(self.sign_off.get(committee, ()))) == wanted:
            said = ", ".join(wanted) or "nothing beyond completion"
            raise AlreadyExistsError(f"{committee} already requires sign-off for {said}")
        self.trigger_event(SignOffRuleSet, committee=committee, changes=wanted, actor=actor, on=on)
