"""What a public paper may say of a restricted report: its title and its counts only.

One rule for every section of the paper, applied to the paper once it is built (so a
section added later is covered without knowing of it): every free-text value of an item
of a restricted report (its text, comments, reasons, evidence, links, lead, owner, the
due date as written, the descriptions of its events) and the report's own description
is replaced by :data:`WITHHELD`. What identifies and counts the items (keys, refs,
kinds, statuses, dates, numbers, who recorded what, the papers an event changed) is kept:
the committee sees how many are outstanding, and an auditor who did what and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from projections.rows import ReportFacts

if TYPE_CHECKING:
    from projections.recorded import Recorded

T = TypeVar("T")

#: What a public paper prints instead of any free text of a restricted report.
WITHHELD = "(withheld: the report is restricted)"

#: The banner of a paper that shows restricted reports in full.
NOT_FOR_PUBLICATION = "Includes restricted material: not for publication"

#: Text fields that identify, order or count an item rather than say anything about it.
KEPT = frozenset(
    {
        "key",
        "ref",
        "kind",
        "status",
        "report",
        "code",
        "title",
        "scope",
        "id",
        "type",
        "section",
        "committee",
        "actor",
        "corrected_by",
        "corrects",
        "sentence",
        "due",
        "previous_due",
        "original_due",
        "on",
        "published",
        "recorded_at",
        "verdict",
        "given_by",
        # an audit pack's: what a sign-off request asks for, the request an extension
        # signed off, what was decided of it, and the issued papers an entry changed
        "asks",
        "request_id",
        "outcome",
        "papers",
    }
)


#: Rows rendered ahead (kept by the read model) that cannot be withheld field by field:
#: left out, so the paper renders them again from its withheld rows.
RENDERED = frozenset({"lines"})


def restricted_codes(recorded: Recorded) -> frozenset[str]:
    """The codes of the reports the ledger holds as restricted."""
    return frozenset(code for code, report in recorded.reports.items() if report.restricted)


def withheld(document: T, recorded: Recorded, *, include_restricted: bool = False) -> T:
    """``document`` (a paper, a summary, an appendix or any part of one) as a public
    paper may print it: nothing but titles and counts of restricted reports, unless
    ``include_restricted`` (a paper for the committee alone)."""
    if include_restricted:
        return document
    return withheld_of(document, restricted_codes(recorded))


def withheld_of(document: T, codes: frozenset[str]) -> T:
    """``document`` with the free text of the items of the reports ``codes`` withheld:
    what leaves ragw for somewhere it does not control (a calendar program's copy of a
    feed) says no more of a restricted report than a public paper does."""
    if not codes:
        return document
    result: T = _walk(document, False, codes)
    return result


def _restricted(value: Any, codes: frozenset[str]) -> bool:
    key = getattr(value, "key", None)
    if isinstance(key, str) and key.partition("/")[0] in codes:
        return True
    for name in ("report", "code"):
        named = getattr(value, name, None)
        if isinstance(named, ReportFacts):
            named = named.code
        if isinstance(named, str) and named in codes:
            return True
    return False


def _field(name: Any, value: Any, secret: bool, codes: frozenset[str]) -> Any:
    if name in KEPT and (isinstance(value, str) or _texts(value)):
        return value
    return _walk(value, secret, codes)


def _texts(value: Any) -> bool:
    """Whether ``value`` is a plain list of texts (the papers an entry changed)."""
    return (
        isinstance(value, (list, tuple))
        and not hasattr(value, "_fields")
        and all(isinstance(v, str) for v in value)
    )


def _walk(value: Any, secret: bool, codes: frozenset[str]) -> Any:
    if isinstance(value, str):
        return WITHHELD if secret else value
    if isinstance(value, ReportFacts):
        # The report's own description: its title (and scope, which its counts are by).
        return replace(value, inspectorates=()) if value.code in codes else value
    if is_dataclass(value) and not isinstance(value, type):
        secret = secret or _restricted(value, codes)
        changes: dict[str, Any] = {}
        for f in fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            if f.name in RENDERED and old is not None:
                changes[f.name] = None
                continue
            new = _field(f.name, old, secret, codes)
            if new is not old:
                changes[f.name] = new
        return replace(value, **changes) if changes else value
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple row
        secret = secret or _restricted(value, codes)
        olds = {name: getattr(value, name) for name in value._fields}
        news = {name: _field(name, old, secret, codes) for name, old in olds.items()}
        changed = {name: new for name, new in news.items() if new is not olds[name]}
        return value._replace(**changed) if changed else value  # type: ignore[attr-defined]
    if isinstance(value, Sequence) and not isinstance(value, (list, tuple)):
        value = list(value)  # rows made on demand: made now, to be read
    if isinstance(value, (list, tuple)):
        items = [_walk(item, secret, codes) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        entries = {k: _field(k, v, secret, codes) for k, v in value.items()}
        if all(entries[k] is v for k, v in value.items()):
            return value
        return type(value)(entries)
    return value
