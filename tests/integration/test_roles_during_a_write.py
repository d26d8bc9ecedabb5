"""A write is held to the roles it was allowed under: a role revoked between a
command's check and its write (an import takes seconds) leaves nothing recorded, and
the command, run again, is refused under the roles then in force; so no event stands
as recorded by someone the roles no longer allowed, which verify and every restore
would refuse for good."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import ForbiddenError, open_ledger

GOV, OWNER, HEAD = "Grace", "Olly", "Head of Roads"


def under_roles(ledger: Any) -> None:
    """R/1, owned by the Head of Roads, for whom the owner acts; governance granted."""
    ledger.register_report(
        "R",
        title="Roads",
        scope="force",
        published=date(2021, 1, 4),
        actor=GOV,
        on=date(2021, 1, 4),
    )
    ledger.issue_recommendation(
        "R", "1", kind="afi", text="Item", owner=HEAD, actor=GOV, on=date(2021, 1, 5)
    )
    ledger.grant_role(GOV, "governance", actor=GOV)
    ledger.grant_role(OWNER, "owner", acts_for=HEAD, actor=GOV)


def test_a_role_revoked_before_the_write_lands_leaves_nothing_recorded(target: str) -> None:
    ledger = open_ledger(target, create=True)
    other = None
    try:
        under_roles(ledger)
        other = open_ledger(target, create=False)  # another writer, governance's
        writes = ledger.save_all
        revoked: list[Any] = []

        def revoked_meanwhile(*aggregates: Any, what: str) -> list[str]:
            if not revoked:  # after the owner's check, before the write
                revoked.append(other.revoke_role(OWNER, "owner", acts_for=HEAD, actor=GOV))
            return writes(*aggregates, what=what)

        ledger.save_all = revoked_meanwhile  # type: ignore[method-assign]
        before = ledger.last_position()
        with pytest.raises(ForbiddenError, match="holds no role"):
            ledger.note_progress("R/1", "Contract signed", actor=OWNER, on=date(2021, 2, 1))
        assert revoked and ledger.last_position() == before + 1  # the revoke alone
    finally:
        ledger.close()
        if other is not None:
            other.close()
    verified = CliRunner().invoke(main, ["--db", target, "verify", "--events-only"])
    assert verified.exit_code == 0, verified.stderr


def test_a_write_under_roles_unchanged_since_its_check_lands(target: str) -> None:
    """The control: the same write, nobody changing the roles, is recorded."""
    ledger = open_ledger(target, create=True)
    try:
        under_roles(ledger)
        (recorded,) = ledger.note_progress("R/1", "Signed", actor=OWNER, on=date(2021, 2, 1))
        assert recorded == "R/1@2"
    finally:
        ledger.close()


def test_a_reminder_recorded_by_one_whose_role_was_revoked_meanwhile_is_refused(
    target: str,
) -> None:
    """The reminder's write is tried again when another writer landed first: each try is
    checked against the roles then in force, and none skips the check."""
    ledger = open_ledger(target, create=True)
    other = None
    try:
        under_roles(ledger)
        ledger.grant_role("Hugo", "governance", actor=GOV)  # governance stays granted
        other = open_ledger(target, create=False)
        writes = ledger.save_all
        revoked: list[Any] = []

        def revoked_meanwhile(*aggregates: Any, what: str) -> list[str]:
            if not revoked:
                revoked.append(other.revoke_role(GOV, "governance", actor="Hugo"))
            return writes(*aggregates, what=what)

        ledger.save_all = revoked_meanwhile  # type: ignore[method-assign]
        before = ledger.last_position()
        with pytest.raises(ForbiddenError, match="holds no role"):
            ledger.record_reminder(
                HEAD,
                addresses=["roads@example.org"],
                keys=["R/1"],
                message_id="<1@example.org>",
                actor=GOV,
                on=date(2021, 2, 1),
            )
        assert ledger.last_position() == before + 1  # the revoke alone
    finally:
        ledger.close()
        if other is not None:
            other.close()


def test_a_note_of_roles_left_by_a_ledger_since_gone_never_holds_another_s_write(
    target: str,
) -> None:
    """A command refused after its check leaves its note; a later ledger may be given
    the same id once the first is gone (as the command line opens one a command): its
    writes are held to its own checks alone."""
    import gc
    import weakref

    from ledger.log import _ROLES_SEEN

    class Gone:
        pass

    gone = Gone()
    dead = weakref.ref(gone)
    del gone
    gc.collect()
    ledger = open_ledger(target, create=True)
    try:
        _ROLES_SEEN.set({id(ledger): (dead, 7)})  # as a gone ledger of the same id left it
        recorded = ledger.grant_role(GOV, "governance", actor=GOV)  # no check before it
        assert recorded[-1].startswith("roles@")
    finally:
        _ROLES_SEEN.set({})
        ledger.close()
