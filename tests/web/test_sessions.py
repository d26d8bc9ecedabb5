"""Sessions that hold up: a name is locked out after 5 wrong passwords, a session ends
when it expires, and a disabled user or a revoked role takes effect on the very next
request, whichever worker answers it."""

from __future__ import annotations

import time
from typing import Any

from tests.web.conftest import (
    AUDITOR,
    CHANGED,
    DISABLED,
    LOCKED,
    PASSWORD,
    REVOKED,
    TWICE,
    Server,
    ragw,
    start,
)


def test_five_wrong_passwords_lock_the_name_out(client: Any, server: Server) -> None:
    trying = client()
    for _ in range(5):
        status, page, _ = trying.sign_in(LOCKED, "not the password")
        assert status == 401 and "wrong name or password" in page
    status, page, _ = trying.sign_in(LOCKED, PASSWORD)
    assert status == 401 and "too many wrong passwords" in page
    assert 'role="alert"' in page
    assert trying.get("/board")[0] == 303  # still not signed in
    # the lock is the name's, not everyone's
    assert client().sign_in(AUDITOR)[0] == 303


def test_every_request_after_sign_in_is_answered_whichever_worker_takes_it(
    client: Any, server: Server
) -> None:
    reader = client(AUDITOR)
    assert [reader.get("/requests")[0] for _ in range(12)] == [200] * 12


def test_a_disabled_user_is_signed_out_on_the_next_request(client: Any, server: Server) -> None:
    user = client(DISABLED)
    assert user.get("/board")[0] == 200
    ragw(server.target, "user", "disable", DISABLED)
    status, _, headers = user.get("/board")
    assert (status, headers["Location"]) == (303, "/login")
    assert user.sign_in(DISABLED)[0] == 401


def test_a_revoked_role_takes_effect_on_the_next_request(client: Any, server: Server) -> None:
    user = client(REVOKED)
    assert user.get("/items/HATE18/6")[0] == 200
    ragw(server.target, "role", "revoke", REVOKED, "auditor")
    status, page, _ = user.get("/items/HATE18/6")
    assert status == 403 and "You have no role yet" in page


def test_a_new_password_ends_the_sessions_begun_with_the_old(client: Any, server: Server) -> None:
    user = client(CHANGED)
    assert user.get("/board")[0] == 200
    ragw(server.target, "user", "password", CHANGED, password="A new password 22")
    status, _, headers = user.get("/board")
    assert (status, headers["Location"]) == (303, "/login")
    assert user.sign_in(CHANGED)[0] == 401
    assert user.sign_in(CHANGED, "A new password 22")[0] == 303


def test_signing_out_ends_the_users_sessions_everywhere(client: Any, server: Server) -> None:
    phone, desk = client(TWICE), client(TWICE)
    assert phone.get("/board")[0] == 200
    desk.get("/board")
    assert desk.post("/logout", {})[2]["Location"] == "/login"
    status, _, headers = phone.get("/board")
    assert (status, headers["Location"]) == (303, "/login")


def test_a_session_ends_when_it_expires_however_busy(client: Any, server: Server) -> None:
    brief = start(server.target, "--session-minutes", "0.05", "--workers", "1")  # 3 s
    try:
        user = type(client())(brief.url)
        assert user.sign_in(AUDITOR)[0] == 303
        began = time.monotonic()
        while time.monotonic() - began < 2.5:  # in use all along: it still ends
            assert user.get("/requests")[0] == 200
            time.sleep(0.5)
        time.sleep(1)
        status, _, headers = user.get("/requests")
        assert (status, headers["Location"]) == (303, "/login")
    finally:
        assert brief.stop() == 0
