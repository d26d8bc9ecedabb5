"""The national register, read: every organisation's items beside the inspectorate's
verdict on each, as at any day and as known at any moment.

Each organisation's items come from its own ledger (its own read model, as its board
does), each verdict from the ledger of the inspectorate that gave it; nothing is copied
between them. The national board, the national summary and the public register are
all made from one :func:`national_read`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from ledger.aggregates.verdicts import prevails
from ledger.national import GIVES_VERDICTS
from projections.usecases.board import board

if TYPE_CHECKING:
    from ledger.aggregates import GivenVerdict
    from projections.rows import BoardItem, ReportFacts
    from projections.usecases.session import LedgerSession


#: What closes an organisation's session once it has been read (None: the caller does).
Release = Callable[["LedgerSession"], None] | None


@dataclass(frozen=True)
class Issued:
    """A national report as its issuer's own ledger holds it: whether restricted, and
    the words of each recommendation it issued to forces, by ref. What a force's ledger
    says of a report it received is the force's record; this is the issuer's."""

    restricted: bool
    texts: dict[str, str]
    title: str


@dataclass(frozen=True)
class Member:
    """An organisation of the store, as the register recorded it."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class NationalItem:
    """One organisation's item as its board shows it as at the day, its report, and the
    inspectorate's verdict on it in effect then (None: none given)."""

    org: str
    item: BoardItem
    report: ReportFacts
    verdict: GivenVerdict | None


@dataclass
class NationalRead:
    """The register as at ``as_at`` as known at ``as_known_at`` (now when None)."""

    as_at: date
    as_known_at: datetime | None
    #: Every organisation in the register by then, in the order added.
    members: list[Member]
    #: Each organisation's items (inspectorates hold none of their own here), by
    #: organisation in the register's order, each in its board's order.
    items: list[NationalItem] = field(default_factory=list)
    #: Each organisation's reports, by organisation and code.
    reports: dict[str, dict[str, ReportFacts]] = field(default_factory=dict)
    #: What each inspectorate issued nationally, by its code and the report's.
    issued: dict[str, dict[str, Issued]] = field(default_factory=dict)
    #: Each organisation's ledger digest as read (inspectorates' too): what anyone can
    #: check the register against later with ``verify``.
    digests: dict[str, str | None] = field(default_factory=dict)


def members_of(register: LedgerSession, known_at: datetime | None = None) -> list[Member]:
    """The organisations the store's register recorded by ``known_at`` (all when None)."""
    return [
        Member(added.code, added.name, added.kind)
        for added in register.ledger(write=False).organisations()
        if known_at is None or added.timestamp <= known_at
    ]


def split_members(
    members: list[Member], orgs: Iterable[str] | None = None
) -> tuple[list[Member], list[Member]]:
    """The inspectorates, and the organisations holding items (narrowed to ``orgs``)."""
    wanted = None if orgs is None else set(orgs)
    inspectorates = [m for m in members if m.kind == GIVES_VERDICTS]
    holders = [
        m for m in members if m.kind != GIVES_VERDICTS and (wanted is None or m.code in wanted)
    ]
    return inspectorates, holders


def close_each(session: LedgerSession) -> None:
    """An organisation's session, closed once read: one organisation's connections
    open at a time, however many the register holds."""
    session.close()


def verdicts_on(
    inspectorates: list[Member],
    holders: list[Member],
    open_org: Callable[[str], LedgerSession],
    as_at: date,
    as_known_at: datetime | None,
    digests: dict[str, str | None],
    release: Release = None,
    issued: dict[str, dict[str, Issued]] | None = None,
) -> dict[str, dict[str, GivenVerdict]]:
    """The verdicts in effect on ``as_at`` (as known at ``as_known_at``) on each
    holder's items, by holder and key, from every inspectorate's ledger; each
    inspectorate's digest is noted in ``digests``, and what it issued nationally in
    ``issued`` when given."""
    verdicts: dict[str, dict[str, GivenVerdict]] = {m.code: {} for m in holders}
    for inspectorate in inspectorates:
        session = open_org(inspectorate.code)
        ledger = session.ledger(write=False)
        given = ledger.verdicts_on_many(
            [holder.code for holder in holders], as_at=as_at, known_at=as_known_at
        )
        for holder in holders:  # the one in effect, whichever inspectorate gave it
            held = verdicts[holder.code]
            for key, verdict in given[holder.code].items():
                if prevails(verdict, held.get(key)):
                    held[key] = replace(verdict, by=inspectorate.code)
        digest = ledger.digest()
        digests[inspectorate.code] = str(digest) if digest else None
        if issued is not None:
            issued[inspectorate.code] = issued_in(session, as_known_at)
        if release is not None:
            release(session)
    return verdicts


def issued_in(session: LedgerSession, as_known_at: datetime | None) -> dict[str, Issued]:
    """What an inspectorate's ledger issued nationally by ``as_known_at`` (all when
    None), by report code."""
    return {
        report.code: Issued(
            report.restricted, {item.ref: item.text for item in items}, report.title
        )
        for report, items in session.ledger(write=False).issued_nationally()
        if as_known_at is None or report.timestamp <= as_known_at
    }


def issued_by(
    inspectorates: list[Member],
    open_org: Callable[[str], LedgerSession],
    as_known_at: datetime | None,
    release: Release = None,
) -> dict[str, dict[str, Issued]]:
    """What each inspectorate issued nationally by ``as_known_at``, by its code."""
    issued = {}
    for inspectorate in inspectorates:
        session = open_org(inspectorate.code)
        issued[inspectorate.code] = issued_in(session, as_known_at)
        if release is not None:
            release(session)
    return issued


def as_issued(
    issued: dict[str, dict[str, Issued]], report: ReportFacts, ref: str | None = None
) -> bool:
    """Whether a force holds ``report`` (and its item ``ref``) as its issuer issued it: a
    report of its own, or one its issuer's ledger (``issued``: :func:`issued_by`) issued
    nationally, with that item among those issued to forces. What else a force says it
    received was planted past the commands, as ``verify --rules`` names it: it is no
    recommendation of the issuer's, and no national view shows or counts it."""
    if report.origin is None:
        return True
    found = issued.get(report.origin, {}).get(report.code)
    return found is not None and (ref is None or ref in found.texts)


def national_read(
    register: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    *,
    as_at: date,
    as_known_at: datetime | None = None,
    report: str | None = None,
    orgs: Iterable[str] | None = None,
    release: Release = None,
) -> NationalRead:
    """Every organisation's items (narrowed to report ``report``, and to the
    organisations ``orgs``) as at ``as_at`` as known at ``as_known_at``, each beside the
    inspectorates' verdict on it. ``register`` is the store's own ledger (its register of
    organisations); ``open_org`` opens an organisation's ledger, and the caller closes
    what it opened (the sessions are not kept), or ``release`` does, as soon as each
    organisation has been read (a national register's 43 ledgers held open at once
    would take more connections than a PostgreSQL server allows by default)."""
    members = members_of(register, as_known_at)
    read = NationalRead(as_at, as_known_at, members)
    inspectorates, holders = split_members(members, orgs)
    verdicts = verdicts_on(
        inspectorates, holders, open_org, as_at, as_known_at, read.digests, release, read.issued
    )
    for holder in holders:
        session = open_org(holder.code)
        recorded = session.recorded(as_known_at)
        reports = recorded.reports
        read.reports[holder.code] = reports
        read.digests[holder.code] = recorded.digest
        if report is None or report in reports:
            given = verdicts[holder.code]
            listed = board(session, as_at=as_at, as_known_at=as_known_at, report=report).listed()
            for item in listed.items:
                read.items.append(
                    NationalItem(holder.code, item, reports[item.report], given.get(item.key))
                )
        if release is not None:
            release(session)
    return _as_issued(read)


def _as_issued(read: NationalRead) -> NationalRead:
    """``read`` without what a force says it received that its issuer's ledger did not
    issue (a report, or an item under a report it did issue: :func:`as_issued`)."""
    read.reports = {
        org: {code: facts for code, facts in held.items() if as_issued(read.issued, facts)}
        for org, held in read.reports.items()
    }
    read.items = [
        found for found in read.items if as_issued(read.issued, found.report, found.item.ref)
    ]
    return read
