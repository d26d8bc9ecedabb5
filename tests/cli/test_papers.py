"""Committees, meetings and the paper for a meeting, through the command line."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

COUNT_KEYS = {"NEW GREEN", "AMBER", "RED", "NEW RED", "WHITE", "CLOSED", "OUTSTANDING"}
MEETING = "2019-11-15"


def events_in(ragw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(ragw("log", "--format", "json"))["events"])


def summary(ragw, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return json.loads(ragw("summary", "PRMSC", MEETING, "--format", "json", *args))  # type: ignore[no-any-return]


@pytest.fixture
def demo(ragw):  # type: ignore[no-untyped-def]
    ragw("demo", "--format", "json")
    return ragw


def test_a_committee_and_its_meetings_are_recorded_and_listed(ragw) -> None:  # type: ignore[no-untyped-def]
    assert (
        ragw(
            "committee",
            "add",
            "PRMSC",
            "--name",
            "Performance and Resource Management",
            "--on",
            "2015-01-01",
        )
        == "recorded PRMSC@1\n"
    )
    ragw("meeting", "add", "PRMSC", "2015-10-21", "--paper", "Pol 49/15", "--on", "2015-01-01")
    ragw("meeting", "add", "PRMSC", "2015-07-15", "--paper", "Pol 33/15", "--on", "2015-01-01")
    meetings = json.loads(ragw("meeting", "list", "PRMSC", "--format", "json"))["meetings"]
    assert meetings == [
        {
            "committee": "PRMSC",
            "date": "2015-07-15",
            "paper": "Pol 33/15",
            "previous_meeting": None,
            "reviews": [],
        },
        {
            "committee": "PRMSC",
            "date": "2015-10-21",
            "paper": "Pol 49/15",
            "previous_meeting": "2015-07-15",
            "reviews": [],
        },
    ]
    committees = json.loads(ragw("committee", "list", "--format", "json"))["committees"]
    assert committees == [
        {
            "code": "PRMSC",
            "name": "Performance and Resource Management",
            "meetings": ["2015-07-15", "2015-10-21"],
            "sign_off_for": ["completion"],
        }
    ]


def test_the_summary_has_the_contracts_json_shape(demo) -> None:  # type: ignore[no-untyped-def]
    document = summary(demo)
    assert {"committee", "meeting", "previous_meeting", "reports", "totals"} <= set(document)
    assert (document["committee"], document["meeting"]) == ("PRMSC", MEETING)
    assert document["previous_meeting"] == "2019-07-15"
    for row in document["reports"]:
        assert {"code", "title", "scope", "section", "previous", "current"} <= set(row)
        assert row["section"] in ("new", "previous") and row["scope"] in ("national", "force")
        assert set(row["previous"]) == set(row["current"]) == COUNT_KEYS
    for column in ("previous", "current"):
        assert set(document["totals"][column]) == {"all", "national", "force"}
        for counts in document["totals"][column].values():
            assert set(counts) == COUNT_KEYS and all(isinstance(v, int) for v in counts.values())
            assert counts["OUTSTANDING"] == counts["AMBER"] + counts["RED"] + counts["WHITE"]
    assert document["totals"]["current"]["all"]["NEW GREEN"] == 23


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_the_summary_and_appendix_render_in_every_format(demo, fmt: str) -> None:  # type: ignore[no-untyped-def]
    table = demo("summary", "PRMSC", MEETING, "--format", fmt)
    appendix = demo("appendix", "PRMSC", MEETING, "--format", fmt)
    assert "FRAUD19" in table and "HATE18" in appendix
    if fmt != "csv":
        assert "Total Amber/Red/White" in table and "There are currently 80" in table
        assert "October 2018 Now" in appendix and "NEW RED" in appendix
    else:
        assert table.splitlines()[0].startswith("section,code,title,scope,previous NEW GREEN")


def test_a_summary_as_known_at_reproduces_the_paper_before_a_late_update(demo) -> None:  # type: ignore[no-untyped-def]
    written = datetime.now(UTC).isoformat()
    demo("status", "PEEL1819/2", "GREEN", "--on", MEETING)  # typed in late, effective then
    assert summary(demo)["totals"]["current"]["all"]["NEW GREEN"] == 24
    as_written = summary(demo, "--as-known-at", written)
    assert as_written["totals"]["current"]["all"]["NEW GREEN"] == 23
    appendix = json.loads(
        demo("appendix", "PRMSC", MEETING, "--as-known-at", written, "--format", "json")
    )
    statuses = {i["key"]: i["status"] for r in appendix["reports"] for i in r["items"]}
    assert statuses["PEEL1819/2"] == "AMBER"


@pytest.mark.parametrize(
    "args",
    [
        ("committee", "add", "PRMSC", "--name", "Again"),
        ("committee", "add", "NEW"),
        ("committee", "add", "FRAUD19", "--name", "Clashes with a report"),
        ("committee", "add", "bad code!", "--name", "x"),
        ("meeting", "add", "PRMSC", MEETING),
        ("meeting", "add", "NOPE", "2020-01-01"),
        ("meeting", "add", "PRMSC", "15/11/2019"),
        ("meeting", "add", "PRMSC", "2020-01-01", "--on", "2999-01-01"),
        ("meeting", "list", "NOPE"),
        ("summary", "PRMSC", "2019-11-16"),
        ("summary", "NOPE", MEETING),
        ("summary", "PRMSC", MEETING, "--as-known-at", "teatime"),
        ("appendix", "PRMSC", "2019-01-01"),
        ("pack", "PRMSC", MEETING),
        ("pack", "PRMSC", MEETING, "--out", "paper.pdf"),
        ("pack", "PRMSC", MEETING, "--out", "/no/such/folder/paper.html"),
    ],
)
def test_every_refusal_about_papers_is_one_error_line_and_writes_nothing(
    demo, args: tuple[str, ...], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before = events_in(demo)
    message = demo(*args, code=1)
    assert message.startswith("Error: ") and message.count("\n") == 1, message
    assert events_in(demo) == before


def test_pack_writes_a_word_document_with_the_summarys_numbers(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    out = tmp_path / "paper.docx"
    demo("pack", "PRMSC", MEETING, "--out", str(out))
    document = docx.Document(str(out))
    expected = summary(demo)
    text = "\n".join(p.text for p in document.paragraphs)
    assert expected["headline"] in text
    totals = next(t for t in document.tables if t.rows[0].cells[0].text == "Status")
    header = [c.text for c in totals.rows[0].cells]
    for row in totals.rows[1:]:
        key = row.cells[0].text.replace("Total Amber/Red/White", "OUTSTANDING")
        for name, cell in zip(header[1:], row.cells[1:], strict=True):
            column, scope = name.lower().split(": ")
            assert int(cell.text) == expected["totals"][column][scope][key], (key, name)
    titles = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 2"
    ]
    for report in json.loads(demo("appendix", "PRMSC", MEETING, "--format", "json"))["reports"]:
        assert report["title"] in titles
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_a_report_title_holding_line_breaks_heads_its_appendix_section_on_one_line(
    tmp_path: Path, fmt: str
) -> None:
    """A title is one heading, however it was typed: a line break in it never ends the
    heading (in Markdown, the rest would be text of its own), nor a carriage return
    rewrite the start of the line on a terminal."""
    from tests.national_store import runner_on

    ragw = runner_on(str(tmp_path / "t.db"), "Governance")
    title = "Custody inspection\r\n## all recommendations implemented\rFraud"
    ragw(
        "report",
        "add",
        "CRT",
        "--title",
        title,
        "--scope",
        "force",
        "--published",
        "2019-01-10",
        "--on",
        "2019-01-10",
    )
    ragw(
        "rec",
        "add",
        "CRT",
        "1",
        "--kind",
        "afi",
        "--text",
        "x",
        "--status",
        "AMBER",
        "--on",
        "2019-01-10",
    )
    ragw("committee", "add", "C1", "--name", "C1")
    ragw("meeting", "add", "C1", "2019-03-01")
    printed = ragw("appendix", "C1", "2019-03-01", "--format", fmt)
    flat = "Custody inspection ## all recommendations implemented Fraud [CRT]"
    if fmt == "md":  # and its brackets written as text
        flat = "## " + flat.replace("[", "\\[").replace("]", "\\]")
    assert f"{flat}\n" in printed
    assert "\r" not in printed


def test_an_item_reported_green_and_reopened_since_is_counted_and_listed_as_it_now_is(
    tmp_path: Path,
) -> None:
    """Only greens the committee was told of and that are green still are left out: an
    item GREEN at the meeting before and RED now is a NEW RED of this paper, in its
    counts, its headline and its appendix; one GREEN still is left out."""
    ragw = peel_paper(tmp_path, ("1", "2", "3"), ("2021-02-01", "2021-05-04", "2021-08-02"))
    for ref in ("1", "3"):
        ragw("status", f"P/{ref}", "GREEN", "--on", "2021-04-01")
    ragw("status", "P/1", "RED", "--reason", "The evidence failed audit", "--on", "2021-06-01")
    summary = json.loads(ragw("summary", "C", "2021-08-02", "--format", "json"))
    current = summary["reports"][0]["current"]
    assert (current["RED"], current["NEW RED"], current["AMBER"]) == (1, 1, 1)
    assert current["OUTSTANDING"] == 2 and current["NEW GREEN"] == 0
    appendix = json.loads(ragw("appendix", "C", "2021-08-02", "--format", "json"))
    listed = {item["ref"]: item["status"] for item in appendix["reports"][0]["items"]}
    assert listed == {"1": "NEW RED", "2": "AMBER"}  # P/3, green still, is left out


def test_an_extension_after_a_retracted_one_is_listed_as_moving_from_the_date_then_in_effect(
    tmp_path: Path,
) -> None:
    """A corrected extension no longer counts: the next one moved the due date from the
    date before it, whatever its event said it moved from."""
    ragw = peel_paper(tmp_path, ("2",), ("2021-05-04", "2021-08-02"))
    ragw("extend", "P/2", "--to", "2022-03-31", "--reason", "Budget", "--on", "2021-07-01")
    ragw("extend", "P/2", "--to", "2022-06-30", "--reason", "Again", "--on", "2021-07-15")
    ragw("correct", "P/2@2", "--reason", "Wrongly entered", "--on", "2021-07-20")
    printed = ragw("summary", "C", "2021-08-02")
    assert re.search(r"P/2 +2021-07-15 +2021-12-31 +2022-06-30 +Again", printed), printed
    assert "2022-03-31" not in printed


def peel_paper(tmp_path: Path, refs: tuple[str, ...], meetings: tuple[str, ...]) -> Any:
    """``ragw`` on a ledger of report P with items ``refs`` (AMBER, due at the end of
    2021) and committee C meeting on each of ``meetings``."""
    from tests.national_store import runner_on

    ragw = runner_on(str(tmp_path / "t.db"), "Governance")
    ragw("report", "add", "P", "--title", "Peel", "--scope", "force", "--published", "2021-01-01")
    for ref in refs:
        item = ("rec", "add", "P", ref, "--kind", "afi", "--text", f"Item {ref}")
        ragw(*item, "--due", "2021-12-31", "--status", "AMBER", "--on", "2021-01-05")
    ragw("committee", "add", "C", "--name", "Committee")
    for day in meetings:
        ragw("meeting", "add", "C", day)
    return ragw
