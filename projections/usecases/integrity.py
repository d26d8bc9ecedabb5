"""Whether the history is intact (the chain of every event) and the read model is what
it gives (every stored row), and rebuilding the read model derived from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ledger.errors import FIELD_WORDS, Field, Fix, Hint, KeyRefusedError, LedgerError
from ledger.exchange.backup import CLOCK_TOLERANCE
from ledger.exchange.backup.replay import first_unruled
from ledger.storage.keycheck import hold_reading, lacks_key
from projections.committee import paper_of
from projections.store.audit import Audit, Difference
from projections.store.follower import Follower
from projections.store.schema import SealedOtherwise
from projections.store.stored_rows import Stored, schema_difference
from projections.usecases.logins import check_logins, logins_noted

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.chain import Digest, Verdict
    from projections.committee import Paper
    from projections.store.audit import Audited
    from projections.usecases.papers import Pinned
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class Verified:
    """An intact chain: how many events check out, and the ledger's digest."""

    events: int
    head: Digest
    #: The digest asked about, which holds, and how many events extend it.
    digest: Digest | None = None
    since: int = 0
    #: The read model (an encrypted ledger's sealed: its rows compared opened), every
    #: row of which is what the events give; None when it was not checked
    #: (``events_only``, or none is kept yet).
    model: Audited | None = None
    #: Whether a read model is kept, sealed, and was not checked: the ledger is
    #: encrypted and its key was not given (its chain, which needs none, was checked).
    unopened: bool = False
    #: Whether a read model is kept beside the events (none is until the first read).
    kept: bool = True
    #: How many events were replayed through the rules they were recorded under; None
    #: when they were not (see :func:`verify`).
    replayed: int | None = None
    #: How many events the server noted the login of (PostgreSQL under roles) that were
    #: not checked against their actors and the rules, the key not given.
    unchecked: int = 0
    #: The issuers whose ledgers this login may not read, so the reports received from
    #: them were not checked against what they issued (:mod:`.received`).
    unread_issuers: tuple[str, ...] = ()

    def said(self, key: str = FIELD_WORDS[Field.ENCRYPTION_KEY]) -> list[str]:
        """What verify says of this intact ledger, a line each, but its digest: every
        front end (the command, the web service, the audit pack) says the same, naming
        the encryption key as it is given to it (``key``)."""
        lines = [f"ok: {_events(self.events)}, every link matches"]
        if self.replayed is not None:
            lines.append(
                f"ok: {_events(self.replayed)} replayed, each what the rules it was recorded "
                "under give"
            )
        without = f"the ledger is encrypted and {key} was not given"
        if self.unchecked:
            lines.append(
                f"{without}: the logins and rules of {_events(self.unchecked)} recorded "
                "under roles were not checked, as only the key reads the events; their "
                "chain was"
            )
        for issuer in self.unread_issuers:
            lines.append(
                f"the reports received from {issuer} were not checked against {issuer}'s "
                "ledger, which this login may not read (its schema closed to it, or kept "
                "under another key); a login that may (the store's owner) checks them"
            )
        model = self.model
        if model is not None:
            behind = (
                f"; {model.behind} later event{'s are' if model.behind != 1 else ' is'} not "
                "in it yet (the next read brings them in)"
                if model.behind
                else ""
            )
            lines.append(
                f"ok: read model, {model.rows} rows, each what the events up to position "
                f"{model.position} give{behind}"
            )
        elif self.unopened:
            lines.append(
                f"{without}: the read model was not checked, as only the key opens it; the "
                "events' chain was"
            )
        elif not self.kept:
            lines.append(
                "no read model is kept beside the events yet (the first read derives it): "
                "the events alone were checked"
            )
        return lines


def _events(count: int) -> str:
    return f"{count} event{'s' if count != 1 else ''}"


def verify(
    session: LedgerSession,
    digest: Digest | None = None,
    *,
    events_only: bool = False,
    rules: bool = False,
    open_org: Callable[[str], LedgerSession] | None = None,
    open_clear: Callable[[str], LedgerSession] | None = None,
) -> Verified:
    """Recompute the whole chain (and, given a paper's ``digest``, check that the
    history up to it is unchanged); refuses, naming the first event that no longer
    matches, when the history was altered. Then replay every event through the rules it
    passed when it was recorded (:func:`check_rules`) where a login could have written
    past them, or when ``rules`` asks. Then, unless ``events_only``, check that every
    row of the read model is what the events give (:func:`verify_model`).

    The rules are replayed, unasked, only on PostgreSQL under roles (the server notes
    each event's login): there every writer's login may insert events, so one can record,
    with the library and her own login, what no command would let her (a role granted to
    herself, GREEN without sign-off), and the chain links it like any other. A SQLite
    file has no such writer: whoever can write it can rewrite it whole, chain and all,
    and a replay (about as slow as a restore, several times the chain's time) proves
    nothing the chain does not. With the replay, an organisation's ledger has the
    reports it received held against their issuers' ledgers, opened by ``open_org``
    (or, kept in clear beside an encrypted one, by ``open_clear``: :mod:`.received`)."""
    ledger = session.ledger(write=False, keyless=True)  # the chain needs no key
    with session.progress(ledger.last_position(), "Verifying the chain") as bar:
        verdict = ledger.verify(digest, progress=bar)
    result = verified(ledger, verdict, digest)
    check_key_record(ledger)
    if lacks_key(ledger):  # as its record says, not as its model's mark does
        return _without_key(session, result, events_only=events_only, rules=rules)
    replaying = check_logins(session) or rules
    if replaying or not events_only:
        # the chain needed no key; what follows decrypts with the key given, if one is:
        # it must be the ledger's own (another would make every stored row "differ")
        hold_reading(ledger, even_without_key=False)
    if replaying:
        result = replace(result, replayed=check_rules(session))
        if ledger.org is not None and open_org is not None:
            from projections.usecases.received import check_received_reports

            unread = check_received_reports(session, open_org, open_clear)  # refuses a
            # planted one
            result = replace(result, unread_issuers=unread)
    if events_only:
        return result
    if sealed_without_key(session):  # and the ledger is kept in clear: a mark forged
        raise LedgerError(
            "the read model differs from the events: it says it is sealed under a key, and "
            "this ledger is kept in clear; the events are intact, so {hint}",
            hint=Hint.to(Fix.REBUILD),
        )
    model = verify_model(session)
    return replace(result, kept=False) if model is None else replace(result, model=model)


def _without_key(
    session: LedgerSession, result: Verified, *, events_only: bool, rules: bool
) -> Verified:
    """An encrypted ledger verified without its key: its chain needs none, and holds;
    the rest reads what only the key opens (the events' actors and rules, the read
    model), so it is said unchecked: asked for (``rules``), refused."""
    if rules:
        raise KeyRefusedError(
            "the rules are replayed through the events themselves, which this ledger keeps "
            "encrypted, and {key} is not set; set {key} to its key (a verify without the "
            "replay checks the chain without it)",
            key=Field.ENCRYPTION_KEY,
        )
    result = replace(result, unchecked=len(logins_noted(session)))
    if events_only:
        return result
    store = Stored(session.ledger(write=False), session.target)
    try:
        kept = store.kept()
        sealed = store.sealed_without_key()
    finally:
        store.close()
    if kept and not sealed:  # kept in clear beside an encrypted ledger: not its own
        raise LedgerError(
            "the read model differs from the events: it is kept in clear, and this ledger "
            "is encrypted; the events are intact, so {hint} (with {key} set to its key)",
            hint=Hint.to(Fix.REBUILD),
            key=Field.ENCRYPTION_KEY,
        )
    return replace(result, kept=kept, unopened=kept)


def check_key_record(ledger: Ledger) -> None:
    """Refuse when the ledger's record of its encryption (which every write is held to,
    and which the chain does not cover) disagrees with its first or last stored event."""
    recorder: Any = ledger.recorder
    guard = getattr(recorder, "key_guard", None)
    if guard is None:
        return
    with recorder.datastore.transaction(commit=False) as cursor:
        found = guard.disagreement(cursor)
    if found is not None:
        raise LedgerError(
            "{found}: the record has been altered (the chain covers the events, not the "
            "record), and a write held to it could record what the ledger cannot read; its "
            "owner must write the record again as the events show it",
            found=found,
        )


def check_rules(session: LedgerSession) -> int:
    """Replay every event, in the order recorded, through the rules it passed when it was
    recorded, as a restore of the ledger's backup does; refuse, naming the first event
    that could not have been recorded and the rule, when one could not. How many events
    were replayed."""
    ledger = session.ledger(write=False)
    latest = datetime.now(UTC) + CLOCK_TOLERANCE
    count = ledger.last_position()
    with session.progress(count, "Replaying the rules") as bar:
        found = first_unruled(ledger.read_log(), latest=latest, progress=bar, org=ledger.org)
    if found is not None:
        event = found.event
        raise LedgerError(
            "event {name} (position {position}) could not have been recorded by any "
            "command: {why}; it was written outside the ledger's rules, and a restore of "
            "the ledger's backup refuses it; restore the ledger from a backup taken before it",
            name=ledger.event_name(str(event.originator_id), event.originator_version),
            position=found.position,
            why=found.why,
        )
    return count


def sealed_without_key(session: LedgerSession) -> bool:
    """Whether the read model says it is sealed (an encrypted ledger's) and the session
    has no key to open it."""
    store = Stored(session.ledger(write=False), session.target)
    try:
        return store.sealed_without_key()
    finally:
        store.close()


def verify_model(session: LedgerSession) -> Audited | None:
    """Check that every stored row of the read model (reports, committees, meetings,
    spans, board lines, each meeting's paper rows and lines, the tracking position) is
    exactly what the events up to its position give; refuses, naming the first row that
    differs (table, item, day), when one does. None when the ledger keeps no model."""
    ledger = session.ledger(write=False)
    store = Stored(ledger, session.target)
    try:
        if not store.kept():
            return None
        found: Audited | Difference | None = schema_difference(store)
        if found is None:
            with session.progress(ledger.last_position(), "Verifying the read model") as bar:
                found = Audit(store, progress=bar).run()
    finally:
        store.close()
    if isinstance(found, Difference) and found.log_behind:
        raise LedgerError(
            "the read model differs from the events: {found}; it read events the log no "
            "longer holds, so events were deleted or replaced since (the chain alone cannot "
            "show it: their links went with them). Compare the ledger with its last backup "
            "or the digest on its last paper before any rebuild, which would forget them",
            found=str(found),
        )
    if isinstance(found, Difference) and found.owner_fix:
        raise LedgerError(
            "the read model differs from the events: {found}; the events are intact, so "
            "the tables' owner must give the column its type again ({fix}), then {hint}",
            found=str(found),
            fix=found.owner_fix,
            hint=Hint.to(Fix.REBUILD),
        )
    if isinstance(found, Difference):
        raise LedgerError(
            "the read model differs from the events: {found}; the events are intact, so {hint}",
            found=str(found),
            hint=Hint.to(Fix.REBUILD),
        )
    assert found is not None
    return found


def verified(ledger: Ledger, verdict: Verdict, digest: Digest | None) -> Verified:
    """The chain's ``verdict`` as an intact history, or the refusal that names what
    broke."""
    if verdict.broken is not None:
        at = verdict.broken
        name = ledger.event_name(at.stream, at.version) if at.stream and at.version else None
        which = (
            f"event {name} (position {at.position})"
            if name
            else f"the event at position {at.position}"
        )
        raise LedgerError(
            f"{which} {at.why}; the history has been altered after it was recorded "
            f"({verdict.events} events before it check out); restore the ledger from a backup "
            "or an export and compare"
        )
    if digest is not None and verdict.digest_holds is None:
        raise LedgerError(
            f"the ledger has no event at position {digest.position} (its last is "
            f"{verdict.head.position}): the digest is not of this ledger, or its history "
            "was cut short"
        )
    if digest is not None and not verdict.digest_holds:
        raise LedgerError(
            f"the history up to position {digest.position} is not the one the digest was "
            "taken of: it has been rewritten since"
        )
    since = verdict.head.position - digest.position if digest is not None else 0
    return Verified(verdict.events, verdict.head, digest, since)


def refuse_unless_folded(
    session: LedgerSession,
    paper: Paper,
    pinned: Pinned,
    committee: str,
    meeting: date,
    *,
    include_restricted: bool = False,
) -> None:
    """Refuse to issue ``paper`` (rendered from the fold of exactly the events of its
    ``pinned`` history) unless the read model gives the very same paper as known at the
    same moment: every other read of it comes from the model, so a committee must never
    be issued one paper while boards and summaries show another from an altered model.
    A paper issued as known now is also read as every command reads it now, from the
    rows the model keeps for the present (its counts, lists and current spans), which a
    reading as known at a moment never looks at: unless the ledger moved on meanwhile."""
    readings = [session.recorded(pinned.read_at)]
    if pinned.as_known_at is None:
        now = session.recorded(None)
        if now.digest == pinned.digest:
            readings.append(now)
    for recorded in readings:
        try:
            modelled = paper_of(recorded, committee, meeting, include_restricted=include_restricted)
            same = modelled.headed(known_at=pinned.as_known_at, digest=pinned.digest).to_json()
        except (TypeError, ValueError, KeyError, AttributeError):  # rows no event could give
            same = None
        if same == paper.to_json():
            continue
        raise LedgerError(
            "the read model differs from the events, so the paper was not issued; {rebuild} "
            "({verify} to see what differed), then issue it again",
            rebuild=Hint.to(Fix.REBUILD),
            verify=Hint.to(Fix.VERIFY),
        )


def rebuild(session: LedgerSession) -> int:
    """Derive the stored read model again from every event; how many events. A model
    whose record of its seal disagrees with the key this session comes with is made
    anew, sealed under that key: the ledger's own record of its key proved the key before
    the model was looked at (a read without it, or with another, is refused first), so
    it is the model that is wrong (its record edited, or another's)."""
    ledger = session.ledger(write=False)  # held to its key first
    remade: Follower | None = None
    try:
        store: Follower = session.store()
    except SealedOtherwise:  # from a connection that does not ask the model what it is
        store = remade = Follower(ledger, session.target, keep=False)
    try:
        with session.progress(ledger.last_position(), "Rebuilding") as bar:
            return store.rebuild(progress=bar)
    finally:
        if remade is not None:
            remade.close()
