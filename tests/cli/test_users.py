"""People who sign in: added, given passwords and disabled by governance, each recorded
as an event that never holds the password; signing in checks the kept hash, refuses a
wrong name and a wrong password alike, locks a name after five wrong passwords, and a
session ends when its user signs out, gets a new password or is disabled."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger import Ledger, open_ledger
from ledger.accounts import SignInRefusedError
from ledger.errors import ForbiddenError, InvalidInputError, LedgerError, RuleBrokenError
from ledger.storage.credentials import LOCK, WINDOW
from ledger.storage.settings import is_postgres, login_of
from projections.usecases import LedgerSession
from projections.usecases.users import may_change, may_sign_off, sign_in, sign_out, signed_in

PASSWORD = "correct horse battery"


def governance(target: str) -> str:
    """Who governs: on PostgreSQL under access control, whoever acts is the database
    login, so the login is granted governance there."""
    return login_of(target) if is_postgres(target) else "Strategic Development"


def cli(target: str, *args: str, password: str | None = PASSWORD) -> object:
    env = {"RAGW_NEW_PASSWORD": password} if password is not None else {}
    return CliRunner(env=env).invoke(main, ["--db", target, "--actor", governance(target), *args])


def ok(target: str, *args: str, **kwargs: str) -> str:
    result = cli(target, *args, **kwargs)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return str(result.stdout)  # type: ignore[attr-defined]


def refused(target: str, *args: str, **kwargs: str) -> str:
    result = cli(target, *args, **kwargs)
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    lines = str(result.stderr).splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    return lines[0]


def events(target: str) -> int:
    return len(json.loads(ok(target, "log", "--format", "json"))["events"])


@pytest.fixture
def ledger_with_roles(target: str) -> str:
    gov = governance(target)
    ok(target, "role", "grant", gov, "governance")
    ok(
        target,
        "report",
        "add",
        "R",
        "--title",
        "Roads",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        "--on",
        "2021-01-04",
    )
    ok(
        target,
        "rec",
        "add",
        "R",
        "1",
        "--kind",
        "afi",
        "--text",
        "One",
        "--owner",
        "Head of Roads",
        "--on",
        "2021-01-05",
    )
    ok(
        target,
        "rec",
        "add",
        "R",
        "2",
        "--kind",
        "afi",
        "--text",
        "Two",
        "--owner",
        "Head of Parks",
        "--on",
        "2021-01-05",
    )
    ok(target, "role", "grant", "Alice Smith", "owner", "--acts-for", "Head of Roads")
    ok(target, "role", "grant", "Internal Audit", "auditor")
    for name in ("Alice Smith", "Internal Audit", gov):
        ok(target, "user", "add", name)
    return target


@pytest.fixture
def session_at(ledger_with_roles: str) -> Iterator[Callable[[], LedgerSession]]:
    opened: list[LedgerSession] = []

    def make() -> LedgerSession:
        session = LedgerSession(
            ledger_with_roles,
            governance(ledger_with_roles),
            open_ledger=lambda write: open_ledger(ledger_with_roles, create=False),
        )
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


def test_adding_a_user_records_an_event_that_holds_no_password(
    ledger_with_roles: str, tmp_path: Path
) -> None:
    log = ok(ledger_with_roles, "log", "--format", "json")
    added = [e for e in json.loads(log)["events"] if e["type"] == "UserAdded"]
    assert [e["name"] for e in added] == [
        "Alice Smith",
        "Internal Audit",
        governance(ledger_with_roles),
    ]
    backup = tmp_path / "backup.jsonl"
    ok(ledger_with_roles, "export", "--out", str(backup))
    ledger = open_ledger(ledger_with_roles, create=False)
    try:
        with ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT hash FROM ragw_passwords")
            hashes = [row["hash"] if isinstance(row, dict) else row[0] for row in cursor.fetchall()]
    finally:
        ledger.close()
    assert len(hashes) == 3 and all(h.startswith("$argon2id$") for h in hashes)
    for text in (backup.read_text(), log):
        assert PASSWORD not in text
        assert not any(h in text or h.split("$")[-1] in text for h in hashes)


def test_users_need_governance_granted_first(target: str) -> None:
    error = refused(target, "user", "add", "Alice Smith")
    assert "grant governance first" in error and "ragw role grant" in error


@pytest.mark.parametrize(
    ("args", "password", "said"),
    [
        (("user", "add", "Bob Jones"), "too short", "at least 10 characters"),
        (("user", "add", "Bob Jones"), "x" * 1001, "at most 1,000 characters"),
        (("user", "add", "Bob Jones"), "ten chars \x07 bell", "U+0007"),
        (("user", "add", "Bob Jones", "--email", "not an address"), PASSWORD, "not an email"),
        (("user", "add", "alice  SMITH"), PASSWORD, "Alice Smith is a user already"),
        (("user", "password", "Nobody Here"), PASSWORD, "not a user of this ledger"),
        (("user", "disable", "Nobody Here"), PASSWORD, "not a user of this ledger"),
    ],
)
def test_a_bad_user_change_is_refused_and_records_nothing(
    ledger_with_roles: str, args: tuple[str, ...], password: str, said: str
) -> None:
    before = events(ledger_with_roles)
    assert said in refused(ledger_with_roles, *args, password=password)
    assert events(ledger_with_roles) == before


def test_without_a_password_given_or_a_terminal_nothing_is_added(ledger_with_roles: str) -> None:
    before = events(ledger_with_roles)
    assert "RAGW_NEW_PASSWORD" in refused(
        ledger_with_roles, "user", "add", "Bob Jones", password=None
    )
    assert events(ledger_with_roles) == before


def test_only_governance_adds_disables_or_sets_anothers_password(ledger_with_roles: str) -> None:
    gov = governance(ledger_with_roles)
    ledger = open_ledger(ledger_with_roles, create=False)
    try:
        for actor in ("Alice Smith", "Internal Audit"):
            with pytest.raises(ForbiddenError, match="adding users needs governance"):
                ledger.add_user("Bob Jones", password=PASSWORD, actor=actor)
            with pytest.raises(ForbiddenError, match="disabling users needs governance"):
                ledger.disable_user(gov, actor=actor)
        with pytest.raises(ForbiddenError, match="another user's password needs governance"):
            ledger.change_password(gov, password=PASSWORD, actor="Alice Smith")
        assert "PasswordChanged" not in ok(ledger_with_roles, "log")
        # but a user may set their own
        ledger.change_password("alice smith", password="a new one here", actor="Alice Smith")
    finally:
        ledger.close()
    changed = json.loads(
        ok(ledger_with_roles, "log", "--type", "PasswordChanged", "--format", "json")
    )
    assert [(e["actor"], e["name"]) for e in changed["events"]] == [("Alice Smith", "Alice Smith")]


def test_the_right_password_signs_in_with_the_roles_held(
    session_at: Callable[[], LedgerSession],
) -> None:
    alice = sign_in(session_at(), "alice smith", PASSWORD)
    assert alice.name == "Alice Smith" and alice.acts_for == ("Head of Roads",)
    assert not alice.governance and not alice.reads_only
    assert sign_in(session_at(), "Internal Audit", PASSWORD).reads_only
    gov = governance(session_at().target)
    assert sign_in(session_at(), gov, PASSWORD).governance


@pytest.mark.parametrize(
    ("name", "password"), [("Alice Smith", "wrong password!"), ("Nobody", PASSWORD)]
)
def test_a_wrong_name_and_a_wrong_password_are_refused_alike(
    session_at: Callable[[], LedgerSession], name: str, password: str
) -> None:
    with pytest.raises(SignInRefusedError) as refusal:
        sign_in(session_at(), name, password)
    assert str(refusal.value) == "wrong name or password; nothing was recorded"


def test_five_wrong_passwords_lock_the_name_for_fifteen_minutes(
    session_at: Callable[[], LedgerSession],
) -> None:
    session = session_at()
    now = [datetime.now(UTC).timestamp()]
    session.ledger(write=False).credentials.clock = lambda: now[0]
    for _ in range(4):
        with pytest.raises(SignInRefusedError, match="wrong name or password"):
            sign_in(session, "Alice Smith", "wrong password!")
    assert sign_in(session, "Alice Smith", PASSWORD).name == "Alice Smith"  # count cleared
    for _ in range(5):
        with pytest.raises(SignInRefusedError, match="wrong name or password"):
            sign_in(session, "Alice Smith", "wrong password!")
    with pytest.raises(SignInRefusedError, match="try again in 15 minutes"):
        sign_in(session, "Alice Smith", PASSWORD)
    # another name is not locked by Alice's
    assert sign_in(session, "Internal Audit", PASSWORD).reads_only
    now[0] += LOCK - 60
    with pytest.raises(SignInRefusedError, match="try again in 1 minutes"):
        sign_in(session, "Alice Smith", PASSWORD)
    now[0] += 61
    assert sign_in(session, "Alice Smith", PASSWORD).name == "Alice Smith"


def test_a_new_password_set_by_governance_lifts_a_lock_as_the_refusal_says(
    ledger_with_roles: str, session_at: Callable[[], LedgerSession]
) -> None:
    """Anyone may lock a name out by guessing; the refusal tells its user to ask
    governance for a new password, which lets them in at once. The old one stays out."""
    for _ in range(5):
        with pytest.raises(SignInRefusedError, match="wrong name or password"):
            sign_in(session_at(), "alice  SMITH", "wrong password!")
    with pytest.raises(SignInRefusedError, match="ask governance to set a new password"):
        sign_in(session_at(), "Alice Smith", PASSWORD)
    ok(ledger_with_roles, "user", "password", "Alice Smith", password="another password")
    with pytest.raises(SignInRefusedError, match="wrong name or password"):
        sign_in(session_at(), "Alice Smith", PASSWORD)
    assert sign_in(session_at(), "Alice Smith", "another password").name == "Alice Smith"


def test_wrong_passwords_spread_beyond_the_window_do_not_lock(
    session_at: Callable[[], LedgerSession],
) -> None:
    session = session_at()
    now = [datetime.now(UTC).timestamp()]
    session.ledger(write=False).credentials.clock = lambda: now[0]
    for _ in range(8):
        with pytest.raises(SignInRefusedError, match="wrong name or password"):
            sign_in(session, "Alice Smith", "wrong password!")
        now[0] += WINDOW / 4 + 1
    assert sign_in(session, "Alice Smith", PASSWORD).name == "Alice Smith"


def test_a_session_begun_with_the_old_password_ends_when_a_new_one_is_set(
    ledger_with_roles: str, session_at: Callable[[], LedgerSession]
) -> None:
    old = sign_in(session_at(), "Alice Smith", PASSWORD)
    assert signed_in(session_at(), "Alice Smith", old.since, old.mark) is not None
    ok(ledger_with_roles, "user", "password", "Alice Smith", password="another password")
    # signed in with the old password, however late the session was started
    assert signed_in(session_at(), "Alice Smith", old.since, old.mark) is None
    new = sign_in(session_at(), "Alice Smith", "another password")
    assert signed_in(session_at(), "Alice Smith", new.since, new.mark) is not None
    # a session holding another password's mark is not this password's, whenever begun
    assert signed_in(session_at(), "Alice Smith", new.since, old.mark) is None
    sign_out(session_at(), "Alice Smith")
    assert signed_in(session_at(), "Alice Smith", new.since, new.mark) is None


def test_a_session_holding_a_moment_no_sign_in_gave_is_refused(
    ledger_with_roles: str, session_at: Callable[[], LedgerSession]
) -> None:
    """A moment ahead of the clock would outlive every sign-out: no sign-in gives one."""
    began = sign_in(session_at(), "Alice Smith", PASSWORD)
    ahead = datetime.now(UTC) + timedelta(hours=1)
    assert signed_in(session_at(), "Alice Smith", began.since, began.mark) is not None
    assert signed_in(session_at(), "Alice Smith", ahead, began.mark) is None


def test_attempts_at_the_same_moment_check_no_more_than_five_passwords(
    ledger_with_roles: str,
) -> None:
    outcomes: list[str] = []
    lock = threading.Lock()
    gov = governance(ledger_with_roles)

    def attempt(password: str) -> None:
        session = LedgerSession(
            ledger_with_roles,
            gov,
            open_ledger=lambda write: open_ledger(ledger_with_roles, create=False),
        )
        try:
            sign_in(session, "Alice Smith", password)
            said = "signed in"
        except SignInRefusedError as refusal:
            said = "checked" if "wrong name or password" in str(refusal) else "locked"
        finally:
            session.close()
        with lock:
            outcomes.append(said)

    threads = [threading.Thread(target=attempt, args=(f"guess number {n}",)) for n in range(11)]
    threads.append(threading.Thread(target=attempt, args=(PASSWORD,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = outcomes.count("checked") + outcomes.count("signed in")
    assert len(outcomes) == 12 and checked <= 5, outcomes
    # and the name is locked now, right password or not
    session = LedgerSession(
        ledger_with_roles,
        gov,
        open_ledger=lambda write: open_ledger(ledger_with_roles, create=False),
    )
    try:
        with pytest.raises(SignInRefusedError, match="try again"):
            sign_in(session, "Alice Smith", PASSWORD)
    finally:
        session.close()


def test_a_session_ends_on_sign_out_new_password_or_disabling(
    ledger_with_roles: str, session_at: Callable[[], LedgerSession]
) -> None:
    mark = sign_in(session_at(), "Alice Smith", PASSWORD).mark
    began = datetime.now(UTC)
    assert signed_in(session_at(), "Alice Smith", began, mark) is not None
    sign_out(session_at(), "Alice Smith")
    assert signed_in(session_at(), "Alice Smith", began, mark) is None
    later = datetime.now(UTC)
    assert signed_in(session_at(), "Alice Smith", later, mark) is not None
    ok(ledger_with_roles, "user", "password", "Alice Smith", password="another password")
    assert signed_in(session_at(), "Alice Smith", later, mark) is None
    with pytest.raises(SignInRefusedError):
        sign_in(session_at(), "Alice Smith", PASSWORD)
    renewed = sign_in(session_at(), "Alice Smith", "another password")
    assert renewed.name == "Alice Smith"
    ok(ledger_with_roles, "user", "disable", "Alice Smith")
    assert signed_in(session_at(), "Alice Smith", renewed.since, renewed.mark) is None
    with pytest.raises(SignInRefusedError, match="wrong name or password"):
        sign_in(session_at(), "Alice Smith", "another password")
    assert "disabled" in refused(ledger_with_roles, "user", "password", "Alice Smith")


def test_a_revoked_role_is_gone_on_the_next_request(
    ledger_with_roles: str, session_at: Callable[[], LedgerSession]
) -> None:
    began = sign_in(session_at(), "Alice Smith", PASSWORD)
    assert may_change(session_at(), "Alice Smith", "R/1")
    ok(ledger_with_roles, "role", "revoke", "Alice Smith", "owner", "--acts-for", "Head of Roads")
    now = signed_in(session_at(), "Alice Smith", began.since, began.mark)
    assert now is not None and not now.has_role
    assert not may_change(session_at(), "Alice Smith", "R/1")


def test_who_may_change_an_item_is_the_ledgers_rule(
    session_at: Callable[[], LedgerSession],
) -> None:
    session = session_at()
    gov = governance(session.target)
    assert may_change(session, "Alice Smith", "R/1")
    assert not may_change(session, "Alice Smith", "R/2")
    assert not may_change(session, "Internal Audit", "R/1")
    assert may_change(session, gov, "R/2")
    assert not may_change(session, gov, "R/99")
    assert may_sign_off(session, gov) and not may_sign_off(session, "Alice Smith")
    assert not may_sign_off(session, "Internal Audit")


def test_a_restored_ledger_keeps_its_users_but_no_password(
    ledger_with_roles: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    ok(ledger_with_roles, "export", "--out", str(backup))
    restored = str(tmp_path / "restored.db")
    gov = governance(ledger_with_roles)
    result = CliRunner().invoke(main, ["--db", restored, "--actor", gov, "restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert "3 users have no password yet" in result.stderr
    listed = json.loads(ok(restored, "user", "list", "--format", "json"))["users"]
    assert sorted(u["name"] for u in listed) == sorted(["Alice Smith", "Internal Audit", gov])
    assert not any(u["password"] for u in listed)
    assert "no password" in ok(restored, "user", "list")
    session = LedgerSession(
        restored, gov, open_ledger=lambda write: open_ledger(restored, create=False)
    )
    try:
        with pytest.raises(SignInRefusedError):
            sign_in(session, "Alice Smith", PASSWORD)
        result = CliRunner(env={"RAGW_NEW_PASSWORD": PASSWORD}).invoke(
            main, ["--db", restored, "--actor", gov, "user", "password", "Alice Smith"]
        )
        assert result.exit_code == 0, result.output
        assert sign_in(session, "Alice Smith", PASSWORD).name == "Alice Smith"
    finally:
        session.close()


def test_a_backup_cannot_add_a_user_its_actor_could_not_have_added(
    ledger_with_roles: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    ok(ledger_with_roles, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    for line in lines:
        if line["type"] == "UserAdded" and line["payload"]["name"] == "Internal Audit":
            line["actor"] = "Alice Smith"
    backup.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = CliRunner().invoke(
        main, ["--db", str(tmp_path / "restored.db"), "restore", str(backup)]
    )
    assert result.exit_code == 1
    error = result.stderr
    assert "Alice Smith could not have recorded it" in error


def test_the_ledger_refuses_user_changes_as_domain_errors(target: str) -> None:
    ledger: Ledger = open_ledger(target, create=True)
    gov = "Strategic Development"
    try:
        with pytest.raises(RuleBrokenError):
            ledger.add_user("Bob", password=PASSWORD, actor=gov)
        ledger.grant_role(gov, "governance", actor=gov)
        with pytest.raises(InvalidInputError):
            ledger.add_user("   ", password=PASSWORD, actor=gov)
        with pytest.raises(ForbiddenError):
            ledger.add_user("Bob", password=PASSWORD, actor="Somebody Else")
        with pytest.raises(LedgerError):
            ledger.add_user("B" * 201, password=PASSWORD, actor=gov)
        with pytest.raises(InvalidInputError, match="U\\+0000"):
            ledger.add_user("Bob", password="ten chars \x00 nul", actor=gov)
        assert ledger.users() == []
    finally:
        ledger.close()
