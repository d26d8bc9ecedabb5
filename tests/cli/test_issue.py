"""Issued papers are reproducible: `pack --issue` pins the paper to the ledger's digest,
and `pack --as-issued` renders that very paper again, byte for byte, whatever was
recorded or corrected since."""

from __future__ import annotations

import json
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.storage import is_postgres
from tests.cli.test_verify import digest_of, history, raw


def pack(target: str, out: Path, *options: str, code: int = 0) -> str:
    result = CliRunner().invoke(
        main,
        [
            "--db",
            target,
            "--actor",
            "Governance",
            "pack",
            "C",
            "2021-04-01",
            "--out",
            str(out),
            *options,
        ],
    )
    assert result.exit_code == code, (result.output, result.stderr)
    return result.stdout + result.stderr


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_a_paper_issued_then_corrected_renders_as_issued_byte_for_byte(
    ragw: Any, target: str, tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(ragw)
    head = digest_of(ragw("verify"))
    issued = tmp_path / f"issued{suffix}"
    said = pack(target, issued, "--issue")
    assert "recorded C@3" in said and f"ledger digest {head}" in said
    # History moves on: a mistake corrected, a status changed, a note, a new item.
    ragw("correct", "R/1@3", "--reason", "GREEN recorded against the wrong item")
    ragw("status", "R/2", "RED", "--reason", "Supplier failed", "--on", "2021-03-20")
    ragw("note", "R/2", "Escalated", "--on", "2021-03-21")
    ragw("rec", "add", "R", "3", "--kind", "afi", "--text", "Item 3", "--on", "2021-03-22")
    again, now = tmp_path / f"again{suffix}", tmp_path / f"now{suffix}"
    now_then = time.time
    with monkeypatch.context() as later:  # rendered again two hours on (files date members)
        later.setattr(time, "time", lambda: now_then() + 7200)
        pack(target, again, "--as-issued")
    pack(target, now)
    assert again.read_bytes() == issued.read_bytes()
    assert now.read_bytes() != issued.read_bytes()  # the corrections do show in a new paper
    assert ragw("verify").startswith("ok:")


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_a_paper_with_reports_for_review_renders_as_issued_byte_for_byte(
    ragw: Any, target: str, tmp_path: Path, suffix: str
) -> None:
    history(ragw)
    ragw("meeting", "review", "C", "2021-04-01", "R")
    issued, again, now = (tmp_path / f"{name}{suffix}" for name in ("issued", "again", "now"))
    pack(target, issued, "--issue")
    shown = issued.read_text() if suffix == ".html" else docx_text(issued)
    assert "Reports for review" in shown and "Waiting for the new system" in shown
    # A comment dated before the meeting, recorded since: the review's latest comment.
    ragw("note", "R/2", "Supplier found", "--on", "2021-03-25")
    pack(target, again, "--as-issued")
    pack(target, now)
    assert again.read_bytes() == issued.read_bytes()
    assert "Supplier found" in (now.read_text() if suffix == ".html" else docx_text(now))


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as document:
        return document.read("word/document.xml").decode()


def test_a_paper_never_issued_cannot_be_rendered_as_issued(
    ragw: Any, target: str, tmp_path: Path
) -> None:
    history(ragw)
    said = pack(target, tmp_path / "p.html", "--as-issued", code=1)
    assert "has not been issued; issue it with `ragw pack C 2021-04-01 --out FILE --issue`" in said


def test_issue_and_as_issued_together_are_refused_and_nothing_is_recorded(
    ragw: Any, target: str, tmp_path: Path
) -> None:
    history(ragw)
    before = digest_of(ragw("verify"))
    said = pack(target, tmp_path / "p.html", "--issue", "--as-issued", code=1)
    assert said.startswith("Error: --issue records a new issue")
    assert digest_of(ragw("verify")) == before


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_an_event_appended_with_an_earlier_recording_time_leaves_the_issued_paper_unchanged(
    ragw: Any, target: str, tmp_path: Path, suffix: str
) -> None:
    """A writer whose clock is behind (or anyone inserting a row with a correct link)
    appends an event recorded, by its own account, before the paper was read. The issued
    paper is pinned to the log position of its digest, so it re-renders byte for byte
    and `verify --digest` still holds; a new paper does show the change."""
    history(ragw)
    issued = tmp_path / f"issued{suffix}"
    said = pack(target, issued, "--issue")
    digest = digest_of(said)
    backdated = datetime(2021, 3, 25, 9, 0, tzinfo=UTC)  # before everything recorded here
    with mock.patch("eventsourcing.domain.datetime_now_with_tzinfo", lambda: backdated):
        ragw("status", "R/2", "GREEN", "--on", "2021-03-20")
    *earlier, read, _, appended = json.loads(ragw("log", "--format", "json"))["events"]
    before = [event for event in earlier if event["key"] == "R/2"][-1]
    # Held to the moment of the event it follows in its key (a slow clock never takes a
    # key's history back), which is still before the paper was read.
    assert appended["type"] == "StatusChanged"
    assert appended["recorded_at"] == before["recorded_at"] < read["recorded_at"]
    again, now = tmp_path / f"again{suffix}", tmp_path / f"now{suffix}"
    pack(target, again, "--as-issued")
    pack(target, now)
    assert again.read_bytes() == issued.read_bytes()
    assert "holds" in ragw("verify", "--digest", digest)
    assert now.read_bytes() != issued.read_bytes()  # the backdated change is in the ledger


def test_an_issued_paper_whose_history_was_edited_is_refused_as_verify_digest_refuses_it(
    ragw: Any, target: str, tmp_path: Path
) -> None:
    history(ragw)
    digest = digest_of(pack(target, tmp_path / "issued.html", "--issue"))
    with raw(target) as (connection, events, position):
        mark = "%s" if is_postgres(target) else "?"
        state = connection.execute(f"SELECT state FROM {events} WHERE {position} = 6")
        edited = bytes(state.fetchone()[0]).replace(b"GREEN", b"RED")
        connection.execute(f"UPDATE {events} SET state = {mark} WHERE {position} = 6", (edited,))
    assert ragw("verify", "--digest", digest, code=1).startswith("Error: ")
    again = tmp_path / "again.html"
    said = pack(target, again, "--as-issued", code=1)
    assert said.startswith(
        f"Error: the history up to digest {digest} is not the one it pins: the event at "
        "position 6 does not match its link"
    )
    assert said.count("\n") == 1 and not again.exists()
