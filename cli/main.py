"""``ragw``: the command line over :class:`ledger.Ledger`.

Each command parses its input, calls one ledger method and renders the result.
Refusals from the ledger become one ``Error:`` line and exit status 1, once, here.
"""

from __future__ import annotations

import getpass
import os
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import click

from cli.common import (
    DEFAULT_DB,
    LedgerGroup,
    Session,
    link_option,
    on_option,
    parse_day,
    parse_moment,
    progress,
    record,
    refuse,
    session_of,
)
from cli.exchange import apply, export, import_tracker, requests, restore
from cli.papers import register
from cli.render import Output, emit, format_option
from ledger.errors import LedgerError


@click.group(cls=LedgerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "target", envvar="RAGW_DB", default=DEFAULT_DB, show_default=True,
    metavar="TARGET", help="A SQLite file, or a postgresql://user:pass@host:port/db URL. Env: RAGW_DB.",
)  # fmt: skip
@click.option(
    "--actor", envvar="RAGW_ACTOR", default=None, metavar="NAME",
    help="Who records the change. Env: RAGW_ACTOR. Default: your login name.",
)  # fmt: skip
@click.version_option(package_name="ragw", prog_name="ragw")
@click.pass_context
def main(ctx: click.Context, target: str, actor: str | None) -> None:
    """An audit ledger of inspection recommendations and their RAGW status.

    Every change is an event that is never edited; the board can be shown as it
    stood on any date, or as the ledger showed it at any moment.

    \b
    Examples:
      ragw report add PEEL1819 --title "PEEL 2018/19" --scope force --published 2019-05-02
      ragw rec add PEEL1819 4 --kind afi --text "Improve lifetime management" --due "December 2019"
      ragw status PEEL1819/4 GREEN --on 2019-11-01
      ragw board --as-at 2019-11-01
      ragw history PEEL1819/4
      ragw summary PRMSC 2019-11-15
      ragw pack PRMSC 2019-11-15 --out paper.html
    """
    explicit = bool(actor)
    if not actor:
        try:
            actor = getpass.getuser()
        except Exception:  # no login name in some containers
            actor = "unknown"
    session = Session(target, actor, explicit=explicit)
    ctx.obj = session
    ctx.call_on_close(session.close)


# Writes -----------------------------------------------------------------------------


@main.group(cls=LedgerGroup)
def report() -> None:
    """Inspection reports."""


@report.command("add")
@click.argument("code")
@click.option("--title", required=True, help="The report's title.")
@click.option(
    "--scope",
    required=True,
    metavar="national|force",
    help="A national (thematic) or a force report.",
)
@click.option("--published", required=True, metavar="DATE", help="Publication date (YYYY-MM-DD).")
@click.option(
    "--inspectorate",
    "inspectorates",
    multiple=True,
    metavar="NAME",
    help="HMICFRS, HMI Prisons... (repeatable).",
)
@click.option(
    "--makes",
    type=int,
    default=None,
    metavar="N",
    help="How many recommendations the report makes in all.",
)
@on_option
@click.pass_context
def report_add(
    ctx: click.Context, code: str, title: str, scope: str, published: str,
    inspectorates: tuple[str, ...], makes: int | None, on: str | None,
) -> None:  # fmt: skip
    """Register an inspection report under a CODE of your choosing.

    \b
    Example:
      ragw report add BETRAYAL --title "Shining a light on betrayal" \\
          --scope national --published 2019-09-01 --inspectorate HMICFRS --makes 6
    """
    published_on = parse_day(published, "--published")
    assert published_on is not None
    record(ctx, lambda ledger, actor: ledger.register_report(
        code, title=title, scope=scope, published=published_on,
        inspectorates=inspectorates, makes=makes, actor=actor, on=parse_day(on, "--on"),
    ))  # fmt: skip


@main.group(cls=LedgerGroup)
def rec() -> None:
    """Recommendations (items on the board)."""


@rec.command("add")
@click.argument("code")
@click.argument("ref")
@click.option(
    "--kind", required=True, metavar="recommendation|afi|concern", help="What the report calls it."
)
@click.option("--text", required=True, help="The recommendation's text.")
@click.option("--owner", default=None, metavar="ROLE", help="Who owns it, e.g. 'D/Supt PSD'.")
@click.option(
    "--lead", default=None, metavar="BODY", help="Who must deliver it when it is not the force."
)
@click.option(
    "--due",
    default=None,
    metavar="DUE",
    help="Due date in any form papers use: 2020-11-30, 'November 2020', 'within three months', 'to be set', 'October 2018 Now January 2020'.",
)
@click.option(
    "--status",
    default=None,
    metavar="STATUS",
    help="GREEN, AMBER, RED or WHITE; omit while not yet assessed.",
)
@click.option("--reason", default=None, help="Why, for RED or WHITE.")
@on_option
@click.pass_context
def rec_add(
    ctx: click.Context, code: str, ref: str, kind: str, text: str, owner: str | None,
    lead: str | None, due: str | None, status: str | None, reason: str | None, on: str | None,
) -> None:  # fmt: skip
    """Add recommendation REF of report CODE; its key is CODE/REF.

    The item is on the board from its --on date.

    \b
    Example:
      ragw rec add BETRAYAL 4a --kind recommendation --text "Record corruption..." \\
          --due "April 2020" --status AMBER --owner "D/Supt PSD" --on 2019-11-01
    """
    record(ctx, lambda ledger, actor: ledger.issue_recommendation(
        code, ref, kind=kind, text=text, owner=owner, lead=lead, due=due,
        status=status, reason=reason, actor=actor, on=parse_day(on, "--on"),
    ))  # fmt: skip


@main.command()
@click.argument("key")
@click.argument("status", metavar="GREEN|AMBER|RED|WHITE")
@click.option("--reason", default=None, help="Why; required for RED and WHITE.")
@on_option
@click.pass_context
def status(ctx: click.Context, key: str, status: str, reason: str | None, on: str | None) -> None:
    """Record a new RAGW status for KEY.

    \b
    Examples:
      ragw status PEEL1819/4 GREEN --on 2019-11-01
      ragw status FRAUD/9 RED --reason "Policy still at consultation"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.change_status(
            key, status, reason=reason, actor=actor, on=parse_day(on, "--on")
        ),
    )


@main.command()
@click.argument("key")
@click.option(
    "--to",
    "to",
    default=None,
    metavar="DATE",
    help="The new due date (YYYY-MM-DD), later than the current one.",
)
@click.option("--reason", default=None, help="The justification (required).")
@link_option
@on_option
@click.pass_context
def extend(
    ctx: click.Context, key: str, to: str | None, reason: str | None, links: tuple[str, ...],
    on: str | None,
) -> None:  # fmt: skip
    """Extend KEY's due date, with a justification. The original date is kept.

    Where a committee grants extensions (`ragw committee sign-off CODE --for
    extensions`), this asks for the extension: it awaits sign-off by governance.

    \b
    Example:
      ragw extend HATE/6 --to 2020-01-31 --reason "Bedding in the new Force Resolution Centre"
    """
    if to is None:
        refuse("an extension needs --to DATE, the new due date (YYYY-MM-DD)")
    new_due = parse_day(to, "--to")
    assert new_due is not None
    record(
        ctx,
        lambda ledger, actor: ledger.extend_deadline(
            key,
            to=new_due,
            reason=reason or "",
            links=links,
            actor=actor,
            on=parse_day(on, "--on"),
        ),
        requests=True,
    )


@main.command()
@click.argument("key")
@click.argument("due", metavar="DUE")
@click.option("--reason", default=None, help="Who set it, or why.")
@on_option
@click.pass_context
def due(ctx: click.Context, key: str, due: str, reason: str | None, on: str | None) -> None:
    """Set a due date for KEY where none was set ("to be set").

    \b
    Example:
      ragw due CYBER/2 "March 2020" --reason "Set by the force to align with the next inspection"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.set_deadline(
            key, due, reason=reason, actor=actor, on=parse_day(on, "--on")
        ),
    )


@main.command()
@click.argument("key")
@click.argument("text")
@on_option
@click.pass_context
def note(ctx: click.Context, key: str, text: str, on: str | None) -> None:
    """Record progress on KEY (the latest note is the board's comment).

    \b
    Example:
      ragw note PEEL1819/5 "Peer review booked for 20 November"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.note_progress(
            key, text, actor=actor, on=parse_day(on, "--on")
        ),
    )


@main.command()
@click.argument("key")
@click.argument("owner")
@on_option
@click.pass_context
def assign(ctx: click.Context, key: str, owner: str, on: str | None) -> None:
    """Make OWNER (a role) responsible for KEY.

    \b
    Example:
      ragw assign BETRAYAL/5 "D/Supt PSD"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.assign_owner(
            key, owner, actor=actor, on=parse_day(on, "--on")
        ),
    )


@main.command()
@click.argument("key")
@click.option("--reason", default=None, help="Why it comes off the tracker (required).")
@link_option
@on_option
@click.pass_context
def close(
    ctx: click.Context, key: str, reason: str | None, links: tuple[str, ...], on: str | None
) -> None:
    """Take KEY off the tracker without implementing it (e.g. superseded).

    Where a committee requires sign-off for closures, this asks for closing: the item
    stays open until governance signs it off.

    \b
    Example:
      ragw close PEEL17/3 --reason "Superseded by PEEL 2018/19 AFI 4"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.close_recommendation(
            key, reason=reason or "", links=links, actor=actor, on=parse_day(on, "--on")
        ),
        requests=True,
    )


@main.command()
@click.argument("key")
@click.option("--evidence", default=None, help="What was done, and how it shows (required).")
@link_option
@on_option
@click.pass_context
def complete(
    ctx: click.Context, key: str, evidence: str | None, links: tuple[str, ...], on: str | None
) -> None:
    """Record that KEY is implemented, with its evidence. It shows as GREEN pending
    sign-off until governance signs it off (then it is GREEN) or rejects it.

    \b
    Example:
      ragw complete PEEL1819/4 --evidence "Policy published and briefed to all staff" \\
        --link https://intranet.example/policies/lifetime-management.pdf
    """
    record(
        ctx,
        lambda ledger, actor: ledger.claim_completion(
            key, evidence=evidence or "", links=links, actor=actor, on=parse_day(on, "--on")
        ),
        requests=True,
    )


@main.command("sign-off")
@click.argument("key")
@click.option("--note", default=None, help="What the check found (optional).")
@on_option
@click.pass_context
def sign_off(ctx: click.Context, key: str, note: str | None, on: str | None) -> None:
    """Accept KEY's request pending sign-off: GREEN, a closure, or an extension. It
    takes effect as of --on. Only governance signs off, never who asked.

    \b
    Examples:
      ragw board --pending
      ragw sign-off PEEL1819/4 --note "Checked the published policy"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.sign_off(
            key, note=note, actor=actor, on=parse_day(on, "--on")
        ),
    )


@main.command()
@click.argument("key")
@click.option("--reason", default=None, help="Why it is not accepted (required).")
@on_option
@click.pass_context
def reject(ctx: click.Context, key: str, reason: str | None, on: str | None) -> None:
    """Refuse KEY's request pending sign-off, with a reason; the item stays as it was.

    \b
    Example:
      ragw reject PEEL1819/4 --reason "The policy is still in draft; attach the published one"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.reject_sign_off(
            key, reason=reason or "", actor=actor, on=parse_day(on, "--on")
        ),
    )


def asked(pending: dict[str, Any] | None) -> str:
    """What a request pending sign-off asks for, in a board's cell."""
    if pending is None:
        return ""
    from ledger.state import asks_for

    return f"{asks_for(pending['request'], pending['due'])} (since {pending['on']})"


@main.command()
@click.argument("event_id")
@click.option("--reason", default=None, help="What was wrong (required).")
@on_option
@click.pass_context
def correct(ctx: click.Context, event_id: str, reason: str | None, on: str | None) -> None:
    """Retract a mistaken event. It stays in the history, marked as corrected.

    \b
    Example:
      ragw correct PEEL1819/4@3 --reason "GREEN was recorded against the wrong item"
    """
    record(
        ctx,
        lambda ledger, actor: ledger.correct_event(
            event_id, reason=reason or "", actor=actor, on=parse_day(on, "--on")
        ),
    )


# Reads ------------------------------------------------------------------------------


@main.command()
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
    ctx: click.Context, as_at: str | None, as_known_at: str | None, report_code: str | None,
    owner: str | None, status_filter: str | None, overdue: bool, pending: bool, fmt: str,
) -> None:  # fmt: skip
    """The RAGW board: every item's status and due date.

    \b
    Examples:
      ragw board
      ragw board --as-at 2019-11-01 --report PEEL1819
      ragw board --as-at 2019-11-01 --as-known-at 2019-11-05T09:00:00Z --format json
      ragw board --overdue
      ragw board --pending
    """
    from cli.render import emit_json_rows
    from projections.board import BOARD_STATUSES, board_item, stored_board

    day = parse_day(as_at, "--as-at") or date.today()
    known = parse_moment(as_known_at)
    wanted = " ".join(status_filter.upper().split()) if status_filter else None
    if wanted is not None and wanted not in BOARD_STATUSES:
        refuse(f"--status {status_filter!r} is not known; use one of {', '.join(BOARD_STATUSES)}")
    session = session_of(ctx)
    filters: dict[str, Any] = {"report": report_code, "owner": owner, "status": wanted,
                               "overdue": overdue, "pending": pending}  # fmt: skip
    items: Iterable[str]
    if session.ledger(write=False).encrypted:  # replayed: nothing is stored in clear
        from projections.board import board_of
        from projections.text import compact

        board = board_of(session.recorded(known), as_at=day, **filters)
        items = (compact(item.to_json()) for item in board.items)
    else:
        items = stored_board(session.caught_up(), as_at=day, as_known_at=known, **filters)
    if fmt == "json":  # streamed: a national board prints in constant memory
        head = {"as_at": day.isoformat(), "as_known_at": known.isoformat() if known else None}
        emit_json_rows(head, "items", items)
        return
    shown = [board_item(line) for line in items]
    counts = Counter(item.status or "NOT ASSESSED" for item in shown)
    waiting = sum(1 for item in shown if item.pending)
    if waiting:
        counts["pending sign-off"] = waiting
    known_text = f"as known at {known.isoformat()}" if known else "as known now"
    columns = ["key", "kind", "status", "due", "overdue", "owner"]
    if waiting:
        columns.append("pending sign-off")
    emit(
        Output(
            document=None,
            columns=columns,
            rows=[
                [
                    i.key,
                    i.kind,
                    i.status or "NOT ASSESSED",
                    i.due,
                    "OVERDUE" if i.overdue else "",
                    i.owner,
                    *([asked(i.pending)] if waiting else []),
                ]
                for i in shown
            ],
            title=f"Board as at {day.isoformat()}, {known_text}: {len(shown)} item"
            + ("" if len(shown) == 1 else "s"),
            footer="  ".join(f"{name}: {n}" for name, n in sorted(counts.items())) or None,
        ),
        fmt,
    )


@main.command()
@click.argument("key")
@format_option
@click.pass_context
def history(ctx: click.Context, key: str, fmt: str) -> None:
    """Every event of KEY, in the order recorded, corrections included.

    \b
    Example:
      ragw history PEEL1819/4
    """
    from ledger.state import fold_item
    from projections.log import describe, records_of

    ledger = session_of(ctx).ledger(write=False)
    item = ledger.get_recommendation(key)  # refuses unknown keys
    records = records_of(item.history)  # the item's own stream: no scan of the whole log
    state = fold_item(item.history)
    footer = None
    if state is not None:
        extended = len(state.extensions)
        footer = (
            f"Now {state.status.value if state.status else 'NOT ASSESSED'}; "
            f"original due {state.original_due or 'not set'}, current due {state.due or 'not set'}"
            f", extended {extended} time{'s' if extended != 1 else ''}"
        )
    emit(
        Output(
            document={"key": item.key, "events": [r.to_json(with_key=False) for r in records]},
            columns=["id", "on", "type", "details", "recorded at", "actor", "corrected by"],
            rows=[
                [
                    r.id,
                    r.on,
                    r.type,
                    describe(r),
                    r.recorded_at.isoformat(timespec="seconds"),
                    r.actor,
                    r.corrected_by,
                ]
                for r in records
            ],
            title=f"History of {item.key}",
            footer=footer,
            wrap={"details": 60},
        ),
        fmt,
    )


@main.command()
@format_option
@click.pass_context
def log(ctx: click.Context, fmt: str) -> None:
    """Every event in the ledger, in the order recorded.

    \b
    Examples:
      ragw log
      ragw log --format json > events.json
    """
    from projections.log import describe, records_of

    ledger = session_of(ctx).ledger(write=False)
    records = records_of(event for _, event in ledger.read_log())
    emit(
        Output(
            document={"events": [r.to_json() for r in records]},
            columns=["id", "type", "on", "recorded at", "actor", "details"],
            rows=[
                [
                    r.id,
                    r.type,
                    r.on,
                    r.recorded_at.isoformat(timespec="seconds"),
                    r.actor,
                    describe(r),
                ]
                for r in records
            ],
            wrap={"details": 60},
        ),
        fmt,
    )


@main.command()
@click.option("--digest", "digest_text", metavar="D",
              help="A digest printed on a paper (POSITION:HASH): prove the history up to it "
                   "is unchanged and everything since only extends it.")  # fmt: skip
@click.pass_context
def verify(ctx: click.Context, digest_text: str | None) -> None:
    """Check that no recorded event has been edited, deleted, reordered or inserted.

    Every event is chained to the one recorded before it (a SHA-256 over its stored row
    and the link before it, written with the event). This recomputes the whole chain
    and names the first event that no longer matches; exit 1 if there is one. Prints
    the ledger's digest, which papers print too.

    \b
    Examples:
      ragw verify
      ragw verify --digest 252:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    """
    from ledger.chain import Digest

    digest = None
    if digest_text is not None:
        try:
            digest = Digest.parse(digest_text)
        except ValueError as error:
            refuse(f"--digest {error}")
    ledger = session_of(ctx).ledger(write=False)
    with progress(ledger.last_position(), "Verifying the chain") as bar:
        verdict = ledger.verify(digest, progress=bar)
    if verdict.broken is not None:
        at = verdict.broken
        name = ledger.event_name(at.stream, at.version) if at.stream and at.version else None
        which = (
            f"event {name} (position {at.position})"
            if name
            else f"the event at position {at.position}"
        )
        raise LedgerError(
            f"{which} {at.why}; the history has been altered after it was recorded "
            f"({verdict.events} events before it check out); restore the ledger from a backup "
            "or an export and compare"
        )
    if digest is not None and verdict.digest_holds is None:
        raise LedgerError(
            f"the ledger has no event at position {digest.position} (its last is "
            f"{verdict.head.position}): the digest is not of this ledger, or its history "
            "was cut short"
        )
    if digest is not None and not verdict.digest_holds:
        raise LedgerError(
            f"the history up to position {digest.position} is not the one the digest was "
            "taken of: it has been rewritten since"
        )
    click.echo(f"ok: {verdict.events} events, every link matches")
    if digest is not None:
        since = verdict.head.position - digest.position
        click.echo(f"digest {digest} holds: the history up to it is unchanged, and "
                   f"{since} event{'s' if since != 1 else ''} since only extend it")  # fmt: skip
    click.echo(f"digest {verdict.head}")


@main.group(cls=LedgerGroup)
def role() -> None:
    """Who may do what: governance (everything), owner (their own items), auditor (reads).

    A ledger where no role was ever granted is open to whoever can write its store.
    The first grant turns access control on and must be governance; from then on every
    write is checked against the roles of the actor (--actor / RAGW_ACTOR).
    """


@role.command("grant")
@click.argument("name")
@click.argument("role_name", metavar="governance|owner|auditor")
@click.option("--acts-for", "acts_for", metavar="OWNER",
              help="For an owner: the owner named on the board whose items they change.")  # fmt: skip
@click.pass_context
def role_grant(ctx: click.Context, name: str, role_name: str, acts_for: str | None) -> None:
    """Grant a role to NAME (governance only, once access control is on).

    \b
    Examples:
      ragw --actor 'Strategic Development' role grant 'Strategic Development' governance
      ragw role grant 'Alice Smith' owner --acts-for 'Head of Roads'
      ragw role grant 'Internal Audit' auditor
    """
    record(ctx, lambda ledger, actor: ledger.grant_role(name, role_name, acts_for=acts_for,
                                                        actor=actor))  # fmt: skip


@role.command("revoke")
@click.argument("name")
@click.argument("role_name", metavar="governance|owner|auditor")
@click.option("--acts-for", "acts_for", metavar="OWNER", help="For an owner: which owner.")
@click.pass_context
def role_revoke(ctx: click.Context, name: str, role_name: str, acts_for: str | None) -> None:
    """Revoke a role from NAME (governance only; never the last governance role).

    \b
    Example:
      ragw role revoke 'Alice Smith' owner --acts-for 'Head of Roads'
    """
    record(ctx, lambda ledger, actor: ledger.revoke_role(name, role_name, acts_for=acts_for,
                                                         actor=actor))  # fmt: skip


@role.command("list")
@format_option
@click.pass_context
def role_list(ctx: click.Context, fmt: str) -> None:
    """Every role held now.

    \b
    Example:
      ragw role list --format json
    """
    access = session_of(ctx).ledger(write=False).access()
    grants = sorted(access.held()) if access is not None else []
    emit(
        Output(
            document={"controlled": access is not None,
                      "roles": [{"name": n, "role": r, "acts_for": o} for n, r, o in grants]},
            columns=["name", "role", "acts for"],
            rows=[list(grant) for grant in grants],
            footer=None if access is not None else "No role granted: the ledger is open.",
        ),
        fmt,
    )  # fmt: skip


@main.group(cls=LedgerGroup)
def admin() -> None:
    """Setting a ledger up: encryption keys."""


@admin.command("init-roles")
@click.pass_context
def init_roles(ctx: click.Context) -> None:
    """Make the PostgreSQL database keep history append-only, and create ragw's roles.

    Run once, as the owner of the database's tables. Creates the group roles
    ragw_writer (governance and owners) and ragw_reader (auditors), grants them what
    ragw needs and no more, and adds triggers so that the server itself refuses
    UPDATE, DELETE and TRUNCATE of recorded events and their links, to everyone.
    Then add people with `ragw admin add-login` and grant their ragw roles.

    \b
    Example:
      ragw --db postgresql://owner@db.example/ragw admin init-roles
    """
    from ledger.persistence import is_postgres

    session = session_of(ctx)
    if not is_postgres(session.target):
        refuse(
            "init-roles is for a PostgreSQL ledger; a SQLite file is guarded by its file permissions"
        )
    from ledger.roles_postgres import init_roles as init
    from projections.store import TABLES, TRACKING

    ledger = session.ledger(write=True)
    session.store()  # the read model's tables exist before they are granted
    with session.connect() as connection:
        recorder: Any = ledger.recorder
        init(connection, recorder.events_table_name, [TRACKING, *TABLES])
    click.echo("roles ragw_writer and ragw_reader ready; recorded events are append-only "
               "for everyone (the server refuses UPDATE, DELETE and TRUNCATE)")  # fmt: skip


@admin.command("add-login")
@click.argument("login")
@click.option("--role", "role_name", required=True, type=click.Choice(["governance", "owner", "auditor"]),
              help="The ragw role the person will hold (grant it with `ragw role grant`).")  # fmt: skip
@click.pass_context
def add_login(ctx: click.Context, login: str, role_name: str) -> None:
    """Create a PostgreSQL login for a person, in the group their ragw role needs.

    The password is read from RAGW_NEW_PASSWORD, or asked for. The login is the
    person's identity in the ledger: every event they record carries it.

    \b
    Example:
      ragw admin add-login alice --role owner
      ragw role grant alice owner --acts-for 'Head of Roads'
    """
    from ledger.persistence import is_postgres
    from ledger.roles_postgres import add_login as add

    session = session_of(ctx)
    if not is_postgres(session.target):
        refuse("add-login is for a PostgreSQL ledger")
    password = os.environ.get("RAGW_NEW_PASSWORD") or click.prompt(
        f"Password for {login}", hide_input=True, confirmation_prompt=True
    )
    with session.connect() as connection:
        add(connection, login, password, role_name)
    click.echo(f"created login {login} ({role_name}); now `ragw role grant {login} {role_name}`")


@admin.command("new-key")
def new_key() -> None:
    """Print a new AES-256 key for encrypting a ledger at rest.

    Set it in RAGW_ENCRYPTION_KEY before the first event is recorded, for every
    command that opens the ledger: each event's stored state is then encrypted
    (AES-GCM), and nothing derived from the events is stored in clear beside them.
    Keep the key safe and apart from the ledger: without it nothing can be read.
    `ragw verify` checks the chain without it.

    \b
    Example:
      export RAGW_ENCRYPTION_KEY=$(ragw admin new-key)
    """
    from eventsourcing.cipher import AESCipher

    click.echo(AESCipher.create_key(num_bytes=32))


@main.command()
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """Derive the stored read model again from every event, in one transaction.

    Reads of the board, summaries and appendices are answered from a read model kept
    beside the events and brought up to date by every read; rebuilding it gives the
    same answers, and is safe at any time (it never touches the events).

    
    Example:
      ragw rebuild
    """
    session = session_of(ctx)
    store = session.store()
    with progress(session.ledger(write=False).last_position(), "Rebuilding") as bar:
        count = store.rebuild(progress=bar)
    click.echo(f"rebuilt the read model from {count} events")


@main.command()
@click.option(
    "--db",
    "demo_target",
    default=None,
    metavar="TARGET",
    help="Build the demo ledger here (an empty or new ledger) instead of a temporary folder.",
)
@format_option
@click.pass_context
def demo(ctx: click.Context, demo_target: str | None, fmt: str) -> None:
    """Build a ledger from a real committee paper and show its board.

    The paper is the City of London Police appendix of HMICFRS recommendations
    reported in November 2019: 14 reports, every item with its status, due date
    and comment. Without --db the ledger lives in a temporary folder.

    \b
    Examples:
      ragw demo
      ragw --db demo.db demo && ragw --db demo.db history PEEL1819/1
    """
    import tempfile

    from ledger.demo import DEMO_COMMITTEE, DEMO_DATE, build_demo

    session = session_of(ctx)
    source = ctx.find_root().get_parameter_source("target")
    if demo_target is None and source is not None and source.name == "DEFAULT":
        folder = tempfile.mkdtemp(prefix="ragw-demo-")
        session.target = os.path.join(folder, "ragw.db")
    elif demo_target is not None:
        session.target = demo_target
    ledger = session.ledger(write=True)
    recorded = build_demo(ledger, actor=session.actor)
    click.echo(f"Built a demo ledger at {session.target}: {recorded} events.", err=True)
    ctx.invoke(board, as_at=DEMO_DATE.isoformat(), as_known_at=None, report_code=None,
               owner=None, status_filter=None, overdue=False, fmt=fmt)  # fmt: skip
    db = f"ragw --db {session.target}"
    click.echo(
        f"\nTry: {db} history PEEL1819/1\n     {db} summary {DEMO_COMMITTEE} {DEMO_DATE}\n"
        f"     {db} pack {DEMO_COMMITTEE} {DEMO_DATE} --out paper.html",
        err=True,
    )


register(main)  # committees, meetings and their papers
for command in (import_tracker, export, restore, requests, apply):
    main.add_command(command)
