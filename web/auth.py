"""Signing in and out, and who is signed in on each request.

The password check, the lock-out and whether a user may still sign in are the core's
(:mod:`projections.usecases.users`); this module keeps the web session: the name, and
the moment the session began, in a signed cookie that expires. Every request asks the
core again who the name is now, so a disabled user or a revoked role takes effect on
the next request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from ledger.errors import LedgerError
from web.context import close_session, refused, uses

if TYPE_CHECKING:
    from projections.usecases.users import SignedIn

blueprint = Blueprint("auth", __name__)
manager = LoginManager()
#: Where a web session keeps the moment it began (it expires counting from it), and
#: the moment the core gave with the checked password (which it is asked about after).
BEGAN, SINCE = "began", "since"
#: And the mark of the password checked: a session counts only while it is the one kept.
MARK = "mark"


class WebUser(UserMixin):  # type: ignore[misc]
    """The signed-in user as Flask-Login holds them: the core's answer, by name."""

    def __init__(self, signed: SignedIn) -> None:
        self.signed = signed
        self.name = signed.name

    def get_id(self) -> str:
        return self.name

    @property
    def owner(self) -> bool:
        from events import Role

        return Role.OWNER in self.signed.roles

    @property
    def governance(self) -> bool:
        return self.signed.governance


def signed_user() -> WebUser:
    """The signed-in user of a page that requires one."""
    user: WebUser = current_user._get_current_object()
    return user


@manager.user_loader
def load_user(name: str) -> WebUser | None:
    """The user of this request's session, as the core knows them now; None (signed out)
    when they are unknown, disabled, signed out elsewhere, or the session is too old."""
    from projections.usecases.users import signed_in

    began, since, mark = session.get(BEGAN), session.get(SINCE), session.get(MARK)
    if not (isinstance(began, str) and isinstance(since, str) and isinstance(mark, str)):
        return None
    try:
        start, checked = datetime.fromisoformat(began), datetime.fromisoformat(since)
    except ValueError:
        return None
    if datetime.now(UTC) - start > current_app.permanent_session_lifetime:
        return None
    found = signed_in(uses(), name, checked, mark)
    return None if found is None else WebUser(found)


@manager.unauthorized_handler
def to_sign_in() -> Any:
    return redirect(url_for("auth.login"), code=303)


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("pages.board"), code=303)
        return render_template("login.html", name="")
    from projections.usecases.users import sign_in

    name = request.form.get("name", "")
    try:
        found = sign_in(uses(), name, request.form.get("password", ""))
    except LedgerError as error:
        close_session()
        page, _ = refused(error, "login.html", name=name)
        return page, 401
    session.clear()  # nothing of a session before sign-in survives it
    session.permanent = True
    session[BEGAN] = datetime.now(UTC).isoformat()
    session[SINCE] = found.since.isoformat()
    session[MARK] = found.mark
    login_user(WebUser(found))
    return redirect(url_for("pages.board"), code=303)


@blueprint.route("/logout", methods=["POST"])
def logout() -> Any:
    if current_user.is_authenticated:
        from projections.usecases.users import sign_out

        sign_out(uses(), signed_user().name)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), code=303)
