"""Each form on an item's page, in a real browser against the real server: a success
goes back (303) to the item's page with the new event in its history, recorded as the
signed-in user; a refusal shows the ledger's message in an alert with a 4xx status and
records nothing; a form sent without its CSRF token, or by someone whose role does not
allow it, records nothing either."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import (
    AUDITOR,
    GOVERNANCE,
    OTHER_OWNER,
    OWNER,
    Server,
    events_in,
)

pytestmark = pytest.mark.browser


def item(page: Any, server: Server, key: str) -> None:
    code, ref = key.split("/")
    page.goto(f"{server.url}/items/{code}/{ref}")


def submit(page: Any, form: str, fields: dict[str, str], button: str) -> int:
    """Fill the form ``form`` (its labels to values) and press its button; the status
    of the answer to the POST."""
    scope = page.locator(f"form#{form}")
    for label, value in fields.items():
        control = scope.get_by_label(label, exact=True)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as answer,
    ):
        scope.get_by_role("button", name=button).click()
    status: int = answer.value.status
    return status


def last_row(page: Any) -> dict[str, str]:
    row = page.locator("tr[data-event-id]").last
    cells = row.locator("th, td").all_inner_texts()
    names = ["id", "on", "type", "details", "recorded at", "actor", "corrected by"]
    return dict(zip(names, cells, strict=True))


def alert(page: Any) -> str:
    text: str = page.get_by_role("alert").inner_text()
    return text


def test_an_owner_records_a_note_as_themselves(signed_in: Any, server: Server) -> None:
    page = signed_in(OWNER)
    item(page, server, "HATE18/6")
    before = events_in(server.target)
    assert submit(page, "progress", {"Note": "Training booked for May"}, "Record note") == 303
    assert page.url == server.url + "/items/HATE18/6"
    row = last_row(page)
    assert (row["type"], row["actor"]) == ("ProgressNoted", OWNER)
    assert "Training booked for May" in row["details"]
    assert events_in(server.target) == before + 1
    assert page.get_by_role("status").inner_text().startswith("Recorded HATE18/6@")


def test_a_change_takes_effect_on_the_day_given(signed_in: Any, server: Server) -> None:
    page = signed_in(OWNER)
    item(page, server, "HATE18/6")
    fields = {"Note": "Back-dated note", "On": "2020-02-03"}
    assert submit(page, "progress", fields, "Record note") == 303
    assert last_row(page)["on"] == "2020-02-03"


def test_an_empty_note_is_refused_and_nothing_recorded(signed_in: Any, server: Server) -> None:
    page = signed_in(OWNER)
    item(page, server, "HATE18/6")
    before = events_in(server.target)
    assert submit(page, "progress", {"Note": "   "}, "Record note") == 422
    assert "note" in alert(page).lower()
    assert events_in(server.target) == before


def test_an_extension_with_its_justification_is_recorded(signed_in: Any, server: Server) -> None:
    page = signed_in(OWNER)
    item(page, server, "PEEL1819/1")
    before = events_in(server.target)
    fields = {"New due date": "2031-03-31", "Justification": "Supplier delayed the system"}
    assert submit(page, "extension", fields, "Extend") == 303
    row = last_row(page)
    assert row["actor"] == OWNER and "2031-03-31" in row["details"]
    assert events_in(server.target) == before + 1


def test_an_extension_without_a_justification_shows_the_ledgers_message(
    signed_in: Any, server: Server
) -> None:
    page = signed_in(OWNER)
    item(page, server, "PEEL1819/1")
    before = events_in(server.target)
    status = submit(page, "extension", {"New due date": "2031-06-30"}, "Extend")
    assert 400 <= status < 500
    assert "reason" in alert(page).lower() or "justification" in alert(page).lower()
    assert "--reason" not in alert(page)
    assert page.locator("form#extension").get_by_label("New due date").input_value() == (
        "2031-06-30"
    )
    assert events_in(server.target) == before


def test_governance_changes_a_status_with_its_reason(signed_in: Any, server: Server) -> None:
    page = signed_in(GOVERNANCE)
    item(page, server, "FRAUD19/3")
    fields = {"Status": "RED", "Reason": "Beyond its deadline"}
    assert submit(page, "status", fields, "Change status") == 303
    row = last_row(page)
    assert (row["type"], row["actor"]) == ("StatusChanged", GOVERNANCE)
    assert "RED" in page.locator("dl.facts").inner_text()


def test_a_status_on_a_day_still_to_come_is_refused(signed_in: Any, server: Server) -> None:
    page = signed_in(GOVERNANCE)
    item(page, server, "FRAUD19/3")
    before = events_in(server.target)
    fields = {"Status": "AMBER", "Reason": "Later", "On": "2099-01-01"}
    assert 400 <= submit(page, "status", fields, "Change status") < 500
    assert alert(page)
    assert events_in(server.target) == before


def test_completion_is_claimed_then_signed_off_by_governance(
    signed_in: Any, server: Server
) -> None:
    owner = signed_in(OWNER)
    item(owner, server, "FRAUD19/3")
    before = events_in(server.target)
    fields = {"Evidence": "Policy published", "Link": "https://example.org/policy"}
    assert submit(owner, "completion", fields, "Claim completion") == 303
    assert last_row(owner)["actor"] == OWNER
    assert events_in(server.target) == before + 1
    governance = signed_in(GOVERNANCE)
    governance.goto(server.url + "/requests")
    assert governance.locator('tr[data-key="FRAUD19/3"]').count() == 1
    item(governance, server, "FRAUD19/3")
    assert submit(governance, "sign-off", {"Note": "Checked the policy"}, "Sign off") == 303
    row = last_row(governance)
    assert row["actor"] == GOVERNANCE and row["type"] != "ProgressNoted"
    assert "GREEN" in governance.locator("dl.facts").inner_text()
    governance.goto(server.url + "/requests")
    assert governance.locator('tr[data-key="FRAUD19/3"]').count() == 0


def test_completion_without_evidence_is_refused(signed_in: Any, server: Server) -> None:
    page = signed_in(OWNER)
    item(page, server, "HATE18/6")
    before = events_in(server.target)
    assert 400 <= submit(page, "completion", {"Evidence": ""}, "Claim completion") < 500
    assert "evidence" in alert(page).lower()
    assert events_in(server.target) == before


def test_governance_rejects_a_request_with_a_reason_and_not_without(
    signed_in: Any, server: Server
) -> None:
    owner = signed_in(OWNER)
    item(owner, server, "HATE18/6")
    submit(owner, "completion", {"Evidence": "All done"}, "Claim completion")
    governance = signed_in(GOVERNANCE)
    item(governance, server, "HATE18/6")
    before = events_in(server.target)
    assert 400 <= submit(governance, "reject", {"Reason": ""}, "Reject") < 500
    assert alert(governance)
    assert events_in(server.target) == before
    assert submit(governance, "reject", {"Reason": "No evidence attached"}, "Reject") == 303
    assert last_row(governance)["actor"] == GOVERNANCE
    assert events_in(server.target) == before + 1
    assert governance.locator("form#sign-off").count() == 0  # nothing awaits now


def test_a_sign_off_on_a_day_still_to_come_is_refused(signed_in: Any, server: Server) -> None:
    owner = signed_in(OWNER)
    item(owner, server, "PEEL1819/1")
    submit(owner, "completion", {"Evidence": "Done"}, "Claim completion")
    governance = signed_in(GOVERNANCE)
    item(governance, server, "PEEL1819/1")
    before = events_in(server.target)
    assert 400 <= submit(governance, "sign-off", {"On": "2099-01-01"}, "Sign off") < 500
    assert alert(governance)
    assert events_in(server.target) == before


def test_an_owner_is_refused_on_someone_elses_item(client: Any, server: Server) -> None:
    other = client(OTHER_OWNER)
    other.get("/items/HATE18/6")
    assert "Record note" not in other.last
    before = events_in(server.target)
    status, page, _ = other.post("/items/HATE18/6/progress", {"note": "Not mine"})
    assert status == 403 and 'role="alert"' in page
    assert events_in(server.target) == before


def test_an_auditors_forged_form_is_refused(client: Any, server: Server) -> None:
    auditor = client(AUDITOR)
    auditor.get("/items/HATE18/6")
    before = events_in(server.target)
    for form, fields in (
        ("progress", {"note": "Forged"}),
        ("status", {"status": "GREEN", "reason": "Forged"}),
        ("sign-off", {"note": "Forged"}),
    ):
        status, page, _ = auditor.post(f"/items/HATE18/6/{form}", fields)
        assert 400 <= status < 500 and 'role="alert"' in page, form
    assert events_in(server.target) == before


def test_a_form_without_its_csrf_token_records_nothing(client: Any, server: Server) -> None:
    governance = client(GOVERNANCE)
    governance.get("/items/HATE18/6")
    before = events_in(server.target)
    status, _, _ = governance.post("/items/HATE18/6/progress", {"note": "x"}, csrf=False)
    assert status == 403
    forged = {"note": "x", "csrf_token": "forged"}
    assert governance.post("/items/HATE18/6/progress", forged, csrf=False)[0] == 403
    assert events_in(server.target) == before
    # and the same form with its token lands: the refusal was the token's
    assert governance.post("/items/HATE18/6/progress", {"note": "x"})[0] == 303
    assert events_in(server.target) == before + 1


def test_another_sessions_token_is_refused(client: Any, server: Server) -> None:
    governance, owner = client(GOVERNANCE), client(OWNER)
    owner.get("/items/HATE18/6")
    governance.get("/items/HATE18/6")
    before = events_in(server.target)
    stolen = {"note": "x", "csrf_token": owner.token()}
    assert governance.post("/items/HATE18/6/progress", stolen, csrf=False)[0] == 403
    assert events_in(server.target) == before


def test_a_sign_off_from_a_page_gone_stale_is_refused(signed_in: Any, server: Server) -> None:
    owner = signed_in(OWNER)
    item(owner, server, "HATE18/6")
    submit(owner, "completion", {"Evidence": "Finished at last"}, "Claim completion")
    first, second = signed_in(GOVERNANCE), signed_in(GOVERNANCE)
    item(first, server, "HATE18/6")
    item(second, server, "HATE18/6")
    assert submit(first, "reject", {"Reason": "Evidence is thin"}, "Reject") == 303
    before = events_in(server.target)
    assert 400 <= submit(second, "sign-off", {"Note": "Looks fine"}, "Sign off") < 500
    assert alert(second)
    assert events_in(server.target) == before
