"""A force's tracker as it is kept, with no report code column and no type column: each
report's code is the ledger's for its title or derived from the title, each item's kind
read from its ref; re-importing it every meeting names the same items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ledger.exchange.derived import suffixed
from tests.cli.test_import import PAPER, board, events_in
from tests.trackers import seed_tracker, write_csv, write_why_xlsx

#: What the November 2019 paper's titles derive, alone in a ledger that holds none.
DERIVED = {
    "Cyber: Keep the light on": "CKTLO",
    "PEEL 2018/2019": "P20182019",
    "Fraud: Time to Choose": "FTTC",
    "PEEL: Police Effectiveness 2017 - National": "PPE2017N",
    "Crime Data Integrity inspection 2019": "CDII2019",
}
CONTRACT = ["report_code", "report", "scope", "published", "ref", "kind", "text"]
CONTRACT += ["status", "due", "comment", "owner"]


def derived_contract(rows: list[dict[str, Any]], codes: dict[str, str]) -> list[dict[str, Any]]:
    """``rows`` in the contract's columns, with the codes and refs a tracker without code
    or type columns gives them: an AFI's ref as AFI2, a concern's as CoC8."""
    prefix = {"Area for improvement": "AFI", "Cause of concern": "CoC"}
    return [
        {
            **row,
            "report_code": codes[row["report"]],
            "ref": prefix.get(row["kind"], "") + row["ref"],
        }
        for row in rows
    ]


def keys(code: str, rows: list[dict[str, Any]]) -> list[str]:
    """The keys of ``rows`` of one report imported without a type column, in order."""
    return sorted(
        f"{code}/{row['ref']}" for row in derived_contract(rows, {r["report"]: code for r in rows})
    )


def check_codes(ragw, path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The codes --check says it derives, by title."""
    shown = ragw("import", str(path), "--check", "--on", PAPER).splitlines()
    start = next(n for n, line in enumerate(shown) if "derived from the titles" in line)
    codes = {}
    for line in shown[start + 1 :]:
        if not line.startswith("  "):
            break
        code, title = line.strip().split(None, 1)
        codes[title] = code
    return codes


def test_a_tracker_in_the_forces_own_columns_imports_and_gives_the_contracts_board(
    ragw, elsewhere, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()
    kept = write_why_xlsx(tmp_path / "colp.xlsx", rows)
    codes = check_codes(ragw, kept)
    assert len(codes) == 14 and {t: codes[t] for t in DERIVED} == DERIVED
    assert "105 items added" in ragw("import", str(kept), "--on", PAPER)
    contract = derived_contract(rows, codes)
    elsewhere(
        "import", str(write_csv(tmp_path / "contract.csv", contract, CONTRACT)), "--on", PAPER
    )
    as_kept = ragw("board", "--as-at", PAPER, "--format", "json")
    assert as_kept == elsewhere("board", "--as-at", PAPER, "--format", "json")
    kinds = {i["key"]: i["kind"] for i in json.loads(as_kept)["items"]}
    assert kinds["CKTLO/1"] == "recommendation" and kinds["CKTLO/AFI2"] == "afi"
    poor = next(r for r in rows if r["report_code"] == "POORREL")
    assert kinds[f"{codes[poor['report']]}/CoC8"] == "concern"  # written CoC 8
    before = events_in(ragw)
    assert "105 unchanged; 0 events recorded" in ragw("import", str(kept), "--on", PAPER)
    assert events_in(ragw) == before


def test_the_file_has_exactly_the_columns_the_issue_names(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page = load_workbook(write_why_xlsx(tmp_path / "t.xlsx", seed_tracker()[:2])).worksheets[0]
    assert [str(r) for r in page.merged_cells.ranges] == ["A1:I1"]
    assert [c.value for c in page[4]] == [
        "Report",
        "Rec No.",
        "Recommendation",
        "RAG",
        "Deadline",
        "Update / Progress",
        "Owner",
        "Date Published",
        "National/Force",
    ]
    assert [c.value for c in page[5]][1] == "1" and [c.value for c in page[6]][1] == "AFI2"


def test_check_shows_the_derived_codes_and_kinds_read_from_refs(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kept = write_why_xlsx(tmp_path / "colp.xlsx", seed_tracker()[:5])
    shown = ragw("import", str(kept), "--check", "--on", PAPER)
    assert "1 report code derived from the titles" in shown
    assert "  CKTLO                Cyber: Keep the light on" in shown
    assert "line 5: on 2019-11-15; report_code CKTLO;" in shown
    assert "line 6: " in shown and "ref AFI2; kind afi;" in shown  # written AFI2
    assert "nothing was recorded" in shown and "'Rec No.'" in shown


def test_a_report_the_ledger_holds_by_its_title_keeps_its_own_code(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()[:5]
    ragw(
        "report",
        "add",
        "CYBER19",
        "--title",
        "cyber:  KEEP the light on",
        "--scope",
        "national",
        "--published",
        "2019-10-01",
    )
    ragw("import", str(write_why_xlsx(tmp_path / "t.xlsx", rows)), "--on", PAPER)
    assert sorted(board(ragw)) == keys("CYBER19", rows)


def test_a_code_the_ledger_holds_for_another_title_is_not_taken(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()[:5]
    ragw(
        "report",
        "add",
        "CKTLO",
        "--title",
        "Crime: keeping the lights off",
        "--scope",
        "force",
        "--published",
        "2019-01-01",
    )
    ragw("import", str(write_why_xlsx(tmp_path / "t.xlsx", rows)), "--on", PAPER)
    code = suffixed("Cyber: Keep the light on")
    assert code.startswith("CKTLO-") and sorted(board(ragw)) == keys(code, rows)


def test_a_committees_code_is_not_taken_either(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ragw("committee", "add", "CKTLO", "--name", "Cyber Keep The Lights On board")
    ragw("import", str(write_why_xlsx(tmp_path / "t.xlsx", seed_tracker()[:2])), "--on", PAPER)
    code = suffixed("Cyber: Keep the light on")
    assert sorted(board(ragw)) == keys(code, seed_tracker()[:2])


def retitled(rows: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    return [{**row, "report": title} for row in rows]


def test_two_titles_deriving_one_code_take_their_hashes_whatever_their_order(
    ragw, elsewhere, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    fraud = [r for r in seed_tracker() if r["report"] == "Fraud: Time to Choose"][:3]
    firearms = retitled(fraud, "Firearms: tactics to consider")
    ragw("import", str(write_why_xlsx(tmp_path / "a.xlsx", fraud + firearms)), "--on", PAPER)
    elsewhere("import", str(write_why_xlsx(tmp_path / "b.xlsx", firearms + fraud)), "--on", PAPER)
    one, other = suffixed(fraud[0]["report"]), suffixed(firearms[0]["report"])
    assert one != other and one.startswith("FTTC-") and other.startswith("FTTC-")
    expected = sorted(f"{code}/{n}" for code in (one, other) for n in (1, 2, 3))
    assert sorted(board(ragw)) == expected == sorted(board(elsewhere))


def test_a_report_inserted_above_at_a_later_meeting_renames_nothing(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fraud = [r for r in seed_tracker() if r["report"] == "Fraud: Time to Choose"][:3]
    ragw("import", str(write_why_xlsx(tmp_path / "nov.xlsx", fraud)), "--on", PAPER)
    assert sorted(board(ragw)) == ["FTTC/1", "FTTC/2", "FTTC/3"]
    firearms = retitled(fraud, "Firearms: tactics to consider")
    done = ragw(
        "import", str(write_why_xlsx(tmp_path / "dec.xlsx", firearms + fraud)), "--on", PAPER
    )
    assert "3 items added, 0 changed, 3 unchanged" in done
    other = suffixed("Firearms: tactics to consider")
    assert sorted(board(ragw)) == sorted(
        ["FTTC/1", "FTTC/2", "FTTC/3"] + [f"{other}/{n}" for n in (1, 2, 3)]
    )


def test_a_row_without_a_title_is_refused_in_one_line_naming_it(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()[:3]
    rows[1] = {**rows[1], "report": ""}
    message = ragw("import", str(write_why_xlsx(tmp_path / "t.xlsx", rows)), "--on", PAPER, code=1)
    assert message.count("\n") == 1 and "line 6: the report column is empty" in message
    assert "nothing was recorded" in message


def test_a_title_the_ledger_holds_two_reports_by_asks_for_a_code_column(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for code in ("CYBER19", "CYBER20"):
        ragw(
            "report",
            "add",
            code,
            "--title",
            "Cyber: Keep the light on",
            "--scope",
            "national",
            "--published",
            "2019-10-01",
        )
    before = events_in(ragw)
    message = ragw(
        "import",
        str(write_why_xlsx(tmp_path / "t.xlsx", seed_tracker()[:2])),
        "--on",
        PAPER,
        code=1,
    )
    assert message.count("\n") == 1
    assert "the title 'Cyber: Keep the light on' names the reports CYBER19, CYBER20 in the " in (
        message
    )
    assert "add a report code column that says which" in message
    assert events_in(ragw) == before


def test_a_kind_column_says_the_kind_and_the_ref_is_kept_as_written(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {**row, "ref": f"AFI{row['ref']}"}
        for row in seed_tracker()
        if row["report_code"] == "CUSTODY18"
    ][:3]
    ragw("import", str(write_csv(tmp_path / "t.csv", rows)), "--on", PAPER)
    kinds = {key: item["kind"] for key, item in board(ragw).items()}
    assert kinds == {
        "CUSTODY18/AFI1": "recommendation",
        "CUSTODY18/AFI2": "afi",
        "CUSTODY18/AFI3": "afi",
    }


def test_an_afi_and_a_recommendation_of_one_number_are_two_items(ragw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()[:2]
    rows[1] = {**rows[1], "ref": "1"}  # AFI 1 beside recommendation 1, as reports number them
    file = write_why_xlsx(tmp_path / "t.xlsx", rows)
    shown = ragw("import", str(file), "--check", "--on", PAPER)
    assert "ref 1; kind recommendation;" in shown and "ref AFI1; kind afi;" in shown
    assert "2 items added" in ragw("import", str(file), "--on", PAPER)
    kinds = {key: item["kind"] for key, item in board(ragw).items()}
    assert kinds == {"CKTLO/1": "recommendation", "CKTLO/AFI1": "afi"}
    assert "2 unchanged; 0 events recorded" in ragw("import", str(file), "--on", PAPER)


def test_a_ref_naming_another_kind_than_the_ledgers_item_is_refused_even_unchanged(
    ragw, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = seed_tracker()[1:2]  # CYBER19/2, an area for improvement, imported with its type
    ragw("import", str(write_csv(tmp_path / "nov.csv", rows)), "--on", PAPER)
    board(ragw)  # the read model in step: an unchanged row is compared there
    as_rec = [{**rows[0], "kind": "Recommendation"}]  # written 2: a recommendation's ref
    with_title = write_why_xlsx(tmp_path / "dec.xlsx", as_rec)
    message = ragw("import", str(with_title), "--on", PAPER, code=1)
    assert message.count("\n") == 1
    assert "CYBER19/2 is an area for improvement in the ledger and this row's ref " in message
    assert "makes it a recommendation; items of different kinds need refs" in message
