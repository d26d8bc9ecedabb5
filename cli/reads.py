"""Reads of the board and of the events: the board (and its sign-off queue), an item's
history, the whole log. Each parses its options, calls one use case and renders."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import click

from cli.audit import recorded_moment
from cli.common import parse_day, parse_moment, refuse, session_of
from cli.render import Output, emit, emit_json_rows, format_option
from cli.streamed import emit_json_lines, emit_rows
from ledger.state import asks_for
from projections.board import BOARD_STATUSES
from projections.log import describe
from projections.rows import NOT_ASSESSED
from projections.text import compact
from projections.usecases.board import board as board_read
from projections.usecases.board import status_named
from projections.usecases.events import LogFilter, event_types, log_of
from projections.usecases.events import history as history_read
from projections.usecases.verdicts import OwnVerdicts, own_verdicts


@click.command()
@click.option(
    "--as-at",
    "as_at",
    default=None,
    metavar="DATE",
    help="The board as it stood on this date. Default: today.",
)
@click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    metavar="DATETIME",
    help="Only what had been recorded by this moment (ISO 8601).",
)
@click.option(
    "--report", "report_code", default=None, metavar="CODE", help="Only this report's items."
)
@click.option("--owner", default=None, metavar="ROLE", help="Only this owner's items.")
@click.option(
    "--status",
    "status_filter",
    default=None,
    metavar="STATUS",
    help="Only items with this status (GREEN, AMBER, RED, WHITE, CLOSED, 'NOT ASSESSED').",
)
@click.option(
    "--overdue", is_flag=True, help="Only items past their due date and not GREEN, WHITE or CLOSED."
)
@click.option("--pending", is_flag=True, help="Only items with a request awaiting sign-off.")
@format_option
@click.pass_context
def board(
    ctx: click.Context,
    as_at: str | None,
    as_known_at: str | None,
    report_code: str | None,
    owner: str | None,
    status_filter: str | None,
    overdue: bool,
    pending: bool,
    fmt: str,
) -> None:
    """The RAGW board: every item's status and due date.

    \b
    Examples:
      ragw board
      ragw board --as-at 2019-11-01 --report PEEL1819
      ragw board --as-at 2019-11-01 --as-known-at 2019-11-05T09:00:00Z --format json
      ragw board --overdue
      ragw board --pending
    """
    day = parse_day(as_at, "--as-at") or date.today()
    known = parse_moment(as_known_at)
    wanted = None
    if status_filter:
        wanted = status_named(status_filter)
        if wanted is None:
            refuse(
                f"--status {status_filter!r} is not known; use one of {', '.join(BOARD_STATUSES)}"
            )
    session = session_of(ctx)
    read = board_read(
        session.uses,
        as_at=day,
        as_known_at=known,
        report=report_code,
        owner=owner,
        status=wanted,
        overdue=overdue,
        pending=pending,
    )
    verdicts = own_verdicts(session.uses, session.other, as_at=day, as_known_at=known)
    if fmt == "json":  # streamed: a national board prints in constant memory
        head: dict[str, Any] = {
            "as_at": day.isoformat(),
            "as_known_at": known.isoformat() if known else None,
        }
        if verdicts.unread:
            head["verdicts_unread"] = list(verdicts.unread)
        emit_json_rows(head, "items", with_verdicts(read.lines, verdicts))
        return
    listed = read.listed()
    shown, waiting, counts = listed.items, listed.pending, listed.counts
    known_text = f"as known at {known.isoformat()}" if known else "as known now"
    columns = ["key", "kind", "status", "due", "overdue", "owner"]
    if waiting:
        columns.append("pending sign-off")
    # an item not for the force, or superseded, is no outstanding work: say so beside it
    elsewhere = any(i.not_for_the_force is not None for i in shown)
    carried = any(i.superseded_by for i in shown)
    columns += ["not for the force"] * elsewhere + ["superseded by"] * carried
    # the inspectorate's verdict, beside the force's own status: never instead of it
    judged = any(i.key in verdicts.by_key for i in shown)
    columns += ["verdict"] * judged
    footer = "  ".join(f"{name}: {n}" for name, n in sorted(counts.items())) or None
    if verdicts.unread:
        footer = f"{footer or ''}\nVerdicts not shown: this login may not read " + (
            ", ".join(verdicts.unread) + "'s ledger"
        )
    emit(
        Output(
            document=None,
            columns=columns,
            rows=[
                [
                    i.key,
                    i.kind,
                    i.status or NOT_ASSESSED,
                    i.due,
                    "OVERDUE" if i.overdue else "",
                    i.owner,
                    *([asked(i.pending)] if waiting else []),
                    *([not_for_the_force(i.not_for_the_force)] if elsewhere else []),
                    *([i.superseded_by or ""] if carried else []),
                    *([verdict_cell(verdicts, i.key)] if judged else []),
                ]
                for i in shown
            ],
            title=f"Board as at {day.isoformat()}, {known_text}: {len(shown)} item"
            + ("" if len(shown) == 1 else "s"),
            footer=footer,
        ),
        fmt,
    )


def verdict_cell(verdicts: OwnVerdicts, key: str) -> str:
    shown = verdicts.by_key.get(key)
    return shown.cell() if shown is not None else ""


def with_verdicts(lines: Iterable[str], verdicts: OwnVerdicts) -> Iterator[str]:
    """The board's JSON lines, each item the inspectorate gave a verdict on with it
    (``verdict``: what, by whom, from when, why); the rest as they are."""
    if not verdicts.by_key:
        yield from lines
        return
    for line in lines:
        document = json.loads(line)
        shown = verdicts.by_key.get(document["key"])
        if shown is None:
            yield line
        else:
            yield compact({**document, "verdict": shown.to_json()})


def not_for_the_force(said: dict[str, str] | None) -> str:
    """Why an item is not the force's, and since when, in a board's cell."""
    if said is None:
        return ""
    return f"{said['reason']} (since {said['on']})"


def asked(pending: dict[str, Any] | None) -> str:
    """What a request pending sign-off asks for, in a board's cell."""
    if pending is None:
        return ""
    return f"{asks_for(pending['request'], pending['due'])} (since {pending['on']})"


@click.command()
@click.argument("key")
@format_option
@click.pass_context
def history(ctx: click.Context, key: str, fmt: str) -> None:
    """Every event of KEY, in the order recorded, corrections included.

    \b
    Example:
      ragw history PEEL1819/4
    """
    session = session_of(ctx)
    read = history_read(session.uses, key)  # refuses unknown keys
    records, state = read.records, read.state
    footer = None
    document: dict[str, Any] = {
        "key": read.key,
        "events": [r.to_json(with_key=False) for r in records],
    }
    if state is not None:
        extended = len(state.extensions)
        footer = (
            f"Now {state.status.value if state.status else 'NOT ASSESSED'}; "
            f"original due {state.original_due or 'not set'}, current due {state.due or 'not set'}"
            f", extended {extended} time{'s' if extended != 1 else ''}"
        )
        # the inspectorate's verdict in effect today, beside the force's own status
        shown = own_verdicts(session.uses, session.other, as_at=date.today()).by_key.get(read.key)
        if shown is not None:
            document["verdict"] = shown.to_json()
            footer += (
                f"\nVerdict of {shown.by}: {shown.given.verdict.value} from "
                f"{shown.given.on.isoformat()}: {shown.given.reason}"
            )
    emit(
        Output(
            document=document,
            columns=["id", "on", "type", "details", "recorded at", "actor", "corrected by"],
            rows=[
                [
                    r.id,
                    r.on,
                    r.type,
                    describe(r),
                    r.recorded_at.isoformat(timespec="seconds"),
                    r.by,
                    r.corrected_by,
                ]
                for r in records
            ],
            title=f"History of {read.key}",
            footer=footer,
            wrap={"details": 60},
        ),
        fmt,
    )


@click.command()
@click.option(
    "--actor",
    "actor",
    default=None,
    metavar="NAME",
    help="Only events NAME recorded, or recorded for NAME (an owner whose update sheet "
    "someone applied); names match whatever their case and spacing.",
)
@click.option("--key", default=None, metavar="KEY", help="Only the events of KEY, e.g. PEEL1819/4.")
@click.option(
    "--report",
    "report_code",
    default=None,
    metavar="CODE",
    help="Only the events of report CODE and of its items.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only events of TYPE (as the log names them, e.g. StatusChanged); repeat for more.",
)
@click.option(
    "--from",
    "recorded_from",
    default=None,
    metavar="WHEN",
    help="Only events recorded at or after WHEN: a date (from the start of that day, "
    "local time) or an ISO 8601 moment.",
)
@click.option(
    "--to",
    "recorded_to",
    default=None,
    metavar="WHEN",
    help="Only events recorded at or before WHEN: a date (to the end of that day, local "
    "time) or an ISO 8601 moment.",
)
@click.option(
    "--on-from",
    "on_from",
    default=None,
    metavar="DATE",
    help="Only events that took effect on or after DATE.",
)
@click.option(
    "--on-to", "on_to", default=None, metavar="DATE", help="Only events that took effect by DATE."
)
@format_option
@click.pass_context
def log(
    ctx: click.Context,
    actor: str | None,
    key: str | None,
    report_code: str | None,
    types: tuple[str, ...],
    recorded_from: str | None,
    recorded_to: str | None,
    on_from: str | None,
    on_to: str | None,
    fmt: str,
) -> None:
    """Every event in the ledger, in the order recorded; the filters given narrow it
    (each to events that pass all of them). --from and --to are about when an event was
    recorded, --on-from and --on-to about the day it took effect. Printed as it is
    read, in any format, however long the log.

    \b
    Examples:
      ragw log
      ragw log --format json > events.json
      ragw log --actor "Alice Smith" --from 2019-10-01 --to 2019-12-31
      ragw log --report PEEL1819 --type StatusChanged --type DeadlineExtended
      ragw log --key PEEL1819/4 --on-from 2019-01-01 --on-to 2019-06-30
      ragw log --from 2019-11-15T09:00:00Z --format csv > since-the-meeting.csv
    """
    filters = LogFilter(
        actor=actor,
        key=key.strip() if key else None,
        report=report_code.strip() if report_code else None,
        types=event_types(types),
        recorded_from=recorded_moment(recorded_from, "--from", end=False),
        recorded_to=recorded_moment(recorded_to, "--to", end=True),
        on_from=parse_day(on_from, "--on-from"),
        on_to=parse_day(on_to, "--on-to"),
    )
    read = log_of(session_of(ctx).uses, filters)
    if fmt == "json":
        emit_json_lines("events", (r.to_json() for r in read.records()))
        return
    emit_rows(
        ["id", "type", "on", "recorded at", "actor", "details"],
        lambda: (
            [r.id, r.type, r.on, r.recorded_at.isoformat(timespec="seconds"), r.by, describe(r)]
            for r in read.records()
        ),
        fmt,
        wrap={"details": 60},
    )
