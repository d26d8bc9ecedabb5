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
    RelevanceChanged,
    ReminderSent,
    SignedOff,
    SignOffFor,
    SignOffRejected,
    SignOffRequested,
    Status,
    StatusChanged,
    Superseded,
    Supersedes,
)
from ledger.addressees import clean_addressees
from ledger.aggregates import Access, Recommendation, Report, Rules, fold_name
from ledger.aggregates.owners import check_emails, send_reminder
from ledger.aggregates.supersession import (
    change_relevance,
    correct_supersession,
    partner_key,
    supersede,
)
from ledger.due import Due, parse_due
from ledger.errors import Field, ForbiddenError, LedgerError, RuleBrokenError
from ledger.inputs import clean_text
from ledger.keys import check_ref, recommendation_id, report_id, split_event_id, split_key
from ledger.permissions import authorize, needs_sign_off
from ledger.state import ItemState, Pending, apply_to_state, fold_item

#: What an update sheet records of an owner's row (ledger.exchange.updates): a colour,
#: a note, a due date set or moved, a claim of completion or a request for an extension.
#: Only these may be recorded for someone else (``acting_for``), and only these were
#: once recorded under the owner's name when governance applied the sheet.
SHEET_EVENTS = (
    StatusChanged,
    ProgressNoted,
    DeadlineSet,
    DeadlineExtended,
    CompletionClaimed,
    ExtensionRequested,
)


class ReplayedItem(Recommendation):
    """An item whose latest fold is kept as its events are replayed, so that a command's
    checks read it without folding the whole history again for every event (which made
    restoring an item of thousands of events quadratic). The fold is the same
    :func:`~ledger.state.fold_item` gives: an event that takes effect no earlier than
    every event folded so far, and retracts nothing, comes last in its order and is
    applied to the kept state; any other (backdated, or a correction) makes the next read
    fold the history again."""

    def when(self, event: RecommendationEvent) -> None:
        super().when(event)
        if isinstance(event, RecommendationIssued):
            self._latest: ItemState | None = None
            self._stale = False
            self._requests = False
        self._requests = self._requests or isinstance(event, SignOffRequested)
        latest = None if self._stale else self._latest
        in_order = latest is None or (latest.last_on is not None and event.on >= latest.last_on)
        if isinstance(event, EventCorrected) or not in_order or self._stale:
            self._stale = True
        else:
            self._latest = _step(latest, event)

    def latest(self) -> ItemState | None:
        """The item as it stands now: :func:`fold_item` of its whole history."""
        if self._stale:
            self._latest = fold_item(self.history)
            self._stale = False
        return self._latest

    def state_as_at(self, on: date) -> ItemState:
        latest = self.latest()
        # Every event counted takes effect by ``on``: the fold as at it is the latest.
        if latest and not latest.is_closed and latest.last_on and on >= latest.last_on:
            return latest
        return super().state_as_at(on)

    def pending(self) -> Pending | None:
        if not self._requests:
            return None
        latest = self.latest()
        return latest.pending if latest is not None else None


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
        if report.origin is None:  # a received report's items: its issuer's roles allowed
            authorized(access, actor, "adding an item")
        check_ref(event.ref)
        if on < report.published:
            raise RuleBrokenError(
                f"it took effect on {on.isoformat()}, before its report was published "
                f"({report.published.isoformat()})"
            )
        clean_text(event.text, "its text", required=True)
        return ReplayedItem.issue(
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
            to=clean_addressees(event.to),
        )
    item: ReplayedItem = aggregates[event.originator_id]
    sheet = _owners_sheet(item, actor, event, rules)
    if not sheet:
        authorized(access, actor, f"changing {item.key}", item=item)
    wait = _waits(access, rules, actor, sheet)
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
        item.set_deadline(due, event.reason, actor, on, replayed=True)
    elif isinstance(event, DeadlineExtended):
        if wait(SignOffFor.EXTENSIONS):
            raise ForbiddenError(
                f"{actor}'s extensions needed sign-off then; an extension recorded "
                "without its request cannot have been"
            )
        item.extend_deadline(event.due, event.reason, actor, on, replayed=True)
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
        other = partner_key(item, version)
        if other is None:
            item.correct(version, event.reason, actor, on)
        else:
            partner = _item(aggregates, other)
            authorized(access, actor, f"changing {partner.key}", item=partner)
            correct_supersession(item, partner, version, event.reason, actor, on)
    elif isinstance(event, RelevanceChanged):
        if not event.for_us and wait(SignOffFor.CLOSURES):
            raise ForbiddenError(
                f"{actor}'s closures needed sign-off then, and an item not for the force "
                "leaves the counts as a closed one does: only governance could have "
                "recorded it"
            )
        reason = clean_text(event.reason, Field.REASON, required=True) or ""
        change_relevance(item, event.for_us, reason, actor, on)
    elif isinstance(event, Superseded):
        if wait(SignOffFor.CLOSURES):
            raise ForbiddenError(
                f"{actor}'s closures needed sign-off then, and superseding closes an item: "
                "only governance could have recorded it"
            )
        later = _item(aggregates, event.by)
        authorized(access, actor, f"changing {later.key}", item=later)
        reason = clean_text(event.reason, Field.REASON, required=True) or ""
        supersede(item, later, reason, actor, on, lambda key: _found(aggregates, key))
    elif isinstance(event, Supersedes):
        raise RuleBrokenError(
            f"a Supersedes is recorded only with the Superseded of {event.superseded} (its "
            "other half), just before it"
        )
    elif isinstance(event, CompletionClaimed):
        item.claim_completion(event.evidence, event.links, actor, on)
    elif isinstance(event, ClosureRequested):
        item.request_closure(event.evidence, event.links, actor, on)
    elif isinstance(event, ExtensionRequested):
        item.request_extension(event.due, event.evidence, event.links, actor, on, replayed=True)
    elif isinstance(event, SignedOff | SignOffRejected):
        authorized(access, actor, "signing off")
        if isinstance(event, SignedOff):
            item.sign_off(event.note, actor, on, replayed=True)
        else:
            item.reject_sign_off(event.reason, actor, on)
    elif isinstance(event, ReminderSent):
        authorized(access, actor, "sending reminders")
        send_reminder(
            item,
            owner=event.owner,
            addresses=check_emails(event.addresses),
            items=event.items,
            message_id=event.message_id,
            actor=actor,
            on=on,
            timestamp=event.timestamp,
        )
    else:
        raise RuleBrokenError(f"{type(event).__name__} is not an event a restore replays")
    return item


def partners(aggregates: dict[UUID, Any], event: RecommendationEvent) -> list[Recommendation]:
    """The other items the command that gave ``event`` changed with its own, once it was
    re-made: a supersession's later item, or its other half's when one is retracted.
    Their events must follow in their streams."""
    item = aggregates.get(event.originator_id)
    if isinstance(event, Superseded):
        return [_item(aggregates, event.by)]
    if isinstance(event, EventCorrected) and isinstance(item, Recommendation):
        other = partner_key(item, split_event_id(event.corrects)[1])
        return [_item(aggregates, other)] if other is not None else []
    return []


def _found(aggregates: dict[UUID, Any], key: str) -> Recommendation | None:
    try:
        found = aggregates.get(recommendation_id(*split_key(key)))
    except LedgerError:
        return None
    return found if isinstance(found, Recommendation) else None


def _item(aggregates: dict[UUID, Any], key: str) -> Recommendation:
    found = _found(aggregates, key)
    if found is None:
        raise RuleBrokenError(f"it names {key}, an item not earlier in the file")
    return found


def _step(state: ItemState | None, event: RecommendationEvent) -> ItemState | None:
    """One more event in fold order, as :func:`fold_item` folds it."""
    if isinstance(event, RecommendationIssued):
        return fold_item([event])
    if state is not None:
        apply_to_state(state, event)
        state.last_on = event.on
    return state


def _due(due: date | None, text: str | None, report: Report) -> Due:
    """The due date an event gives, read as the command read its text."""
    if text:
        return parse_due(text, report.published)
    return Due("", (due,) if due is not None else ())


# Comparing and settling ----------------------------------------------------------


def authorized(
    access: Access | None,
    actor: str,
    what: str,
    item: Recommendation | None = None,
    owner: str | None = None,
) -> None:
    """The roles then granted allow ``actor`` ``what``: refused in the past tense, for a
    restore cannot grant a role to what was recorded."""
    try:
        authorize(access, actor, item=item, owner=owner, what=what)
    except ForbiddenError:
        assert access is not None  # nothing is forbidden without access control
        roles = access.roles_of(actor)
        held = " and ".join(sorted(role.value for role in roles))
        raise ForbiddenError(
            f"{actor} could not have recorded it: access control was on and {actor} "
            + (f"was {held}, which does not allow {what}" if roles else "held no role")
        ) from None


def _owners_sheet(
    item: ReplayedItem, actor: str, event: RecommendationEvent, rules: Rules | None
) -> bool:
    """Whether ``event`` is one an update sheet recorded under the item's owner's name
    when governance applied it, before sheets recorded who applied them: a row's colour,
    note, due date, claim of completion or request for an extension, by the item's
    owner — never a closure, an owner assigned or a correction, and never an extension
    that a committee's rule made wait for sign-off (a sheet then asked for it instead)."""
    if not isinstance(event, SHEET_EVENTS):
        return False
    if isinstance(event, DeadlineExtended) and rules and rules.requiring(SignOffFor.EXTENSIONS):
        return False
    latest = item.latest()
    owner = latest.owner if latest is not None else None
    return bool(owner) and fold_name(str(owner)) == fold_name(actor)


def _waits(
    access: Access | None, rules: Rules | None, actor: str, sheet: bool
) -> Callable[[SignOffFor | None], bool]:
    """Whether ``actor``'s change must have waited for sign-off: GREEN under access
    control, and (under access control only: see the module) what a committee's rules
    require. An owner's sheet applied by governance once recorded GREEN under the owner's
    name, so such a change (``sheet``) waited for nothing."""

    def wait(change: SignOffFor | None) -> bool:
        if access is None or sheet:
            return False
        return bool(needs_sign_off(access, rules, actor, change))

    return wait
