"""The application's side that faces its store: aggregates saved in one transaction
and read back, the two streams every command consults (roles and rules), and the log
itself read in order, its chain verified, its head digested.

:class:`~ledger.application.Ledger` adds the commands.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    OperationalError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic

from events import LedgerEvent
from ledger.aggregates import (
    Access,
    Committee,
    Inspection,
    Recommendation,
    Report,
    Rules,
    stream_key,
)
from ledger.chain import Break, ChainBrokenError, Digest, Verdict, check, walk
from ledger.errors import ConflictError, Fix, Hint, LedgerError, NotFoundError
from ledger.keys import ACCESS_ID, RULES_ID
from ledger.storage.batch import collector_paused, insert_events
from ledger.storage.mapper import PydanticMapper

A = TypeVar("A", Report, Recommendation, Committee, Inspection)

#: Events and links read at a time when verifying the chain.
PAGE = 5000


#: By ledger (its id), the version of its roles its next write in this context was
#: allowed under, as its command's check noted it (:meth:`EventLog.allowed_under`): a
#: command may write to several ledgers (a national issue). A context of its own a
#: thread, so a web worker's requests never share one.
_ROLES_SEEN: ContextVar[dict[int, tuple[weakref.ref[Any], int]]] = ContextVar(
    "ragw_roles_seen",
    default={},  # noqa: B039 (never changed in place: each note sets a new dict)
)


#: How far apart in time two writers' events may reach the log out of order, at most.
DISORDER = timedelta(minutes=1)


class EventLog(Application[UUID]):
    """Events kept in a store, chained; aggregates saved and loaded."""

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=PydanticMapper
        )

    def construct_transcoder(self) -> Transcoder:
        return self.factory.transcoder()

    @property
    def org(self) -> str | None:
        """The organisation this ledger is kept for, among others in one store; None for
        the single-organisation ledger (:mod:`ledger.storage.organisation`)."""
        return self.env.get("ORGANISATION") or None

    def allowed_under(self, access: Access | None) -> None:
        """Note that a write about to be made was allowed under ``access`` (the roles at
        its version; None: no roles yet): the next write of this context is held to it
        (:mod:`ledger.storage.roles_seen`)."""
        version = access.version if access is not None else 0
        # by id, with a weak reference that tells this ledger from a later one given the
        # same id once this one is gone (a note left by a refused command must not hold
        # another ledger's write)
        _ROLES_SEEN.set({**_ROLES_SEEN.get(), id(self): (weakref.ref(self), version)})

    def access(self) -> Access | None:
        """The roles granted; None while the ledger is open to whoever can write it."""
        try:
            return cast(Access, self.repository.get(ACCESS_ID))
        except AggregateNotFoundError:
            return None

    def rules(self) -> Rules | None:
        """The ledger's rules; None while none was ever set."""
        try:
            return cast(Rules, self.repository.get(RULES_ID))
        except AggregateNotFoundError:
            return None

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

    def history_to(self, digest: Digest) -> Iterator[LedgerEvent]:
        """Exactly the events at positions up to ``digest``'s, in order, each checked
        against its link as it is read: what a paper pinned to ``digest`` is read from.
        Refuses (:class:`ChainBrokenError`) when that history is no longer the one the
        digest pins, so a paper read from it and ``verify --digest`` never disagree."""
        recorder: Any = self.recorder
        if not hasattr(recorder, "select_stored"):
            raise LedgerError("this ledger keeps no chain of links (an in-memory ledger)")
        read: list[Any] = [None]

        def rows() -> Iterator[tuple[int, Any, int, str, bytes]]:
            after = 0
            while after < digest.position and (page := recorder.select_stored(after, PAGE)):
                for row in page:
                    if row[0] > digest.position:
                        return
                    read[0] = row
                    yield row
                after = page[-1][0]

        def links() -> Iterator[tuple[int, str]]:
            after = 0
            while after < digest.position and (page := recorder.select_links(after, PAGE)):
                yield from (link for link in page if link[0] <= digest.position)
                after = page[-1][0]

        reached = None
        for step in walk(rows(), links()):
            if isinstance(step, Break):
                raise ChainBrokenError(
                    "the history up to digest {digest} is not the one it pins: the event at "
                    "position {position} {why}; nothing was written; {hint}",
                    digest=str(digest),
                    position=step.position,
                    why=step.why,
                    hint=Hint.to(Fix.VERIFY),
                )
            reached = step
            _, stream, version, topic, state = read[0]
            stored = StoredEvent(
                originator_id=stream if isinstance(stream, UUID) else UUID(str(stream)),
                originator_version=int(version),
                topic=topic,
                state=bytes(state),
            )
            yield cast(LedgerEvent, self.mapper.to_domain_event(stored))
        if reached != (digest.position, digest.link):
            raise ChainBrokenError(
                "the history up to digest {digest} is not the one it pins: the link at "
                "position {position} differs; nothing was written; {hint}",
                digest=str(digest),
                position=digest.position,
                hint=Hint.to(Fix.VERIFY),
            )

    def recorded_at(self, position: int) -> datetime:
        """When the event at ``position`` in the log was recorded."""
        (notification,) = self.recorder.select_notifications(start=position, limit=1)
        return cast(LedgerEvent, self.mapper.to_domain_event(notification)).timestamp

    @property
    def encrypted(self) -> bool:
        """Whether events are stored encrypted (the ledger was opened with a key)."""
        return self.mapper.cipher is not None

    def digest(self, known_at: datetime | None = None) -> Digest | None:
        """The chain's head: the digest papers print (None for a ledger in memory, or
        an empty one). As known at ``known_at``: the link of the last event recorded by
        then, which a read as known at that moment is read from (not of events it left
        out); found by halving the log, whose recording times mostly rise with its
        positions, then reading on past where that ended (:meth:`_last_recorded_by`)."""
        recorder: Any = self.recorder
        if not hasattr(recorder, "head"):
            return None
        head = Digest(*recorder.head())
        if known_at is None or head.position == 0:
            return head
        low, high = 0, head.position  # the last position recorded by then, in (low, high]
        while low < high:
            middle = (low + high + 1) // 2
            (found,) = recorder.select_notifications(start=middle, limit=1)
            event = cast(LedgerEvent, self.mapper.to_domain_event(found))
            if event.timestamp <= known_at:
                low = found.id  # at or past the middle: a log may skip positions
            else:
                high = middle - 1
        low = self._last_recorded_by(known_at, low)
        if low == 0:
            return None
        found_links = recorder.select_links(low - 1, 1)
        if not found_links or found_links[0][0] != low:  # not linked yet: no digest to give
            return None
        return Digest(low, str(found_links[0][1]))

    def _last_recorded_by(self, known_at: datetime, found: int) -> int:
        """The last position recorded by ``known_at``, from ``found`` (where halving the
        log ended): writers' events reach the log in the order their writes commit, not
        always of their moments, so the events after it are read until one was recorded
        :data:`DISORDER` past ``known_at``, and the last recorded by then is taken."""
        last, after, until = found, found, known_at + DISORDER
        while page := self.recorder.select_notifications(start=after + 1, limit=500):
            for notification in page:
                moment = cast(LedgerEvent, self.mapper.to_domain_event(notification)).timestamp
                if moment > until:
                    return last
                if moment <= known_at:
                    last = notification.id
            after = page[-1].id
        return last

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

    def get_aggregate(
        self, cls: type[A], aggregate_id: UUID, missing: Callable[[], NotFoundError]
    ) -> A:
        """The aggregate of type ``cls`` at ``aggregate_id``; refused with ``missing()``."""
        try:
            aggregate: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise missing() from None
        if not isinstance(aggregate, cls):
            raise missing()
        return aggregate

    def save_all(self, *aggregates: Any, what: str) -> list[str]:
        """Save in one transaction; return the ids recorded. ``what`` names it in a conflict."""
        # The ids and events gathered are many new objects too (see collector_paused).
        with collector_paused():
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
            # the roles this write was allowed under: kept until a write lands, so a
            # retry that does not check the roles again is held to the same ones
            noted = _ROLES_SEEN.get().get(id(self))
            allowed = noted[1] if noted is not None and noted[0]() is self else None
            try:
                insert_events(self.recorder, self.mapper, events, allowed)
            except IntegrityError:
                raise ConflictError(
                    f"{what} was changed by another writer at the same moment; nothing was "
                    "recorded; run the command again"
                ) from None
            except OperationalError as error:  # e.g. the file stayed locked past the timeout
                said = " ".join(str(error).split())
                if "readonly" in said or "read-only" in said:  # again would fail again
                    raise ConflictError(
                        f"the ledger cannot be written ({said}): the file, or its folder, "
                        f"is read-only to this user; nothing was recorded of {what}; ask "
                        "whoever keeps the ledger for write access, or read it as it is"
                    ) from None
                raise ConflictError(
                    f"the ledger was too busy to record {what} ({' '.join(str(error).split())}); "
                    "nothing was recorded; run the command again"
                ) from None
            if noted is not None:  # landed: a later write is checked for itself
                _ROLES_SEEN.set({k: v for k, v in _ROLES_SEEN.get().items() if k != id(self)})
            return recorded
