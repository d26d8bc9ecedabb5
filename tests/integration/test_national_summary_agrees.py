"""The national summary, counted by each organisation's read model (on PostgreSQL one
grouping query a force, joined to the verdicts the inspectorate's model holds, on one
connection or shared by two in one snapshot; otherwise with only the items carrying a
verdict looked up), gives exactly the counts of the organisations' boards it
summarises, on random registers, days and moments; and so does its other path, which
counts the board of an organisation whose reads fold (no read model to ask). An item a
force planted under a report it received is counted by neither."""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from events import Status, Verdict
from ledger import Ledger, LedgerError, open_ledger
from projections.rows import status_word
from projections.store import counts
from projections.store.counts import count_in_step
from projections.usecases import LedgerSession
from projections.usecases.national import national_read
from projections.usecases.national_summary import NO_VERDICT, national_summary

ME = "Strategic Development"
FORCES = ("WMP", "COLP")
DAYS = [date(2019, 1, 7) + timedelta(days=n) for n in range(0, 900, 60)]
REFS = ("1", "2", "4a", "10")
REPORTS = ("FRAUD19", "CYBER20", "OWN")
#: What a change does: a status, off the force's list, or a verdict.
WHAT = [*Status, "not-for-us", *Verdict]

change = st.tuples(
    st.sampled_from(FORCES),
    st.sampled_from(REPORTS),
    st.sampled_from(REFS),
    st.sampled_from(DAYS),
    st.sampled_from(WHAT),
)
_numbers = itertools.count(1)


def build(target: str, changes: list[tuple[str, str, str, date, Any]], cut: int) -> datetime:
    """An inspectorate and two forces; two national reports issued to both forces (the
    second received later), each force with a report of its own (both coded OWN);
    then ``changes`` recorded (a refused one is skipped, as a user would be refused).
    Returns the moment after the first ``cut`` of them were recorded."""
    runner = CliRunner()
    for code, kind in (("HMICFRS", "inspectorate"), *((f, "force") for f in FORCES)):
        result = runner.invoke(
            main,
            ["--db", target, "--actor", ME, "org", "add", code, "--name", code, "--kind", kind],
        )
        assert result.exit_code == 0, result.output
    ledgers: dict[str, Ledger] = {
        org: open_ledger(target, create=False, org=org) for org in ("HMICFRS", *FORCES)
    }
    for ledger in ledgers.values():
        ledger.today = lambda: date(2021, 12, 31)  # type: ignore[method-assign]
    inspectorate = ledgers["HMICFRS"]
    for code, published in (("FRAUD19", date(2019, 4, 2)), ("CYBER20", date(2020, 1, 6))):
        inspectorate.register_report(
            code, title=code, scope="national", published=published, actor=ME, on=published
        )
        for ref in REFS:
            inspectorate.issue_recommendation(
                code,
                ref,
                kind="recommendation",
                text=f"{code} {ref}",
                due="2019-12-31",
                to=["chief constables"],
                actor=ME,
                on=published,
            )
        for force in FORCES:
            ledgers[force].receive_national(inspectorate, actor=ME, on=published)
    for force in FORCES:
        own = ledgers[force]
        own.register_report(
            "OWN",
            title="Own",
            scope="force",
            published=date(2019, 6, 3),
            actor=ME,
            on=date(2019, 6, 3),
        )
        for ref in REFS[: 2 if force == "WMP" else 4]:
            own.issue_recommendation(
                "OWN", ref, kind="afi", text=f"own {ref}", actor=ME, on=date(2019, 6, 3)
            )
    # an item of WMP's own planted under a report it received, past the commands: no
    # national view shows it, nor counts it
    planted = ledgers["WMP"].prepare_recommendation(
        "FRAUD19",
        "99",
        kind="recommendation",
        text="Planted",
        actor=ME,
        on=date(2019, 4, 2),
        received=True,
    )
    ledgers["WMP"].save_all(planted, what="FRAUD19/99")
    # whatever is drawn: an item off COLP's list, and a verdict on WMP's item from the
    # day it reached WMP's board (none can take effect before it did)
    ledgers["COLP"].change_relevance(
        "FRAUD19/2", for_us=False, reason="for the NPCC", actor=ME, on=date(2019, 9, 2)
    )
    inspectorate.give_verdict(
        ledgers["WMP"],
        "CYBER20/1",
        Verdict.ACCEPTED,
        reason="early",
        actor=ME,
        on=date(2020, 1, 6),
    )
    moment = datetime.now().astimezone()
    for number, (force, report, ref, day, what) in enumerate(changes, start=1):
        key, holder = f"{report}/{ref}", ledgers[force]
        try:
            if isinstance(what, Verdict):
                inspectorate.give_verdict(holder, key, what, reason="seen", actor=ME, on=day)
            elif what == "not-for-us":
                holder.change_relevance(key, for_us=False, reason="elsewhere", actor=ME, on=day)
            else:
                holder.change_status(key, what, reason="said", actor=ME, on=day)
        except LedgerError:
            pass
        if number == cut:
            time.sleep(0.002)
            moment = datetime.now().astimezone()
            time.sleep(0.002)
    for ledger in ledgers.values():
        ledger.close()
    return moment


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ragw-national-") as path:
        yield Path(path)


def sessions(target: str) -> tuple[LedgerSession, Callable[[str], LedgerSession], list[Any]]:
    opened: list[LedgerSession] = []

    def open_org(org: str | None) -> LedgerSession:
        session = LedgerSession(
            target,
            ME,
            open_ledger=lambda _: open_ledger(target, create=False, org=org),
            org=org,
        )
        opened.append(session)
        return session

    return open_org(None), open_org, opened


def board_counts(target: str, day: date, known: datetime | None) -> dict[str, Any]:
    """What the boards show, counted item by item: by organisation and report, the
    items, their status words, verdicts and how many are not the force's."""
    register, open_org, opened = sessions(target)
    try:
        read = national_read(register, open_org, as_at=day, as_known_at=known)
    finally:
        for session in opened:
            session.close()
    counts: dict[tuple[str, str], Counter[str]] = {}
    for found in read.items:
        tally = counts.setdefault((found.org, found.item.report), Counter())
        tally["items"] += 1
        tally[status_word(found.item.status)] += 1
        tally[found.verdict.verdict.value if found.verdict else NO_VERDICT] += 1
        tally["not_for_the_force"] += found.item.not_for_the_force is not None
    return {key: +tally for key, tally in counts.items()}


def summary_counts(target: str, day: date, known: datetime | None, *, fold: bool) -> Any:
    register, open_org, opened = sessions(target)
    if fold:  # every organisation read as one whose reads fold

        def folding(org: str) -> LedgerSession:
            session = open_org(org)
            session.read_model = lambda: None  # type: ignore[method-assign]
            return session

        opener: Callable[[str], LedgerSession] = folding
    else:
        opener = open_org
    try:
        found = national_summary(register, opener, as_at=day, as_known_at=known)
    finally:
        for session in opened:
            session.close()
    counts: dict[tuple[str, str], Counter[str]] = {}
    for org in found.organisations:
        for report in org.reports:
            tally = Counter({"items": report.tally.items})
            tally.update(report.tally.statuses)
            tally.update(report.tally.verdicts)
            tally["not_for_the_force"] = report.tally.not_for_the_force
            counts[(org.member.code, report.code)] = +tally
    return {key: tally for key, tally in counts.items() if tally}, found


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(change, min_size=3, max_size=14).map(lambda c: sorted(c, key=lambda x: x[3])),
    cut=st.integers(0, 14),
    day=st.sampled_from(DAYS),
    as_known=st.booleans(),
)
@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_national_summary_counts_what_the_boards_show(
    request: pytest.FixtureRequest,
    folder: Path,
    store: str,
    changes: list[Any],
    cut: int,
    day: date,
    as_known: bool,
) -> None:
    number = next(_numbers)
    if store == "sqlite":
        target = str(folder / f"register{number}.db")
    else:
        server = request.getfixturevalue("postgres")
        target = server.create_database(f"ragw_national_{os.getpid()}_{number}")
    moment = build(target, changes, cut)
    known = moment if as_known else None
    # the day drawn, and one before the early verdict and the item it is on
    for asked in (date(2019, 10, 1), day):
        expected = board_counts(target, asked, known)  # every force's model now in step
        # and the inspectorate's, which the summary brings up to date
        counted, found = summary_counts(target, asked, known, fold=False)
        assert counted == expected
        if store == "postgres":  # so all were counted together, on one connection or two
            counted_here = count_in_step(target, FORCES, ["HMICFRS"], asked, known)
            assert set(counted_here.counted) == {*FORCES}
            with mock.patch.object(counts, "SHARED_FROM", 1):
                assert count_in_step(target, FORCES, ["HMICFRS"], asked, known) == counted_here
            # held to what HMICFRS issued, only WMP's planted item is named
            issued = [
                f"HMICFRS{counts.ISSUED_BY}{code}/{ref}"
                for code in ("FRAUD19", "CYBER20")
                for ref in REFS
            ]
            held = count_in_step(target, FORCES, ["HMICFRS"], asked, known, issued=issued)
            assert held.counted["COLP"].planted == []
            on_board = asked >= date(2019, 4, 2)
            assert held.counted["WMP"].planted == (["FRAUD19/99"] if on_board else [])
        assert summary_counts(target, asked, known, fold=True)[0] == expected
    # the totals add up the organisations, and the reports across them
    assert found.totals.items == sum(t["items"] for t in expected.values())
    assert sum(r.tally.items for r in found.reports) == found.totals.items
    # each force's own report OWN is its own; a national report once, whoever holds it
    assert [(r.issued_by, r.code) for r in found.reports if r.tally.items] == sorted(
        {("HMICFRS", code) for (_, code) in expected if code != "OWN"}
    ) + sorted({(org, "OWN") for (org, code) in expected if code == "OWN"})
