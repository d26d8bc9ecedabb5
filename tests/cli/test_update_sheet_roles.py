"""Who an update sheet is recorded by: whoever applies it (on PostgreSQL under access
control, their database login), for the owner the sheet names; every row's item must
be one they may change, whatever the sheet says of its owner. On both stores."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_verify import history

ROADS, CRIME = "Head of Roads", "DCI Crime"
_logins = itertools.count(1)


@dataclass(frozen=True)
class Roles:
    """A ledger under access control: governance, alice (acting for Head of Roads) and
    bob (for DCI Crime), each run as themselves; ``names`` are who the events name."""

    run: Callable[..., str]
    names: dict[str, str]

    def events(self) -> list[dict[str, Any]]:
        return list(json.loads(self.run("gov", "log", "--format", "json"))["events"])

    def refused(self, who: str, *args: str) -> str:
        before = self.events()
        error = self.run(who, *args, code=1)
        assert error.startswith("Error: ") and error.count("\n") == 1, error
        assert self.events() == before, "a refused sheet wrote"
        return error

    def last(self, key: str) -> dict[str, Any]:
        return dict(json.loads(self.run("gov", "history", key, "--format", "json"))["events"][-1])


def invoke(url: str, options: list[str], args: tuple[str, ...], code: int) -> str:
    result = CliRunner().invoke(main, ["--db", url, *options, *args])
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout if code == 0 else result.stderr


def set_up(run: Callable[..., str]) -> None:
    """Two items: R/1 (AMBER) owned by Head of Roads, R/2 by DCI Crime."""
    history(lambda *args, code=0: run(*args, code=code))
    run("assign", "R/1", ROADS)
    run("assign", "R/2", CRIME)
    run("status", "R/1", "AMBER")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def roles(request: pytest.FixtureRequest, tmp_path: Path) -> Roles:
    if request.param == "sqlite":
        db = str(tmp_path / "ragw.db")
        names = {"gov": "Strategic Development", "alice": "Alice Smith", "bob": "Bob Jones"}

        def as_named(who: str, *args: str, code: int = 0) -> str:
            return invoke(db, ["--actor", names[who]], args, code)

        set_up(lambda *args, code=0: as_named("gov", *args, code=code))
        as_named("gov", "role", "grant", names["gov"], "governance")
        as_named("gov", "role", "grant", names["alice"], "owner", "--acts-for", ROADS)
        as_named("gov", "role", "grant", names["bob"], "owner", "--acts-for", CRIME)
        return Roles(as_named, names)
    # PostgreSQL: the actor is the login, whatever a flag says (test_postgres_roles.py).
    server = request.getfixturevalue("postgres")
    monkeypatch = request.getfixturevalue("monkeypatch")
    url = server.create_database(f"ragw_sheet_roles_{os.getpid()}_{next(_logins)}")
    set_up(lambda *args, code=0: invoke(url, ["--actor", "Strategic Development"], args, code))
    invoke(url, [], ("admin", "init-roles"), 0)
    suffix = f"{os.getpid()}_{next(_logins)}"
    names = {"gov": "postgres", "alice": f"sheet_alice_{suffix}", "bob": f"sheet_bob_{suffix}"}
    monkeypatch.setenv("RAGW_NEW_PASSWORD", "secret")
    rest = url.split("@", 1)[1]
    urls = {"gov": url}
    for who in ("alice", "bob"):
        invoke(url, [], ("admin", "add-login", names[who], "--role", "owner"), 0)
        urls[who] = f"postgresql://{names[who]}:secret@{rest}"
    invoke(url, [], ("role", "grant", "postgres", "governance"), 0)
    invoke(url, [], ("role", "grant", names["alice"], "owner", "--acts-for", ROADS), 0)
    invoke(url, [], ("role", "grant", names["bob"], "owner", "--acts-for", CRIME), 0)

    def as_login(who: str, *args: str, code: int = 0) -> str:
        return invoke(urls[who], [], args, code)

    return Roles(as_login, names)


def sheet_of(roles: Roles, owner: str, path: Path) -> Path:
    roles.run("gov", "requests", "--owner", owner, "--out", str(path))
    return path


def edit(
    path: Path,
    changes: dict[str, dict[str, str]],
    *,
    added: dict[str, dict[str, str]] | None = None,
    owner: str | None = None,
) -> Path:
    """Fill in rows of ``path`` by key, add rows for other keys, or retype its owner."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, value in changes.get(str(row[0].value), {}).items():
            row[header.index(column)].value = value
    for key, cells in (added or {}).items():
        sheet.append([key if c == "key" else cells.get(str(c), "") for c in header])
    if owner is not None:
        about = book["About"]
        (cell,) = [r[1] for r in about.iter_rows() if r[0].value == "Owner"]
        cell.value = owner
    book.save(path)
    return path


def test_an_owner_applies_their_sheet_recorded_as_themselves_for_the_owner(
    roles: Roles, tmp_path: Path
) -> None:
    sheet = edit(
        sheet_of(roles, ROADS, tmp_path / "roads.xlsx"), {"R/1": {"progress note": "Done"}}
    )
    said = roles.run("alice", "apply", str(sheet))
    assert said.startswith(f"applied roads.xlsx for {ROADS}, as {roles.names['alice']}: ")
    last = roles.last("R/1")
    assert (last["type"], last["text"]) == ("ProgressNoted", "Done")
    assert (last["actor"], last["acting_for"]) == (roles.names["alice"], ROADS)
    table = roles.run("gov", "history", "R/1", "--format", "csv")
    assert f"{roles.names['alice']} for {ROADS}" in table
    logged = roles.run("gov", "log", "--format", "csv")
    assert f"{roles.names['alice']} for {ROADS}" in logged


def test_an_owners_sheet_with_a_row_for_another_owners_item_is_refused_naming_the_line(
    roles: Roles, tmp_path: Path
) -> None:
    sheet = edit(
        sheet_of(roles, ROADS, tmp_path / "roads.xlsx"),
        {"R/1": {"progress note": "Mine"}},
        added={"R/2": {"progress note": "Not mine"}},
    )
    error = roles.refused("alice", "apply", str(sheet))
    assert error.startswith("Error: roads.xlsx has 1 bad row and nothing was recorded"), error
    assert f"line 3: {roles.names['alice']} acts for Head of Roads; changing R/2 (owned by " in (
        error
    )
    assert "DCI Crime) needs its owner or governance" in error


def test_an_owner_retyping_the_sheets_owner_records_nothing_for_that_owner(
    roles: Roles, tmp_path: Path
) -> None:
    roads = sheet_of(roles, ROADS, tmp_path / "roads.xlsx")
    crime_items = edit(
        sheet_of(roles, CRIME, tmp_path / "crime.xlsx"),
        {"R/2": {"progress note": "x"}},
        owner=ROADS,
    )
    assert "applying DCI Crime's update sheet" in roles.refused(
        "alice", "apply", str(edit(roads, {"R/1": {"progress note": "x"}}, owner=CRIME))
    )
    # The sheet now names Head of Roads, whom alice acts for; its item is still Crime's.
    error = roles.refused("alice", "apply", str(crime_items))
    assert "changing R/2 (owned by DCI Crime) needs its owner or governance" in error
    error = roles.refused("bob", "apply", str(edit(roads, {}, owner=CRIME)))
    assert "changing R/1 (owned by Head of Roads) needs its owner or governance" in error


def test_governance_applies_any_owners_sheet_recorded_as_itself_for_that_owner(
    roles: Roles, tmp_path: Path
) -> None:
    sheet = edit(
        sheet_of(roles, ROADS, tmp_path / "roads.xlsx"),
        {"R/1": {"new status": "GREEN", "progress note": "Policy published"}},
    )
    said = roles.run("gov", "apply", str(sheet))
    assert said.startswith(f"applied roads.xlsx for {ROADS}, as {roles.names['gov']}: 1 rows: ")
    gov = roles.names["gov"]
    r1 = json.loads(roles.run("gov", "history", "R/1", "--format", "json"))["events"]
    assert [(e["type"], e["actor"], e["acting_for"]) for e in r1[-2:]] == [
        ("ProgressNoted", gov, ROADS),
        ("StatusChanged", gov, ROADS),  # governance's GREEN takes effect at once
    ]


def test_a_sheet_records_nothing_for_its_owner_on_another_owners_item_even_by_governance(
    roles: Roles, tmp_path: Path
) -> None:
    """The history would say the change was made for Head of Roads, on an item Head of
    Roads does not own: a row typed over with another owner's key is refused."""
    before = roles.last("R/2")
    sheet = edit(
        sheet_of(roles, ROADS, tmp_path / "roads.xlsx"),
        {"R/1": {"progress note": "Policy published"}},
        added={"R/2": {"progress note": "Chased by governance"}},
    )
    error = roles.refused("gov", "apply", str(sheet))
    assert "line 3: R/2 is not Head of Roads's item (its owner is DCI Crime)" in error, error
    assert roles.last("R/2") == before


def test_an_owners_green_from_a_sheet_awaits_sign_off_by_someone_else(
    roles: Roles, tmp_path: Path
) -> None:
    sheet = edit(
        sheet_of(roles, ROADS, tmp_path / "roads.xlsx"),
        {"R/1": {"new status": "GREEN", "reason": "Policy published"}},
    )
    roles.run("alice", "apply", str(sheet))
    claim = roles.last("R/1")
    assert (claim["type"], claim["actor"], claim["acting_for"]) == (
        "CompletionClaimed",
        roles.names["alice"],
        ROADS,
    )
    roles.run("gov", "sign-off", "R/1")
    assert roles.last("R/1")["type"] == "SignedOff"
