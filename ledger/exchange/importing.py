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
reported with its line; if there is one, nothing is recorded. The whole import is
saved in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from events import Kind, Scope, Status
from ledger.aggregates import Recommendation, Report
from ledger.due import Due, parse_due, parse_iso_date
from ledger.errors import BatchRefusedError, Fix, Hint, LedgerError, RuleBrokenError
from ledger.exchange.tracker import TrackerRow
from ledger.inputs import check_writable, clean_text, parse_kind, parse_scope, parse_status
from ledger.keys import check_code, check_ref, recommendation_id, report_id
from ledger.state import fold_item

if TYPE_CHECKING:
    from ledger.application import Ledger

NEEDS_REASON = (Status.RED, Status.WHITE, Status.CLOSED)


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


@dataclass(frozen=True)
class TrackerEntry:
    """One row, read and checked on its own."""

    line: int
    on: date
    code: str
    title: str
    scope: Scope
    published: date
    inspectorates: tuple[str, ...]
    ref: str
    kind: Kind
    text: str
    status: Status | None
    reason: str | None
    explicit_reason: str | None
    due: Due
    comment: str | None
    owner: str | None
    lead: str | None

    @property
    def key(self) -> str:
        return f"{self.code}/{self.ref}"


class TrackerImport:
    def __init__(
        self,
        ledger: Ledger,
        *,
        source: str,
        actor: str,
        on: date | None,
        progress: Callable[[int], object] | None = None,
    ) -> None:
        self.ledger = ledger
        self.source = source
        self.actor = actor
        self.default_on = on
        self.progress = progress or (lambda done: None)
        self.reports: dict[str, Report] = {}
        self.items: dict[str, Recommendation] = {}
        self.problems: list[tuple[int, LedgerError | str]] = []

    def run(self, rows: list[TrackerRow]) -> ImportOutcome:
        entries = []
        for row in rows:
            if row.problem:
                self.problems.append((row.line, row.problem))
                continue
            try:
                entries.append(self.read(row))
            except LedgerError as error:
                self.problems.append((row.line, error))
        entries.sort(key=lambda e: (e.on, e.line))
        seen: dict[tuple[str, date], int] = {}
        registered = added = changed = 0
        for entry in entries:
            self.progress(1)
            first = seen.setdefault((entry.key, entry.on), entry.line)
            if first != entry.line:
                self.problems.append(
                    (
                        entry.line,
                        (
                            f"{entry.key} is already on line {first} for {entry.on.isoformat()}; "
                            "keep one row per item and date"
                        ),
                    )
                )
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

    # Reading one row -------------------------------------------------------------------

    def read(self, row: TrackerRow) -> TrackerEntry:
        code = check_code(_required(row, "report_code"))
        published = parse_iso_date(_required(row, "published"), "published")
        on_text = row.get("on")
        on = parse_iso_date(on_text, "on") if on_text else self.default_on
        on = self.ledger.check_on(on, not_before=published, since=f"{code} was published")
        status_text = row.get("status")
        status = parse_status(status_text) if status_text else None
        explicit = clean_text(row.get("reason"), "reason", required=False)
        comment = clean_text(row.get("comment"), "comment", required=False)
        reason = explicit or comment
        if status in NEEDS_REASON and not reason:
            raise RuleBrokenError(
                f"{status.value} needs a reason: fill in the reason (or comment) column"  # type: ignore[union-attr]
            )
        inspectorates = tuple(
            check_writable(i.strip(), "inspectorate")
            for i in row.get("inspectorate").split(";")
            if i.strip()
        )
        return TrackerEntry(
            line=row.line,
            on=on,
            code=code,
            title=clean_text(_required(row, "report"), "report", required=True) or "",
            scope=parse_scope(_required(row, "scope")),
            published=published,
            inspectorates=inspectorates,
            ref=check_ref(_required(row, "ref")),
            kind=parse_kind(_required(row, "kind")),
            text=clean_text(_required(row, "text"), "text", required=True) or "",
            status=status,
            reason=reason,
            explicit_reason=explicit,
            due=parse_due(row.get("due"), published),
            comment=comment,
            owner=clean_text(row.get("owner"), "owner", required=False),
            lead=clean_text(row.get("lead"), "lead", required=False),
        )

    # Applying one row ------------------------------------------------------------------

    def register_report(self, entry: TrackerEntry) -> int:
        """The row's report, registered as of its publication when first seen."""
        report = self.reports.get(entry.code)
        if report is None:
            if report_id(entry.code) in self.ledger.repository:
                report = self.ledger.get_report(entry.code)
            else:
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
        item = self.items.get(entry.key)
        if item is None and recommendation_id(entry.code, entry.ref) in self.ledger.repository:
            item = self.ledger.get_recommendation(entry.key)
            self.items[entry.key] = item
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


def _required(row: TrackerRow, column: str) -> str:
    value = row.get(column)
    if not value:
        raise RuleBrokenError(f"the {column} column is empty; every row needs it")
    return value
