"""The events themselves: one item's history, the whole log, and the export of every
event that a restore reads back (of an encrypted ledger, only when asked for in clear)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from events import EVENT_TYPES, EventCorrected, LedgerEvent
from ledger.aggregates.access import fold_name
from ledger.errors import Fix, Hint, InvalidInputError, RuleBrokenError
from ledger.exchange.backup import backup_lines
from ledger.state import fold_item
from projections.log import corrections_of, records_of, stream_records

if TYPE_CHECKING:
    from ledger.state import ItemState
    from projections.log import EventRecord
    from projections.usecases.session import LedgerSession


@dataclass(frozen=True)
class ItemHistory:
    key: str
    #: Every event of the item, in the order recorded, corrections included.
    records: list[EventRecord]
    #: The item as it stands now (None if its events say nothing yet).
    state: ItemState | None
    #: The version of its latest event: what a change made on this reading was made on
    #: (:mod:`ledger.seen`).
    version: int


def history(session: LedgerSession, key: str) -> ItemHistory:
    """Every event of the item ``key``; refuses a key the ledger does not hold."""
    item = session.ledger(write=False).get_recommendation(key)
    # the item's own stream: no scan of the whole log
    return ItemHistory(item.key, records_of(item.history), fold_item(item.history), item.version)


def log(session: LedgerSession) -> list[EventRecord]:
    """Every event in the ledger, in the order recorded."""
    return list(log_of(session).records())


@dataclass(frozen=True)
class LogFilter:
    """Which events of the log to list; each filter given narrows it, none lists all.
    Bounds are inclusive; recording times are moments, effective days are dates."""

    #: Who recorded it, or whom they recorded it for, as roles compare names.
    actor: str | None = None
    #: Exactly this key (an item's, a report's, a committee's).
    key: str | None = None
    #: This report's own events and its items'.
    report: str | None = None
    #: Only events of these type names (none: every type).
    types: frozenset[str] = frozenset()
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    on_from: date | None = None
    on_to: date | None = None

    def admits(self, record: EventRecord) -> bool:
        """Whether ``record`` passes every filter given."""
        if self.actor is not None:
            wanted = fold_name(self.actor)
            acting_for = record.payload.get("acting_for")
            if fold_name(record.actor) != wanted and not (
                acting_for and fold_name(acting_for) == wanted
            ):
                return False
        if self.key is not None and record.key != self.key:
            return False
        if self.report is not None and record.key.split("/")[0] != self.report:
            return False
        if self.types and record.type not in self.types:
            return False
        moment = record.recorded_at
        if self.recorded_from is not None and moment < self.recorded_from:
            return False
        if self.recorded_to is not None and moment > self.recorded_to:
            return False
        if self.on_from is not None and record.on < self.on_from:
            return False
        return self.on_to is None or record.on <= self.on_to


def event_types(names: Iterable[str]) -> frozenset[str]:
    """The event types named (as the log names them, in any case); refuses a name that
    is none of them, listing them all."""
    known = {name.casefold(): name for name in EVENT_TYPES}
    chosen = set()
    for name in names:
        found = known.get(name.strip().casefold())
        if found is None:
            raise InvalidInputError(
                "event type {name} is not known; use one of {types}",
                name=repr(name),
                types=", ".join(EVENT_TYPES),
            )
        chosen.add(found)
    return frozenset(chosen)


@dataclass(frozen=True)
class LogRead:
    """The events of the log a filter admits, up to the position the log had reached
    when it was asked for: :meth:`records` reads them afresh each time (a table reads
    them twice, once for its columns' widths), always the same, never holding the log."""

    session: LedgerSession
    filters: LogFilter
    #: The last position read: events appended while the log is printed wait for the
    #: next read, so two readings agree.
    upto: int
    #: Every retracted event's id, with the id of the correction that retracts it.
    corrections: dict[str, str]

    def records(self) -> Iterator[EventRecord]:
        ledger = self.session.ledger(write=False)
        types: list[type[LedgerEvent]] = []
        if self.filters.types:  # the types asked for, and those that name the keys
            types = [EVENT_TYPES[name] for name in sorted(self.filters.types | _CREATING)]
        events = (
            event
            for _, event in takewhile(
                lambda read: read[0] <= self.upto, ledger.read_log(types=types)
            )
        )
        return filter(self.filters.admits, stream_records(events, self.corrections))


#: The types whose events name a stream's key: read whatever types are asked for.
_CREATING = frozenset(
    {"ReportRegistered", "CommitteeRegistered", "RecommendationIssued", "AccessControlled"}
    | {"RulesAdopted"}
)


def log_of(session: LedgerSession, filters: LogFilter | None = None) -> LogRead:
    """The events ``filters`` admit (every event without), in the order recorded, read
    as they are printed: first the corrections alone (to mark what each retracts), then
    the log a page at a time, so its length never sets the memory it takes."""
    ledger = session.ledger(write=False)
    upto = ledger.last_position()
    corrected = (
        event
        for _, event in takewhile(
            lambda read: read[0] <= upto, ledger.read_log(types=[EventCorrected])
        )
    )
    return LogRead(session, filters or LogFilter(), upto, corrections_of(corrected))


@dataclass(frozen=True)
class Backup:
    """Every event as one JSON object a line, read as written out."""

    #: The ledger's digest before reading: the export holds at least this history.
    digest: str | None
    #: About how many events there are (for a progress bar).
    total: int
    lines: Iterator[dict[str, Any]]


def in_clear(session: LedgerSession, what: str, *, plaintext: bool) -> None:
    """Refuse to copy an encrypted ledger's ``what`` (its events, its board) into a file
    in clear unless ``plaintext`` asks for it: the copy would hold what the key keeps
    from whoever reads the store, in a file the key no longer guards."""
    if session.ledger(write=False).encrypted and not plaintext:
        raise RuleBrokenError(
            "this ledger is encrypted, and the export would write {what} in clear; nothing "
            "was written; {hint} to write it in clear all the same, and keep the file as "
            "safe as the key",
            what=what,
            hint=Hint.to(Fix.EXPORT_IN_CLEAR),
        )


def backup(session: LedgerSession, *, plaintext: bool = False) -> Backup:
    """Every event with its id, type, key, on, recorded_at, actor and payload; of an
    encrypted ledger, only with ``plaintext`` (:func:`in_clear`)."""
    in_clear(session, "its events", plaintext=plaintext)
    ledger = session.ledger(write=False)
    total = ledger.last_position()
    digest = ledger.digest()
    lines = backup_lines(ledger.read_log())
    return Backup(str(digest) if digest else None, total, iter(lines))
