"""The public register: what the public may read of the national register as at a day.

Made from one :func:`national_read`, then narrowed to what may be published: a
restricted report and every item of it are left out (absent, not withheld: nothing of
them reaches the site or the open data), as is anything of an inspection with no report
(the board holds none of it). What is left is every organisation's published items,
each with its own status beside the inspectorate's verdict, and every ledger's digest
as read, so anyone can check the register against the ledgers later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from projections.rows import status_word
from projections.usecases.national import Member, NationalRead, national_read

if TYPE_CHECKING:
    from projections.rows import ReportFacts
    from projections.usecases.session import LedgerSession

#: How an item with no verdict in effect is counted.
NO_VERDICT = "no verdict"


@dataclass(frozen=True)
class PublicEntry:
    """One organisation's published item: its own status, the inspectorate's verdict."""

    org: str
    #: Who issued the report: the inspectorate for a national report received, otherwise
    #: the organisation itself.
    issuer: str
    report: str
    ref: str
    key: str
    kind: str
    text: str
    status: str
    due: date | None
    verdict: str | None
    verdict_reason: str | None
    verdict_on: date | None
    #: The inspectorate that gave the verdict (several may give one on an item).
    verdict_by: str | None
    superseded_by: str | None
    not_for_the_force: bool


@dataclass(frozen=True)
class PublicReport:
    """A published report, one page of the register: a national report once for every
    organisation holding it; an organisation's own report once for that organisation."""

    issuer: str
    code: str
    title: str
    scope: str
    published: date
    entries: tuple[PublicEntry, ...]

    @property
    def national(self) -> bool:
        return self.scope == "national"

    @property
    def orgs(self) -> list[str]:
        return list(dict.fromkeys(entry.org for entry in self.entries))

    @property
    def refs(self) -> list[str]:
        """Its recommendations' refs, in the order its board lists them."""
        return list(dict.fromkeys(entry.ref for entry in self.entries))

    def statuses(self) -> Counter[str]:
        return Counter(entry.status for entry in self.entries)

    def verdicts(self) -> Counter[str]:
        return Counter(entry.verdict or NO_VERDICT for entry in self.entries)


@dataclass
class PublicRegister:
    """What the public register shows as at ``as_at``."""

    as_at: date
    members: list[Member]
    #: National reports first, then the newest first, then by issuer and code.
    reports: list[PublicReport] = field(default_factory=list)
    #: Each ledger's digest as read (an inspectorate's too), by organisation.
    digests: dict[str, str | None] = field(default_factory=dict)

    @property
    def entries(self) -> list[PublicEntry]:
        return [entry for report in self.reports for entry in report.entries]

    def of(self, org: str) -> list[PublicEntry]:
        return [entry for entry in self.entries if entry.org == org]


def public_register(
    register: LedgerSession, open_org: Callable[[str], LedgerSession], *, as_at: date
) -> PublicRegister:
    """The public register as at ``as_at`` (as recorded now); ``register`` and
    ``open_org`` as :func:`national_read` takes them, each session it opens closed once
    read (one organisation's connections open at a time, however many there are)."""
    return published(national_read(register, open_org, as_at=as_at, release=_close))


def _close(session: LedgerSession) -> None:
    session.close()


def published(read: NationalRead) -> PublicRegister:
    """What of ``read`` may be published, by report."""
    public = PublicRegister(read.as_at, list(read.members), digests=dict(read.digests))
    reports: dict[tuple[str, str], tuple[ReportFacts, list[PublicEntry]]] = {}
    for org, held in read.reports.items():
        for code, facts in held.items():
            if facts.origin is not None:  # the issuer's ledger says what it issued
                issued = read.issued.get(facts.origin, {}).get(code)
                if issued is None or issued.restricted:
                    continue
                facts = replace(facts, title=issued.title)
            if not facts.restricted and facts.published <= read.as_at:
                reports.setdefault((facts.origin or org, code), (facts, []))
    for national in read.items:
        facts, item, verdict = national.report, national.item, national.verdict
        issuer = facts.origin or national.org
        if facts.restricted or (issuer, facts.code) not in reports:
            continue
        text = item.text
        if facts.origin is not None:  # in the issuer's words, and only what it issued
            texts = read.issued[facts.origin][facts.code].texts
            if item.ref not in texts:
                continue
            text = texts[item.ref]
        reports[(issuer, facts.code)][1].append(
            PublicEntry(
                org=national.org,
                issuer=issuer,
                report=facts.code,
                ref=item.ref,
                key=item.key,
                kind=item.kind,
                text=text,
                status=status_word(item.status),
                due=item.due,
                verdict=verdict.verdict.value if verdict else None,
                verdict_reason=verdict.reason if verdict else None,
                verdict_on=verdict.on if verdict else None,
                verdict_by=verdict.by if verdict else None,
                superseded_by=_public_key(item.superseded_by, read.reports[national.org]),
                not_for_the_force=item.not_for_the_force is not None,
            )
        )
    ordered = sorted(
        reports.items(),
        key=lambda kv: (kv[1][0].scope != "national", -kv[1][0].published.toordinal(), kv[0]),
    )
    for (issuer, code), (facts, entries) in ordered:
        public.reports.append(
            PublicReport(
                issuer, code, facts.title, facts.scope, facts.published, tuple(by_ref(entries))
            )
        )
    return public


def _public_key(key: str | None, reports: dict[str, ReportFacts]) -> str | None:
    """``key`` when its report may be published; None for an item of a restricted report
    (or one the organisation does not hold): the register never names it."""
    if key is None:
        return None
    facts = reports.get(key.partition("/")[0])
    return key if facts is not None and not facts.restricted else None


def by_ref(entries: list[PublicEntry]) -> list[PublicEntry]:
    """``entries`` grouped by recommendation, each in the order the first organisation's
    board lists it, and within one by organisation in the register's order."""
    first: dict[str, int] = {}
    for entry in entries:
        first.setdefault(entry.ref, len(first))
    return sorted(entries, key=lambda entry: first[entry.ref])
