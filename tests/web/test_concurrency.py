"""Many people at once: two people recording notes on one item at the same moment, each
answered by its own worker, both land in order, or the one who lost sees the ledger's
"run it again" message; nothing is lost and nothing recorded twice."""

from __future__ import annotations

import re
import threading
from typing import Any

from tests.web.conftest import GOVERNANCE, OWNER, Server, events_in


def at_once(people: list[Any], notes: list[str]) -> list[tuple[str, int, str]]:
    """Each person sends their note, all released at the same moment; the answers."""
    start = threading.Barrier(len(people))
    answered: list[tuple[str, int, str]] = []

    def send(person: Any, note: str) -> None:
        start.wait()
        status, page, _ = person.post("/items/HATE18/6/progress", {"note": note})
        answered.append((note, status, page))

    threads = [threading.Thread(target=send, args=pair) for pair in zip(people, notes, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answered


def test_two_notes_on_one_item_at_the_same_moment_both_land_or_one_is_told_to_retry(
    client: Any, server: Server
) -> None:
    people = [client(GOVERNANCE), client(OWNER)]
    for person in people:
        person.get("/items/HATE18/6")
    before = events_in(server.target)
    rounds = 5
    answers = []
    for round_ in range(rounds):
        answers += at_once(people, [f"round {round_} by {n}." for n in range(len(people))])
    landed = [note for note, status, _ in answers if status == 303]
    for _, status, page in answers:
        assert status in (303, 409), status
        if status == 409:
            assert 'role="alert"' in page and "run the command again" in page
    assert events_in(server.target) == before + len(landed)
    history = people[0].get("/items/HATE18/6")[1]
    for note in landed:
        assert len(re.findall(re.escape(note), history)) == 1
    assert len(landed) >= rounds  # at least one of each pair lands
