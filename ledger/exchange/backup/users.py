"""A restored user's events, re-made by the commands that gave them: under the roles
then granted, with no password (none is ever in a backup)."""

from __future__ import annotations

from events import PasswordChanged, UserAdded, UserDisabled
from ledger.aggregates import Access
from ledger.aggregates.access import fold_name
from ledger.exchange.backup.items import authorized
from ledger.inputs import clean_text


def remake_user_event(access: Access, event: UserAdded | PasswordChanged | UserDisabled) -> Access:
    """A user's event, re-made by the command that gives it under the roles then granted
    (a user's own new password needs no role). A restored user has no password: none is
    ever in a backup, so governance gives each a new one."""
    actor = event.actor
    if isinstance(event, UserAdded):
        authorized(access, actor, "adding users")
        clean_text(event.name, "its name", required=True)
        access.add_user(event.name, event.email, actor, event.on)
    elif isinstance(event, PasswordChanged):
        if fold_name(actor) != fold_name(event.name):
            authorized(access, actor, "setting another user's password")
        access.change_password(event.name, actor, event.on)
    else:
        authorized(access, actor, "disabling users")
        access.disable_user(event.name, actor, event.on)
    return access
