"""The national views, under ``ragw national``: the national board of one report and
the national summary. Each checks who may read them, opens every organisation's ledger
as ``--org`` would (same store, same key), calls one use case, renders and closes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from cli.common import parse_day, parse_moment, session_of
from cli.render import Output, emit, format_option
from ledger.errors import ForbiddenError

if TYPE_CHECKING:
    from projections.usecases import LedgerSession
    from projections.usecases.national_summary import Tally
    from projections.usecases.national_views import NationalCell

#: The kinds of organisation whose users read the national views (and the store's
#: owner, without --org).
READERS = ("inspectorate", "pcc")

as_at_option = click.option(
    "--as-at",
    "as_at",
    default=None,
    metavar="DATE",
    help="As things stood on this date. Default: today.",
)
as_known_at_option = click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    metavar="DATETIME",
    help="Only what had been recorded by this moment (ISO 8601), in every ledger.",
)


@contextmanager
def national_sessions(
    ctx: click.Context, command: str
) -> Iterator[tuple[LedgerSession, Callable[[str], LedgerSession]]]:
    """The store's register and a way to open each organisation's ledger, as the
    session's own is opened (its store, its key, its actor); every ledger opened here is
    closed when the read is done. Refused when the session's organisation is not one
    whose users read the national views."""
    session = session_of(ctx)
    if session.org is not None:
        ledger = session.ledger(write=False)
        if ledger.kind() not in READERS:
            raise ForbiddenError(
                f"`ragw national {command}` is for an inspectorate's or a PCC's users, or "
                f"the store's owner (without --org); {ledger.identity_text()} is not one: "
                f"read its own items with `ragw --org {session.org} board`"
            )
    # each ledger opened here is closed with the session (and by the reads as they go)
    yield session.other(None), session.other


def _known_text(known: Any) -> str:
    return f"as known at {known.isoformat()}" if known else "as known now"


@click.command("board")
@click.option("--report", "report_code", required=True, metavar="CODE", help="The report.")
@as_at_option
@as_known_at_option
@format_option
@click.pass_context
def national_board(
    ctx: click.Context, report_code: str, as_at: str | None, as_known_at: str | None, fmt: str
) -> None:
    """Each recommendation of report CODE, with every organisation's status and the
    inspectorate's verdict on it: a row per recommendation (as the report numbers
    them), a column per organisation holding the report ("GREEN · accepted").

    The status is the organisation's own board's (NOT ASSESSED before the first); a
    superseded item says by what, an item not for the force says so. JSON gives each
    organisation's status and verdict, with the verdict's reason and day, the due date
    and the rest beside them; CSV a row per organisation and recommendation. For an
    inspectorate's or a PCC's users (--org), or the store's owner (no --org).

    \b
    Examples:
      ragw --org HMICFRS national board --report FRAUD19
      ragw --org HMICFRS national board --report FRAUD19 --as-at 2019-11-15 --format json
      ragw national board --report FRAUD19 --as-known-at 2020-01-31T17:00:00Z --format csv
    """
    from projections.usecases.national_views import national_board as board_read

    day = parse_day(as_at, "--as-at") or date.today()
    known = parse_moment(as_known_at)
    with national_sessions(ctx, "board") as (register, open_org):
        read = board_read(register, open_org, report=report_code, as_at=day, as_known_at=known)
    orgs = read.organisations
    long_rows = [
        [row.key, row.ref, org, *_cell_values(cell)]
        for row in read.rows
        for org, cell in row.cells.items()
    ]
    emit(
        Output(
            document=read.to_json(),
            columns=["ref", *orgs],
            rows=[
                [row.ref, *(_cell_text(row.cells.get(org)) for org in orgs)] for row in read.rows
            ],
            title=f"{read.report.code} ({' '.join(read.report.title.split())}) as at "
            f"{day.isoformat()}, "
            f"{_known_text(known)}: {len(read.rows)} recommendation"
            + ("" if len(read.rows) == 1 else "s"),
            csv=Output(
                document=None,
                columns=[
                    "key",
                    "ref",
                    "organisation",
                    "status",
                    "verdict",
                    "verdict_reason",
                    "verdict_on",
                    "due",
                    "overdue",
                    "not_for_the_force",
                    "superseded_by",
                ],
                rows=long_rows,
            ),
        ),
        fmt,
    )


def _cell_text(cell: NationalCell | None) -> str:
    """An organisation's item in a table's cell: ``GREEN · accepted``; blank when it
    does not hold the item."""
    if cell is None:
        return ""
    text = cell.status
    if cell.item.superseded_by:
        text += f" (superseded by {cell.item.superseded_by})"
    if cell.item.not_for_the_force is not None:
        text += " (not for the force)"
    return f"{text} · {cell.verdict.verdict.value}" if cell.verdict else text


def _cell_values(cell: NationalCell) -> list[Any]:
    said = cell.to_json()
    elsewhere = said["not_for_the_force"]
    return [
        said["status"],
        said["verdict"],
        said["verdict_reason"],
        said["verdict_on"],
        said["due"],
        said["overdue"],
        elsewhere["reason"] if elsewhere else None,
        said["superseded_by"],
    ]


@click.command("summary")
@as_at_option
@as_known_at_option
@format_option
@click.pass_context
def national_summary(
    ctx: click.Context, as_at: str | None, as_known_at: str | None, fmt: str
) -> None:
    """Every organisation's items counted by status and by the inspectorate's
    verdict: per organisation, and per report (a national report once, across every
    organisation holding it), with the totals.

    The table and Markdown print two tables (by organisation, by report); CSV a row per
    organisation and report; JSON the organisations (each with its reports), the
    reports and the totals. For an inspectorate's or a PCC's users (--org), or the
    store's owner (no --org).

    \b
    Examples:
      ragw --org HMICFRS national summary
      ragw --org HMICFRS national summary --as-at 2019-11-15 --format json
      ragw national summary --format csv > national.csv
    """
    from projections.rows import BOARD_STATUSES
    from projections.usecases.national_summary import VERDICT_WORDS
    from projections.usecases.national_summary import national_summary as summary_read

    day = parse_day(as_at, "--as-at") or date.today()
    known = parse_moment(as_known_at)
    with national_sessions(ctx, "summary") as (register, open_org):
        read = summary_read(register, open_org, as_at=day, as_known_at=known)
    if fmt == "json":  # the document alone: no table is made
        emit(Output(document=read.to_json(), columns=[], rows=[]), fmt)
        return
    verdict_columns = [w if w != "none" else "no verdict" for w in VERDICT_WORDS]
    counted = ["items", *BOARD_STATUSES, *verdict_columns, "not for the force"]

    def counts(tally: Tally) -> list[int]:
        return [
            tally.items,
            *(tally.statuses[w] for w in BOARD_STATUSES),
            *(tally.verdicts[w] for w in VERDICT_WORDS),
            tally.not_for_the_force,
        ]

    total = read.totals
    emit(
        Output(
            document=None,
            columns=["organisation", "kind", *counted],
            rows=[[o.member.code, o.member.kind, *counts(o.tally)] for o in read.organisations],
            title=f"National summary as at {day.isoformat()}, {_known_text(known)}: by "
            "organisation",
            footer=f"Total: {total.items} item" + ("" if total.items == 1 else "s") + " in "
            f"{len(read.organisations)} organisation"
            + ("" if len(read.organisations) == 1 else "s"),
            then=[
                Output(
                    document=None,
                    columns=["report", "issued by", "scope", "organisations", *counted],
                    rows=[
                        [
                            r.code,
                            r.issued_by,
                            r.scope,
                            len(r.holders),
                            *counts(r.tally),
                        ]
                        for r in read.reports
                    ],
                    title="By report",
                )
            ],
            csv=Output(
                document=None,
                columns=[
                    "organisation",
                    "report",
                    "issued_by",
                    "scope",
                    "items",
                    *BOARD_STATUSES,
                    *VERDICT_WORDS,
                    "not_for_the_force",
                ],
                rows=[
                    [o.member.code, r.code, r.issued_by, r.scope, *counts(r.tally)]
                    for o in read.organisations
                    for r in o.reports
                ],
            ),
        ),
        fmt,
    )
