"""What the paper's tables, its HTML page and its Word document print alike: a cell of
counts, a request's evidence, a status with what awaits sign-off, an event that restated
an item, and the RAGW colours."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ledger.formats import iso_utc
from ledger.state import asks_for
from projections.committee.counts import COUNT_KEYS, NEW_GREEN, NEW_RED
from projections.exceptions import NOT_ASSESSED
from projections.log import describe

if TYPE_CHECKING:
    from projections.committee import Counts
    from projections.log import EventRecord

#: What XML (so Word and Excel) cannot hold: C0 controls but tab, line feed and return,
#: lone surrogates, and the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` as a Word or Excel file can hold it. ragw refuses such characters when
    text is recorded, but a ledger written before it did may hold them: a vertical tab or
    form feed (Word's line and page breaks) becomes a line break, anything else U+FFFD,
    so one stray byte never stops a paper or a sheet from being written."""
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "\ufffd", text)


#: The RAGW colours (hex RGB) of the statuses a ledger records: what sheets shade.
STATUS_FILLS = {
    "GREEN": "A8D5BA",
    "AMBER": "FFD27F",
    "RED": "F4A09A",
    "WHITE": "FFFFFF",
    "CLOSED": "D9D9D9",
}
#: Every word a paper prints in a status cell: new greens and reds in their colour, the
#: not yet assessed in the grey of the closed.
FILLS = {
    **STATUS_FILLS,
    NEW_GREEN: STATUS_FILLS["GREEN"],
    NEW_RED: STATUS_FILLS["RED"],
    NOT_ASSESSED: STATUS_FILLS["CLOSED"],
}

#: A summary cell's statuses, in the order it prints them.
CELL_ORDER = (NEW_GREEN, "AMBER", "RED", NEW_RED, "WHITE", "CLOSED", NOT_ASSESSED)


def cell_lines(counts: Counts) -> list[tuple[str, int]]:
    """(status, count) pairs as a summary cell prints them, RED without its new ones."""
    shown = {**counts, "RED": counts["RED"] - counts[NEW_RED]}
    return [(k, shown[k]) for k in CELL_ORDER if shown.get(k)]


def cell(counts: Counts) -> str:
    """Counts as a paper prints them in one cell: "2 NEW GREEN", "5 AMBER", "1 NEW RED",
    a line each."""
    return "\n".join(f"{n} {status}" for status, n in cell_lines(counts))


def total_keys(totals: dict[str, dict[str, Counts]]) -> list[str]:
    """The rows of a totals table before its outstanding one: NOT ASSESSED only when
    some column has any."""
    keys = list(COUNT_KEYS[:-1])
    if any(t[s][NOT_ASSESSED] for t in totals.values() for s in t):
        keys.append(NOT_ASSESSED)
    return keys


def evidence_text(pending: dict[str, Any]) -> str:
    """A request's evidence, then its links."""
    return "\n".join([pending["evidence"], *pending["links"]])


def status_with_pending(status: str, pending: dict[str, Any] | None, between: str = " ") -> str:
    """ "AMBER (GREEN pending sign-off)"; ``between`` the status and the brackets."""
    if pending is None:
        return status
    return f"{status}{between}({asks_for(pending['request'], pending['due'])} pending sign-off)"


def restating_event(record: EventRecord) -> str:
    """An event that restated an item, as the paper lists it: what it says, the day it
    took effect, when it was recorded and by whom."""
    return (
        f"{record.id} {record.type} on {record.on.isoformat()}: {describe(record)}; "
        f"recorded {iso_utc(record.recorded_at)} by {record.by}"
    )
