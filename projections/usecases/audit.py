"""An audit pack for the paper of a committee's meeting, for an auditor's file: what was
restated since the paper, the entries made late in the period it covers, the extensions
granted and the sign-offs of that period, and whether the ledger is intact (the rules of
the period: :mod:`projections.audit`). Every part is what its own read gives: the pack
calls them, and decides nothing they decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from events import RecommendationIssued
from ledger.errors import LedgerError
from ledger.formats import iso_utc
from projections.audit import AUDITED_TYPES, Audited, AuditVerdict, Period, audited
from projections.committee.withholding import withheld
from projections.usecases.audit_log import DEFAULT_DAYS, Backdated, backdated
from projections.usecases.integrity import verify
from projections.usecases.restatements import Compared, restatements

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class AuditPack:
    """Everything the pack says, as one value its documents are rendered from."""

    committee: str
    committee_name: str
    meeting: date
    #: The meeting's paper reference ("Pol 49/15"), when it has one.
    paper: str | None
    #: The committee's meeting before this one: the period starts the day after it.
    previous: date | None
    made_at: datetime
    as_known_at: datetime | None
    period: Period
    #: Back-dated: recorded more than this many days after the day they took effect.
    days: int
    restated: Compared
    backdated: list[Backdated]
    audited: Audited
    verdict: AuditVerdict
    #: Restricted reports shown in full: a pack for the committee alone, bannered so.
    includes_restricted: bool = False

    @property
    def digest(self) -> str | None:
        """The ledger's digest the verdict proved."""
        return self.verdict.digest

    def to_json(self) -> dict[str, Any]:
        return {
            "committee": self.committee,
            "committee_name": self.committee_name,
            "meeting": self.meeting.isoformat(),
            "paper": self.paper,
            "previous_meeting": self.previous.isoformat() if self.previous else None,
            "made_at": iso_utc(self.made_at),
            "as_known_at": iso_utc(self.as_known_at) if self.as_known_at else None,
            "digest": self.digest,
            "period": self.period.to_json(),
            "restatements": {
                **self.restated.restatements.to_json(),
                "basis": self.restated.basis,
            },
            "backdated": {
                "days": self.days,
                "events": [entry.to_json() for entry in self.backdated],
            },
            "extensions": [entry.to_json() for entry in self.audited.extensions],
            "sign_offs": [entry.to_json() for entry in self.audited.sign_offs],
            "verify": self.verdict.to_json(),
            "includes_restricted": self.includes_restricted,
        }


def audit_pack(
    session: LedgerSession,
    committee: str,
    meeting: date,
    *,
    as_known_at: datetime | None = None,
    days: int = DEFAULT_DAYS,
    include_restricted: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AuditPack:
    """The audit pack of the paper for ``committee``'s meeting on ``meeting``, read as
    known now or at ``as_known_at``. Refuses an unknown committee or meeting (and a
    lag of days out of range) before reading anything else. A ledger that fails to
    verify still gets its pack: the verdict says what failed. What a user wrote of a
    restricted report's items is withheld as a public paper withholds it, unless
    ``include_restricted`` (a pack for the committee alone)."""
    made_at = clock()
    recorded = session.recorded(as_known_at)
    known = recorded.committee(committee)  # refuses what the ledger does not hold
    this = known.meeting(meeting)
    before = known.before(meeting)
    previous = before.on if before is not None else None
    period = Period(previous, as_known_at, meeting)
    # entered late since the committee last looked, and dated on or before this meeting:
    # those bear on its paper, however long after it they were recorded
    late = [
        entry
        for entry in backdated(
            session,
            days=days,
            recorded_from=previous + timedelta(days=1) if previous else None,
            recorded_to=as_known_at.astimezone().date() if as_known_at else None,
            known_at=as_known_at,
        ).entries
        if entry.on <= meeting
    ]
    restated = restatements(session, committee, meeting, as_known_at=as_known_at)
    ledger = session.ledger(write=False)
    found = audited(
        (e for _, e in ledger.read_log(types=[RecommendationIssued, *AUDITED_TYPES])), period
    )
    pack = AuditPack(
        committee=known.code,
        committee_name=known.name,
        meeting=meeting,
        paper=this.paper,
        previous=previous,
        made_at=made_at,
        as_known_at=as_known_at,
        period=period,
        days=days,
        restated=restated,
        backdated=late,
        audited=found,
        verdict=verdict_of(session),
        includes_restricted=include_restricted,
    )
    # the paper's one rule, every section alike: keys, statuses, dates and who recorded
    # them stay; the text of a restricted report's items does not
    return withheld(pack, recorded, include_restricted=include_restricted)


def verdict_of(session: LedgerSession) -> AuditVerdict:
    """What ``verify`` says of the ledger now, in the lines it prints; a refusal (the
    chain broken, the read model altered) is the verdict, not a refusal of the pack."""
    try:
        verified = verify(session)
    except LedgerError as error:
        head = session.ledger(write=False).digest()
        return AuditVerdict(False, [f"failed: {error}"], None if head is None else str(head))
    return AuditVerdict(True, verified.said(), str(verified.head))
