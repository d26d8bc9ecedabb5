"""The ledger: one application whose methods are the command API.

:class:`Ledger` holds the commands on items (and the batches that change many at
once); what governance sets up around them (reports, committees, roles, rules) comes
from :class:`~ledger.governance.Governance`, and saving and reading events from
:class:`~ledger.log.EventLog`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from events import Kind, SignOffFor, Status
from ledger.accounts import Accounts
from ledger.addressees import clean_addressees
from ledger.aggregates import Recommendation, Report
from ledger.chain import Digest
from ledger.due import parse_due
from ledger.errors import (
    AlreadyExistsError,
    ConflictError,
    Field,
    Fix,
    ForbiddenError,
    Hint,
    NotFoundError,
    RuleBrokenError,
)
from ledger.exchange.backup import restore
from ledger.exchange.importing import ImportOutcome, TrackerImport
from ledger.exchange.updates import SheetRules, UpdateOutcome, apply_updates
from ledger.inputs import (
    as_recorded,
    clean_links,
    clean_text,
    parse_kind,
    parse_status,
    required_reason,
)
from ledger.inspections import Inspections
from ledger.keys import check_ref, recommendation_id, split_event_id, split_key
from ledger.national import National, check_own_item
from ledger.permissions import may_retract
from ledger.relevance import Relevance
from ledger.reminders import Reminders
from ledger.requests import Requests
from ledger.seen import check_seen
from ledger.storage.settings import APPLICATION

if TYPE_CHECKING:
    from ledger.exchange.known import CurrentStates
    from ledger.exchange.tracker import TrackerRow
    from ledger.exchange.updates import UpdateRow

#: How often a change is tried against an item other writers keep changing.
CHANGE_ATTEMPTS = 5


class Ledger(Accounts, Reminders, Requests, Inspections, Relevance, National):
    """An audit ledger of inspection reports and their recommendations."""

    #: Its settings are the storage's (:func:`ledger.storage.settings.storage_env`),
    #: its aggregate cache's size among them, under this name.
    name = APPLICATION

    # Recommendations -------------------------------------------------------------------

    def issue_recommendation(
        self,
        code: str,
        ref: str,
        *,
        kind: str | Kind,
        text: str,
        owner: str | None = None,
        lead: str | None = None,
        due: str | None = None,
        status: str | Status | None = None,
        reason: str | None = None,
        actor: str,
        on: date | None = None,
        to: Sequence[str] = (),
    ) -> list[str]:
        self.authorize(actor, what="adding an item")
        item = self.prepare_recommendation(
            code,
            ref,
            kind=kind,
            text=text,
            owner=owner,
            lead=lead,
            due=due,
            status=status,
            reason=reason,
            actor=actor,
            on=on,
            to=to,
        )
        return self.save_all(item, what=item.key)

    def prepare_recommendation(
        self,
        code: str,
        ref: str,
        *,
        kind: str | Kind,
        text: str,
        owner: str | None = None,
        lead: str | None = None,
        due: str | None = None,
        status: str | Status | None = None,
        reason: str | None = None,
        actor: str,
        on: date | None = None,
        report: Report | None = None,
        known_new: bool = False,
        to: Sequence[str] = (),
        received: bool = False,
    ) -> Recommendation:
        """Check and build a new item without saving it (batches save many at once).
        ``known_new``: the caller has just found that the key is not in the ledger;
        ``received``: it is one its report's origin issued (:mod:`ledger.national`)."""
        report = report or self.get_report(code)
        check_own_item(report, received)
        ref = check_ref(ref)
        on = self.check_on(on, not_before=report.published, since="its report was published")
        if not known_new and recommendation_id(report.code, ref) in self.repository:
            raise AlreadyExistsError(
                "{key} already exists; refs are unique within a report ({hint})",
                key=f"{report.code}/{ref}",
                hint=Hint.to(Fix.SEE_HISTORY, key=f"{report.code}/{ref}"),
            )
        if isinstance(status, str):
            status = parse_status(status) if status.strip() else None
        return Recommendation.issue(
            report=report,
            ref=ref,
            kind=kind if isinstance(kind, Kind) else parse_kind(kind),
            text=clean_text(text, Field.TEXT, required=True) or "",
            owner=clean_text(owner, Field.OWNER, required=False),
            lead=clean_text(lead, Field.LEAD, required=False),
            due=parse_due(due, report.published),
            status=status,
            reason=clean_text(reason, Field.REASON, required=False),
            actor=actor,
            on=on,
            to=clean_addressees(to),
        )

    def get_recommendation(self, key: str) -> Recommendation:
        code, ref = split_key(key)
        return self.get_aggregate(
            Recommendation,
            recommendation_id(code, ref),
            lambda: NotFoundError(
                "no recommendation {key}; {hint} for its items",
                key=f"{code}/{ref}",
                hint=Hint.to(Fix.SEE_REPORT, code=code),
            ),
        )

    def change_status(
        self,
        key: str,
        status: str | Status,
        *,
        reason: str | None = None,
        actor: str,
        on: date | None = None,
        seen: int | None = None,
    ) -> list[str]:
        """Set ``key``'s status (``seen``: the item's version it was decided on, if any:
        :mod:`ledger.seen`)."""
        status = status if isinstance(status, Status) else parse_status(status)
        reason = clean_text(reason, Field.REASON, required=False)

        def record(item: Recommendation, day: date) -> None:
            if status is Status.GREEN and self.needs_sign_off(actor, None):
                raise ForbiddenError(
                    "{actor} is not governance, so GREEN needs sign-off: {hint}; governance "
                    "signs it off",
                    actor=actor,
                    hint=Hint.to(Fix.CLAIM_COMPLETION, key=item.key),
                )
            item.change_status(status, reason, actor, day)

        return self._change(key, on, record, actor, seen)

    def set_deadline(
        self,
        key: str,
        due: str,
        *,
        reason: str | None = None,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        reason = clean_text(reason, Field.REASON, required=False)
        wait = bool(self.needs_sign_off(actor, SignOffFor.EXTENSIONS))

        def record(item: Recommendation, day: date) -> None:
            published = self.get_report(item.history[0].report).published  # type: ignore[attr-defined]
            item.set_deadline(parse_due(due, published), reason, actor, day, extensions_wait=wait)

        return self._change(key, on, record, actor)

    def extend_deadline(
        self,
        key: str,
        *,
        to: date,
        reason: str,
        links: Sequence[str] = (),
        actor: str,
        on: date | None = None,
        seen: int | None = None,
    ) -> list[str]:
        """Move ``key``'s due date later; where a committee grants extensions, ask for it
        (an :class:`~events.ExtensionRequested` that awaits sign-off)."""
        why = required_reason(reason, "an extension", key)
        found = clean_links(links)
        if self.needs_sign_off(actor, SignOffFor.EXTENSIONS):
            return self._change(
                key,
                on,
                lambda item, day: item.request_extension(to, why, found, actor, day),
                actor,
                seen,
            )
        return self._change(
            key, on, lambda item, day: item.extend_deadline(to, why, actor, day), actor, seen
        )

    def note_progress(
        self, key: str, text: str, *, actor: str, on: date | None = None, seen: int | None = None
    ) -> list[str]:
        note = clean_text(text, "the note", required=True) or ""
        return self._change(
            key, on, lambda item, day: item.note_progress(note, actor, day), actor, seen
        )

    def assign_owner(
        self, key: str, owner: str, *, actor: str, on: date | None = None
    ) -> list[str]:
        who = clean_text(owner, "the owner", required=True) or ""
        return self._change(key, on, lambda item, day: item.assign_owner(who, actor, day), actor)

    def close_recommendation(
        self,
        key: str,
        *,
        reason: str,
        links: Sequence[str] = (),
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Take ``key`` off the tracker; where a committee requires sign-off for
        closures, ask for it (a :class:`~events.ClosureRequested`)."""
        why = required_reason(reason, "closing", key)
        found = clean_links(links)
        if self.needs_sign_off(actor, SignOffFor.CLOSURES):
            return self._change(
                key, on, lambda item, day: item.request_closure(why, found, actor, day), actor
            )
        return self._change(key, on, lambda item, day: item.close(why, actor, day), actor)

    def correct_event(
        self, event_id: str, *, reason: str, actor: str, on: date | None = None
    ) -> list[str]:
        key, version = split_event_id(event_id)
        if "/" not in key:
            raise RuleBrokenError(
                f"{event_id} is an event of {key}, a report or committee; only a recommendation's "
                "events can be corrected (ids like PEEL1819/4@3)"
            )
        why = required_reason(reason, "a correction", key)
        may_retract(self.access(), actor, self.get_recommendation(key), version)
        if both := self.correct_supersession(key, version, reason=why, actor=actor, on=on):
            return both  # its other half, in the later item, is retracted with it
        return self._change(
            key, on, lambda item, day: item.correct(version, why, actor, day), actor
        )

    # Batches ------------------------------------------------------------------------

    def import_tracker(
        self,
        rows: list[TrackerRow],
        *,
        source: str,
        actor: str,
        on: date | None = None,
        progress: Callable[[int], object] | None = None,
        current: CurrentStates | None = None,
    ) -> ImportOutcome:
        """Record a tracker's rows as at their dates: all of them in one transaction, or
        none when any row is bad (:class:`BatchRefusedError` lists every one); ``current``
        reads items' states from a read model in step with the log, when there is one."""
        self.authorize(actor, what="importing a tracker")
        batch = TrackerImport(
            self, source=source, actor=actor, on=on, progress=progress, current=current
        )
        return batch.run(rows)

    def apply_updates(
        self,
        rows: list[UpdateRow],
        *,
        source: str,
        owner: str,
        actor: str,
        on: date | None = None,
    ) -> UpdateOutcome:
        """Record ``owner``'s filled-in update sheet as ``actor``'s, acting for ``owner``:
        all rows or none. ``actor`` (who applies it) must be governance or act for that
        owner, and may change the item of every row (an owner: only their owners' items)."""
        self.authorize(actor, owner=owner, what=f"applying {owner}'s update sheet")
        rules = SheetRules(
            green=bool(self.needs_sign_off(actor, None)),
            extensions=bool(self.needs_sign_off(actor, SignOffFor.EXTENSIONS)),
        )
        return apply_updates(
            self, rows, source=source, owner=owner, actor=actor, on=on, rules=rules
        )

    def restore_backup(
        self,
        lines: Iterable[tuple[int, dict[str, Any] | str]],
        *,
        source: str,
        progress: Callable[[int], object] | None = None,
        digest: Digest | None = None,
    ) -> int:
        """Write a backup's events, unchanged, into this ledger, which must be empty,
        once each has been checked (see :mod:`ledger.exchange.backup`); with ``digest``,
        only a backup whose history gives it."""
        try:
            with as_recorded():  # every text as it was recorded, by the rules of then
                return restore(self, lines, source=source, progress=progress, digest=digest)
        except IntegrityError:
            raise ConflictError(
                "another writer recorded into this ledger during the restore; nothing was "
                "restored; restore into an empty ledger nobody else is writing to"
            ) from None

    # Helpers -------------------------------------------------------------------------

    def _change(
        self,
        key: str,
        on: date | None,
        command: Callable[[Recommendation, date], None],
        actor: str,
        seen: int | None = None,
    ) -> list[str]:
        """Apply one change to one item. When another writer changed the item first, the
        change is checked again against the item as it now is and retried, so racing
        changes land one after the other; only a writer that keeps losing is refused. A
        change made on the item at version ``seen`` is refused once it is not
        (:func:`ledger.seen.check_seen`), the writer that landed first included."""
        day = self.check_on(on)
        for attempt in range(1, CHANGE_ATTEMPTS + 1):
            item = self.get_recommendation(key)
            self.authorize(actor, item=item, what=f"changing {item.key}")
            check_seen(item.key, item.version, seen)
            command(item, day)
            try:
                return self.save_all(item, what=item.key)
            except ConflictError:
                if attempt == CHANGE_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.02) * attempt)  # let the winner finish
        raise AssertionError("unreachable")
