"""The ledger: one application whose methods are the command API."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Mapper, OperationalError, Transcoder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic

from events import Kind, LedgerEvent, PaperIssued, Role, Scope, SignOffFor, Status
from ledger.aggregates import Access, Committee, Recommendation, Report, Rules, fold_name
from ledger.chain import Chainer, Digest, Verdict, check
from ledger.due import parse_due
from ledger.errors import (
    AlreadyExistsError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    LedgerError,
    NotFoundError,
    RuleBrokenError,
)
from ledger.keys import (
    ACCESS_ID,
    ACCESS_KEY,
    RULES_ID,
    RULES_KEY,
    check_code,
    check_ref,
    committee_id,
    recommendation_id,
    report_id,
    split_event_id,
    split_key,
)
from ledger.persistence import PydanticMapper

if TYPE_CHECKING:
    from ledger.importing import ImportOutcome
    from ledger.tracker import TrackerRow
    from ledger.updates import UpdateOutcome, UpdateRow

A = TypeVar("A", Report, Recommendation, Committee)

KINDS = {
    "recommendation": Kind.RECOMMENDATION,
    "recommendations": Kind.RECOMMENDATION,
    "rec": Kind.RECOMMENDATION,
    "afi": Kind.AFI,
    "area for improvement": Kind.AFI,
    "areas for improvement": Kind.AFI,
    "concern": Kind.CONCERN,
    "cause of concern": Kind.CONCERN,
    "cause for concern": Kind.CONCERN,  # seed 002's wording
    "causes of concern": Kind.CONCERN,
}
#: Papers print NEW GREEN / NEW RED; the stored status is the colour.
STATUSES = {s.value: s for s in Status} | {"NEW GREEN": Status.GREEN, "NEW RED": Status.RED}
MAX_TEXT = 20_000
#: How long one link to evidence may be, and how many a request may carry.
MAX_LINK, MAX_LINKS = 2_000, 20
#: How often a change is tried against an item other writers keep changing.
CHANGE_ATTEMPTS = 5
#: Events and links read at a time when verifying the chain.
PAGE = 5000


def parse_kind(text: str) -> Kind:
    kind = KINDS.get(" ".join(text.lower().split()))
    if kind is None:
        raise InvalidInputError(
            f"kind {text!r} is not known; use recommendation, afi (area for improvement) "
            "or concern (cause of concern)"
        )
    return kind


def parse_status(text: str) -> Status:
    status = STATUSES.get(" ".join(text.upper().split()))
    if status is None:
        raise InvalidInputError(f"status {text!r} is not known; use GREEN, AMBER, RED or WHITE")
    return status


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is not a role; use one of {', '.join(r.value for r in Role)}"
        ) from None


def parse_sign_off_for(text: str) -> SignOffFor:
    word = " ".join(text.lower().split())
    for change in SignOffFor:
        if word in (change.value, change.value.rstrip("s")):
            return change
    raise InvalidInputError(
        f"{text!r} is not a change that can need sign-off; use closures or extensions"
    )


def clean_links(links: Sequence[str]) -> list[str]:
    """Links to evidence: each on one line, a web address or a document's place."""
    cleaned = []
    for link in links:
        text = link.strip()
        if not text:
            raise InvalidInputError("a --link is empty; give the address of the evidence")
        if len(text) > MAX_LINK or any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise InvalidInputError(
                f"--link {text[:40]!r}... is not an address: at most {MAX_LINK} characters "
                "on one line, without control characters"
            )
        cleaned.append(text)
    if len(cleaned) > MAX_LINKS:
        raise InvalidInputError(f"{len(cleaned)} links; give at most {MAX_LINKS}")
    return cleaned


def parse_scope(text: str) -> Scope:
    """``national`` or ``force``; papers' "National report" and "Force report" too."""
    words = text.strip().lower().split()
    if len(words) == 2 and words[1] in ("report", "inspection"):
        words = words[:1]
    try:
        return Scope(" ".join(words))
    except ValueError:
        raise InvalidInputError(f"scope {text!r} is not known; use national or force") from None


def clean_text(value: str | None, what: str, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInputError(f"{what} is empty; give the text")
        return None
    if len(text) > MAX_TEXT:
        raise InvalidInputError(f"{what} is {len(text)} characters long; the limit is {MAX_TEXT}")
    return text


class Ledger(Application[UUID]):
    """An audit ledger of inspection reports and their recommendations."""

    name = "ragw"
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "1000"}

    #: Where "today" comes from; the future is refused against it.
    today: Callable[[], date] = staticmethod(date.today)

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=PydanticMapper
        )

    def construct_transcoder(self) -> Transcoder:
        return self.factory.transcoder()

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
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        self.authorize(actor, what="adding a report")
        code = check_code(code)
        on = self._check_on(on)
        if published > self.today():
            raise RuleBrokenError(
                f"--published {published.isoformat()} is in the future; "
                "register a report once it is published"
            )
        if makes is not None and makes < 0:
            raise InvalidInputError("--makes must be 0 or more: the recommendations it makes")
        if report_id(code) in self.repository:
            raise AlreadyExistsError(
                f"report {code} already exists; choose another code "
                f"(see `ragw board --report {code}`)"
            )
        if committee_id(code) in self.repository:
            raise AlreadyExistsError(
                f"{code} is the code of a committee; give the report a code of its own"
            )
        report = Report.register(
            code=code,
            title=clean_text(title, "--title", required=True) or "",
            scope=scope if isinstance(scope, Scope) else parse_scope(scope),
            published=published,
            inspectorates=[i.strip() for i in inspectorates if i.strip()],
            makes=makes,
            actor=actor,
            on=on,
        )
        return self.save_all(report, what=f"report {code}")

    def get_report(self, code: str) -> Report:
        return self._get(
            Report,
            report_id(check_code(code)),
            f"no report {code}; register it with `ragw report add` (see `ragw board`)",
        )

    # Committees and meetings ----------------------------------------------------------

    def register_committee(
        self, code: str, *, name: str, actor: str, on: date | None = None
    ) -> list[str]:
        self.authorize(actor, what="adding a committee")
        code = check_code(code, what="committee code")
        on = self._check_on(on)
        if committee_id(code) in self.repository:
            raise AlreadyExistsError(f"committee {code} already exists; see `ragw committee list`")
        if report_id(code) in self.repository:
            raise AlreadyExistsError(
                f"{code} is the code of a report; give the committee a code of its own"
            )
        committee = Committee.register(
            code=code, name=clean_text(name, "--name", required=True) or "", actor=actor, on=on
        )
        return self.save_all(committee, what=f"committee {code}")

    def schedule_meeting(
        self,
        committee: str,
        meeting: date,
        *,
        paper: str | None = None,
        actor: str,
        on: date | None = None,
    ) -> list[str]:
        """Add a meeting of ``committee`` on ``meeting`` (it may still be to come)."""
        self.authorize(actor, what="adding a meeting")
        found = self.get_committee(committee)
        day = self._check_on(on)
        paper = clean_text(paper, "--paper", required=False)
        if paper is not None and len(paper) > 100:
            raise InvalidInputError(
                f"--paper is {len(paper)} characters long; give the paper's reference "
                "(e.g. 'Pol 49/15'), at most 100 characters"
            )
        found.schedule_meeting(meeting, paper, actor, day)
        return self.save_all(found, what=f"committee {found.code}")

    # Who may do what ----------------------------------------------------------------

    def access(self) -> Access | None:
        """The roles granted; None while the ledger is open to whoever can write it."""
        try:
            return cast(Access, self.repository.get(ACCESS_ID))
        except AggregateNotFoundError:
            return None

    def authorize(
        self, actor: str, *, item: Recommendation | None = None, owner: str | None = None,
        what: str,
    ) -> None:  # fmt: skip
        """Refuse ``actor`` unless the roles allow ``what``: governance may do anything;
        an owner may change the items (or apply the sheets) of the owners it acts for;
        an auditor only reads. A ledger where no role was ever granted is open."""
        access = self.access()
        if access is None:
            return
        roles = access.roles_of(actor)
        if Role.GOVERNANCE in roles:
            return
        if item is not None and owner is None:
            owner = item.state_as_at(date.max).owner
        acts_for = access.acts_for(actor)
        if Role.OWNER in roles and owner is not None and fold_name(owner) in acts_for:
            return
        if not roles:
            raise ForbiddenError(
                f"{actor} holds no role in this ledger, so may not do anything but read; "
                f"ask governance to grant one (`ragw role grant '{actor}' owner --acts-for "
                "OWNER`)"
            )
        if Role.OWNER in roles and (item is not None or owner is not None):
            whose = f"owned by {owner}" if owner else "owned by nobody"
            raise ForbiddenError(
                f"{actor} acts for {', '.join(sorted(acts_for))}; {what} ({whose}) needs "
                "its owner or governance; nothing was recorded"
            )
        held = " and ".join(sorted(role.value for role in roles))
        raise ForbiddenError(
            f"{actor} is {held} here: {what} needs governance; nothing was recorded"
        )

    def grant_role(
        self, name: str, role: str, *, acts_for: str | None = None, actor: str
    ) -> list[str]:
        """Grant ``role`` to ``name``. The first role granted, which turns access control
        on, must be governance; after that only governance grants."""
        held = parse_role(role)
        who = clean_text(name, "NAME", required=True) or ""
        owner = clean_text(acts_for, "--acts-for", required=False)
        access = self.access()
        if access is None:
            if held is not Role.GOVERNANCE:
                raise RuleBrokenError(
                    "the first role granted turns access control on and must be governance "
                    f"(e.g. `ragw role grant '{actor}' governance`), or nobody could grant "
                    "roles after it"
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
            raise NotFoundError("no role was ever granted in this ledger; see `ragw role list`")
        self.authorize(actor, what="revoking roles")
        access.revoke(name, parse_role(role), acts_for, actor, self.today())
        return self.save_all(access, what="the roles")

    # Sign-off ---------------------------------------------------------------------------

    def rules(self) -> Rules | None:
        """The ledger's rules; None while none was ever set."""
        try:
            return cast(Rules, self.repository.get(RULES_ID))
        except AggregateNotFoundError:
            return None

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
        """Why ``actor``'s ``change`` (None: setting GREEN) must wait for sign-off: the
        committees that require it, or ``["roles"]`` for an owner's GREEN under access
        control; empty when it takes effect at once. Governance's changes never wait:
        governance is who signs off."""
        access = self.access()
        if access is not None and Role.GOVERNANCE in access.roles_of(actor):
            return []
        if change is None:
            return [ACCESS_KEY] if access is not None else []
        rules = self.rules()
        return rules.requiring(change) if rules is not None else []

    def claim_completion(
        self, key: str, *, evidence: str, links: Sequence[str] = (), actor: str,
        on: date | None = None,
    ) -> list[str]:  # fmt: skip
        """The owner says ``key`` is implemented; it is GREEN once signed off."""
        text = clean_text(evidence, "--evidence", required=False)
        if not text:
            raise RuleBrokenError(
                f'completion needs its evidence: add --evidence "what was done" for {key}'
            )
        found = clean_links(links)
        return self._change(
            key, on, lambda item, day: item.claim_completion(text, found, actor, day), actor
        )

    def sign_off(
        self, key: str, *, note: str | None = None, actor: str, on: date | None = None
    ) -> list[str]:
        """Accept ``key``'s pending request: it takes effect as of ``on``."""
        said = clean_text(note, "--note", required=False)
        self.authorize(actor, what="signing off")
        return self._change(key, on, lambda item, day: item.sign_off(said, actor, day), actor)

    def reject_sign_off(
        self, key: str, *, reason: str, actor: str, on: date | None = None
    ) -> list[str]:
        """Refuse ``key``'s pending request, with a reason; the item stays as it was."""
        why = self._reason(reason, "a rejection", key)
        self.authorize(actor, what="rejecting a sign-off")
        return self._change(key, on, lambda item, day: item.reject_sign_off(why, actor, day), actor)

    def get_committee(self, code: str) -> Committee:
        return self._get(
            Committee,
            committee_id(check_code(code, what="committee code")),
            f"no committee {code}; add it with `ragw committee add {code} --name ...` "
            "(see `ragw committee list`)",
        )

    # Recommendations -------------------------------------------------------------------

    def issue_recommendation(
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
    ) -> list[str]:
        self.authorize(actor, what="adding an item")
        item = self.prepare_recommendation(
            code, ref, kind=kind, text=text, owner=owner, lead=lead, due=due,
            status=status, reason=reason, actor=actor, on=on,
        )  # fmt: skip
        return self.save_all(item, what=item.key)

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
    ) -> Recommendation:
        """Check and build a new item without saving it (batches save many at once).
        ``known_new``: the caller has just found that the key is not in the ledger."""
        report = report or self.get_report(code)
        ref = check_ref(ref)
        on = self._check_on(on, not_before=report.published, since="its report was published")
        if not known_new and recommendation_id(report.code, ref) in self.repository:
            raise AlreadyExistsError(
                f"{report.code}/{ref} already exists; refs are unique within a report "
                f"(see `ragw history {report.code}/{ref}`)"
            )
        if isinstance(status, str):
            status = parse_status(status) if status.strip() else None
        return Recommendation.issue(
            report=report,
            ref=ref,
            kind=kind if isinstance(kind, Kind) else parse_kind(kind),
            text=clean_text(text, "--text", required=True) or "",
            owner=clean_text(owner, "--owner", required=False),
            lead=clean_text(lead, "--lead", required=False),
            due=parse_due(due, report.published),
            status=status,
            reason=clean_text(reason, "--reason", required=False),
            actor=actor,
            on=on,
        )

    def get_recommendation(self, key: str) -> Recommendation:
        code, ref = split_key(key)
        return self._get(
            Recommendation,
            recommendation_id(code, ref),
            f"no recommendation {code}/{ref}; see `ragw board --report {code}` for its items",
        )

    def change_status(
        self, key: str, status: str | Status, *, reason: str | None = None,
        actor: str, on: date | None = None,
    ) -> list[str]:  # fmt: skip
        status = status if isinstance(status, Status) else parse_status(status)
        reason = clean_text(reason, "--reason", required=False)

        def record(item: Recommendation, day: date) -> None:
            if status is Status.GREEN and self.needs_sign_off(actor, None):
                raise ForbiddenError(
                    f"{actor} is not governance, so GREEN needs sign-off: record `ragw "
                    f'complete {item.key} --evidence "what was done"`; governance signs it off'
                )
            item.change_status(status, reason, actor, day)

        return self._change(key, on, record, actor)

    def set_deadline(
        self, key: str, due: str, *, reason: str | None = None,
        actor: str, on: date | None = None,
    ) -> list[str]:  # fmt: skip
        reason = clean_text(reason, "--reason", required=False)

        def record(item: Recommendation, day: date) -> None:
            published = self.get_report(item.history[0].report).published  # type: ignore[attr-defined]
            item.set_deadline(parse_due(due, published), reason, actor, day)

        return self._change(key, on, record, actor)

    def extend_deadline(
        self, key: str, *, to: date, reason: str, links: Sequence[str] = (), actor: str,
        on: date | None = None,
    ) -> list[str]:  # fmt: skip
        """Move ``key``'s due date later; where a committee grants extensions, ask for it
        (an :class:`~events.ExtensionRequested` that awaits sign-off)."""
        why = self._reason(reason, "an extension", key)
        found = clean_links(links)
        if self.needs_sign_off(actor, SignOffFor.EXTENSIONS):
            return self._change(
                key, on, lambda item, day: item.request_extension(to, why, found, actor, day),
                actor,
            )  # fmt: skip
        return self._change(
            key, on, lambda item, day: item.extend_deadline(to, why, actor, day), actor
        )

    def note_progress(
        self, key: str, text: str, *, actor: str, on: date | None = None
    ) -> list[str]:
        note = clean_text(text, "the note", required=True) or ""
        return self._change(key, on, lambda item, day: item.note_progress(note, actor, day), actor)

    def assign_owner(
        self, key: str, owner: str, *, actor: str, on: date | None = None
    ) -> list[str]:
        who = clean_text(owner, "the owner", required=True) or ""
        return self._change(key, on, lambda item, day: item.assign_owner(who, actor, day), actor)

    def close_recommendation(
        self, key: str, *, reason: str, links: Sequence[str] = (), actor: str,
        on: date | None = None,
    ) -> list[str]:  # fmt: skip
        """Take ``key`` off the tracker; where a committee requires sign-off for
        closures, ask for it (a :class:`~events.ClosureRequested`)."""
        why = self._reason(reason, "closing", key)
        found = clean_links(links)
        if self.needs_sign_off(actor, SignOffFor.CLOSURES):
            return self._change(
                key, on, lambda item, day: item.request_closure(why, found, actor, day), actor
            )
        return self._change(key, on, lambda item, day: item.close(why, actor, day), actor)

    def correct_event(
        self, event_id: str, *, reason: str, actor: str, on: date | None = None
    ) -> list[str]:
        key, version = split_event_id(event_id)
        if "/" not in key:
            raise RuleBrokenError(
                f"{event_id} is an event of {key}, a report or committee; only a recommendation's "
                "events can be corrected (ids like PEEL1819/4@3)"
            )
        why = self._reason(reason, "a correction", key)
        return self._change(
            key, on, lambda item, day: item.correct(version, why, actor, day), actor
        )

    # Batches ------------------------------------------------------------------------

    def import_tracker(
        self,
        rows: list[TrackerRow],
        *,
        source: str,
        actor: str,
        on: date | None = None,
        progress: Callable[[int], object] | None = None,
    ) -> ImportOutcome:
        """Record a tracker's rows as at their dates: all of them in one transaction, or
        none when any row is bad (:class:`BatchRefusedError` lists every one)."""
        self.authorize(actor, what="importing a tracker")
        from ledger.importing import TrackerImport

        return TrackerImport(self, source=source, actor=actor, on=on, progress=progress).run(rows)

    def apply_updates(
        self, rows: list[UpdateRow], *, source: str, owner: str, actor: str,
        on: date | None = None,
    ) -> UpdateOutcome:  # fmt: skip
        """Record an owner's filled-in update sheet as that owner: all rows or none.
        ``actor`` (who applies it) must be governance or act for that owner."""
        from ledger.updates import SheetRules, apply_updates

        self.authorize(actor, owner=owner, what=f"applying {owner}'s update sheet")
        rules = SheetRules(
            green=bool(self.needs_sign_off(actor, None)),
            extensions=bool(self.needs_sign_off(actor, SignOffFor.EXTENSIONS)),
        )
        return apply_updates(self, rows, source=source, owner=owner, on=on, rules=rules)

    def restore_backup(
        self,
        lines: Iterable[tuple[int, dict[str, Any] | str]],
        *,
        source: str,
        progress: Callable[[int], object] | None = None,
    ) -> int:
        """Write a backup's events, unchanged, into this ledger, which must be empty."""
        from ledger.backup import restore

        try:
            return restore(self, lines, source=source, progress=progress)
        except IntegrityError:
            raise ConflictError(
                "another writer recorded into this ledger during the restore; nothing was "
                "restored; restore into an empty ledger nobody else is writing to"
            ) from None

    # Reads --------------------------------------------------------------------------

    def read_log(
        self, page_size: int = 1000, types: Sequence[type[LedgerEvent]] = ()
    ) -> Iterator[tuple[int, LedgerEvent]]:
        """Every event (or every event of these ``types``) with its position, in the
        order recorded."""
        topics = [get_topic(cls) for cls in types]
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=page_size, topics=topics)
            for notification in page:
                yield notification.id, self.mapper.to_domain_event(notification)  # type: ignore[misc]
            if len(page) < page_size:
                return
            start = page[-1].id + 1

    def verify(
        self, digest: Digest | None = None, progress: Callable[[int], object] | None = None
    ) -> Verdict:
        """Recompute the chain over every stored event against the stored links;
        ``progress`` is told how many events each page held."""
        recorder: Any = self.recorder
        if not hasattr(recorder, "select_stored"):
            raise LedgerError("this ledger keeps no chain of links (an in-memory ledger)")

        def events() -> Iterator[tuple[int, Any, int, str, bytes]]:
            after = 0
            while page := recorder.select_stored(after, PAGE):
                yield from page
                after = page[-1][0]
                if progress is not None:
                    progress(len(page))

        def links() -> Iterator[tuple[int, str]]:
            after = 0
            while page := recorder.select_links(after, PAGE):
                yield from page
                after = page[-1][0]

        return check(events(), links(), digest)

    def issue_paper(
        self, committee: str, meeting: date, *, digest: Digest, read_at: datetime,
        as_known_at: datetime | None, actor: str,
    ) -> list[str]:  # fmt: skip
        """Record that the paper for ``committee``'s meeting on ``meeting`` was issued,
        rendered from the history up to ``digest``, read as known at ``read_at``."""
        self.authorize(actor, what="issuing a paper")
        found = self.get_committee(committee)
        found.issue_paper(meeting, str(digest), read_at, as_known_at, actor, self.today())
        return self.save_all(found, what=f"committee {found.code}")

    def issued_paper(self, committee: str, meeting: date) -> PaperIssued | None:
        """The latest issue of the paper for ``committee``'s meeting on ``meeting``."""
        return self.get_committee(committee).issued.get(meeting)

    def recorded_at(self, position: int) -> datetime:
        """When the event at ``position`` in the log was recorded."""
        (notification,) = self.recorder.select_notifications(start=position, limit=1)
        return cast(LedgerEvent, self.mapper.to_domain_event(notification)).timestamp

    @property
    def encrypted(self) -> bool:
        """Whether events are stored encrypted (a key in ``RAGW_ENCRYPTION_KEY``)."""
        return self.mapper.cipher is not None

    def digest(self) -> Digest | None:
        """The chain's head: the digest papers print (None for a ledger in memory)."""
        recorder: Any = self.recorder
        return Digest(*recorder.head()) if hasattr(recorder, "head") else None

    def event_name(self, stream: str, version: int) -> str:
        """An event's id as `history` shows it (KEY@VERSION), or its stream's id when the
        stream cannot be read."""
        try:
            aggregate: Any = self.repository.get(UUID(stream))
            return f"{stream_key(aggregate)}@{version}"
        except Exception:  # a damaged stream may not load: name it by its id
            return f"{stream}@{version}"

    def last_position(self) -> int:
        """The position of the latest event in the log, 0 when empty. Not a count:
        PostgreSQL may skip positions that a rolled-back write had taken."""
        return self.recorder.max_notification_id() or 0

    # Helpers -------------------------------------------------------------------------

    def _check_on(
        self, on: date | None, *, not_before: date | None = None, since: str = ""
    ) -> date:
        today = self.today()
        on = on or today
        if on > today:
            raise RuleBrokenError(
                f"--on {on.isoformat()} is in the future; record a change once it has "
                f"happened (today is {today.isoformat()})"
            )
        if not_before is not None and on < not_before:
            raise RuleBrokenError(
                f"--on {on.isoformat()} is before {since} ({not_before.isoformat()}); "
                "give a date on or after that"
            )
        return on

    def _reason(self, reason: str | None, what: str, key: str) -> str:
        text = clean_text(reason, "--reason", required=False)
        if not text:
            raise RuleBrokenError(f'{what} needs a reason: add --reason "why" for {key}')
        return text

    def _change(
        self, key: str, on: date | None, command: Callable[[Recommendation, date], None],
        actor: str,
    ) -> list[str]:  # fmt: skip
        """Apply one change to one item. When another writer changed the item first, the
        change is checked again against the item as it now is and retried, so racing
        changes land one after the other; only a writer that keeps losing is refused."""
        day = self._check_on(on)
        for attempt in range(1, CHANGE_ATTEMPTS + 1):
            item = self.get_recommendation(key)
            self.authorize(actor, item=item, what=f"changing {item.key}")
            command(item, day)
            try:
                return self.save_all(item, what=item.key)
            except ConflictError:
                if attempt == CHANGE_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.02) * attempt)  # let the winner finish
        raise AssertionError("unreachable")

    def _get(self, cls: type[A], aggregate_id: UUID, missing: str) -> A:
        try:
            aggregate: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(missing) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(missing)
        return aggregate

    def save_all(self, *aggregates: Any, what: str) -> list[str]:
        """Save in one transaction; return the ids recorded. ``what`` names it in a conflict."""
        recorded: list[str] = []
        events: list[Any] = []
        for aggregate in aggregates:
            pending = aggregate.collect_events()
            if pending:
                key = stream_key(aggregate)
                recorded += [f"{key}@{event.originator_version}" for event in pending]
                events += pending
        # The events go to the store as one atomic write, as Application.save does,
        # without its per-object protocol checks or the notifications it hands on to
        # followers (this ledger's read model follows the log instead): most of an
        # import's time went there.
        try:
            self._insert(events)
        except IntegrityError:
            raise ConflictError(
                f"{what} was changed by another writer at the same moment; nothing was "
                "recorded; run the command again"
            ) from None
        except OperationalError as error:  # e.g. the file stayed locked past the timeout
            raise ConflictError(
                f"the ledger was too busy to record {what} ({' '.join(str(error).split())}); "
                "nothing was recorded; run the command again"
            ) from None
        return recorded

    def _insert(self, events: list[Any]) -> None:
        """Write ``events`` in one transaction. On SQLite with the recorder's own
        statement and transaction, in one ``executemany`` of plain rows: its
        application recorder inserts row by row to hand back notification ids, which
        nothing here reads (the read model follows the log), and that, with the
        stored-event objects made per event, cost half an import's time."""
        recorder = self.recorder
        if isinstance(recorder, SQLiteApplicationRecorder):
            states = cast(PydanticMapper, self.mapper).encode_all(events)
            topics = {kind: get_topic(kind) for kind in {type(event) for event in events}}
            rows, stream, hex_id = [], None, ""
            for event, state in zip(events, states, strict=True):
                if event.originator_id is not stream:  # an aggregate's events come together
                    stream = event.originator_id
                    hex_id = stream.hex
                rows.append((hex_id, event.originator_version, topics[type(event)], state))
            with recorder.datastore.transaction(commit=True) as cursor:
                cursor.executemany(recorder.insert_events_statement, rows)
                chainer: Chainer | None = getattr(recorder, "chainer", None)
                if chainer is not None:  # holding the write lock: these are the last rows
                    cursor.execute(f"SELECT MAX(rowid) FROM {recorder.events_table_name}")
                    first = int(cursor.fetchone()[0]) - len(rows) + 1
                    chainer.extend(cursor, [(first + i, *row) for i, row in enumerate(rows)])
        else:
            to_stored = self.mapper.to_stored_event
            recorder.insert_events([to_stored(e) for e in events])


def stream_key(aggregate: Report | Recommendation | Committee | Access | Rules) -> str:
    if isinstance(aggregate, Access):
        return ACCESS_KEY
    if isinstance(aggregate, Rules):
        return RULES_KEY
    return aggregate.key if isinstance(aggregate, Recommendation) else aggregate.code
