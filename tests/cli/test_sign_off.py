"""Sign-off: an owner's "done" is pending until someone else (governance) signs it off or
rejects it; committees may require the same for closures and extensions. Pending
requests show on the board, in the summary and in the paper, as at any date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

GOV, OWNER, OTHER, AUDIT = "Strategic Development", "Head of Roads", "DCI Crime", "Audit"
PUBLISHED, ISSUED = "2021-01-04", "2021-01-05"


def as_(target: str, actor: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", actor, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def log(target: str) -> list[dict[str, Any]]:
    return list(json.loads(as_(target, GOV, "log", "--format", "json"))["events"])


def refused(target: str, actor: str, *args: str) -> str:
    before = len(log(target))
    error = as_(target, actor, *args, code=1)
    assert error.startswith("Error: ") and error.count("\n") == 1, error
    assert len(log(target)) == before, "a refused command wrote"
    return error


def board(target: str, *args: str) -> dict[str, dict[str, Any]]:
    document = json.loads(as_(target, GOV, "board", "--format", "json", *args))
    return {item["key"]: item for item in document["items"]}


def tracker(target: str) -> None:
    as_(
        target,
        GOV,
        "report",
        "add",
        "R",
        "--title",
        "Roads policing",
        "--scope",
        "force",
        "--published",
        PUBLISHED,
        "--on",
        PUBLISHED,
    )
    for ref, owner in (("1", OWNER), ("2", OWNER), ("3", OTHER)):
        as_(
            target,
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
            owner,
            "--due",
            "2021-06-30",
            "--status",
            "AMBER",
            "--on",
            ISSUED,
        )
    as_(target, GOV, "committee", "add", "PRMSC", "--name", "Performance", "--on", ISSUED)
    for day in ("2021-02-01", "2021-05-01", "2021-09-01"):
        as_(target, GOV, "meeting", "add", "PRMSC", day, "--on", ISSUED)


@pytest.fixture
def ledger(target: str) -> str:
    tracker(target)
    return target


@pytest.fixture
def controlled(tmp_path: Path) -> str:
    """Under access control, on a SQLite file, where the actor is the name given (on
    PostgreSQL it is the database login: tests/integration/test_postgres_roles.py)."""
    target = str(tmp_path / "ragw.db")
    tracker(target)
    as_(target, GOV, "role", "grant", GOV, "governance")
    as_(target, GOV, "role", "grant", OWNER, "owner", "--acts-for", OWNER)
    as_(target, GOV, "role", "grant", OTHER, "owner", "--acts-for", OTHER)
    as_(target, GOV, "role", "grant", AUDIT, "auditor")
    return target


def test_a_completion_is_pending_sign_off_until_governance_signs_it_off_and_then_it_is_green(
    ledger: str,
) -> None:
    out = as_(
        ledger,
        OWNER,
        "complete",
        "R/1",
        "--evidence",
        "Policy published",
        "--link",
        "https://intranet.example/policy.pdf",
        "--on",
        "2021-03-01",
    )
    assert out.startswith("recorded R/1@2\nR/1: GREEN pending sign-off")
    pending = board(ledger, "--as-at", "2021-03-15")["R/1"]
    assert pending["status"] == "AMBER"
    assert pending["pending"] == {
        "id": "R/1@2",
        "request": "GREEN",
        "due": None,
        "previous_due": None,
        "on": "2021-03-01",
        "actor": OWNER,
        "evidence": "Policy published",
        "links": ["https://intranet.example/policy.pdf"],
    }
    assert board(ledger, "--as-at", "2021-02-28")["R/1"]["pending"] is None
    assert list(board(ledger, "--pending")) == ["R/1"]

    as_(ledger, GOV, "sign-off", "R/1", "--note", "Read the policy", "--on", "2021-04-01")
    assert board(ledger, "--as-at", "2021-03-31")["R/1"]["status"] == "AMBER"
    signed = board(ledger, "--as-at", "2021-04-01")["R/1"]
    assert (signed["status"], signed["pending"]) == ("GREEN", None)
    assert board(ledger, "--pending") == {}
    last = log(ledger)[-1]
    assert (last["type"], last["request"], last["outcome"], last["actor"]) == (
        "SignedOff",
        "R/1@2",
        "GREEN",
        GOV,
    )


def test_no_one_signs_off_or_rejects_their_own_request(ledger: str) -> None:
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Done", "--on", "2021-03-01")
    assert "must come from someone else" in refused(ledger, OWNER, "sign-off", "R/1")
    assert "must come from someone else" in refused(
        ledger, OWNER, "reject", "R/1", "--reason", "Withdrawn"
    )


def test_a_sign_off_cannot_take_effect_before_the_request_nor_without_one(ledger: str) -> None:
    assert "nothing of R/1 awaits sign-off" in refused(ledger, GOV, "sign-off", "R/1")
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Done", "--on", "2021-03-01")
    assert "--on 2021-03-01 or later" in refused(
        ledger, GOV, "sign-off", "R/1", "--on", "2021-02-01"
    )
    assert "already has GREEN pending sign-off" in refused(
        ledger, OWNER, "complete", "R/1", "--evidence", "Again"
    )
    assert "sign it off" in refused(ledger, GOV, "status", "R/1", "GREEN")
    assert "needs its evidence" in refused(ledger, OWNER, "complete", "R/2", "--evidence", " ")


def test_a_decision_naming_its_request_decides_that_request_alone(ledger: str) -> None:
    """A request rejected and asked for again is another request: a sign-off or a
    rejection naming the first (KEY@VERSION) is refused, and the second is decided."""
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "A draft", "--on", "2021-03-01")
    as_(ledger, GOV, "reject", "R/1", "--reason", "A draft is not done", "--on", "2021-03-02")
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Published", "--on", "2021-03-03")
    assert "R/1@2, which this decision is on, no longer awaits sign-off: R/1@4 does" in (
        refused(ledger, GOV, "sign-off", "R/1@2", "--on", "2021-03-04")
    )
    assert "no longer awaits sign-off" in refused(
        ledger, GOV, "reject", "R/1@2", "--reason", "Still a draft", "--on", "2021-03-04"
    )
    assert "is not an event id" in refused(ledger, GOV, "sign-off", "R/1@x")
    as_(ledger, GOV, "sign-off", "R/1@4", "--on", "2021-03-04")
    last = log(ledger)[-1]
    assert (last["type"], last["request"], last["reason"]) == ("SignedOff", "R/1@4", "Published")


def test_a_rejection_needs_a_reason_and_leaves_the_item_as_it_was(ledger: str) -> None:
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Draft written", "--on", "2021-03-01")
    assert "needs a reason" in refused(ledger, GOV, "reject", "R/1")
    as_(ledger, GOV, "reject", "R/1", "--reason", "Still a draft", "--on", "2021-03-10")
    item = board(ledger)["R/1"]
    assert (item["status"], item["pending"]) == ("AMBER", None)
    assert board(ledger, "--as-at", "2021-03-05")["R/1"]["pending"]["request"] == "GREEN"
    last = log(ledger)[-1]
    assert (last["type"], last["request"], last["reason"]) == (
        "SignOffRejected",
        "R/1@2",
        "Still a draft",
    )
    # Asked again, with better evidence: a new request.
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Published", "--on", "2021-03-20")
    assert board(ledger)["R/1"]["pending"]["id"] == "R/1@4"


def test_a_committee_requiring_sign_off_for_closures_and_extensions_turns_them_into_requests(
    ledger: str,
) -> None:
    as_(ledger, GOV, "committee", "sign-off", "PRMSC", "--for", "closures", "--for", "extensions")
    listed = json.loads(as_(ledger, GOV, "committee", "list", "--format", "json"))
    assert listed["committees"][0]["sign_off_for"] == ["completion", "closures", "extensions"]

    out = as_(
        ledger,
        OWNER,
        "extend",
        "R/1",
        "--to",
        "2021-12-31",
        "--reason",
        "Supplier late",
        "--on",
        "2021-04-01",
    )
    assert "extension to 2021-12-31 pending sign-off (PRMSC requires sign-off for" in out
    out = as_(ledger, OWNER, "close", "R/2", "--reason", "Superseded", "--on", "2021-04-02")
    assert "CLOSED pending sign-off" in out
    now = board(ledger)
    assert (now["R/1"]["due"], now["R/1"]["pending"]["request"]) == ("2021-06-30", "EXTENSION")
    assert (now["R/2"]["status"], now["R/2"]["pending"]["request"]) == ("AMBER", "CLOSED")

    as_(ledger, GOV, "sign-off", "R/1", "--on", "2021-04-20")
    as_(ledger, GOV, "sign-off", "R/2", "--on", "2021-04-20")
    now = board(ledger)
    assert (now["R/1"]["due"], now["R/1"]["pending"]) == ("2021-12-31", None)
    assert (now["R/2"]["status"], now["R/2"]["pending"]) == ("CLOSED", None)
    history = json.loads(as_(ledger, GOV, "history", "R/1", "--format", "json"))["events"]
    assert (history[0]["due"], history[-1]["due"], history[-1]["type"]) == (
        "2021-06-30",
        "2021-12-31",
        "SignedOff",
    )

    # Back to completion only: closing takes effect at once again.
    as_(ledger, GOV, "committee", "sign-off", "PRMSC")
    as_(ledger, OWNER, "close", "R/1", "--reason", "Superseded by R/3")
    assert board(ledger)["R/1"]["status"] == "CLOSED"


def test_the_summary_and_the_paper_show_what_awaits_sign_off_at_that_meeting(
    ledger: str, tmp_path: Path
) -> None:
    as_(ledger, GOV, "committee", "sign-off", "PRMSC", "--for", "extensions")
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Policy published", "--on", "2021-03-01")
    as_(
        ledger,
        OTHER,
        "extend",
        "R/3",
        "--to",
        "2021-12-31",
        "--reason",
        "Supplier late",
        "--on",
        "2021-03-02",
    )

    summary = json.loads(as_(ledger, GOV, "summary", "PRMSC", "2021-05-01", "--format", "json"))
    pending = summary["exceptions"]["pending_sign_off"]
    assert [(p["key"], p["status"], p["request"], p["due"]) for p in pending] == [
        ("R/1", "AMBER", "GREEN", None),
        ("R/3", "AMBER", "EXTENSION", "2021-12-31"),
    ]
    assert summary["headline"].endswith(
        "There is 1 recommendation awaiting sign-off. "
        "There is 1 extension request for the committee to grant."
    )
    earlier = json.loads(as_(ledger, GOV, "summary", "PRMSC", "2021-02-01", "--format", "json"))
    assert earlier["exceptions"]["pending_sign_off"] == []
    table = as_(ledger, GOV, "summary", "PRMSC", "2021-05-01")
    assert "Awaiting sign-off" in table and "Extension requests for the committee to grant" in table

    appendix = json.loads(as_(ledger, GOV, "appendix", "PRMSC", "2021-05-01", "--format", "json"))
    items = {i["key"]: i for r in appendix["reports"] for i in r["items"]}
    assert items["R/1"]["pending"]["request"] == "GREEN"
    assert "AMBER (GREEN pending sign-off)" in as_(ledger, GOV, "appendix", "PRMSC", "2021-05-01")

    html = tmp_path / "paper.html"
    as_(ledger, GOV, "pack", "PRMSC", "2021-05-01", "--out", str(html))
    text = html.read_text()
    assert "Awaiting sign-off" in text and "Policy published" in text
    assert "Extension requests for the committee to grant" in text and "Supplier late" in text

    # Signed off before the next meeting: the next paper counts it NEW GREEN, nothing pending.
    as_(ledger, GOV, "sign-off", "R/1", "--on", "2021-06-01")
    later = json.loads(as_(ledger, GOV, "summary", "PRMSC", "2021-09-01", "--format", "json"))
    assert later["totals"]["current"]["all"]["NEW GREEN"] == 1
    assert [p["key"] for p in later["exceptions"]["pending_sign_off"]] == ["R/3"]
    # ... and the May paper as it was known then still shows it pending.
    assert [
        p["key"]
        for p in json.loads(as_(ledger, GOV, "summary", "PRMSC", "2021-05-01", "--format", "json"))[
            "exceptions"
        ]["pending_sign_off"]
    ] == ["R/1", "R/3"]


def test_under_access_control_owners_claim_and_only_governance_decides(controlled: str) -> None:
    ledger = controlled

    assert "GREEN needs sign-off" in refused(ledger, OWNER, "status", "R/1", "GREEN")
    assert "needs its owner or governance" in refused(
        ledger, OTHER, "complete", "R/1", "--evidence", "Not mine"
    )
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Done", "--on", "2021-03-01")
    assert "signing off needs governance" in refused(ledger, OTHER, "sign-off", "R/1")
    assert "is auditor here" in refused(ledger, AUDIT, "reject", "R/1", "--reason", "No")
    as_(ledger, GOV, "sign-off", "R/1")
    assert board(ledger)["R/1"]["status"] == "GREEN"
    # Governance sets GREEN itself when it has checked, and its extensions and closures
    # are the committee's grant: they take effect at once, where an owner's wait.
    as_(ledger, GOV, "status", "R/2", "GREEN")
    as_(ledger, GOV, "committee", "sign-off", "PRMSC", "--for", "closures", "--for", "extensions")
    as_(ledger, GOV, "extend", "R/3", "--to", "2021-12-31", "--reason", "Agreed")
    as_(ledger, OTHER, "close", "R/3", "--reason", "Superseded")
    now = board(ledger)
    assert (now["R/3"]["due"], now["R/3"]["status"]) == ("2021-12-31", "AMBER")
    assert now["R/3"]["pending"]["request"] == "CLOSED"
    assert "committee's rules needs governance" in refused(
        ledger, OWNER, "committee", "sign-off", "PRMSC"
    )


def test_an_owners_update_sheet_marked_green_asks_for_sign_off(
    controlled: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    ledger = controlled
    sheet = tmp_path / "roads.xlsx"
    as_(ledger, GOV, "requests", "--owner", OWNER, "--out", str(sheet))
    book = load_workbook(sheet)
    rows = book.worksheets[0]
    header = [cell.value for cell in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[header.index("key")].value == "R/1":
            row[header.index("new status")].value = "GREEN"
            row[header.index("progress note")].value = "Policy published"
    book.save(sheet)
    as_(ledger, OWNER, "apply", str(sheet))
    item = board(ledger)["R/1"]
    assert (item["status"], item["pending"]["request"]) == ("AMBER", "GREEN")
    assert item["pending"]["evidence"] == "Policy published"


@pytest.mark.parametrize("version", ["1" * 5000, "\u00b2", "\u0661", "0"])
def test_an_event_id_names_its_version_in_plain_digits_or_is_refused(
    ledger: str, version: str
) -> None:
    """A version is written in ASCII digits, as ids are printed: a superscript, another
    script's digits or a number thousands of digits long is a refusal, not a crash."""
    as_(ledger, OWNER, "complete", "R/1", "--evidence", "Done", "--on", "2021-03-01")
    for command in (("sign-off", f"R/1@{version}"), ("correct", f"R/1@{version}", "--reason", "x")):
        assert "is not an event id" in refused(ledger, GOV, *command)


def test_a_due_date_within_a_number_too_long_to_mean_anything_is_refused(ledger: str) -> None:
    error = refused(
        ledger,
        GOV,
        "rec",
        "add",
        "R",
        "9",
        "--kind",
        "afi",
        "--text",
        "Item 9",
        "--due",
        f"within {'9' * 5000} months",
        "--on",
        ISSUED,
    )
    assert "falls past the year" in error
