"""A board's rows as HTML, made in one pass: a national board runs to thousands of rows,
and a template's per-row calls cost more than the read. Every value from the ledger is
escaped here, as the templates escape theirs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup

from ledger.state import asks_for
from projections.rows import status_word

if TYPE_CHECKING:
    from projections.board import BoardItem
    from projections.usecases.verdicts import Shown

#: How much of a recommendation's text a row shows; its page shows it whole.
SHOWN = 160
ROW = (
    '<tr data-key="{key}"><th scope="row"><a href="{href}">{key}</a></th><td>{kind}</td>'
    '<td class="status status-{style}">{status}</td><td class="nowrap">{due}</td>'
    '<td>{overdue}</td><td>{owner}</td><td>{asked}</td><td class="text">{text}</td></tr>\n'
)


def item_path(report: str, ref: str) -> str:
    """The address of an item's page."""
    return f"/items/{quote(report, safe='')}/{quote(ref, safe='')}"


def shortened(text: str) -> str:
    """``text`` cut at a word near :data:`SHOWN` characters."""
    if len(text) <= SHOWN:
        return text
    return text[: SHOWN - 3].rsplit(" ", 1)[0] + "..."


def said_apart(item: BoardItem) -> str:
    """What a row says before an item's text when the item is no outstanding work of the
    force: not addressed to it (why, since when), or superseded by a later item."""
    notes = []
    if item.not_for_the_force is not None:
        said = item.not_for_the_force
        notes.append(f"Not for the force since {said['on']}: {said['reason']}.")
    if item.superseded_by:
        notes.append(f"Superseded by {item.superseded_by}.")
    return "".join(f'<span class="apart">{escape(note)}</span> ' for note in notes)


def verdict_said(shown: Shown | None) -> str:
    """The inspectorate's verdict on an item, before its text: beside the force's own
    status, never instead of it."""
    if shown is None:
        return ""
    said = f"Verdict of {shown.by} from {shown.given.on.isoformat()}: {shown.given.verdict.value}."
    return f'<span class="verdict">{escape(said)}</span> '


def board_rows(items: Iterable[BoardItem], verdicts: Mapping[str, Shown] | None = None) -> Markup:
    """One ``<tr data-key>`` per item: its link, kind, status (as a word, and a colour),
    due date, OVERDUE, owner, what awaits sign-off, and its text (after what sets it apart
    from the force's outstanding work, as the command line's board says in columns, and
    the inspectorate's verdict on it)."""
    rows = []
    given = verdicts or {}
    for item in items:
        word = status_word(item.status)
        pending = item.pending
        asked = ""
        if pending:
            asked = f"{asks_for(pending['request'], pending['due'])} (since {pending['on']})"
        rows.append(
            ROW.format(
                key=escape(item.key),
                href=escape(item_path(item.report, item.ref)),
                kind=escape(item.kind),
                style=escape(word.replace(" ", "-")),
                status=escape(word),
                due=item.due.isoformat() if item.due else "",
                overdue="<strong>OVERDUE</strong>" if item.overdue else "",
                owner=escape(item.owner or ""),
                asked=escape(asked),
                text=said_apart(item)
                + verdict_said(given.get(item.key))
                + escape(shortened(item.text)),
            )
        )
    return Markup("".join(rows))  # every value in it was escaped above
