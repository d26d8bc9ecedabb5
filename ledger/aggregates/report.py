"""An inspection report: registered once, with the code its items are keyed by."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from events import ReportEvent, ReportRegistered, Scope
from ledger.aggregates.moments import InOrder
from ledger.keys import report_id


class Report(InOrder):
    Event = ReportEvent
    Registered = ReportRegistered

    @classmethod
    def register(
        cls,
        *,
        code: str,
        title: str,
        scope: Scope,
        published: date,
        inspectorates: Sequence[str],
        makes: int | None,
        restricted: bool = False,
        inspection: str | None = None,
        origin: str | None = None,
        actor: str,
        on: date,
    ) -> Report:
        return cls._create(
            ReportRegistered,
            id=report_id(code),
            code=code,
            title=title,
            scope=scope,
            published=published,
            inspectorates=tuple(inspectorates),
            makes=makes,
            restricted=restricted,
            inspection=inspection,
            origin=origin,
            actor=actor,
            on=on,
        )

    def when(self, event: ReportEvent) -> None:
        if isinstance(event, ReportRegistered):
            self.code: str = event.code
            self.title: str = event.title
            self.scope: Scope = event.scope
            self.published: date = event.published
            #: How many recommendations it makes, as registered (0: none, None: not said).
            self.makes: int | None = event.makes
            self.inspectorates: tuple[str, ...] = event.inspectorates
            self.restricted: bool = event.restricted
            #: The organisation that issued it to this ledger; None: registered here.
            self.origin: str | None = event.origin
