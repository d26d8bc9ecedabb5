"""The web application: its settings, its pages, and what every response carries.

Sessions are Flask's signed cookies (Flask-Login keeps who is signed in), secure,
HttpOnly and SameSite=Lax, expiring ``session_minutes`` after sign-in; every POST needs
Flask-WTF's CSRF token; every response forbids inline script, framing and sniffing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from ledger.errors import LedgerError
from ledger.state import asks_for
from web import auth, feeds, forms, pages, papers
from web.context import close_session, refused
from web.rows import board_rows

#: Where pages may fetch from: this service only, and no script at all.
POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
#: The paper is one self-contained document, its style inline: still no script.
PAPER_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
#: How long a session lasts after sign-in unless the service is told otherwise.
SESSION_MINUTES = 8 * 60.0


def create_app(
    target: str,
    *,
    org: str | None = None,
    encryption_key: str | None,
    secret_key: str,
    session_minutes: float = SESSION_MINUTES,
    secure_cookies: bool = True,
    base_url: str | None = None,
) -> Flask:
    """The application over the ledger at ``target`` (organisation ``org``'s, in a store
    shared by many)."""
    app = Flask(__name__)
    app.config.update(
        RAGW_TARGET=target,
        RAGW_ORG=org,
        RAGW_KEY=encryption_key,
        RAGW_BASE_URL=base_url,
        SECRET_KEY=secret_key,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=session_minutes),
        SESSION_COOKIE_NAME="ragw_session",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # a form's token lasts as long as the session it belongs to
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    CSRFProtect(app)
    auth.manager.init_app(app)
    for blueprint in (
        auth.blueprint,
        pages.blueprint,
        forms.blueprint,
        papers.blueprint,
        feeds.blueprint,
    ):
        app.register_blueprint(blueprint)
    app.jinja_env.filters["asks_for"] = lambda pending: asks_for(pending["request"], pending["due"])
    app.jinja_env.filters["asks"] = lambda pending: asks_for(pending.request, pending.due)
    app.jinja_env.filters["board_rows"] = board_rows
    app.teardown_appcontext(close_session)
    app.before_request(only_with_a_role)
    app.after_request(guarded)
    app.register_error_handler(CSRFError, stale_or_forged)
    app.register_error_handler(LedgerError, refusal)
    app.register_error_handler(404, not_found)
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(413, too_large)
    return app


def only_with_a_role() -> Any:
    """A signed-in user without a role sees one page saying so, whatever they ask for."""
    if request.endpoint in (None, "static", "auth.login", "auth.logout"):
        return None
    if current_user.is_authenticated and not auth.signed_user().signed.has_role:
        return render_template("no_role.html"), 403
    return None


def guarded(response: Response) -> Response:
    headers = response.headers
    paper = request.endpoint == "papers.paper"
    headers.setdefault("Content-Security-Policy", PAPER_POLICY if paper else POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":  # what the ledger holds is kept out of shared caches
        headers["Cache-Control"] = "no-store"
    return response


def refusal_page(said: str) -> str:
    """The service's own refusal page, with ``said`` in its alert."""
    return render_template("refused.html", refusal=said)


def stale_or_forged(error: CSRFError) -> Any:
    return refusal_page(
        "This form has expired or did not come from this service; nothing was recorded. "
        "Open the page again and resubmit."
    ), 403


def refusal(error: LedgerError) -> Any:
    """A refusal no page caught (an unknown item, committee or date in a link)."""
    return refused(error)


def not_found(error: Exception) -> Any:
    return refusal_page("There is no such page."), 404


def not_allowed(error: Exception) -> Any:
    """A page asked for in a way it is not used (a form's address opened as a page)."""
    page = refusal_page(
        "This address is not used that way; nothing was recorded. Open the item's page and "
        "use its form."
    )
    allowed = getattr(error, "valid_methods", None) or []
    return page, 405, {"Allow": ", ".join(allowed)} if allowed else {}


def too_large(error: Exception) -> Any:
    return refusal_page(
        "What was sent is larger than any form takes (1 MiB); nothing was recorded. Shorten "
        "the text (a note holds at most 20,000 characters) and send it again."
    ), 413
