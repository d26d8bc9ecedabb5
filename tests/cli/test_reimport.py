"""Re-importing a tracker: the items it names are read in bulk, from the read model when
it is in step with the log, else from the store; either way the same changes are
recorded, the same rows refused, and an item whose row changes nothing is never loaded."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ledger.due import parse_due
from tests.cli.test_import import PAPER, board
from tests.trackers import seed_tracker, write_csv

LATER = "2020-03-01"


def later_tracker() -> list[dict[str, Any]]:
    """The seed tracker as it reads at a later meeting: statuses, comments, owners and
    due dates changed, items closed, and one item on two rows of two dates."""
    rows = [{**row, "on": LATER} for row in seed_tracker()]
    for n, row in enumerate(rows):
        if n % 7 == 0:
            row["status"] = "GREEN" if row["status"] != "GREEN" else "AMBER"
        if n % 7 == 1:
            row["comment"] = (row["comment"] or "") + " Reviewed again."
        if n % 7 == 2:
            row["owner"] = "DCI Crime"
        if n % 7 == 3:
            due = parse_due(row["due"], date.fromisoformat(row["published"])).current
            if due is not None and due < date(2021, 12, 1):
                row["due"] = f"{row['due']} Now December 2021"
        if n % 7 == 4 and row["comment"]:
            row["status"] = "CLOSED"
    twice = {**rows[5], "on": "2020-01-10", "status": "RED", "comment": "Slipped badly"}
    rows.append(twice)  # and on LATER it reads as the paper had it
    return rows


def recorded(run) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    events = json.loads(run("log", "--format", "json"))["events"]
    return [{k: v for k, v in e.items() if k != "recorded_at"} for e in events]


def test_a_reimport_records_the_same_from_the_read_model_as_from_the_store(
    ragw, elsewhere, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    first = write_csv(tmp_path / "november.csv", seed_tracker())
    later = write_csv(tmp_path / "march.csv", later_tracker())
    for run in (ragw, elsewhere):
        run("import", str(first), "--on", PAPER)
    board(ragw)  # the read model in step: the re-import reads items' states from it
    said = ragw("import", str(later))
    assert said == elsewhere("import", str(later))  # elsewhere's model is behind: the store
    assert "106 rows: 0 reports registered, 0 items added, 69 changed" in said
    assert recorded(ragw) == recorded(elsewhere)
    for day in (PAPER, "2020-01-10", "2020-02-01", LATER):
        assert board(ragw, day) == board(elsewhere, day)
    assert "0 changed, 106 unchanged; 0 events recorded" in ragw("import", str(later))


@pytest.mark.parametrize("in_step", [True, False], ids=["read model", "store"])
def test_rows_the_ledger_refuses_are_refused_alike_either_way(
    ragw, tmp_path: Path, in_step: bool
) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    ragw("import", str(write_csv(tmp_path / "november.csv", rows)), "--on", PAPER)
    ragw("close", f"{rows[0]['report_code']}/{rows[0]['ref']}", "--reason", "Done", "--on", PAPER)
    if in_step:
        board(ragw)
    later = [{**row, "on": LATER} for row in rows]
    later[1] = {**later[1], "on": "2019-01-01"}  # before the item was added
    message = ragw("import", str(write_csv(tmp_path / "march.csv", later)), code=1)
    assert "line 2: " in message and "a closed item cannot change" in message
    assert "line 3: " in message and "before" in message


def test_an_item_whose_row_changes_nothing_is_never_loaded(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ledger.exchange.importing as importing
    from ledger import open_ledger
    from projections.usecases import LedgerSession
    from projections.usecases.files import import_tracker

    session = LedgerSession(
        target, "Strategic Development", open_ledger=lambda write: open_ledger(target, create=write)
    )
    rows = seed_tracker()
    first = write_csv(tmp_path / "november.csv", rows)
    import_tracker(session, first, on=date.fromisoformat(PAPER))
    loaded: list[int] = []
    reading = importing.aggregates
    monkeypatch.setattr(
        importing, "aggregates", lambda ledger, ids: loaded.append(len(ids)) or reading(ledger, ids)
    )
    reports = len({row["report_code"] for row in rows})
    changed = [{**row, "comment": "New"} if n < 3 else row for n, row in enumerate(rows)]
    later = write_csv(tmp_path / "later.csv", changed)
    try:
        import_tracker(session, later, on=date.fromisoformat(PAPER))  # the model is behind
        assert loaded == [reports + 105]
        session.caught_up()
        import_tracker(session, later, on=date.fromisoformat(PAPER))
        assert loaded[1:] == [reports]  # nothing changes: no item is loaded
        changed = [{**row, "comment": "Newer"} if n < 3 else row for n, row in enumerate(rows)]
        newer = write_csv(tmp_path / "newer.csv", changed)
        session.caught_up()
        outcome = import_tracker(session, newer, on=date.fromisoformat(PAPER))
        assert loaded[2:] == [reports + 3] and outcome.items_changed == 3
    finally:
        session.close()


def test_a_ref_typed_as_text_keeps_its_decimals_and_names_the_item_it_names(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    row = {**seed_tracker()[0], "ref": "4.0"}
    said = ragw("import", str(write_csv(tmp_path / "first.csv", [row])), "--on", PAPER)
    assert "1 items added" in said or "1 item added" in said
    key = f"{row['report_code']}/4.0"
    assert list(board(ragw)) == [key]
    again = {**row, "status": "GREEN" if row["status"] != "GREEN" else "AMBER", "on": LATER}
    assert "1 changed" in ragw("import", str(write_csv(tmp_path / "later.csv", [again])))
    assert list(board(ragw, LATER)) == [key]  # the same item, no P/4 beside P/4.0


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_reimport_after_a_change_the_read_model_has_not_caught_up_on_records_the_row(
    ragw, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encrypted: bool
) -> None:  # type: ignore[no-untyped-def]
    if encrypted:
        monkeypatch.setenv("RAGW_ENCRYPTION_KEY", ragw("admin", "new-key").strip())
    rows = [row for row in seed_tracker() if row["status"] == "AMBER"][:1]
    key = f"{rows[0]['report_code']}/{rows[0]['ref']}"
    ragw("import", str(write_csv(tmp_path / "first.csv", rows)), "--on", PAPER)
    board(ragw)  # the read model in step
    ragw("status", key, "RED", "--reason", "Slipped", "--on", "2020-02-01")  # now behind
    said = ragw("import", str(write_csv(tmp_path / "again.csv", [{**rows[0], "on": LATER}])))
    assert "1 changed" in said
    assert board(ragw, LATER)[key]["status"] == "AMBER"
    assert board(ragw, "2020-02-01")[key]["status"] == "RED"
