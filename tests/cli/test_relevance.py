"""Who an item is for: addressees kept as written, items not addressed to the force kept
on the ledger and the board but out of a paper's counts (listed apart), and an item
superseded by a later one: closed, never done, both histories saying so. On SQLite and
PostgreSQL alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_restore_checks import appended, written
from tests.cli.test_restore_checks import refused as refused_restore

GOV, OWNER = "Strategic Development", "Head of Roads"


def as_(target: str, actor: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", actor, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def log(target: str) -> list[dict[str, Any]]:
    return list(json.loads(as_(target, GOV, "log", "--format", "json"))["events"])


def refused(target: str, *args: str, actor: str = GOV) -> str:
    before = len(log(target))
    error = as_(target, actor, *args, code=1)
    assert error.startswith("Error: ") and error.count("\n") == 1, error
    assert len(log(target)) == before, "a refused command wrote"
    return error


def board(target: str, *args: str) -> dict[str, dict[str, Any]]:
    document = json.loads(as_(target, GOV, "board", "--format", "json", *args))
    return {item["key"]: item for item in document["items"]}


def summary(target: str, day: str, *args: str) -> dict[str, Any]:
    return dict(json.loads(as_(target, GOV, "summary", "C", day, "--format", "json", *args)))


def current(document: dict[str, Any]) -> dict[str, int]:
    return dict(document["totals"]["current"]["all"])


def history(target: str, key: str) -> list[dict[str, Any]]:
    document = json.loads(as_(target, GOV, "history", key, "--format", "json"))
    return list(document["events"])


def tracker(target: str) -> str:
    for code, published in (("OLD", "2020-06-01"), ("NEW", "2021-01-04")):
        as_(
            target,
            GOV,
            "report",
            "add",
            code,
            "--title",
            f"Report {code}",
            "--scope",
            "force",
            "--published",
            published,
            "--on",
            published,
        )
    for key, on in (("OLD/1", "2020-06-01"), ("OLD/2", "2020-06-01"), ("OLD/3", "2020-06-01")):
        code, ref = key.split("/")
        as_(
            target,
            GOV,
            "rec",
            "add",
            code,
            ref,
            "--kind",
            "recommendation",
            "--text",
            f"Item {key}",
            "--owner",
            OWNER,
            "--status",
            "AMBER",
            "--on",
            on,
        )
    as_(
        target,
        GOV,
        "rec",
        "add",
        "NEW",
        "1",
        "--kind",
        "afi",
        "--text",
        "The later item",
        "--status",
        "AMBER",
        "--on",
        "2021-01-04",
    )
    as_(target, GOV, "committee", "add", "C", "--name", "Committee", "--on", "2021-01-04")
    for day in ("2021-02-01", "2021-05-01", "2021-09-01"):
        as_(target, GOV, "meeting", "add", "C", day, "--on", "2021-01-04")
    return target


@pytest.fixture
def items(target: str) -> str:
    return tracker(target)


# Addressees ------------------------------------------------------------------------


def test_an_items_addressees_are_kept_as_written_on_the_board_and_in_its_history(
    target: str,
) -> None:
    tracker(target)
    out = as_(
        target,
        GOV,
        "rec",
        "add",
        "OLD",
        "9",
        "--kind",
        "recommendation",
        "--text",
        "Records reviewed",
        "--to",
        "all Chief Constables",
        "--to",
        "The Home Office",
        "--on",
        "2020-06-01",
    )
    assert out == "recorded OLD/9@1\n"
    item = board(target)["OLD/9"]
    assert item["to"] == ["all Chief Constables", "The Home Office"]
    assert item["not_for_the_force"] is None  # an addressee alone says nothing of that
    assert board(target)["OLD/1"]["to"] == []
    assert history(target, "OLD/9")[0]["to"] == ["all Chief Constables", "The Home Office"]
    shown = as_(target, GOV, "history", "OLD/9", "--format", "csv")
    assert "to all Chief Constables, The Home Office" in shown


def test_an_addressee_named_twice_in_two_ways_is_kept_once(items: str) -> None:
    as_(
        items,
        GOV,
        *("rec", "add", "OLD", "9", "--kind", "afi", "--text", "t", "--on", "2020-06-01"),
        *("--to", "Home Office", "--to", "the home office"),
    )
    assert board(items)["OLD/9"]["to"] == ["Home Office"]


def test_an_empty_addressee_is_refused(items: str) -> None:
    error = refused(
        items,
        *("rec", "add", "OLD", "9", "--kind", "afi", "--text", "t", "--to", "  "),
    )
    assert "addressee is empty" in error


@pytest.mark.parametrize("name", ["Home\u202eOffice", "Home\nOffice"])
def test_an_addressee_that_reorders_or_breaks_its_line_is_refused(items: str, name: str) -> None:
    error = refused(
        items, *("rec", "add", "OLD", "9", "--kind", "afi", "--text", "t", "--to", name)
    )
    assert "an addressee holds" in error


# Relevance --------------------------------------------------------------------------


def test_an_item_not_for_the_force_stays_on_the_board_but_out_of_the_papers_counts(
    items: str,
) -> None:
    before = summary(items, "2021-05-01")
    as_(
        items,
        GOV,
        *("relevance", "OLD/2", "not-for-us", "--on", "2021-03-01"),
        *("--reason", "For the College of Policing"),
    )
    shown = board(items)["OLD/2"]
    assert shown["status"] == "AMBER"
    assert shown["not_for_the_force"] == {
        "reason": "For the College of Policing",
        "on": "2021-03-01",
    }
    after = summary(items, "2021-05-01")
    assert current(before)["AMBER"] - current(after)["AMBER"] == 1
    assert current(after)["OUTSTANDING"] == current(before)["OUTSTANDING"] - 1
    assert [item["key"] for item in after["not_for_the_force"]] == ["OLD/2"]
    listed = after["not_for_the_force"][0]
    assert (listed["text"], listed["reason"], listed["since"]) == (
        "Item OLD/2",
        "For the College of Policing",
        "2021-03-01",
    )
    # As at a meeting before it took effect, the paper counts it as before.
    assert summary(items, "2021-02-01")["not_for_the_force"] == []
    assert current(summary(items, "2021-02-01"))["AMBER"] == 4
    # So does the paper as known before it was recorded.
    moment = log(items)[-2]["recorded_at"]
    known = summary(items, "2021-05-01", "--as-known-at", moment)
    assert current(known) == current(before) and known["not_for_the_force"] == []


def test_an_item_for_the_force_again_is_counted_again_from_then(items: str) -> None:
    as_(items, GOV, "relevance", "OLD/2", "not-for-us", "--on", "2021-03-01", "--reason", "HO")
    as_(items, GOV, "relevance", "OLD/2", "for-us", "--on", "2021-06-01", "--reason", "Ours now")
    assert current(summary(items, "2021-05-01"))["AMBER"] == 3
    assert current(summary(items, "2021-09-01"))["AMBER"] == 4
    assert summary(items, "2021-09-01")["not_for_the_force"] == []
    assert board(items)["OLD/2"]["not_for_the_force"] is None


def test_a_change_of_relevance_is_refused_without_a_reason_or_when_it_changes_nothing(
    items: str,
) -> None:
    assert "needs a reason" in refused(items, "relevance", "OLD/2", "not-for-us")
    assert "neither not-for-us nor for-us" in refused(
        items, "relevance", "OLD/2", "irrelevant", "--reason", "r"
    )
    assert "for the force already" in refused(
        items, "relevance", "OLD/2", "for-us", "--reason", "r"
    )
    assert "no recommendation OLD/7" in refused(
        items, "relevance", "OLD/7", "not-for-us", "--reason", "r"
    )
    as_(items, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO")
    assert "not for the force already" in refused(
        items, "relevance", "OLD/2", "not-for-us", "--reason", "HO"
    )


# Supersession -------------------------------------------------------------------------


def supersede(target: str, on: str = "2021-03-01", versions: str = "2") -> None:
    out = as_(
        target,
        GOV,
        *("supersede", "OLD/1", "--by", "NEW/1", "--on", on),
        *("--reason", "Carried into the later report"),
    )
    assert out == f"recorded OLD/1@{versions}\nrecorded NEW/1@{versions}\n"


def test_a_superseded_item_is_closed_and_both_items_say_so(items: str) -> None:
    supersede(items)
    now = board(items)
    assert (now["OLD/1"]["status"], now["OLD/1"]["superseded_by"]) == ("CLOSED", "NEW/1")
    assert (now["NEW/1"]["status"], now["NEW/1"]["supersedes"]) == ("AMBER", ["OLD/1"])
    assert board(items, "--as-at", "2021-02-28")["OLD/1"]["status"] == "AMBER"
    closed, supersedes = history(items, "OLD/1")[-1], history(items, "NEW/1")[-1]
    assert (closed["type"], closed["by"]) == ("Superseded", "NEW/1")
    assert (supersedes["type"], supersedes["superseded"]) == ("Supersedes", "OLD/1")
    assert "closed, superseded by NEW/1" in as_(items, GOV, "history", "OLD/1", "--format", "csv")
    assert "supersedes OLD/1 (closed)" in as_(items, GOV, "history", "NEW/1", "--format", "csv")


def test_the_paper_counts_a_superseded_item_as_closed_never_as_done(items: str) -> None:
    supersede(items)
    counts = current(summary(items, "2021-05-01"))
    assert (counts["CLOSED"], counts["NEW GREEN"], counts["AMBER"]) == (1, 0, 3)
    appendix = json.loads(as_(items, GOV, "appendix", "C", "2021-05-01", "--format", "json"))
    shown = {i["key"]: i for r in appendix["reports"] for i in r["items"]}
    assert (shown["OLD/1"]["status"], shown["OLD/1"]["superseded_by"]) == ("CLOSED", "NEW/1")
    assert "superseded_by" not in shown["OLD/2"]
    table = as_(items, GOV, "appendix", "C", "2021-05-01")
    assert "CLOSED (superseded by NEW/1)" in table


def test_a_correction_of_either_half_retracts_the_whole_supersession(items: str) -> None:
    supersede(items)
    out = as_(items, GOV, "correct", "NEW/1@2", "--reason", "Not the same finding")
    assert out == "recorded NEW/1@3\nrecorded OLD/1@3\n"
    now = board(items)
    assert (now["OLD/1"]["status"], now["OLD/1"]["superseded_by"]) == ("AMBER", None)
    assert now["NEW/1"]["supersedes"] == []
    assert "already corrected" in refused(items, "correct", "OLD/1@2", "--reason", "again")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("OLD/9", "--by", "NEW/1"), "no recommendation OLD/9"),
        (("OLD/1", "--by", "NEW/9"), "no recommendation NEW/9"),
        (("OLD/1", "--by", "OLD/1"), "cannot supersede itself"),
        (("OLD/1", "--by", "NEW/1", "--on", "2020-12-01"), "before NEW/1 was added"),
        (("NEW/1", "--by", "OLD/1"), "NEW/1 (2021-01-04); an item is superseded only by a later"),
    ],
)
def test_a_supersession_of_unknown_or_the_same_items_or_before_the_later_one_is_refused(
    items: str, args: tuple[str, ...], said: str
) -> None:
    assert said in refused(items, "supersede", *args, "--reason", "r")


def test_a_supersession_without_a_reason_is_refused(items: str) -> None:
    assert "superseding needs a reason" in refused(items, "supersede", "OLD/1", "--by", "NEW/1")


def test_an_item_closed_already_is_not_superseded_nor_supersedes(items: str) -> None:
    as_(items, GOV, "close", "OLD/3", "--reason", "Withdrawn", "--on", "2021-02-10")
    assert "OLD/3 is closed already" in refused(
        items, "supersede", "OLD/3", "--by", "NEW/1", "--reason", "r"
    )
    assert "OLD/3 is closed (on 2021-02-10)" in refused(
        items, "supersede", "OLD/2", "--by", "OLD/3", "--reason", "r"
    )
    supersede(items)
    assert "OLD/1 is superseded by NEW/1 already" in refused(
        items, "supersede", "OLD/1", "--by", "OLD/2", "--reason", "r"
    )
    assert "OLD/1 is superseded by NEW/1 (on" in refused(
        items, "supersede", "OLD/2", "--by", "OLD/1", "--reason", "r"
    )


def test_an_item_is_superseded_only_by_one_still_for_the_force(items: str) -> None:
    as_(items, GOV, "relevance", "NEW/1", "not-for-us", "--reason", "HO", "--on", "2021-02-01")
    error = refused(items, "supersede", "OLD/1", "--by", "NEW/1", "--reason", "r")
    assert "NEW/1 is not for the force as at" in error


def test_a_supersession_in_a_circle_is_refused(items: str) -> None:
    supersede(items)
    error = refused(items, "supersede", "NEW/1", "--by", "OLD/1", "--reason", "r")
    assert "would make a circle" in error


def test_where_closures_need_sign_off_only_governance_supersedes(tmp_path: Path) -> None:
    target = tracker(str(tmp_path / "ragw.db"))
    as_(target, GOV, "committee", "sign-off", "C", "--for", "closures")
    as_(target, GOV, "role", "grant", GOV, "governance")
    as_(target, GOV, "role", "grant", OWNER, "owner", "--acts-for", OWNER)
    error = refused(target, "supersede", "OLD/1", "--by", "NEW/1", "--reason", "r", actor=OWNER)
    assert "C require sign-off for closures" in error
    supersede(target)
    assert board(target)["OLD/1"]["superseded_by"] == "NEW/1"


def test_a_backup_with_supersessions_and_relevance_restores_and_verifies(
    items: str, tmp_path: Path
) -> None:
    as_(items, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO", "--on", "2021-03-01")
    supersede(items)
    as_(items, GOV, "correct", "OLD/1@2", "--reason", "Wrong")
    supersede(items, on="2021-04-01", versions="4")
    out = str(tmp_path / "backup.jsonl")
    as_(items, GOV, "export", "--out", out)
    copy = str(tmp_path / "copy.db")
    as_(copy, GOV, "restore", out)
    assert board(copy) == board(items)
    assert summary(copy, "2021-05-01") == summary(items, "2021-05-01")
    assert "ok: read model" in as_(copy, GOV, "verify")


def test_an_item_not_for_the_force_is_no_exception_of_the_paper(items: str) -> None:
    as_(
        items,
        GOV,
        *("rec", "add", "OLD", "8", "--kind", "afi", "--text", "Late", "--status", "AMBER"),
        *("--due", "2021-01-31", "--on", "2020-06-01"),
    )
    overdue = summary(items, "2021-05-01")["exceptions"]["overdue"]
    assert [row["key"] for row in overdue] == ["OLD/8"]
    as_(items, GOV, "relevance", "OLD/8", "not-for-us", "--reason", "HO", "--on", "2021-04-01")
    after = summary(items, "2021-05-01")
    assert after["exceptions"]["overdue"] == [] and after["exceptions"]["slippage"] == []
    assert [row["key"] for row in after["not_for_the_force"]] == ["OLD/8"]


def test_a_paper_as_issued_stays_as_issued_when_an_item_is_later_said_not_for_the_force(
    items: str, tmp_path: Path
) -> None:
    issued, again, now = (str(tmp_path / name) for name in ("i.html", "a.html", "n.html"))
    as_(items, GOV, "pack", "C", "2021-05-01", "--out", issued, "--issue")
    as_(items, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO", "--on", "2021-03-01")
    as_(items, GOV, "pack", "C", "2021-05-01", "--out", again, "--as-issued")
    as_(items, GOV, "pack", "C", "2021-05-01", "--out", now)
    assert Path(again).read_bytes() == Path(issued).read_bytes()
    assert "Not addressed to the force" not in Path(issued).read_text()
    shown = Path(now).read_text()
    assert "Not addressed to the force" in shown and 'data-key="OLD/2"' in shown


def test_where_closures_need_sign_off_only_governance_says_an_item_is_not_for_the_force(
    tmp_path: Path,
) -> None:
    target = tracker(str(tmp_path / "ragw.db"))
    as_(target, GOV, "committee", "sign-off", "C", "--for", "closures")
    as_(target, GOV, "role", "grant", GOV, "governance")
    as_(target, GOV, "role", "grant", OWNER, "owner", "--acts-for", OWNER)
    error = refused(target, "relevance", "OLD/2", "not-for-us", "--reason", "x", actor=OWNER)
    assert "C require sign-off for closures" in error
    as_(target, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO", "--on", "2021-03-01")
    # Taking an item back into the counts waits for nobody.
    as_(target, OWNER, "relevance", "OLD/2", "for-us", "--reason", "Ours", "--on", "2021-03-02")
    assert board(target)["OLD/2"]["not_for_the_force"] is None


def test_a_backup_whose_owner_said_an_item_not_for_the_force_under_sign_off_is_refused(
    tmp_path: Path,
) -> None:
    target = tracker(str(tmp_path / "ragw.db"))
    as_(target, GOV, "committee", "sign-off", "C", "--for", "closures")
    as_(target, GOV, "role", "grant", GOV, "governance")
    as_(target, GOV, "role", "grant", OWNER, "owner", "--acts-for", OWNER)
    out = tmp_path / "backup.jsonl"
    as_(target, GOV, "export", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    forged = appended(lines, "RelevanceChanged", "OLD/2", {"for_us": False, "reason": "x"})
    forged[-1]["actor"] = OWNER
    error = refused_restore(str(tmp_path / "copy.db"), written(tmp_path, forged))
    assert f"{OWNER}'s closures needed sign-off then" in error


def test_the_paper_says_how_many_items_it_counted_before_left_the_counts_as_not_for_the_force(
    items: str,
) -> None:
    as_(items, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO", "--on", "2021-03-01")
    # added after the previous meeting: that paper never counted it
    as_(
        items,
        GOV,
        *("rec", "add", "NEW", "2", "--kind", "afi", "--text", "t", "--on", "2021-03-01"),
    )
    as_(items, GOV, "relevance", "NEW/2", "not-for-us", "--reason", "CoP", "--on", "2021-04-01")
    paper = summary(items, "2021-05-01")
    assert (
        "1 recommendation was found not to be addressed to the force since the previous "
        "report on 1 February 2021 and is no longer counted." in paper["headline"]
    )
    marked = {item["key"]: item["since_last_meeting"] for item in paper["not_for_the_force"]}
    assert marked == {"OLD/2": True, "NEW/2": False}
    table = as_(items, GOV, "summary", "C", "2021-05-01", "--format", "md")
    assert "2021-03-01 (since the last meeting)" in table
    # the next paper does not announce it again
    later = summary(items, "2021-09-01")
    assert "no longer counted" not in later["headline"]
    assert not any(item["since_last_meeting"] for item in later["not_for_the_force"])


def test_the_board_says_beside_an_item_that_it_is_not_for_the_force_or_superseded(
    items: str,
) -> None:
    plain = as_(items, GOV, "board", "--format", "csv")
    assert "not for the force" not in plain.splitlines()[0]
    as_(items, GOV, "relevance", "OLD/2", "not-for-us", "--reason", "HO", "--on", "2021-03-01")
    supersede(items)
    rows = {
        line.split(",")[0]: line
        for line in as_(items, GOV, "board", "--format", "csv").splitlines()
    }
    assert rows["key"].endswith(",not for the force,superseded by")
    assert rows["OLD/2"].endswith(",HO (since 2021-03-01),")
    assert rows["OLD/1"].endswith(",,NEW/1")
