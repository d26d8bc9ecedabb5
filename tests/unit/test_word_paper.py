"""The paper as a Word document: the summary's cells, the totals, what awaits sign-off
and the appendix's statuses, each status cell shaded in its RAGW colour."""

from __future__ import annotations

import io

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from projections.committee import Paper, paper_of
from projections.recorded import Recorded
from render.docx import write_docx
from tests.unit.test_committee_papers import MAY, ME
from tests.unit.test_paper_rendering import paper_ledger

AMBER, RED, GREY = "FFD27F", "F4A09A", "D9D9D9"


@pytest.fixture(scope="module")
def paper() -> Paper:
    recorded = Recorded.of(e for _, e in paper_ledger().read_log())
    return paper_of(recorded, "PRMSC", MAY)


@pytest.fixture(scope="module")
def written(paper: Paper) -> bytes:
    out = io.BytesIO()
    write_docx(paper, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def document(written: bytes) -> Document:
    return docx.Document(io.BytesIO(written))


def fill(cell: _Cell) -> str | None:
    shading = cell._tc.get_or_add_tcPr().find(qn("w:shd"))
    return None if shading is None else shading.get(qn("w:fill"))


def table_headed(document: Document, *header: str) -> Table:
    return next(t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == header)


def rows_of(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_the_summary_prints_each_reports_cells_and_shades_a_cell_of_one_status(
    document: Document,
) -> None:
    table = table_headed(
        document,
        "Report",
        "Previous: national",
        "Previous: force",
        "Current: national",
        "Current: force",
    )
    rows = {row.cells[0].text: row.cells for row in table.rows[1:]}
    assert [c.text for c in rows["Roads policing (ROADS)"][1:]] == [
        "1 NEW GREEN\n2 AMBER\n1 NEW RED",
        "",
        "1 NEW GREEN\n1 RED\n1 NEW RED",
        "",
    ]
    custody = rows["Custody (CUSTODY)"]
    assert (custody[2].text, fill(custody[2])) == ("2 AMBER", AMBER)
    assert (custody[4].text, fill(custody[4])) == ("1 AMBER\n1 CLOSED", None)


def test_the_totals_include_the_not_yet_assessed_and_add_up(document: Document) -> None:
    table = table_headed(
        document,
        "Status",
        "Previous: national",
        "Previous: force",
        "Previous: all",
        "Current: national",
        "Current: force",
        "Current: all",
    )
    rows = {r[0]: r[1:] for r in rows_of(table)}
    assert list(rows) == [
        "NEW GREEN",
        "AMBER",
        "RED",
        "NEW RED",
        "WHITE",
        "CLOSED",
        "NOT ASSESSED",
        "Total Amber/Red/White",
    ]
    assert rows["NOT ASSESSED"] == ["0", "0", "0", "0", "1", "1"]
    assert rows["Total Amber/Red/White"] == ["3", "2", "5", "2", "1", "3"]


def test_what_awaits_sign_off_is_listed_with_its_evidence(document: Document) -> None:
    table = table_headed(document, "Item", "Status", "Asks for", "Since", "Asked by", "Evidence")
    assert rows_of(table) == [
        [
            "CUSTODY/1",
            "AMBER",
            "GREEN",
            "2021-04-01",
            ME,
            'Done | <ok>, "really"\nhttps://example.org/a?b=1',
        ]
    ]
    assert fill(table.rows[1].cells[1]) == AMBER


def test_the_appendix_shades_each_status_and_says_what_awaits_sign_off(
    document: Document,
) -> None:
    statuses = [
        (row.cells[1].text.split(": ")[-1], row.cells[2].text, fill(row.cells[2]))
        for table in document.tables
        if table.rows[0].cells[0].text == "Ref"
        for row in table.rows[1:]
    ]
    assert statuses == [
        ("Do FRAUD/1", "NOT ASSESSED", GREY),
        ('Pipes | and <b>tags</b> & "quotes", commas', "AMBER\n(GREEN pending sign-off)", AMBER),
        ("Do CUSTODY/2", "CLOSED", GREY),
        ("Do ROADS/1", "NEW GREEN", "A8D5BA"),
        ("Do ROADS/2", "NEW RED", RED),
        ("Do ROADS/3", "RED", RED),
    ]


def test_the_same_paper_is_the_same_bytes(paper: Paper, written: bytes) -> None:
    again = io.BytesIO()
    write_docx(paper, again)
    assert again.getvalue() == written
