"""Hostile cells in trackers as forces keep them: a title in a merged cell above a header
in the force's own names, a sheet chosen among several, Unicode text (UTF-16, tabs), and
mappings typed on the command line. Each import ends in a correct write or one `Error:`
line with nothing written, read from the read model or from the store, and a formula
without a saved value is still a bad row named by its cell."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_hostile_input import (
    assert_clear_refusal_or_write,
    events_in,
    prepared,
    run,
    sheet_rows,
    values,
)
from tests.trackers import FORCE_NAMES, TITLE, seed_tracker, write_force_xlsx

NAMES = {**FORCE_NAMES, "comment": "Update / Progress", "due": "Deadline"}


def force_workbook(path: Path, rows: list[dict[str, str]]) -> bool:
    """``rows`` under a merged title, in the force's names, on the second sheet; False
    when no workbook can hold a cell."""
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Read me"
    notes.append(["How this tracker is kept"])
    page = book.create_sheet("Tracker")
    columns = list(rows[0])
    page["A1"] = TITLE
    page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    page.append([])
    page.append([NAMES[c] for c in columns])
    try:
        for row in rows:
            page.append([row[c] for c in columns])
    except IllegalCharacterError:
        return False
    book.save(path)
    return True


def unicode_text(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-16") as handle:
        handle.write(f"{TITLE}\r\n")
        writer = csv.DictWriter(handle, [NAMES[c] for c in rows[0]], delimiter="\t")
        writer.writeheader()
        writer.writerows([{NAMES[c]: v for c, v in row.items()} for row in rows])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=sheet_rows(),
    form=st.sampled_from(["xlsx", "txt"]),
    in_step=st.booleans(),
    mapping=st.one_of(st.just(()), st.tuples(values.map(lambda v: f"{v}=comment"))),
)
def test_a_force_kept_tracker_of_hostile_cells_is_all_or_nothing(
    rows: list[dict[str, str]], form: str, in_step: bool, mapping: tuple[str, ...]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = prepared(Path(folder))
        if in_step:  # the read model in step: a re-import reads items' states from it
            assert run(target, "board").exit_code == 0
        sheet = Path(folder) / f"tracker.{form}"
        if form == "txt":
            unicode_text(sheet, rows)
        elif not force_workbook(sheet, rows):
            return  # no spreadsheet can hold that cell
        maps = [arg for pair in mapping for arg in ("--map", pair)]
        before = events_in(target)
        result = run(target, "import", str(sheet), *maps)
        assert_clear_refusal_or_write(target, before, result)
        recorded = events_in(target)
        checked = run(target, "import", str(sheet), "--check", *maps)  # records nothing
        assert checked.exit_code in (0, 1, 2) and events_in(target) == recorded
        if checked.exit_code == 1:
            assert checked.stderr.count("\n") == 1 and checked.stderr.startswith("Error: ")


def test_a_formula_without_a_saved_value_under_a_title_is_named_by_its_own_cell(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    path = write_force_xlsx(tmp_path / "colp.xlsx", seed_tracker()[:4])
    book = load_workbook(path)
    page = book.worksheets[0]
    header = [cell.value for cell in page[4]]
    column = header.index("Update / Progress") + 1
    page.cell(row=6, column=column, value='=CONCAT("Done","")')
    book.save(path)
    target = tmp_path / "ragw.db"
    result: Any = run(target, "import", str(path), "--on", "2019-11-15")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    letter = page.cell(row=6, column=column).column_letter
    assert f"line 6: cell {letter}6 holds a formula with no saved value" in result.stderr
    assert not target.exists()
