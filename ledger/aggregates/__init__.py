"""The aggregates, one a module as in :mod:`events`: a report, a recommendation (an
item on the tracker), a committee and its meetings, who may do what (access), and the
ledger's rules (sign-off). Rules of each live on it."""

from __future__ import annotations

from eventsourcing.utils import register_topic

from ledger.aggregates.access import Access, fold_name
from ledger.aggregates.committee import Committee
from ledger.aggregates.inspection import Inspection
from ledger.aggregates.organisation import Organisation
from ledger.aggregates.owners import Contacts
from ledger.aggregates.recommendation import NEEDS_REASON, Recommendation
from ledger.aggregates.report import Report
from ledger.aggregates.rules import Rules
from ledger.aggregates.verdicts import GivenVerdict, Verdicts
from ledger.keys import ACCESS_KEY, OWNERS_KEY, RULES_KEY, organisation_key, verdicts_key

#: Where each aggregate lived when ledgers written by ragw 0.1 stored its topic in their
#: creation events: those topics must resolve for as long as such ledgers exist.
for _aggregate in (Access, Committee, Recommendation, Report, Rules):
    register_topic(f"ledger.aggregates:{_aggregate.__name__}", _aggregate)


def stream_key(
    aggregate: Report
    | Recommendation
    | Committee
    | Access
    | Rules
    | Contacts
    | Inspection
    | Organisation
    | Verdicts,
) -> str:
    """The key an aggregate's events are named by (``KEY@VERSION``)."""
    if isinstance(aggregate, Organisation):
        return organisation_key(aggregate.code)
    if isinstance(aggregate, Verdicts):
        return verdicts_key(aggregate.org)
    if isinstance(aggregate, Contacts):
        return OWNERS_KEY
    if isinstance(aggregate, Access):
        return ACCESS_KEY
    if isinstance(aggregate, Rules):
        return RULES_KEY
    return aggregate.key if isinstance(aggregate, Recommendation) else aggregate.code


__all__ = [
    "NEEDS_REASON",
    "Access",
    "Committee",
    "Contacts",
    "GivenVerdict",
    "Inspection",
    "Organisation",
    "Recommendation",
    "Report",
    "Rules",
    "Verdicts",
    "fold_name",
    "stream_key",
]
