"""How events are stored: the mapper between events and stored rows.

Events are pydantic models; the mapper stores ``model_dump(mode="json")`` as JSON and
validates it back on read, upcasting older shapes (``class_version``) on the way, so a
ledger written by an earlier ragw stays readable.

A stored row names its event class by topic, and a creating event names its aggregate's
class the same way; resolving a topic imports the module it names. So only ragw's own
topics are ever resolved (:func:`event_class`, :func:`check_originator_topic`): a row
planted in the store, or a line of a backup, cannot make a read import other code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from events import (
    EVENT_TYPES,
    AccessControlled,
    CommitteeRegistered,
    ContactsKept,
    InspectionAdded,
    OrganisationAdded,
    RecommendationIssued,
    ReportRegistered,
    RulesAdopted,
    VerdictsBegun,
)
from ledger.aggregates import (
    Access,
    Committee,
    Contacts,
    Inspection,
    Organisation,
    Recommendation,
    Report,
    Rules,
    Verdicts,
)
from ledger.errors import Field, Fix, Hint, LedgerError

_ENVELOPE = {"originator_id", "originator_version"}

#: The topic of every event class ragw records: the only topics a stored row may name.
EVENT_TOPICS = frozenset(get_topic(cls) for cls in EVENT_TYPES.values())

#: The aggregate each creating event makes, by the event's type name.
CREATES: dict[str, type] = {
    ReportRegistered.__name__: Report,
    RecommendationIssued.__name__: Recommendation,
    CommitteeRegistered.__name__: Committee,
    AccessControlled.__name__: Access,
    RulesAdopted.__name__: Rules,
    ContactsKept.__name__: Contacts,
    InspectionAdded.__name__: Inspection,
    OrganisationAdded.__name__: Organisation,
    VerdictsBegun.__name__: Verdicts,
}


def aggregate_topics(aggregate: type) -> frozenset[str]:
    """The topics a creating event may name ``aggregate`` by: where the class lives, and
    where it lived when ragw 0.1 stored it (registered in :mod:`ledger.aggregates`)."""
    return frozenset({get_topic(aggregate), f"ledger.aggregates:{aggregate.__name__}"})


def event_class(topic: str) -> type:
    """The event class a stored row's ``topic`` names; refuses any topic that is not one
    of ragw's events rather than import what it names."""
    if topic not in EVENT_TOPICS:
        raise LedgerError(
            "a stored event names {topic}, which is not an event this ledger records; "
            "nothing was read; {hint} to find it",
            topic=repr(topic),
            hint=Hint.to(Fix.VERIFY),
        )
    cls: type = resolve_topic(topic)
    return cls


def check_originator_topic(cls: type, state: dict[str, Any]) -> None:
    """Refuse a creating event whose ``originator_topic`` (the aggregate class the library
    resolves when it replays the event) is not the topic of the aggregate it creates; an
    event that creates nothing must not carry one."""
    topic = state.get("originator_topic")
    creates = _creates(cls)
    if creates is None:
        if "originator_topic" in state:
            raise LedgerError(
                "{kind} creates nothing, yet names the class {topic} to create",
                kind=cls.__name__,
                topic=repr(topic),
            )
        return
    if topic not in aggregate_topics(creates):
        raise LedgerError(
            "{kind} names {topic} as the class it creates; it creates a {aggregate}, "
            "named {allowed}",
            kind=cls.__name__,
            topic=repr(topic),
            aggregate=creates.__name__,
            allowed=" or ".join(repr(each) for each in sorted(aggregate_topics(creates))),
        )


@cache
def _creates(cls: type) -> type | None:
    """The aggregate the event class ``cls`` (or the class it is a later version of)
    creates; None for an event that changes one."""
    named = {base.__name__ for base in cls.__mro__}
    return next((made for name, made in CREATES.items() if name in named), None)


def upcast(cls: type, state: dict[str, Any], version: int) -> None:
    """Brings ``state``, stored by version ``version`` of the event class ``cls``, to the
    class's version, in place, one ``upcast_vN_vN+1`` at a time: the one way an older
    shape is read, whether from the store or from a backup."""
    current = getattr(cls, "class_version", 1)
    if not isinstance(version, int) or version < 1 or version > current:
        raise LedgerError(
            "{kind} is at version {version} where it was written and {current} here: it was "
            "written by a newer ragw; read it with that version or a later one",
            kind=cls.__name__,
            version=version,
            current=current,
        )
    while version < current:
        step = getattr(cls, f"upcast_v{version}_v{version + 1}", None)
        if step is None:
            raise LedgerError(
                "{kind} has no upcast_v{version}_v{next} to read its version {version}",
                kind=cls.__name__,
                version=version,
                next=version + 1,
            )
        step(state)
        version += 1


class PydanticMapper(Mapper[UUID]):
    """Stores an event's fields (but its envelope) as JSON, compressed and encrypted
    when the application is configured to, and reads them back upcast."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=self.encode(domain_event),
        )

    def encode_all(self, events: Sequence[DomainEventProtocol[UUID]]) -> list[bytes]:
        """:meth:`encode` for many events (see :meth:`encoder`)."""
        encode = self.encoder({type(event) for event in events})
        return [encode(event) for event in events]

    def encoder(self, kinds: Iterable[type]) -> Callable[[Any], bytes]:
        """:meth:`encode` for events of ``kinds``: when there is nothing to upcast,
        compress or encrypt, straight from pydantic's serializer (the JSON bytes it
        writes), each kind's serializer looked up once, not once an event."""
        kinds = set(kinds)
        if (
            self.compressor
            or self.cipher
            or any(getattr(kind, "class_version", 1) > 1 for kind in kinds)
        ):
            return self.encode
        to_json = {
            kind: cast(type[BaseModel], kind).__pydantic_serializer__.to_json for kind in kinds
        }
        return lambda event: to_json[type(event)](event, exclude=_ENVELOPE)

    def encode(self, domain_event: DomainEventProtocol[UUID]) -> bytes:
        """The stored state of an event: its fields but the envelope, as JSON,
        compressed and encrypted when the application is configured to."""
        model = cast(BaseModel, domain_event)
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state: dict[str, Any] = model.model_dump(mode="json", exclude=_ENVELOPE)
            state["class_version"] = class_version
            stored = self.transcoder.encode(state)
        else:  # the same compact JSON the transcoder writes, in half the time
            stored = model.model_dump_json(exclude=_ENVELOPE).encode()
        if self.compressor:
            stored = self.compressor.compress(stored)
        if self.cipher:
            stored = self.cipher.encrypt(stored)
        return stored

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            state: dict[str, Any] = self.transcoder.decode(data)
        except Exception as error:  # unreadable: say why, in the user's terms
            raise self._unreadable() from error
        cls = event_class(stored_event.topic)
        upcast(cls, state, state.pop("class_version", 1))
        check_originator_topic(cls, state)
        return cast(
            DomainEventProtocol[UUID],
            cls(
                originator_id=stored_event.originator_id,
                originator_version=stored_event.originator_version,
                **state,
            ),
        )

    def _unreadable(self) -> LedgerError:
        """The refusal of a read whose key cannot read the events, in the reader's terms."""
        if self.cipher:
            return LedgerError(
                "the ledger's events cannot be decrypted with the key in {key}: it is not this "
                "ledger's key, or this ledger is not encrypted (then unset {key})",
                key=Field.ENCRYPTION_KEY,
            )
        return LedgerError(
            "the ledger's events are encrypted (or damaged); set {key} to its key, and {hint} "
            "to check nothing was altered",
            key=Field.ENCRYPTION_KEY,
            hint=Hint.to(Fix.VERIFY),
        )
