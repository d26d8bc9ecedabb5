"""Whether the history is intact, and the read model derived from it: verify, rebuild."""

from __future__ import annotations

import click

from cli.common import refuse, session_of
from ledger.chain import Digest
from projections.usecases.integrity import rebuild as rebuild_model
from projections.usecases.integrity import verify as verify_chain


@click.command()
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
    digest = None
    if digest_text is not None:
        try:
            digest = Digest.parse(digest_text)
        except ValueError as error:
            refuse(f"--digest {error}")
    verified = verify_chain(session_of(ctx).uses, digest)
    click.echo(f"ok: {verified.events} events, every link matches")
    if digest is not None:
        since = verified.since
        click.echo(f"digest {digest} holds: the history up to it is unchanged, and "
                   f"{since} event{'s' if since != 1 else ''} since only extend it")  # fmt: skip
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
