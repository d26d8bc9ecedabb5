"""Committees, their meetings and the paper for a meeting: summary, appendix, the whole
paper, and which history an issued paper (or one to issue) is read from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from events import PaperIssued
from ledger.chain import ChainBrokenError, Digest
from ledger.errors import Fix, Hint, InvalidInputError
from projections.committee import appendix_of, paper_of, summary_of
from projections.committee.verdicts import verdict_rows
from projections.committee.withholding import withheld
from projections.recorded import Recorded
from projections.restatements import (
    PaperRow,
    Restatements,
    end_of_day,
    known_in,
    recorded_by,
    restated,
    rows_before,
    rows_of,
    streams_known_at,
)
from projections.store.tail import read_tail
from projections.usecases.integrity import refuse_unless_folded
from projections.usecases.verdicts import own_verdicts

if TYPE_CHECKING:
    from collections.abc import Callable

    from events import LedgerEvent, RecommendationEvent
    from ledger.application import Ledger
    from projections.committee import Appendix, Paper, Summary
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class CommitteeListing:
    code: str
    name: str
    meetings: list[date]
    #: What the committee requires sign-off for: completion always, then its rule's.
    sign_off_for: list[str]


def committees(session: LedgerSession, *, as_known_at: datetime | None) -> list[CommitteeListing]:
    """Every committee by code, with its meetings oldest first."""
    recorded = session.recorded(as_known_at)
    found = sorted(recorded.committees.values(), key=lambda c: c.code)
    rules = session.ledger(write=False).sign_off_rules() if found else {}
    return [
        CommitteeListing(
            c.code,
            c.name,
            [m.on for m in c.sorted_meetings()],
            ["completion", *rules.get(c.code, [])],
        )
        for c in found
    ]


@dataclass(frozen=True)
class MeetingListing:
    committee: str
    on: date
    paper: str | None
    #: The meeting before it, whose paper this one compares with.
    previous: date | None
    #: The reports it reviews, in its paper's order.
    review: tuple[str, ...] = ()


def meetings(
    session: LedgerSession, committee: str | None, *, as_known_at: datetime | None
) -> list[MeetingListing]:
    """Every meeting of ``committee`` (of every committee when None, by code), oldest
    first; refuses a committee the ledger does not hold."""
    recorded = session.recorded(as_known_at)
    if committee is not None:
        chosen = [recorded.committee(committee)]
    else:
        chosen = sorted(recorded.committees.values(), key=lambda c: c.code)
    listed = []
    for c in chosen:
        before: date | None = None
        for m in c.sorted_meetings():
            listed.append(MeetingListing(c.code, m.on, m.paper, before, m.review))
            before = m.on
    return listed


def summary(
    session: LedgerSession, committee: str, meeting: date, *, as_known_at: datetime | None
) -> Summary:
    """The summary table of the paper for ``committee``'s meeting on ``meeting``."""
    return summary_of(session.recorded(as_known_at), committee, meeting)


def appendix(
    session: LedgerSession, committee: str, meeting: date, *, as_known_at: datetime | None
) -> Appendix:
    """The appendix of the paper for ``committee``'s meeting on ``meeting``."""
    return appendix_of(session.recorded(as_known_at), committee, meeting)


@dataclass(frozen=True)
class Pinned:
    """The history a paper to be issued (or issued already) is read from: the events at
    positions up to its digest's, as known at ``read_at``. Both are fixed when it is
    issued, so nothing appended later (with any recording time) changes the paper."""

    digest: str
    #: Read as known at this moment: when the last event up to the digest was recorded
    #: (or the moment asked for, if earlier).
    read_at: datetime
    #: The moment the paper was asked for as known at, as its heading shows.
    as_known_at: datetime | None
    #: When it was issued (or is, now): what it shows of the store's other ledgers (the
    #: inspectorate's verdicts) is read as known then.
    issued_at: datetime | None = None


def pinned_history(
    ledger: Ledger,
    committee: str,
    meeting: date,
    *,
    as_issued: bool,
    as_known_at: datetime | None = None,
) -> Pinned:
    """The history the paper is read from: as it was issued (``as_issued``: its latest
    issue, of those recorded by ``as_known_at`` when given), or, for a paper to issue
    now, everything up to the ledger's head, as known at ``as_known_at`` when that is
    earlier."""
    if as_issued:
        issued = ledger.issued_paper(committee, meeting, known_at=as_known_at)
        if issued is None:
            raise InvalidInputError(
                "the paper for {code}'s meeting on {day} has not been issued; {hint}",
                code=committee,
                day=meeting.isoformat(),
                hint=Hint.to(Fix.ISSUE_PAPER, code=committee, day=meeting.isoformat()),
            )
        try:
            Digest.parse(issued.digest)
        except ValueError:
            raise ChainBrokenError(
                "the paper for {code}'s meeting on {day} was recorded as issued from "
                "{digest}, which is not a digest: the record is damaged, and the paper "
                "cannot be read as issued; {hint}",
                code=committee,
                day=meeting.isoformat(),
                digest=repr(issued.digest[:80]),
                hint=Hint.to(Fix.VERIFY),
            ) from None
        return Pinned(issued.digest, issued.read_at, issued.as_known_at, issued.timestamp)
    head = ledger.digest()
    if head is None or head.position == 0:
        raise InvalidInputError("the ledger is empty: there is no paper to issue")
    read_at = ledger.recorded_at(head.position)
    shown = as_known_at
    # the clock events are recorded by: the issue is recorded at this moment
    issued_at: datetime = PaperIssued.create_timestamp()
    return Pinned(str(head), min(read_at, shown) if shown else read_at, shown, issued_at)


def pinned_recorded(ledger: Ledger, pinned: Pinned) -> Recorded:
    """What the paper pinned so is read from: the events up to its digest's position, each
    checked against its link (refused when that history changed), folded in memory as
    known at its ``read_at``. The stored read model cannot answer "as at a position", so
    this reads and holds the history up to the digest, as a fold of the log does."""
    recorded = Recorded.of(ledger.history_to(Digest.parse(pinned.digest)), pinned.read_at)
    recorded.digest = pinned.digest
    return recorded


def settled(ledger: Ledger, pinned: Pinned) -> tuple[Pinned, Recorded]:
    """A paper to issue now, read from every event up to its digest's position, and
    pinned as known at the latest moment any of them was recorded, not the moment of
    the event at the head: writers' events reach the log in the order their writes
    commit, not always in the order of their moments, so an event before the head may
    bear a later one, and read as known at the head's it would be left out of a paper
    whose digest covers it (and of the read model's reading it is checked against)."""
    latest = [pinned.read_at]

    def watched() -> Iterator[LedgerEvent]:
        for event in ledger.history_to(Digest.parse(pinned.digest)):
            latest[0] = max(latest[0], event.timestamp)
            yield event

    recorded = Recorded.of(watched())
    recorded.known_at = latest[0]
    recorded.digest = pinned.digest
    return replace(pinned, read_at=latest[0]), recorded


@dataclass(frozen=True)
class PaperRead:
    paper: Paper
    #: The history it was read from, when issued or to be issued.
    pinned: Pinned | None


def paper(
    session: LedgerSession,
    committee: str,
    meeting: date,
    *,
    as_known_at: datetime | None = None,
    to_issue: bool = False,
    as_issued: bool = False,
    include_restricted: bool = False,
    open_org: Callable[[str | None], LedgerSession] | None = None,
) -> PaperRead:
    """The whole paper for ``committee``'s meeting on ``meeting``: as known now (or at
    ``as_known_at``); pinned to the ledger's digest when it is ``to_issue``; or read
    again from exactly the history it was issued from (``as_issued``);
    ``include_restricted``: restricted reports in full, not by their title only.
    ``open_org`` opens the store's other ledgers, where the inspectorates' verdicts on
    the items are (as known when the paper was read: an issued paper, when the history
    it was issued from was; so reading it again as issued gives the same verdicts)."""
    if include_restricted and (to_issue or as_issued):
        raise InvalidInputError(
            "the paper as issued is the public one, with restricted reports by their title "
            "only; a paper showing them in full is for the committee alone and is rendered "
            "without issuing it"
        )
    pinned = None
    if to_issue or as_issued:
        pinned = pinned_history(
            session.ledger(write=False),
            committee,
            meeting,
            as_issued=as_issued,
            as_known_at=as_known_at,
        )
        if to_issue and as_known_at is None:  # everything up to the head, as it stands
            pinned, recorded = settled(session.ledger(write=False), pinned)
        else:
            recorded = pinned_recorded(session.ledger(write=False), pinned)
    else:
        recorded = session.recorded(as_known_at)
    read = paper_of(recorded, committee, meeting, include_restricted=include_restricted)
    if pinned is not None:  # headed as it was asked for, with the digest it was read from
        read = read.headed(known_at=pinned.as_known_at, digest=pinned.digest)
    if to_issue and pinned is not None:  # never issued from a model that was altered
        refuse_unless_folded(
            session, read, pinned, committee, meeting, include_restricted=include_restricted
        )
    read = read.restating(restated_since_last_paper(session, recorded, committee, meeting))
    if open_org is not None:
        known = as_known_at
        if pinned is not None and pinned.issued_at is not None:
            known = min(pinned.issued_at, as_known_at) if as_known_at else pinned.issued_at
        given = own_verdicts(session, open_org, as_at=meeting, as_known_at=known)
        if to_issue and given.unread:
            raise InvalidInputError(
                "this login may not read {unread}, where the inspectorate's verdicts on "
                "the items are, so the paper would go to the committee without them; "
                "issue it with a login that may read them (the store owner's)",
                unread=", ".join(given.unread),
            )
        read = read.judged(verdict_rows(read.appendix, given.by_key))
    # One rule for every section, the restated one too: a public paper says nothing of
    # a restricted report but its title and its counts.
    return PaperRead(withheld(read, recorded, include_restricted=include_restricted), pinned)


def restated_since_last_paper(
    session: LedgerSession, recorded: Recorded, committee: str, meeting: date
) -> Restatements | None:
    """The items whose row at the previous meeting, as ``recorded`` (what this paper is
    read from) holds it, differs from what the previous paper said: the previous paper
    as issued when its issue is in that history, else as known at the end of the
    previous meeting's day. None when there is no previous meeting, or when it was not
    issued and the ledger was first written to after its day (history typed in later,
    from old papers: no paper for it came from this ledger, so none is restated)."""
    previous = recorded.committee(committee).before(meeting)
    if previous is None:
        return None
    ledger = session.ledger(write=False)
    issued = ledger.issued_paper(committee, previous.on)
    if issued is not None and (recorded.known_at is None or issued.timestamp <= recorded.known_at):
        then_rows, known_then = issued_rows(ledger, recorded, committee, previous.on, issued)
        compared = issued.read_at
    else:
        compared = end_of_day(previous.on)
        if recorded.known_at is not None:
            compared = min(compared, recorded.known_at)
        if compared < ledger.recorded_at(1):
            return None  # no paper for it was read from this ledger: it was written later
        then_rows, known_then = (
            rows_of(session.recorded(compared), committee, previous.on),
            (recorded_by(compared)),
        )
        issued = None
    items = restated(
        then_rows,
        rows_of(recorded, committee, previous.on),
        streams_known_at(recorded, ledger.events),
        known_then,
        previous.on,
    )
    return Restatements(committee, previous.on, compared, issued is not None, items)


def record_issue(
    session: LedgerSession, committee: str, meeting: date, read: PaperRead
) -> list[str]:
    """Record that the paper ``read`` (pinned to issue) went to the committee."""
    if read.pinned is None:
        raise ValueError("only a paper read to issue is pinned to a digest")
    pinned = read.pinned
    return session.ledger(write=True).issue_paper(
        committee,
        meeting,
        digest=Digest.parse(pinned.digest),
        read_at=pinned.read_at,
        as_known_at=pinned.as_known_at,
        actor=session.actor,
        at=pinned.issued_at,
    )


def issued_rows(
    ledger: Ledger, recorded: Recorded, committee: str, meeting: date, issued: PaperIssued
) -> tuple[dict[str, PaperRow], Callable[[RecommendationEvent], bool]]:
    """The rows of the paper ``issued`` for ``meeting``, and whether an event was known
    to it: from ``recorded`` (which holds every event it was read from), with the items
    touched since its position folded again without what came after (a short tail);
    else from exactly its history, folded whole (:func:`pinned_recorded`)."""
    tail = read_tail(ledger, issued.position) if issued.as_known_at is None else None
    if tail is not None:
        known = recorded.committees.get(committee)
        before = known.before(meeting) if known else None
        now = rows_of(recorded, committee, meeting)
        found = rows_before(now, tail, ledger.events.get, meeting, before.on if before else None)
        if found is not None:
            return found
    then = pinned_recorded(ledger, Pinned(issued.digest, issued.read_at, issued.as_known_at))
    return rows_of(then, committee, meeting), known_in(then)
