"""A user's calendar feed: a secret address their calendar program reads (no session),
made anew from "My items" (which ends the old one). What the feed holds and who it
belongs to are the core's (:mod:`projections.usecases.feeds`); its iCalendar is the
same as ``ragw calendar`` writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_login import login_required

from web.auth import signed_user
from web.context import uses

blueprint = Blueprint("feeds", __name__)


@blueprint.route("/calendar", methods=["POST"])
@login_required
def new_address() -> Any:
    """A new secret address for the signed-in user's feed, shown this once."""
    from projections.usecases.feeds import new_feed

    token = new_feed(uses(), signed_user().name)
    base = current_app.config.get("RAGW_BASE_URL")
    if base:  # the address people reach the service at, never the Host a request named
        address = base + url_for("feeds.calendar", token=token)
    else:
        address = url_for("feeds.calendar", token=token, _external=True)
    return render_template("feed.html", address=address)


@blueprint.route("/calendar/<token>.ics")
def calendar(token: str) -> Any:
    """The feed: the open items of the owners its user acts for, as iCalendar."""
    from projections.usecases.feeds import feed
    from render.reminders import calendar_ics

    found = feed(uses(), token, on=date.today())
    if found is None:
        abort(404)
    return Response(calendar_ics(found), mimetype="text/calendar")
