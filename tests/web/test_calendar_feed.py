"""An owner's calendar feed: a secret address made from "My items" that a calendar
program reads with no session, listing the open items of the owners they act for; a new
address ends the old one, and a disabled user's feed answers nothing."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import icalendar

from tests.web.conftest import OLLYS_ITEMS, Client, Server, ragw, start


def address_made(client: Client) -> str:
    client.get("/mine")
    status, page, _ = client.post("/calendar", {})
    assert status == 200, page
    found = re.search(r'value="(http://[^"]+/calendar/[^"]+\.ics)"', page)
    assert found, page
    return found.group(1)


def read(address: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(address, timeout=30) as response:  # no cookie at all
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_the_feed_lists_the_open_items_of_the_owners_one_acts_for(client: Any) -> None:
    owner = client("Olly Owner")
    status, body = read(address_made(owner))
    assert status == 200
    todos = [c for c in icalendar.Calendar.from_ical(body).walk("VTODO")]
    listed = {str(todo["summary"]).split(" ", 1)[0].rstrip(":") for todo in todos}
    assert listed <= set(OLLYS_ITEMS) and listed, listed


def test_a_new_address_ends_the_old_one(client: Any) -> None:
    owner = client("Olly Owner")
    first = address_made(owner)
    second = address_made(owner)
    assert first != second
    assert read(first)[0] == 404
    assert read(second)[0] == 200


def test_a_guessed_or_mangled_address_answers_nothing(client: Any, server: Server) -> None:
    address = address_made(client("Olly Owner"))
    assert read(address[:-5] + "x.ics")[0] == 404
    assert read(server.url + "/calendar/" + "A" * 43 + ".ics")[0] == 404
    assert read(server.url + "/calendar/short.ics")[0] == 404


def test_making_an_address_needs_a_session_and_its_csrf_token(client: Any, server: Server) -> None:
    anonymous = Client(server.url)
    status, _, _ = anonymous.request("/calendar", {})
    assert status in (303, 400, 403)
    owner = client("Olly Owner")
    owner.get("/mine")
    assert owner.post("/calendar", {}, csrf=False)[0] == 403


def test_a_disabled_users_feed_answers_nothing(client: Any, server: Server) -> None:
    ragw(
        server.target,
        "role",
        "grant",
        "Dee Disabled",
        "owner",
        "--acts-for",
        "Head of Public Protection",
    )
    address = address_made(client("Dee Disabled"))
    assert read(address)[0] == 200
    ragw(server.target, "user", "disable", "Dee Disabled")
    assert read(address)[0] == 404


def test_a_new_password_ends_the_calendar_address(client: Any, server: Server) -> None:
    address = address_made(client("Olly Owner"))
    assert read(address)[0] == 200
    ragw(server.target, "user", "password", "Olly Owner")
    assert read(address)[0] == 404


def test_with_a_base_url_the_address_is_not_taken_from_the_host_a_request_names(
    ledger_target: str,
) -> None:
    running = start(ledger_target, "--base-url", "https://ragw.example.org/")
    try:
        owner = Client(running.url)
        assert owner.sign_in("Olly Owner")[0] == 303
        owner.get("/mine")
        request = urllib.request.Request(
            running.url + "/calendar",
            data=urllib.parse.urlencode({"csrf_token": owner.token()}).encode(),
            headers={"Host": "evil.example"},
        )
        try:
            with owner.opener.open(request, timeout=30) as response:
                page = response.read().decode()
        except urllib.error.HTTPError as error:
            assert error.code in (400, 403)  # refused outright will do too
            return
        assert "evil.example" not in page
        assert 'value="https://ragw.example.org/calendar/' in page
    finally:
        running.stop()


def test_my_items_lists_exactly_the_items_its_calendar_address_gives(client: Any) -> None:
    """Open is one rule: neither GREEN nor CLOSED, and the force's. Olly's FRAUD19/3 is
    GREEN (done), so neither the page nor the feed it offers lists it."""
    owner = client("Olly Owner")
    status, page, _ = owner.get("/mine")
    assert status == 200
    shown = set(re.findall(r'href="/items/([A-Z0-9]+/[^"/]+)"', page))
    _, body = read(address_made(owner))
    todos = icalendar.Calendar.from_ical(body).walk("VTODO")
    listed = {str(todo["summary"]).split(" ", 1)[0].rstrip(":") for todo in todos}
    assert shown == listed and "FRAUD19/3" not in shown and shown, (shown, listed)
    assert f"{len(shown)} open" in page
