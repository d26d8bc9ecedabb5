"""Organisations, as commands: an organisation added to the register of a shared store
(the single ledger, whose governance adds organisations), and the same addition in the
organisation's own ledger, its identity in its own chain: its first event, or the event
after the history of a single ledger restored into it."""

from __future__ import annotations

from typing import cast

from eventsourcing.application import AggregateNotFoundError

from events import OrganisationAdded
from ledger.aggregates.organisation import Organisation, organisation_name
from ledger.errors import AlreadyExistsError, RuleBrokenError
from ledger.governance import Governance
from ledger.keys import organisation_id
from ledger.storage.organisation import check_kind, check_org


class Organisations(Governance):
    """The organisations a ledger knows: every one, in the register; its own, in an
    organisation's ledger."""

    def organisation(self, code: str) -> Organisation | None:
        """Organisation ``code`` as this ledger recorded it; None when it holds none."""
        try:
            return cast(Organisation, self.repository.get(organisation_id(check_org(code))))
        except AggregateNotFoundError:
            return None

    def identity(self) -> Organisation | None:
        """The organisation whose ledger this is, as its identity event names it; None for
        the single ledger, or an organisation's ledger not added yet."""
        return self.organisation(self.org) if self.org else None

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
