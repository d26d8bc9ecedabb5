"""The inspectorate's verdicts on an organisation's own items, read for its own views
(board, history, paper): from the ledger of each inspectorate in the store's register,
where the organisation cannot write, beside its own status and never instead of it.

A login that may read its own organisation's ledger alone (on PostgreSQL after
``ragw admin init-roles``) cannot read an inspectorate's: its views then show its own
statuses without verdicts, and say which ledgers could not be read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from ledger.aggregates.verdicts import prevails
from ledger.national import GIVES_VERDICTS
from ledger.storage.settings import refused_by_the_server
from projections.usecases.national import members_of

if TYPE_CHECKING:
    from ledger.aggregates import GivenVerdict
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Shown:
    """A verdict as an organisation's views show it: which inspectorate gave it."""

    by: str
    given: GivenVerdict

    def to_json(self) -> dict[str, str]:
        return {
            "verdict": self.given.verdict.value,
            "by": self.by,
            "on": self.given.on.isoformat(),
            "reason": self.given.reason,
        }

    def cell(self) -> str:
        """``accepted (HMICFRS, 2026-11-30)``: a board's cell."""
        return f"{self.given.verdict.value} ({self.by}, {self.given.on.isoformat()})"


@dataclass(frozen=True)
class OwnVerdicts:
    """The verdicts in effect on an organisation's items, by key; ``unread``: the
    ledgers (an inspectorate's, or the register) this login may not read."""

    by_key: dict[str, Shown] = field(default_factory=dict)
    unread: tuple[str, ...] = ()


def own_verdicts(
    session: LedgerSession,
    open_org: Callable[[str | None], LedgerSession],
    *,
    as_at: date = date.max,
    as_known_at: datetime | None = None,
) -> OwnVerdicts:
    """The verdicts every inspectorate of the store gave on ``session``'s organisation's
    items, in effect on ``as_at`` as known at ``as_known_at``; none for the single
    ledger or an inspectorate's own."""
    org = session.org
    if org is None or session.ledger(write=False).kind() in (None, GIVES_VERDICTS):
        return OwnVerdicts()
    try:
        members = members_of(open_org(None), as_known_at)
    except Exception as error:
        if not refused_by_the_server(error):
            raise
        return OwnVerdicts(unread=("the register",))
    found: dict[str, Shown] = {}
    unread: list[str] = []
    for member in members:
        if member.kind != GIVES_VERDICTS:
            continue
        try:
            given = (
                open_org(member.code)
                .ledger(write=False)
                .verdicts(org, as_at=as_at, known_at=as_known_at)
            )
        except Exception as error:
            if not refused_by_the_server(error):
                raise
            unread.append(member.code)
            continue
        for key, verdict in given.items():
            shown = found.get(key)
            if prevails(verdict, shown.given if shown is not None else None):
                found[key] = Shown(member.code, verdict)
    return OwnVerdicts(found, tuple(unread))
