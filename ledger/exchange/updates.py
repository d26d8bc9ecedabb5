"""Owners' update sheets: what an owner filled in, recorded by whoever applies it.

A sheet lists an owner's open items, with empty columns for a new status and its
reason, a progress note, and a requested new due date with its justification. Applying
it records, for each row, only what was filled in and differs from the item now: all
rows or none, every bad row named with its line.

Each event is recorded as its actor's, the one who applies the sheet (on PostgreSQL
under access control, their database login), with the sheet's owner as whom they acted
for when that is someone else. Every row's item must be one the actor may change (its
owner's, for an owner; any, for governance), and the owner's the sheet names.

Each row carries the item's version when the sheet was written: a row that would record
something on an item that has changed since (a status set by someone else since, or
the same sheet applied before and the item changed after) is refused, and the owner
asks for a new sheet, so a sheet never undoes what was recorded after it was written.
A sheet applied again that would record nothing records nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from events import ReminderSent, Request, Status
from ledger.aggregates import fold_name
from ledger.due import parse_due
from ledger.errors import BatchRefusedError, Fix, Hint, LedgerError, RuleBrokenError
from ledger.inputs import check_name, clean_text, parse_status
from ledger.state import fold_item

if TYPE_CHECKING:
    from ledger.aggregates import Recommendation
    from ledger.application import Ledger

#: The sheet's columns: what the ledger says, then what the owner fills in.
SHOWN = ("key", "report", "recommendation", "status", "due", "last comment")
FILLED = ("new status", "reason", "progress note", "new due date", "justification")
#: The last column: the item's version when the sheet was written (left as it is).
VERSION = "version"
_VERSION = re.compile("[1-9][0-9]{0,8}")
OWNER_STATUSES = (Status.GREEN, Status.AMBER, Status.RED, Status.WHITE)


@dataclass(frozen=True)
class UpdateRow:
    line: int
    key: str
    new_status: str
    reason: str
    note: str
    new_due: str
    justification: str
    #: Why a cell of the row cannot be read (a formula without a saved value), if one cannot.
    problem: str = ""
    #: The item's version when the sheet was written, as the sheet holds it.
    version: str = ""

    @property
    def empty(self) -> bool:
        return not (
            self.new_status
            or self.reason
            or self.note
            or self.new_due
            or self.justification
            or self.problem
        )


@dataclass(frozen=True)
class SheetRules:
    """What of a sheet awaits sign-off: GREEN (an owner's, under access control), and
    new due dates (where a committee grants extensions)."""

    green: bool = False
    extensions: bool = False


@dataclass(frozen=True)
class UpdateOutcome:
    rows: int
    items_changed: int
    recorded: list[str]
    #: Who recorded the sheet, and whom for (None: for themselves).
    actor: str = ""
    acting_for: str | None = None

    def describe(self) -> str:
        return (
            f"{self.rows} rows: {self.items_changed} items changed, "
            f"{self.rows - self.items_changed} unchanged; {len(self.recorded)} events recorded"
        )


def apply_updates(
    ledger: Ledger,
    rows: list[UpdateRow],
    *,
    source: str,
    owner: str,
    actor: str,
    on: date | None,
    rules: SheetRules | None = None,
) -> UpdateOutcome:
    """Record ``rows`` of ``owner``'s sheet as ``actor``'s, acting for ``owner``: all of
    them, or none and every bad row named (one ``actor`` may not change among them)."""
    day = ledger.check_on(on)
    said = "the sheet's owner"  # a name, whom the changes are recorded as made for
    owner = check_name(clean_text(owner, said, required=True) or "", said)
    acting_for = None if fold_name(owner) == fold_name(actor) else owner
    problems: list[tuple[int, LedgerError | str]] = []
    items: dict[str, Recommendation] = {}
    changed: set[str] = set()
    for row in rows:
        if row.empty:
            continue
        if row.problem:
            problems.append((row.line, row.problem))
            continue
        try:
            if row.key in items:
                raise RuleBrokenError(f"{row.key} has another row in this sheet; keep one")
            item = ledger.get_recommendation(row.key)
            ledger.authorize(actor, item=item, what=f"changing {item.key}")
            items[row.key] = item
            before, version = len(item.pending_events), item.version
            if _apply(ledger, item, row, actor, day, rules or SheetRules()):
                _check_owner(item, owner)
                _check_version(item, version, row)
                changed.add(row.key)
                if acting_for is not None:
                    _acting_for(item, before, acting_for)
        except LedgerError as error:
            problems.append((row.line, error))
    if problems:
        raise BatchRefusedError(source, problems)
    pending = [item for item in items.values() if item.pending_events]
    recorded = ledger.save_all(*pending, what=f"the update sheet {source}") if pending else []
    return UpdateOutcome(len(rows), len(changed), recorded, actor, acting_for)


def _check_owner(item: Recommendation, owner: str) -> None:
    """Refuse a row whose item is not ``owner``'s (the key typed over another's)."""
    state = fold_item(item.history)
    if state is None or fold_name(state.owner or "") != fold_name(owner):
        raise RuleBrokenError(
            "{key} is not {owner}'s item (its owner is {now}): a sheet changes its owner's "
            "items alone; ask for {hint}",
            key=item.key,
            owner=owner,
            now=state.owner if state is not None and state.owner else "no one",
            hint=Hint.to(Fix.NEW_SHEET),
        )


def _check_version(item: Recommendation, version: int, row: UpdateRow) -> None:
    """Refuse a row that would change ``item``, at ``version`` before it, when the sheet
    was written on an earlier version (the row's) and something but reminders was
    recorded on it since (a reminder changes nothing a sheet shows or records, and a
    daily run of reminders would otherwise make every sheet stale the next day)."""
    key = item.key
    written = row.version.strip().removesuffix(".0")  # a number as a spreadsheet saves it
    if not _VERSION.fullmatch(written) or int(written) > version:
        raise RuleBrokenError(
            "its version cell holds {version}, not the item's version the sheet was written "
            "with; ask for {hint}",
            version=repr(row.version),
            hint=Hint.to(Fix.NEW_SHEET),
        )
    since = item.history[int(written) : version]
    if any(not isinstance(event, ReminderSent) for event in since):
        raise RuleBrokenError(
            "{key} changed since this sheet was written ({was} was its latest event then, "
            "{now} is now), and this row would change it again; ask for {hint} and fill "
            "it in anew",
            key=key,
            was=f"{key}@{written}",
            now=f"{key}@{version}",
            hint=Hint.to(Fix.NEW_SHEET),
        )


def _acting_for(item: Recommendation, since: int, owner: str) -> None:
    """Mark the events ``item`` has pending from ``since`` on as recorded for ``owner``
    (the aggregate made them, and keeps them in its history, as its actor's own)."""
    for index in range(since, len(item.pending_events)):
        event = item.pending_events[index]
        marked = event.model_copy(update={"acting_for": owner})  # type: ignore[attr-defined]
        item.pending_events[index] = marked
        at = next(i for i in range(len(item.history) - 1, -1, -1) if item.history[i] is event)
        item.history[at] = marked


def _apply(
    ledger: Ledger,
    item: Recommendation,
    row: UpdateRow,
    actor: str,
    day: date,
    rules: SheetRules,
) -> bool:
    state = fold_item(item.history, as_at=day)
    if state is None:
        raise RuleBrokenError(f"{row.key} is not on the board on {day.isoformat()}")
    before = len(item.pending_events)
    reason = clean_text(row.reason, "reason", required=False)
    justification = clean_text(row.justification, "justification", required=False)
    if row.new_due:
        published = ledger.get_report(state.report).published
        wanted = parse_due(row.new_due, published).current
        if wanted is None:
            raise RuleBrokenError(
                f"new due date {row.new_due!r} names no date; write e.g. 2020-06-30 or June 2020"
            )
        if not justification:
            raise RuleBrokenError(
                "a new due date needs a justification: fill in the justification column"
            )
        if state.due is None:
            written = parse_due(row.new_due, published)
            item.set_deadline(written, justification, actor, day, extensions_wait=rules.extensions)
        elif wanted != state.due and rules.extensions:
            item.request_extension(wanted, justification, (), actor, day)
        elif wanted != state.due:
            item.extend_deadline(wanted, justification, actor, day)
    elif justification:
        raise RuleBrokenError("a justification without a new due date: fill in the new due date")
    note = clean_text(row.note, "progress note", required=False)
    if note and note != state.comment:
        item.note_progress(note, actor, day)
    if row.new_status:
        status = parse_status(row.new_status)
        if status not in OWNER_STATUSES:
            raise RuleBrokenError(
                f"{status.value} is not a colour an owner sets; use GREEN, AMBER, RED or WHITE "
                "(closing is for the governance team)"
            )
        if status is Status.GREEN and rules.green and status != state.status:
            evidence = reason or note
            if not evidence:
                raise RuleBrokenError(
                    "GREEN awaits governance's sign-off and needs its evidence: say what was "
                    "done in the reason or progress note column"
                )
            pending = item.pending()
            if pending is None or pending.request != Request.GREEN:
                item.claim_completion(evidence, (), actor, day)
        elif status != state.status:
            item.change_status(status, reason, actor, day)
    elif reason and not note:
        raise RuleBrokenError("a reason without a new status: fill in the new status")
    return len(item.pending_events) > before
