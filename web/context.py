"""What one request holds: the ledger session it reads and writes through (opened on
first use, closed when the request ends), and how a refusal is shown.

Under the session, each worker process keeps its ledger open from one request to the
next (a worker answers one request at a time): opening one costs more than most pages
(a new connection, and on PostgreSQL its types read afresh). Every read still goes to
the store, so each request sees everything recorded before it, by any worker."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any

from flask import current_app, g, render_template

from ledger.errors import ConflictError, ForbiddenError, LedgerError, NotFoundError
from web.hints import web_text

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.usecases.session import LedgerSession


def uses() -> LedgerSession:
    """The request's ledger session: the ledger at the service's ``--db`` (its
    organisation's, with ``--org``), opened on first use. The actor it names is unused:
    every write names the signed-in user."""
    if "uses" not in g:
        from projections.usecases.session import LedgerSession

        settings = current_app.config
        g.uses = LedgerSession(
            settings["RAGW_TARGET"],
            "web",
            open_ledger=lambda write: workers_ledger(
                settings["RAGW_TARGET"], settings["RAGW_KEY"], settings.get("RAGW_ORG")
            ),
            closes_ledger=False,
            org=settings.get("RAGW_ORG"),
        )
    session: LedgerSession = g.uses
    return session


def other_session(org: str | None) -> LedgerSession:
    """A session of another organisation's ledger in the service's store (None: the
    store's own, its register), read for what the service's organisation may see of it
    (the verdicts on its items); closed with the request."""
    from projections.usecases.session import LedgerSession

    others: dict[str | None, LedgerSession] = g.setdefault("others", {})
    if org not in others:
        settings = current_app.config
        others[org] = LedgerSession(
            settings["RAGW_TARGET"],
            "web",
            open_ledger=lambda write: workers_ledger(
                settings["RAGW_TARGET"], settings["RAGW_KEY"], org
            ),
            closes_ledger=False,
            org=org,
        )
    return others[org]


#: The ledger each worker process keeps open, by process, store and organisation.
_OPEN: dict[tuple[int, str, str | None], Ledger] = {}


def workers_ledger(target: str, key: str | None, org: str | None = None) -> Ledger:
    """This process's ledger at ``target`` (organisation ``org``'s), opened on its first
    request."""
    found = _OPEN.get((os.getpid(), target, org))
    if found is None:
        from ledger import open_ledger

        found = _OPEN[(os.getpid(), target, org)] = open_ledger(
            target, create=False, encryption_key=key, org=org
        )
    return found


def forget_ledger(target: str, org: str | None = None) -> None:
    """After a failure that was not a refusal (a lost connection...): the next request
    opens the ledger afresh."""
    found = _OPEN.pop((os.getpid(), target, org), None)
    if found is not None:
        with contextlib.suppress(Exception):
            found.close()


def close_session(error: BaseException | None = None) -> None:
    """At the end of every request, whatever happened in it."""
    session = g.pop("uses", None)
    if session is not None:
        session.close()
    for other in g.pop("others", {}).values():
        other.close()
    if error is not None and not isinstance(error, LedgerError):
        forget_ledger(current_app.config["RAGW_TARGET"], current_app.config.get("RAGW_ORG"))


def status_of(error: LedgerError) -> int:
    """The HTTP status a refusal is answered with."""
    if isinstance(error, ForbiddenError):
        return 403
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    return 422


def refused(error: LedgerError, template: str = "refused.html", **context: Any) -> Any:
    """``template`` with the ledger's message in an alert, and a 4xx status."""
    return render_template(template, refusal=web_text(error), **context), status_of(error)
