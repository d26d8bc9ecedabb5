"""What a correction (a retraction of one of an item's events) is held to: the event
exists, is neither the item's issue nor itself a correction, and was not corrected
before. Who may retract it is :func:`ledger.permissions.may_retract`'s to say."""

from __future__ import annotations

from collections.abc import Sequence

from events import EventCorrected, RecommendationEvent, RecommendationIssued
from ledger.errors import Fix, Hint, RuleBrokenError
from ledger.state import corrected_version


def check_correctable(key: str, history: Sequence[RecommendationEvent], version: int) -> None:
    """Refuse retracting ``key``'s event ``version`` (``history``: its events so far)."""
    target_id = f"{key}@{version}"
    if not 1 <= version <= len(history):
        raise RuleBrokenError(
            "there is no event {target}; {key} has events {key}@1 to {key}@{version} ({hint})",
            target=target_id,
            key=key,
            version=len(history),
            hint=Hint.to(Fix.SEE_HISTORY, key=key),
        )
    target = history[version - 1]
    if isinstance(target, RecommendationIssued):
        raise RuleBrokenError(
            f"{target_id} is the item's issue and cannot be retracted; correct the "
            "later events that are wrong, or close the item with a reason"
        )
    if isinstance(target, EventCorrected):
        raise RuleBrokenError(
            f"{target_id} is itself a correction and cannot be retracted; "
            "record the change again instead"
        )
    for event in history:
        if isinstance(event, EventCorrected) and corrected_version(event) == version:
            raise RuleBrokenError(
                f"{target_id} was already corrected by {key}@{event.originator_version}"
            )
