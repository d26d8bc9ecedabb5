"""National reports issued to the forces, and verdicts given and listed: the writes of
the national register, as every front end asks for them.

Issuing runs in an inspectorate's ledger and records, in each force's own ledger, what
that force lacks of the inspectorate's national reports: one transaction a force, so a
run stopped midway has recorded whole forces only, and run again completes the rest
(each force takes only what it still lacks). A force whose ledger cannot be read takes
nothing and stops no other: it is said, and the issue goes on to the rest. A force may
take them itself too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from ledger.errors import LedgerUnreadableError, NotFoundError, RuleBrokenError
from ledger.national import GIVES_VERDICTS, RECEIVES
from ledger.storage.organisation import check_org
from projections.usecases.national import Member, members_of

if TYPE_CHECKING:
    from ledger.aggregates import GivenVerdict
    from ledger.application import Ledger
    from projections.usecases.session import LedgerSession

#: A ref's runs of digits, compared as numbers.
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Received:
    """What one organisation's ledger recorded of another's national reports (nothing:
    it held everything already)."""

    org: str
    source: str
    recorded: list[str]
    #: The codes of national reports not received: the organisation holds a report of
    #: its own under each.
    clashes: list[str] = field(default_factory=list)
    #: Why nothing was received, when the organisation's ledger cannot be read.
    unreadable: LedgerUnreadableError | None = None


def _ledger_of_kind(session: LedgerSession, kind: str, doing: str) -> Ledger:
    """The session's ledger, refused unless it is the ledger of an organisation of
    ``kind``."""
    ledger = session.ledger(write=False)
    if ledger.kind() != kind:
        raise RuleBrokenError(
            "{doing} is for the ledger of an organisation of kind {kind}; {this} is not one",
            doing=doing,
            kind=kind,
            this=ledger.identity_text(),
        )
    return ledger


def _named(members: list[Member], codes: Iterable[str], kind: str) -> list[Member]:
    """The members ``codes`` name (each once, as the register keeps it), refused when one
    is not in the register or not of ``kind``; every member of ``kind`` when none."""
    wanted = [check_org(code) for code in codes]
    if not wanted:
        return [m for m in members if m.kind == kind]
    by_code = {m.code: m for m in members}
    found: list[Member] = []
    for code in dict.fromkeys(wanted):
        member = by_code.get(code)
        if member is None:
            raise NotFoundError(
                "the register holds no organisation {code}; nothing was recorded", code=code
            )
        if member.kind != kind:
            raise RuleBrokenError(
                "organisation {code} is of kind {held}, not {kind}; nothing was recorded",
                code=code,
                held=member.kind,
                kind=kind,
            )
        found.append(member)
    return found


def issue_national(
    session: LedgerSession,
    register: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    *,
    to: Iterable[str] = (),
    on: date | None = None,
) -> Iterator[Received]:
    """Record in each force of the register (or those ``to`` names) every national
    report of ``session``'s inspectorate that it lacks, with its items addressed to
    forces: one force at a time, each in one transaction, yielded as it is recorded.
    Every named force is checked against the register before anything is recorded. A
    force whose own ledger cannot be read is yielded with why, nothing recorded in it,
    and the issue goes on to the next."""
    source = _ledger_of_kind(session, GIVES_VERDICTS, "issuing national reports")
    forces = _named(members_of(register), to, RECEIVES)
    actor = session.actor
    assert source.org is not None  # an inspectorate's ledger is an organisation's
    for force in forces:
        opened = open_org(force.code)
        try:
            ledger = opened.ledger(write=True)
            clashes: list[str] = []
            try:
                recorded = ledger.receive_national(source, actor=actor, on=on, clashes=clashes)
            except LedgerUnreadableError as error:
                if error.org != force.code:  # the inspectorate's own: nothing can be issued
                    raise
                yield Received(force.code, source.org, [], unreadable=error)
            else:
                yield Received(force.code, source.org, recorded, clashes)
        finally:
            opened.close()


def receive_national(
    session: LedgerSession,
    register: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    *,
    sources: Iterable[str] = (),
    on: date | None = None,
) -> Iterator[Received]:
    """Record in ``session``'s force's ledger every national report it lacks of each
    inspectorate of the register (or those ``sources`` names), one inspectorate at a
    time, each in one transaction."""
    ledger = _ledger_of_kind(session, RECEIVES, "receiving national reports")
    inspectorates = _named(members_of(register), sources, GIVES_VERDICTS)
    actor = session.actor
    assert ledger.org is not None
    for inspectorate in inspectorates:
        opened = open_org(inspectorate.code)
        try:
            source = opened.ledger(write=False)
            clashes: list[str] = []
            recorded = ledger.receive_national(
                source, actor=actor, on=on, clashes=clashes, by_force=True
            )
            yield Received(ledger.org, inspectorate.code, recorded, clashes)
        finally:
            opened.close()


def give_verdict(
    session: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    org: str,
    key: str,
    verdict: str,
    *,
    reason: str,
    on: date | None = None,
) -> list[str]:
    """Record ``session``'s inspectorate's ``verdict`` on organisation ``org``'s item
    ``key`` (read from ``org``'s own ledger, which must hold it)."""
    ledger = _ledger_of_kind(session, GIVES_VERDICTS, "giving a verdict")
    code = check_org(org)
    actor = session.actor
    holder = open_org(code)
    try:
        return ledger.give_verdict(
            holder.ledger(write=False), key, verdict, reason=reason, actor=actor, on=on
        )
    finally:
        holder.close()


def verdicts_on(
    session: LedgerSession,
    org: str,
    *,
    as_at: date = date.max,
    known_at: datetime | None = None,
) -> list[GivenVerdict]:
    """``session``'s inspectorate's verdict in effect on each of organisation ``org``'s
    items on ``as_at`` (of those recorded by ``known_at``), by item key."""
    ledger = _ledger_of_kind(session, GIVES_VERDICTS, "listing verdicts")
    given = ledger.verdicts(check_org(org), as_at=as_at, known_at=known_at)
    return [given[key] for key in sorted(given, key=_key_order)]


def _key_order(key: str) -> tuple[str, list[tuple[int, str]]]:
    """Keys by report, then by ref as the report numbers them ("2" before "10")."""
    code, _, ref = key.partition("/")
    return code, [(int(p), "") if p.isdigit() else (-1, p) for p in _DIGITS.split(ref) if p]
