"""Who may do what: the roles governance grants and revokes, and the owners an owner
acts for. Names match whatever their letters' case and spacing."""

from __future__ import annotations

from datetime import date

from events import AccessControlled, AccessEvent, Role, RoleGranted, RoleRevoked
from ledger.aggregates.moments import InOrder
from ledger.errors import AlreadyExistsError, Field, Fix, Hint, NotFoundError, RuleBrokenError
from ledger.keys import ACCESS_ID


class Access(InOrder):
    """Who may do what: roles granted and revoked by governance."""

    Event = AccessEvent

    @classmethod
    def control(cls, *, actor: str, on: date) -> Access:
        return cls._create(AccessControlled, id=ACCESS_ID, actor=actor, on=on)

    def when(self, event: AccessEvent) -> None:
        if isinstance(event, AccessControlled):
            self.grants: set[tuple[str, Role, str | None]] = set()
            #: The names as granted, for listing.
            self.named: dict[tuple[str, Role, str | None], tuple[str, str | None]] = {}
        elif isinstance(event, RoleGranted):
            grant = (fold_name(event.name), event.role, _folded(event.acts_for))
            self.grants.add(grant)
            self.named[grant] = (event.name, event.acts_for)
        elif isinstance(event, RoleRevoked):
            grant = (fold_name(event.name), event.role, _folded(event.acts_for))
            self.grants.discard(grant)
            self.named.pop(grant, None)

    def held(self) -> list[tuple[str, str, str | None]]:
        """Every role held now: (name, role, acts for), as granted."""
        return [(self.named[g][0], g[1].value, self.named[g][1]) for g in self.grants]

    def roles_of(self, name: str) -> set[Role]:
        who = fold_name(name)
        return {role for holder, role, _ in self.grants if holder == who}

    def acts_for(self, name: str) -> set[str]:
        """The item owners ``name`` acts for (casefolded)."""
        who = fold_name(name)
        return {
            owner
            for holder, role, owner in self.grants
            if holder == who and role is Role.OWNER and owner
        }

    def grant(self, name: str, role: Role, acts_for: str | None, actor: str, on: date) -> None:
        if role is Role.OWNER and not acts_for:
            raise RuleBrokenError(
                "an owner acts for the items of an owner named on the board; give "
                "{acts_for}, e.g. {hint}",
                acts_for=Field.ACTS_FOR,
                hint=Hint.to(Fix.GIVE_ACTS_FOR, name=name),
            )
        if role is not Role.OWNER and acts_for:
            raise RuleBrokenError(
                "{acts_for} is for owners; a {role} role acts for no one",
                acts_for=Field.ACTS_FOR,
                role=role,
            )
        if (fold_name(name), role, _folded(acts_for)) in self.grants:
            raise AlreadyExistsError(
                "{name} already holds that role; {hint}", name=name, hint=Hint.to(Fix.SEE_ROLES)
            )
        self.trigger_event(RoleGranted, name=name, role=role, acts_for=acts_for, actor=actor, on=on)

    def revoke(self, name: str, role: Role, acts_for: str | None, actor: str, on: date) -> None:
        held = {(r, o) for h, r, o in self.grants if h == fold_name(name)}
        if (role, _folded(acts_for)) not in held:
            raise NotFoundError(
                "{name} does not hold that role; {hint}", name=name, hint=Hint.to(Fix.SEE_ROLES)
            )
        governors = {h for h, r, _ in self.grants if r is Role.GOVERNANCE}
        if role is Role.GOVERNANCE and governors == {fold_name(name)}:
            raise RuleBrokenError(
                f"{name} is the last governance role: nobody could grant roles after it; "
                "grant governance to someone else first"
            )
        self.trigger_event(RoleRevoked, name=name, role=role, acts_for=acts_for, actor=actor, on=on)


def fold_name(name: str) -> str:
    """Names and owners match whatever their letters' case and spacing."""
    return " ".join(name.split()).casefold()


def _folded(name: str | None) -> str | None:
    return fold_name(name) if name else None
