"""Whatever the input layer accepts, every later command can carry: for any report and
item written with values anywhere inside ragw's bounds (the largest number of
recommendations, the first and last years, the longest texts and codes, any printable
character), reviewed by a meeting, the board, history, log, papers and exports read it, a
backup of it restores to the same board and reviews, and the chain verifies — on SQLite and on PostgreSQL. One number
or date that the store's columns cannot hold would stop every read for good."""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from ledger import open_ledger
from ledger.addressees import MAX_ADDRESSEE, clean_addressees
from ledger.due import FIRST_YEAR, LAST_YEAR
from ledger.errors import LedgerError
from ledger.inputs import MAX_MAKES, MAX_TEXT

TODAY = date.today()
_numbers = itertools.count(1)

#: Any character a paper or sheet can hold (no control characters but line breaks and
#: tabs, no lone surrogates), with the odd one from the edges of Unicode.
printable = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from(["\n", "\t", "\u202e", "\U0010fffd", "𝔘", "é", "'", '"', "<", "&", "="])
texts = st.text(printable, min_size=1, max_size=60).filter(str.strip) | st.builds(
    lambda c, n: (c * n)[:MAX_TEXT], st.sampled_from(["x", "é", "🚓"]), st.just(MAX_TEXT)
)
code_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
codes = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    st.text(code_chars, max_size=39),
)
refs = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("0123456789abc"),
    st.text(code_chars, max_size=19),
)
#: Values at ragw's bounds come up often, not by luck: they are where a column overflows.
days = st.sampled_from([date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)]) | st.dates(
    date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
)
past_days = st.sampled_from([date(FIRST_YEAR, 1, 1), TODAY]) | st.dates(
    date(FIRST_YEAR, 1, 1), TODAY
)


def accepted_addressee(text: str) -> bool:
    """Whether ``rec add --to`` takes ``text``: a name is one line, without what reorders
    how it shows; what it refuses, it refuses with one error line (tested elsewhere)."""
    try:
        clean_addressees([text])
    except LedgerError:
        return False
    return True


#: Who an item is addressed to: a body's name, any printable character a name may hold,
#: up to the limit.
addressees = st.text(printable, min_size=1, max_size=MAX_ADDRESSEE).filter(
    accepted_addressee
) | st.sampled_from(["x" * MAX_ADDRESSEE, "all Chief Constables", "NPCC lead"])
makes_numbers = st.sampled_from([0, MAX_MAKES]) | st.integers(0, MAX_MAKES)
#: Organisation codes as `ragw org add` takes them, any case, at their bounds too.
org_codes = st.from_regex(r"[A-Za-z][A-Za-z0-9]{1,15}", fullmatch=True) | st.sampled_from(
    ["WM", "Z" * 16]
)
dues = st.one_of(
    days.map(date.isoformat),
    days.map(lambda d: d.strftime("%B %Y")),
    st.integers(0, 120).map(lambda n: f"within {n} months"),
    st.sampled_from(["immediately", "to be set", "ongoing"]),
)


def run(target: str, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--db", target, "--actor", "Governance", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def ok(target: str, *args: str) -> str:
    result = run(target, *args)
    assert result.exit_code == 0, (args[:3], result.output[-600:])
    return str(result.stdout)


def fresh(store: str, folder: Path, request: pytest.FixtureRequest) -> str:
    if store == "sqlite":
        return str(folder / f"ledger-{next(_numbers)}.db")
    server = request.getfixturevalue("postgres")
    return str(server.create_database(f"ragw_any_{os.getpid()}_{next(_numbers)}"))


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    code=codes,
    ref=refs,
    title=texts,
    text=texts,
    owner=texts,
    note=texts,
    makes=makes_numbers,
    published=past_days,
    due=dues,
    extension=days,
    status=st.sampled_from(["GREEN", "AMBER", "RED", "WHITE"]),
    addressee=addressees,
    org=org_codes,
    kind=st.sampled_from(["force", "PCC", "Inspectorate", "fire", "other"]),
)
def test_any_event_the_input_layer_accepts_is_read_exported_and_restored(
    store: str,
    request: pytest.FixtureRequest,
    code: str,
    ref: str,
    title: str,
    text: str,
    owner: str,
    note: str,
    makes: int,
    published: date,
    due: str,
    extension: date,
    status: str,
    addressee: str,
    org: str,
    kind: str,
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        target = fresh(store, folder, request)
        day = published.isoformat()
        # the register of a shared store holds any organisation its command takes
        # (`ragw org add` records the same event in the register; tests/cli/test_orgs.py)
        register = open_ledger(target, create=True)
        try:
            register.add_organisation(org, name=title, kind=kind, actor="Governance")
        except LedgerError as refused:  # a name is one line: a title may not be one
            assert "name" in str(refused), refused
        finally:
            register.close()
        inspection = "INSPECTION" if code != "INSPECTION" else "INSPECTION2"
        ok(
            target,
            "inspection",
            "add",
            inspection,
            "--title",
            title,
            "--inspectorate",
            owner,
            "--fieldwork",
            f"{day}..{day}",
            "--debrief",
            day,
            "--expected",
            day[:7],
            "--on",
            day,
        )
        moved_on = run(
            target,
            "inspection",
            "update",
            inspection,
            "--expected",
            extension.isoformat()[:7],
            "--reason",
            note,
            "--on",
            day,
        )
        assert moved_on.exit_code == 0 or moved_on.stderr.startswith("Error: "), moved_on.output
        ok(
            target,
            "report",
            "add",
            code,
            "--title",
            title,
            "--scope",
            "force",
            "--published",
            day,
            "--makes",
            str(makes),
            "--restricted",
            "--from-inspection",
            inspection,
            "--on",
            day,
        )
        recorded = run(
            target,
            "rec",
            "add",
            code,
            ref,
            "--kind",
            "afi",
            "--text",
            text,
            "--owner",
            owner,
            "--due",
            due,
            "--status",
            status,
            "--on",
            day,
        )
        assert recorded.exit_code == 0 or recorded.stderr.startswith("Error: "), recorded.output
        key = f"{code}/{ref}"
        if recorded.exit_code == 0:
            ok(target, "note", "--on", day, "--", key, note)  # a note may begin with "-"
            moved = run(
                target, "extend", key, "--to", extension.isoformat(), "--reason", note, "--on", day
            )
            assert moved.exit_code in (0, 1), moved.output
            ok(target, "relevance", key, "not-for-us", f"--reason={note}", "--on", day)
            other = "zz" if ref != "zz" else "zy"
            ok(target, "rec", "add", code, other, "--kind", "afi", f"--text={text}", "--on", day)
            for_whom = [f"--to={addressee}", "--to=the Home Office", "--on", day]
            ok(target, "rec", "add", code, f"{other}1", "--kind=afi", "--text=t", *for_whom)
            # the later item is one still for the force: key is not, from day
            later = f"{code}/{other}1"
            ok(
                target,
                "supersede",
                f"{code}/{other}",
                "--by",
                later,
                f"--reason={note}",
                "--on",
                day,
            )
        # a committee's name is a name: one line, without "=?"
        name = " ".join(title.split()).replace("=?", "= ?")
        ok(target, "committee", "add", "COMMITTEE", "--name", name, "--on", day)
        ok(
            target,
            "meeting",
            "add",
            "COMMITTEE",
            day,
            "--paper",
            title[:100].strip() or "P 1/21",
            "--review",
            code,
            "--on",
            day,
        )

        board = json.loads(ok(target, "board", "--format", "json"))
        then = json.loads(ok(target, "board", "--as-at", day, "--format", "json"))
        if recorded.exit_code == 0:
            others = [f"{code}/{other}", f"{code}/{other}1"]
            assert sorted(row["key"] for row in board["items"]) == sorted([key, *others])
            assert sorted(row["key"] for row in then["items"]) == sorted([key, *others])
            ok(target, "history", key, "--format", "json")
        ok(target, "log", "--format", "json")
        summary = json.loads(ok(target, "summary", "COMMITTEE", day, "--format", "json"))
        (reviewed,) = summary["reviewed"]
        (report,) = summary["reports"]
        assert (reviewed["code"], reviewed["title"]) == (code, report["title"])
        # every item of the report but the one not for the force, listed apart instead
        listed = [i["key"] for i in reviewed["items"]]
        assert sorted(listed) == (sorted(others) if recorded.exit_code == 0 else [])
        assert [i["key"] for i in summary["not_for_the_force"]] == (
            [key] if recorded.exit_code == 0 else []
        )
        ok(target, "summary", "COMMITTEE", day, "--format", "md")
        ok(target, "appendix", "COMMITTEE", day, "--format", "json")
        for paper in ("paper.html", "paper.docx"):
            ok(target, "pack", "COMMITTEE", day, "--out", str(folder / paper))
            ok(
                target,
                "pack",
                "COMMITTEE",
                day,
                "--out",
                str(folder / f"full-{paper}"),
                "--include-restricted",
            )
        inspections = json.loads(
            ok(target, "inspection", "list", "--as-at", day, "--format", "json")
        )
        assert [i["report"] for i in inspections["inspections"]] == [code]
        for sheet in ("board.csv", "board.xlsx"):
            ok(target, "export", "--out", str(folder / sheet))
        ok(target, "meeting", "review", "COMMITTEE", day, "--none", "--on", day)
        ok(target, "meeting", "review", "COMMITTEE", day, code, "--on", day)
        meetings = json.loads(ok(target, "meeting", "list", "--format", "json"))
        organisations = json.loads(ok(target, "org", "list", "--format", "json"))
        ok(target, "export", "--out", str(folder / "backup.jsonl"))
        ok(target, "verify")

        copy = fresh(store, folder, request)
        ok(copy, "restore", str(folder / "backup.jsonl"))
        assert json.loads(ok(copy, "board", "--format", "json")) == board
        assert json.loads(ok(copy, "board", "--as-at", day, "--format", "json")) == then
        again = ok(copy, "inspection", "list", "--as-at", day, "--format", "json")
        assert json.loads(again) == inspections
        assert json.loads(ok(copy, "meeting", "list", "--format", "json")) == meetings
        assert json.loads(ok(copy, "org", "list", "--format", "json")) == organisations
        restored = json.loads(ok(copy, "summary", "COMMITTEE", day, "--format", "json"))
        assert restored["reviewed"] == summary["reviewed"]
        ok(copy, "verify")


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    orgs=st.lists(org_codes, min_size=2, max_size=2, unique_by=str.upper),
    code=codes,
    ref=refs,
    title=texts,
    text=texts,
    reason=texts,
    published=past_days,
    due=dues,
    verdict=st.sampled_from(["accepted", "Not Accepted", "not-accepted", "SUPERSEDED"]),
    restricted=st.booleans(),
)
def test_any_national_report_and_verdict_accepted_is_issued_read_exported_and_restored(
    store: str,
    request: pytest.FixtureRequest,
    orgs: list[str],
    code: str,
    ref: str,
    title: str,
    text: str,
    reason: str,
    published: date,
    due: str,
    verdict: str,
    restricted: bool,
) -> None:
    inspectorate, force = orgs
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        target = fresh(store, folder, request)
        day = published.isoformat()
        ok(target, "org", "add", inspectorate, "--name", "Inspectorate", "--kind", "inspectorate")
        ok(target, "org", "add", force, "--name", "Force", "--kind", "force")
        hm, fo = ["--org", inspectorate], ["--org", force]
        shut = ["--restricted"] if restricted else []
        national = ["--scope", "national", "--published", day, *shut, "--on", day]
        ok(target, *hm, "report", "add", code, "--title", title, *national)
        item = ["--kind", "recommendation", f"--text={text}", "--due", due]
        to = ["--to", "chief constables", "--on", day]
        recorded = run(target, *hm, "rec", "add", code, ref, *item, *to)
        assert recorded.exit_code == 0 or recorded.stderr.startswith("Error: "), recorded.output
        ok(target, *hm, "national", "issue", "--on", day)
        key = f"{code}/{ref}"
        board = json.loads(ok(target, *fo, "board", "--format", "json"))
        if recorded.exit_code == 0:
            assert [i["key"] for i in board["items"]] == [key]
            ok(target, *hm, "verdict", force, key, verdict, f"--reason={reason}", "--on", day)
            ok(target, *fo, "history", key, "--format", "json")
        listed = json.loads(ok(target, *hm, "verdicts", force, "--format", "json"))
        ok(target, *hm, "log", "--format", "json")
        ok(target, *fo, "log", "--format", "json")
        copy = fresh(store, folder, request)
        for org in (inspectorate, force):
            backup = str(folder / f"{org}.jsonl")
            ok(target, "--org", org, "export", "--out", backup)
            ok(copy, "--org", org, "restore", backup)
            ok(copy, "--org", org, "verify", "--rules")
        assert json.loads(ok(copy, *fo, "board", "--format", "json")) == board
        assert json.loads(ok(copy, *hm, "verdicts", force, "--format", "json")) == listed
