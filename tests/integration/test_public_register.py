"""`ragw publish`: the public register as written to a folder, on each store. Each
force's own status beside the inspectorate's verdict on every recommendation, national
reports first, a page per organisation, the open data, the digests that check it; and
nothing at all of a restricted report or of an inspection with no report."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.register_store import HOSTILE, SECRET_CODES, SECRET_WORDS, national_store, ragw

NATIONAL = "reports/hmicfrs-fraud19.html"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("register") / "ragw.db")
    else:
        target = request.getfixturevalue("postgres").create_database(f"ragw_register_{os.getpid()}")
    national_store(target)
    return target


@pytest.fixture(scope="module")
def published(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "register"
    said = ragw(store, "publish", "--out", str(out), "--as-at", "2019-11-15")
    assert said.startswith("published 2 reports, 4 items of 3 organisations as at 2019-11-15")
    return out


def cells(page: str) -> list[list[str]]:
    """The text of each table row of an HTML page, cell by cell."""
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
    ]


def open_data(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "recommendations.csv").read_text())))


def test_each_force_shows_its_own_status_beside_the_inspectorates_verdict(
    published: Path,
) -> None:
    rows = cells((published / NATIONAL).read_text())
    assert ["WMP", "RED", "no verdict", "2019-09-30"] in rows
    assert [
        "COLP",
        "GREEN",
        "accepted by HMICFRS (from 2019-11-01): The policy is published.",
        "2019-09-30",
    ] in rows
    # the recommendation addressed to the Home Office alone reached no force
    assert "FRAUD19/4" not in (published / NATIONAL).read_text()


def test_the_index_lists_the_national_report_first_with_its_counts(published: Path) -> None:
    reports = [row for row in cells((published / "index.html").read_text()) if len(row) == 8]
    assert [row[0] for row in reports] == [
        "Report",
        "FRAUD19: Fraud: Time to Choose",
        "PEEL19: PEEL: West Midlands 2019",
    ]
    assert reports[1][1:] == [
        "national",
        "HMICFRS",
        "2019-04-02",
        "2",
        "2",
        "GREEN 1, RED 1",
        "accepted 1, no verdict 1",
    ]
    assert f'href="{NATIONAL}"' in (published / "index.html").read_text()


def test_each_organisation_has_a_page_of_its_own_items(published: Path) -> None:
    wmp = cells((published / "organisations" / "wmp.html").read_text())
    keys = [row[0] for row in wmp if len(row) == 5 and row[0] != "Item"]
    assert keys == ["FRAUD19/9", "PEEL19/1", "PEEL19/2"]
    colp = cells((published / "organisations" / "colp.html").read_text())
    assert [row[0] for row in colp if len(row) == 5 and row[0] != "Item"] == ["FRAUD19/9"]
    assert "No published item." in (published / "organisations" / "hmicfrs.html").read_text()


def test_the_open_data_holds_every_published_item_once_in_csv_and_json(
    published: Path,
) -> None:
    rows = open_data(published)
    header = (published / "recommendations.csv").read_text().splitlines()[0]
    assert header.startswith("organisation,report,ref,status,verdict,due,")
    assert {"title", "text", "verdict_reason", "as_at"} <= set(rows[0])
    assert [
        (r["organisation"], r["report"], r["ref"], r["status"], r["verdict"]) for r in rows
    ] == [
        ("WMP", "FRAUD19", "9", "RED", ""),
        ("COLP", "FRAUD19", "9", "GREEN", "accepted"),
        ("WMP", "PEEL19", "1", "NOT ASSESSED", ""),
        ("WMP", "PEEL19", "2", "NOT ASSESSED", ""),
    ]
    assert {r["as_at"] for r in rows} == {"2019-11-15"}
    document = json.loads((published / "recommendations.json").read_text())
    assert document["as_at"] == "2019-11-15"
    by_json = document["recommendations"]
    assert [list(r) for r in by_json] == [list(rows[0])] * len(rows)
    assert by_json[1]["verdict_reason"] == "The policy is published."
    assert (by_json[0]["verdict_by"], by_json[1]["verdict_by"]) == (None, "HMICFRS")
    assert by_json[0]["verdict"] is None and by_json[0]["due"] == "2019-09-30"
    # exact in JSON; in CSV written as text, never run as a spreadsheet's formula
    assert by_json[3]["text"] == HOSTILE
    assert rows[3]["text"] == "'" + HOSTILE


def test_text_from_the_ledger_is_escaped_on_every_page(published: Path) -> None:
    page = (published / "organisations" / "wmp.html").read_text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34;" in page


def test_no_word_of_anything_restricted_or_unreported_is_in_any_file(
    published: Path,
) -> None:
    files = [path for path in published.rglob("*") if path.is_file()]
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8").casefold()
        for word in (*SECRET_WORDS, *SECRET_CODES):
            assert word.casefold() not in text, (word, path)


def test_as_at_an_earlier_day_the_register_shows_that_days_statuses_and_verdicts(
    store: str, tmp_path: Path
) -> None:
    out = tmp_path / "earlier"
    ragw(store, "publish", "--out", str(out), "--as-at", "2019-09-01")
    rows = open_data(out)
    assert [(r["organisation"], r["status"], r["verdict"]) for r in rows if r["ref"] == "9"] == [
        ("WMP", "NOT ASSESSED", ""),
        ("COLP", "AMBER", ""),
    ]
    assert "As at <strong>2019-09-01</strong>" in (out / NATIONAL).read_text()


def test_every_page_carries_each_ledgers_digest_which_verify_accepts(
    store: str, published: Path
) -> None:
    pages = [path for path in published.rglob("*.html")]
    said = {
        org: digest
        for org, digest in re.findall(
            r"ragw --org (\w+) verify --digest (\d+:[0-9a-f]{64})",
            (published / "index.html").read_text(),
        )
    }
    assert set(said) == {"HMICFRS", "WMP", "COLP"}
    for page in pages:
        text = page.read_text()
        for org, digest in said.items():
            assert f"ragw --org {org} verify --digest {digest}" in text, page
    for org, digest in said.items():
        ragw(store, "--org", org, "verify", "--digest", digest)
    assert json.loads((published / "recommendations.json").read_text())["organisations"][1] == {
        "code": "WMP",
        "name": "West Midlands Police",
        "kind": "force",
        "digest": said["WMP"],
    }


@pytest.mark.parametrize("day", ["2019-04-09", "2019-06-01", "2019-10-15", "2019-11-15"])
def test_the_register_is_the_same_from_the_read_model_and_from_the_fold(
    store: str, day: str
) -> None:
    from ledger import open_ledger
    from projections.usecases.publishing import public_register
    from projections.usecases.session import LedgerSession

    class Folding(LedgerSession):
        def read_model(self) -> None:  # type: ignore[override]
            return None

    def opened(kind: type[LedgerSession]) -> Callable[[str | None], LedgerSession]:
        return lambda org: kind(
            store,
            "reader",
            open_ledger=lambda write: open_ledger(store, create=False, org=org),
            org=org,
        )

    registers = []
    for kind in (LedgerSession, Folding):
        open_org = opened(kind)
        register = open_org(None)
        try:
            registers.append(public_register(register, open_org, as_at=date.fromisoformat(day)))
        finally:
            register.close()
    stored, folded = registers
    assert stored == folded
    assert len(stored.entries) == {"2019-04-09": 2}.get(day, 4)
