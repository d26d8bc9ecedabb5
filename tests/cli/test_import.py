"""Importing a tracker: every item right, all rows or none, and only what changed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ledger.due import parse_due
from tests.trackers import seed_tracker, write_csv, write_xlsx

PAPER = "2019-11-15"


def events_in(ragw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(ragw("log", "--format", "json"))["events"])


def board(ragw, as_at: str = PAPER) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    items = json.loads(ragw("board", "--as-at", as_at, "--format", "json"))["items"]
    return {i["key"]: i for i in items}


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_tracker_transcribed_from_a_paper_imports_with_every_item_status_and_due_date(
    ragw, tmp_path: Path, write: Any
) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    file = write(tmp_path / f"tracker.{write.__name__[6:]}", rows)
    assert "105 items added" in ragw("import", str(file), "--on", PAPER)
    shown = board(ragw)
    assert len(shown) == len(rows) == 105
    for row in rows:
        item = shown[f"{row['report_code']}/{row['ref']}"]
        assert item["status"] == row["status"].removeprefix("NEW "), row
        due = parse_due(row["due"], date.fromisoformat(row["published"])).current
        assert item["due"] == (due.isoformat() if due else None), row
    assert Counter(i["status"] for i in shown.values()) == {
        "AMBER": 57,
        "GREEN": 25,
        "WHITE": 18,
        "RED": 5,
    }


def test_a_file_with_one_bad_row_in_the_middle_is_refused_whole(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    rows[40] = {**rows[40], "status": "PURPLE"}
    rows[41] = {**rows[41], "status": "RED", "comment": ""}
    rows[70] = {**rows[70], "due": "whenever"}
    ragw("report", "add", "KEEP", "--title", "t", "--scope", "force", "--published", "2019-01-01")
    before = events_in(ragw)
    message = ragw("import", str(write_csv(tmp_path / "t.csv", rows)), "--on", PAPER, code=1)
    assert message.startswith("Error: t.csv has 3 bad rows and nothing was recorded")
    assert message.count("\n") == 1
    assert "line 42: status 'PURPLE' is not known" in message  # header is line 1
    assert "line 43: RED needs a reason" in message
    assert "line 72: cannot read the due date 'whenever'" in message
    assert events_in(ragw) == before


def test_a_value_under_no_heading_is_refused_not_dropped(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = "report_code,report,scope,published,ref,kind,text,on,comment"
    row = "X10,R,force,2019-01-01,{ref},recommendation,t,2019-02-01,{comment}"
    cut = row.format(ref=1, comment="Progress made, awaiting sign-off from the ACC")
    quoted = row.format(ref=2, comment='"Progress made, and quoted"')
    file = tmp_path / "cut.csv"
    file.write_text(f"{header}\n{quoted}\n{cut}\n", encoding="utf-8")
    ragw("report", "add", "KEEP", "--title", "t", "--scope", "force", "--published", "2019-01-01")
    before = events_in(ragw)
    message = ragw("import", str(file), code=1)
    assert message.startswith("Error: cut.csv has 1 bad row and nothing was recorded")
    assert message.count("\n") == 1
    assert "line 3: column J holds 'awaiting sign-off from the ACC' under no heading" in message
    assert events_in(ragw) == before
    blank = tmp_path / "blank.csv"
    blank.write_text(
        f"{header.replace(',kind', ',,kind')}\nX10,R,force,2019-01-01,1,zz,"
        "recommendation,t,2019-02-01,ok\n",
        encoding="utf-8",
    )
    message = ragw("import", str(blank), code=1)
    assert "line 2: column F holds 'zz' under no heading" in message
    assert events_in(ragw) == before
    file.write_text(f"{header}\n{quoted}\n", encoding="utf-8")
    ragw("import", str(file))
    assert board(ragw, "2019-02-01")["X10/2"]["comment"] == "Progress made, and quoted"


def test_a_header_without_a_required_column_is_refused(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [{k: v for k, v in row.items() if k != "text"} for row in seed_tracker()[:3]]
    message = ragw("import", str(write_csv(tmp_path / "t.csv", rows)), code=1)
    assert message.startswith("Error: t.csv has no column text")


def test_importing_the_same_tracker_again_records_nothing(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = write_csv(tmp_path / "t.csv", seed_tracker())
    ragw("import", str(file), "--on", PAPER)
    before = events_in(ragw)
    assert "105 unchanged; 0 events recorded" in ragw("import", str(file), "--on", PAPER)
    assert events_in(ragw) == before


def test_papers_imported_oldest_first_give_true_new_greens(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paper = seed_tracker()
    earlier = [
        {**row, "status": "AMBER" if row["status"].startswith("NEW ") else row["status"]}
        for row in paper
        if row["published"] <= "2019-07-15"
    ]
    ragw("committee", "add", "PRMSC", "--name", "P&RM Sub Committee", "--on", "2019-07-01")
    ragw("meeting", "add", "PRMSC", "2019-07-15", "--on", "2019-07-01")
    ragw("meeting", "add", "PRMSC", PAPER, "--on", "2019-07-01")
    ragw("import", str(write_csv(tmp_path / "july.csv", earlier)), "--on", "2019-07-15")
    ragw("import", str(write_csv(tmp_path / "november.csv", paper)), "--on", PAPER)
    summary = json.loads(ragw("summary", "PRMSC", PAPER, "--format", "json"))
    current = summary["totals"]["current"]["all"]
    assert (current["NEW GREEN"], current["NEW RED"], current["OUTSTANDING"]) == (23, 4, 80)
    appendix = json.loads(ragw("appendix", "PRMSC", PAPER, "--format", "json"))
    shown = {i["key"]: i["status"] for r in appendix["reports"] for i in r["items"]}
    printed = {f"{r['report_code']}/{r['ref']}": r["status"] for r in paper}
    assert {k: printed[k] for k in shown} == shown


def test_an_on_column_records_each_row_as_at_its_own_date(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = {**seed_tracker()[0], "due": "November 2020"}
    rows = [
        {**base, "on": "2019-11-15", "status": "AMBER", "comment": "Considering"},
        {
            **base,
            "on": "2020-03-01",
            "status": "GREEN",
            "comment": "Done",
            "due": "November 2020 Now March 2021",
            "reason": "",
        },
    ]
    rows[0]["reason"] = ""
    ragw("import", str(write_csv(tmp_path / "t.csv", rows)))
    key = f"{base['report_code']}/{base['ref']}"
    assert board(ragw, "2020-02-01")[key]["status"] == "AMBER"
    assert board(ragw, "2020-03-01")[key]["status"] == "GREEN"
    history = json.loads(ragw("history", key, "--format", "json"))["events"]
    assert [e["type"] for e in history] == [
        "RecommendationIssued",
        "ProgressNoted",
        "DeadlineExtended",
        "ProgressNoted",
        "StatusChanged",
    ]
    assert history[2]["reason"] == "the tracker now reads 'November 2020 Now March 2021'"


def test_a_closed_row_closes_the_item_with_its_comment_as_the_reason(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    row = {**seed_tracker()[0], "status": "CLOSED", "comment": "Superseded by PEEL 2021"}
    ragw("import", str(write_csv(tmp_path / "t.csv", [row])), "--on", PAPER)
    item = board(ragw)[f"{row['report_code']}/{row['ref']}"]
    assert item["status"] == "CLOSED"


def test_a_large_import_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import shutil
    import subprocess
    import sys

    base = seed_tracker()[0]
    file = write_csv(tmp_path / "big.csv", [{**base, "ref": str(n)} for n in range(1, 251)])
    ragw_path = shutil.which("ragw") or str(Path(sys.executable).parent / "ragw")
    main_end, terminal = pty.openpty()  # stderr is a terminal, as for a person
    done = subprocess.run(
        [ragw_path, "--db", str(tmp_path / "x.db"), "import", str(file)],
        stderr=terminal,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    os.close(terminal)
    shown = b""
    try:
        while chunk := os.read(main_end, 65536):
            shown += chunk
    except OSError:  # the terminal's other end is closed: all has been read
        pass
    os.close(main_end)
    assert done.returncode == 0 and "250 items added" in done.stdout
    assert b"Importing big.csv" in shown and b"100%" in shown


@pytest.mark.parametrize("holder", ["committee", "inspection"])
def test_an_imported_report_never_takes_the_code_of_a_committee_or_an_inspection(
    ragw, tmp_path: Path, holder: str
) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    code = rows[0]["report_code"]
    if holder == "committee":
        ragw("committee", "add", code, "--name", "Audit")
    else:
        ragw(
            *("inspection", "add", code, "--title", "Custody", "--inspectorate", "HMICFRS"),
            *("--fieldwork", "2019-01-07..2019-01-10", "--on", "2019-01-10"),
        )
    before = events_in(ragw)
    message = ragw("import", str(write_csv(tmp_path / "t.csv", rows)), "--on", PAPER, code=1)
    assert message.startswith("Error: t.csv has ")
    assert f"{code} is the code of a{'n' if holder == 'inspection' else ''} {holder}" in message
    assert message.count("\n") == 1
    assert events_in(ragw) == before  # a backup of the ledger restores: no code names two
