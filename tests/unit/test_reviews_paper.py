"""The demo's paper reviews four reports, as seed 002's committee did in rotation
("Overview of the four reports for review"), and prints the section "Reports for review"
alike as a page and in Word: every item of each report, its status shaded, its owner and
latest comment; a paper reviewing none prints neither heading nor table."""

from __future__ import annotations

import io
from datetime import date
from functools import cache

import docx
from docx.oxml.ns import qn

from ledger.demo import (
    DEMO_COMMITTEE,
    DEMO_DATE,
    PREVIOUS_MEETING,
    REVIEWED,
    build_demo,
    demo_paper,
)
from projections.committee import Paper, paper_of
from projections.recorded import Recorded
from render.docx import write_docx
from render.html import render_html
from tests.conftest import memory_ledger

ME = "Strategic Development"


@cache
def recorded() -> Recorded:
    ledger = memory_ledger(today=date(2021, 6, 1))
    build_demo(ledger, actor=ME)
    return Recorded.of(e for _, e in ledger.read_log())


def the_paper(day: date = DEMO_DATE) -> Paper:
    return paper_of(recorded(), DEMO_COMMITTEE, day)


def word_text(paper: Paper) -> tuple[list[str], list[list[list[str]]]]:
    out = io.BytesIO()
    write_docx(paper, out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return [p.text for p in document.paragraphs], tables


def test_the_demo_meeting_reviews_four_reports_with_every_item_the_paper_printed() -> None:
    reviewed = the_paper().summary.reviewed
    assert (
        [r.code for r in reviewed]
        == list(REVIEWED)
        == [
            "PEEL1819",
            "CDI19",
            "FRAUD19",
            "CUSTODY18",
        ]
    )
    printed = {r["code"]: r for r in demo_paper()["reports"]}
    for report in reviewed:
        entry = printed[report.code]
        assert report.title == entry["title"]
        # every item, GREEN and CLOSED ones too, which the appendix leaves out
        assert sorted(i.ref for i in report.items) == sorted(row["ref"] for row in entry["items"])
        comments = {row["ref"]: row["comment"] or None for row in entry["items"]}
        assert {i.ref: i.latest_comment for i in report.items} == comments
    fraud = next(r for r in reviewed if r.code == "FRAUD19")
    assert {i.status for i in fraud.items} >= {"GREEN", "RED", "AMBER"}


def test_the_page_and_the_word_document_print_the_section_between_exceptions_and_appendix() -> None:
    paper = the_paper()
    page = render_html(paper)
    start = page.index('<section id="reviewed">')
    assert page.index("Exceptions for the committee") < start < page.index('id="appendix"')
    for code in REVIEWED:
        assert f'id="reviewed-{code}"' in page
    paragraphs, tables = word_text(paper)
    heading = paragraphs.index("Reports for review")
    assert paragraphs.index("Exceptions for the committee") < heading
    assert heading < paragraphs.index("Appendix: progress on every open recommendation")
    headers = ["Ref", "Recommendation or area for improvement", "Status", "Owner", "Latest comment"]
    reviewed_tables = [t for t in tables if t[0] == headers]
    assert [len(t) - 1 for t in reviewed_tables] == [len(r.items) for r in paper.summary.reviewed]


def test_status_cells_of_the_reviewed_items_are_shaded_in_their_colour() -> None:
    out = io.BytesIO()
    write_docx(the_paper(), out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Latest comment")
    row = table.rows[1]
    shading = row.cells[2]._tc.get_or_add_tcPr().find(qn("w:shd"))
    assert (row.cells[2].text, shading.get(qn("w:fill"))) == ("AMBER", "FFD27F")


def test_a_paper_reviewing_no_report_prints_neither_heading_nor_table() -> None:
    paper = the_paper(PREVIOUS_MEETING)
    assert paper.summary.reviewed == []
    assert paper.to_json()["summary"]["reviewed"] == []
    page = render_html(paper)
    assert "Reports for review" not in page and 'id="reviewed' not in page
    paragraphs, tables = word_text(paper)
    assert "Reports for review" not in paragraphs
    assert not [t for t in tables if t[0][-1] == "Latest comment"]
