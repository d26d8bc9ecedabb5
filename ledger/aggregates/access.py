"""Who may do what: the roles governance grants and revokes, the owners an owner acts
for, and the people who may sign in (users). Names match whatever their letters' case
and spacing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from events import (
    AccessControlled,
    AccessEvent,
    PasswordChanged,
    Role,
    RoleGranted,
    RoleRevoked,
    UserAdded,
    UserDisabled,
)
from ledger.aggregates.moments import InOrder
from ledger.errors import AlreadyExistsError, Field, Fix, Hint, NotFoundError, RuleBrokenError
from ledger.keys import ACCESS_ID


@dataclass(frozen=True)
class User:
    """Someone who may sign in: their name as added (the actor of what they record)."""

    name: str
    email: str | None = None
    disabled: bool = False


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
            #: Who may sign in, by folded name.
            self.users: dict[str, User] = {}
        elif isinstance(event, RoleGranted):
            grant = (fold_name(event.name), event.role, _folded(event.acts_for))
            self.grants.add(grant)
            self.named[grant] = (event.name, event.acts_for)
        elif isinstance(event, RoleRevoked):
            grant = (fold_name(event.name), event.role, _folded(event.acts_for))
            self.grants.discard(grant)
            self.named.pop(grant, None)
        elif isinstance(event, UserAdded):
            self.users[fold_name(event.name)] = User(event.name, event.email)
        elif isinstance(event, UserDisabled):
            who = fold_name(event.name)
            self.users[who] = replace(self.users[who], disabled=True)
        # a PasswordChanged changes nothing here: the password is kept beside the log

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

    def owners_named(self, name: str) -> list[str]:
        """The owners ``name`` acts for, as granted (sorted, each once)."""
        who = fold_name(name)
        return sorted(
            {
                str(owner)
                for holder, role, owner in self.held()
                if owner and role == Role.OWNER and fold_name(holder) == who
            }
        )

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
        if role is Role.OWNER and not acts_for and self.acts_for(name):
            raise RuleBrokenError(
                "{name} holds the owner role for {owners}; name the one to revoke with {acts_for}",
                name=name,
                owners=", ".join(repr(owner) for owner in self.owners_named(name)),
                acts_for=Field.ACTS_FOR,
            )
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

    # Users -----------------------------------------------------------------------------

    def user(self, name: str) -> User | None:
        return self.users.get(fold_name(name))

    def add_user(self, name: str, email: str | None, actor: str, on: date) -> None:
        found = self.user(name)
        if found is not None:
            raise AlreadyExistsError(
                "{name} is a user already{disabled}; {hint}",
                name=found.name,
                disabled=" (disabled)" if found.disabled else "",
                hint=Hint.to(Fix.SEE_USERS),
            )
        self.trigger_event(UserAdded, name=name, email=email, actor=actor, on=on)

    def change_password(self, name: str, actor: str, on: date) -> None:
        self.trigger_event(PasswordChanged, name=self.active_user(name).name, actor=actor, on=on)

    def disable_user(self, name: str, actor: str, on: date) -> None:
        self.trigger_event(UserDisabled, name=self.active_user(name).name, actor=actor, on=on)

    def active_user(self, name: str) -> User:
        found = self.user(name)
        if found is None:
            raise NotFoundError(
                "{name} is not a user of this ledger; {hint}",
                name=name,
                hint=Hint.to(Fix.SEE_USERS),
            )
        if found.disabled:
            raise RuleBrokenError(
                "{name} is disabled: nobody may sign in as them again; add a user under "
                "another name",
                name=found.name,
            )
        return found


def fold_name(name: str) -> str:
    """Names and owners match whatever their letters' case and spacing."""
    return " ".join(name.split()).casefold()


def _folded(name: str | None) -> str | None:
    return fold_name(name) if name else None
