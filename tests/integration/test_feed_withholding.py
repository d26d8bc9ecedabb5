"""A calendar feed is read by a calendar program that keeps its own copy, somewhere ragw
does not control: an item of a restricted report is listed by its key, status and due
date alone, as a public paper shows it; the owner's other items keep their text. On
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ledger.application import Ledger
from projections.committee.withholding import WITHHELD
from projections.usecases import LedgerSession
from projections.usecases.feeds import feed
from render.reminders import calendar_ics

ME = "Strategic Development"
OWNER = "Head of Roads"
SECRET = "Vet every officer of the covert unit again"
OPEN = "Publish the roads policing plan"


def test_a_feed_lists_an_item_of_a_restricted_report_by_its_key_and_dates_alone(
    open_at: Callable[..., Ledger], target: str
) -> None:
    ledger = open_at(today=date(2021, 5, 1))
    ledger.grant_role(ME, "governance", actor=ME)
    ledger.grant_role("Rhea Roads", "owner", acts_for=OWNER, actor=ME)
    ledger.add_user("Rhea Roads", password="Correct horse battery 1", actor=ME)
    for code, restricted, text in (("COVERT", True, SECRET), ("ROADS", False, OPEN)):
        published = date(2021, 1, 4)
        ledger.register_report(
            code,
            title=f"{code} report",
            scope="force",
            published=published,
            restricted=restricted,
            actor=ME,
            on=published,
        )
        ledger.issue_recommendation(
            code,
            "1",
            kind="recommendation",
            text=text,
            owner=OWNER,
            due="2021-09-30",
            status="AMBER",
            actor=ME,
            on=published,
        )
    session = LedgerSession(target, ME, open_ledger=lambda write: ledger)
    token = ledger.feeds.new("Rhea Roads")
    calendar = feed(session, token, on=date(2021, 5, 1))
    assert calendar is not None
    assert {line.key: (line.text, line.due) for line in calendar.lines} == {
        "COVERT/1": (WITHHELD, date(2021, 9, 30)),
        "ROADS/1": (OPEN, date(2021, 9, 30)),
    }
    ics = calendar_ics(calendar).decode()
    assert "COVERT/1" in ics and "Vet every officer" not in ics and OPEN in ics
