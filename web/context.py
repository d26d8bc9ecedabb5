"""What one request holds: the ledger session it reads and writes through (opened on
first use, closed when the request ends), and how a refusal is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app, g, render_template

from ledger.errors import ConflictError, ForbiddenError, LedgerError, NotFoundError
from web.hints import web_text

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.usecases.session import LedgerSession


def uses() -> LedgerSession:
    """The request's ledger session: the ledger at the service's ``--db``, opened on
    first use. The actor it names is unused: every write names the signed-in user."""
    if "uses" not in g:
        from projections.usecases.session import LedgerSession

        settings = current_app.config

        def opened(write: bool) -> Ledger:
            from ledger import open_ledger

            return open_ledger(
                settings["RAGW_TARGET"], create=False, encryption_key=settings["RAGW_KEY"]
            )

        g.uses = LedgerSession(settings["RAGW_TARGET"], "web", open_ledger=opened)
    session: LedgerSession = g.uses
    return session


def close_session(_: BaseException | None = None) -> None:
    """At the end of every request, whatever happened in it."""
    session = g.pop("uses", None)
    if session is not None:
        session.close()


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
