"""Who may do what: the roles granted (:class:`~ledger.aggregates.Access`) checked
against the actor of a command, and when a change must wait for sign-off.

Governance may do anything; an owner may change the items (or apply the update sheets)
of the owners it acts for, and retract only the events it recorded itself (retracting
governance's RED, sign-off or rejection would put the item back where governance moved
it from, past every sign-off), never a due date's setting (a later date could then be
set as if none had been, past an extension's reason and sign-off); an auditor only
reads. A ledger where no role was ever granted is open to whoever can write it.
"""

from __future__ import annotations

from datetime import date

from events import DeadlineSet, Role, SignOffFor
from ledger.aggregates import Access, Recommendation, Rules, fold_name
from ledger.errors import Fix, ForbiddenError, Hint
from ledger.keys import ACCESS_KEY


def authorize(
    access: Access | None,
    actor: str,
    *,
    item: Recommendation | None = None,
    owner: str | None = None,
    what: str,
) -> None:
    """Refuse ``actor`` unless the roles allow ``what`` (of ``item``, or of the items
    of ``owner``)."""
    if access is None:
        return
    roles = access.roles_of(actor)
    if Role.GOVERNANCE in roles:
        return
    if item is not None and owner is None:
        owner = item.state_as_at(date.max).owner
    acts_for = access.acts_for(actor)
    if Role.OWNER in roles and owner is not None and fold_name(owner) in acts_for:
        return
    if not roles:
        raise ForbiddenError(
            "{actor} holds no role in this ledger, so may not do anything but read; "
            "ask governance to grant one ({hint})",
            actor=actor,
            hint=Hint.to(Fix.ASK_FOR_A_ROLE, name=actor),
        )
    if Role.OWNER in roles and (item is not None or owner is not None):
        whose = f"owned by {owner}" if owner else "owned by nobody"
        raise ForbiddenError(
            f"{actor} acts for {', '.join(access.owners_named(actor))}; {what} ({whose}) needs "
            "its owner or governance; nothing was recorded"
        )
    held = " and ".join(sorted(role.value for role in roles))
    raise ForbiddenError(f"{actor} is {held} here: {what} needs governance; nothing was recorded")


def needs_sign_off(
    access: Access | None, rules: Rules | None, actor: str, change: SignOffFor | None
) -> list[str]:
    """Why ``actor``'s ``change`` (None: setting GREEN) must wait for sign-off: the
    committees that require it, or ``["roles"]`` for an owner's GREEN under access
    control; empty when it takes effect at once. Governance's changes never wait:
    governance is who signs off."""
    if access is not None and Role.GOVERNANCE in access.roles_of(actor):
        return []
    if change is None:
        return [ACCESS_KEY] if access is not None else []
    return rules.requiring(change) if rules is not None else []


def may_retract(access: Access | None, actor: str, item: Recommendation, version: int) -> None:
    """Refuse ``actor`` retracting ``item``'s event ``version`` unless it recorded the
    event itself or is governance (an event that does not exist is the correction's to
    refuse); and, but for governance, retracting the setting of a due date: the date
    would be "to be set" again, and any later one could then be set with no reason and
    no sign-off, which moving a due date later needs (an extension)."""
    if access is None or Role.GOVERNANCE in access.roles_of(actor):
        return
    if not 1 <= version <= len(item.history):
        return
    if isinstance(item.history[version - 1], DeadlineSet):
        raise ForbiddenError(
            "{event} set {key}'s due date; {actor} may not retract it: the date would be to "
            "be set again, and a later one could then be set with no reason and no "
            "sign-off; ask governance to retract it, or record {hint}; nothing was recorded",
            event=f"{item.key}@{version}",
            key=item.key,
            actor=actor,
            hint=Hint.to(Fix.EXTEND, key=item.key),
        )
    recorded_by = item.history[version - 1].actor
    if fold_name(recorded_by) != fold_name(actor):
        raise ForbiddenError(
            "{event} was recorded by {by}; {actor} may retract only the events it recorded "
            "itself (retracting another's puts the item back past what they decided): "
            "that needs governance; nothing was recorded",
            event=f"{item.key}@{version}",
            by=recorded_by,
            actor=actor,
        )
