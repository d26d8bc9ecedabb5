"""Restatements of a meeting's paper: the items whose row as known now differs from
what the paper said, as issued or as known at a moment, with the events that made the
difference (the rules: :mod:`projections.restatements`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from events import MeetingScheduled
from ledger.errors import InvalidInputError
from ledger.formats import iso_utc
from ledger.keys import committee_id
from projections.committee.withholding import withheld
from projections.restatements import (
    Restatements,
    end_of_day,
    recorded_by,
    restated,
    rows_of,
    streams_known_at,
)
from projections.usecases.papers import (
    issued_rows,
    pinned_history,
    restated_since_last_paper,
)

if TYPE_CHECKING:
    from events import CommitteeEvent
    from projections.recorded import Recorded
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Compared:
    """What the paper as known now was compared with, and why that was chosen."""

    restatements: Restatements
    #: "the paper as issued", "as known at the end of the meeting day (not issued)"...
    basis: str


def restatements(
    session: LedgerSession,
    committee: str,
    meeting: date,
    *,
    since_issue: bool = False,
    known_at: datetime | None = None,
    as_known_at: datetime | None = None,
) -> Compared:
    """The items of the paper for ``committee``'s meeting on ``meeting`` restated
    since: the paper as issued (``since_issue``, and the default when it was issued),
    or as known at ``known_at``; with neither and no issue, as known at the end of the
    meeting's day, the latest the paper shown at the meeting could have known. "Now"
    is everything recorded, or what was by ``as_known_at`` (an audit read as known at
    a moment: a paper issued after it was not issued yet). Refuses an unknown
    committee or meeting, and ``since_issue`` for a paper never issued."""
    ledger = session.ledger(write=False)
    now = session.recorded(as_known_at)
    now.committee(committee).meeting(meeting)  # refuses what the ledger does not hold
    # as known at a moment, the latest issue recorded by then (a re-issue after it was
    # not known; an issue only after it, no issue at all)
    paper = ledger.issued_paper(committee, meeting, known_at=as_known_at)
    issued = known_at is None and (since_issue or paper is not None)
    if issued:
        pinned = pinned_history(ledger, committee, meeting, as_issued=True, as_known_at=as_known_at)
        if paper is None:  # issued, but only after the moment read at
            raise InvalidInputError(
                "the paper for {code}'s meeting on {day} had not been issued by {moment}",
                code=committee,
                day=meeting.isoformat(),
                moment=iso_utc(as_known_at) if as_known_at else "then",
            )
        then_rows, known_then = issued_rows(ledger, now, committee, meeting, paper)
        compared = pinned.read_at
        basis = f"the paper as issued (pinned to the ledger's digest {pinned.digest})"
    elif known_at is not None:
        compared, known_then = known_at, recorded_by(known_at)
        then_rows = rows_of(session.recorded(known_at), committee, meeting)
        basis = "the paper as known at the moment asked for"
    else:
        compared = end_of_day(meeting)
        if as_known_at is not None:
            compared = min(compared, as_known_at)
        then_rows, known_then = (
            rows_of(session.recorded(compared), committee, meeting),
            (recorded_by(compared)),
        )
        basis = (
            "the paper as known at the end of the meeting's day: it was never issued, "
            "so nothing pins what the committee was shown"
        )
        if ledger.recorded_at(1) > compared:
            basis += (
                "; the ledger was first written to after that day, so it then held "
                "none of these items"
            )
    items = restated(
        then_rows,
        rows_of(now, committee, meeting),
        streams_known_at(now, ledger.events),
        known_then,
        meeting,
    )
    moved = meeting_before_moved(session, now, committee, meeting, compared)
    if moved is not None:
        basis += f"; {moved}"
    return Compared(Restatements(committee, meeting, compared, issued, items, moved), basis)


def meeting_before_moved(
    session: LedgerSession, now: Recorded, committee: str, meeting: date, compared: datetime
) -> str | None:
    """How the meeting the paper compares with changed between ``compared`` (when the
    paper was read) and ``now`` (what the ledger holds as the read is made), with the
    events that changed it and who recorded them; None when it did not."""
    known_now = now.known_at
    before_now = now.committee(committee).before(meeting)
    then = session.recorded(compared).committees.get(committee)
    if then is None:  # the ledger did not hold the committee then: every item is restated
        return None
    before_then = then.before(meeting)
    day_then = before_then.on if before_then else None
    day_now = before_now.on if before_now else None
    if day_then == day_now:
        return None
    stream = cast(
        "list[CommitteeEvent]",
        list(session.ledger(write=False).events.get(committee_id(committee))),
    )
    made = [
        f"{committee}@{event.originator_version} ({type(event).__name__}, recorded at "
        f"{iso_utc(event.timestamp)} by {event.actor})"
        for event in stream
        if isinstance(event, MeetingScheduled)  # only a meeting scheduled adds one
        and event.timestamp > compared
        and (known_now is None or event.timestamp <= known_now)
        and event.meeting in (day_then, day_now)
    ]
    said = day_then.isoformat() if day_then else "no meeting"
    return (
        f"the paper compared with the meeting before it on {said}; as known now that is "
        f"the meeting on {day_now.isoformat() if day_now else 'none'}, so every item's "
        f"Previous column is compared anew" + (f" (changed by {', '.join(made)})" if made else "")
    )


def restated_since(
    session: LedgerSession, committee: str, meeting: date, *, as_known_at: datetime | None
) -> Restatements | None:
    """The section "Restated since the last paper" of the paper for ``committee``'s
    meeting on ``meeting``, read as known now (or at ``as_known_at``), as ``summary``
    and ``appendix`` print it after their tables; None when nothing was restated."""
    recorded = session.recorded(as_known_at)
    found = restated_since_last_paper(session, recorded, committee, meeting)
    return withheld(found, recorded) if found is not None and found.items else None
