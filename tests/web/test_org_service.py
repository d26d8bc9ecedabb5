"""One web service per organisation in a shared store: `ragw --org CODE serve` serves
that organisation's ledger alone. Its users are its own, a session signed in on one
organisation's service is refused by another's even with the same secret and a user of
the same name and password, and another organisation's item is not found (404)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from tests.web.conftest import Client, Server, admin, ragw, start
from web.command import session_secret

SECRET = {"RAGW_SECRET_KEY": "one secret for every organisation's service"}
#: A user of each organisation, of the same name and password in both.
SAME = "Sam Same"
#: A user of West Midlands Police alone.
WMP_ONLY = "Wendy Midlands"
ITEMS = {"WMP": ("ROADS", "1"), "COLP": ("FRAUD", "2")}
VERDICT_DAY = date(2021, 6, 1)


@pytest.fixture(scope="module")
def shared_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding two forces, each with a report, an item and its own users."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("orgs") / "ragw.db")
    else:
        server = request.getfixturevalue("postgres")
        target = server.create_database(f"ragw_web_orgs_{os.getpid()}")
    ragw(target, "org", "add", "WMP", "--name", "West Midlands Police", "--kind", "force")
    ragw(target, "org", "add", "COLP", "--name", "City of London Police", "--kind", "force")
    for org, (code, ref) in ITEMS.items():
        on = ["--org", org]
        ragw(
            target,
            *on,
            "report",
            "add",
            code,
            "--title",
            f"{org} report",
            "--scope",
            "force",
            "--published",
            "2021-01-04",
        )
        ragw(
            target,
            *on,
            *("rec", "add", code, ref, "--kind", "afi", "--text", f"{org} item"),
            *("--on", "2021-01-04"),
        )
        ragw(target, *on, "role", "grant", admin(target), "governance")
        users = [SAME, WMP_ONLY] if org == "WMP" else [SAME]
        for name in users:
            ragw(target, *on, "role", "grant", name, "auditor")
            ragw(target, *on, "user", "add", name)
    # the inspectorate's verdict on WMP's item, in the inspectorate's own ledger
    ragw(target, "org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    inspectorate = open_ledger(target, create=False, org="HMICFRS")
    holder = open_ledger(target, create=False, org="WMP")
    try:
        inspectorate.give_verdict(
            holder, "ROADS/1", "accepted", reason="Terms addressed", actor="HMI", on=VERDICT_DAY
        )
    finally:
        holder.close()
        inspectorate.close()
    return target


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "shared_store" in metafunc.fixturenames:
        metafunc.parametrize(
            "shared_store",
            ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
            indirect=True,
            scope="module",
        )


@pytest.fixture(scope="module")
def services(shared_store: str) -> Iterator[dict[str, Server]]:
    """Each organisation's service, both signing sessions with the same secret."""
    running = {org: start(shared_store, env={**SECRET, "RAGW_ORG": org}) for org in ITEMS}
    yield running
    for server in running.values():
        assert server.stop() == 0


def signed_in(server: Server, name: str) -> Client:
    client = Client(server.url)
    status, _, headers = client.sign_in(name)
    assert status == 303 and headers["Location"].endswith("/board"), name
    return client


def test_a_forces_service_shows_its_own_items_and_not_another_forces(
    services: dict[str, Server],
) -> None:
    wmp = signed_in(services["WMP"], WMP_ONLY)
    status, board, _ = wmp.get("/board")
    assert status == 200 and "ROADS/1" in board and "FRAUD/2" not in board
    assert wmp.get("/items/ROADS/1")[0] == 200
    assert wmp.get("/items/FRAUD/2")[0] == 404
    colp = signed_in(services["COLP"], SAME)
    assert colp.get("/items/FRAUD/2")[0] == 200
    assert colp.get("/items/ROADS/1")[0] == 404


def test_a_forces_board_shows_the_inspectorates_verdict_on_its_item_and_no_other(
    services: dict[str, Server],
) -> None:
    said = "Verdict of HMICFRS from 2021-06-01: accepted."
    status, board, _ = signed_in(services["WMP"], WMP_ONLY).get("/board")
    assert status == 200 and said in board
    status, earlier, _ = signed_in(services["WMP"], WMP_ONLY).get("/board?as_at=2021-05-31")
    assert status == 200 and "ROADS/1" in earlier and "Verdict of" not in earlier
    status, board, _ = signed_in(services["COLP"], SAME).get("/board")
    assert status == 200 and "Verdict of" not in board


def test_a_user_belongs_to_one_organisation(services: dict[str, Server]) -> None:
    status, _, _ = Client(services["COLP"].url).sign_in(WMP_ONLY)
    assert status != 303


def test_a_session_on_one_organisations_service_is_refused_by_anothers(
    services: dict[str, Server],
) -> None:
    user = signed_in(services["WMP"], SAME)
    assert user.get("/board")[0] == 200
    user.url = services["COLP"].url  # the same cookie, presented to the other force
    assert user.get("/board")[0] == 303


def test_serving_an_organisation_the_store_does_not_hold_is_refused_in_one_line(
    shared_store: str,
) -> None:
    result = CliRunner().invoke(main, ["--db", shared_store, "--org", "WMPX", "serve"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "holds no organisation WMPX to serve" in line
    assert "`ragw org add WMPX" in line


def test_the_session_secret_is_bound_to_the_organisation_and_unchanged_without_one(
    tmp_path: Path,
) -> None:
    secret, target = "s" * 32, str(tmp_path / "ragw.db")
    single = session_secret(secret, target)
    assert single == session_secret(secret, target, None)
    assert (
        len({single, session_secret(secret, target, "WMP"), session_secret(secret, target, "COLP")})
        == 3
    )


def test_a_worker_keeps_each_organisations_ledger_apart(shared_store: str) -> None:
    from web.context import forget_ledger, workers_ledger

    try:
        assert workers_ledger(shared_store, None, "WMP").org == "WMP"
        assert workers_ledger(shared_store, None, "COLP").org == "COLP"
        assert workers_ledger(shared_store, None, "WMP").org == "WMP"
    finally:
        forget_ledger(shared_store, "WMP")
        forget_ledger(shared_store, "COLP")
