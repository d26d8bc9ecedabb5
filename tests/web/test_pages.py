"""Every page, in a real browser against the real server: signing in, the board as at
any date and as known at any moment, an owner's items, an item's whole history, the
requests awaiting sign-off, the papers and the ledger's verdict; ledger text shown
escaped; no WCAG 2.x A/AA violation that axe-core can find."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.demo import demo_paper
from tests.web.conftest import (
    AUDITOR,
    GOVERNANCE,
    HOSTILE,
    HOSTILE_ITEM,
    NO_ROLE,
    OLLYS_ITEMS,
    OWNER,
    PASSWORD,
    Server,
    sign_in,
)

pytestmark = pytest.mark.browser
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_without_a_session_every_page_sends_the_browser_to_sign_in(
    client: Any, server: Server
) -> None:
    anonymous = client()
    for path in ("/", "/board", "/mine", "/items/HATE18/6", "/requests", "/verify", "/papers"):
        status, _, headers = anonymous.get(path)
        assert (status, headers["Location"]) == (303, "/login"), path


def test_signing_in_opens_the_board_and_signing_out_ends_the_session(
    browser: Any, server: Server
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server.url, GOVERNANCE)
    assert page.url == server.url + "/board"
    assert page.get_by_text(f"Signed in as {GOVERNANCE}").is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.url == server.url + "/login"
    page.goto(server.url + "/board")
    assert page.url == server.url + "/login"
    context.close()


def test_a_wrong_password_is_refused_with_an_alert(browser: Any, server: Server) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/login")
    page.get_by_label("Name").fill(OWNER)
    page.get_by_label("Password").fill("not the password")
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as answer,
    ):
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 401
    assert "wrong name or password" in page.get_by_role("alert").inner_text()
    assert page.url == server.url + "/login"
    context.close()


def test_the_board_has_a_row_per_item_with_its_status_and_a_link_to_it(
    signed_in: Any, server: Server
) -> None:
    page = signed_in(AUDITOR)
    page.goto(server.url + "/board?as_at=2019-11-15")
    assert "as at 2019-11-15" in page.get_by_role("heading", level=1).inner_text()
    keys = page.eval_on_selector_all("tr[data-key]", "rows => rows.map(r => r.dataset.key)")
    paper = {r["code"] for r in demo_paper()["reports"]}  # and earlier papers' reports
    assert len([key for key in keys if key.partition("/")[0] in paper]) == 105
    row = page.locator('tr[data-key="HATE18/6"]')
    assert row.locator("td.status").inner_text() in ("AMBER", "RED", "GREEN", "WHITE")
    row.get_by_role("link", name="HATE18/6").click()
    assert page.url == server.url + "/items/HATE18/6"
    assert page.get_by_role("heading", level=1).inner_text() == "HATE18/6"


def test_the_board_as_at_an_earlier_meeting_and_as_known_at_a_moment(
    signed_in: Any, server: Server
) -> None:
    page = signed_in(GOVERNANCE)
    page.goto(server.url + "/board")
    page.get_by_label("As at").fill("2019-07-15")
    page.get_by_role("button", name="Show").click()
    assert "as at 2019-07-15" in page.get_by_role("heading", level=1).inner_text()
    earlier = page.locator("tr[data-key]").count()
    assert 0 < earlier < 105  # reports published since then are not on it yet
    page.get_by_label("As known at").fill("2000-01-01T00:00")
    page.get_by_role("button", name="Show").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "as known at 2000-01-01T00:00:00+00:00" in heading
    assert page.locator("tr[data-key]").count() == 0  # nothing had been recorded then


def test_the_board_narrowed_by_report_owner_status_and_overdue(
    signed_in: Any, server: Server
) -> None:
    page = signed_in(GOVERNANCE)
    page.goto(server.url + "/board?as_at=2019-11-15&report=HATE18")
    keys = page.locator("tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys and all(key.startswith("HATE18/") for key in keys)
    page.goto(server.url + "/board?owner=head+of+public+protection")
    keys = page.locator("tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert sorted(keys) == sorted(OLLYS_ITEMS)
    page.goto(server.url + "/board?as_at=2019-11-15")
    page.get_by_label("Status").select_option("WHITE")
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Show").click()
    assert "status=WHITE" in page.url and "overdue=1" in page.url
    assert page.locator("tr[data-key]").count() == 0  # WHITE items are never overdue
    page.goto(server.url + "/board?as_at=2019-11-15&status=AMBER")
    statuses = set(page.locator("tr[data-key] td.status").all_inner_texts())
    assert statuses == {"AMBER"}


def test_a_date_the_board_cannot_read_is_refused_with_an_alert(client: Any, server: Server) -> None:
    status, page, _ = client(AUDITOR).get("/board?as_at=2019-02-30")
    assert status == 422
    assert 'role="alert"' in page and "As at &#39;2019-02-30&#39; is not a date" in page


def test_an_item_page_shows_its_state_and_its_whole_history(signed_in: Any, server: Server) -> None:
    page = signed_in(AUDITOR)
    page.goto(server.url + "/items/HATE18/6")
    facts = page.locator("dl.facts").inner_text()
    assert "Original due date" in facts and "Current due date" in facts
    ids = page.locator("tr[data-event-id]").evaluate_all("rows => rows.map(r => r.dataset.eventId)")
    assert ids[0] == "HATE18/6@1" and len(ids) >= 3
    assert ids == [f"HATE18/6@{n}" for n in range(1, len(ids) + 1)]
    first = page.locator('tr[data-event-id="HATE18/6@1"]').inner_text()
    assert "RecommendationIssued" in first


def test_an_auditor_sees_everything_and_no_form(signed_in: Any, server: Server) -> None:
    page = signed_in(AUDITOR)
    for path in ("/items/HATE18/6", "/requests", "/board", "/papers", "/verify"):
        page.goto(server.url + path)
        assert page.locator("main form[method=post]").count() == 0, path
    page.goto(server.url + "/items/HATE18/6")
    assert page.get_by_text("You may read this item").is_visible()


def test_an_owner_sees_their_items_due_and_overdue_first(signed_in: Any, server: Server) -> None:
    page = signed_in(OWNER)
    page.get_by_role("link", name="My items").click()
    keys = page.locator("tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
    # open: FRAUD19/3 is GREEN (done), so not among them
    assert sorted(keys) == sorted(set(OLLYS_ITEMS) - {"FRAUD19/3"})
    overdue = page.locator("tr[data-key]").evaluate_all(
        "rows => rows.map(r => r.innerText.includes('OVERDUE'))"
    )
    assert overdue == sorted(overdue, reverse=True)  # every overdue item before the rest
    page.goto(server.url + "/items/HATE18/6")
    assert page.get_by_role("button", name="Record note").is_visible()
    page.goto(server.url + "/items/HATE18/1")
    assert page.get_by_role("button", name="Record note").count() == 0


def test_a_user_with_no_role_sees_only_a_page_saying_so(signed_in: Any, server: Server) -> None:
    page = signed_in(NO_ROLE)
    for path in ("/board", "/items/HATE18/6", "/requests", "/verify"):
        response = page.goto(server.url + path)
        assert response.status == 403
        assert page.get_by_role("heading", level=1).inner_text() == "You have no role yet"
        assert page.locator("tr").count() == 0


def test_hostile_ledger_text_is_shown_as_text(signed_in: Any, server: Server) -> None:
    page = signed_in(GOVERNANCE)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    code, ref = HOSTILE_ITEM.split("/")
    page.goto(f"{server.url}/items/{code}/{ref}")
    assert HOSTILE in page.locator("table.history").inner_text()
    assert page.locator("table.history script, table.history b").count() == 0
    page.goto(f"{server.url}/board?report={code}")
    row = page.locator(f'tr[data-key="{HOSTILE_ITEM}"]')
    assert row.locator("td").nth(4).inner_text() == HOSTILE  # its owner
    assert page.locator("table script, table b").count() == 0
    assert dialogs == []


def test_the_papers_are_the_documents_pack_writes(signed_in: Any, server: Server) -> None:
    page = signed_in(AUDITOR)
    page.get_by_role("link", name="Papers").click()
    page.get_by_role("link", name="paper of 2019-11-15 (HTML)").click()
    assert page.url == server.url + "/papers/PRMSC/2019-11-15"
    assert "Summary" in page.locator("body").inner_text()
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word paper of 2019-11-15 (.docx)").click()
    saved = download.value.path()
    assert download.value.suggested_filename == "PRMSC-2019-11-15.docx"
    with open(saved, "rb") as handle:
        assert handle.read(2) == b"PK"  # a Word document is a zip


def test_an_unknown_committee_or_item_is_a_404_with_the_ledgers_message(
    client: Any, server: Server
) -> None:
    reader = client(AUDITOR)
    status, page, _ = reader.get("/papers/NOPE/2019-11-15")
    assert status in (404, 422) and 'role="alert"' in page
    status, page, _ = reader.get("/items/NOPE/1")
    assert status == 404 and 'role="alert"' in page


def test_a_request_no_page_takes_is_refused_with_the_services_alert_and_records_nothing(
    client: Any, server: Server
) -> None:
    """An address used the wrong way, a form no page has, a request larger than any form:
    each is the service's refusal page with an alert; only a write's says it recorded
    nothing, and a read's alert does not."""
    from tests.web.conftest import events_in

    owner = client(OWNER)
    before = events_in(server.target)
    status, page, headers = owner.get("/items/HATE18/6/progress")
    assert status == 405 and 'role="alert"' in page and "POST" in headers["Allow"]
    owner.get("/items/HATE18/6")
    status, page, _ = owner.post("/items/HATE18/6/bogus", {"note": "x"})
    assert status == 404 and 'role="alert"' in page and "has no form &#39;bogus&#39;" in page
    assert "Not recorded:" in page
    owner.get("/items/HATE18/6")
    status, page, _ = owner.post("/items/HATE18/6/progress", {"note": "x" * (1024 * 1024)})
    assert status == 413 and 'role="alert"' in page and "larger than any form" in page
    status, page, _ = owner.get("/board?as_at=2019-02-30")
    assert status == 422 and 'role="alert"' in page and "Not recorded:" not in page
    assert events_in(server.target) == before


def test_verify_gives_the_ledgers_verdict_and_digest(signed_in: Any, server: Server) -> None:
    page = signed_in(AUDITOR)
    page.get_by_role("link", name="Verify").click()
    verdict = page.locator("ul.verdict").inner_text()
    assert "every link matches" in verdict
    assert ":" in page.locator("code.digest").inner_text()


def test_every_response_forbids_inline_script_framing_and_sniffing(
    client: Any, server: Server
) -> None:
    status, _, headers = client().get("/login")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_httponly_samesite_and_not_for_scripts(
    client: Any, server: Server
) -> None:
    reader = client()
    _, _, headers = reader.sign_in(AUDITOR)
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served on 127.0.0.1 over http, as said in --help


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/login"),
        (GOVERNANCE, "/board?as_at=2019-11-15&report=HATE18"),
        (GOVERNANCE, "/items/HATE18/6"),
        (GOVERNANCE, "/requests"),
        (OWNER, "/mine"),
    ],
)
def test_axe_finds_no_wcag_violation(
    browser: Any, server: Server, who: str | None, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    if who is not None:
        sign_in(page, server.url, who)
    page.goto(server.url + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = results.response["violations"]
    context.close()
    assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]


def test_pages_are_readable_on_a_phone(signed_in: Any, server: Server) -> None:
    page = signed_in(GOVERNANCE, width=360)
    page.goto(server.url + "/items/HATE18/6")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 360  # only the tables scroll, inside their own regions


def test_signing_in_and_recording_work_with_the_keyboard_alone(
    browser: Any, server: Server
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "name"
    page.keyboard.type(OWNER)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/board")
    page.goto(server.url + "/items/HATE18/6")
    page.focus("#progress-note")
    page.keyboard.type("Typed without a mouse")
    for _ in range(5):  # past On (a date: a stop for each of its parts) to the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    assert page.evaluate("document.activeElement.textContent") == "Record note"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Typed without a mouse" in page.locator("tr[data-event-id]").last.inner_text()
    context.close()
