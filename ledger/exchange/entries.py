"""A tracker's rows read one at a time as the ledger's values, each checked on its own.

Cells are read as Excel holds them (:mod:`ledger.exchange.values`): dates as date cells
or UK text, refs saved as numbers, statuses, kinds and scopes in any case and spacing. A
row whose report code is empty takes the code of the report its title names, when one
report alone has that title among the rows above it and the reports in the ledger. A
file without a report code or kind column has them derived from each row's title and
ref (:mod:`ledger.exchange.derived`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from events import Kind, Scope, Status
from ledger.due import Due, parse_due
from ledger.errors import InvalidInputError, LedgerError, RuleBrokenError
from ledger.exchange.derived import codes_for, kind_of_ref, title_key
from ledger.exchange.tracker import TrackerRow
from ledger.exchange.values import read_day, read_ref, whole_day
from ledger.inputs import (
    clean_inspectorates,
    clean_text,
    parse_kind,
    parse_scope,
    parse_status,
)
from ledger.keys import check_code, check_ref

NEEDS_REASON = (Status.RED, Status.WHITE, Status.CLOSED)

#: Checks the day a row takes effect: ``(on, not_before=..., since=...)`` -> the day.
CheckOn = Callable[..., date]


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
    #: Whether the kind was read from the ref (the file has no kind column).
    kind_from_ref: bool = False

    @property
    def key(self) -> str:
        return f"{self.code}/{self.ref}"


def read_entry(row: TrackerRow, *, default_on: date | None, check_on: CheckOn) -> TrackerEntry:
    """``row`` as the ledger's values; refused naming the first cell that is wrong."""
    if "report_code" in row.absent:
        _required(row, "report")  # the code comes from the title
    code = check_code(_required(row, "report_code"))
    published = read_day(_required(row, "published"), "published")
    on_text = row.get("on")
    on = read_day(on_text, "on") if on_text else default_on
    on = check_on(on, not_before=published, since=f"{code} was published")
    status_text = row.get("status")
    status = parse_status(status_text) if status_text else None
    explicit = clean_text(row.get("reason"), "reason", required=False)
    comment = clean_text(row.get("comment"), "comment", required=False)
    reason = explicit or comment
    if status in NEEDS_REASON and not reason:
        raise RuleBrokenError(
            f"{status.value} needs a reason: fill in the reason (or comment) column"  # type: ignore[union-attr]
        )
    inspectorates = tuple(clean_inspectorates(row.get("inspectorate").split(";")))
    ref = read_ref(_required(row, "ref"))
    if "kind" in row.absent:
        kind, ref = kind_of_ref(ref)
    else:
        kind = parse_kind(_required(row, "kind"))
    return TrackerEntry(
        line=row.line,
        on=on,
        code=code,
        title=clean_text(_required(row, "report"), "report", required=True) or "",
        scope=parse_scope(_required(row, "scope")),
        published=published,
        inspectorates=inspectorates,
        ref=check_ref(ref),
        kind=kind,
        text=clean_text(_required(row, "text"), "text", required=True) or "",
        status=status,
        reason=reason,
        explicit_reason=explicit,
        due=_due(row.get("due"), published),
        comment=comment,
        owner=clean_text(row.get("owner"), "owner", required=False),
        lead=clean_text(row.get("lead"), "lead", required=False),
        kind_from_ref="kind" in row.absent,
    )


def with_codes(
    rows: Iterable[TrackerRow], known: Callable[[], dict[str, set[str]]]
) -> tuple[list[TrackerRow], list[tuple[int, LedgerError | str]]]:
    """``rows``, a row without a report code given the code of the one report its title
    names among the rows above it and the reports ``known`` (titles by
    :func:`title_key`, read when first needed); and the rows whose title names several
    reports. A row whose title names none is left as it is (its empty code is refused).
    Of a file without a report code column, every row's code is found or derived from
    its title (:func:`~ledger.exchange.derived.codes_for`)."""
    rows = list(rows)
    if any("report_code" in row.absent for row in rows):
        return _derived_codes(rows, known())
    seen: dict[str, set[str]] = {}
    ledger: dict[str, set[str]] | None = None
    filled: list[TrackerRow] = []
    problems: list[tuple[int, LedgerError | str]] = []
    for row in rows:
        code, title = row.get("report_code"), title_key(row.get("report"))
        if code and title:
            seen.setdefault(title, set()).add(code)
        elif title and not code:
            if ledger is None:
                ledger = known()
            codes = seen.get(title, set()) | ledger.get(title, set())
            if len(codes) == 1:
                row = replace(row, cells={**row.cells, "report_code": next(iter(codes))})
            elif codes:
                problems.append(
                    (
                        row.line,
                        InvalidInputError(
                            "the report code is empty and the title {title} names the reports "
                            "{codes}; fill in the code",
                            title=repr(row.get("report")),
                            codes=", ".join(sorted(codes)),
                        ),
                    )
                )
                continue
        filled.append(row)
    return filled, problems


def _derived_codes(
    rows: list[TrackerRow], ledger: dict[str, set[str]]
) -> tuple[list[TrackerRow], list[tuple[int, LedgerError | str]]]:
    codes, several = codes_for((row.get("report") for row in rows), ledger)
    filled: list[TrackerRow] = []
    problems: list[tuple[int, LedgerError | str]] = []
    for row in rows:
        key = title_key(row.get("report"))
        if key in several:
            problems.append(
                (
                    row.line,
                    InvalidInputError(
                        "the title {title} names the reports {codes} in the ledger; add a "
                        "report code column that says which",
                        title=repr(row.get("report")),
                        codes=", ".join(sorted(several[key])),
                    ),
                )
            )
            continue
        if key:
            row = replace(row, cells={**row.cells, "report_code": codes[key]})
        filled.append(row)
    return filled, problems


@lru_cache(maxsize=4096)
def _due(text: str, published: date) -> Due:
    """:func:`parse_due`, once for each due date as written of each publication date:
    a tracker repeats them row after row (a :class:`Due` is never changed). A cell that
    is one whole day as Excel writes it in the UK (``15-Nov-19``, ``15/11/19``) is that
    day, before the forms papers use (where ``Nov-19`` alone is a month)."""
    day = whole_day(text, "due date")
    if day is not None:
        return Due(text=" ".join(text.split()), dates=(day,))
    return parse_due(text, published)


def _required(row: TrackerRow, column: str) -> str:
    value = row.get(column)
    if not value:
        raise RuleBrokenError("the {column} column is empty; every row needs it", column=column)
    return value
