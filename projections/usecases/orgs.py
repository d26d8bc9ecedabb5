"""Organisations of a shared store: adding one (to its own ledger first, then to the
register) and listing the register.

The register is the store's single ledger, whose governance adds organisations; an
organisation's addition is also the first event of its own ledger, so each knows who it
is and what kind of body it is from its own chain. Adding is done in that order, and
run again after a failure midway it completes what is missing: the organisation's own
event when its ledger lacks it, the register's when the register does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.aggregates.organisation import organisation_name
from ledger.errors import RuleBrokenError
from ledger.formats import iso_utc
from ledger.storage.organisation import check_kind, check_org

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Listed:
    """An organisation as the register holds it."""

    code: str
    name: str
    kind: str
    added: date
    recorded_at: datetime
    actor: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "added": self.added.isoformat(),
            "recorded_at": iso_utc(self.recorded_at),
            "actor": self.actor,
        }


@dataclass(frozen=True)
class Added:
    """What adding an organisation recorded: in its own ledger (nothing when it held
    its event already, from a run that stopped midway), then in the register."""

    code: str
    own: list[str] = field(default_factory=list)
    register: list[str] = field(default_factory=list)


def _register(session: LedgerSession, *, write: bool) -> Ledger:
    ledger = session.ledger(write=write)
    if ledger.org is not None:
        raise RuleBrokenError(
            "the register of organisations is the store's own ledger, kept for no "
            "organisation; this is organisation {org}'s ledger",
            org=ledger.org,
        )
    return ledger


def organisations(session: LedgerSession) -> list[Listed]:
    """Every organisation in the register, in the order added."""
    return [
        Listed(e.code, e.name, e.kind, e.on, e.timestamp, e.actor)
        for e in _register(session, write=False).organisations()
    ]


def add_organisation(
    session: LedgerSession,
    code: str,
    *,
    name: str,
    kind: str,
    open_own: Callable[[str], Ledger],
) -> Added:
    """Add organisation ``code`` to the store: its own ledger (``open_own(code)`` opens
    it, creating its schema or tables) with its identity as the first event, then the
    register's event. Refused, before anything is recorded, by the register's rules (its
    governance adds organisations; a code once), or when the organisation's ledger names
    it otherwise (another name or kind) or holds events without its identity."""
    check_org(code), check_kind(kind), organisation_name(name)  # refused before opening
    register = _register(session, write=True)
    actor = session.actor
    written, named, kinds = register.addable(code, name=name, kind=kind, actor=actor)
    own = open_own(written)
    try:
        identity = own.identity()
        if identity is None:
            recorded = own.add_organisation(written, name=named, kind=kinds, actor=actor)
        elif (identity.name, identity.kind) != (named, kinds):
            raise RuleBrokenError(
                "organisation {code}'s own ledger names it {held} already; add it again with "
                "that name and kind to complete its addition",
                code=written,
                held=identity.describe(),
            )
        else:
            recorded = []
    finally:
        own.close()
    return Added(
        written,
        recorded,
        register.add_organisation(written, name=named, kind=kinds, actor=actor),
    )
