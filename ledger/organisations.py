"""Organisations, as commands: an organisation added to the register of a shared store
(the single ledger, whose governance adds organisations), and the same addition in the
organisation's own ledger, its identity in its own chain: its first event, or the event
after the history of a single ledger restored into it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import OriginatorIDError, OriginatorVersionError
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import TopicError

from events import OrganisationAdded
from ledger.aggregates.organisation import Organisation, organisation_name
from ledger.errors import AlreadyExistsError, LedgerUnreadableError, RuleBrokenError
from ledger.governance import Governance
from ledger.keys import organisation_id
from ledger.storage.organisation import check_kind, check_org

#: A table ragw names for an organisation: ``org_<code>`` (a schema, or a prefix), then
#: the events table's name, in lower-case letters, digits and underscores.
_STORED = re.compile(r"org_[a-z0-9]+(\.|__)[a-z0-9_]+")

#: What replaying a stream its rules cannot follow raises: the library's own checks (a
#: second creation of an aggregate asserts; an event out of turn, or of another stream),
#: and an event that cannot be made again from what is stored (pydantic's ValueError, a
#: topic naming no class). Not the database's refusals, which are said as they are.
REPLAY_FAILURES = (
    AssertionError,
    ValueError,
    OriginatorIDError,
    OriginatorVersionError,
    TopicError,
)


class Organisations(Governance):
    """The organisations a ledger knows: every one, in the register; its own, in an
    organisation's ledger."""

    def organisation(self, code: str) -> Organisation | None:
        """Organisation ``code`` as this ledger recorded it; None when it holds none."""
        written = check_org(code)
        try:
            with self.replaying(f"its organisation {written}"):
                return cast(Organisation, self.repository.get(organisation_id(written)))
        except AggregateNotFoundError:
            return None

    @contextmanager
    def replaying(self, what: str) -> Iterator[None]:
        """Replay ``what`` of this ledger (its organisation WMP, its report FRAUD19...):
        one whose events its rules cannot follow is refused, naming this ledger and what
        to do, rather than failing as a replay fails."""
        try:
            yield
        except AggregateNotFoundError:
            raise
        except REPLAY_FAILURES as error:
            said = " ".join(str(error).split())[:160]
            why = f"{type(error).__name__}: {said}" if said else type(error).__name__
            raise LedgerUnreadableError(self.org, what, why) from error

    def identity(self) -> Organisation | None:
        """The organisation whose ledger this is, as its identity event names it; None for
        the single ledger, or an organisation's ledger not added yet."""
        return self.organisation(self.org) if self.org else None

    def ledgers_held(self) -> list[str]:
        """The organisations whose own ledgers in this store hold events, found by their
        tables (``org_<code>``), whatever the register says: a ledger restored with
        ``--org`` is found before it is added. One whose events this login may not read
        counts as holding some."""
        recorder: Any = self.recorder
        postgres = not isinstance(recorder, SQLiteApplicationRecorder)
        events = recorder.events_table_name.split(".")[-1]  # as every ledger names it
        with recorder.datastore.transaction(commit=False) as cursor:
            if postgres:
                cursor.execute(
                    "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname "
                    "LIKE 'org\\_%%' AND tablename = %s ORDER BY 1",
                    (events,),
                )
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE "
                    "'org\\_%' ESCAPE '\\' AND substr(name, instr(name, '__') + 2) = ? "
                    "ORDER BY 1",
                    (events,),
                )
            tables = [_first(row) for row in cursor.fetchall()]
            held = []
            for table in tables:
                if not _STORED.fullmatch(table):  # no name ragw gives: someone else's
                    held.append(table)
                    continue
                if postgres:
                    cursor.execute("SELECT has_table_privilege(%s, 'SELECT')", (table,))
                    if not _first(cursor.fetchone()):
                        held.append(table)
                        continue
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
                if _first(cursor.fetchone()):
                    held.append(table)
        return [table.removeprefix("org_").split(".")[0].split("__")[0].upper() for table in held]

    def organisations(self) -> list[OrganisationAdded]:
        """Every organisation this ledger recorded, in the order added."""
        return [
            cast(OrganisationAdded, event) for _, event in self.read_log(types=(OrganisationAdded,))
        ]

    def addable(self, code: str, *, name: str, kind: str, actor: str) -> tuple[str, str, str]:
        """The code, name and kind of an organisation ``actor`` may add here, as kept;
        refused when they may not, when it is here already, or when this is another
        organisation's ledger."""
        self.authorize(actor, what="adding an organisation")
        written = check_org(code)
        kinds = check_kind(kind)
        named = organisation_name(name)
        own = self.org
        if own is not None and own != written:
            raise RuleBrokenError(
                "organisation {own}'s ledger names organisation {own} alone, not {code}",
                own=own,
                code=written,
            )
        found = self.organisation(written)
        if found is not None:
            raise AlreadyExistsError(
                "organisation {code} is {where} already: {added}",
                code=written,
                where="in the register" if own is None else "added",
                added=found.describe(),
            )
        return written, named, kinds

    def add_organisation(self, code: str, *, name: str, kind: str, actor: str) -> list[str]:
        """Record organisation ``code``, called ``name``, of ``kind``: in the register,
        by its governance; in the organisation's own ledger, as its first event, or after
        the events of a single-organisation ledger restored into it (a force joining a
        shared store with its history), which its identity then follows."""
        written, named, kinds = self.addable(code, name=name, kind=kind, actor=actor)
        added = Organisation.add(code=written, name=named, kind=kinds, actor=actor, on=self.today())
        return self.save_all(added, what=f"organisation {written}")


def _first(row: Any) -> Any:
    """A fetched row's first value, whichever row factory the connection uses."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
