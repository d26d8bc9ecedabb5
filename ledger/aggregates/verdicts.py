"""The inspectorate's verdicts on one organisation's items: one stream of the
inspectorate's ledger per organisation, so reading an organisation's verdicts is reading
one stream. Its rules live here, so a restore re-makes its events by them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from events import Verdict, VerdictEvent, VerdictGiven, VerdictsBegun
from ledger.aggregates.moments import InOrder
from ledger.errors import Field, RuleBrokenError
from ledger.inputs import clean_text
from ledger.keys import check_code, split_key, verdicts_id
from ledger.storage.organisation import check_org


@dataclass(frozen=True)
class GivenVerdict:
    """One verdict as given: on ``key``, from ``on``, recorded at ``recorded_at``; ``by``:
    the inspectorate whose ledger holds it, where verdicts of several are read together
    (a national read), else None."""

    key: str
    verdict: Verdict
    reason: str
    on: date
    recorded_at: datetime
    actor: str
    by: str | None = None


def given_of(event: VerdictGiven) -> GivenVerdict:
    """A verdict as its event gives it."""
    return GivenVerdict(
        event.key, event.verdict, event.reason, event.on, event.timestamp, event.actor
    )


def in_effect(
    given: dict[str, list[GivenVerdict]], on: date, known_at: datetime | None = None
) -> dict[str, GivenVerdict]:
    """Each item's verdict in effect on ``on``, of those recorded by ``known_at`` (all
    when None): the one that prevails (:func:`prevails`) of those given by then."""
    found: dict[str, GivenVerdict] = {}
    for key, verdicts in given.items():
        for verdict in verdicts:
            given_by_then = verdict.on <= on and (
                known_at is None or verdict.recorded_at <= known_at
            )
            if given_by_then and prevails(verdict, found.get(key)):
                found[key] = verdict
    return found


def prevails(verdict: GivenVerdict, over: GivenVerdict | None) -> bool:
    """Whether ``verdict`` is in effect rather than ``over``, whichever inspectorate gave
    either: the later by day, then by recording; of equals, the one met first (the
    register's first inspectorate's, then the first recorded). Every view of a
    verdict, a force's, the national register's and the public one, ranks them so
    (and :func:`projections.store.counts.verdicts_in_effect`, in SQL)."""
    return over is None or (verdict.on, verdict.recorded_at) > (over.on, over.recorded_at)


class Verdicts(InOrder):
    """The verdicts on the items of organisation ``org``, in the order given."""

    Event = VerdictEvent
    Registered = VerdictsBegun

    @classmethod
    def begin(cls, *, org: str, actor: str, on: date) -> Verdicts:
        written = check_org(org)
        if written != org:
            raise RuleBrokenError(
                "organisation code {code!r} is not written as it is kept ({written!r})",
                code=org,
                written=written,
            )
        return cls._create(VerdictsBegun, id=verdicts_id(org), org=org, actor=actor, on=on)

    def give(self, key: str, verdict: Verdict, reason: str, actor: str, on: date) -> None:
        """The verdict on ``key`` from ``on``: with a reason, never dated before the
        verdict it replaces on the same item."""
        code, ref = split_key(key)
        written = f"{check_code(code)}/{ref}"
        if written != key:
            raise RuleBrokenError("item key {key!r} is not written as it is kept", key=key)
        why = clean_text(reason, Field.REASON, required=True) or ""
        if why != reason:
            raise RuleBrokenError("a verdict's reason must be trimmed and not empty")
        earlier = self.of(key)
        if earlier and on < earlier[-1].on:
            raise RuleBrokenError(
                "the verdict on {key} of {day} cannot take effect before the one it "
                "replaces ({earlier})",
                key=key,
                day=on.isoformat(),
                earlier=earlier[-1].on.isoformat(),
            )
        self.trigger_event(VerdictGiven, key=key, verdict=verdict, reason=why, actor=actor, on=on)

    def when(self, event: VerdictEvent) -> None:
        if isinstance(event, VerdictsBegun):
            self.org: str = event.org
            self.given: dict[str, list[GivenVerdict]] = {}
        elif isinstance(event, VerdictGiven):
            self.given.setdefault(event.key, []).append(given_of(event))

    def of(self, key: str) -> list[GivenVerdict]:
        """Every verdict on ``key``, earliest first."""
        return self.given.get(key, [])

    def as_at(self, on: date, known_at: datetime | None = None) -> dict[str, GivenVerdict]:
        """Each item's verdict in effect on ``on``, of those recorded by ``known_at``."""
        return in_effect(self.given, on, known_at)
