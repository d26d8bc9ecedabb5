"""Organisations sharing one store: add one (its own ledger, then the register) and list
the register. Each parses its input and calls one use case."""

from __future__ import annotations

import os

import click

from cli.common import KEY_VARIABLE, LedgerGroup, Session, session_of
from cli.render import Output, emit, format_option


@click.group(cls=LedgerGroup)
def org() -> None:
    """Organisations sharing one store (forces, PCCs, an inspectorate, fire services).

    The register of organisations is the store's own ledger (no --org); each
    organisation's ledger is reached with `ragw --org CODE ...` (or RAGW_ORG).
    """


def _without_org(session: Session, doing: str) -> None:
    if session.org is not None:
        raise click.ClickException(
            f"{doing} uses the store's register, kept for no organisation; leave out "
            f"--org {session.org} (and unset RAGW_ORG)"
        )


@org.command("add")
@click.argument("code")
@click.option("--name", required=True, metavar="TEXT", help="What the organisation is called.")
@click.option(
    "--kind",
    required=True,
    metavar="KIND",
    help="force, pcc, inspectorate, fire or other.",
)
@click.pass_context
def org_add(ctx: click.Context, code: str, name: str, kind: str) -> None:
    """Add organisation CODE to the store: 2 to 16 letters and digits, starting with
    a letter, kept in capitals (e.g. WMP, COLP, HMICFRS).

    Its own ledger is made (on PostgreSQL in a schema of its own, org_<code>, created
    as the URL's login, the store's owner; on SQLite in tables of its own in the same
    file) with the organisation as its first event, then the addition is recorded in
    the store's register (the ledger without --org, whose governance adds
    organisations). If a run stops midway, run the same command again: it completes
    what is missing. A code already in the register is refused.

    \b
    Examples:
      ragw org add HMICFRS --name "HM Inspectorate of Constabulary" --kind inspectorate
      ragw org add WMP --name "West Midlands Police" --kind force
      ragw --db postgresql://owner@db/ragw org add COLP --name "City of London Police" --kind force
      ragw --org WMP board
    """
    from ledger import open_ledger
    from projections.usecases.orgs import add_organisation

    session = session_of(ctx)
    _without_org(session, "ragw org add")
    key = os.environ.get(KEY_VARIABLE)
    added = add_organisation(
        session.uses,
        code,
        name=name,
        kind=kind,
        open_own=lambda written: open_ledger(
            session.target, create=True, encryption_key=key, org=written
        ),
    )
    if not added.own:
        click.echo(f"{added.code}'s own ledger held its addition already")
    for event_id in added.own:
        click.echo(f"recorded {event_id} in {added.code}'s own ledger")
    for event_id in added.register:
        click.echo(f"recorded {event_id} in the register")


@org.command("list")
@format_option
@click.pass_context
def org_list(ctx: click.Context, fmt: str) -> None:
    """Every organisation in the store's register, in the order added.

    \b
    Examples:
      ragw org list
      ragw org list --format json
    """
    from projections.usecases.orgs import organisations

    session = session_of(ctx)
    _without_org(session, "ragw org list")
    found = organisations(session.uses)
    emit(
        Output(
            document={"organisations": [o.to_json() for o in found]},
            columns=["code", "name", "kind", "added", "by"],
            rows=[[o.code, o.name, o.kind, o.added.isoformat(), o.actor] for o in found],
            wrap={"name": 40},
        ),
        fmt,
    )
