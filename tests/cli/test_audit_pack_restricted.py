"""An audit pack says of a restricted report's items what a public paper says: their
keys, statuses, dates and who recorded what, never what was written of them (text,
justifications, evidence, links, notes, reasons), in every section and format;
``audit --include-restricted`` (a pack for the committee alone) shows them in full,
under the paper's banner."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from events import LedgerEvent
from projections.committee.withholding import NOT_FOR_PUBLICATION, WITHHELD
from tests.cli.test_auditors_reads import Clock

GOV, OWNER, AUDITOR = "Strategic Development", "Head of Roads", "Internal Audit"
PREVIOUS, MEETING = "2021-02-01", "2021-04-01"
#: One word for each thing a user writes of an item that the pack lists.
SECRETS = (
    "HUSHTEXT",
    "HUSHJUSTIFY",
    "HUSHEVIDENCE",
    "HUSHLINK",
    "HUSHNOTE",
    "HUSHREJECT",
    "HUSHRED",
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    ticking = Clock()
    monkeypatch.setattr(LedgerEvent, "create_timestamp", staticmethod(ticking))
    yield ticking


@pytest.fixture
def as_(target: str) -> Any:
    runner = CliRunner()

    def run(actor: str, *args: str) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", actor, *args])
        assert result.exit_code == 0, (args, result.output, result.stderr)
        return result.stdout

    return run


def ledger(clock: Clock, as_: Any, folder: Path) -> None:
    """A restricted report's four items, each with something written of it in the period
    of the paper for 1 April: S/1 extended, S/2 claimed done and signed off, S/3 claimed
    done and rejected; after the paper, S/4 RED dated 11 March and S/5 issued on 12
    March typed in six weeks late (back-dated, and restating the paper)."""
    clock.set("2021-01-04")
    as_(
        GOV,
        *("report", "add", "S", "--title", "Covert", "--scope", "force"),
        *("--published", "2021-01-04", "--restricted", "--on", "2021-01-04"),
    )
    for ref in "1234":
        as_(
            GOV,
            *("rec", "add", "S", ref, "--kind", "afi", "--text", f"HUSHTEXT {ref}"),
            *("--owner", OWNER, "--due", "2021-06-30", "--status", "AMBER", "--on", "2021-01-05"),
        )
    as_(GOV, "committee", "add", "C", "--name", "Audit & Risk", "--on", "2021-01-04")
    for day in (PREVIOUS, MEETING):
        as_(GOV, "meeting", "add", "C", day, "--on", "2021-01-04")
    clock.set("2021-03-01")
    as_(OWNER, "extend", "S/1", "--to", "2021-09-30", "--reason", "HUSHJUSTIFY")
    as_(
        OWNER,
        *("complete", "S/2", "--evidence", "HUSHEVIDENCE"),
        *("--link", "https://intranet.example/HUSHLINK.pdf"),
    )
    clock.set("2021-03-02")
    as_(GOV, "sign-off", "S/2", "--note", "HUSHNOTE")
    as_(OWNER, "complete", "S/3", "--evidence", "HUSHEVIDENCE again")
    clock.set("2021-03-03")
    as_(GOV, "reject", "S/3", "--reason", "HUSHREJECT")
    clock.set(MEETING, hour=8)
    as_(GOV, "pack", "C", MEETING, "--out", str(folder / "issued.html"), "--issue")
    clock.set("2021-04-22")
    as_(OWNER, "status", "S/4", "RED", "--reason", "HUSHRED", "--on", "2021-03-11")
    as_(
        GOV,
        *("rec", "add", "S", "5", "--kind", "afi", "--text", "HUSHTEXT 5"),
        *("--owner", OWNER, "--status", "AMBER", "--on", "2021-03-12"),
    )


def written(clock: Clock, as_: Any, folder: Path, *args: str) -> dict[str, str]:
    """The pack as HTML, as the Word document's text, and as JSON."""
    ledger(clock, as_, folder)
    clock.set("2021-05-01")
    html, word = folder / "audit.html", folder / "audit.docx"
    as_(AUDITOR, "audit", "C", MEETING, "--out", str(html), *args)
    as_(AUDITOR, "audit", "C", MEETING, "--out", str(word), *args)
    with zipfile.ZipFile(word) as archive:
        document = archive.read("word/document.xml").decode()
    return {
        "html": html.read_text(),
        "docx": document,
        "json": as_(AUDITOR, "audit", "C", MEETING, "--format", "json", *args),
    }


def test_an_audit_pack_withholds_what_was_written_of_a_restricted_reports_items(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    packs = written(clock, as_, tmp_path)
    for form, said in packs.items():
        assert [word for word in SECRETS if word in said] == [], form
        assert WITHHELD in said and NOT_FOR_PUBLICATION not in said, form
    # what identifies and counts the items is kept: keys, statuses, dates, who and what
    pack = json.loads(packs["json"])
    assert pack["includes_restricted"] is False
    assert [i["key"] for i in pack["restatements"]["items"]] == ["S/4", "S/5"]
    assert [(e["id"], e["papers"]) for e in pack["backdated"]["events"]] == [
        ("S/4@2", [f"C {MEETING}"]),
        ("S/5@1", [f"C {MEETING}"]),
    ]
    assert [(e["key"], e["by"], e["due"], e["justification"]) for e in pack["extensions"]] == [
        ("S/1", OWNER, "2021-09-30", WITHHELD)
    ]
    assert [
        (s["key"], s["request"], s["claimed_by"], s["outcome"], s["evidence"], s["links"])
        for s in pack["sign_offs"]
    ] == [
        ("S/2", "GREEN", OWNER, "signed off", WITHHELD, [WITHHELD]),
        ("S/3", "GREEN", OWNER, "rejected", WITHHELD, []),
    ]
    assert [(s["decision"]["by"], s["decision"]["words"]) for s in pack["sign_offs"]] == [
        (GOV, WITHHELD),
        (GOV, WITHHELD),
    ]
    page = packs["html"]
    assert f"signed off by {GOV}" in page and f"rejected by {GOV}" in page
    late = page.split('<section id="backdated">')[1].split("</section>")[0]
    assert 'data-event="S/4@2"' in late and f"C {MEETING}" in late


def test_an_audit_pack_for_the_committee_alone_shows_restricted_items_under_a_banner(
    clock: Clock, as_: Any, tmp_path: Path
) -> None:
    packs = written(clock, as_, tmp_path, "--include-restricted")
    for form in ("html", "docx"):
        assert [word for word in SECRETS if word not in packs[form]] == [], form
    assert WITHHELD not in "".join(packs.values())
    pack = json.loads(packs["json"])
    assert pack["includes_restricted"] is True
    assert [e["justification"] for e in pack["extensions"]] == ["HUSHJUSTIFY"]
    cover = packs["html"].split("</header>")[0]
    assert f'<p class="banner" role="note"><strong>{NOT_FOR_PUBLICATION}</strong></p>' in cover
    assert NOT_FOR_PUBLICATION in packs["docx"]
