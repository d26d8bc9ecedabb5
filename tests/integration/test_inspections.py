"""The paper's "Inspections" and "Reports published": each inspection by its stage as at
each meeting, a report of an inspection taking its place, restricted reports by their
title only, and the same sections from the stored read model as from the fold of the
log, as known at any moment, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import io
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import Ledger, open_ledger
from ledger.errors import LedgerError
from projections.committee import appendix_of, paper_of, summary_of
from projections.committee.appendix import WITHHELD
from projections.committee.inspections import sections_of
from projections.recorded import Recorded
from projections.store import TimelineStore
from render.html import render_html

ME = "Strategic Development"
TODAY = date(2021, 6, 1)
DEC, MAR, JUN = date(2020, 12, 1), date(2021, 3, 30), date(2021, 6, 1)


def ledger_at(target: str, encryption_key: str | None = None) -> Ledger:
    ledger = open_ledger(target, create=True, encryption_key=encryption_key)
    ledger.today = lambda: TODAY  # type: ignore[method-assign]
    ledger.register_committee("JAC", name="Joint Audit Committee", actor=ME, on=DEC)
    for day in (DEC, MAR, JUN):
        ledger.schedule_meeting("JAC", day, actor=ME, on=DEC)
    return ledger


def record_inspections(ledger: Ledger) -> None:
    """Seed 002's inspections, a report of one of them, and seed 000's reports."""
    ledger.add_inspection(
        "CTCC",
        title="Counter Terrorism Command & Control",
        inspectorates=["HMICFRS"],
        fieldwork="2020-12-13..2020-12-15",
        debrief=date(2020, 12, 15),
        no_report=True,
        reason="the subject is sensitive",
        actor=ME,
        on=date(2020, 12, 15),
    )
    ledger.add_inspection(
        "CUSTODY",
        title="Custody",
        inspectorates=["HMI Prisons", "HMICFRS"],
        fieldwork="2021-02-06..2021-02-09",
        expected="2021-04",
        actor=ME,
        on=date(2021, 1, 10),
    )
    ledger.update_inspection(
        "CUSTODY",
        debrief=date(2021, 2, 10),
        expected="2021-05-20",
        reason="the draft went back to the inspectorate",
        actor=ME,
        on=date(2021, 4, 1),
    )
    ledger.add_inspection(
        "PEEL21",
        title="PEEL spring inspection",
        inspectorates=["HMICFRS"],
        fieldwork="2021-05-22..2021-05-25",
        actor=ME,
        on=date(2021, 3, 1),
    )
    ledger.register_report(
        "CUSTODYR",
        title="Custody in the force",
        scope="force",
        published=date(2021, 5, 20),
        inspectorates=["HMI Prisons", "HMICFRS"],
        makes=3,
        inspection="CUSTODY",
        actor=ME,
        on=date(2021, 5, 20),
    )
    ledger.register_report(
        "DIGITAL",
        title="Real lives, real crime",
        scope="national",
        published=date(2021, 5, 1),
        inspectorates=["HMICFRS"],
        makes=4,
        restricted=True,
        actor=ME,
        on=date(2021, 5, 1),
    )
    ledger.issue_recommendation(
        "DIGITAL",
        "1",
        kind="recommendation",
        text="Train every officer",
        actor=ME,
        on=date(2021, 5, 1),
    )
    ledger.register_report(
        "EFFICIENCY",
        title="PEEL Efficiency (outstanding)",
        scope="force",
        published=date(2021, 2, 1),
        makes=0,
        actor=ME,
        on=date(2021, 2, 1),
    )


def folded(ledger: Ledger, known_at: datetime | None = None) -> Recorded:
    return Recorded.of((e for _, e in ledger.read_log()), known_at)


def listed(recorded: Recorded, meeting: date) -> dict[str, Any]:
    sections = summary_of(recorded, "JAC", meeting).inspections
    return {
        "inspections": {line.code: (line.stage, line.report) for line in sections.inspections},
        "published": [line.code for line in sections.reports_published],
    }


def test_each_inspection_is_listed_by_its_stage_as_at_each_meeting(target: str) -> None:
    ledger = ledger_at(target)
    try:
        record_inspections(ledger)
        recorded = folded(ledger)
        assert listed(recorded, DEC) == {"inspections": {}, "published": []}
        assert listed(recorded, MAR) == {
            "inspections": {
                "CTCC": ("debriefed", "no report will be published"),
                # expected in April as at March: the later date took effect on 1 April
                "CUSTODY": ("completed", "report expected April 2021"),
                "PEEL21": ("to come", "report date not yet known"),
            },
            "published": ["EFFICIENCY"],
        }
        # CTCC had nothing more to say after March; CUSTODY's report took its place
        assert listed(recorded, JUN) == {
            "inspections": {"PEEL21": ("completed", "report date not yet known")},
            "published": ["DIGITAL", "CUSTODYR"],
        }
        during = sections_of(recorded, date(2021, 5, 23), MAR).inspections
        assert [(line.code, line.stage) for line in during][-1] == ("PEEL21", "in progress")
    finally:
        ledger.close()


def test_a_restricted_report_is_shown_by_its_title_only_unless_asked_for_in_full(
    target: str,
) -> None:
    ledger = ledger_at(target)
    try:
        record_inspections(ledger)
        recorded = folded(ledger)
        (digital, report) = summary_of(recorded, "JAC", JUN).inspections.reports_published
        assert (digital.withheld, digital.makes, digital.inspectorates) == (True, None, [])
        assert (report.inspection, report.makes, report.withheld) == ("CUSTODY", 3, False)
        item = next(
            r for r in appendix_of(recorded, "JAC", JUN).reports if r.report.code == "DIGITAL"
        )
        assert [i.text for i in item.items] == [WITHHELD]
        full = paper_of(recorded, "JAC", JUN, include_restricted=True)
        (digital, _) = full.summary.inspections.reports_published
        assert (digital.withheld, digital.makes, digital.restricted) == (False, 4, True)
        shown = next(r for r in full.appendix.reports if r.report.code == "DIGITAL")
        assert [i.text for i in shown.items] == ["Train every officer"]
        page = render_html(paper_of(recorded, "JAC", JUN))
        assert "Train every officer" not in page and "restricted: circulated" in page
        assert "Train every officer" in render_html(full)
    finally:
        ledger.close()


def test_a_paper_with_no_inspection_and_no_report_in_its_period_prints_no_such_section(
    target: str,
) -> None:
    ledger = ledger_at(target)
    try:
        page = render_html(paper_of(folded(ledger), "JAC", MAR))
        assert 'id="inspections"' not in page and 'id="reports-published"' not in page
        document = summary_of(folded(ledger), "JAC", MAR).to_json()
        assert (document["inspections"], document["reports_published"]) == ([], [])
    finally:
        ledger.close()


def test_the_paper_as_known_at_an_earlier_moment_does_not_list_an_inspection_recorded_later(
    target: str,
) -> None:
    ledger = ledger_at(target)
    store = TimelineStore(ledger, target)
    try:
        ledger.add_inspection(
            "FIRST",
            title="First",
            inspectorates=["HMICFRS"],
            fieldwork="2021-01-04..2021-01-05",
            actor=ME,
            on=date(2021, 1, 5),
        )
        time.sleep(0.01)
        between = datetime.now(UTC)
        time.sleep(0.01)
        ledger.add_inspection(
            "LATER",
            title="Later",
            inspectorates=["HMICFRS"],
            fieldwork="2021-01-11..2021-01-12",
            actor=ME,
            on=date(2021, 1, 12),
        )
        for recorded in (Recorded.stored(store, between), folded(ledger, between)):
            assert list(listed(recorded, MAR)["inspections"]) == ["FIRST"]
        for recorded in (Recorded.stored(store), folded(ledger)):
            assert list(listed(recorded, MAR)["inspections"]) == ["FIRST", "LATER"]
    finally:
        store.close()
        ledger.close()


def test_an_inspection_without_a_report_recorded_after_the_last_meeting_is_on_the_next_paper(
    target: str,
) -> None:
    ledger = ledger_at(target)
    store = TimelineStore(ledger, target)
    try:
        for code, on in (("KNOWN", DEC), ("LATE", date(2021, 2, 1))):
            ledger.add_inspection(
                code,
                title=code.title(),
                inspectorates=["HMICFRS"],
                fieldwork="2020-11-02..2020-11-05",
                no_report=True,
                reason="the subject is sensitive",
                actor=ME,
                on=on,
            )
        ledger.add_inspection(
            "MOVED",
            title="Moved",
            inspectorates=["HMICFRS"],
            fieldwork="2020-11-02..2020-11-05",
            expected="2021-01",
            actor=ME,
            on=DEC,
        )
        ledger.update_inspection(
            "MOVED", no_report=True, reason="withdrawn", actor=ME, on=date(2021, 2, 1)
        )
        for recorded in (Recorded.stored(store), folded(ledger)):
            assert list(listed(recorded, DEC)["inspections"]) == ["KNOWN", "MOVED"]
            assert list(listed(recorded, MAR)["inspections"]) == ["LATE", "MOVED"]
            assert list(listed(recorded, JUN)["inspections"]) == []
    finally:
        store.close()
        ledger.close()


def test_the_read_model_gives_the_sections_the_fold_gives_as_known_at_every_moment(
    target: str,
) -> None:
    ledger = ledger_at(target)
    store = TimelineStore(ledger, target)
    try:
        record_inspections(ledger)
        # every moment from the last meeting's (the committee and its 3 meetings come first)
        moments = [None, *(e.timestamp for n, e in ledger.read_log() if n >= 4)]
        for known_at in moments:
            kept, fold = Recorded.stored(store, known_at), folded(ledger, known_at)
            for meeting in (DEC, MAR, JUN):
                assert (
                    summary_of(kept, "JAC", meeting).printable()
                    == summary_of(fold, "JAC", meeting).printable()
                )
        assert store.reports()["DIGITAL"].restricted
        assert store.reports()["CUSTODYR"].inspection == "CUSTODY"
    finally:
        store.close()
        ledger.close()


days = st.integers(0, 180).map(lambda n: DEC + timedelta(days=n))
actions = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 3), days, st.integers(0, 20), st.booleans()),
        st.tuples(st.just("move"), st.integers(0, 3), days, st.integers(0, 60), st.booleans()),
        st.tuples(st.just("report"), st.integers(0, 3), days, st.integers(0, 3), st.booleans()),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=actions, encrypted=st.booleans(), data=st.data())
def test_the_sections_from_the_read_model_are_the_folds_for_any_history(
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[tuple[Any, ...]],
    encrypted: bool,
    data: st.DataObject,
) -> None:
    """Any inspections, moved dates and reports of them (restricted or not), each taking
    effect on any day: the stored model (an encrypted ledger's sealed) and the fold give
    the same paper, at every meeting, as known at any moment. On SQLite; the test above
    covers PostgreSQL."""
    target = str(tmp_path_factory.mktemp("any") / f"{uuid.uuid4().hex}.db")
    ledger = ledger_at(target, AESCipher.create_key(32) if encrypted else None)
    store = TimelineStore(ledger, target)
    try:
        for kind, n, day, span, flag in steps:
            code, on = f"I{n}", min(day, TODAY)
            with contextlib.suppress(LedgerError):
                if kind == "add":
                    ledger.add_inspection(
                        code,
                        title=code,
                        inspectorates=["HMICFRS"],
                        fieldwork=f"{day}..{day + timedelta(days=span)}",
                        expected=None if flag else (day + timedelta(days=60)).isoformat()[:7],
                        no_report=flag,
                        reason="sensitive" if flag else None,
                        actor=ME,
                        on=on,
                    )
                elif kind == "move":
                    ledger.update_inspection(
                        code,
                        debrief=day if flag else None,
                        expected=None if flag else (day + timedelta(days=span)).isoformat(),
                        reason="moved",
                        actor=ME,
                        on=on,
                    )
                else:
                    ledger.register_report(
                        f"R{n}{span}",
                        title="Report",
                        scope="force",
                        published=on,
                        makes=span,
                        restricted=flag,
                        inspection=code if span else None,
                        actor=ME,
                        on=on,
                    )
        moments = [None, *(e.timestamp for n, e in ledger.read_log() if n >= 4)]
        for known_at in data.draw(st.lists(st.sampled_from(moments), min_size=1, max_size=3)):
            kept, fold = Recorded.stored(store, known_at), folded(ledger, known_at)
            for meeting in (DEC, MAR, JUN):
                for full in (False, True):
                    assert paper_of(kept, "JAC", meeting, include_restricted=full).to_json() == (
                        paper_of(fold, "JAC", meeting, include_restricted=full).to_json()
                    )
    finally:
        store.close()
        ledger.close()


def headings(paper: Any) -> list[str]:
    import docx

    from render.docx import write_docx

    written = io.BytesIO()
    write_docx(paper, written)
    document = docx.Document(io.BytesIO(written.getvalue()))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_the_word_paper_and_the_terminal_print_each_section_only_when_it_lists_something(
    target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.paper_tables import summary_output
    from cli.render import emit

    ledger = ledger_at(target)
    try:
        empty = headings(paper_of(folded(ledger), "JAC", MAR))
        assert "Inspections" not in empty and not any("published" in h for h in empty)
        record_inspections(ledger)
        found = headings(paper_of(folded(ledger), "JAC", JUN))
        exceptions, appendix = (
            found.index("Exceptions for the committee"),
            found.index("Appendix: progress on every open recommendation"),
        )
        assert found[exceptions + 1 : appendix][-2:] == [
            "Inspections",
            "Reports published since the previous meeting",
        ]
        emit(summary_output(summary_of(folded(ledger), "JAC", JUN)), "md")
        printed = capsys.readouterr().out
        assert "## Inspections\n" in printed and "| PEEL21: PEEL spring inspection" in printed
        assert "restricted: circulated but not for publication" in printed
    finally:
        ledger.close()
