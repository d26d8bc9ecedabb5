"""Whether the national reports an organisation's ledger says it received, and their
items, are what the issuer's ledger issued.

A force's own login may insert events with the library (PostgreSQL under roles: every
writer's login may), so it could record a report "issued by HMICFRS" that HMICFRS never
issued, or an item of its own under a report it did receive; the chain links such an
event like any other, and the rules of the force's ledger alone cannot tell. The
issuer's ledger can: this holds the one against the other, as a restore holds a backup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from events import RecommendationIssued, ReportRegistered
from ledger.errors import LedgerError
from ledger.exchange.backup.lines import backup_lines
from ledger.inputs import as_recorded
from ledger.national import IssuedReports, check_received
from projections.usecases.files import issuer_of

if TYPE_CHECKING:
    from projections.usecases.session import LedgerSession

#: What a report or item received otherwise than as issued is, in verify's words.
PLANTED = (
    "it was written outside the ledger's rules: no command records a report received "
    "otherwise than as its issuer issued it; restore the ledger from a backup taken before it"
)


def check_received_reports(
    session: LedgerSession,
    open_org: Callable[[str], LedgerSession],
    open_clear: Callable[[str], LedgerSession] | None = None,
) -> tuple[str, ...]:
    """Refuse, naming its position in the log, a report the session's ledger says it
    received, or an item of one, that is not as the issuer's ledger (opened by
    ``open_org`` with this session's key, ``open_clear`` without one: an issuer kept in
    clear beside an encrypted force) issued it; the issuers this login may not read,
    whose reports were left unchecked (a force's login, to whom another organisation's
    schema is closed; or one kept under another key)."""
    ledger = session.ledger(write=False)
    issued = issuer_of(open_org, open_clear)
    unread: list[str] = []

    def readable(org: str) -> IssuedReports | None:
        try:
            return issued(org)
        except LedgerError:
            if org not in unread:
                unread.append(org)
            return None

    events = ledger.read_log(types=(ReportRegistered, RecommendationIssued))
    lines = ((int(line["position"]), line) for line in backup_lines(events))
    with as_recorded():  # texts as recorded, on both sides
        check_received(lines, readable, where="position", ending=PLANTED)
    return tuple(unread)
