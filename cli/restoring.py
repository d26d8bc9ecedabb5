"""``ragw restore``: a backup written back into an empty ledger (a file, a database, or
an organisation's ledger in a shared store), every line checked first."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import parse_digest, session_of
from projections.usecases.files import restore as restore_file


@click.command("restore")
@click.argument("file", metavar="FILE.jsonl")
@click.option(
    "--digest",
    "digest_text",
    default=None,
    metavar="POSITION:HASH",
    help="A digest of the original ledger (printed by export, verify or on a paper): "
    "restore only if the file's history up to POSITION gives it.",
)
@click.pass_context
def restore(ctx: click.Context, file: str, digest_text: str | None) -> None:
    """Restore an export (.jsonl) into an empty ledger, every event unchanged.

    Ids, recording times and actors are kept, so every board, summary and history
    reads as it did. This is also how a ledger moves from a SQLite file to PostgreSQL.
    Every line is checked first, and a file with any bad line is refused whole,
    naming its lines: only events ragw records, each key's events in order from the
    one that creates it, nothing recorded after the restore, and every event one that
    the ledger's rules gave when it was recorded (who may do it, what must exist).
    With --digest, the file is restored only if its history up to the digest's
    position gives that digest, as the original ledger computed it (a plaintext
    ledger; check a digest of an encrypted one there, with `ragw verify --digest`).
    Prints the restored ledger's own digest.

    \b
    Examples:
      ragw --db restored.db restore backup.jsonl
      ragw --db restored.db restore backup.jsonl --digest 263:9f86d0818...
      ragw --db postgresql://ragw@db.example/ragw restore backup.jsonl
      ragw --db postgresql://ragw@db.example/ragw --org WMP restore wmp.jsonl

    With --org, the backup becomes that organisation's ledger in the store (its schema
    or tables made as for `ragw org add`, which then records it in the register); a
    backup that names another organisation is refused.
    """
    digest = parse_digest(digest_text)
    session = session_of(ctx)
    session.creates_org = True  # an organisation's ledger is restored as a file's would be
    count, head = restore_file(
        session.uses,
        file,
        digest=digest,
        open_org=session.other,
        open_clear=lambda org: session.other(org, keyed=False),
    )
    click.echo(
        f"restored {Path(file).name}: {count} events" + (f"; ledger digest {head}" if head else "")
    )
    if session.org is not None:
        click.echo(
            f"restored into organisation {session.org}'s ledger; unless `ragw org list` lists "
            f"it already, `ragw org add {session.org} --name TEXT --kind KIND` records it in "
            "the store's register (and its identity in its own ledger, when the backup did "
            "not hold it)",
            err=True,
        )
    from projections.usecases.users import users

    waiting = [u.name for u in users(session.uses) if not u.password and not u.disabled]
    if waiting:  # no backup holds a password: nobody could sign in
        click.echo(
            f"{len(waiting)} users have no password yet (none is ever in a backup): give each "
            "one with `ragw user password NAME`: " + ", ".join(waiting),
            err=True,
        )
