"""The public register's pages and open data made from a value: a superseded item and
one not for the organisation say so, an empty register is still a whole site, and every
page is made only when it is read."""

from __future__ import annotations

import json
from datetime import date

from projections.usecases.national import Member
from projections.usecases.publishing import PublicEntry, PublicRegister, PublicReport
from render.register import site


def entry(ref: str, **changed: object) -> PublicEntry:
    values: dict[str, object] = {
        "org": "WMP",
        "issuer": "WMP",
        "report": "PEEL19",
        "ref": ref,
        "key": f"PEEL19/{ref}",
        "kind": "afi",
        "text": f"Item {ref}",
        "status": "AMBER",
        "due": None,
        "verdict": None,
        "verdict_reason": None,
        "verdict_on": None,
        "verdict_by": None,
        "superseded_by": None,
        "not_for_the_force": False,
    }
    return PublicEntry(**{**values, **changed})  # type: ignore[arg-type]


def register(*entries: PublicEntry) -> PublicRegister:
    members = [Member("WMP", "West Midlands Police", "force")]
    reports = (
        [PublicReport("WMP", "PEEL19", "PEEL", "force", date(2019, 3, 1), entries)]
        if entries
        else []
    )
    return PublicRegister(date(2019, 11, 15), members, reports, {"WMP": None})


def test_a_superseded_item_and_one_not_for_the_force_say_so_beside_their_status() -> None:
    made = site(register(entry("1", superseded_by="PEEL20/3"), entry("2", not_for_the_force=True)))
    page = made["organisations/wmp.html"].decode()
    assert "<td>AMBER (superseded by PEEL20/3)</td>" in page
    assert "<td>AMBER (not for the organisation to act on)</td>" in page
    assert "nothing recorded to check" in page  # a ledger with no digest


def test_an_empty_register_is_still_a_whole_site() -> None:
    made = site(register())
    assert "No report is published yet." in made["index.html"].decode()
    assert json.loads(made["recommendations.json"])["recommendations"] == []
    assert made["recommendations.csv"].decode().count("\n") == 1
    assert "No published item." in made["organisations/wmp.html"].decode()


def test_a_page_is_made_only_when_it_is_read() -> None:
    made = site(register(entry("1")))
    assert "reports/wmp-peel19.html" in made and "reports/nothing.html" not in made
    assert made._made == {}
    made["index.html"]
    assert list(made._made) == ["index.html"]
