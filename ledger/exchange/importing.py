"""Importing a tracker: all rows or none, and only what changed.

Each row says what the tracker showed for one item on one date (its ``on`` column, or
the import's ``--on``). A report first seen is registered as of its publication; an
item first seen is added with its status, due date, owner and comment. For an item
already in the ledger, only the differences from its state *as at that date* are
recorded: a new status, a due date set or moved later (an extension, the tracker's
wording as its reason), a new owner, a new comment. So importing the same tracker as
at several dates, oldest first, back-fills a true history, and NEW GREEN / NEW RED
come out right at every meeting.

Rows are applied in order of their dates, then of their lines. Every bad row is
reported with its line; if there is one, nothing is recorded. The reports and items the
file names are read in bulk before any row is applied (:mod:`ledger.exchange.known`:
their states from a read model in step with the log when the caller has one, and the
items a row changes from the store, a page of items a query), their differences worked
out in memory, and the whole import saved in one transaction: re-importing a tracker
unchanged costs about half of its first import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from events import Kind, Scope, Status
from ledger.aggregates import Recommendation, Report
from ledger.errors import BatchRefusedError, Fix, Hint, LedgerError, RuleBrokenError
from ledger.exchange.entries import NEEDS_REASON, TrackerEntry, read_entry, with_codes
from ledger.exchange.known import CurrentStates, aggregates, changes_nothing, report_titles
from ledger.exchange.tracker import TrackerRow
from ledger.keys import committee_id, inspection_id, recommendation_id, report_id
from ledger.state import fold_item

if TYPE_CHECKING:
    from ledger.application import Ledger

__all__ = ["NEEDS_REASON", "ImportOutcome", "TrackerEntry", "TrackerImport"]


@dataclass(frozen=True)
class ImportOutcome:
    rows: int
    reports_registered: int
    items_added: int
    items_changed: int
    rows_unchanged: int
    recorded: list[str]

    def describe(self) -> str:
        return (
            f"{self.rows} rows: {self.reports_registered} reports registered, "
            f"{self.items_added} items added, {self.items_changed} changed, "
            f"{self.rows_unchanged} unchanged; {len(self.recorded)} events recorded"
        )


class TrackerImport:
    def __init__(
        self,
        ledger: Ledger,
        *,
        source: str,
        actor: str,
        on: date | None,
        progress: Callable[[int], object] | None = None,
        current: CurrentStates | None = None,
    ) -> None:
        self.ledger = ledger
        #: Where items' states are read from first, when a read model in step is at hand.
        self.current = current
        #: The items whose rows change nothing, as ``current`` says, by key: never loaded.
        self.unchanged: set[str] = set()
        self.source = source
        self.actor = actor
        self.default_on = on
        self.progress = progress or (lambda done: None)
        self.reports: dict[str, Report] = {}
        self.items: dict[str, Recommendation] = {}
        self.problems: list[tuple[int, LedgerError | str]] = []

    def run(self, rows: list[TrackerRow]) -> ImportOutcome:
        filled, self.problems = with_codes(rows, lambda: report_titles(self.ledger))
        entries = []
        for row in filled:
            if row.problem:
                self.problems.append((row.line, row.problem))
                continue
            try:
                entries.append(
                    read_entry(row, default_on=self.default_on, check_on=self.ledger.check_on)
                )
            except LedgerError as error:
                self.problems.append((row.line, error))
        self.load(entries)
        entries.sort(key=lambda e: (e.on, e.line))
        seen: dict[tuple[str, date], TrackerEntry] = {}
        registered = added = changed = 0
        for entry in entries:
            self.progress(1)
            first = seen.setdefault((entry.key, entry.on), entry)
            if first is not entry:
                self.problems.append((entry.line, _twice(first, entry)))
                continue
            try:
                registered += self.register_report(entry)
                outcome = self.apply(entry)
            except LedgerError as error:
                self.problems.append((entry.line, error))
                continue
            added += outcome == "added"
            changed += outcome == "changed"
        if self.problems:
            raise BatchRefusedError(self.source, self.problems)
        pending = [a for a in (*self.reports.values(), *self.items.values()) if a.pending_events]
        recorded = (
            self.ledger.save_all(*pending, what=f"the import of {self.source}") if pending else []
        )
        return ImportOutcome(
            len(rows), registered, added, changed, len(entries) - added - changed, recorded
        )

    def load(self, entries: list[TrackerEntry]) -> None:
        """The reports and items ``entries`` name that the ledger holds, read in bulk; of
        an item named on one row alone whose row changes nothing as ``current`` says,
        only that (a row of an item named on several rows may see an earlier row's
        change, so those items are always loaded)."""
        codes = sorted({entry.code for entry in entries})
        rows = Counter(entry.key for entry in entries)
        if self.current is not None:
            once = [entry for entry in entries if rows[entry.key] == 1]
            states = self.current([(entry.key, entry.on) for entry in once])
            self.unchanged = {
                entry.key
                for entry in once
                if (state := states.get((entry.key, entry.on))) is not None
                and changes_nothing(entry, state)
            }
        keys = sorted({(e.code, e.ref) for e in entries if e.key not in self.unchanged})
        found = aggregates(
            self.ledger,
            [report_id(code) for code in codes]
            + [recommendation_id(code, ref) for code, ref in keys],
        )
        for code in codes:
            report = found.get(report_id(code))
            if isinstance(report, Report):
                self.reports[code] = report
        for code, ref in keys:
            item = found.get(recommendation_id(code, ref))
            if isinstance(item, Recommendation):
                self.items[f"{code}/{ref}"] = item

    # Applying one row ------------------------------------------------------------------

    def register_report(self, entry: TrackerEntry) -> int:
        """The row's report, registered as of its publication when first seen."""
        report = self.reports.get(entry.code)
        if report is None:
            for taken, what in ((committee_id, "a committee"), (inspection_id, "an inspection")):
                if taken(entry.code) in self.ledger.repository:  # a code names one thing
                    raise RuleBrokenError(
                        f"{entry.code} is the code of {what}; give the report a code of its own"
                    )
            report = Report.register(
                code=entry.code,
                title=entry.title,
                scope=entry.scope,
                published=entry.published,
                inspectorates=entry.inspectorates,
                makes=None,
                actor=self.actor,
                on=entry.published,
            )
            self.reports[entry.code] = report
            registered = bool(report.pending_events)
        else:
            registered = False
        if report.scope != entry.scope or report.published != entry.published:
            raise RuleBrokenError(
                f"report {entry.code} is a {Scope(report.scope).value} report published "
                f"{report.published.isoformat()}; this row says {entry.scope.value}, "
                f"{entry.published.isoformat()}"
            )
        return int(registered)

    def apply(self, entry: TrackerEntry) -> str:
        if entry.key in self.unchanged:
            return "unchanged"
        item = self.items.get(entry.key)
        if item is None:
            self.items[entry.key] = self.add(entry)
            return "added"
        before = len(item.pending_events)
        self.update(item, entry)
        return "changed" if len(item.pending_events) > before else "unchanged"

    def add(self, entry: TrackerEntry) -> Recommendation:
        colour = None if entry.status is Status.CLOSED else entry.status
        item = self.ledger.prepare_recommendation(
            entry.code,
            entry.ref,
            kind=entry.kind,
            text=entry.text,
            owner=entry.owner,
            lead=entry.lead,
            due=entry.due.text,
            status=colour,
            reason=entry.reason if colour in NEEDS_REASON else entry.explicit_reason,
            actor=self.actor,
            on=entry.on,
            report=self.reports[entry.code],
            known_new=True,
        )
        if entry.comment:
            item.note_progress(entry.comment, self.actor, entry.on)
        if entry.status is Status.CLOSED:
            item.close(entry.reason or "", self.actor, entry.on)
        return item

    def update(self, item: Recommendation, entry: TrackerEntry) -> None:
        state = fold_item(item.history, as_at=entry.on)
        if state is None:
            raise RuleBrokenError(
                f"{entry.key} was added on {item.history[0].on.isoformat()}, after this "
                f"row's date {entry.on.isoformat()}; date the row on or after that"
            )
        if entry.kind_from_ref and state.kind != entry.kind:
            raise RuleBrokenError(
                f"{entry.key} is {_a(state.kind)} in the ledger and this row's ref makes it "
                f"{_a(entry.kind)}; {_OWN_REFS}"
            )
        if state.is_closed:
            if entry.status is Status.CLOSED:
                return
            raise RuleBrokenError(
                f"{entry.key} was closed on {state.closed_on}; a closed item cannot change"
            )
        actor, on = self.actor, entry.on
        if entry.owner and entry.owner != state.owner:
            item.assign_owner(entry.owner, actor, on)
        self.move_due(item, entry, state.due)
        if entry.comment and entry.comment != state.comment:
            item.note_progress(entry.comment, actor, on)
        if entry.status is Status.CLOSED:
            item.close(entry.reason or "", actor, on)
        elif entry.status is not None and entry.status != state.status:
            item.change_status(
                entry.status,
                entry.reason if entry.status in NEEDS_REASON else entry.explicit_reason,
                actor,
                on,
            )

    def move_due(self, item: Recommendation, entry: TrackerEntry, due: date | None) -> None:
        written = entry.due
        if not written.dates:
            return
        if due is None:
            item.set_deadline(written, entry.explicit_reason, self.actor, entry.on)
            return
        if written.current is not None and written.current < due:
            raise RuleBrokenError(
                "due date {written!r} is earlier than {key}'s due date {due}; a due date only "
                "moves later (if the later date was a mistake, retract its extension with "
                "{hint})",
                written=written.text,
                key=entry.key,
                due=due.isoformat(),
                hint=Hint.to(Fix.CORRECT_ANY),
            )
        reason = entry.explicit_reason or f"the tracker now reads {written.text!r}"
        for later in written.dates:
            if later > due:
                item.extend_deadline(later, reason, self.actor, entry.on)
                due = later


#: What to do when refs of items of different kinds read the same (AFI 1 and Rec 1).
_OWN_REFS = (
    "items of different kinds need refs of their own: write them in a type column, and "
    "refs such as A1 for AFI 1"
)


def _a(kind: Kind) -> str:
    return {Kind.AFI: "an area for improvement", Kind.CONCERN: "a cause of concern"}.get(
        kind, "a recommendation"
    )


def _twice(first: TrackerEntry, entry: TrackerEntry) -> str:
    """Why a second row of one item and date is refused."""
    said = f"{entry.key} is already on line {first.line} for {entry.on.isoformat()}"
    if first.kind != entry.kind:
        return f"{said} as {_a(first.kind)}, and this row is {_a(entry.kind)}; {_OWN_REFS}"
    return f"{said}; keep one row per item and date"
