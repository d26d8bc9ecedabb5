"""The forms on an item's page: each calls one of the Ledger's methods, as the command
line does, with the signed-in user as the actor; the ledger decides whether it may. A
success goes back (303) to the item's page; a refusal shows that page again with the
ledger's message, and nothing is recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import login_required

from ledger.errors import LedgerError
from ledger.inputs import whole_number
from web.auth import signed_user
from web.context import close_session, status_of, uses
from web.pages import day_given, item_page

if TYPE_CHECKING:
    from ledger.application import Ledger

blueprint = Blueprint("forms", __name__)

#: Each form: what its fields give the ledger, as (ledger, key, actor, on) -> ids.
Write = Callable[["Ledger", str, str, "date | None"], list[str]]


def field(name: str) -> str:
    return request.form.get(name, "")


def version(name: str) -> int | None:
    """A version the page was shown at (:mod:`ledger.seen`), from its hidden field
    ``name``: None when the form carries none (a script's own form may leave it out)."""
    given = field(name).strip()
    if not given:
        return None
    number = whole_number(given)
    if number is None:
        from ledger.errors import InvalidInputError

        raise InvalidInputError("the form is damaged: load the item's page again and resend it")
    return number


def progress(ledger: Ledger, key: str, actor: str, on: date | None) -> list[str]:
    return ledger.note_progress(key, field("note"), actor=actor, on=on, seen=version("seen"))


def extension(ledger: Ledger, key: str, actor: str, on: date | None) -> list[str]:
    to = day_given(field("to"), "New due date")
    if to is None:
        from ledger.errors import InvalidInputError

        raise InvalidInputError("New due date is needed: the date the item is now due by")
    return ledger.extend_deadline(
        key, to=to, reason=field("reason"), actor=actor, on=on, seen=version("seen")
    )


def status(ledger: Ledger, key: str, actor: str, on: date | None) -> list[str]:
    return ledger.change_status(
        key,
        field("status"),
        reason=field("reason") or None,
        actor=actor,
        on=on,
        seen=version("seen"),
    )


def completion(ledger: Ledger, key: str, actor: str, on: date | None) -> list[str]:
    links = [link for link in (field("link").strip(),) if link]
    return ledger.claim_completion(
        key, evidence=field("evidence"), links=links, actor=actor, on=on, seen=version("seen")
    )


def sign_off(ledger: Ledger, key: str, actor: str, on: date | None) -> list[str]:
    return ledger.sign_off(
        key, note=field("note") or None, actor=actor, on=on, request=version("request")
    )


def reject(ledger: Ledger, key: str, actor: str, on: date | None) -> list[str]:
    return ledger.reject_sign_off(
        key, reason=field("reason"), actor=actor, on=on, request=version("request")
    )


#: The forms by the last part of the address they are sent to.
FORMS: dict[str, Write] = {
    "progress": progress,
    "extension": extension,
    "status": status,
    "completion": completion,
    "sign-off": sign_off,
    "reject": reject,
}


@blueprint.route("/items/<code>/<ref>/<form>", methods=["POST"])
@login_required
def record(code: str, ref: str, form: str) -> Any:
    write = FORMS.get(form)
    if write is None:
        known = ", ".join(FORMS)
        said = f"The item's page has no form {form!r} (its forms: {known}); nothing was recorded."
        return item_page(code, ref, refusal=said), 404
    key = f"{code}/{ref}"
    try:
        on = day_given(field("on"), "On")
        ids = write(uses().ledger(write=True), key, signed_user().name, on)
    except LedgerError as error:
        close_session()  # the page is read afresh: nothing of the refused write is kept
        from web.hints import web_text

        return item_page(code, ref, refusal=web_text(error), form=form), status_of(error)
    flash(f"Recorded {', '.join(ids)}." if ids else "Nothing needed recording.")
    return redirect(url_for("pages.item", code=code, ref=ref), code=303)
