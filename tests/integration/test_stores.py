"""Real stores: SQLite files reopened in a new process, and a real PostgreSQL server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest

from ledger import Ledger, RuleBrokenError, open_ledger
from ledger.demo import DEMO_DATE, build_demo, demo_paper
from projections import board_as_at
from projections.recorded import Recorded

ME = "Strategic Development"


def scenario(ledger: Ledger) -> None:
    ledger.register_report(
        "PEEL1819",
        title="PEEL 2018/2019",
        scope="national",
        published=date(2019, 5, 1),
        actor=ME,
        on=date(2019, 5, 1),
    )
    ledger.issue_recommendation(
        "PEEL1819",
        "4",
        kind="afi",
        text="Improve lifetime management of organised criminals",
        due="No deadline set by HMICFRS December 2019 set to align with the next inspection",
        status="AMBER",
        owner="DCI Crime",
        actor=ME,
        on=date(2019, 6, 1),
    )
    ledger.change_status("PEEL1819/4", "GREEN", actor=ME, on=date(2019, 11, 1))


def board_json(ledger: Ledger, day: date) -> dict[str, object]:
    return board_as_at((e for _, e in ledger.read_log()), as_at=day).to_json()


def test_a_ledger_reopened_in_a_new_process_shows_the_same_board(
    open_at: Callable[..., Ledger], target: str
) -> None:
    ledger = open_at()
    scenario(ledger)
    expected = board_json(ledger, date(2019, 11, 1))
    ledger.close()
    program = (
        "import json, sys; from datetime import date; from ledger import open_ledger;"
        "from projections import board_as_at;"
        "l = open_ledger(sys.argv[1], create=False);"
        "print(json.dumps(board_as_at((e for _, e in l.read_log()), as_at=date(2019, 11, 1)).to_json()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, target], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == expected
    assert expected["items"][0]["status"] == "GREEN"  # type: ignore[index]


def test_a_refused_command_leaves_the_stored_event_count_unchanged(
    open_at: Callable[..., Ledger],
) -> None:
    ledger = open_at()
    scenario(ledger)
    before = ledger.last_position()
    with pytest.raises(RuleBrokenError):
        ledger.change_status("PEEL1819/4", "RED", actor=ME)
    assert open_at().last_position() == before == 3


def test_the_demo_ledger_holds_every_item_of_the_november_2019_paper(
    open_at: Callable[..., Ledger],
) -> None:
    ledger = open_at(today=date(2026, 1, 1))
    build_demo(ledger, actor=ME)
    board = board_as_at((e for _, e in ledger.read_log()), as_at=DEMO_DATE)
    paper = demo_paper()
    # The paper's reports; the demo adds others from earlier papers (ledger/demo.py).
    codes = {r["code"] for r in paper["reports"]}
    items = [i for i in board.items if i.report in codes]
    assert len(items) == sum(len(r["items"]) for r in paper["reports"]) == 105
    # NEW GREEN / NEW RED are colours compared with the previous meeting; the board holds colours.
    written = Counter(i["status"].replace("NEW ", "") for r in paper["reports"] for i in r["items"])
    assert Counter(i.status for i in items) == written
    fraud9 = next(i for i in items if i.key == "FRAUD19/9")
    assert fraud9.status == "RED" and fraud9.due == date(2019, 12, 31)
    stored = Recorded.of(e for _, e in ledger.read_log()).states_as_at(DEMO_DATE)["FRAUD19/9"]
    assert stored.original_due == date(2019, 9, 30)


def test_a_postgresql_url_maps_onto_the_servers_database(postgres: object) -> None:
    from tests.postgres_server import PostgresServer

    assert isinstance(postgres, PostgresServer)
    url = postgres.create_database("ragw_mapping")
    ledger = open_ledger(url, create=True)
    scenario(ledger)
    import psycopg

    with psycopg.connect(postgres.admin_url.rsplit("/", 1)[0] + "/ragw_mapping") as connection:
        (rows,) = connection.execute("SELECT count(*) FROM ragw_events").fetchone()  # type: ignore[misc]
    assert rows == 3
