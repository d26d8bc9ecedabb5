"""An auditor's pack for the paper of a meeting: `ragw audit COMMITTEE DATE --out FILE`
lists what was restated since the paper, the entries made late in the period it
covers, the extensions granted and requested there with their justifications, every
sign-off with who claimed and who decided, and the verdict of verify with the digest.
Recording times are set by a clock the test moves, so the period (since the meeting
before) holds some entries and leaves others out."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from cli.main import main
from events import LedgerEvent
from tests.cli.test_auditors_reads import Clock
from tests.cli.test_verify import raw

GOV, OWNER, AUDITOR = "Strategic Development", "Head of Roads", "Internal Audit"
PREVIOUS, MEETING, NEXT = "2021-02-01", "2021-04-01", "2021-07-01"
HOSTILE = '<script>alert("owned")</script> & "quoted" \'too\''


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    ticking = Clock()
    monkeypatch.setattr(LedgerEvent, "create_timestamp", staticmethod(ticking))
    yield ticking


@pytest.fixture
def as_(target: str) -> Any:
    """Run ragw on the ledger as ``actor``; stdout, or stderr when refused."""
    runner = CliRunner()

    def run(actor: str, *args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", actor, *args])
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return run


def acceptance(clock: Clock, as_: Any, folder: Path) -> None:
    """Seven items AMBER since January; the committee met on 1 February and 1 April,
    whose paper was issued on the day. Before the period (by 1 February): R/3 extended,
    typed in 15 days late; R/7 extended on the day of that meeting; R/4 claimed done. In it: R/1 recorded GREEN (a mistake,
    corrected after the paper); R/3 extended again (a hostile justification); R/4
    signed off; R/5's extension requested and signed off once the committee required
    sign-off for extensions; R/6 claimed done, rejected, claimed again (pending); after
    the paper, R/2 RED dated 11 March recorded six weeks late."""
    clock.set("2021-01-04")
    as_(
        GOV,
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
    for ref in "1234567":
        as_(
            GOV,
            "rec",
            "add",
            "R",
            ref,
            "--kind",
            "afi",
            "--text",
            f"Item {ref}",
            "--owner",
            OWNER,
            "--due",
            "2021-06-30",
            "--status",
            "AMBER",
            "--on",
            "2021-01-05",
        )
    as_(GOV, "committee", "add", "C", "--name", "Audit & Risk", "--on", "2021-01-04")
    for day in (PREVIOUS, MEETING, NEXT):
        as_(GOV, "meeting", "add", "C", day, "--on", "2021-01-04")
    clock.set("2021-01-20")
    as_(
        OWNER, "extend", "R/3", "--to", "2021-07-31", "--reason", "Early slip", "--on", "2021-01-05"
    )
    clock.set(PREVIOUS, hour=18)  # the day of the meeting before: not in the period
    as_(
        OWNER,
        "extend",
        "R/7",
        "--to",
        "2021-08-31",
        "--reason",
        "Asked at the meeting",
        "--on",
        PREVIOUS,
    )
    clock.set("2021-01-25")
    as_(OWNER, "complete", "R/4", "--evidence", "Done in January", "--on", "2021-01-25")
    clock.set("2021-02-10")
    as_(GOV, "sign-off", "R/4", "--note", "Checked the policy", "--on", "2021-02-10")
    clock.set("2021-03-01")
    as_(OWNER, "status", "R/1", "GREEN", "--on", "2021-03-01")
    as_(OWNER, "extend", "R/3", "--to", "2021-09-30", "--reason", HOSTILE, "--on", "2021-03-01")
    as_(GOV, "committee", "sign-off", "C", "--for", "extensions")
    clock.set("2021-03-05")
    as_(
        OWNER,
        "extend",
        "R/5",
        "--to",
        "2021-12-31",
        "--reason",
        "Budget moved to next year",
        "--link",
        "https://intranet.example/budget.pdf",
        "--on",
        "2021-03-05",
    )
    clock.set("2021-03-08")
    as_(GOV, "sign-off", "R/5", "--note", "Agreed by the chair", "--on", "2021-03-08")
    clock.set("2021-03-15")
    as_(OWNER, "complete", "R/6", "--evidence", "Training delivered", "--on", "2021-03-15")
    clock.set("2021-03-16")
    as_(GOV, "reject", "R/6", "--reason", "No attendance records", "--on", "2021-03-16")
    clock.set("2021-03-20")
    as_(OWNER, "complete", "R/6", "--evidence", "Attendance records attached", "--on", "2021-03-20")
    clock.set(MEETING, hour=8)
    as_(GOV, "pack", "C", MEETING, "--out", str(folder / "issued.html"), "--issue")
    clock.set("2021-04-05")
    as_(GOV, "correct", "R/1@2", "--reason", "GREEN recorded against the wrong item")
    clock.set("2021-04-22")
    as_(OWNER, "status", "R/2", "RED", "--reason", "Supplier failed", "--on", "2021-03-11")


def pack_json(as_: Any, *args: str) -> dict[str, Any]:
    return dict(json.loads(as_(AUDITOR, "audit", "C", MEETING, "--format", "json", *args)))


def test_the_pack_lists_exactly_what_each_section_must(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    clock.set("2021-05-01")
    pack = pack_json(as_)
    assert (pack["committee"], pack["meeting"], pack["previous_meeting"]) == (
        "C",
        MEETING,
        PREVIOUS,
    )
    assert pack["period"] == {
        "recorded_after": PREVIOUS,
        "recorded_through": MEETING,
        "recorded_by": None,
    }
    # (a) restatements: what `ragw restatements` lists
    restated = json.loads(as_(AUDITOR, "restatements", "C", MEETING, "--format", "json"))
    assert {k: pack["restatements"][k] for k in restated} == restated
    assert [(i["key"], i["events"]) for i in restated["items"]] == [
        ("R/1", ["R/1@3"]),
        ("R/2", ["R/2@2"]),
    ]
    # (b) back-dated: the RED six weeks late; not R/3's first extension, 15 days late
    # but recorded before the period
    assert [(e["id"], e["lag_days"], e["papers"]) for e in pack["backdated"]["events"]] == [
        ("R/2@2", 42, [f"C {MEETING}"])
    ]
    assert pack["backdated"]["days"] == 14
    everywhere = json.loads(as_(AUDITOR, "backdated", "--format", "json"))["events"]
    assert [e["id"] for e in everywhere] == ["R/3@2", "R/2@2"]
    # (c) extensions granted in the period: R/3 outright, R/5 by sign-off
    granted = [
        (e["key"], e["by"], e["on"], e["previous_due"], e["due"], e["justification"], e["request"])
        for e in pack["extensions"]
    ]
    assert granted == [
        ("R/3", OWNER, "2021-03-01", "2021-07-31", "2021-09-30", HOSTILE, None),
        (
            "R/5",
            GOV,
            "2021-03-08",
            "2021-06-30",
            "2021-12-31",
            "Budget moved to next year",
            "R/5@2",
        ),
    ]
    assert pack["extensions"][1]["requested_by"] == OWNER
    # (d) sign-offs made or decided in the period, each with who claimed and who decided
    sign_offs = [
        (
            s["id"],
            s["request"],
            s["claimed_by"],
            s["outcome"],
            s["decision"] and (s["decision"]["by"], s["decision"]["words"]),
        )
        for s in pack["sign_offs"]
    ]
    assert sign_offs == [
        ("R/4@2", "GREEN", OWNER, "signed off", (GOV, "Checked the policy")),
        ("R/5@2", "EXTENSION", OWNER, "signed off", (GOV, "Agreed by the chair")),
        ("R/6@2", "GREEN", OWNER, "rejected", (GOV, "No attendance records")),
        ("R/6@4", "GREEN", OWNER, "pending", None),
    ]
    assert pack["sign_offs"][1]["links"] == ["https://intranet.example/budget.pdf"]
    # (e) the verdict of verify, with the digest it prints
    said = as_(AUDITOR, "verify")
    assert pack["verify"]["intact"] is True
    assert pack["digest"] == pack["verify"]["digest"] == said.splitlines()[-1].split()[-1]
    assert pack["verify"]["said"][0] == said.splitlines()[0]


def test_packs_of_successive_meetings_never_list_an_entry_twice(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    clock.set("2021-04-25")
    as_(GOV, "extend", "R/7", "--to", "2022-01-31", "--reason", "Later", "--on", "2021-04-25")
    clock.set("2021-05-01")
    this = pack_json(as_)
    following = dict(json.loads(as_(AUDITOR, "audit", "C", NEXT, "--format", "json")))
    # the committee requires sign-off for extensions: a request, pending, of the next period
    assert "R/7" not in [e["key"] for e in this["extensions"] + this["sign_offs"]]
    assert [(e["key"], e["outcome"]) for e in following["sign_offs"]] == [("R/7", "pending")]
    listed = [e["id"] for p in (this, following) for e in p["extensions"] + p["sign_offs"]]
    assert len(listed) == len(set(listed))


def test_as_known_at_a_moment_the_pack_knows_nothing_recorded_after_it(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    moment = "2021-03-16T18:00:00+00:00"
    pack = pack_json(as_, "--as-known-at", moment)
    assert pack["as_known_at"] == moment
    assert pack["period"]["recorded_by"] == moment
    assert pack["backdated"]["events"] == [] and pack["restatements"]["items"] == []
    # the paper was issued on 1 April, after the moment: then there was no issue to compare with
    assert pack["restatements"]["compared_with"] == moment
    assert "as issued" not in pack["restatements"]["basis"]
    assert [e["key"] for e in pack["extensions"]] == ["R/3", "R/5"]
    assert [(s["id"], s["outcome"]) for s in pack["sign_offs"]] == [
        ("R/4@2", "signed off"),
        ("R/5@2", "signed off"),
        ("R/6@2", "rejected"),
    ]
    # on the morning of the day the RED was typed in late: neither it nor what it restated
    morning = pack_json(as_, "--as-known-at", "2021-04-22T06:00:00Z")
    assert morning["backdated"]["events"] == []
    assert [i["key"] for i in morning["restatements"]["items"]] == ["R/1"]
    # a day earlier, the rejection was not recorded yet: the claim was pending
    earlier = pack_json(as_, "--as-known-at", "2021-03-15T18:00:00Z")
    assert [(s["id"], s["outcome"]) for s in earlier["sign_offs"]][-1] == ("R/6@2", "pending")


def test_the_html_pack_says_each_section_and_escapes_the_ledgers_text(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    out = tmp_path / "audit.html"
    said = as_(AUDITOR, "audit", "C", MEETING, "--out", str(out))
    assert said == ""
    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(" in page
    assert "&#34;quoted&#34;" in page or "&quot;quoted&quot;" in page
    assert "Audit &amp; Risk" in page
    for section in ("cover", "verify", "restated", "backdated", "extensions", "sign-offs"):
        assert f'<section id="{section}">' in page or f'<header id="{section}">' in page
    restated = page.split('<section id="restated">')[1].split("</section>")[0]
    assert 'data-key="R/1"' in restated and 'data-key="R/2"' in restated
    assert 'data-key="R/3"' not in restated
    late = page.split('<section id="backdated">')[1].split("</section>")[0]
    assert late.count("<tr data-key=") == 1 and 'data-event="R/2@2"' in late
    assert "from 2 February 2021" in page  # the window, said
    digest = json.loads(as_(AUDITOR, "audit", "C", MEETING, "--format", "json"))["digest"]
    assert digest in page.split("</header>")[0]


def test_the_word_pack_reads_back_with_every_section_and_table(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    out = tmp_path / "audit.docx"
    as_(AUDITOR, "audit", "C", MEETING, "--out", str(out))
    document = docx.Document(io.BytesIO(out.read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Verification of the ledger",
        "Restated since the paper",
        "Back-dated entries",
        "Deadline extensions",
        "Granted",
        "Requested, and what was decided",
        "Sign-offs",
    ]
    digest = pack_json(as_)["digest"]
    said = [p.text for p in document.paragraphs]
    assert "Committee: Audit & Risk (C)" in said
    assert any(line.startswith(f"Ledger digest: {digest}") for line in said)
    assert any(
        line.startswith("Period covered: entries recorded from 2 February 2021") for line in said
    )
    assert said[said.index("Verification of the ledger") + 1].startswith("INTACT")
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    sign_offs = next(t for h, t in tables.items() if h[:3] == ("Item", "Asks for", "Claimed by"))
    rows = [[c.text for c in row.cells] for row in sign_offs.rows[1:]]
    assert [r[0] for r in rows] == ["R/4", "R/5", "R/6", "R/6"]
    assert rows[2][5].startswith(f"rejected by {GOV}") and rows[2][6] == "No attendance records"
    assert rows[3][5].startswith("pending")
    granted = next(t for h, t in tables.items() if h[:2] == ("Item", "Granted by"))
    assert [row.cells[0].text for row in granted.rows[1:]] == ["R/3", "R/5"]
    assert granted.rows[1].cells[6].text == HOSTILE
    with zipfile.ZipFile(out) as archive:
        assert "&lt;script&gt;" in archive.read("word/document.xml").decode()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["NOPE", MEETING, "--out", "x.html"], "Error: no committee NOPE"),
        (["C", "2021-04-02", "--out", "x.html"], "Error: C has no meeting on 2021-04-02"),
        (["C", MEETING, "--out", "x.pdf"], "Error: --out x.pdf: the pack is written as .html"),
        (["C", MEETING], "Error: --out is needed"),
        (["C", MEETING, "--out", "x.html", "--days", "-1"], "Error: --days '-1' is outside"),
        (["C", MEETING, "--out", "x.html", "--format", "json"], "Error: --format json prints"),
        (["C", MEETING, "--out", "x.html", "--as-known-at", "soon"], "Error: --as-known-at 'soon'"),
    ],
)
def test_a_refused_pack_says_one_error_line_and_writes_nothing(
    clock: Clock,
    as_: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    said: str,
) -> None:
    acceptance(clock, as_, tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    error = as_(AUDITOR, "audit", *args, code=1)
    assert error.startswith(said) and error.count("\n") == 1, error
    assert list(folder.iterdir()) == []


def test_an_existing_file_is_replaced_only_when_forced(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    out = tmp_path / "audit.html"
    out.write_text("kept")
    assert "already exists" in as_(AUDITOR, "audit", "C", MEETING, "--out", str(out), code=1)
    assert out.read_text() == "kept"
    as_(AUDITOR, "audit", "C", MEETING, "--out", str(out), "--force")
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_a_ledger_altered_past_ragw_still_gets_its_pack_which_says_it_failed(
    clock: Clock, tmp_path: Path
) -> None:
    target = str(tmp_path / "ragw.db")
    runner = CliRunner()

    def run(actor: str, *args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", actor, *args])
        assert result.exit_code == code, (result.output, result.stderr)
        return result.stdout if code == 0 else result.stderr

    acceptance(clock, run, tmp_path)
    with raw(target) as (connection, _, _):  # a link rewritten: every event still reads
        connection.execute(
            "UPDATE ragw_chain SET link = (SELECT link FROM ragw_chain WHERE position = 2) "
            "WHERE position = 3"
        )
    pack = pack_json(run)
    assert pack["verify"]["intact"] is False
    assert "(position 3)" in pack["verify"]["said"][0]
    out = tmp_path / "audit.html"
    run(AUDITOR, "audit", "C", MEETING, "--out", str(out))
    verdict = out.read_text().split('<section id="verify">')[1].split("</section>")[0]
    assert 'class="verdict failed"' in verdict and "(position 3)" in verdict


def test_as_known_at_a_moment_between_two_issues_the_pack_compares_with_the_first(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    acceptance(clock, as_, tmp_path)
    clock.set("2021-04-25")
    as_(GOV, "pack", "C", MEETING, "--out", str(tmp_path / "again.html"), "--issue")
    clock.set("2021-05-01")
    between = pack_json(as_, "--as-known-at", "2021-04-23T12:00:00+00:00")
    assert "as issued" in between["restatements"]["basis"]
    assert between["restatements"]["compared_with"] < "2021-04-05"  # the first issue's
    assert [i["key"] for i in between["restatements"]["items"]] == ["R/1", "R/2"]
    # as known now, the paper as issued again: everything since was known to it
    now = pack_json(as_)
    assert now["restatements"]["items"] == []
