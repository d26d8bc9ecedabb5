"""A ledger opened on first use, with its stored read model: one per command or request.

Which read path serves a read is decided here, once (:meth:`LedgerSession.read_model`):
the stored read model, brought up to date first; an encrypted ledger's is kept sealed
under keys derived from its key (:mod:`projections.store.sealing`), so nothing readable
is stored beside it and its reads need not fold the decrypted log.
A login that may not write the model (on PostgreSQL after ``ragw admin init-roles``,
where ``ragw follow`` alone keeps it) never writes: it reads the model as it is when it
is up to date, and otherwise folds the events the follower has not reached yet over it
in memory (:mod:`projections.store.tail`), or the whole log when they are many.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.errors import Field, LedgerError
from ledger.storage.settings import connect as connect_to_database
from ledger.storage.settings import is_postgres

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.recorded import Recorded
    from projections.store import TimelineStore

#: Reports progress of long work: given how much work there is and what it is, a
#: context whose value is called with each amount done (a front end's progress bar).
Progress = Callable[[int, str], AbstractContextManager[Callable[[int], object]]]


@contextmanager
def no_progress(total: int, label: str) -> Iterator[Callable[[int], object]]:
    """Progress nobody watches."""
    yield lambda done: None


class LedgerSession:
    """The ledger at ``target``, opened on first use by ``open_ledger(write)`` (the
    front end's, which passes its settings), and the stored read model beside it.

    ``actor`` is who records, as the front end names them; ``explicit`` says whether
    they named themselves (a flag, a variable) rather than being the login name;
    ``closes_ledger`` whether closing the session closes the ledger it opened."""

    def __init__(
        self,
        target: str,
        actor: str,
        *,
        open_ledger: Callable[[bool], Ledger],
        explicit: bool = False,
        progress: Progress = no_progress,
        closes_ledger: bool = True,
        org: str | None = None,
    ) -> None:
        self.target = target
        #: The organisation whose ledger ``open_ledger`` opens (None: the store's own).
        self.org = org
        #: Whether :meth:`close` closes the ledger too; not when the front end keeps one
        #: open across its sessions (a web worker's, one request at a time).
        self.closes_ledger = closes_ledger
        self.named = actor
        self.explicit = explicit
        self.progress = progress
        self._open = open_ledger
        self._ledger: Ledger | None = None
        #: Whether this session reads only what needs no key (see :meth:`ledger`).
        self._keyless = False
        self._store: TimelineStore | None = None
        #: The login the server authenticated, and its twins: asked once a session.
        self._server_login: tuple[str, list[str]] | None = None

    @property
    def actor(self) -> str:
        """Who records: on a PostgreSQL ledger under access control, the authenticated
        database login (roles are checked against it, so no flag can borrow another's);
        otherwise the name given, or the login name."""
        # not held here: whoever asks it opens the ledger as it reads or writes, and
        # is held there
        ledger = self._opened(write=False)
        if not is_postgres(self.target) or ledger.access() is None:
            return self.named
        if self._server_login is None:
            from ledger.storage.logins import server_login  # PostgreSQL's driver, now

            self._server_login = server_login(ledger)
        login, twins = self._server_login
        if twins:
            raise LedgerError(
                "the database logins {login} and {twins} read as one name in this ledger's "
                "roles (names match whatever their case and spacing), so each would act "
                "with the other's roles; nothing was done; have the database's "
                "administrator rename or drop all but one",
                login=repr(login),
                twins=", ".join(map(repr, twins)),
            )
        if self.explicit and self.named.casefold() != login.casefold():
            raise LedgerError(
                "on this PostgreSQL ledger you act as your database login {login}, which "
                "its roles are checked against; leave out {actor}",
                login=repr(login),
                actor=Field.ACTOR,
            )
        return login

    @contextmanager
    def connect(self) -> Iterator[Any]:
        """A connection to the PostgreSQL database as the login of the URL; for an
        organisation's ledger, with its schema alone on the search path."""
        org = self.org or (self._ledger.org if self._ledger is not None else None)
        with connect_to_database(self.target, org=org, autocommit=True) as connection:
            yield connection

    def ledger(self, *, write: bool, keyless: bool = False) -> Ledger:
        """The ledger; ``write`` lets opening create a ledger that does not exist yet.

        It is held to its record of its key first, once: a read (or a write, which reads
        the items it changes before it writes) without the ledger's key, with another, or
        with a key to a ledger kept in clear is refused in the words a write's refusal
        uses, before any event or model row is read. A write is held again in the
        transaction that writes it, under the store's lock
        (:mod:`ledger.storage.keycheck`). ``keyless``: this session reads only what needs
        no key (the chain, which ``ragw verify`` checks without it), and is not held, now
        or later."""
        ledger = self._opened(write)
        self._keyless = self._keyless or keyless
        if not self._keyless:
            from ledger.storage.keycheck import hold_reading

            hold_reading(ledger)
        return ledger

    def _opened(self, write: bool) -> Ledger:
        """The ledger, opened on first use, not held to its key."""
        if self._ledger is None:
            self._ledger = self._open(write)
        return self._ledger

    def read_model(self) -> TimelineStore | None:
        """What reads are answered from: the stored read model, up to date with the log
        (brought up to date first by a login that may write it; an encrypted ledger's
        sealed); None when reads fold instead: a model this login may not write that
        lags behind the log (:meth:`recorded` folds its tail). The one place that
        chooses."""
        store = self.store()
        if store.writable:
            return self.caught_up()
        if store.ready and store.position() >= self.ledger(write=False).last_position():
            return store
        return None

    def recorded(self, known_at: datetime | None) -> Recorded:
        """What the ledger holds, as known at ``known_at`` (everything when None), with
        the ledger's digest as read."""
        # the read side loads on the first read: a write (every session's commonest
        # use) never needs it, and loading it would add about a tenth to each write
        from projections.recorded import Recorded

        ledger = self.ledger(write=False)
        store = self.read_model()
        if store is not None:
            recorded = Recorded.stored(store, known_at)
        else:
            recorded = self._lagging(known_at) or Recorded.of(
                (event for _, event in ledger.read_log()), known_at
            )
        digest = ledger.digest(known_at)
        recorded.digest = str(digest) if digest else None
        return recorded

    def _lagging(self, known_at: datetime | None) -> Recorded | None:
        """The model this login may not write, with the events its follower has not
        reached yet folded over it; None when there is none to read, or the tail is too
        long (:data:`projections.store.tail.TAIL`) and the whole log is folded."""
        from projections.store.tail import overlaid, read_tail

        ledger = self.ledger(write=False)
        if (store := self.store()).writable or not store.ready:
            return None
        tail = read_tail(ledger, store.position())
        return None if tail is None else overlaid(store, ledger, tail, known_at)

    def caught_up(self) -> TimelineStore:
        """The stored read model, brought up to date with the log first."""
        ledger, store = self.ledger(write=False), self.store()
        behind = ledger.last_position() - store.position()
        with self.progress(behind, "Bringing the read model up to date") as bar:
            store.catch_up(progress=bar)
        return store

    def store(self) -> TimelineStore:
        """The stored read model (brought up to date by each of its reads; an encrypted
        ledger's sealed)."""
        from projections.store import TimelineStore  # on the first read: see recorded()

        if self._store is None:
            self._store = TimelineStore(self.ledger(write=False), self.target)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._ledger is not None:
            if self.closes_ledger:
                self._ledger.close()
            self._ledger = None
        self._keyless = False
