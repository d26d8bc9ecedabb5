"""What every command shares: the lazily opened ledger, refusals, dates and writes.

``ragw`` loads this module at start-up, before it knows the command, so at the top it
imports only click and the ledger's errors; the rest (the use cases, the ledger itself,
the hints for a refusal) is imported in the function that needs it, when it runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ledger.errors import InvalidInputError, LedgerError, LedgerMissingError

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.chain import Digest
    from projections.usecases import LedgerSession

DEFAULT_DB = "ragw.db"
#: Where the key of an encrypted ledger comes from: never a flag, never a file of ours.
KEY_VARIABLE = "RAGW_ENCRYPTION_KEY"


#: Below this much work nothing needs a progress bar.
PROGRESS_FROM = 200


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], object]]:
    """A progress bar on stderr for long work, when a person is watching (a terminal);
    nothing for short work or for scripts, whose stderr stays one ``Error:`` line."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


class Session:
    """What the command line knows of the ledger: where it is (--db, RAGW_DB) and who
    acts (--actor, RAGW_ACTOR, the login name). The ledger itself is opened on first
    use by :attr:`uses`, so ``--help`` never touches a database; a ledger file a
    refused command created is removed again."""

    def __init__(
        self, target: str, actor: str, *, explicit: bool = False, org: str | None = None
    ) -> None:
        self.target = target
        #: The organisation whose ledger commands run on (--org, RAGW_ORG); None: the
        #: store's own ledger, as without organisations.
        self.org = org
        #: Whether opening may create the organisation's ledger: a restore into it, as a
        #: restore creates a ledger file (otherwise ``ragw org add`` alone creates one).
        self.creates_org = False
        self.named = actor
        #: Whether the actor was given (--actor, RAGW_ACTOR) rather than the login name.
        self.explicit = explicit
        self._uses: LedgerSession | None = None
        self._created: Path | None = None
        #: What this command says (one Error line, exit status 1) if its output is
        #: closed before it ends (its reader stopped reading): None when nothing is left
        #: to say then, as for a read, or a write of one transaction, recorded whole
        #: before it prints. A command that records (or writes files) as it prints
        #: (:data:`DONE_AS_PRINTED`), or whose answer is its exit status and already
        #: decided before it prints (``import --check`` with bad rows), sets it.
        self.if_cut_short: str | None = None
        #: Other organisations' ledgers this command reads (the register, an
        #: inspectorate's verdicts), by code: opened on first use, closed with it.
        self._others: dict[tuple[str | None, bool], LedgerSession] = {}

    @property
    def uses(self) -> LedgerSession:
        """The session the use cases take: the ledger at --db, opened on first use."""
        if self._uses is None:
            from projections.usecases import LedgerSession

            self._uses = LedgerSession(
                self.target,
                self.named,
                explicit=self.explicit,
                open_ledger=self._open,
                progress=progress,
                org=self.org,
            )
        return self._uses

    def other(self, org: str | None, *, keyed: bool = True) -> LedgerSession:
        """The session of organisation ``org``'s ledger in the same store (None: the
        store's own, its register), as the same actor, with the same key (not
        ``keyed``: with none, for a ledger kept in clear); never created by opening. The
        session itself when ``org`` is its own."""
        if org == self.org and keyed:
            return self.uses
        if (org, keyed) not in self._others:
            from projections.usecases import LedgerSession

            self._others[(org, keyed)] = LedgerSession(
                self.target,
                self.named,
                explicit=self.explicit,
                open_ledger=lambda write: self._open_org(org, create=False, keyed=keyed),
                progress=progress,
                org=org,
            )
        return self._others[(org, keyed)]

    def _open(self, write: bool) -> Ledger:
        from ledger.storage.settings import is_postgres

        if write and not is_postgres(self.target) and not Path(self.target).exists():
            self._created = Path(self.target)
        # an organisation's ledger is created by `ragw org add`, or a restore into it
        return self._open_org(self.org, create=write and (self.org is None or self.creates_org))

    def _open_org(self, org: str | None, *, create: bool, keyed: bool = True) -> Ledger:
        from ledger import open_ledger
        from ledger.storage.opening import OrganisationMissingError

        try:
            return open_ledger(
                self.target,
                create=create,
                encryption_key=os.environ.get(KEY_VARIABLE) if keyed else None,
                org=org,
            )
        except OrganisationMissingError as error:
            raise LedgerMissingError(
                f"{error.target} holds no organisation {error.org}; add it with `ragw org "
                f"add {error.org} --name TEXT --kind KIND`, or check --org (RAGW_ORG)"
            ) from None

    @property
    def actor(self) -> str:
        return self.uses.actor

    def ledger(self, *, write: bool) -> Ledger:
        return self.uses.ledger(write=write)

    def abandon(self) -> None:
        """After a refusal: a ledger file this command created holds nothing; remove it."""
        created, self._created = self._created, None
        self.close()
        if created is not None:  # unless another command has recorded there since
            from ledger.storage import unmade  # a ledger was opened: its modules are in

            unmade.remove_if_unused(created)

    def close(self) -> None:
        if self._uses is not None:
            self._uses.close()
            self._uses = None
        others, self._others = self._others, {}
        for other in others.values():
            other.close()


#: :attr:`Session.if_cut_short` of a command that records (or writes) as it prints.
DONE_AS_PRINTED = (
    "the output was closed (its reader stopped reading) before this command ended: what it "
    "printed was done, what came after may not be; see `ragw log` for what was recorded "
    "(and the folder for what was written), before running it again with its output read "
    "to the end"
)


def cut_short(verdict: str) -> str:
    """:attr:`Session.if_cut_short` of a command whose answer, ``verdict``, is decided."""
    return f"the output was closed (its reader stopped reading) before it ended: {verdict}"


def reader_gone(error: BrokenPipeError) -> None:
    """After the reader of the output stopped reading it (``| head``): what the command
    was printing is let go now, while its store is still open (a board streamed from
    the read model ends its transaction, and closes its cursor, here rather than when
    the interpreter exits, after the connection is gone), and what is still buffered for
    the pipe goes nowhere, so it does not fail again on exit."""
    import traceback

    traceback.clear_frames(error.__traceback__)  # the frames' generators are closed
    with contextlib.suppress(OSError, ValueError):  # no file behind it (an embedding)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class LedgerGroup(click.Group):
    """Translates refusals into ``Error: ...`` and exit 1, and cleans up after them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse, before anything reads it, an argument holding bytes that are not
        UTF-8 (Python hands them on as lone surrogates, which no store, paper or sheet
        can hold): named by its place on the line, one ``Error:`` line, nothing done."""
        for place, arg in enumerate(args, start=1):
            if "\x00" in arg:  # no program can be given one; only a caller in Python can
                raise click.ClickException(
                    f"argument {place} holds U+0000 (NUL) at character "
                    f"{arg.index(chr(0)) + 1}, which nothing can hold; remove it"
                )
            bad = next((i for i, c in enumerate(arg) if "\ud800" <= c <= "\udfff"), None)
            if bad is not None:
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise click.ClickException(
                    f"argument {place} ({shown[:60]!r}) holds U+{ord(arg[bad]):04X} (a byte "
                    f"that is not UTF-8) at character {bad + 1}; type it again in UTF-8 (set "
                    "your terminal to UTF-8)"
                )
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as error:
            session = ctx.find_object(Session)
            if session is not None:
                session.abandon()
            from cli.hints import cli_text

            raise click.ClickException(cli_text(error)) from None
        except BrokenPipeError as error:
            # Not a refusal: the reader has read all it wanted. A read, or a write of
            # one transaction (recorded whole before it prints), ends quietly, as done; a
            # command that acts as it prints may have stopped between two acts, and one
            # whose exit status is its answer keeps it: each says so (Session.if_cut_short).
            reader_gone(error)
            session = ctx.find_object(Session)
            if session is not None and session.if_cut_short is not None:
                raise click.ClickException(session.if_cut_short) from None
            raise click.exceptions.Exit(0) from None
        except OSError as error:  # the file system's refusal: a name, a folder, a disk
            session = ctx.find_object(Session)
            if session is not None:
                session.abandon()
            where = f"{str(error.filename)[:80]}: " if error.filename else ""
            raise click.ClickException(
                f"{where}{error.strerror or error}; nothing was recorded"
            ) from None
        except Exception as error:
            # The database server's own refusal of a login (another organisation's
            # schema, the store's own ledger): what it refused, in one line.
            click_own = (click.ClickException, click.exceptions.Exit, click.exceptions.Abort)
            if isinstance(error, click_own):
                raise  # a refusal said already (its cause may be the server's), or --help
            # imported only now: --help passes through here, and must stay light
            from ledger.storage.settings import refused_by_the_server

            if not refused_by_the_server(error):
                raise  # a bug
            session = ctx.find_object(Session)
            if session is not None:
                session.abandon()
            said = " ".join(str(error).split())[:200]
            raise click.ClickException(
                f"the database refused this login ({said}); nothing was recorded: a login "
                "reaches its own organisation's ledger alone, so check --org (RAGW_ORG) and "
                "the login in --db"
            ) from None


def refuse(message: str) -> NoReturn:
    raise InvalidInputError(message)


def parse_digest(text: str | None) -> Digest | None:
    """A ``--digest`` as given (``POSITION:HEX``), or None when none was."""
    from ledger.chain import Digest

    if text is None:
        return None
    try:
        return Digest.parse(text)
    except ValueError as error:
        refuse(f"--digest {error}")


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    from ledger.due import parse_iso_date

    return parse_iso_date(value, option)


def parse_moment(value: str | None, option: str = "--as-known-at") -> datetime | None:
    """An ISO 8601 moment given as ``option``, read as every front end reads one
    (:func:`ledger.due.parse_moment`); None when not given."""
    if value is None:
        return None
    from ledger.due import parse_moment as moment_of

    return moment_of(value, option)


def span_days(text: str) -> int | None:
    """ "45d", "6w", "2m" (30-day months) or a bare number of days, in at most five
    digits; None when ``text`` is none of these."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([dwm]?)\s*", text.lower())
    return int(match[1]) * {"": 1, "d": 1, "w": 7, "m": 30}[match[2]] if match else None


def session_of(ctx: click.Context) -> Session:
    return ctx.ensure_object(Session)


def record(
    ctx: click.Context, write: Callable[[Ledger, str], list[str]], *, requests: bool = False
) -> None:
    """Run one write and print the ids of what it recorded, one a line. With
    ``requests`` (a write that may only ask for a change), say when it awaits sign-off."""
    session = session_of(ctx)
    ledger = session.ledger(write=True)
    ids = write(ledger, session.actor)
    for event_id in ids:
        click.echo(f"recorded {event_id}")
    if requests and ids:
        say_if_pending(session, ids[-1])


def say_if_pending(session: Session, event_id: str) -> None:
    """When ``event_id`` asked for a change rather than made it, say so and how it is
    decided."""
    from projections.usecases.access import awaiting_sign_off

    awaiting = awaiting_sign_off(session.uses, event_id)
    if awaiting is None:
        return
    key = awaiting.key
    click.echo(
        f"{key}: {awaiting.asks} ({awaiting.why}); governance signs it off with "
        f"`ragw sign-off {key}` or rejects it with `ragw reject {key} --reason ...`"
    )


link_option = click.option(
    "--link",
    "links",
    multiple=True,
    metavar="URL",
    help="Where the evidence is (a web address or a document's place); repeat for more.",
)

on_option = click.option(
    "--on",
    "on",
    metavar="DATE",
    help="The date the change took effect (YYYY-MM-DD). Default: today; never in the future.",
)


force_option = click.option(
    "--force",
    "force",
    is_flag=True,
    help="Replace the --out file if it exists; without it an existing file is refused.",
)

known_at_option = click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    metavar="DATETIME",
    help="Only what had been recorded by this moment (ISO 8601): the paper as it could "
    "have been written then.",
)


def meeting_day(value: str) -> date:
    """A meeting's DATE argument."""
    day = parse_day(value, "DATE")
    assert day is not None
    return day


def output_path(
    out: str | None, suffixes: tuple[str, ...], usage: str, *, force: bool = False
) -> Path:
    """Where a command writes: given, with a suffix it writes, in a folder that exists;
    an existing file (or a link) there is replaced only with ``--force``."""
    if not out:
        refuse(f"--out is needed: {usage}")
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        refuse(f"--out {out}: {usage}; give a file ending {' or '.join(suffixes)}")
    if not path.parent.exists():
        refuse(f"--out {out}: folder {path.parent} does not exist; create it first")
    if path.is_dir() and not path.is_symlink():
        refuse(f"--out {out} is a folder; give a file name")
    if os.path.lexists(path) and not force:
        refuse(f"--out {out} already exists; give --force to replace it, or another file name")
    return path
