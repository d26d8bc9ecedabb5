"""The rules of an item's relevance (whether it is the force's to act on) and of one item
superseding another: the later item closes the earlier, and both histories say so.

Superseding changes two items in one transaction, an event in each item's stream
(:class:`~events.Superseded` in the one closed, :class:`~events.Supersedes` in the one
that supersedes it), so that each item's own history, board row and fold tell it without
reading another stream. For the same reason the two halves are retracted together: a
correction of either half retracts the other too (:func:`correct_supersession`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from events import EventCorrected, RelevanceChanged, Superseded, Supersedes
from ledger.aggregates.recommendation import Recommendation
from ledger.errors import Fix, Hint, RuleBrokenError
from ledger.state import corrected_version, fold_item

#: How far a chain of supersessions is followed looking for a circle.
MAX_CHAIN = 1_000


def change_relevance(item: Recommendation, for_us: bool, reason: str, actor: str, on: date) -> None:
    """Say, from ``on``, that ``item`` is not the force's to act on (``for_us`` False),
    or that it is again."""
    state = item.state_as_at(on)
    if not for_us and state.not_for_us is not None:
        raise RuleBrokenError(
            "{key} is not for the force already as at {day} ({reason})",
            key=item.key,
            day=on.isoformat(),
            reason=state.not_for_us,
        )
    if for_us and state.not_for_us is None:
        raise RuleBrokenError(
            "{key} is for the force already as at {day}; only an item said to be not for "
            "the force can be restored",
            key=item.key,
            day=on.isoformat(),
        )
    item.trigger_event(RelevanceChanged, for_us=for_us, reason=reason, actor=actor, on=on)


def supersede(
    item: Recommendation,
    by: Recommendation,
    reason: str,
    actor: str,
    on: date,
    find: Callable[[str], Recommendation | None],
) -> None:
    """Close ``item`` as superseded by ``by`` from ``on``; ``find`` gives an item by its
    key (None when there is none), to follow the chain ``by`` is superseded along."""
    key, later = item.key, by.key
    if later == key:
        raise RuleBrokenError(
            "{key} cannot supersede itself; name the later item that supersedes it",
            key=key,
        )
    chain, successor = [later], fold_item(by.history)
    while successor is not None and successor.superseded_by and len(chain) < MAX_CHAIN:
        chain.append(successor.superseded_by)
        if successor.superseded_by == key:
            raise RuleBrokenError(
                "{later} is superseded by {key} already ({chain}); superseding {key} by "
                "{later} would make a circle",
                later=later,
                key=key,
                chain=" -> ".join(chain),
            )
        found = find(successor.superseded_by)
        successor = fold_item(found.history) if found is not None else None
    latest = fold_item(item.history)
    if latest is not None and latest.is_closed:
        how = f"superseded by {latest.superseded_by}" if latest.superseded_by else "closed"
        raise RuleBrokenError(
            "{key} is {how} already (on {day}); only an open item can be superseded. If "
            "that was a mistake, retract it with {hint}",
            key=key,
            how=how,
            day=str(latest.closed_on),
            hint=Hint.to(Fix.CORRECT, key=key),
        )
    other = fold_item(by.history)
    if other is not None and other.is_closed:
        how = f"superseded by {other.superseded_by}" if other.superseded_by else "closed"
        raise RuleBrokenError(
            "{later} is {how} (on {day}); an item is superseded only by one still open",
            later=later,
            how=how,
            day=str(other.closed_on),
        )
    item.state_as_at(on)
    successor_then = by.state_as_at(on)
    if successor_then.not_for_us is not None:
        raise RuleBrokenError(
            "{later} is not for the force as at {day} ({why}); an item is superseded only "
            "by one the force still tracks",
            later=later,
            day=on.isoformat(),
            why=successor_then.not_for_us,
        )
    # The later item carries the earlier forward (a re-inspection's, a later report's):
    # an item is not folded into one recorded before it.
    issued, later_issued = item.history[0].on, by.history[0].on
    if later_issued < issued:
        raise RuleBrokenError(
            "{later} was added on {then}, before {key} ({day}); an item is superseded only "
            "by a later one",
            later=later,
            then=later_issued.isoformat(),
            key=key,
            day=issued.isoformat(),
        )
    item.check_closing_on(on)
    item.trigger_event(Superseded, by=later, reason=reason, actor=actor, on=on)
    by.trigger_event(Supersedes, superseded=key, reason=reason, actor=actor, on=on)


def partner_key(item: Recommendation, version: int) -> str | None:
    """The other item of the supersession whose half is ``item``'s event ``version``;
    None when that event is no half of one (or there is no such event)."""
    if not 1 <= version <= len(item.history):
        return None
    target = item.history[version - 1]
    if isinstance(target, Superseded):
        return target.by
    if isinstance(target, Supersedes):
        return target.superseded
    return None


def correct_supersession(
    item: Recommendation,
    partner: Recommendation,
    version: int,
    reason: str,
    actor: str,
    on: date,
) -> None:
    """Retract ``item``'s half (event ``version``) of a supersession and ``partner``'s
    half with it, so that neither item says what the other no longer does."""
    target = item.history[version - 1]
    item.correct(version, reason, actor, on)
    retracted = {
        corrected_version(event) for event in partner.history if isinstance(event, EventCorrected)
    }
    halves = [
        event.originator_version
        for event in partner.history
        if event.originator_version not in retracted
        and (
            (isinstance(target, Superseded) and isinstance(event, Supersedes))
            or (isinstance(target, Supersedes) and isinstance(event, Superseded))
        )
        and item.key in (getattr(event, "superseded", None), getattr(event, "by", None))
    ]
    if not halves:
        raise RuleBrokenError(
            "{key} holds no half of this supersession left to retract; {hint}",
            key=partner.key,
            hint=Hint.to(Fix.SEE_HISTORY, key=partner.key),
        )
    partner.correct(halves[-1], reason, actor, on)
