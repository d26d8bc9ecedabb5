"""``ingest_vs_raw`` on either store: the register recorded three times, each recording
followed at once by the raw baseline's insert of the very rows it stored, and the
median of each side taken.

One recording is one sample (a few seconds), and the machine's load moves it by half
from one run to the next (the raw baseline was already the median of three): recorded
once, the ratio swung either side of its goal from run to run on the same code. Each
recording is paired with its baseline, back to back, so both see the same load; the
first register is the one the rest of the run reads.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

#: Recordings of the register (and raw inserts of their rows) a run takes the median of.
RUNS = 3


def recording_seconds(
    targets: Sequence[str],
    record: Callable[[str], float],
    raw: Callable[[str], tuple[int, float]],
) -> tuple[int, float, float]:
    """(events, recording seconds, raw seconds): the register recorded into each of
    ``targets`` in turn by ``record``, each followed by one ``raw`` insert of the rows it
    stored (events and seconds); the medians of the recordings and of the raw inserts."""
    recorded, raws, events = [], [], 0
    for target in targets:
        recorded.append(record(target))
        events, seconds = raw(target)
        raws.append(seconds)
    return events, statistics.median(recorded), statistics.median(raws)
