"""Access: who may do what (roles), and setting a ledger up (PostgreSQL roles and
logins, encryption keys)."""

from __future__ import annotations

import os

import click

from cli.common import LedgerGroup, record, refuse, session_of
from cli.render import Output, emit, format_option
from ledger.storage.settings import is_postgres
from projections.usecases.access import add_login as add_database_login
from projections.usecases.access import groups, keep_history_append_only, roles


@click.group(cls=LedgerGroup)
def role() -> None:
    """Who may do what: governance (everything), owner (their own items), auditor (reads).

    A ledger where no role was ever granted is open to whoever can write its store.
    The first grant turns access control on and must be governance; from then on every
    write is checked against the roles of the actor (--actor / RAGW_ACTOR).
    """


@role.command("grant")
@click.argument("name")
@click.argument("role_name", metavar="governance|owner|auditor")
@click.option(
    "--acts-for",
    "acts_for",
    metavar="OWNER",
    help="For an owner: the owner named on the board whose items they change.",
)
@click.pass_context
def role_grant(ctx: click.Context, name: str, role_name: str, acts_for: str | None) -> None:
    """Grant a role to NAME (governance only, once access control is on).

    \b
    Examples:
      ragw --actor 'Strategic Development' role grant 'Strategic Development' governance
      ragw role grant 'Alice Smith' owner --acts-for 'Head of Roads'
      ragw role grant 'Internal Audit' auditor
    """
    record(
        ctx,
        lambda ledger, actor: ledger.grant_role(name, role_name, acts_for=acts_for, actor=actor),
    )


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
    record(
        ctx,
        lambda ledger, actor: ledger.revoke_role(name, role_name, acts_for=acts_for, actor=actor),
    )


@role.command("list")
@format_option
@click.pass_context
def role_list(ctx: click.Context, fmt: str) -> None:
    """Every role held now.

    \b
    Example:
      ragw role list --format json
    """
    held = roles(session_of(ctx).uses)
    grants = held.held
    emit(
        Output(
            document={
                "controlled": held.controlled,
                "roles": [{"name": n, "role": r, "acts_for": o} for n, r, o in grants],
            },
            columns=["name", "role", "acts for"],
            rows=[list(grant) for grant in grants],
            footer=None if held.controlled else "No role granted: the ledger is open.",
        ),
        fmt,
    )


@click.group(cls=LedgerGroup)
def admin() -> None:
    """Setting a ledger up: encryption keys."""


@admin.command("init-roles")
@click.pass_context
def init_roles(ctx: click.Context) -> None:
    """Make the PostgreSQL database keep history append-only, and create ragw's roles.

    Run once, as the owner of the database's tables. Creates the group roles
    ragw_writer (governance and owners), ragw_reader (auditors) and ragw_follower
    (the `ragw follow` service), grants them what ragw needs and no more, and adds
    triggers so that the server itself refuses UPDATE, DELETE and TRUNCATE of
    recorded events and their links, to everyone. The read model (the tables boards
    and papers are read from) may then be changed by ragw_follower alone; the others
    may only read it, and fold what the follower has not reached yet. Then add
    people with `ragw admin add-login`, grant their ragw roles, and run `ragw follow`
    as a follower login.

    For an organisation (`ragw --org CODE`), the same in its own schema, for groups
    of its own named after it (org_wmp_writer, org_wmp_reader, org_wmp_follower);
    its schema is closed to every other role, so the server refuses another
    organisation's logins, and the single ledger's, everything in it. Run it for
    each organisation.

    \b
    Examples:
      ragw --db postgresql://owner@db.example/ragw admin init-roles
      ragw --db postgresql://owner@db.example/ragw --org WMP admin init-roles
    """
    session = session_of(ctx)
    if not is_postgres(session.target):
        refuse(
            "init-roles is for a PostgreSQL ledger; a SQLite file is guarded by its file permissions"
        )
    shared = keep_history_append_only(session.uses)
    writer, reader, follower = groups(session.uses)
    click.echo(
        f"roles {writer}, {reader} and {follower} ready; recorded events are "
        "append-only for everyone (the server refuses UPDATE, DELETE and TRUNCATE), "
        f"and only {follower} may change the read model: run `ragw follow` as a "
        "login made with `ragw admin add-login NAME --role follower`"
    )
    if shared:
        click.echo(
            f"warning: {writer}, {reader} and {follower} may also connect to the "
            f"database{'s' if len(shared) > 1 else ''} {', '.join(shared)} of this server, "
            "where init-roles was run too: roles are the server's, so a login made for "
            "either reaches both; a ledger that must be kept apart needs a server of its own",
            err=True,
        )


@admin.command("add-login")
@click.argument("login")
@click.option(
    "--role",
    "role_name",
    required=True,
    type=click.Choice(["governance", "owner", "auditor", "follower"]),
    help="The ragw role the person will hold (grant it with `ragw role grant`); "
    "follower: the login `ragw follow` runs as, no ragw role.",
)
@click.pass_context
def add_login(ctx: click.Context, login: str, role_name: str) -> None:
    """Create a PostgreSQL login for a person, in the group their ragw role needs.

    The password is read from RAGW_NEW_PASSWORD, or asked for. The login is the
    person's identity in the ledger: every event they record carries it. A login
    with --role follower is for the service `ragw follow`, which alone writes the
    read model; it records nothing and needs no ragw role. With --org, the login
    belongs to that organisation (it joins its groups and no other's; names are
    shared by the whole database server, so give each organisation's people
    names of their own).

    \b
    Examples:
      ragw admin add-login alice --role owner
      ragw role grant alice owner --acts-for 'Head of Roads'
      ragw admin add-login ragw_service --role follower
      ragw --org WMP admin add-login wmp_alice --role owner
    """
    session = session_of(ctx)
    if not is_postgres(session.target):
        refuse("add-login is for a PostgreSQL ledger")
    password = os.environ.get("RAGW_NEW_PASSWORD") or click.prompt(
        f"Password for {login}", hide_input=True, confirmation_prompt=True
    )
    add_database_login(session.uses, login, password, role_name)
    org = f"--org {session.org} " if session.org else ""  # the role is the org ledger's
    if role_name == "follower":
        click.echo(f"created login {login} (follower); run `ragw {org}follow` as it")
        return
    click.echo(
        f"created login {login} ({role_name}); now `ragw {org}role grant {login} {role_name}`"
    )


@admin.command("new-key")
def new_key() -> None:
    """Print a new AES-256 key for encrypting a ledger at rest.

    Set it in RAGW_ENCRYPTION_KEY before the first event is recorded, for every
    command that opens the ledger: each event's stored state is then encrypted
    (AES-GCM), and nothing derived from the events is stored in clear beside them
    (the read model is kept sealed under keys derived from it).
    Keep the key safe and apart from the ledger: without it nothing can be read.
    `ragw verify` checks the chain without it.

    \b
    Example:
      export RAGW_ENCRYPTION_KEY=$(ragw admin new-key)
    """
    # pycryptodome, for this command only: the other role and admin commands never load it
    from eventsourcing.cipher import AESCipher

    click.echo(AESCipher.create_key(num_bytes=32))
