"""Any combination of the log's filters lists exactly the events a plain filter over
the whole log (`log --format json`) gives, in the same order and shape; and a log
printed a page at a time is the table printed whole, byte for byte."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli.streamed
from cli.render import Output, emit
from cli.streamed import emit_rows
from tests.cli.test_auditors_reads import Clock, as_, clock  # noqa: F401 (fixtures)

ACTORS = ["Alice Smith", "alice  smith", "Bob Jones", "Carol"]
DAYS = ["2019-09-02", "2019-09-20", "2019-10-01", "2019-10-15", "2019-11-20", "2019-12-01"]


def a_year(clock: Clock, as_: Any) -> None:  # noqa: F811 (the fixtures, passed on)
    """Two reports, three items, changes by several actors on several recording days,
    a correction among them."""
    clock.set(DAYS[0])
    for code in ("R", "S", "R2"):  # R2: a code another begins
        as_(
            "Gov",
            "report",
            "add",
            code,
            "--title",
            code,
            "--scope",
            "force",
            "--published",
            "2019-09-01",
        )
    for key in ("R/1", "R/2", "S/1"):
        code, ref = key.split("/")
        as_("Gov", "rec", "add", code, ref, "--kind", "afi", "--text", key, "--on", "2019-09-01")
    statuses = ["AMBER", "RED", "WHITE", "AMBER"]
    for step, day in enumerate(DAYS[1:]):
        clock.set(day, hour=6 + 3 * step)
        for n, key in enumerate(("R/1", "R/2", "S/1")):
            actor = ACTORS[(step + n) % len(ACTORS)]
            on = DAYS[(step + n) % (step + 1)]
            if (step + n) % 3 == 0:
                as_(actor, "note", key, f"note {step}", "--on", on)
            else:
                as_(actor, "status", key, statuses[(step + n) % 4], "--reason", "r", "--on", on)
    as_("Carol", "correct", "R/2@2", "--reason", "wrong item")


def plainly(event: dict[str, Any], options: dict[str, Any]) -> bool:
    """The filters written as simply as possible, over the JSON the log prints."""
    fold = lambda name: " ".join(name.split()).casefold()  # noqa: E731
    recorded = datetime.fromisoformat(event["recorded_at"])
    checks = [
        "actor" not in options
        or fold(options["actor"]) in {fold(event["actor"]), fold(event.get("acting_for") or "")},
        "key" not in options or event["key"] == options["key"],
        "report" not in options
        or event["key"] == options["report"]
        or event["key"].startswith(options["report"] + "/"),
        "type" not in options or event["type"] in options["type"],
        "from" not in options or recorded >= options["from"][1],
        "to" not in options or recorded <= options["to"][1],
        "on-from" not in options or event["on"] >= options["on-from"],
        "on-to" not in options or event["on"] <= options["on-to"],
    ]
    return all(checks)


def moments(day: str) -> list[tuple[str, datetime]]:
    """Ways to write a bound on recording time: a date, or moments around noon UTC."""
    start = datetime.fromisoformat(f"{day}T00:00:00").astimezone()
    return [
        (day, start),
        (f"{day}T12:00:00Z", datetime.fromisoformat(f"{day}T12:00:00+00:00")),
        (f"{day}T23:00:00+00:00", datetime.fromisoformat(f"{day}T23:00:00+00:00")),
    ]


filters = st.fixed_dictionaries(
    {},
    optional={
        "actor": st.sampled_from([*ACTORS, "ALICE SMITH", "Gov", "Nobody"]),
        "key": st.sampled_from(["R/1", "R/2", "S/1", "R", "X/1"]),
        "report": st.sampled_from(["R", "S", "X"]),
        "type": st.sets(
            st.sampled_from(["StatusChanged", "ProgressNoted", "EventCorrected", "PaperIssued"]),
            min_size=1,
            max_size=3,
        ),
        "from": st.sampled_from(DAYS).flatmap(lambda d: st.sampled_from(moments(d))),
        "to": st.sampled_from(DAYS).flatmap(lambda d: st.sampled_from(moments(d))),
        "on-from": st.sampled_from(["2019-09-01", *DAYS]),
        "on-to": st.sampled_from(["2019-09-01", *DAYS]),
    },
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(options=filters)
def test_any_combination_of_log_filters_lists_what_a_plain_filter_of_the_log_lists(
    clock: Clock,  # noqa: F811
    as_: Any,  # noqa: F811
    options: dict[str, Any],
) -> None:
    if not built:
        a_year(clock, as_)
        built.append(json.loads(as_("Auditor", "log", "--format", "json"))["events"])
    everything = built[0]
    args: list[str] = []
    for name, value in options.items():
        if name == "type":
            for each in value:
                args += ["--type", each.lower()]
        elif name in ("from", "to"):
            args += [f"--{name}", value[0]]
        else:
            args += [f"--{name}", value]
    if "to" in options and len(options["to"][0]) == 10:  # a date bound takes its whole day
        day = date.fromisoformat(options["to"][0])
        options["to"] = (None, datetime.combine(day, datetime.max.time()).astimezone())
    listed = json.loads(as_("Auditor", "log", *args, "--format", "json"))["events"]
    assert listed == [event for event in everything if plainly(event, options)]


built: list[Any] = []


@pytest.fixture(autouse=True)
def _fresh_ledger_per_test() -> None:
    built.clear()


cells = st.text(alphabet=st.sampled_from("ab -|é"), max_size=80)
#: A row's first cell is never blank, as an event's id never is (tabulate drops a blank
#: row from a table whose other rows wrap, and keeps it in one whose rows do not).
ids = st.text(alphabet=st.sampled_from("aé@/1"), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(ids, cells, cells).map(list), max_size=9),
    fmt=st.sampled_from(["table", "md", "csv"]),
)
def test_a_table_printed_a_page_at_a_time_is_the_table_printed_whole(
    rows: list[list[str]], fmt: str
) -> None:
    columns = ["id", "a longer heading", "details"]
    whole, paged = io.StringIO(), io.StringIO()
    out = sys.stdout
    page = cli.streamed.PAGE
    try:
        sys.stdout = whole
        emit(Output(document=None, columns=columns, rows=rows, wrap={"details": 12}), fmt)
        sys.stdout = paged
        cli.streamed.PAGE = 2
        emit_rows(columns, lambda: iter(rows), fmt, wrap={"details": 12})
    finally:
        sys.stdout = out
        cli.streamed.PAGE = page
    assert paged.getvalue() == whole.getvalue()
