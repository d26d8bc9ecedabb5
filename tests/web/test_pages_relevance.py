"""An item's page says who the item is addressed to, whether it is not for the force and
since when, and which item superseded it (a link) or which items it supersedes; the
board's row says the same before the item's text: the demo's items of seed 000 and seed
002."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import GOVERNANCE, add_user, ragw


def test_an_item_page_says_who_it_is_addressed_to_and_that_it_is_not_for_the_force(
    client: Any,
) -> None:
    status, page, _ = client(GOVERNANCE).get("/items/INFOMGMT15/HO")
    assert status == 200
    assert "<dt>Addressed to</dt><dd>the Home Office; National Lead" in page
    assert "<dt>Not for the force</dt><dd>since 2015-10-21: Addressed to the Home Office" in page


def test_an_item_page_says_which_item_superseded_it_and_the_later_one_what_it_supersedes(
    client: Any,
) -> None:
    signed = client(GOVERNANCE)
    status, page, _ = signed.get("/items/CRIMEWMP14/2")
    assert status == 200
    assert '<dt>Superseded by</dt><dd><a href="/items/CPREVISIT15/1">CPREVISIT15/1</a>' in page
    status, page, _ = signed.get("/items/CPREVISIT15/1")
    assert "<dt>Supersedes</dt><dd>CRIMEWMP14/2</dd>" in page
    # an item for the force, superseding nothing, says none of it
    _, page, _ = signed.get("/items/CYBER19/2")
    assert "Not for the force" not in page and "Superseded by" not in page


def test_an_owners_page_leaves_out_their_items_not_for_the_force(
    client: Any, ledger_target: str
) -> None:
    for key in ("INFOMGMT15/HO", "CYBER19/2"):
        ragw(ledger_target, "assign", key, "Head of Records", "--on", "2019-11-20")
    ragw(ledger_target, "role", "grant", "Rita Records", "owner", "--acts-for", "Head of Records")
    add_user(ledger_target, "Rita Records")
    status, page, _ = client("Rita Records").get("/mine")
    assert status == 200
    assert "CYBER19/2" in page and "INFOMGMT15/HO" not in page


def test_a_board_row_says_an_item_is_not_for_the_force_or_superseded_before_its_text(
    client: Any,
) -> None:
    status, page, _ = client(GOVERNANCE).get("/board?as_at=2019-11-15")
    assert status == 200
    rows = {
        key: row for key, row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', page, flags=re.S)
    }
    assert (
        '<span class="apart">Not for the force since 2015-10-21: Addressed to the Home'
        in (rows["INFOMGMT15/HO"])
    )
    assert '<span class="apart">Superseded by CPREVISIT15/1.</span>' in rows["CRIMEWMP14/2"]
    assert 'class="apart"' not in rows["CYBER19/2"]
