"""The national register, as commands: a national report issued once by the
inspectorate and received by every force into its own ledger, and the inspectorate's
verdict on an organisation's item.

The inspectorate registers a national report and its recommendations in its own ledger,
each addressed as the report writes it. A force receives, into its own ledger, every
national report of the inspectorate with its recommendations addressed to forces
("chief constables", "forces", "all forces": :data:`TO_FORCES`), the report naming where
it came from (its ``origin``); from then on the force tracks them as its own items. A
report, or an item, the force holds already is not received twice, so receiving again
takes only what is new.

A verdict is the inspectorate's, recorded in its own ledger (where no force can write),
on an item an organisation holds: beside, never instead of, the organisation's status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.application import AggregateNotFoundError

from events import (
    Kind,
    RecommendationIssued,
    ReportRegistered,
    Scope,
    Status,
    Verdict,
    VerdictGiven,
)
from ledger.addressees import groups_of
from ledger.aggregates import GivenVerdict, Recommendation, Report, Verdicts
from ledger.aggregates.verdicts import given_of, in_effect
from ledger.errors import Field, Fix, Hint, InvalidInputError, RuleBrokenError
from ledger.inputs import required_reason
from ledger.keys import recommendation_id, report_id, verdicts_id
from ledger.organisations import Organisations

#: The addressees (as their groups read them) that make a national recommendation every
#: force's: "chief constables", and "forces", "all forces", "the force".
TO_FORCES = frozenset({"chief constables", "the force"})

#: The kinds of organisation that receive national reports, and that give verdicts.
RECEIVES = "force"
GIVES_VERDICTS = "inspectorate"


def to_forces(to: Sequence[str]) -> bool:
    """Whether a recommendation addressed to ``to`` (as written) is every force's."""
    return not TO_FORCES.isdisjoint(groups_of(to))


def check_own_item(report: Report, received: bool) -> None:
    """Refuse an item of a report another organisation issued (a national report
    received) that is not one it issued: the force tracks the inspectorate's
    recommendations, and cannot add its own under them (a verdict would be on its words)."""
    if report.origin is not None and not received:
        raise RuleBrokenError(
            "report {code} was issued by {origin}: its recommendations are {origin}'s, "
            "received with it; record the force's own work on them, or its own "
            "recommendations under a report of its own",
            code=report.code,
            origin=report.origin,
        )


def parse_verdict(text: str) -> Verdict:
    """``accepted``, ``not-accepted`` (or ``not accepted``) or ``superseded``, any case."""
    try:
        return Verdict("-".join(text.strip().lower().split()))
    except ValueError:
        raise InvalidInputError(
            f"verdict {text!r} is not known; use {', '.join(v.value for v in Verdict)}"
        ) from None


class National(Organisations):
    """National reports issued and received, and verdicts given."""

    if TYPE_CHECKING:  # the Ledger's (its items' commands)

        def get_recommendation(self, key: str) -> Recommendation: ...

        def prepare_recommendation(
            self,
            code: str,
            ref: str,
            *,
            kind: str | Kind,
            text: str,
            owner: str | None = None,
            lead: str | None = None,
            due: str | None = None,
            status: str | Status | None = None,
            reason: str | None = None,
            actor: str,
            on: date | None = None,
            report: Report | None = None,
            known_new: bool = False,
            to: Sequence[str] = (),
            received: bool = False,
        ) -> Recommendation: ...

    def kind(self) -> str | None:
        """The kind of organisation whose ledger this is; None for the single ledger."""
        identity = self.identity()
        return identity.kind if identity is not None else None

    def issued_nationally(self) -> Iterator[tuple[ReportRegistered, list[RecommendationIssued]]]:
        """The national reports this ledger registered itself (none it received), each
        with its items addressed to forces as they were issued, in the order registered."""
        reports: dict[str, ReportRegistered] = {}
        items: dict[str, list[RecommendationIssued]] = {}
        for _, event in self.read_log(types=(ReportRegistered, RecommendationIssued)):
            if isinstance(event, ReportRegistered):
                if event.scope is Scope.NATIONAL and event.origin is None:
                    reports[event.code] = event
                    items[event.code] = []
            else:
                item = cast(RecommendationIssued, event)
                if item.report in reports and to_forces(item.to):
                    items[item.report].append(item)
        for code, report in reports.items():
            yield report, items[code]

    def receive_national(
        self,
        source: National,
        *,
        actor: str,
        on: date | None = None,
        clashes: list[str] | None = None,
        by_force: bool = False,
    ) -> list[str]:
        """Record in this force's ledger every national report of ``source`` (an
        inspectorate's ledger), with its items addressed to forces, that it does not hold
        yet, from ``on`` (today when None; never before a report's publication): one
        transaction, all or nothing. Refused when this is not a force's ledger,
        ``source`` not an inspectorate's, or a report of the same code is the force's own;
        with ``clashes``, such a report is left out and its code noted there instead, and
        the rest is received (one clash never holds the force's other reports back).
        ``actor`` is checked against the roles of the ledger whose command this is: the
        inspectorate's, which issues; or, ``by_force``, the force's, which takes them."""
        origin = source.org
        if self.kind() != RECEIVES or origin is None or source.kind() != GIVES_VERDICTS:
            raise RuleBrokenError(
                "national reports go from an inspectorate's ledger to a force's; "
                "{source} and {target} are not so",
                source=source.identity_text(),
                target=self.identity_text(),
            )
        if by_force:
            self.authorize(actor, what="receiving national reports")
        else:
            source.authorize(actor, what="issuing national reports")
        today = self.check_on(on)
        made: list[Any] = []
        for issued, items in source.issued_nationally():
            try:
                with self.replaying(f"its report {issued.code}"):
                    report = self._received(issued.code, origin)
            except RuleBrokenError:
                if clashes is None:
                    raise
                clashes.append(issued.code)
                continue
            if report is None:
                report = Report.register(
                    code=issued.code,
                    title=issued.title,
                    scope=issued.scope,
                    published=issued.published,
                    inspectorates=issued.inspectorates,
                    makes=issued.makes,
                    restricted=issued.restricted,
                    origin=origin,
                    actor=actor,
                    on=today,
                )
                made.append(report)
            for item in items:
                with self.replaying(f"its recommendation {issued.code}/{item.ref}"):
                    if recommendation_id(issued.code, item.ref) in self.repository:
                        self._check_held(item)
                        continue
                made.append(
                    self.prepare_recommendation(
                        issued.code,
                        item.ref,
                        kind=item.kind,
                        text=item.text,
                        due=item.due_text or (item.due.isoformat() if item.due else None),
                        actor=actor,
                        on=max(today, issued.published),
                        report=report,
                        known_new=True,
                        to=item.to,
                        received=True,
                    )
                )
        if not made:
            return []
        return self.save_all(*made, what=f"the national reports received by {self.org}")

    def _check_held(self, issued: RecommendationIssued) -> None:
        """Refuse to take a report whose item this ledger holds in other words than its
        origin issued it: never a verdict on words the inspectorate did not write."""
        held = self.get_recommendation(f"{issued.report}/{issued.ref}").history[0]
        if not isinstance(held, RecommendationIssued) or (held.kind, held.text) != (
            issued.kind,
            issued.text,
        ):
            raise RuleBrokenError(
                "{org} holds {key} in words its origin did not issue; nothing was "
                "recorded; check {org}'s ledger ({hint})",
                org=self.org or "this ledger",
                key=f"{issued.report}/{issued.ref}",
                hint=Hint.to(Fix.VERIFY),
            )

    def _received(self, code: str, origin: str) -> Report | None:
        """This ledger's report ``code`` as received from ``origin``; None when it holds
        none; refused when its report of that code is not one ``origin`` issued."""
        try:
            report = cast(Report, self.repository.get(report_id(code)))
        except AggregateNotFoundError:
            return None
        if not isinstance(report, Report) or report.origin != origin:
            raise RuleBrokenError(
                "{org} holds a report {code} that {origin} did not issue, so {origin}'s "
                "national report {code} cannot be received; nothing was recorded",
                org=self.org or "this ledger",
                code=code,
                origin=origin,
            )
        return report

    def identity_text(self) -> str:
        """This ledger as its identity names it, for refusals."""
        identity = self.identity()
        if identity is not None:
            return identity.describe()
        return f"organisation {self.org}'s ledger" if self.org else "the single ledger"

    # Verdicts --------------------------------------------------------------------------

    def give_verdict(
        self,
        holder: National,
        key: str,
        verdict: str | Verdict,
        *,
        reason: str,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Record the inspectorate's ``verdict`` on item ``key`` of ``holder`` (the
        ledger of the organisation that holds it), in this inspectorate's ledger."""
        if self.kind() != GIVES_VERDICTS:
            raise RuleBrokenError(
                "verdicts are an inspectorate's; {this} is not one",
                this=self.identity_text(),
            )
        self.authorize(actor, what="giving a verdict")
        org = holder.org
        if org is None or holder.identity() is None or org == self.org:
            raise RuleBrokenError(
                "a verdict is on an item of another organisation in this store; "
                "{holder} is not one",
                holder=holder.identity_text(),
            )
        item = holder.get_recommendation(key)
        day = self.check_on(on)
        issued = item.history[0].on
        if day < issued:
            raise RuleBrokenError(
                "{field} {day} is before {key} was added to {org}'s ledger ({issued}); a "
                "verdict is on an item the organisation holds: give a date on or after that",
                field=Field.ON,
                day=day.isoformat(),
                key=item.key,
                org=org,
                issued=issued.isoformat(),
            )
        said = verdict if isinstance(verdict, Verdict) else parse_verdict(verdict)
        why = required_reason(reason, "a verdict", item.key)
        verdicts = self._verdicts(org) or Verdicts.begin(org=org, actor=actor, on=day)
        verdicts.give(item.key, said, why, actor, day)
        return self.save_all(verdicts, what=f"the verdicts on {org}'s items")

    def _verdicts(self, org: str) -> Verdicts | None:
        try:
            found: object = self.repository.get(verdicts_id(org))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Verdicts) else None

    def verdicts_on_many(
        self, orgs: Iterable[str], *, as_at: date = date.max, known_at: datetime | None = None
    ) -> dict[str, dict[str, GivenVerdict]]:
        """:meth:`verdicts` of each of ``orgs``, read in one pass over this ledger's
        verdicts rather than a stream at a time (a national register's 43 forces)."""
        streams = {verdicts_id(org): org for org in orgs}
        given: dict[str, dict[str, list[GivenVerdict]]] = {org: {} for org in streams.values()}
        for _, event in self.read_log(types=(VerdictGiven,)):
            org = streams.get(event.originator_id)
            if org is not None:
                verdict = given_of(cast(VerdictGiven, event))
                given[org].setdefault(verdict.key, []).append(verdict)
        return {org: in_effect(found, as_at, known_at) for org, found in given.items()}

    def verdicts(
        self, org: str, *, as_at: date = date.max, known_at: datetime | None = None
    ) -> dict[str, GivenVerdict]:
        """This inspectorate's verdict in effect on each of ``org``'s items on ``as_at``,
        of those recorded by ``known_at`` (every one when None), by item key."""
        verdicts = self._verdicts(org)
        return verdicts.as_at(as_at, known_at) if verdicts is not None else {}


#: What an issuer's ledger issued nationally: each report's registration, and its items
#: addressed to forces by ref.
IssuedReports = dict[str, tuple[ReportRegistered, dict[str, RecommendationIssued]]]


def check_received(
    lines: Iterable[tuple[int, dict[str, Any] | str]],
    issued_by: Callable[[str], IssuedReports | None],
    *,
    where: str = "line",
    ending: str = "nothing was restored",
) -> None:
    """Refuse, naming its line (``where``: or its position in a ledger's log), a report a
    backup says it received (its ``origin``), or an item of one, that differs from what
    the issuer's ledger issued, when the store holds that ledger (``issued_by`` gives
    None for one it does not): a force's backup cannot plant a national report, reword
    one, or lift its restriction."""
    received: dict[str, IssuedReports | None] = {}
    for number, line in lines:
        state = _state(line)
        if state is None:
            continue
        kind, fields = state
        if kind == "ReportRegistered" and fields.get("origin"):
            issued = issued_by(str(fields["origin"]))
            received[str(fields.get("code"))] = issued
            if issued is None:
                continue
            found = issued.get(str(fields.get("code")))
            said = (
                fields.get("title"),
                fields.get("scope"),
                fields.get("published"),
                bool(fields.get("restricted", False)),
            )
            if found is None or said != (
                found[0].title,
                found[0].scope.value,
                found[0].published.isoformat(),
                found[0].restricted,
            ):
                raise RuleBrokenError(
                    f"{where} {number}: report {fields.get('code')} says {fields['origin']} "
                    f"issued it, and that ledger in this store did not issue it so; {ending}"
                )
        elif kind == "RecommendationIssued" and str(fields.get("report")) in received:
            issued = received[str(fields.get("report"))]
            if issued is None:
                continue
            item = issued[str(fields["report"])][1].get(str(fields.get("ref")))
            if item is None or (fields.get("kind"), fields.get("text"), fields.get("to", [])) != (
                item.kind.value,
                item.text,
                list(item.to),
            ):
                raise RuleBrokenError(
                    f"{where} {number}: {fields['report']}/{fields.get('ref')} is not an item "
                    f"its report's issuer issued in these words; {ending}"
                )


def _state(line: dict[str, Any] | str) -> tuple[str, dict[str, Any]] | None:
    """A backup line's event type and its own facts, when it has them in clear."""
    if not isinstance(line, dict):
        return None
    kind, payload = line.get("type"), line.get("payload")
    if not isinstance(kind, str) or not isinstance(payload, dict):
        return None  # an encrypted ledger's, or not an event: the restore judges it
    return kind, payload
