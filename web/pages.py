"""The pages people read: the board (as at any date, as known at any moment), an owner's
items, an item with its history and the forms its user may use, the requests awaiting
sign-off, and the ledger's verdict. Each reads one use case and renders it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from ledger.due import parse_moment
from ledger.errors import Field, InvalidInputError, LedgerError
from web.auth import signed_user
from web.context import other_session, refused, uses
from web.hints import LABELS

if TYPE_CHECKING:
    from projections.board import BoardItem

blueprint = Blueprint("pages", __name__)
#: The statuses a board can be narrowed to, in the order the filter lists them.
STATUSES = ("GREEN", "AMBER", "RED", "WHITE", "CLOSED", "NOT ASSESSED")


def day_given(value: str | None, label: str) -> date | None:
    """A date typed in a field labelled ``label``; None when left empty."""
    if not value or not value.strip():
        return None
    from ledger.due import parse_iso_date

    return parse_iso_date(value, label)


def moment_given(value: str | None, label: str) -> datetime | None:
    """A moment typed in a field labelled ``label``, read as the command line reads one
    (:func:`ledger.due.parse_moment`: no zone, the server's local time; a bare date, the
    end of that day); None when left empty."""
    if not value or not value.strip():
        return None
    return parse_moment(value, label)


@blueprint.route("/")
@login_required
def index() -> Any:
    return redirect(url_for("pages.board"), code=303)


@blueprint.route("/board")
@login_required
def board() -> Any:
    from projections.usecases.board import board as board_read
    from projections.usecases.board import status_named
    from projections.usecases.verdicts import own_verdicts

    asked = request.args
    shown: dict[str, Any] = {
        name: asked.get(name, "") for name in ("as_at", "as_known_at", "report", "owner")
    }
    shown["status"] = asked.get("status", "")
    shown["overdue"] = asked.get("overdue", "") == "1"
    try:
        day = day_given(asked.get("as_at"), "As at") or date.today()
        known = moment_given(asked.get("as_known_at"), "As known at")
        status = None
        if shown["status"]:
            status = status_named(shown["status"])
            if status is None:
                raise InvalidInputError(
                    f"Status {shown['status']!r} is not known; choose one of {', '.join(STATUSES)}"
                )
        listed = board_read(
            uses(),
            as_at=day,
            as_known_at=known,
            report=shown["report"].strip() or None,
            owner=shown["owner"].strip() or None,
            status=status,
            overdue=shown["overdue"],
        ).listed()
        verdicts = own_verdicts(uses(), other_session, as_at=day, as_known_at=known)
    except LedgerError as error:
        return refused(error, "board.html", shown=shown, statuses=STATUSES, listed=None)
    return render_template(
        "board.html",
        shown=shown,
        statuses=STATUSES,
        listed=listed,
        verdicts=verdicts.by_key,
        verdicts_unread=verdicts.unread,
        day=day,
        known=known.isoformat() if known else None,
    )


def due_first(item: BoardItem) -> tuple[bool, date, str]:
    """Overdue items first, then by due date (none last), then by key."""
    return (not item.overdue, item.due or date.max, item.key)


@blueprint.route("/mine")
@login_required
def mine() -> Any:
    """The items of every owner the user acts for, overdue and soonest due first."""
    from projections.usecases.board import board as board_read
    from projections.usecases.board import open_items_due_within

    user = signed_user()
    today = date.today()
    items: dict[str, BoardItem] = {}
    for owner in user.signed.acts_for:
        for item in board_read(uses(), as_at=today, owner=owner).listed().items:
            items[item.key] = item
    # open as the reminders and the calendar feed offered here count it: neither GREEN
    # nor CLOSED, and the force's to act on
    open_items = open_items_due_within(items.values(), today=today, days=None)
    return render_template(
        "mine.html",
        items=sorted(open_items, key=due_first),
        owners=user.signed.acts_for,
        day=today,
    )


def item_page(code: str, ref: str, *, refusal: str | None = None, form: str | None = None) -> Any:
    """The item's page: its state, its whole history, and the forms its user may use."""
    from projections.log import describe
    from projections.usecases.events import history
    from projections.usecases.users import may_change, may_sign_off

    key = f"{code}/{ref}"
    read = history(uses(), key)
    user = signed_user()
    return render_template(
        "item.html",
        read=read,
        state=read.state,
        rows=[(record, describe(record)) for record in read.records],
        may_change=may_change(uses(), user.name, read.key),
        may_sign_off=may_sign_off(uses(), user.name),
        statuses=("GREEN", "AMBER", "RED", "WHITE"),
        today=date.today(),
        refusal=refusal,
        form=form,
        values=request.form if refusal else {},
    )


@blueprint.route("/items/<code>/<ref>")
@login_required
def item(code: str, ref: str) -> Any:
    return item_page(code, ref)


@blueprint.route("/requests")
@login_required
def requests() -> Any:
    """Every request awaiting sign-off, with its forms for governance."""
    from projections.usecases.board import sign_off_queue
    from projections.usecases.users import may_sign_off

    listed = sign_off_queue(uses(), as_at=date.today()).listed()
    return render_template(
        "requests.html",
        items=listed.items,
        may_sign_off=may_sign_off(uses(), signed_user().name),
    )


@blueprint.route("/verify")
@login_required
def verify() -> Any:
    """The ledger's verdict, as ``ragw verify`` gives it: every line it prints."""
    from projections.usecases.integrity import verify as verify_chain

    try:
        verified = verify_chain(uses())
    except LedgerError as error:
        return refused(error, "verify.html", lines=[])
    return render_template(
        "verify.html", lines=verified.said(LABELS[Field.ENCRYPTION_KEY]), digest=str(verified.head)
    )
