"""Read models: pure functions of the event stream, and the stored model that keeps them.

``board`` answers "as at a date" and "as known at a moment" with one fold
(:func:`ledger.state.fold_item`) and two filters; ``history`` and ``log`` show the
events themselves, with the ids users quote and the corrections that retract them;
``committee`` makes the committee's paper; ``store`` keeps the read model beside the
events; ``usecases`` is what every front end calls.

The names below are loaded on first use, so importing one module of the package does
not load the board.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from projections.board import Board, BoardItem, board_as_at
    from projections.log import EventRecord, records_of

_LAZY = {
    "Board": "projections.board",
    "BoardItem": "projections.board",
    "board_as_at": "projections.board",
    "EventRecord": "projections.log",
    "records_of": "projections.log",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = ["Board", "BoardItem", "EventRecord", "board_as_at", "records_of"]
