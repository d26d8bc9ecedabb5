"""The people who may sign in (the web service's users): added, given new passwords and
disabled by governance, each an event of the roles' stream; their passwords kept beside
the log (:mod:`ledger.storage.credentials`), never in it.

A user acts by the roles granted to their name, so users need access control: on a
ledger where no role was ever granted, governance is granted first. Signing in itself
(the password checked, wrong ones counted) is a read of what is kept here: see
:meth:`Accounts.sign_in`.
"""

from __future__ import annotations

import re
from functools import cached_property

from ledger.aggregates import Access
from ledger.aggregates.access import User, fold_name
from ledger.errors import Field, Fix, Hint, InvalidInputError, RuleBrokenError
from ledger.governance import Governance
from ledger.inputs import check_writable, clean_text
from ledger.storage.credentials import Credentials
from ledger.storage.feeds import Feeds

#: A password's length: long enough to resist guessing (passphrases welcome), bounded so
#: that hashing it stays cheap.
SHORTEST_PASSWORD = 10
LONGEST_PASSWORD = 1_000
LONGEST_NAME = 200
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class SignInRefusedError(RuleBrokenError):
    """A sign-in was refused: a wrong name or password, or a name locked for a while."""


class Accounts(Governance):
    """Users: who may sign in, and their passwords."""

    @cached_property
    def credentials(self) -> Credentials:
        return Credentials(self.recorder)

    @cached_property
    def feeds(self) -> Feeds:
        return Feeds(self.recorder)

    def add_user(
        self, name: str, *, password: str, email: str | None = None, actor: str
    ) -> list[str]:
        """Let ``name`` sign in with ``password``; what they may do comes from their roles."""
        who = clean_text(name, Field.NAME, required=True) or ""
        if len(who) > LONGEST_NAME:
            raise InvalidInputError(
                f"a user's name is at most {LONGEST_NAME} characters; give a shorter one"
            )
        address = clean_text(email, "the email address", required=False)
        if address is not None and (len(address) > 254 or not _EMAIL.fullmatch(address)):
            raise InvalidInputError(
                "{email!r} is not an email address; give one like name@force.police.uk",
                email=address,
            )
        access = self._users_access(actor, "adding users")
        check_password(password)
        access.add_user(who, address, actor, self.today())
        self.credentials.check_writable()
        # the event first: a password is never kept that the log does not account for
        events = self.save_all(access, what="the users")
        self.credentials.set_password(who, password)
        return events

    def change_password(self, name: str, *, password: str, actor: str) -> list[str]:
        """A new password for ``name`` (governance, or ``name`` themselves); every
        session they had ends."""
        access = self.access()
        if access is None or fold_name(actor) != fold_name(name):
            access = self._users_access(actor, "setting another user's password")
        check_password(password)
        access.change_password(name, actor, self.today())
        self.credentials.check_writable()
        events = self.save_all(access, what="the users")
        self.credentials.set_password(name, password)
        # a new password answers a stolen session: the calendar address goes with it
        self.feeds.end(name)
        return events

    def disable_user(self, name: str, *, actor: str) -> list[str]:
        access = self._users_access(actor, "disabling users")
        access.disable_user(name, actor, self.today())
        events = self.save_all(access, what="the users")
        self.credentials.end_sessions(name)
        return events

    def users(self) -> list[User]:
        access = self.access()
        return sorted(access.users.values(), key=lambda u: fold_name(u.name)) if access else []

    def sign_in(self, name: str, password: str) -> tuple[User, tuple[int, str]]:
        """The user ``name`` is, when ``password`` is theirs and they may sign in, and the
        moment (microseconds) their sessions count from, read with the password checked,
        with the mark of the password (a session holds both: a new password or a
        sign-out since ends the session, as one begun with another password is not). The
        same refusal for a wrong name, a wrong password and a disabled user (it tells
        nothing of who exists); after too many attempts, a refusal for a while whatever
        the password. The attempt is counted before the password is checked, so
        attempts at the same moment cannot check more than the limit between them."""
        check_writable(name, Field.NAME)
        if len(name) > LONGEST_NAME:
            raise SignInRefusedError("wrong name or password; nothing was recorded")
        credentials = self.credentials
        locked = credentials.attempt(name)
        if locked:
            raise SignInRefusedError(
                "too many wrong passwords were given for this name; try again in "
                f"{max(1, round(locked / 60))} minutes, or ask governance to set a new password"
            )
        access = self.access()
        user = access.user(name) if access is not None else None
        kept = credentials.check_password(name, password)
        if kept is None or user is None or user.disabled:
            credentials.wrong_password(name)
            raise SignInRefusedError("wrong name or password; nothing was recorded")
        credentials.right_password(name)
        return user, kept

    def _users_access(self, actor: str, what: str) -> Access:
        access = self.access()
        if access is None:
            raise RuleBrokenError(
                "users act by the roles granted to their names, and no role was ever granted "
                "in this ledger; grant governance first ({hint})",
                hint=Hint.to(Fix.GRANT_GOVERNANCE, name=actor),
            )
        self.authorize(actor, what=what)
        return access


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be one, or one no store can hold."""
    check_writable(password, "the password")
    if len(password) < SHORTEST_PASSWORD:
        raise InvalidInputError(
            f"a password is at least {SHORTEST_PASSWORD} characters long; give a longer one "
            "(a few unrelated words make a good one)"
        )
    if len(password) > LONGEST_PASSWORD:
        raise InvalidInputError(
            f"a password is at most {LONGEST_PASSWORD:,} characters long; give a shorter one"
        )
