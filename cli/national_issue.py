"""``ragw national issue`` and ``ragw national receive``: an inspectorate's national
reports recorded in each force's own ledger, said force by force. Each parses its input
and calls one use case; the sessions of the other organisations are opened as
``--org`` opens one (same store, same key) and closed after."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from cli.common import DONE_AS_PRINTED, Session, on_option, parse_day, session_of
from cli.hints import cli_text

if TYPE_CHECKING:
    from projections.usecases.national_issue import Received


def needs_org(session: Session, doing: str, example: str) -> str:
    """The session's organisation, refused (naming --org) when it has none."""
    if session.org is None:
        raise click.ClickException(
            f"{doing} runs in an organisation's ledger; give --org (or RAGW_ORG), e.g. `{example}`"
        )
    return session.org


@contextmanager
def server_refusal(then: str) -> Iterator[None]:
    """The database server's refusal of this login another organisation's ledger (or
    the register), in one line saying ``then``: what to do instead."""
    try:
        yield
    except click.ClickException:
        raise
    except Exception as error:
        from ledger.storage.settings import refused_by_the_server

        if not refused_by_the_server(error):
            raise
        said = " ".join(str(error).split())[:160]
        raise click.ClickException(
            f"the database refused this login ({said}); {then}; what is listed above was "
            "recorded, nothing else"
        ) from None


def _said(each: Iterable[Received], *, again: str) -> int:
    """Say what each organisation recorded, as it is recorded; how many were. Then, if
    any report was not received for a force's own report of its code, or any force's
    ledger could not be read, refuse in one line naming each (what is listed was
    recorded), and what to do: ``again``, the command to run once each is put right."""
    session_of(click.get_current_context()).if_cut_short = DONE_AS_PRINTED
    count = 0
    clashes: list[str] = []
    unread: list[str] = []
    for received in each:
        _say(received)
        count += 1
        clashes += [f"{received.org} holds a report {code} of its own" for code in received.clashes]
        if received.unreadable is not None:
            unread.append(cli_text(received.unreadable))
    said = []
    if clashes:
        said.append(
            f"{'; '.join(clashes)}, so the national report of that code was not received "
            "there (everything listed above was recorded); the inspectorate and the force "
            "must agree which report the code names before it can be"
        )
    if unread:
        said.append(
            f"{'; '.join(unread)}; then run `{again}` again, which gives each force only "
            "what it still lacks (everything listed above was recorded)"
        )
    if said:
        raise click.ClickException("; ".join(said))
    return count


def _say(received: Received) -> None:
    if received.unreadable is not None:  # said with the others at the end
        return
    if not received.recorded:
        click.echo(f"{received.org} held every national report of {received.source} already")
        return
    for event_id in received.recorded:
        click.echo(f"recorded {event_id} in {received.org}'s ledger")


@click.command("issue")
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ORG",
    help="A force to issue to (repeat for more). Default: every force of the register.",
)
@on_option
@click.pass_context
def issue(ctx: click.Context, to: tuple[str, ...], on: str | None) -> None:
    """Record in every force's own ledger each national report of this inspectorate
    (--org) that it lacks, with its recommendations addressed to forces ("chief
    constables", "forces", "all forces", "the force"); force-scope reports and items
    addressed to others alone (the Home Office, say) are not issued.

    One transaction per force, each said as it is recorded: a run that stops midway
    has recorded whole forces only; run it again and each force takes what it still
    lacks. On PostgreSQL it writes every force's schema, so it runs with the store
    owner's login in --db.

    \b
    Examples:
      ragw --org HMICFRS national issue
      ragw --org HMICFRS national issue --to WMP --to COLP --on 2019-04-10
    """
    from projections.usecases.national_issue import issue_national

    session = session_of(ctx)
    org = needs_org(session, "national issue", "ragw --org HMICFRS national issue")
    day = parse_day(on, "--on")
    register = session.other(None)
    try:
        with server_refusal(
            f"issuing writes each force's own ledger, which only the store owner's login "
            f"may: run `ragw --org {org} national issue` with that login in --db"
        ):
            forces = issue_national(session.uses, register, session.other, to=to, on=day)
            if not _said(forces, again=f"ragw --org {org} national issue"):
                click.echo("the register holds no force to issue to; nothing was recorded")
    finally:
        register.close()


@click.command("receive")
@click.option(
    "--from",
    "sources",
    multiple=True,
    metavar="ORG",
    help="An inspectorate to receive from (repeat for more). Default: every one.",
)
@on_option
@click.pass_context
def receive(ctx: click.Context, sources: tuple[str, ...], on: str | None) -> None:
    """Record in this force's ledger (--org) every national report it lacks of each
    inspectorate of the register, with its recommendations addressed to forces: what
    `national issue` records for the force, taken by the force itself.

    \b
    Examples:
      ragw --org WMP national receive
      ragw --org WMP national receive --from HMICFRS
    """
    from projections.usecases.national_issue import receive_national

    session = session_of(ctx)
    org = needs_org(session, "national receive", "ragw --org WMP national receive")
    day = parse_day(on, "--on")
    register = session.other(None)
    try:
        with server_refusal(
            f"receiving reads the inspectorate's ledger, which only the store owner's "
            f"login may: run `ragw --org {org} national receive` with that login in --db"
        ):
            sources_read = receive_national(
                session.uses, register, session.other, sources=sources, on=day
            )
            if not _said(sources_read, again=f"ragw --org {org} national receive"):
                click.echo(
                    "the register holds no inspectorate to receive from; nothing was recorded"
                )
    finally:
        register.close()
