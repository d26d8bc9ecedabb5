"""Read models: pure functions of the event stream.

``board`` answers "as at a date" and "as known at a moment" with one fold
(:func:`ledger.state.fold_item`) and two filters; ``history`` and ``log`` show the
events themselves, with the ids users quote and the corrections that retract them.
"""

from __future__ import annotations

from projections.board import Board, BoardItem, board_as_at
from projections.log import EventRecord, records_of

__all__ = ["Board", "BoardItem", "EventRecord", "board_as_at", "records_of"]
