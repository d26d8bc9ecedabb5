"""Whether the history is intact, and the read model derived from it: verify, rebuild."""

from __future__ import annotations

import click

from cli.common import parse_digest, session_of
from cli.hints import OPTIONS
from ledger.errors import Field
from projections.usecases.integrity import rebuild as rebuild_model
from projections.usecases.integrity import verify as verify_chain


@click.command()
@click.option(
    "--digest",
    "digest_text",
    metavar="D",
    help="A digest printed on a paper (POSITION:HASH): prove the history up to it "
    "is unchanged and everything since only extends it (the events only).",
)
@click.option(
    "--events-only",
    "events_only",
    is_flag=True,
    help="Check the events' chain only, not the read model beside them.",
)
@click.option(
    "--rules",
    "rules",
    is_flag=True,
    help="Also replay every event through the rules it passed when it was recorded, "
    "as a restore does (done unasked on PostgreSQL under roles).",
)
@click.pass_context
def verify(ctx: click.Context, digest_text: str | None, events_only: bool, rules: bool) -> None:
    """Check that no recorded event, and no row of the read model, has been altered.

    Every event is chained to the one recorded before it (a SHA-256 over its stored row
    and the link before it, written with the event). This recomputes the whole chain
    and names the first event that no longer matches (edited, deleted, reordered or
    inserted); exit 1 if there is one. Prints the ledger's digest, which papers print
    too.

    Then it proves the read model that boards, summaries and papers are printed from:
    every stored row (reports, committees, meetings, spans, board lines, each meeting's
    paper rows and lines, the tracking position) is made again from the events up to
    the model's position and compared; the first row that differs is named (table,
    item, day), exit 1: run `ragw rebuild` to derive the model again from the events.
    An encrypted ledger's model is sealed: its rows are opened with the key and
    compared alike. With --events-only, or with --digest, only the events are checked.

    On PostgreSQL under roles (`ragw admin init-roles`), where each writer's login may
    insert events, every event is also replayed through the rules it passed when it
    was recorded, as `ragw restore` replays a backup: an event no command could have
    recorded (a role someone granted herself, GREEN without sign-off) is named with
    the rule, exit 1. --rules asks for that replay anywhere (it takes about as long as
    a restore); on a SQLite file whoever can write it can rewrite it whole. With the
    replay, an organisation's ledger has each national report it received, and each
    item of one, held against the issuer's ledger: one its issuer never issued so is
    named, exit 1.

    \b
    Examples:
      ragw verify
      ragw verify --events-only
      ragw verify --rules
      ragw verify --digest 252:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    """
    digest = parse_digest(digest_text)
    session = session_of(ctx)
    verified = verify_chain(
        session.uses,
        digest,
        events_only=events_only or digest is not None,
        rules=rules,
        open_org=session.other,
        open_clear=lambda org: session.other(org, keyed=False),
    )
    for line in verified.said(OPTIONS[Field.ENCRYPTION_KEY]):  # a digest: none of the model
        click.echo(line)
    if digest is not None:
        since = verified.since
        click.echo(
            f"digest {digest} holds: the history up to it is unchanged, and "
            f"{since} event{'s' if since != 1 else ''} since only extend it"
        )
    click.echo(f"digest {verified.head}")


@click.command()
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
    count = rebuild_model(session_of(ctx).uses)
    click.echo(f"rebuilt the read model from {count} events")
