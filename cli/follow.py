"""Keeping the read model up to date: ``ragw follow``, the service that alone writes it
on a PostgreSQL ledger under ``ragw admin init-roles``."""

from __future__ import annotations

import signal
from types import FrameType

import click

from cli.common import session_of
from projections.usecases.follow import CaughtUp, catch_up
from projections.usecases.follow import follow as keep_following


@click.command()
@click.option(
    "--once", is_flag=True, help="Catch up with the log once and exit (for tests and cron)."
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Catch up at least this often, even when no notification arrives.",
)
@click.pass_context
def follow(ctx: click.Context, once: bool, poll: float) -> None:
    """Keep the read model beside the events up to date, until stopped.

    On PostgreSQL after `ragw admin init-roles` only the follower role writes the read
    model that boards, summaries and papers are read from; every other login reads it
    as it is and folds the events it has not reached yet. Run this as a login made
    with `ragw admin add-login NAME --role follower`. It catches up, then waits for
    the notification the database sends when events are recorded (or --poll seconds)
    and catches up again; SIGTERM or Ctrl-C stops it between two catch-ups. On SQLite
    reads catch the model up themselves; this only saves them the wait.

    \b
    Examples:
      ragw --db postgresql://follower@db.example/ragw follow
      ragw --db postgresql://follower@db.example/ragw follow --once
    """
    session = session_of(ctx).uses
    if once:
        done = catch_up(session)
        click.echo(
            f"read model up to date at position {done.position} ({done.applied} events applied)"
        )
        return
    stop: list[int] = []

    def stopped(number: int, frame: FrameType | None) -> None:
        stop.append(number)

    def told(done: CaughtUp) -> None:
        click.echo(
            f"read model up to date at position {done.position} ({done.applied} events applied)"
        )

    previous = {s: signal.signal(s, stopped) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        keep_following(session, poll=poll, stopping=lambda: bool(stop), caught_up=told)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo("stopped")
