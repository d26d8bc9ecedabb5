"""An auditor asks which items of the paper a committee saw were changed afterwards, and
by whom: `ragw restatements`, and the next paper's "Restated since the last paper"."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

MEETING, NEXT = "2021-04-01", "2021-07-01"


def ledger_with_a_paper(ragw: Any, *, issue: bool = True, tmp: Path | None = None) -> None:
    """Three items AMBER since February; R/1 recorded GREEN in March (a mistake); the
    committee's April paper issued (when ``issue``)."""
    ragw(
        "report",
        "add",
        "R",
        "--title",
        "Roads",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        "--on",
        "2021-01-04",
    )
    for ref in ("1", "2", "3"):
        ragw(
            "rec",
            "add",
            "R",
            ref,
            "--kind",
            "afi",
            "--text",
            f"Item {ref}",
            "--due",
            "2021-06-30",
            "--on",
            "2021-01-05",
        )
        ragw("status", f"R/{ref}", "AMBER", "--on", "2021-02-01")
    ragw("status", "R/1", "GREEN", "--on", "2021-03-01")
    ragw("committee", "add", "C", "--name", "Committee", "--on", "2021-01-04")
    ragw("meeting", "add", "C", MEETING, "--on", "2021-01-04")
    ragw("meeting", "add", "C", NEXT, "--on", "2021-01-04")
    if issue:
        assert tmp is not None
        ragw("pack", "C", MEETING, "--out", str(tmp / "issued.html"), "--issue")


def restate(ragw: Any) -> None:
    """After the paper: the GREEN corrected, a RED dated three weeks before the meeting
    typed in late; and two changes the paper could not have shown (a note, and a
    status after the meeting)."""
    ragw("correct", "R/1@3", "--reason", "GREEN recorded against the wrong item")
    ragw("status", "R/2", "RED", "--reason", "Supplier failed", "--on", "2021-03-11")
    ragw("note", "R/3", "Still waiting", "--on", "2021-03-20")
    ragw("status", "R/3", "RED", "--reason", "Supplier failed", "--on", "2021-04-10")


def test_restatements_list_the_corrected_and_the_back_dated_item_with_their_events(
    ragw: Any, tmp_path: Path
) -> None:
    ledger_with_a_paper(ragw, tmp=tmp_path)
    restate(ragw)
    document = json.loads(ragw("restatements", "C", MEETING, "--format", "json"))
    assert set(document) == {
        "committee",
        "meeting",
        "compared_with",
        "meeting_before_changed",
        "items",
    }
    assert document["meeting_before_changed"] is None
    assert (document["committee"], document["meeting"]) == ("C", MEETING)
    assert document["items"] == [
        {
            "key": "R/1",
            "then": {
                "status": "GREEN",
                "due": "2021-06-30",
                "section": "NEW GREEN",
                "previous": None,
            },
            "now": {"status": "AMBER", "due": "2021-06-30", "section": "AMBER", "previous": None},
            "events": ["R/1@4"],
        },
        {
            "key": "R/2",
            "then": {"status": "AMBER", "due": "2021-06-30", "section": "AMBER", "previous": None},
            "now": {"status": "RED", "due": "2021-06-30", "section": "NEW RED", "previous": None},
            "events": ["R/2@3"],
        },
    ]
    # --since-issue says the same: the default for an issued paper
    assert (
        json.loads(ragw("restatements", "C", MEETING, "--since-issue", "--format", "json"))
        == document
    )
    table = ragw("restatements", "C", MEETING)
    assert "R/1@4" in table and "R/2@3" in table and "Strategic Development" in table
    assert "the paper as issued" in table


def test_the_next_paper_shows_both_under_restated_since_the_last_paper(
    ragw: Any, tmp_path: Path
) -> None:
    ledger_with_a_paper(ragw, tmp=tmp_path)
    restate(ragw)
    html, word = tmp_path / "next.html", tmp_path / "next.docx"
    ragw("pack", "C", NEXT, "--out", str(html))
    ragw("pack", "C", NEXT, "--out", str(word))
    page = html.read_text()
    section = page.split('<section id="restated">')[1].split("</section>")[0]
    assert "Restated since the last paper" in section
    assert 'data-key="R/1"' in section and 'data-key="R/2"' in section
    assert 'data-key="R/3"' not in section
    assert 'data-event="R/1@4"' in section and 'data-event="R/2@3"' in section
    assert "the paper issued for that meeting said" in section
    with zipfile.ZipFile(word) as archive:
        body = archive.read("word/document.xml").decode()
    assert "Restated since the last paper" in body
    assert "R/1@4 EventCorrected" in body and "R/2@3 StatusChanged" in body
    # the issued paper, rendered again, is still the paper issued: no section
    again = tmp_path / "again.html"
    ragw("pack", "C", MEETING, "--out", str(again), "--as-issued")
    assert again.read_text() == (tmp_path / "issued.html").read_text()


def test_a_paper_with_nothing_restated_has_no_such_section(ragw: Any, tmp_path: Path) -> None:
    ledger_with_a_paper(ragw, tmp=tmp_path)
    ragw("status", "R/3", "RED", "--reason", "Supplier failed", "--on", "2021-04-10")
    html = tmp_path / "next.html"
    ragw("pack", "C", NEXT, "--out", str(html))
    assert "Restated since the last paper" not in html.read_text()
    assert json.loads(ragw("restatements", "C", MEETING, "--format", "json"))["items"] == []


def test_a_paper_never_issued_is_compared_as_known_at_the_end_of_its_day(ragw: Any) -> None:
    ledger_with_a_paper(ragw, issue=False)
    restate(ragw)
    document = json.loads(ragw("restatements", "C", MEETING, "--format", "json"))
    assert document["compared_with"] == "2021-04-01T23:59:59.999999+00:00"
    assert document["meeting_before_changed"] is None  # no committee then: none moved
    # all of it recorded long after that day: the ledger then held none of these items,
    # and each is listed with every event of it dated on or before the meeting
    assert [item["key"] for item in document["items"]] == ["R/1", "R/2", "R/3"]
    r3 = document["items"][2]
    assert r3["then"] == {"status": None, "due": None, "section": None, "previous": None}
    assert r3["now"] == {
        "status": "AMBER",
        "due": "2021-06-30",
        "section": "AMBER",
        "previous": None,
    }
    assert r3["events"] == ["R/3@1", "R/3@2", "R/3@3"]  # not the RED of 10 April
    assert "never issued" in ragw("restatements", "C", MEETING)
    error = ragw("restatements", "C", MEETING, "--since-issue", code=1)
    assert error.startswith("Error: the paper for C's meeting on 2021-04-01 has not been issued")


def test_restatements_since_a_moment_count_only_what_was_recorded_after_it(ragw: Any) -> None:
    ledger_with_a_paper(ragw, issue=False)
    restate(ragw)
    history = json.loads(ragw("history", "R/2", "--format", "json"))["events"]
    moment = history[-1]["recorded_at"]  # just after the RED was recorded
    document = json.loads(
        ragw("restatements", "C", MEETING, "--known-at", moment, "--format", "json")
    )
    assert document["compared_with"] == moment
    assert document["items"] == []
    error = ragw("restatements", "C", MEETING, "--since-issue", "--known-at", moment, code=1)
    assert "leave out --known-at" in error


def test_a_previous_paper_never_issued_from_a_ledger_written_later_is_not_restated(
    ragw: Any, tmp_path: Path
) -> None:
    """History typed in from old papers: no paper for April came from this ledger, so
    the July paper restates nothing, though every item is new to the ledger as known
    then; `restatements` says why it lists them all."""
    ledger_with_a_paper(ragw, issue=False)
    restate(ragw)
    html = tmp_path / "next.html"
    ragw("pack", "C", NEXT, "--out", str(html))
    assert "Restated since the last paper" not in html.read_text()
    assert "first written to after that day" in ragw("restatements", "C", MEETING)


def test_summary_and_appendix_end_with_what_was_restated_since_the_last_paper(
    ragw: Any, tmp_path: Path
) -> None:
    ledger_with_a_paper(ragw, tmp=tmp_path)
    before = ragw("summary", "C", NEXT), ragw("appendix", "C", NEXT, "--format", "json")
    assert "Restated since" not in before[0] and "restated" not in before[1]
    restate(ragw)
    for command in ("summary", "appendix"):
        table = ragw(command, "C", NEXT)
        section = table.split("Restated since the last paper")[1]
        assert "R/1@4" in section and "R/2@3" in section and "R/3" not in section
        assert "against the paper issued for it" in section
        document = json.loads(ragw(command, "C", NEXT, "--format", "json"))
        listed = document["restated_since_last_paper"]
        assert [(i["key"], i["events"]) for i in listed["items"]] == [
            ("R/1", ["R/1@4"]),
            ("R/2", ["R/2@3"]),
        ]


def test_a_change_to_the_status_at_the_meeting_before_is_a_restatement(
    ragw: Any, tmp_path: Path
) -> None:
    """The paper's Previous column counts each item's status at the meeting before: a
    RED typed in late and dated before that meeting changes it, and so the paper, even
    when the item's section this time stays the same."""
    ledger_with_a_paper(ragw, tmp=tmp_path)
    ragw("pack", "C", NEXT, "--out", str(tmp_path / "next.html"), "--issue")
    ragw("status", "R/2", "RED", "--reason", "Supplier failed", "--on", "2021-03-15")
    ragw("status", "R/2", "AMBER", "--on", "2021-05-01")
    document = json.loads(ragw("restatements", "C", NEXT, "--format", "json"))
    (item,) = document["items"]
    assert item["key"] == "R/2"
    assert (item["then"]["previous"], item["now"]["previous"]) == ("AMBER", "RED")
    assert item["then"]["section"] == item["now"]["section"] == "AMBER"
    assert item["events"] == ["R/2@3", "R/2@4"]
    assert "RED at the meeting before" in ragw("restatements", "C", NEXT)


def test_a_meeting_scheduled_between_an_issued_paper_and_the_one_before_is_named(
    ragw: Any, tmp_path: Path
) -> None:
    """The July paper compared with April's meeting; a meeting added for May makes it
    compare with May's: every Previous column with it. Restatements says so, and which
    event of the committee did it and who recorded it."""
    ledger_with_a_paper(ragw, tmp=tmp_path)
    ragw("pack", "C", NEXT, "--out", str(tmp_path / "next.html"), "--issue")
    ragw("meeting", "add", "C", "2021-05-15")
    document = json.loads(ragw("restatements", "C", NEXT, "--format", "json"))
    said = document["meeting_before_changed"]
    assert "compared with the meeting before it on 2021-04-01" in said
    assert "the meeting on 2021-05-15" in said and "C@6 (MeetingScheduled" in said
    table = ragw("restatements", "C", NEXT)
    assert "as known now that is the meeting on 2021-05-15" in table
