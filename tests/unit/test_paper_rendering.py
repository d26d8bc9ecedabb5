"""The summary and appendix as printed (table, Markdown, CSV) and the paper as HTML: the
columns, the figures in them, the headline, and text escaped for each format."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from cli.paper_tables import appendix_output, summary_output
from cli.render import Output, emit
from ledger import Ledger
from ledger.exchange.cells import markdown_lines
from projections.committee import Appendix, Summary, appendix_of, paper_of, summary_of
from projections.recorded import Recorded
from render.cells import FILLS, STATUS_FILLS, cell, cell_lines
from render.html import render_html
from tests.unit.test_committee_papers import FEB, MAY, ME, add, ledger_with_meetings

TRICKY = 'Pipes | and <b>tags</b> & "quotes", commas'
FRAUD_TITLE = 'Fraud: time to choose, "again"'


def paper_ledger() -> Ledger:
    """February and May 2021: in May, ROADS has a new green, a new red, a red already
    red and a green reported in February; CUSTODY a closure and a completion awaiting
    sign-off; FRAUD (published since February) an item not yet assessed."""
    ledger = ledger_with_meetings(FEB, MAY)
    ledger.register_report(
        "FRAUD",
        title=FRAUD_TITLE,
        scope="force",
        published=date(2021, 3, 1),
        actor=ME,
        on=date(2021, 3, 1),
    )
    for ref in "1234":
        add(ledger, f"ROADS/{ref}")
    ledger.change_status("ROADS/1", "GREEN", actor=ME, on=date(2021, 3, 5))
    ledger.change_status("ROADS/2", "RED", reason="Late", actor=ME, on=date(2021, 3, 5))
    ledger.change_status("ROADS/3", "RED", reason="Late", actor=ME, on=date(2021, 1, 5))
    ledger.change_status("ROADS/4", "GREEN", actor=ME, on=date(2021, 1, 5))
    ledger.issue_recommendation(
        "CUSTODY",
        "1",
        kind="afi",
        text=TRICKY,
        due="December 2021",
        status="AMBER",
        actor=ME,
        on=date(2020, 6, 1),
    )
    add(ledger, "CUSTODY/2")
    ledger.close_recommendation("CUSTODY/2", reason="Superseded", actor=ME, on=date(2021, 3, 1))
    ledger.claim_completion(
        "CUSTODY/1",
        evidence='Done | <ok>, "really"',
        links=["https://example.org/a?b=1"],
        actor=ME,
        on=date(2021, 4, 1),
    )
    add(ledger, "FRAUD/1", None, on=date(2021, 3, 1))
    return ledger


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return paper_ledger()


@pytest.fixture(scope="module")
def recorded(ledger: Ledger) -> Recorded:
    return Recorded.of(e for _, e in ledger.read_log())


@pytest.fixture(scope="module")
def the_summary(recorded: Recorded) -> Summary:
    return summary_of(recorded, "PRMSC", MAY)


@pytest.fixture(scope="module")
def the_appendix(recorded: Recorded) -> Appendix:
    return appendix_of(recorded, "PRMSC", MAY)


def printed(output: Output, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    emit(output, fmt)
    return capsys.readouterr().out


def md_tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table as rows of cells (header first, the rule left out), with
    the cells' escaping kept as printed."""
    tables: list[list[list[str]]] = []
    inside = False
    for line in text.splitlines():
        if not line.startswith("|"):
            inside = False
            continue
        if re.fullmatch(r"\|[-|: ]+\|", line):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if not inside:
            tables.append([])
            inside = True
        tables[-1].append(cells)
    return tables


def test_the_summary_prints_its_rows_totals_and_headline_in_markdown(
    the_summary: Summary, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed(summary_output(the_summary), "md", capsys)
    assert text.startswith(
        "## Performance and Resource Management (PRMSC): meeting of 4 May 2021, compared "
        "with 4 February 2021; as known now\n"
    )
    reports, totals, claimed, published = md_tables(text)
    assert text.count("(nothing to show)") == 4, "no overdue, extensions, slippage, requests"
    assert published[0] == ["Report", "Published", "By", "Recommendations", "Notes"]
    assert "## Reports published since the previous meeting" in text
    assert reports == [
        ["Report", "Previous: national", "Previous: force", "Current: national", "Current: force"],
        ["New reports", "", "", "", ""],
        [f"FRAUD: {FRAUD_TITLE}", "", "", "", "1 NOT ASSESSED"],
        ["Previous reports", "", "", "", ""],
        ["CUSTODY: Custody", "", "2 AMBER", "", "1 AMBER<br>1 CLOSED"],
        [
            "ROADS: Roads policing",
            "1 NEW GREEN<br>2 AMBER<br>1 NEW RED",
            "",
            "1 NEW GREEN<br>1 RED<br>1 NEW RED",
            "",
        ],
    ]
    assert totals == [
        [
            "Status",
            "Prev. national",
            "Prev. force",
            "Prev. all",
            "Cur. national",
            "Cur. force",
            "Cur. all",
        ],
        ["NEW GREEN", "1", "0", "1", "1", "0", "1"],
        ["AMBER", "2", "2", "4", "0", "1", "1"],
        ["RED", "1", "0", "1", "2", "0", "2"],
        ["NEW RED", "1", "0", "1", "1", "0", "1"],
        ["WHITE", "0", "0", "0", "0", "0", "0"],
        ["CLOSED", "0", "0", "0", "0", "1", "1"],
        ["NOT ASSESSED", "0", "0", "0", "0", "1", "1"],
        ["Total Amber/Red/White", "3", "2", "5", "2", "1", "3"],
    ]
    # the headline as text: its brackets escaped, as any text Markdown would read as markup
    assert markdown_lines(the_summary.headline) in text
    assert the_summary.headline == (
        "There are currently 3 outstanding recommendations [2 national and 1 force]. "
        "There is 1 new green to report since the previous report on 4 February 2021. "
        "There is 1 new red. 1 recommendation was closed. "
        "There is 1 recommendation awaiting sign-off."
    )
    assert claimed == [
        ["key", "status", "asks", "since", "by", "evidence"],
        [
            "CUSTODY/1",
            "AMBER",
            "GREEN",
            "2021-04-01",
            ME,
            # written as text: no tag, no link, no cell's end
            'Done \\| &lt;ok>, "really"<br>https\\://example.org/a?b=1',
        ],
    ]


def test_the_totals_leave_out_not_assessed_when_no_column_has_any(
    recorded: Recorded, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed(summary_output(summary_of(recorded, "PRMSC", FEB)), "md", capsys)
    totals = md_tables(text)[1]
    assert [r[0] for r in totals] == [
        "Status",
        "NEW GREEN",
        "AMBER",
        "RED",
        "NEW RED",
        "WHITE",
        "CLOSED",
        "Total Amber/Red/White",
    ]


def test_the_summary_prints_figures_as_csv_one_row_a_report(
    the_summary: Summary, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed(summary_output(the_summary), "csv", capsys)
    header, *rows = list(csv.reader(io.StringIO(text)))
    keys = [
        "NEW GREEN",
        "AMBER",
        "RED",
        "NEW RED",
        "WHITE",
        "CLOSED",
        "OUTSTANDING",
        "NOT ASSESSED",
    ]
    assert header == [
        "section",
        "code",
        "title",
        "scope",
        *(f"{c} {k}" for c in ("previous", "current") for k in keys),
    ]
    assert rows == [
        ["new", "FRAUD", FRAUD_TITLE, "force", *"00000000", *"00000001"],
        ["previous", "CUSTODY", "Custody", "force", *"02000020", *"01000110"],
        ["previous", "ROADS", "Roads policing", "national", *"12110030", *"10210020"],
    ]
    assert f'"{FRAUD_TITLE.replace(chr(34), chr(34) * 2)}"' in text, "quoted, quotes doubled"


def test_the_summary_prints_as_a_table_with_its_totals(
    the_summary: Summary, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = printed(summary_output(the_summary), "table", capsys).splitlines()
    assert lines[0].startswith("Performance and Resource Management (PRMSC): meeting of 4 May")
    totals = {
        line[:21].strip(): line[21:].split()
        for line in lines
        if line.startswith(("NEW RED ", "CLOSED ", "Total Amber/Red/White"))
    }
    assert totals == {
        "NEW RED": ["1", "0", "1", "1", "0", "1"],
        "CLOSED": ["0", "0", "0", "0", "1", "1"],
        "Total Amber/Red/White": ["3", "2", "5", "2", "1", "3"],
    }
    assert the_summary.headline in " ".join(lines)


def test_the_appendix_prints_definitions_and_each_report_in_markdown(
    the_appendix: Appendix, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed(appendix_output(the_appendix), "md", capsys)
    assert text.startswith(
        "## Appendix: Performance and Resource Management (PRMSC), meeting of 4 May 2021. "
        "Previously reported greens are not included.\n"
    )
    assert (
        f"## {FRAUD_TITLE} \\[FRAUD\\]\nA force report published March 2021. This report has "
        "1 item on the tracker, 1 for the force: 0 complete and 1 in progress.\n"
    ) in text
    definitions, fraud, custody, roads = md_tables(text)
    assert [d[0] for d in definitions] == [
        "status",
        "GREEN",
        "AMBER",
        "RED",
        "WHITE",
        "NEW GREEN",
        "NEW RED",
        "CLOSED",
    ]
    assert fraud[1] == ["1", "Recommendation: Do FRAUD/1", "NOT ASSESSED", "December 2021", ""]
    assert roads[0] == ["ref", "recommendation or area for improvement", "status", "due", "comment"]
    assert [(r[0], r[2]) for r in roads[1:]] == [("1", "NEW GREEN"), ("2", "NEW RED"), ("3", "RED")]
    assert custody[1:] == [
        [
            "1",
            'Area for improvement: Pipes \\| and &lt;b>tags&lt;/b> &amp; "quotes", commas',
            "AMBER (GREEN pending sign-off)",
            "December 2021",
            "",
        ],
        ["2", "Recommendation: Do CUSTODY/2", "CLOSED", "December 2021", ""],
    ]


def test_the_appendix_prints_one_csv_row_an_item(
    the_appendix: Appendix, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed(appendix_output(the_appendix), "csv", capsys)
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == [
        "report",
        "ref",
        "key",
        "kind",
        "status",
        "due",
        "due written",
        "overdue",
        "owner",
        "lead",
        "text",
        "comment",
    ]
    assert [(r[2], r[4]) for r in rows] == [
        ("FRAUD/1", "NOT ASSESSED"),
        ("CUSTODY/1", "AMBER"),
        ("CUSTODY/2", "CLOSED"),
        ("ROADS/1", "NEW GREEN"),
        ("ROADS/2", "NEW RED"),
        ("ROADS/3", "RED"),
    ]
    custody = rows[1]
    assert custody == [
        "CUSTODY",
        "1",
        "CUSTODY/1",
        "Area for improvement",
        "AMBER",
        "2021-12-31",
        "December 2021",
        "False",
        "",
        "",
        TRICKY,
        "",
    ]
    assert '"Pipes | and <b>tags</b> & ""quotes"", commas"' in text


def test_the_html_paper_escapes_what_items_say(recorded: Recorded) -> None:
    page = render_html(paper_of(recorded, "PRMSC", MAY))
    assert "<b>tags</b>" not in page and "Done | <ok>" not in page
    assert "Pipes | and &lt;b&gt;tags&lt;/b&gt; &amp; &#34;quotes&#34;, commas" in page
    assert "Fraud: time to choose, &#34;again&#34;" in page
    assert 'data-status="NOT ASSESSED">1 NOT ASSESSED</li>' in page


def test_a_cell_prints_red_without_its_new_ones_then_the_new_ones() -> None:
    from projections.committee import Counts

    counts = Counts({"RED": 3, "NEW RED": 1, "NEW GREEN": 2, "NOT ASSESSED": 1})
    assert cell_lines(counts) == [("NEW GREEN", 2), ("RED", 2), ("NEW RED", 1), ("NOT ASSESSED", 1)]
    assert cell(counts) == "2 NEW GREEN\n2 RED\n1 NEW RED\n1 NOT ASSESSED"
    assert cell(Counts()) == ""


def test_every_word_a_status_cell_prints_has_a_colour() -> None:
    spreadsheet = {
        "GREEN": "A8D5BA",
        "AMBER": "FFD27F",
        "RED": "F4A09A",
        "WHITE": "FFFFFF",
        "CLOSED": "D9D9D9",
    }
    assert spreadsheet == STATUS_FILLS, "sheets shade the recorded statuses only"
    assert {
        **spreadsheet,
        "NEW GREEN": "A8D5BA",
        "NEW RED": "F4A09A",
        "NOT ASSESSED": "D9D9D9",
    } == FILLS
