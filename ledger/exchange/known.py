"""What the ledger holds of the reports and items a file names, read in bulk.

Loading an aggregate at a time costs two queries and a deep copy each (the library's
repository: does it exist, then get it, through its cache); a 20,000-row tracker spent
most of its re-import there. Here the streams' events are read a page of streams per
query from the store, decoded by the ledger's mapper (so an encrypted ledger reads as
any other), and each aggregate is made from its events in memory.

Faster still, when a read model in step with the log is at hand: it says each item's
state as at a day (:class:`Current`, read in bulk by the caller, who knows the model),
and an item whose row would change nothing is not loaded at all
(:func:`changes_nothing` holds the import's rules for that); only the items a row
changes are read from the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import StoredEvent

from events import CommitteeRegistered, ReportRegistered, Status
from ledger.exchange.derived import title_key

if TYPE_CHECKING:
    from ledger.exchange.entries import TrackerEntry
    from ledger.log import EventLog

#: Streams read in one query (well under SQLite's limit on a query's values).
PAGE = 500


@dataclass(frozen=True)
class Current:
    """What a row is compared with: its item's state as at the row's day."""

    status: Status | None
    due: date | None
    owner: str | None
    comment: str | None
    #: The item's kind, as the read model stores it.
    kind: str | None = None


#: Items' states as at days, by (key, day), from a read model in step with the log; an
#: item it does not name (not in the ledger, or not yet added that day) is left out.
CurrentStates = Callable[[Sequence[tuple[str, date]]], dict[tuple[str, date], Current]]


def changes_nothing(entry: TrackerEntry, current: Current) -> bool:
    """Whether ``entry`` records nothing on an item in ``current`` state: the same rules
    as :meth:`~ledger.exchange.importing.TrackerImport.update`, where anything else
    (a change, or a refusal) is decided."""
    if entry.kind_from_ref and current.kind is not None and current.kind != entry.kind.value:
        return False
    if current.status is Status.CLOSED:
        return entry.status is Status.CLOSED
    if entry.owner and entry.owner != current.owner:
        return False
    if entry.due.dates and entry.due.current != current.due:
        return False
    if entry.comment and entry.comment != current.comment:
        return False
    return entry.status is None or entry.status == current.status


def aggregates(ledger: EventLog, ids: Sequence[UUID]) -> dict[UUID, Any]:
    """The aggregate of each stream of ``ids`` that exists, by id."""
    found: dict[UUID, Any] = {}
    for stream, events in _streams(ledger, list(dict.fromkeys(ids))):
        aggregate: Any = None
        for event in events:
            aggregate = event.mutate(aggregate)
        if aggregate is not None:
            found[stream] = aggregate
    return found


class Titles(dict[str, set[str]]):
    """The codes of the reports in the ledger by title (as
    :func:`~ledger.exchange.derived.title_key` folds it); and the committees' codes,
    which no report may take."""

    def __init__(self) -> None:
        super().__init__()
        self.committees: set[str] = set()


def report_titles(ledger: EventLog) -> Titles:
    """The codes of the reports in the ledger, by title, and its committees' codes."""
    titles = Titles()
    for _, event in ledger.read_log(types=[ReportRegistered, CommitteeRegistered]):
        if isinstance(event, CommitteeRegistered):
            titles.committees.add(event.code)
            continue
        registered = cast(ReportRegistered, event)
        titles.setdefault(title_key(registered.title), set()).add(registered.code)
    return titles


def _streams(ledger: EventLog, ids: list[UUID]) -> Iterator[tuple[UUID, list[Any]]]:
    """Each stream's events in order, a page of streams a query."""
    recorder: Any = ledger.recorder
    modules = {cls.__module__ for cls in type(recorder).__mro__}
    select = (
        _select_postgres
        if "eventsourcing.postgres" in modules
        else _select_sqlite
        if "eventsourcing.sqlite" in modules
        else None
    )
    for start in range(0, len(ids), PAGE):
        page = ids[start : start + PAGE]
        if select is None:  # a store without SQL (in memory): a stream at a time
            for stream in page:
                try:
                    yield stream, list(ledger.events.get(stream))
                except AggregateNotFoundError:
                    continue
            continue
        rows = select(recorder, page)
        events: dict[UUID, list[Any]] = {}
        for stream, version, topic, state in rows:
            stored = StoredEvent(
                originator_id=stream if isinstance(stream, UUID) else UUID(stream),
                originator_version=int(version),
                topic=topic,
                state=bytes(state),
            )
            event = ledger.mapper.to_domain_event(stored)
            events.setdefault(stored.originator_id, []).append(event)  # type: ignore[arg-type]
        yield from events.items()


def _select_sqlite(recorder: Any, page: list[UUID]) -> list[tuple[Any, ...]]:
    marks = ", ".join("?" * len(page))
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT originator_id, originator_version, topic, state FROM "
            f"{recorder.events_table_name} WHERE originator_id IN ({marks}) "
            "ORDER BY originator_id, originator_version",
            [stream.hex for stream in page],
        )
        return [tuple(row) for row in cursor.fetchall()]


def _select_postgres(recorder: Any, page: list[UUID]) -> list[tuple[Any, ...]]:
    from psycopg.sql import SQL, Identifier

    datastore = recorder.datastore
    statement = SQL(
        "SELECT originator_id, originator_version, topic, state FROM {table} "
        "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
    ).format(table=Identifier(datastore.schema, recorder.events_table_name))
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, (page,))
        return [
            (row["originator_id"], row["originator_version"], row["topic"], row["state"])
            for row in cursor.fetchall()
        ]
