"""The committee paper: its summary table, its appendix and the exceptions.

A paper compares the position as at one meeting of a committee with the position as
at the meeting before it. Every figure here is derived from two states of each item,
folded from the events: as at this meeting, and as at the meeting before. So is every
figure in the previous column, against the meeting before *that* one. NEW GREEN and
NEW RED are never stored; they are this comparison.

Rules (the contract in cli.md):
- items already GREEN or CLOSED at the meeting before are not counted, nor shown in
  the appendix ("previously reported greens are not included");
- NEW GREEN: GREEN now; CLOSED: closed since the meeting before;
- RED counts every red item, NEW RED those that were not RED at the meeting before;
- OUTSTANDING = AMBER + RED + WHITE; items awaiting a first status are NOT ASSESSED;
- with no earlier meeting, "the meeting before" is the empty ledger.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any

from events import Scope, Status
from ledger.due import paper_date, parse_due
from ledger.state import ItemView
from projections.board import paper_order
from projections.exceptions import (
    NOT_ASSESSED,
    Extension,
    Lines,
    Overdue,
    PendingSignOff,
    Slippage,
    item_order,
    row_exceptions,
    row_pending,
)
from projections.log import iso_utc
from projections.recorded import CommitteeRecord, Meeting, Recorded, Row
from projections.store import ReportFacts
from projections.text import JSONText, compact, ref_order

NEW_GREEN, NEW_RED, OUTSTANDING = "NEW GREEN", "NEW RED", "OUTSTANDING"
#: The keys of every COUNTS object, in the order a paper prints them.
COUNT_KEYS = (NEW_GREEN, "AMBER", "RED", NEW_RED, "WHITE", "CLOSED", OUTSTANDING)
#: A paper's columns: the whole ledger, then national and force reports.
SCOPES = ("all", Scope.NATIONAL.value, Scope.FORCE.value)
#: Already reported to the committee: left out of the next paper.
REPORTED = frozenset({Status.GREEN, Status.CLOSED})

DEFINITIONS = (
    ("GREEN", "The recommendation is implemented."),
    (
        "AMBER",
        "The recommendation is subject to ongoing work and monitoring but is "
        "anticipated will be implemented.",
    ),
    (
        "RED",
        "The recommendation is beyond its designated deadline, or cannot / will not "
        "be implemented (rationale required).",
    ),
    (
        "WHITE",
        "The recommendation is not the force's responsibility to deliver, or is "
        "dependent upon another organisation delivering a product.",
    ),
    (NEW_GREEN, "GREEN since the previous report to this committee."),
    (NEW_RED, "RED since the previous report to this committee."),
    ("CLOSED", "Taken off the tracker without being implemented (e.g. superseded)."),
)


class Counts(Counter[str]):
    """Items by the status a paper prints for them."""

    def to_json(self) -> dict[str, int]:
        document = {key: self[key] for key in COUNT_KEYS}
        document[OUTSTANDING] = self["AMBER"] + self["RED"] + self["WHITE"]
        if self[NOT_ASSESSED]:
            document[NOT_ASSESSED] = self[NOT_ASSESSED]
        return document

    @property
    def outstanding(self) -> int:
        return self["AMBER"] + self["RED"] + self["WHITE"]

    def add(self, marks: tuple[str, ...]) -> None:
        self.update(marks)


def marks_of(now: str | None, before: str | None) -> tuple[str, ...]:
    """What a paper counts an item as, from its status now and at the meeting before
    (None when not yet assessed or not yet on the board); ``()`` when it was already
    reported GREEN or CLOSED then."""
    if before in REPORTED_WORDS:
        return ()
    if now is None:
        return (NOT_ASSESSED,)
    if now == Status.GREEN.value:
        return (NEW_GREEN,)
    if now == Status.RED.value:
        return ("RED",) if before == Status.RED.value else ("RED", NEW_RED)
    return (now,)


REPORTED_WORDS = frozenset(status.value for status in REPORTED)
_WORDS = [None, *(status.value for status in Status)]
#: Every (now, before) pair's marks, worked out once.
MARKS = {(now, before): marks_of(now, before) for now in _WORDS for before in _WORDS}


def printed_status(marks: tuple[str, ...]) -> str:
    """The one word a paper prints in the status column."""
    return NEW_RED if NEW_RED in marks else marks[0]


class Record:
    """A row of a paper: its JSON is its fields, dates as ISO strings."""

    def to_json(self) -> dict[str, Any]:
        names = _NAMES.get(type(self))
        if names is None:  # once per kind of row: papers hold thousands
            names = _NAMES[type(self)] = tuple(f.name for f in fields(self))  # type: ignore[arg-type]
        return {name: _json(getattr(self, name)) for name in names}


_NAMES: dict[type, tuple[str, ...]] = {}


def _json(value: Any) -> Any:
    if type(value) is date:
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Position:
    """Every item as at one meeting, marked against the meeting before it."""

    recorded: Recorded
    on: date | None
    before: date | None
    #: How many items of each report had each (status now, status before) pair.
    tally: Counter[tuple[str, str | None, str | None]]
    _by_report: dict[str, Counts] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def at(cls, recorded: Recorded, on: date | None, before: date | None) -> Position:
        keys, reports, statuses = recorded.status_columns(on)
        earlier = recorded.statuses_as_at(before)
        # Whole columns at once: an item absent before counts as not yet assessed then.
        tally = Counter(zip(reports, statuses, map(earlier.get, keys), strict=True))
        return cls(recorded, on, before, tally)

    @cached_property
    def marks(self) -> dict[str, tuple[str, ...]]:
        """What the paper counts each item as (``()`` when it was already reported GREEN
        or CLOSED), by key."""
        now, earlier = (
            self.recorded.statuses_as_at(self.on),
            self.recorded.statuses_as_at(self.before),
        )
        return {key: MARKS[status, earlier.get(key)] for key, status in now.items()}

    def rows(self) -> list[Row]:
        """Every item's columns as at ``on``."""
        return self.recorded.rows_as_at(self.on)

    @property
    def states(self) -> Mapping[str, ItemView]:
        """Every item's state as at ``on`` (read once, when a paper prints more than
        counts)."""
        return self.recorded.states_as_at(self.on)

    def counts(self, *, report: str | None = None, scope: str = "all") -> Counts:
        if report is not None:
            return self.by_report().get(report, Counts())
        counts = Counts()
        reports = self.recorded.reports
        for code, report_counts in self.by_report().items():
            if scope in ("all", reports[code].scope):
                counts.update(report_counts)
        return counts

    def by_report(self) -> dict[str, Counts]:
        """Counts per report, from the tally, kept."""
        if not self._by_report:
            for (code, now, before), n in self.tally.items():
                counts = self._by_report.setdefault(code, Counts())
                for mark in MARKS[now, before]:
                    counts[mark] += n
        return self._by_report


# The summary ---------------------------------------------------------------------------


def report_json(report: ReportFacts) -> dict[str, Any]:
    """How a paper names a report in JSON."""
    return {
        "code": report.code,
        "title": report.title,
        "scope": report.scope,
        "published": report.published.isoformat(),
    }


@dataclass(frozen=True)
class SummaryRow:
    report: ReportFacts
    section: str
    previous: Counts
    current: Counts

    def to_json(self) -> dict[str, Any]:
        return {
            **report_json(self.report),
            "section": self.section,
            "previous": self.previous.to_json(),
            "current": self.current.to_json(),
        }


@dataclass(frozen=True)
class Exceptions:
    """What a committee must see: overdue items that are neither RED nor extended, the
    extensions granted since the previous meeting, how far each item has slipped, and
    what awaits sign-off (GREEN and closures claimed; extension requests for the
    committee to grant)."""

    overdue: Sequence[Overdue]
    extensions: list[Extension]
    slippage: Sequence[Slippage]
    pending: list[PendingSignOff] = field(default_factory=list)
    #: The overdue and slippage rows already rendered, when they were stored so.
    lines: Lines | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "overdue": [o.to_json() for o in self.overdue],
            "extensions": [e.to_json() for e in self.extensions],
            "slippage": [s.to_json() for s in self.slippage],
            "pending_sign_off": [p.to_json() for p in self.pending],
        }

    @property
    def claimed(self) -> list[PendingSignOff]:
        """GREEN or CLOSED, awaiting sign-off."""
        return [p for p in self.pending if p.request != "EXTENSION"]

    @property
    def requested_extensions(self) -> list[PendingSignOff]:
        """Extension requests for the committee to grant."""
        return [p for p in self.pending if p.request == "EXTENSION"]

    def printable(self) -> dict[str, list[JSONText]]:
        """:meth:`to_json` with every row already rendered as one line of JSON: a
        summary lists thousands, and the command prints them as they are."""
        overdue, slippage = self.lines or (
            [o.line() for o in self.overdue],
            [s.line() for s in self.slippage],
        )
        return {
            "overdue": overdue,
            "extensions": [JSONText(compact(e.to_json())) for e in self.extensions],
            "slippage": slippage,
            "pending_sign_off": [p.line() for p in self.pending],
        }


@dataclass(frozen=True)
class MeetingPaper:
    """Which meeting a paper is for, the meeting it compares with, and the history read."""

    committee: CommitteeRecord
    meeting: Meeting
    previous_meeting: Meeting | None
    known_at: datetime | None
    #: The ledger's digest when the paper was read (``ragw verify --digest`` checks it).
    digest: str | None

    @classmethod
    def heading(cls, recorded: Recorded, committee: str, meeting: date) -> dict[str, Any]:
        """The arguments every paper starts from; refuses an unknown committee or meeting."""
        record = recorded.committee(committee)
        return {
            "committee": record,
            "meeting": record.meeting(meeting),
            "previous_meeting": record.before(meeting),
            "known_at": recorded.known_at,
            "digest": recorded.digest,
        }

    def heading_json(self) -> dict[str, Any]:
        return {
            "committee": self.committee.code,
            "committee_name": self.committee.name,
            "meeting": self.meeting.on.isoformat(),
            "paper": self.meeting.paper,
            "previous_meeting": _iso(self.previous_meeting),
            "previous_paper": self.previous_meeting.paper if self.previous_meeting else None,
            "as_known_at": iso_utc(self.known_at) if self.known_at else None,
            "digest": self.digest,
        }


@dataclass(frozen=True)
class Summary(MeetingPaper):
    rows: list[SummaryRow]
    totals: dict[str, dict[str, Counts]]
    exceptions: Exceptions
    headline: str

    def to_json(self) -> dict[str, Any]:
        return {**self.to_json_without_exceptions(), "exceptions": self.exceptions.to_json()}

    def printable(self) -> dict[str, Any]:
        """:meth:`to_json` with the exceptions' rows already rendered (see
        :meth:`Exceptions.printable`): what ``ragw summary --format json`` prints."""
        return {**self.to_json_without_exceptions(), "exceptions": self.exceptions.printable()}

    def to_json_without_exceptions(self) -> dict[str, Any]:
        return {
            **self.heading_json(),
            "headline": self.headline,
            "reports": [row.to_json() for row in self.rows],
            "totals": {
                column: {scope: counts.to_json() for scope, counts in by_scope.items()}
                for column, by_scope in self.totals.items()
            },
        }


def _iso(meeting: Meeting | None) -> str | None:
    return meeting.on.isoformat() if meeting else None


def summary_of(recorded: Recorded, committee: str, meeting: date) -> Summary:
    """The summary table of the paper for ``committee``'s meeting on ``meeting``."""
    heading = MeetingPaper.heading(recorded, committee, meeting)
    this, previous = heading["meeting"], heading["previous_meeting"]
    before_previous = heading["committee"].before(previous.on) if previous else None
    tally = recorded.kept_tally(committee, this.on)
    lists = recorded.kept_lists(committee, this.on)
    if tally is not None and lists is not None:  # kept per meeting by the read model
        before = recorded.kept_tally(committee, previous.on) if previous else Counter()
        current = Position(recorded, this.on, _day(previous), tally)
        earlier = Position(recorded, _day(previous), _day(before_previous), before or Counter())
        overdue, slippage, lines = lists.exceptions()
        extensions = extensions_of(recorded, this.on, _day(previous), lists.extended)
        exceptions = Exceptions(
            overdue, extensions, slippage, lists.pending_sign_off(), lines=lines
        )
    else:
        recorded.rows_as_at(this.on)  # read once: the exceptions need it, the counts too
        current = Position.at(recorded, this.on, _day(previous))
        earlier = Position.at(recorded, _day(previous), _day(before_previous))
        exceptions = exceptions_at(current)

    rows: list[SummaryRow] = []
    for report in sorted(recorded.reports.values(), key=paper_order):
        if report.published > this.on:
            continue
        section = "new" if previous is None or report.published > previous.on else "previous"
        row = SummaryRow(
            report=report,
            section=section,
            previous=earlier.counts(report=report.code),
            current=current.counts(report=report.code),
        )
        if section == "new" or row.previous.total() or row.current.total():
            rows.append(row)
    rows.sort(key=lambda row: row.section != "new")  # stable: new reports first

    totals = {
        "previous": {scope: earlier.counts(scope=scope) for scope in SCOPES},
        "current": {scope: current.counts(scope=scope) for scope in SCOPES},
    }
    return Summary(
        **heading,
        rows=rows,
        totals=totals,
        exceptions=exceptions,
        headline=headline(totals["current"], previous, exceptions),
    )


def _day(meeting: Meeting | None) -> date | None:
    return meeting.on if meeting else None


def headline(
    current: dict[str, Counts], previous: Meeting | None, exceptions: Exceptions | None = None
) -> str:
    """The sentence a paper opens with, worded as the papers word it (square brackets
    included), then what else is new."""
    n, national, force = (current[scope].outstanding for scope in SCOPES)
    greens, reds, closed = (current["all"][k] for k in (NEW_GREEN, NEW_RED, "CLOSED"))
    since = f" since the previous report on {long_date(previous.on)}" if previous else ""
    text = (
        f"There {_are(n)} currently {_plural(n, 'outstanding recommendation')} "
        f"[{national} national and {force} force]. "
        f"There {_are(greens)} {_plural(greens, 'new green')} to report{since}."
    )
    if reds:
        text += f" There {_are(reds)} {_plural(reds, 'new red')}."
    if closed:
        text += f" {_plural(closed, 'recommendation')} {'was' if closed == 1 else 'were'} closed."
    if exceptions is not None and (claimed := len(exceptions.claimed)):
        text += f" There {_are(claimed)} {_plural(claimed, 'recommendation')} awaiting sign-off."
    if exceptions is not None and (asked := len(exceptions.requested_extensions)):
        text += (
            f" There {_are(asked)} {_plural(asked, 'extension request')} for the committee "
            "to grant."
        )
    return text


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def exceptions_at(position: Position) -> Exceptions:
    """Worked out from each item's columns (:data:`projections.recorded.Row`); whole
    states are read only for the items extended since the meeting before."""
    assert position.on is not None
    day, before = position.on, position.before
    since = before.isoformat() if before else ""
    overdue, slippage, extended, pending = [], [], [], []
    for row in position.rows():
        late, slipped, was_extended = row_exceptions(row, day, since)
        waiting = row_pending(row)
        if waiting is not None:
            pending.append(waiting)
        if late is not None:
            overdue.append(late)
        if slipped is not None:
            slippage.append(slipped)
        if was_extended:
            extended.append(row[0])
    overdue.sort(key=Overdue.order)
    slippage.sort(key=Slippage.order)
    pending.sort(key=PendingSignOff.order)
    extensions = extensions_of(position.recorded, day, before, extended)
    return Exceptions(overdue, extensions, slippage, pending)


def extensions_of(
    recorded: Recorded, day: date, before: date | None, keys: list[str]
) -> list[Extension]:
    """The extensions of these items granted since the meeting before (all of them when
    there was none), by day granted, then in the papers' order of items."""
    extensions = []
    for key, state in recorded.whole_states(day, keys).items():
        for extension in state.extensions:
            if before is None or extension.on > before:
                extensions.append(Extension(key, extension.on, extension.previous_due,
                                            extension.due, extension.reason, extension.actor))  # fmt: skip
    extensions.sort(key=lambda e: (e.on, item_order(e.key)))
    return extensions


# The appendix --------------------------------------------------------------------------


@dataclass(frozen=True)
class AppendixItem(Record):
    key: str
    ref: str
    kind: str
    text: str
    status: str
    due: date | None
    due_history: list[date]
    due_written: str
    overdue: bool
    owner: str | None
    lead: str | None
    comment: str | None
    #: The request awaiting sign-off, as boards print it.
    pending: dict[str, Any] | None = None


@dataclass(frozen=True)
class AppendixReport:
    report: ReportFacts
    description: str
    sentence: str
    tally: dict[str, int]
    items: list[AppendixItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **report_json(self.report),
            "inspectorates": list(self.report.inspectorates),
            "makes": self.report.makes,
            "description": self.description,
            "sentence": self.sentence,
            **self.tally,
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True)
class Appendix(MeetingPaper):
    reports: list[AppendixReport]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.heading_json(),
            "definitions": [{"status": s, "definition": d} for s, d in DEFINITIONS],
            "reports": [report.to_json() for report in self.reports],
        }


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KIND_WORDS = {
    "recommendation": "Recommendation",
    "afi": "Area for improvement",
    "concern": "Cause of concern",
}


def appendix_of(recorded: Recorded, committee: str, meeting: date) -> Appendix:
    """Per report: what it is, how many of its items are done, and every item not
    already reported GREEN or CLOSED, marked NEW GREEN / NEW RED against the meeting
    before."""
    heading = MeetingPaper.heading(recorded, committee, meeting)
    this, previous = heading["meeting"], heading["previous_meeting"]
    position = Position.at(recorded, this.on, _day(previous))
    by_report: dict[str, list[str]] = {}
    for key, state in position.states.items():
        by_report.setdefault(state.report, []).append(key)

    reports = []
    for report in sorted(recorded.reports.values(), key=paper_order):
        if report.published > this.on:
            continue
        streams = by_report.get(report.code, [])
        new_report = previous is None or report.published > previous.on
        shown = [s for s in streams if position.marks[s]]
        if not shown and not new_report:
            continue
        states = [position.states[s] for s in streams]
        tally, sentence = count_sentence(report, states)
        items = [
            _appendix_item(position, s, report, this.on)
            for s in sorted(shown, key=lambda s: ref_order(position.states[s].ref))
        ]
        reports.append(AppendixReport(report, describe_report(report), sentence, tally, items))
    return Appendix(**heading, reports=reports)


def _appendix_item(position: Position, key: str, report: ReportFacts, day: date) -> AppendixItem:
    state = position.states[key]
    history = due_history(state)
    return AppendixItem(
        key=state.key,
        ref=state.ref,
        kind=KIND_WORDS[state.kind.value],
        text=state.text,
        status=printed_status(position.marks[key]),
        due=state.due,
        due_history=history,
        due_written=written_due(state, report.published),
        overdue=state.overdue_as_at(day),
        owner=state.owner,
        lead=state.lead,
        comment=state.comment,
        pending=state.pending.to_json(state.key) if state.pending else None,
    )


def describe_report(report: ReportFacts) -> str:
    """ "A national report by HMICFRS published October 2019"."""
    by = f" by {' and '.join(report.inspectorates)}" if report.inspectorates else ""
    published = f"{report.published.strftime('%B')} {report.published.year}"
    return f"A {report.scope} report{by} published {published}"


def count_sentence(report: ReportFacts, states: list[ItemView]) -> tuple[dict[str, int], str]:
    """ "This report makes 6 recommendations, 4 for the force: 1 complete and 3 in
    progress". WHITE items are not the force's to deliver."""
    statuses = Counter(state.status for state in states)
    complete = statuses[Status.GREEN]
    closed = statuses[Status.CLOSED]
    in_progress = statuses[Status.AMBER] + statuses[Status.RED] + statuses[None]
    for_force = complete + in_progress + closed
    tally = {
        "tracked": len(states),
        "for_force": for_force,
        "complete": complete,
        "in_progress": in_progress,
        "closed": closed,
    }
    if not states:
        if report.makes is None:
            return tally, "None of this report's recommendations is on the tracker."
        return tally, (
            f"This report makes {_plural(report.makes, 'recommendation')}; "
            "none is on the tracker for the force."
        )
    if report.makes is not None:
        opening = f"This report makes {_plural(report.makes, 'recommendation')}"
    else:
        opening = f"This report has {_plural(len(states), 'item')} on the tracker"
    if not for_force:
        return tally, f"{opening}, none for the force."
    parts = [f"{complete} complete", f"{in_progress} in progress"]
    if closed:
        parts.append(f"{closed} closed")
    return tally, f"{opening}, {for_force} for the force: {_and(parts)}."


def _and(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


def due_history(state: ItemView) -> list[date]:
    """Every due date the item has had, the original first."""
    dates = [state.original_due] if state.original_due else []
    return dates + [extension.due for extension in state.extensions]


def written_due(state: ItemView, published: date) -> str:
    """The due date as a paper prints it, with its history: "October 2018 Now January
    2020". The item's own wording is kept while it still describes the dates, unless it
    is a bare ISO date, which papers print in words."""
    history = due_history(state)
    if state.due_text and not ISO_DATE.fullmatch(state.due_text.strip()):
        written = parse_due(state.due_text, published).dates
        if list(written) == history[: len(written)]:
            later = [paper_date(d) for d in history[len(written) :]]
            return " Now ".join([state.due_text, *later])
    return " Now ".join(paper_date(d) for d in history)


# The chart -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingTotals:
    meeting: Meeting
    counts: Counts

    def to_json(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting.on.isoformat(),
            "paper": self.meeting.paper,
            **self.counts.to_json(),
        }


def outstanding_by_meeting(recorded: Recorded, committee: str, up_to: date) -> list[MeetingTotals]:
    """The current column's totals of every meeting of the committee up to ``up_to``."""
    record = recorded.committee(committee)
    series = []
    before: date | None = None
    for meeting in record.sorted_meetings():
        if meeting.on > up_to:
            break
        series.append(MeetingTotals(meeting, Position.at(recorded, meeting.on, before).counts()))
        before = meeting.on
    return series


# The whole paper -----------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    """Everything a committee paper prints, from one reading of the ledger."""

    summary: Summary
    appendix: Appendix
    series: list[MeetingTotals]

    def headed(self, *, known_at: datetime | None, digest: str | None) -> Paper:
        """The same paper headed as read as known at ``known_at`` from the history up to
        ``digest`` (an issued paper, rendered again from the history it was issued from)."""
        return replace(
            self,
            summary=replace(self.summary, known_at=known_at, digest=digest),
            appendix=replace(self.appendix, known_at=known_at, digest=digest),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary.to_json(),
            "appendix": self.appendix.to_json(),
            "outstanding_by_meeting": [totals.to_json() for totals in self.series],
        }


def paper_of(recorded: Recorded, committee: str, meeting: date) -> Paper:
    return Paper(
        summary=summary_of(recorded, committee, meeting),
        appendix=appendix_of(recorded, committee, meeting),
        series=outstanding_by_meeting(recorded, committee, meeting),
    )
