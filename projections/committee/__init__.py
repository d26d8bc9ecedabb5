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

Its parts: ``counts`` (the marks and what is counted), ``meeting`` (the heading every
part shares), ``summary``, ``appendix``, ``wording`` (the paper's English), ``chart``
(the series of outstanding items by meeting) and ``paper`` (the whole paper).
"""

from __future__ import annotations

from projections.committee.appendix import (
    Appendix,
    AppendixItem,
    AppendixReport,
    appendix_of,
)
from projections.committee.chart import MeetingTotals, outstanding_by_meeting
from projections.committee.counts import (
    COUNT_KEYS,
    MARKS,
    NEW_GREEN,
    NEW_RED,
    OUTSTANDING,
    REPORTED,
    REPORTED_WORDS,
    SCOPES,
    Counts,
    Position,
    marks_of,
    printed_status,
)
from projections.committee.meeting import MeetingPaper, Record, day_of, report_json
from projections.committee.paper import Paper, paper_of
from projections.committee.summary import (
    Exceptions,
    Summary,
    SummaryRow,
    exceptions_at,
    extensions_of,
    summary_of,
)
from projections.committee.wording import (
    DEFINITIONS,
    ISO_DATE,
    KIND_WORDS,
    count_sentence,
    describe_report,
    due_history,
    headline,
    long_date,
    written_due,
)
from projections.exceptions import NOT_ASSESSED

__all__ = [
    "COUNT_KEYS",
    "DEFINITIONS",
    "ISO_DATE",
    "KIND_WORDS",
    "MARKS",
    "NEW_GREEN",
    "NEW_RED",
    "NOT_ASSESSED",
    "OUTSTANDING",
    "REPORTED",
    "REPORTED_WORDS",
    "SCOPES",
    "Appendix",
    "AppendixItem",
    "AppendixReport",
    "Counts",
    "Exceptions",
    "MeetingPaper",
    "MeetingTotals",
    "Paper",
    "Position",
    "Record",
    "Summary",
    "SummaryRow",
    "appendix_of",
    "count_sentence",
    "day_of",
    "describe_report",
    "due_history",
    "exceptions_at",
    "extensions_of",
    "headline",
    "long_date",
    "marks_of",
    "outstanding_by_meeting",
    "paper_of",
    "printed_status",
    "report_json",
    "summary_of",
    "written_due",
]
