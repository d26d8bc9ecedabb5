"""An organisation of a shared store, known by its code: what it is called and what
kind of body it is. Its rules live here, so a restore re-makes its event by them."""

from __future__ import annotations

from datetime import date

from events import OrganisationAdded, OrganisationEvent
from ledger.aggregates.moments import InOrder
from ledger.errors import Field, RuleBrokenError
from ledger.inputs import check_name, clean_text
from ledger.keys import organisation_id
from ledger.storage.organisation import check_kind, check_org


def organisation_name(text: str) -> str:
    """What an organisation is called, trimmed: a name, so one line that cannot show as
    another's (it is printed beside other organisations' names)."""
    return check_name(clean_text(text, Field.NAME, required=True) or "", Field.NAME)


class Organisation(InOrder):
    """An organisation: its ``code``, ``name`` and ``kind``."""

    Event = OrganisationEvent
    Registered = OrganisationAdded

    @classmethod
    def add(cls, *, code: str, name: str, kind: str, actor: str, on: date) -> Organisation:
        """Organisation ``code``, as ``ragw org add`` records it: its code in capitals, its
        name trimmed, its kind one of the kinds; anything written otherwise is refused."""
        written = check_org(code)
        if written != code:
            raise RuleBrokenError(
                "organisation code {code!r} is not written as it is kept ({written!r})",
                code=code,
                written=written,
            )
        kinds = check_kind(kind)
        if kinds != kind:
            raise RuleBrokenError(
                "kind {kind!r} is not written as it is kept ({written!r})",
                kind=kind,
                written=kinds,
            )
        if organisation_name(name) != name:
            raise RuleBrokenError("organisation {code}'s name is not trimmed", code=code)
        return cls._create(
            OrganisationAdded,
            id=organisation_id(code),
            code=code,
            name=name,
            kind=kind,
            actor=actor,
            on=on,
        )

    def when(self, event: OrganisationEvent) -> None:
        if isinstance(event, OrganisationAdded):
            self.code: str = event.code
            self.name: str = event.name
            self.kind: str = event.kind

    def describe(self) -> str:
        """``WMP (West Midlands Police, force)``."""
        return f"{self.code} ({self.name}, {self.kind})"
