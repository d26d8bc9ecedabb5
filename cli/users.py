"""The people who sign in to the web service (``ragw serve``): added, given new passwords
and disabled by governance. A password comes from RAGW_NEW_PASSWORD or is asked for
twice without echo; it is never an argument (the process list and shell history would
keep it) and never printed."""

from __future__ import annotations

import os
import sys

import click

from cli.common import LedgerGroup, record, refuse, session_of
from cli.render import Output, emit, format_option

#: Where a new password comes from when no person is there to type it (scripts, set-up).
PASSWORD_VARIABLE = "RAGW_NEW_PASSWORD"


def new_password() -> str:
    """The password to set: RAGW_NEW_PASSWORD, else typed twice at a terminal."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        refuse(
            f"no password: set {PASSWORD_VARIABLE}, or run this at a terminal to type it "
            "(twice, not shown)"
        )
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))


@click.group(cls=LedgerGroup)
def user() -> None:
    """People who sign in to the web service (`ragw serve`).

    A user acts by the roles granted to their name (`ragw role grant`); a user with
    no role may sign in and sees only a page saying so. Adding, disabling and new
    passwords are recorded as events (never the password: its argon2 hash is kept
    beside the events, in no export or backup). Governance only.
    """


@user.command("add")
@click.argument("name")
@click.option("--email", metavar="ADDR", help="Their email address (for reminders).")
@click.pass_context
def user_add(ctx: click.Context, name: str, email: str | None) -> None:
    """Let NAME sign in, with a password from RAGW_NEW_PASSWORD or typed twice.

    \b
    Examples:
      ragw user add 'Alice Smith' --email alice.smith@force.police.uk
      ragw role grant 'Alice Smith' owner --acts-for 'Head of Roads'
      RAGW_NEW_PASSWORD='correct horse battery staple' ragw user add 'Internal Audit'
    """
    password = new_password()
    record(
        ctx,
        lambda ledger, actor: ledger.add_user(name, password=password, email=email, actor=actor),
    )


@user.command("password")
@click.argument("name")
@click.pass_context
def user_password(ctx: click.Context, name: str) -> None:
    """A new password for NAME (RAGW_NEW_PASSWORD, or typed twice); their sessions end.

    \b
    Example:
      ragw user password 'Alice Smith'
    """
    password = new_password()
    record(ctx, lambda ledger, actor: ledger.change_password(name, password=password, actor=actor))


@user.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(ctx: click.Context, name: str) -> None:
    """NAME may no longer sign in (at once: their sessions end); history keeps the name.

    \b
    Example:
      ragw user disable 'Alice Smith'
    """
    record(ctx, lambda ledger, actor: ledger.disable_user(name, actor=actor))


@user.command("list")
@format_option
@click.pass_context
def user_list(ctx: click.Context, fmt: str) -> None:
    """Every user, whether they may sign in, and the roles their name holds.

    \b
    Example:
      ragw user list --format json
    """
    from projections.usecases.users import users

    listed = users(session_of(ctx).uses)
    emit(
        Output(
            document={"users": [each.to_json() for each in listed]},
            columns=["name", "email", "signs in", "roles"],
            rows=[
                [
                    u.name,
                    u.email or "",
                    _signs_in(u.disabled, u.password),
                    ", ".join(u.roles),
                ]
                for u in listed
            ],
            footer=None if listed else "No user yet: add one with `ragw user add NAME`.",
        ),
        fmt,
    )


def _signs_in(disabled: bool, password: bool) -> str:
    if disabled:
        return "no (disabled)"
    return "yes" if password else "no (no password: give one with `ragw user password`)"
