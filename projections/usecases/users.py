"""Who is signed in, and what they may do: what every front end that knows its users (the
web service) asks the ledger, on sign-in and on every request.

The answers come from the roles and users recorded now, so a role revoked or a user
disabled takes effect on the very next request; a session counts only if it began after
its user last signed out or was given a new password (:mod:`ledger.storage.credentials`).
Which changes a user may make is the ledger's own rule (:mod:`ledger.permissions`),
asked here, never copied.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from events import Role
from ledger.errors import ForbiddenError, NotFoundError
from ledger.permissions import authorize

if TYPE_CHECKING:
    from ledger.aggregates import Access
    from projections.usecases.session import LedgerSession


#: Moments a session holds, as the store keeps them: whole microseconds since this.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: How far ahead of this machine's clock another's may have set a password: a session
#: holding a later moment was not begun by a sign-in here (it would outlive sign-outs).
CLOCK_SKEW = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    """A signed-in user: the name they record under, and the roles they hold now."""

    name: str
    roles: frozenset[Role]
    #: The owners an owner acts for, as granted.
    acts_for: tuple[str, ...] = ()
    email: str | None = None
    #: What a front end keeps in the session and gives :func:`signed_in` on each request:
    #: the moment the user's sessions counted from when their password was checked.
    since: datetime = EPOCH
    #: And the mark of the password checked (:meth:`~ledger.storage.credentials.
    #: Credentials.session_mark`), given back with it.
    mark: str = ""

    @property
    def has_role(self) -> bool:
        return bool(self.roles)

    @property
    def governance(self) -> bool:
        return Role.GOVERNANCE in self.roles

    @property
    def reads_only(self) -> bool:
        """An auditor (and nothing more) sees everything and changes nothing."""
        return not self.roles & {Role.GOVERNANCE, Role.OWNER}


@dataclass(frozen=True)
class UserListing:
    name: str
    email: str | None
    disabled: bool
    roles: tuple[str, ...]
    #: Whether a password is kept for them (a restored ledger's users have none).
    password: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "disabled": self.disabled,
            "roles": list(self.roles),
            "password": self.password,
        }


def sign_in(session: LedgerSession, name: str, password: str) -> SignedIn:
    """``name`` signed in with ``password`` (refused with the ledger's
    :class:`~ledger.accounts.SignInRefusedError` otherwise)."""
    ledger = session.ledger(write=False)
    user, (since, mark) = ledger.sign_in(name, password)
    return _signed_in(ledger.access(), user.name, user.email, since, mark)


def signed_in(session: LedgerSession, name: str, since: datetime, mark: str) -> SignedIn | None:
    """Who a session of ``name`` holding ``since`` and ``mark`` (its
    :attr:`SignedIn.since` and :attr:`SignedIn.mark`) is now; None when the user is
    unknown or disabled, or signed out (or was given a new password) since the password
    the session began with was checked, or that password is not the one kept here (a
    session begun on a copy of the ledger where the user was given another)."""
    ledger = session.ledger(write=False)
    access = ledger.access()
    user = access.user(name) if access is not None else None
    if user is None or user.disabled:
        return None
    kept = ledger.credentials.session_mark(user.name)
    latest = _micros(datetime.now(UTC) + CLOCK_SKEW)
    if kept is None or not kept[0] <= _micros(since) <= latest:
        return None  # signed out since, or a moment no sign-in here could have given
    if not hmac.compare_digest(kept[1], mark):
        return None
    return _signed_in(access, user.name, user.email, kept[0], kept[1])


def sign_out(session: LedgerSession, name: str) -> None:
    """Every session of ``name`` begun before now ends (on every device)."""
    session.ledger(write=False).credentials.end_sessions(name)


def may_change(session: LedgerSession, name: str, key: str) -> bool:
    """Whether ``name`` may record changes to the item ``key`` (its owner's acting owner,
    or governance), by the ledger's rule; False for an item that does not exist."""
    ledger = session.ledger(write=False)
    access = ledger.access()
    if access is None or not access.roles_of(name):
        return False
    try:
        authorize(access, name, item=ledger.get_recommendation(key), what="changing an item")
    except (ForbiddenError, NotFoundError):
        return False
    return True


def may_sign_off(session: LedgerSession, name: str) -> bool:
    """Whether ``name`` may sign requests off (or reject them): governance."""
    access = session.ledger(write=False).access()
    return access is not None and Role.GOVERNANCE in access.roles_of(name)


def users(session: LedgerSession) -> list[UserListing]:
    """Every user, with the roles their name holds now."""
    ledger = session.ledger(write=False)
    access = ledger.access()
    listed = []
    for user in ledger.users():
        held = sorted(access.roles_of(user.name)) if access is not None else []
        kept = ledger.credentials.sessions_from(user.name) is not None
        listed.append(UserListing(user.name, user.email, user.disabled, tuple(held), kept))
    return listed


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


def _signed_in(
    access: Access | None, name: str, email: str | None, since: int, mark: str
) -> SignedIn:
    began = EPOCH + timedelta(microseconds=since)
    if access is None:
        return SignedIn(name, frozenset(), (), email, began, mark)
    acts_for = tuple(access.owners_named(name))
    return SignedIn(name, frozenset(access.roles_of(name)), acts_for, email, began, mark)
