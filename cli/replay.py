"""``ragw replay``: an item's history, or a meeting's paper, step by step as recorded,
showing after each event what then stood; on a terminal, in a pager to step through."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from typing import Any

import click
from tabulate import tabulate

from cli.common import known_at_option, meeting_day, parse_day, parse_moment, refuse, session_of
from cli.reads import asked
from cli.render import dump_document, format_option
from ledger.exchange.cells import CsvLines, csv_row, markdown_paragraph, one_cell
from projections.committee.counts import COUNT_KEYS, NOT_ASSESSED
from projections.log import EventRecord, describe
from projections.replay import Step
from projections.usecases.replay import Replay, replay_item, replay_meeting

#: An item's fields shown after each step, as the board's JSON names them.
ITEM_FIELDS = ("status", "due", "overdue", "owner", "lead", "comment", "pending")
#: A paper's count columns, as the summary's totals print them.
COLUMNS = [
    (col, scope) for col in ("previous", "current") for scope in ("national", "force", "all")
]
HEADS = [f"{'Prev.' if col == 'previous' else 'Cur.'} {scope}" for col, scope in COLUMNS]


@click.command()
@click.argument("subject", nargs=-1, metavar="KEY | --meeting COMMITTEE DATE")
@click.option(
    "--meeting",
    is_flag=True,
    help="Replay the counts of the paper for COMMITTEE's meeting on DATE, not an item.",
)
@click.option(
    "--as-at",
    "as_at",
    default=None,
    metavar="DATE",
    help="An item's row as at this date (for KEY). Default: today.",
)
@known_at_option
@format_option
@click.pass_context
def replay(
    ctx: click.Context,
    subject: tuple[str, ...],
    meeting: bool,
    as_at: str | None,
    as_known_at: str | None,
    fmt: str,
) -> None:
    """Step through KEY's events in the order recorded, showing after each the item's
    board row as it then stood; or, with --meeting, every event that changed the counts
    of the paper for that meeting, with the counts just after it.

    A step's state is what the ledger held once that event was recorded (the board, or
    the summary, read as known at its recorded moment). For an item, every event is a
    step (its row is null while the item is not on the board as at --as-at). For a
    meeting, the steps are the events after which the paper's totals (NEW GREEN, AMBER,
    RED, NEW RED, WHITE, CLOSED, OUTSTANDING, by scope, for the meeting and the one
    before, as `ragw summary` counts them) differ from just before: most events of a
    national ledger move nothing on a given paper, and between two steps its counts are
    those of the earlier one. The paper comes into being with the event that adds the
    meeting (counts null before). --as-known-at stops the replay at that moment.

    JSON: {"key": KEY, "steps": [...]} or {"meeting": {"committee": CODE, "day": DATE},
    "steps": [...]}; each step {"event": ID, "recorded_at": ..., "state": ROW or
    {"previous": {...}, "current": {...}}}, a step a line. On a terminal, --format table
    opens a pager, a step a page-section: space moves on, q quits.

    \b
    Examples:
      ragw replay HATE18/6
      ragw replay HATE18/6 --as-at 2019-11-15 --format json
      ragw replay --meeting PRMSC 2019-11-15
      ragw replay --meeting PRMSC 2019-11-15 --as-known-at 2019-12-01T09:00:00Z --format json
    """
    known = parse_moment(as_known_at)
    if len(subject) != (2 if meeting else 1):
        refuse("give an item's KEY, or --meeting COMMITTEE DATE, to replay (one of the two)")
    if meeting:
        if as_at is not None:
            refuse("--as-at is for an item's replay; a meeting's counts are as at its date")
        committee, day = subject[0], meeting_day(subject[1])
        read = replay_meeting(session_of(ctx).uses, committee, day, as_known_at=known)
    else:
        day = parse_day(as_at, "--as-at") or date.today()
        read = replay_item(session_of(ctx).uses, subject[0], as_at=day, as_known_at=known)
    if fmt == "json":
        steps = [step.to_json() for step, _ in read.steps]
        click.echo(dump_document({**read.subject, "steps": steps}))
    elif fmt == "csv":
        _csv(read)
    elif fmt == "table" and on_terminal():
        click.echo_via_pager(_pages(read, fmt, day))
    else:
        for text in _pages(read, fmt, day):
            click.echo(text, nl=False)


def on_terminal() -> bool:
    """Whether a person reads the output: a pager then, never for a pipe or a file."""
    return sys.stdout.isatty()


def _pages(read: Replay, fmt: str, day: date) -> Iterator[str]:
    """The replay as text, a step a section, each ending with a newline."""
    subject = read.subject.get("key") or "the paper for {committee}'s meeting on {day}".format(
        **read.subject["meeting"]
    )
    heading = f"Replay of {subject}" + (
        f", rows as at {day.isoformat()}" if "key" in read.subject else ""
    )
    yield (f"## {one_cell(heading, True)}\n\n" if fmt == "md" else f"{heading}\n\n")
    shown: dict[str, Any] | None = None
    count = 0
    for count, (step, record) in enumerate(read.steps, start=1):
        title = (
            f"Step {count}: {step.id} {record.type}, on {record.on.isoformat()}, recorded "
            f"{record.recorded_at.isoformat(timespec='seconds')} by {record.by}"
        )
        # one paragraph, whatever a note holds: its line breaks would start a step of
        # their own in Markdown ("### Step 3 ... by the Chief Constable")
        details = (
            markdown_paragraph(describe(record))
            if fmt == "md"
            else one_cell(describe(record), False)
        )
        if fmt == "table":
            details = "\n".join(textwrap.wrap(details, 88)) or details
        text = (f"### {one_cell(title, True)}\n\n" if fmt == "md" else f"{title}\n") + details
        text += "\n\n"
        text += _state_table(step, shown, fmt, "key" in read.subject) + "\n"
        yield text + ("\n" if fmt == "md" else "-" * 72 + "\n")
        shown = step.state
    if not count:
        yield "(nothing to show)\n"


def _state_table(step: Step, shown: dict[str, Any] | None, fmt: str, item: bool) -> str:
    style = "github" if fmt == "md" else "simple"
    state = step.state
    if state is None:
        return (
            "not on the board as at that day" if item else "no paper: the meeting is not known yet"
        )
    if item:
        before = shown or {}
        rows = [
            [
                name,
                _cell(name, state, fmt),
                "changed" if before.get(name) != state.get(name) else "",
            ]
            for name in ITEM_FIELDS
        ]
        return tabulate(
            rows,
            headers=["field", "now", "this step"],
            tablefmt=style,
            disable_numparse=True,
            maxcolwidths=[None, 60, None] if fmt == "table" else None,
        )
    keys = [*COUNT_KEYS[:-1]]
    if any(NOT_ASSESSED in state[col][scope] for col, scope in COLUMNS):
        keys.append(NOT_ASSESSED)
    rows = [[k, *(state[col][scope].get(k, 0) for col, scope in COLUMNS)] for k in keys]
    rows.append(["Total Amber/Red/White", *(state[c][s][COUNT_KEYS[-1]] for c, s in COLUMNS)])
    return tabulate(rows, headers=["Status", *HEADS], tablefmt=style, disable_numparse=True)


def _cell(name: str, state: dict[str, Any], fmt: str) -> str:
    value = state.get(name)
    if name == "status":
        return value or NOT_ASSESSED
    if name == "overdue":
        return "OVERDUE" if value else ""
    if name == "pending":
        return asked(value)
    text = "" if value is None else str(value)
    return one_cell(text, fmt == "md") if fmt in ("md", "table") else text


def _csv(read: Replay) -> None:
    """One row a step for an item; a row a step, column and scope for a meeting."""
    writer = CsvLines(sys.stdout)
    about = ["step", "event", "type", "on", "recorded_at", "actor"]
    item = "key" in read.subject
    writer.writerow([*about, *ITEM_FIELDS] if item else [*about, "column", "scope", *COUNT_KEYS])
    for count, (step, record) in enumerate(read.steps, start=1):
        head = [count, step.id, record.type, record.on.isoformat(), _iso(record), record.by]
        state = step.state
        if item:
            writer.writerow(
                csv_row([*head, *(_cell(n, state, "csv") if state else "" for n in ITEM_FIELDS)])
            )
        elif state is None:
            writer.writerow(csv_row([*head, "", "", *([""] * len(COUNT_KEYS))]))
        else:
            for col, scope in COLUMNS:
                counts = state[col][scope]
                writer.writerow(csv_row([*head, col, scope, *(counts[k] for k in COUNT_KEYS)]))


def _iso(record: EventRecord) -> str:
    return record.recorded_at.isoformat(timespec="seconds")
