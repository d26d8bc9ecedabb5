"""What every command shares: the lazily opened ledger, refusals, dates and writes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ledger.errors import InvalidInputError, LedgerError

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.recorded import Recorded
    from projections.store import TimelineStore

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
    """Opens the ledger on first use, so ``--help`` never touches a database."""

    def __init__(self, target: str, actor: str, *, explicit: bool = False) -> None:
        self.target = target
        self.named = actor
        #: Whether the actor was given (--actor, RAGW_ACTOR) rather than the login name.
        self.explicit = explicit
        self._ledger: Ledger | None = None
        self._store: TimelineStore | None = None
        self._created: Path | None = None

    @property
    def actor(self) -> str:
        """Who records: on a PostgreSQL ledger under access control, the authenticated
        database login (roles are checked against it, so no flag can borrow another's);
        otherwise the name given, or the login name."""
        from ledger.storage.settings import is_postgres, login_of

        if not is_postgres(self.target) or self.ledger(write=False).access() is None:
            return self.named
        login = login_of(self.target)
        if self.explicit and self.named.casefold() != login.casefold():
            raise LedgerError(
                f"on this PostgreSQL ledger you act as your database login {login!r}, which "
                "its roles are checked against; leave out --actor (and RAGW_ACTOR)"
            )
        return login

    @contextmanager
    def connect(self) -> Iterator[Any]:
        """A connection to the PostgreSQL database as the login of the URL."""
        from ledger.storage.settings import connect

        with connect(self.target, autocommit=True) as connection:
            yield connection

    def ledger(self, *, write: bool) -> Ledger:
        if self._ledger is None:
            from ledger import open_ledger
            from ledger.storage.settings import is_postgres

            if write and not is_postgres(self.target) and not Path(self.target).exists():
                self._created = Path(self.target)
            self._ledger = open_ledger(
                self.target, create=write, encryption_key=os.environ.get(KEY_VARIABLE)
            )
        return self._ledger

    def recorded(self, known_at: datetime | None) -> Recorded:
        """What the ledger holds, as known at ``known_at``, its items' states read from
        the stored read model, brought up to date first."""
        from projections.recorded import Recorded

        ledger = self.ledger(write=False)
        if ledger.encrypted:  # nothing derived is kept in clear: fold the decrypted log
            recorded = Recorded.of((event for _, event in ledger.read_log()), known_at)
        else:
            recorded = Recorded.stored(self.caught_up(), known_at)
        digest = ledger.digest()
        recorded.digest = str(digest) if digest else None
        return recorded

    def caught_up(self) -> TimelineStore:
        """The stored read model, brought up to date with the log first (with a
        progress bar when that is long work, e.g. the first read after an import)."""
        ledger, store = self.ledger(write=False), self.store()
        behind = ledger.last_position() - store.position()
        with progress(behind, "Bringing the read model up to date") as bar:
            store.catch_up(progress=bar)
        return store

    def store(self) -> TimelineStore:
        """The stored read model (brought up to date by each of its reads)."""
        from projections.store import TimelineStore

        if self.ledger(write=False).encrypted:
            raise LedgerError(
                "this ledger is encrypted, so nothing derived from it is stored in clear "
                "beside it: its reads replay the decrypted events, and there is no read "
                "model to rebuild"
            )
        if self._store is None:
            self._store = TimelineStore(self.ledger(write=False), self.target)
        return self._store

    def abandon(self) -> None:
        """After a refusal: a ledger file this command created holds nothing; remove it."""
        created, self._created = self._created, None
        self.close()
        if created is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{created}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None


class LedgerGroup(click.Group):
    """Translates refusals into ``Error: ...`` and exit 1, and cleans up after them."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as error:
            session = ctx.find_object(Session)
            if session is not None:
                session.abandon()
            from cli.hints import cli_text

            raise click.ClickException(cli_text(error)) from None


def refuse(message: str) -> NoReturn:
    raise InvalidInputError(message)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    from ledger.due import parse_iso_date

    return parse_iso_date(value, option)


def parse_moment(value: str | None) -> datetime | None:
    """An ISO 8601 moment; a bare date means the end of that day; no zone means local."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time.max)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        refuse(
            f"--as-known-at {value!r} is not a date-time; write ISO 8601, "
            "e.g. 2019-11-03T10:15:00+00:00 or 2019-11-03"
        )
    return moment if moment.tzinfo else moment.astimezone()


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
        say_if_pending(ledger, session.actor, ids[-1])


def say_if_pending(ledger: Ledger, actor: str, event_id: str) -> None:
    """When ``event_id`` asked for a change rather than made it, say so and how it is
    decided."""
    from events import SignOffFor
    from ledger.keys import split_event_id

    key, version = split_event_id(event_id)
    pending = ledger.get_recommendation(key).pending()
    if pending is None or pending.version != version:
        return
    if pending.request == "GREEN":
        why = "completion is always signed off"
    else:
        change = SignOffFor.CLOSURES if pending.request == "CLOSED" else SignOffFor.EXTENSIONS
        committees = ledger.needs_sign_off(actor, change)
        verb = "requires" if len(committees) == 1 else "require"
        why = f"{', '.join(committees)} {verb} sign-off for {change}"
    click.echo(
        f"{key}: {pending.describe()} ({why}); governance signs it off with "
        f"`ragw sign-off {key}` or rejects it with `ragw reject {key} --reason ...`"
    )


link_option = click.option(
    "--link", "links", multiple=True, metavar="URL",
    help="Where the evidence is (a web address or a document's place); repeat for more.",
)  # fmt: skip

on_option = click.option(
    "--on", "on", metavar="DATE",
    help="The date the change took effect (YYYY-MM-DD). Default: today; never in the future.",
)  # fmt: skip


def output_path(out: str | None, suffixes: tuple[str, ...], usage: str) -> Path:
    """Where a command writes: given, with a suffix it writes, in a folder that exists."""
    if not out:
        refuse(f"--out is needed: {usage}")
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        refuse(f"--out {out}: {usage}; give a file ending {' or '.join(suffixes)}")
    if not path.parent.exists():
        refuse(f"--out {out}: folder {path.parent} does not exist; create it first")
    return path
