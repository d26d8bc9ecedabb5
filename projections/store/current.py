"""Items' states as at days, read in bulk from the read model: what an import compares
its rows with before it loads any item (:data:`ledger.exchange.known.CurrentStates`).

The state as at a day, as known now, is the span known now that holds that day: the
fold's answer (the model and the fold agree, which the tests and ``verify`` prove).
Keys are read a page per query, through the index on (key, known_until).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ledger.exchange.known import Current
from projections.store.state import STATUSES

if TYPE_CHECKING:
    from projections.store.read_model import TimelineStore

#: Keys read in one query.
PAGE = 500


def states_as_at(
    store: TimelineStore, wanted: Sequence[tuple[str, date]]
) -> dict[tuple[str, date], Current]:
    """The state of each (key, day) of ``wanted`` that the model holds an item for on
    that day."""
    by_day: dict[date, list[str]] = defaultdict(list)
    for key, day in wanted:
        by_day[day].append(key)
    found: dict[tuple[str, date], Current] = {}
    with store._transaction(lock=False) as cursor:
        for day, keys in by_day.items():
            on = day.isoformat()
            for start in range(0, len(keys), PAGE):
                page = store._tokens(tuple(keys[start : start + PAGE]), "key")
                query = (
                    "SELECT key, status, due, owner, state FROM ragw_spans "
                    f"WHERE key IN ({', '.join('?' * len(page))}) AND known_until IS NULL "
                    "AND effective_from <= ? AND effective_until > ?"
                )
                cursor.execute(store._sql(query), (*page, on, on))
                for key, status, due, owner, state in store._opened(query, cursor.fetchall()):
                    held = json.loads(state)
                    found[(key, day)] = Current(
                        status=STATUSES[status] if status else None,
                        due=date.fromisoformat(due) if due else None,
                        owner=owner,
                        comment=held.get("comment"),
                        kind=held.get("kind"),
                    )
    return found
