"""The rules an extension of an item's due date is held to, whether recorded at once,
asked for, or signed off, whichever way it comes in (a command, an update sheet, an
import): it moves the due date later than it is on the day it takes effect; and earlier
than every date the due date moves to after that day (:func:`check_later_moves`): a
back-dated extension that went past a later move would turn that move, an extension
when it was recorded, into a shortening ("extended twice", the deadline earlier), as
closing is refused before changes already recorded. A restore replays a history by the
first rule alone, so a history recorded before the second still restores."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from events import RecommendationEvent
from ledger.due import Due
from ledger.errors import Field, Fix, Hint, RuleBrokenError
from ledger.state import ItemState, timeline


def check_extension(
    key: str,
    state: ItemState,
    to: date,
    later: tuple[Sequence[RecommendationEvent], date] | None = None,
) -> None:
    """Refuse moving ``key`` (``state`` as at the day it takes effect) to ``to``, unless
    it is later than its due date then; and, given ``later`` (the item's history and the
    day the move takes effect; none when a restore replays a history of its day),
    earlier than every date it moves to after (:func:`check_later_moves`)."""
    if state.due is None:
        raise RuleBrokenError(
            "{key} has no due date to extend; set one with {hint}",
            key=key,
            hint=Hint.to(Fix.SET_DUE, key=key),
        )
    if to <= state.due:
        raise RuleBrokenError(
            "{field} {to} is not later than the current due date of {key} ({due}); an "
            "extension must move it later",
            field=Field.TO,
            to=to.isoformat(),
            key=key,
            due=state.due.isoformat(),
        )
    if later is not None:
        check_later_moves(key, later[0], to, later[1])


def check_later_moves(key: str, history: Sequence[RecommendationEvent], to: date, on: date) -> None:
    """Refuse moving ``key`` to ``to`` from ``on`` unless ``to`` is earlier than every
    due date it moves to after ``on``."""
    for day, due in due_moves_after(history, on):
        if to >= due:
            raise RuleBrokenError(
                "{key}'s due date moves to {due} on {day}, after {field} {on}: extended to "
                "{to} before it, that move would bring the date forward; extend it to a "
                "date before {due}, or give {field} {day} or later",
                key=key,
                due=due.isoformat(),
                day=day.isoformat(),
                field=Field.ON,
                on=on.isoformat(),
                to=to.isoformat(),
            )


def check_set_before_later(key: str, history: Sequence[RecommendationEvent], on: date) -> None:
    """Refuse setting ``key``'s first due date on ``on`` when it is given one, or moved to
    one, after that day: set in front of it, the date would become the item's original,
    and every later one a move from it with no reason or sign-off."""
    later = due_moves_after(history, on)
    if later:
        day, due = later[0]
        raise RuleBrokenError(
            "{key} is due {due} from {day}, after {field} {on}: a due date set before that "
            "day would become its original date; give {field} {day} or later (then {hint})",
            key=key,
            due=due.isoformat(),
            day=day.isoformat(),
            field=Field.ON,
            on=on.isoformat(),
            hint=Hint.to(Fix.EXTEND, key=key),
        )


def due_moves_after(history: Sequence[RecommendationEvent], day: date) -> list[tuple[date, date]]:
    """Each move of the item's due date (as known now) that takes effect after ``day``:
    the day it takes effect, and the date it moves to."""
    moves: list[tuple[date, date]] = []
    before: ItemState | None = None
    for start, _, state in timeline(history):
        moved = before is not None and state.due != before.due and state.due is not None
        if moved and start > day:
            moves.append((start, state.due))  # type: ignore[arg-type]
        before = state
    return moves


def check_not_written_later(key: str, due: Due) -> None:
    """Refuse a first due date written with later ones ("June 2020 now June 2021") where
    extensions wait for sign-off: each later date would be an extension recorded at
    once, where it is one to ask for (``ragw extend``)."""
    if due.extensions and due.original is not None:
        raise RuleBrokenError(
            "{text!r} moves {key}'s due date later ({first} to {last}), and extensions "
            "wait for sign-off; give the first date alone, then ask for the later one "
            "with {hint}",
            text=due.text,
            key=key,
            first=due.original.isoformat(),
            last=due.extensions[-1].isoformat(),
            hint=Hint.to(Fix.EXTEND, key=key),
        )
