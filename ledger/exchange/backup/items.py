"""The rules an item's event is replayed through: the checks a command on an item runs
(who may change it, what must wait for sign-off) and the aggregate method that gives
the event; see :mod:`.replay` for what is re-checked and what is not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from events import (
    ClosureRequested,
    CompletionClaimed,
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    ExtensionRequested,
    OwnerAssigned,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    SignedOff,
    SignOffFor,
    SignOffRejected,
    Status,
    StatusChanged,
)
from ledger.aggregates import Access, Recommendation, Report, Rules, fold_name
from ledger.due import Due, parse_due
from ledger.errors import ForbiddenError, RuleBrokenError
from ledger.inputs import clean_text
from ledger.keys import check_ref, report_id, split_event_id
from ledger.permissions import authorize, needs_sign_off
from ledger.state import fold_item


def remake_item_event(
    aggregates: dict[UUID, Any],
    event: RecommendationEvent,
    access: Access | None,
    rules: Rules | None,
) -> Recommendation:
    """The item, with the events pending that the command which gave ``event`` gives:
    checked first as :class:`~ledger.application.Ledger` checks it."""
    actor, on = event.actor, event.on
    if isinstance(event, RecommendationIssued):
        report = aggregates.get(report_id(event.report))
        if not isinstance(report, Report):
            raise RuleBrokenError(f"no report {event.report} earlier in the file")
        authorized(access, actor, "adding an item")
        check_ref(event.ref)
        if on < report.published:
            raise RuleBrokenError(
                f"it took effect on {on.isoformat()}, before its report was published "
                f"({report.published.isoformat()})"
            )
        clean_text(event.text, "its text", required=True)
        return Recommendation.issue(
            report=report,
            ref=event.ref,
            kind=event.kind,
            text=event.text,
            owner=event.owner,
            lead=event.lead,
            due=_due(event.due, event.due_text, report),
            status=event.status,
            reason=event.reason,
            actor=actor,
            on=on,
        )
    item: Recommendation = aggregates[event.originator_id]
    if not _owners_sheet(item, actor):
        authorized(access, actor, f"changing {item.key}", item=item)
    wait = _waits(access, rules, actor, item)
    if isinstance(event, StatusChanged):
        if event.status is Status.GREEN and wait(None):
            raise ForbiddenError(
                f"{actor} was not governance, so GREEN needed sign-off, and a GREEN set "
                "without it cannot have been recorded"
            )
        item.change_status(event.status, event.reason, actor, on)
    elif isinstance(event, DeadlineSet):
        report = aggregates[report_id(item.history[0].report)]  # type: ignore[attr-defined]
        due = _due(event.due, event.due_text, report)
        item.set_deadline(due, event.reason, actor, on)
    elif isinstance(event, DeadlineExtended):
        if wait(SignOffFor.EXTENSIONS):
            raise ForbiddenError(
                f"{actor}'s extensions needed sign-off then; an extension recorded "
                "without its request cannot have been"
            )
        item.extend_deadline(event.due, event.reason, actor, on)
    elif isinstance(event, RecommendationClosed):
        if wait(SignOffFor.CLOSURES):
            raise ForbiddenError(
                f"{actor}'s closures needed sign-off then; a closure recorded without "
                "its request cannot have been"
            )
        item.close(event.reason, actor, on)
    elif isinstance(event, ProgressNoted):
        item.note_progress(event.text, actor, on)
    elif isinstance(event, OwnerAssigned):
        item.assign_owner(event.owner, actor, on)
    elif isinstance(event, EventCorrected):
        key, version = split_event_id(event.corrects)
        if key != item.key:
            raise RuleBrokenError(f"it corrects {event.corrects}, an event of another key")
        item.correct(version, event.reason, actor, on)
    elif isinstance(event, CompletionClaimed):
        item.claim_completion(event.evidence, event.links, actor, on)
    elif isinstance(event, ClosureRequested):
        item.request_closure(event.evidence, event.links, actor, on)
    elif isinstance(event, ExtensionRequested):
        item.request_extension(event.due, event.evidence, event.links, actor, on)
    elif isinstance(event, SignedOff | SignOffRejected):
        authorized(access, actor, "signing off")
        if isinstance(event, SignedOff):
            item.sign_off(event.note, actor, on)
        else:
            item.reject_sign_off(event.reason, actor, on)
    else:
        raise RuleBrokenError(f"{type(event).__name__} is not an event a restore replays")
    return item


def _due(due: date | None, text: str | None, report: Report) -> Due:
    """The due date an event gives, read as the command read its text."""
    if text:
        return parse_due(text, report.published)
    return Due("", (due,) if due is not None else ())


# Comparing and settling ----------------------------------------------------------


def authorized(
    access: Access | None, actor: str, what: str, item: Recommendation | None = None
) -> None:
    """The roles then granted allow ``actor`` ``what``: refused in the past tense, for a
    restore cannot grant a role to what was recorded."""
    try:
        authorize(access, actor, item=item, what=what)
    except ForbiddenError:
        assert access is not None  # nothing is forbidden without access control
        roles = access.roles_of(actor)
        held = " and ".join(sorted(role.value for role in roles))
        raise ForbiddenError(
            f"{actor} could not have recorded it: access control was on and {actor} "
            + (f"was {held}, which does not allow {what}" if roles else "held no role")
        ) from None


def _owners_sheet(item: Recommendation, actor: str) -> bool:
    """Whether ``actor`` is the item's owner, as an update sheet recorded its changes
    before it recorded who applied it."""
    owner = item.history and _owner(item)
    return bool(owner) and fold_name(str(owner)) == fold_name(actor)


def _owner(item: Recommendation) -> str | None:
    state = fold_item(item.history)
    return state.owner if state is not None else None


def _waits(
    access: Access | None, rules: Rules | None, actor: str, item: Recommendation
) -> Callable[[SignOffFor | None], bool]:
    """Whether ``actor``'s change must have waited for sign-off: GREEN under access
    control, and (under access control only: see the module) what a committee's rules
    require. An owner's sheet applied by governance once recorded GREEN under the owner's
    name, so GREEN by the item's owner passes."""

    def wait(change: SignOffFor | None) -> bool:
        if access is None or _owners_sheet(item, actor):
            return False
        return bool(needs_sign_off(access, rules, actor, change))

    return wait
