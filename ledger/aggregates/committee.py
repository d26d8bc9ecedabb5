"""A committee the papers go to: its meetings, and the papers issued to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from events import (
    CommitteeEvent,
    CommitteeRegistered,
    MeetingReviewsChanged,
    MeetingScheduled,
    PaperIssued,
)
from ledger.aggregates.moments import InOrder
from ledger.errors import Fix, Hint, NotFoundError, RuleBrokenError
from ledger.keys import committee_id


class Committee(InOrder):
    """A committee the papers go to, and its meetings."""

    Event = CommitteeEvent
    Registered = CommitteeRegistered

    @classmethod
    def register(cls, *, code: str, name: str, actor: str, on: date) -> Committee:
        return cls._create(
            CommitteeRegistered, id=committee_id(code), code=code, name=name, actor=actor, on=on
        )

    def when(self, event: CommitteeEvent) -> None:
        if isinstance(event, CommitteeRegistered):
            self.code: str = event.code
            self.name: str = event.name
            self.meetings: dict[date, str | None] = {}
            self.issued: dict[date, PaperIssued] = {}
            #: Every issue of each meeting's paper, in the order recorded.
            self.issues: dict[date, list[PaperIssued]] = {}
            #: The reports each meeting reviews, in order (a meeting reviewing none is
            #: not here).
            self.reviews: dict[date, tuple[str, ...]] = {}
            #: The day each meeting was scheduled on (its event's ``on``).
            self.scheduled: dict[date, date] = {}
        elif isinstance(event, MeetingScheduled):
            self.meetings[event.meeting] = event.paper
            self.scheduled[event.meeting] = event.on
            if event.review:
                self.reviews[event.meeting] = event.review
        elif isinstance(event, MeetingReviewsChanged):
            self.reviews[event.meeting] = event.review
        elif isinstance(event, PaperIssued):
            self.issued[event.meeting] = event  # the latest issue of a meeting's paper
            self.issues.setdefault(event.meeting, []).append(event)

    def issue_paper(
        self,
        meeting: date,
        digest: str,
        read_at: datetime,
        as_known_at: datetime | None,
        actor: str,
        on: date,
        at: datetime | None = None,
    ) -> None:
        """``at``: the moment to record it at (None: now), the moment the paper read
        what it shows from other ledgers (the inspectorate's verdicts), so reading it again
        as issued reads them as known then."""
        if meeting not in self.meetings:
            raise NotFoundError(
                "{code} has no meeting on {day}; {hint}",
                code=self.code,
                day=meeting.isoformat(),
                hint=Hint.to(Fix.ADD_MEETING, code=self.code, day=meeting.isoformat()),
            )
        self.trigger_event(
            PaperIssued,
            meeting=meeting,
            digest=digest,
            read_at=read_at,
            as_known_at=as_known_at,
            actor=actor,
            on=on,
            # never before the stream's last event: its moments only go forward
            timestamp=None if at is None else max(at, self.modified_on),
        )

    def schedule_meeting(
        self,
        meeting: date,
        paper: str | None,
        actor: str,
        on: date,
        review: Sequence[str] = (),
    ) -> None:
        """Add the meeting on ``meeting``, reviewing the reports ``review`` (each code
        once; the caller knows they are reports the ledger holds)."""
        if meeting in self.meetings:
            raise RuleBrokenError(
                "{code} already has a meeting on {day}; {hint}",
                code=self.code,
                day=meeting.isoformat(),
                hint=Hint.to(Fix.SEE_MEETINGS, code=self.code),
            )
        if paper is not None:
            for other, other_paper in self.meetings.items():
                if other_paper == paper:
                    raise RuleBrokenError(
                        f"paper {paper!r} already went to the meeting of {other.isoformat()}; "
                        "give this meeting's own paper reference"
                    )
        self.trigger_event(
            MeetingScheduled,
            meeting=meeting,
            paper=paper,
            review=_once_each(review),
            actor=actor,
            on=on,
        )

    def change_reviews(self, meeting: date, review: Sequence[str], actor: str, on: date) -> None:
        """Make the meeting on ``meeting`` review ``review`` instead (none when empty)."""
        if meeting not in self.meetings:
            raise NotFoundError(
                "{code} has no meeting on {day}; {hint}",
                code=self.code,
                day=meeting.isoformat(),
                hint=Hint.to(Fix.ADD_MEETING, code=self.code, day=meeting.isoformat()),
            )
        if meeting in self.issued:
            # The committee received the reports for review with the paper: changing
            # them now would make the paper differ from what went out, unsaid.
            raise RuleBrokenError(
                "the paper for the meeting of {code} on {day} was issued; the reviews of a "
                "meeting whose paper went out are part of that paper: choose reviews for "
                "the next meeting instead",
                code=self.code,
                day=meeting.isoformat(),
            )
        review = _once_each(review)
        if review == self.reviews.get(meeting, ()):
            raise RuleBrokenError(
                "the meeting of {code} on {day} already reviews {reports}; name the reports "
                "it reviews from now on",
                code=self.code,
                day=meeting.isoformat(),
                reports=", ".join(review) or "no report",
            )
        self.trigger_event(
            MeetingReviewsChanged, meeting=meeting, review=review, actor=actor, on=on
        )


def check_reviewable(code: str, published: date, meeting: date) -> None:
    """Refuse reviewing report ``code`` at the meeting on ``meeting`` when it was
    published after that day: a meeting looks at reports it could have read."""
    if published > meeting:
        raise RuleBrokenError(
            "report {code} was published on {published}, after the meeting of {day}; "
            "review it at a meeting on or after the day it was published",
            code=code,
            published=published.isoformat(),
            day=meeting.isoformat(),
        )


def _once_each(review: Sequence[str]) -> tuple[str, ...]:
    """The reports to review, in order; refuses a report named twice (a slip: the paper
    would show its items twice)."""
    seen: set[str] = set()
    for code in review:
        if code in seen:
            raise RuleBrokenError(
                "report {code} is named twice for review; name each report once", code=code
            )
        seen.add(code)
    return tuple(review)
