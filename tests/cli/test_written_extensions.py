"""A first due date written with its later ones ("June 2021 now December 2021", as
trackers write a date that moved) records each later one as an extension. Where a
committee requires sign-off for extensions, that is an extension asked for: from the
`due` command or an owner's update sheet it is refused, and the first date alone is
recorded, the later one asked for with `extend`."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_sign_off import (  # noqa: F401 (fixtures)
    GOV,
    ISSUED,
    OWNER,
    as_,
    board,
    controlled,
    ledger,
    refused,
)

WRITTEN = "June 2021 now December 2021"


def new_item(target: str, ref: str) -> str:
    """An item of OWNER's with no due date yet."""
    as_(target, GOV, "rec", "add", "R", ref, "--kind", "afi", "--text", f"Item {ref}",
        "--owner", OWNER, "--status", "AMBER", "--on", ISSUED)  # fmt: skip
    return f"R/{ref}"


def test_a_due_date_written_with_its_later_ones_records_them_as_extensions(
    ledger: str,  # noqa: F811
) -> None:
    key = new_item(ledger, "4")
    as_(ledger, OWNER, "due", key, WRITTEN, "--on", "2021-03-01")
    item = board(ledger)[key]
    assert (item["due"], item["pending"]) == ("2021-12-31", None)


def test_where_extensions_wait_for_sign_off_a_written_later_date_is_refused(
    ledger: str,  # noqa: F811
) -> None:
    as_(ledger, GOV, "committee", "sign-off", "PRMSC", "--for", "extensions")
    key = new_item(ledger, "4")
    said = refused(ledger, OWNER, "due", key, WRITTEN, "--on", "2021-03-01")
    assert f"moves {key}'s due date later (2021-06-30 to 2021-12-31)" in said
    assert "extensions wait for sign-off" in said
    as_(ledger, OWNER, "due", key, "June 2021", "--on", "2021-03-01")
    out = as_(ledger, OWNER, "extend", key, "--to", "2021-12-31", "--reason", "Late",
              "--on", "2021-03-02")  # fmt: skip
    assert "pending sign-off" in out
    item = board(ledger)[key]
    assert (item["due"], item["pending"]["request"]) == ("2021-06-30", "EXTENSION")


def test_an_owners_update_sheet_giving_a_written_later_date_is_refused_whole(
    controlled: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    as_(controlled, GOV, "committee", "sign-off", "PRMSC", "--for", "extensions")
    key = new_item(controlled, "4")
    sheet = tmp_path / "roads.xlsx"
    as_(controlled, GOV, "requests", "--owner", OWNER, "--out", str(sheet))
    book = load_workbook(sheet)
    rows = book.worksheets[0]
    header = [cell.value for cell in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[header.index("key")].value == key:
            row[header.index("new due date")].value = WRITTEN
            row[header.index("justification")].value = "Supplier late"
    book.save(sheet)
    said = refused(controlled, OWNER, "apply", str(sheet))
    assert "extensions wait for sign-off" in said
    assert board(controlled)[key]["due"] is None
