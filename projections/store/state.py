"""An item's state as a stored span gives it: the columns every paper reads at once,
the rest of the state read and decoded only when asked for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from pydantic import TypeAdapter

from events import Kind, Status
from ledger.state import Extended, ItemState, Pending
from projections.rows import is_overdue

#: The whole state of an item, as ``ragw_spans.state`` keeps it (JSON).
STATE = TypeAdapter(ItemState)
#: Status by its stored word, without an enum look-up per row.
STATUSES = {status.value: status for status in Status}


class StoredState:
    """An item's state as a stored span gives it: the columns every paper reads, and the
    rest of the state (text, extensions, comment…) read and decoded only when asked for."""

    __slots__ = (
        "_full",
        "_load",
        "_span",
        "due",
        "key",
        "last_extended_on",
        "original_due",
        "owner",
        "pending_text",
        "report",
        "status",
        "times_extended",
    )

    def __init__(
        self, row: Sequence[Any], load: Callable[[tuple[str, str, str | None]], str]
    ) -> None:
        key, report, status, due, owner, original, times, extended, pending, *span = row
        self.key: str = key
        self.report: str = report
        self.status = STATUSES[status] if status else None
        self.due = date.fromisoformat(due) if due else None
        self.owner: str | None = owner
        self.original_due = date.fromisoformat(original) if original else None
        self.times_extended: int = times
        self.last_extended_on = date.fromisoformat(extended) if extended else None
        self.pending_text: str | None = pending
        self._span: tuple[str, str, str | None] = (key, *span)  # type: ignore[assignment]
        self._load = load
        self._full: ItemState | None = None

    def full(self) -> ItemState:
        """The whole state, as the fold gives it."""
        if self._full is None:
            self._full = STATE.validate_json(self._load(self._span))
        return self._full

    def overdue_as_at(self, day: date) -> bool:
        return is_overdue(self.due, self.status, day)

    @property
    def ref(self) -> str:
        return self.key.partition("/")[2]

    @property
    def kind(self) -> Kind:
        return self.full().kind

    @property
    def text(self) -> str:
        return self.full().text

    @property
    def lead(self) -> str | None:
        return self.full().lead

    @property
    def due_text(self) -> str | None:
        return self.full().due_text

    @property
    def extensions(self) -> list[Extended]:
        return self.full().extensions

    @property
    def comment(self) -> str | None:
        return self.full().comment

    @property
    def reminded(self) -> date | None:
        return self.full().reminded

    @property
    def to(self) -> tuple[str, ...]:
        return self.full().to

    @property
    def not_for_us(self) -> str | None:
        return self.full().not_for_us

    @property
    def relevance_on(self) -> date | None:
        return self.full().relevance_on

    @property
    def superseded_by(self) -> str | None:
        return self.full().superseded_by

    @property
    def supersedes(self) -> tuple[str, ...]:
        return self.full().supersedes

    @property
    def pending(self) -> Pending | None:
        return self.full().pending if self.pending_text else None
