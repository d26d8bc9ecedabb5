"""``ragw serve --public``: the public register, read-only and without sign-in.

The same pages ``ragw publish`` writes, from the same renderer, made afresh for each
request as at today (or the ``?as_at=`` day asked for). Nothing else is served: no
sign-in, no form, no POST; any other address is not found (404)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from flask import Flask, Response, request

from web.app import POLICY

#: What each file of the site is served as.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
}


#: The shape of every name the site's files have (render/register names them): anything
#: else is not found without reading the register.
SITE_NAME = re.compile(
    r"^(?:index\.html|style\.css|recommendations\.(?:csv|json)"
    r"|(?:reports|organisations)/[a-z0-9_-]{1,120}\.html)$"
)


def create_public_app(target: str, *, encryption_key: str | None) -> Flask:
    """The public register of the store at ``target``."""
    app = Flask(__name__, static_folder=None)
    app.config.update(RAGW_TARGET=target, RAGW_KEY=encryption_key, MAX_CONTENT_LENGTH=1024)
    app.add_url_rule("/", "index", page, defaults={"name": "index.html"}, methods=["GET"])
    app.add_url_rule("/<path:name>", "page", page, methods=["GET"])
    app.after_request(guarded)
    app.register_error_handler(404, lambda error: plain(404, "There is no such page."))
    app.register_error_handler(405, read_only)
    return app


def read_only(error: Any) -> Response:
    response = plain(405, "This register is read-only.")
    response.headers["Allow"] = "GET, HEAD"
    return response


def page(name: str) -> Any:
    day = asked_day(request.args.get("as_at"))
    if day is None:
        return plain(400, "as_at is not a day; give one as YYYY-MM-DD, e.g. 2019-11-15.")
    if not SITE_NAME.match(name):  # answered before the register is read: costs nothing
        return plain(404, "There is no such page.")
    query = f"?as_at={day.isoformat()}" if "as_at" in request.args else ""
    files = register_site(day, query)
    if name not in files or name.startswith("."):
        return plain(404, "There is no such page.")
    suffix = name[name.rfind(".") :]
    return Response(files[name], content_type=TYPES.get(suffix, "application/octet-stream"))


def asked_day(text: str | None) -> date | None:
    """The ``?as_at=`` day (today when none), None when it is not a day ragw takes."""
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if len(text) == 10 and 1900 <= day.year <= 2200 else None


def register_site(day: date, query: str) -> Mapping[str, bytes]:
    """Every file of the register as at ``day``, links carrying ``query``."""
    from flask import current_app

    from ledger import open_ledger
    from projections.usecases.publishing import public_register
    from projections.usecases.session import LedgerSession
    from render.register import site

    target, key = current_app.config["RAGW_TARGET"], current_app.config["RAGW_KEY"]

    def opened(org: str | None) -> LedgerSession:
        # opened for this page and closed once read, never kept by the worker: a
        # register of 43 organisations kept open by every worker would take more
        # connections than a PostgreSQL server allows by default
        return LedgerSession(
            target,
            "public",
            open_ledger=lambda write: open_ledger(
                target, create=False, encryption_key=key, org=org
            ),
            org=org,
        )

    register = opened(None)
    try:
        read = public_register(register, opened, as_at=day)
    finally:
        register.close()
    return site(read, link_query=query)


def plain(status: int, said: str) -> Response:
    body = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
        f"{escape(said)}</title></head><body><main><h1>{escape(said)}</h1>"
        '<p><a href="/">The register</a></p></main></body></html>\n'
    )
    return Response(body, status=status, content_type=TYPES[".html"])


def guarded(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cache-Control"] = "no-cache"
    return response


def check_public(target: str, key: str | None) -> None:
    """Open the store once before serving it: one that cannot be opened is refused now,
    in one line, rather than on each request."""
    import click

    from ledger import open_ledger
    from ledger.errors import LedgerError

    try:
        open_ledger(target, create=False, encryption_key=key).close()
    except LedgerError as error:
        raise click.ClickException(f"cannot serve the public register: {error}") from None
