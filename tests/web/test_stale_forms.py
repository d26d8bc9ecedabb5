"""A change is made on what its page showed, in a real browser against the real server:
a sign-off or a rejection decides the request its page showed, never one asked for
after it; a form sent from a page the item has changed since (someone else's change, or
the same form sent twice) is refused with 409 and the ledger's message, records nothing,
and shows the item as it now is with what was typed kept, to be sent again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import GOVERNANCE, OWNER, Server, events_in
from tests.web.test_forms import alert, item, last_row, submit

pytestmark = pytest.mark.browser


def test_a_sign_off_decides_the_request_its_page_showed_and_no_later_one(
    signed_in: Any, server: Server
) -> None:
    owner = signed_in(OWNER)
    item(owner, server, "HATE18/6")
    assert submit(owner, "completion", {"Evidence": "Policy drafted"}, "Claim completion") == 303
    shown, other = signed_in(GOVERNANCE), signed_in(GOVERNANCE)
    item(shown, server, "HATE18/6")  # shows the claim on the draft
    item(other, server, "HATE18/6")
    assert submit(other, "reject", {"Reason": "A draft is not done"}, "Reject") == 303
    item(owner, server, "HATE18/6")
    evidence = "Policy published on the intranet"
    assert submit(owner, "completion", {"Evidence": evidence}, "Claim completion") == 303
    before = events_in(server.target)
    assert submit(shown, "sign-off", {"Note": "Looks fine"}, "Sign off") == 409
    assert "no longer awaits sign-off" in alert(shown)
    assert events_in(server.target) == before
    # shown again as it now is: the later claim, which its signer now sees and decides
    assert evidence in shown.locator("dl.facts").inner_text()
    assert submit(shown, "sign-off", {}, "Sign off") == 303
    row = last_row(shown)
    assert row["type"] == "SignedOff" and evidence in row["details"]
    assert events_in(server.target) == before + 1


def test_a_decision_from_the_requests_page_gone_stale_is_refused(
    signed_in: Any, server: Server
) -> None:
    owner = signed_in(OWNER)
    item(owner, server, "PEEL1819/1")
    assert submit(owner, "completion", {"Evidence": "First go"}, "Claim completion") == 303
    queue = signed_in(GOVERNANCE)
    queue.goto(server.url + "/requests")  # shows the first claim
    other = signed_in(GOVERNANCE)
    item(other, server, "PEEL1819/1")
    assert submit(other, "reject", {"Reason": "Not yet"}, "Reject") == 303
    item(owner, server, "PEEL1819/1")
    assert submit(owner, "completion", {"Evidence": "Second go"}, "Claim completion") == 303
    before = events_in(server.target)
    row = queue.locator('tr[data-key="PEEL1819/1"]')
    with (
        queue.expect_navigation(),
        queue.expect_response(lambda r: r.request.method == "POST") as answer,
    ):
        row.get_by_role("button", name="Sign off PEEL1819/1").click()
    assert answer.value.status == 409
    assert "no longer awaits sign-off" in alert(queue)
    assert events_in(server.target) == before


def test_a_form_sent_again_from_a_page_the_item_changed_since_records_nothing(
    signed_in: Any, server: Server
) -> None:
    first, second = signed_in(OWNER), signed_in(OWNER)
    item(first, server, "FRAUD19/3")
    item(second, server, "FRAUD19/3")  # the same page, open twice
    assert submit(first, "progress", {"Note": "Training booked"}, "Record note") == 303
    before = events_in(server.target)
    assert submit(second, "progress", {"Note": "Training booked"}, "Record note") == 409
    assert "changed since it was shown" in alert(second)
    assert events_in(server.target) == before
    kept = second.locator("form#progress").get_by_label("Note").input_value()
    assert kept == "Training booked"
    # the page now shows the item as it is: sending from it records
    assert submit(second, "status", {"Status": "RED", "Reason": "Late"}, "Change status") == 303
    assert events_in(server.target) == before + 1


def test_a_form_whose_hidden_version_was_altered_is_refused_and_records_nothing(
    signed_in: Any, server: Server
) -> None:
    """The page's version is a plain number of a few digits: one thousands of digits
    long is a damaged form, refused with the page's message, never a server error."""
    owner = signed_in(OWNER)
    item(owner, server, "FRAUD19/3")
    owner.locator('form#progress input[name="seen"]').evaluate(
        "field => { field.value = '1'.repeat(5000) }"
    )
    before = events_in(server.target)
    assert submit(owner, "progress", {"Note": "Training booked"}, "Record note") == 422
    assert "the form is damaged" in alert(owner)
    assert events_in(server.target) == before
