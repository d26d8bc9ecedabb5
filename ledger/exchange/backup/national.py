"""A backup's national events replayed through the rules they passed when recorded:
the inspectorate's verdicts, re-made by :class:`~ledger.aggregates.Verdicts`'s
commands, and a national report a force received, naming its origin.

Both depend on whose ledger it is, which the ledger's own identity (its
``OrganisationAdded``, earlier in the file) says: verdicts are an inspectorate's, on
another organisation's items; a report with an origin was received by a force from
another organisation. A received report, and its items, were authorised by the
inspectorate's ledger that issued them, so the force's roles are not asked of them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from events import ReportRegistered, VerdictEvent, VerdictGiven, VerdictsBegun
from ledger.aggregates import Access, Organisation, Verdicts
from ledger.errors import RuleBrokenError
from ledger.exchange.backup.items import authorized
from ledger.keys import organisation_id
from ledger.national import GIVES_VERDICTS, RECEIVES
from ledger.storage.organisation import check_org


def _whose(aggregates: dict[UUID, Any], org: str | None) -> tuple[str | None, str]:
    """The kind of organisation whose ledger this is (None: no identity earlier in the
    file, or the single ledger) and how to name the ledger in a refusal."""
    if org is None:
        return None, "the ledger of no organisation"
    identity = aggregates.get(organisation_id(org))
    if not isinstance(identity, Organisation):
        return None, f"organisation {org}'s ledger, whose identity no earlier event records"
    return identity.kind, f"{identity.describe()}'s ledger"


def remake_verdict_event(
    aggregates: dict[UUID, Any], event: VerdictEvent, access: Access | None, org: str | None
) -> Verdicts:
    """The verdicts on an organisation's items, with the event ``give_verdict`` gives
    pending: in an inspectorate's ledger only, on another organisation's items."""
    kind, this = _whose(aggregates, org)
    if kind != GIVES_VERDICTS:
        raise RuleBrokenError(f"verdicts are an inspectorate's, and this is {this}")
    authorized(access, event.actor, "giving a verdict")
    if isinstance(event, VerdictsBegun):
        if event.org == org:
            raise RuleBrokenError(
                f"it begins verdicts on {org}'s own items, and an inspectorate's verdicts "
                "are on another organisation's"
            )
        return Verdicts.begin(org=event.org, actor=event.actor, on=event.on)
    if not isinstance(event, VerdictGiven):
        raise RuleBrokenError(f"{type(event).__name__} is not an event a restore replays")
    verdicts: Verdicts = aggregates[event.originator_id]
    verdicts.give(event.key, event.verdict, event.reason, event.actor, event.on)
    return verdicts


def check_origin(aggregates: dict[UUID, Any], event: ReportRegistered, org: str | None) -> None:
    """Refuse a report naming an origin unless a force's ledger received it from
    another organisation, named by its code as kept."""
    if event.origin is None:
        return
    kind, this = _whose(aggregates, org)
    if kind != RECEIVES:
        raise RuleBrokenError(
            f"it was received from {event.origin!r}, and only a force receives national "
            f"reports; this is {this}"
        )
    if check_org(event.origin) != event.origin:
        raise RuleBrokenError(f"its origin {event.origin!r} is not written as it is kept")
    if event.origin == org:
        raise RuleBrokenError(
            f"it names {org}, whose ledger this is, as its origin: a report is received "
            "from another organisation"
        )
