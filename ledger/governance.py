"""What governance sets up before and around the items: reports, committees with their
meetings and the papers issued to them, who may do what (roles), and which changes
await sign-off (rules); and the dates every command is checked against."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from events import PaperIssued, ReportRegistered, Role, Scope, SignOffFor
from ledger.aggregates import Access, Committee, Inspection, Recommendation, Report, Rules
from ledger.aggregates.committee import check_reviewable
from ledger.chain import Digest
from ledger.days import day_of_change
from ledger.errors import (
    AlreadyExistsError,
    Field,
    Fix,
    Hint,
    InvalidInputError,
    NotFoundError,
    RuleBrokenError,
)
from ledger.inputs import (
    MAX_MAKES,
    check_actor,
    clean_inspectorates,
    clean_text,
    parse_role,
    parse_scope,
    parse_sign_off_for,
)
from ledger.keys import check_code, committee_id, inspection_id, report_id
from ledger.log import EventLog
from ledger.permissions import authorize, needs_sign_off


class Governance(EventLog):
    """What governance sets up: reports, committees with their meetings and papers,
    roles, and the rules of sign-off."""

    #: Where "today" comes from; the future is refused against it.
    today: Callable[[], date] = staticmethod(date.today)

    if TYPE_CHECKING:  # the Ledger's, which the commands on items of its parts call

        def _change(
            self,
            key: str,
            on: date | None,
            command: Callable[[Recommendation, date], None],
            actor: str,
            seen: int | None = None,
        ) -> list[str]: ...

    # Reports -------------------------------------------------------------------------

    def register_report(
        self,
        code: str,
        *,
        title: str,
        scope: str | Scope,
        published: date,
        inspectorates: Sequence[str] = (),
        makes: int | None = None,
        restricted: bool = False,
        inspection: str | None = None,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Register a published report; ``restricted``: circulated but not intended for
        publication; ``inspection``: the code of the inspection it reports on."""
        self.authorize(actor, what="adding a report")
        code = check_code(code)
        on = self.check_on(on)
        if published > self.today():
            raise RuleBrokenError(
                "{published} {day} is in the future; register a report once it is published",
                published=Field.PUBLISHED,
                day=published.isoformat(),
            )
        if makes is not None and not 0 <= makes <= MAX_MAKES:
            raise InvalidInputError(
                "{makes} must be from 0 to {most}: the recommendations it makes",
                makes=Field.MAKES,
                most=f"{MAX_MAKES:,}",
            )
        if report_id(code) in self.repository:
            raise AlreadyExistsError(
                "report {code} already exists; choose another code ({hint})",
                code=code,
                hint=Hint.to(Fix.SEE_REPORT, code=code),
            )
        if committee_id(code) in self.repository:
            raise AlreadyExistsError(
                f"{code} is the code of a committee; give the report a code of its own"
            )
        self.check_code_free(code, "report")
        reported = None
        if inspection is not None:
            reported = self.check_report_of(inspection, code, published)
            inspection = reported.code
        report = Report.register(
            code=code,
            title=clean_text(title, Field.TITLE, required=True) or "",
            scope=scope if isinstance(scope, Scope) else parse_scope(scope),
            published=published,
            inspectorates=clean_inspectorates(inspectorates),
            makes=makes,
            restricted=restricted,
            inspection=inspection,
            actor=actor,
            on=on,
        )
        if reported is None:
            return self.save_all(report, what=f"report {code}")
        # The inspection's own stream records the link in the same transaction: of two
        # reports registered at once for it, the second meets the first's event.
        reported.reported(code, actor, on)
        return self.save_all(report, reported, what=f"report {code} of inspection {inspection}")

    def get_report(self, code: str) -> Report:
        return self.get_aggregate(
            Report,
            report_id(check_code(code)),
            lambda: NotFoundError(
                "no report {code}; {hint}", code=code, hint=Hint.to(Fix.REGISTER_REPORT)
            ),
        )

    # Inspections and the reports of them ------------------------------------------------

    def get_inspection(self, code: str) -> Inspection:
        """The inspection ``code``, with the report that names it (if one does)."""
        found = self.get_aggregate(
            Inspection,
            inspection_id(check_code(code, what="inspection code")),
            lambda: NotFoundError(
                "no inspection {code}; {hint}",
                code=code,
                hint=Hint.to(Fix.ADD_INSPECTION, code=code),
            ),
        )
        if found.report is None:  # recorded before the link was kept on its stream
            found.report = self.report_of(found.code)
        return found

    def report_of(self, inspection: str) -> str | None:
        """The code of the report that names ``inspection``, if one does, from the
        reports' own events (a ledger recorded before an inspection's stream kept the
        link holds it there only). Reports are few: their creating events are read, not
        each report's stream."""
        for _, event in self.read_log(types=(ReportRegistered,)):
            if isinstance(event, ReportRegistered) and event.inspection == inspection:
                return event.code
        return None

    def check_report_of(self, inspection: str, report: str, published: date) -> Inspection:
        """The inspection a new ``report`` reports on: one the ledger holds, whose report
        will be published, that no other report names (:meth:`Inspection.reported`
        refuses those), whose fieldwork had ended."""
        found = self.get_inspection(inspection)
        found.check_reportable()
        if published < found.fieldwork_to:
            raise RuleBrokenError(
                "{published} {day} of report {report} is before the fieldwork of inspection "
                "{code} ended ({end})",
                published=Field.PUBLISHED,
                day=published.isoformat(),
                report=report,
                code=found.code,
                end=found.fieldwork_to.isoformat(),
            )
        return found

    def check_code_free(self, code: str, what: str) -> None:
        """Refuse a new report's or committee's ``code`` that an inspection has: event ids
        are named by codes, so every code names one thing."""
        if inspection_id(code) in self.repository:
            raise AlreadyExistsError(
                "{code} is the code of an inspection; give the {what} a code of its own",
                code=code,
                what=what,
            )

    # Committees and meetings ----------------------------------------------------------

    def register_committee(
        self, code: str, *, name: str, actor: str, on: date | None = None
    ) -> list[str]:
        self.authorize(actor, what="adding a committee")
        code = check_code(code, what="committee code")
        on = self.check_on(on)
        if committee_id(code) in self.repository:
            raise AlreadyExistsError(
                "committee {code} already exists; {hint}",
                code=code,
                hint=Hint.to(Fix.SEE_COMMITTEES),
            )
        if report_id(code) in self.repository:
            raise AlreadyExistsError(
                f"{code} is the code of a report; give the committee a code of its own"
            )
        self.check_code_free(code, "committee")
        committee = Committee.register(
            code=code, name=clean_text(name, Field.NAME, required=True) or "", actor=actor, on=on
        )
        return self.save_all(committee, what=f"committee {code}")

    def schedule_meeting(
        self,
        committee: str,
        meeting: date,
        *,
        paper: str | None = None,
        review: Sequence[str] = (),
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Add a meeting of ``committee`` on ``meeting`` (it may still be to come),
        reviewing the reports ``review`` (codes, in the order the paper shows them)."""
        self.authorize(actor, what="adding a meeting")
        found = self.get_committee(committee)
        day = self.check_on(on)
        paper = clean_text(paper, Field.PAPER, required=False)
        if paper is not None and len(paper) > 100:
            raise InvalidInputError(
                "{paper} is {length} characters long; give the paper's reference "
                "(e.g. 'Pol 49/15'), at most 100 characters",
                paper=Field.PAPER,
                length=len(paper),
            )
        found.schedule_meeting(meeting, paper, actor, day, self._reports_held(review, meeting))
        return self.save_all(found, what=f"committee {found.code}")

    def review_at_meeting(
        self,
        committee: str,
        meeting: date,
        review: Sequence[str],
        *,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Make ``committee``'s meeting on ``meeting`` review the reports ``review``, in
        that order, in place of those it named before (none when empty)."""
        self.authorize(actor, what="changing a meeting's reviews")
        found = self.get_committee(committee)
        day = self.check_on(
            on, not_before=found.scheduled.get(meeting), since="the meeting was scheduled"
        )
        found.change_reviews(meeting, self._reports_held(review, meeting), actor, day)
        return self.save_all(found, what=f"committee {found.code}")

    def _reports_held(self, codes: Sequence[str], meeting: date) -> list[str]:
        """``codes`` as checked (stripped), each the code of a report the ledger holds
        published by ``meeting`` (else refused)."""
        checked = [check_code(code) for code in codes]
        for code in checked:
            if report_id(code) not in self.repository:
                raise NotFoundError(
                    "no report {code} to review; {hint}",
                    code=code,
                    hint=Hint.to(Fix.REGISTER_REPORT),
                )
            check_reviewable(code, self.get_report(code).published, meeting)
        return checked

    # Who may do what ----------------------------------------------------------------

    def authorize(
        self,
        actor: str,
        *,
        item: Recommendation | None = None,
        owner: str | None = None,
        what: str,
    ) -> None:
        """Refuse ``actor`` unless the roles allow ``what`` (see :mod:`ledger.permissions`);
        an actor's name is written on every event, so it must be writable too."""
        check_actor(actor)
        access = self.access()
        authorize(access, actor, item=item, owner=owner, what=what)
        self.allowed_under(access)  # the write that follows is held to these roles

    def grant_role(
        self, name: str, role: str, *, acts_for: str | None = None, actor: str
    ) -> list[str]:
        """Grant ``role`` to ``name``. The first role granted, which turns access control
        on, must be governance; after that only governance grants."""
        held = parse_role(role)
        who = clean_text(name, Field.HOLDER, required=True) or ""
        owner = clean_text(acts_for, Field.ACTS_FOR, required=False)
        access = self.access()
        if access is None:
            check_actor(actor)
            if held is not Role.GOVERNANCE:
                raise RuleBrokenError(
                    "the first role granted turns access control on and must be governance "
                    "(e.g. {hint}), or nobody could grant roles after it",
                    hint=Hint.to(Fix.GRANT_GOVERNANCE, name=actor),
                )
            access = Access.control(actor=actor, on=self.today())
        else:
            self.authorize(actor, what="granting roles")
        access.grant(who, held, owner, actor, self.today())
        return self.save_all(access, what="the roles")

    def revoke_role(
        self, name: str, role: str, *, acts_for: str | None = None, actor: str
    ) -> list[str]:
        access = self.access()
        if access is None:
            raise NotFoundError(
                "no role was ever granted in this ledger; {hint}", hint=Hint.to(Fix.SEE_ROLES)
            )
        self.authorize(actor, what="revoking roles")
        access.revoke(name, parse_role(role), acts_for, actor, self.today())
        return self.save_all(access, what="the roles")

    # Sign-off ---------------------------------------------------------------------------

    def set_sign_off_rule(self, committee: str, changes: Sequence[str], *, actor: str) -> list[str]:
        """Make ``committee`` require sign-off for ``changes`` (closures, extensions;
        none: only completion), replacing what it required before."""
        self.authorize(actor, what="setting a committee's rules")
        found = self.get_committee(committee)
        wanted = [parse_sign_off_for(change) for change in changes]
        rules = self.rules() or Rules.adopt(actor=actor, on=self.today())
        rules.set_sign_off(found.code, wanted, actor, self.today())
        return self.save_all(rules, what="the rules")

    def sign_off_rules(self) -> dict[str, list[str]]:
        """What each committee requires sign-off for, beyond completion."""
        rules = self.rules()
        if rules is None:
            return {}
        return {code: sorted(changes) for code, changes in rules.sign_off.items()}

    def needs_sign_off(self, actor: str, change: SignOffFor | None) -> list[str]:
        """Why ``actor``'s ``change`` (None: setting GREEN) must wait for sign-off; empty
        when it takes effect at once (see :mod:`ledger.permissions`)."""
        return needs_sign_off(self.access(), self.rules(), actor, change)

    def get_committee(self, code: str) -> Committee:
        return self.get_aggregate(
            Committee,
            committee_id(check_code(code, what="committee code")),
            lambda: NotFoundError(
                "no committee {code}; {hint}",
                code=code,
                hint=Hint.to(Fix.ADD_COMMITTEE, code=code),
            ),
        )

    def issue_paper(
        self,
        committee: str,
        meeting: date,
        *,
        digest: Digest,
        read_at: datetime,
        as_known_at: datetime | None,
        actor: str,
        at: datetime | None = None,
    ) -> list[str]:
        """Record that the paper for ``committee``'s meeting on ``meeting`` was issued,
        rendered from the history up to ``digest``, read as known at ``read_at``; recorded
        at ``at`` (None: now), when it read the store's other ledgers."""
        self.authorize(actor, what="issuing a paper")
        found = self.get_committee(committee)
        found.issue_paper(meeting, str(digest), read_at, as_known_at, actor, self.today(), at=at)
        return self.save_all(found, what=f"committee {found.code}")

    def issued_paper(
        self, committee: str, meeting: date, *, known_at: datetime | None = None
    ) -> PaperIssued | None:
        """The latest issue of the paper for ``committee``'s meeting on ``meeting`` (of
        those recorded by ``known_at``, when given: a re-issue after it was not known)."""
        found = self.get_committee(committee)
        if known_at is None:
            return found.issued.get(meeting)
        known = [issue for issue in found.issues.get(meeting, []) if issue.timestamp <= known_at]
        return known[-1] if known else None

    # Helpers ---------------------------------------------------------------------------

    def check_on(self, on: date | None, *, not_before: date | None = None, since: str = "") -> date:
        """The day a change takes effect: ``on`` or today; never in the future, never
        before ``not_before`` (``since`` says what happened then)."""
        return day_of_change(on, self.today(), not_before=not_before, since=since)
