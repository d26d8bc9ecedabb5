"""`ragw verify` proves the read model too: any single edit of a stored row (a board line,
a span, a paper row or line, a report, a meeting, the tracking position; a row inserted
or deleted) makes it exit 1 naming the row, its table, item and day; `ragw rebuild`
mends it; the events alone still verify; and `pack --issue` refuses to issue a paper from
a model that differs. Each edit is made with raw SQL, on the SQLite file and on
PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.storage import is_postgres
from tests.cli.test_verify import history, raw

#: (what is falsified, the SQL that falsifies it, what verify then names)
FALSIFIED = [
    (
        "a board line's status",
        "UPDATE ragw_board_open SET status = 'GREEN', head = replace(head, 'AMBER', 'GREEN') "
        "WHERE key = 'R/2'",
        "ragw_board_open, R/2 on 2021-03-03: status is 'GREEN' where the events give 'AMBER'",
    ),
    (
        "an ended span on the board",
        "UPDATE ragw_board SET owner = 'Nobody' WHERE key = 'R/2' AND effective_from = '2021-03-02'",
        "ragw_board, R/2 on 2021-03-02: owner is 'Nobody' where the events give None",
    ),
    (
        "a span's due date",
        "UPDATE ragw_spans SET due = '2031-01-01' WHERE key = 'R/2' AND known_until IS NULL "
        "AND effective_from = '2021-03-03'",
        "ragw_spans, R/2 on 2021-03-03: due is '2031-01-01' where the events give '2021-09-30'",
    ),
    (
        "a paper row's status",
        "UPDATE ragw_paper_rows SET status = 'GREEN' WHERE key = 'R/2'",
        "ragw_paper_rows, R/2 on 2021-04-01: status is 'GREEN' where the events give 'AMBER'",
    ),
    (
        "a paper line",
        "UPDATE ragw_paper_lines SET line = replace(line, '\"times_extended\":1', "
        "'\"times_extended\":0') WHERE key = 'R/2' AND list = 'slippage'",
        "ragw_paper_lines, R/2 on 2021-04-01: line is",
    ),
    (
        "a report's title",
        "UPDATE ragw_reports SET title = 'Bridges' WHERE code = 'R'",
        "ragw_reports, R on 2021-01-04: title is 'Bridges' where the events give 'Roads'",
    ),
    (
        "a meeting",
        "UPDATE ragw_meetings SET meeting = '2021-04-02' WHERE committee = 'C'",
        "ragw_meetings, C on 2021-04-01: a row the events give is missing",
    ),
    (
        "a committee's name",
        "UPDATE ragw_committees SET name = 'Another' WHERE code = 'C'",
        "ragw_committees, C: name is 'Another' where the events give 'Committee'",
    ),
    (
        "the tracking position moved back",
        "UPDATE ragw_tracking SET position = position - 3 WHERE name = 'read_model'",
        "ragw_tracking, read_model: the position is 8, but the rows are those of the events up "
        "to position 11: it was moved back",
    ),
    (
        "the tracking position moved forward",
        "UPDATE ragw_tracking SET position = position + 5 WHERE name = 'read_model'",
        "ragw_tracking, read_model: the position is 16, past the log's last event (position 11)",
    ),
    (
        "the tracking position deleted",
        "DELETE FROM ragw_tracking WHERE name = 'read_model'",
        "ragw_tracking, read_model: the model's position is missing",
    ),
    (
        "the tracking table emptied",
        "DELETE FROM ragw_tracking",
        "ragw_tracking, read_model: the model's position is missing",
    ),
    (
        "an inserted span",
        "INSERT INTO ragw_spans SELECT * FROM ragw_spans WHERE key = 'R/1' AND known_until IS NULL",
        "ragw_spans, R/1 on 2021-01-05: a row the events do not give",
    ),
    (
        "an inserted board line",
        "INSERT INTO ragw_board SELECT '2021-01-06', effective_from, 'a' || place, key, report, "
        "status, due, owner, original_due, times_extended, extended_on, head, tail, pending, "
        "relevance FROM ragw_board_open WHERE key = 'R/1'",
        "ragw_board, R/1 on 2021-02-01: a row the events do not give",
    ),
    (
        "a board line of no item",
        "INSERT INTO ragw_board_open SELECT effective_until, effective_from, 'zz', 'not a key', "
        "report, status, due, owner, original_due, times_extended, extended_on, head, tail, "
        "pending, relevance FROM ragw_board_open WHERE key = 'R/1'",
        "ragw_board_open, not a key on 2021-02-01: a row the events do not give",
    ),
    (
        "a deleted board line",
        "DELETE FROM ragw_board WHERE key = 'R/1'",
        "ragw_board, R/1 on 2021-01-05: a row the events give is missing",
    ),
    (
        "a deleted paper row",
        "DELETE FROM ragw_paper_rows WHERE key = 'R/1'",
        "ragw_paper_rows, R/1 on 2021-04-01: a row the events give is missing",
    ),
]


def in_step(ragw: Any) -> str:
    """The history, with the read model brought up to date (a read does it); the board."""
    history(ragw)
    return str(ragw("board", "--format", "json"))


def falsify(target: str, statement: str) -> None:
    with raw(target) as (connection, _, _):
        connection.execute(statement)
        if not is_postgres(target):
            connection.commit()


def test_an_untouched_model_verifies_row_by_row(ragw: Any) -> None:
    in_step(ragw)
    out = ragw("verify")
    assert out.startswith("ok: 11 events, every link matches\n")
    assert "ok: read model, " in out and "rows, each what the events up to position 11 give" in out


@pytest.mark.parametrize(("what", "statement", "named"), FALSIFIED, ids=[f[0] for f in FALSIFIED])
def test_any_single_edit_of_the_read_model_is_named_and_rebuild_mends_it(
    ragw: Any, target: str, what: str, statement: str, named: str
) -> None:
    board = in_step(ragw)
    falsify(target, statement)
    error = ragw("verify", code=1)
    assert error.startswith(f"Error: the read model differs from the events: {named}"), error
    if "past the log's last event" in named:  # as if events were deleted: look first
        assert "it read events the log no longer holds" in error and "rebuild" in error
    else:
        assert error.rstrip().endswith(
            "run `ragw rebuild` to derive the read model again from the events"
        )
    assert error.count("\n") == 1
    assert ragw("verify", "--events-only").startswith("ok: 11 events, every link matches")
    ragw("rebuild")
    assert "ok: read model, " in ragw("verify")
    assert ragw("board", "--format", "json") == board


def test_a_model_behind_the_log_verifies_up_to_its_position(ragw: Any) -> None:
    in_step(ragw)
    ragw("note", "R/1", "Checked again", "--on", "2021-03-04")
    out = ragw("verify")
    assert "each what the events up to position 11 give; 1 later event is not in it yet" in out


def test_verify_with_a_digest_checks_the_events_alone(ragw: Any, target: str) -> None:
    in_step(ragw)
    digest = ragw("verify").splitlines()[-1].removeprefix("digest ")
    falsify(target, FALSIFIED[0][1])
    out = ragw("verify", "--digest", digest)
    assert "holds" in out and "read model" not in out


def test_a_paper_is_not_issued_from_a_model_that_differs(
    ragw: Any, target: str, tmp_path: Path
) -> None:
    in_step(ragw)
    falsify(
        target, "UPDATE ragw_spans SET status = 'RED' WHERE key = 'R/2' AND known_until IS NULL"
    )
    paper = tmp_path / "paper.html"
    error = ragw("pack", "C", "2021-04-01", "--out", str(paper), "--issue", code=1)
    assert error.startswith(
        "Error: the read model differs from the events, so the paper was not "
        "issued; run `ragw rebuild`"
    )
    assert error.count("\n") == 1
    assert not paper.exists()
    assert ragw("verify", "--events-only").startswith("ok: 11 events")  # nothing recorded
    ragw("rebuild")
    ragw("pack", "C", "2021-04-01", "--out", str(paper), "--issue")
    assert paper.exists()
    assert ragw("verify", "--events-only").startswith("ok: 12 events")


@pytest.mark.parametrize(
    "falsified",
    [
        "UPDATE ragw_paper_rows SET status = 'RED' WHERE meeting = '2021-04-01' AND key = 'R/2'",
        "UPDATE ragw_board_open SET status = 'GREEN', head = replace(head, "
        '\'"status":"AMBER"\', \'"status":"GREEN"\') WHERE key = \'R/2\'',
    ],
)
def test_a_paper_is_not_issued_while_the_rows_kept_for_the_present_differ(
    ragw: Any, target: str, tmp_path: Path, falsified: str
) -> None:
    """The counts and the current spans the model keeps for reads as known now (which
    the summary, the appendix and a paper not issued print) are held to the events too,
    not only the spans a reading as known at a moment comes from."""
    in_step(ragw)
    reads = [("summary", "C", "2021-04-01", "--format", "json"), ("board", "--format", "json")]
    before = [ragw(*read) for read in reads]
    falsify(target, falsified)
    assert [ragw(*read) for read in reads] != before, "the row falsified is one printed"
    paper = tmp_path / "paper.html"
    error = ragw("pack", "C", "2021-04-01", "--out", str(paper), "--issue", code=1)
    assert error.startswith("Error: the read model differs from the events, so the paper")
    assert not paper.exists()
    assert ragw("verify", "--events-only").startswith("ok: 11 events")  # nothing recorded


def test_a_paper_issued_covers_an_event_whose_moment_is_later_than_the_head_s(
    ragw: Any, target: str, tmp_path: Path
) -> None:
    """Two writers: one's event stamped first commits last, so the event before the head
    bears the later moment. The paper issued covers every event up to its digest, that
    one included (R/1 AMBER again), and its issue is not refused."""
    import time
    from datetime import date

    from ledger import open_ledger

    in_step(ragw)
    first, second = open_ledger(target, create=False), open_ledger(target, create=False)
    try:
        item = first.get_recommendation("R/2")
        item.note_progress("Supplier chased", "Strategic Development", date(2021, 3, 10))
        time.sleep(0.01)  # the note is stamped before the change below, and lands after it
        second.change_status(
            "R/1", "AMBER", reason="Reopened", actor="Strategic Development", on=date(2021, 3, 15)
        )
        first.save_all(item, what="R/2")
    finally:
        first.close()
        second.close()
    paper = tmp_path / "paper.html"
    ragw("pack", "C", "2021-04-01", "--out", str(paper), "--issue")
    again = tmp_path / "again.html"
    ragw("pack", "C", "2021-04-01", "--out", str(again), "--as-issued")
    text = again.read_text()
    assert "There are currently 2 outstanding" in text, text[:2000]  # R/1 reopened, R/2


def test_an_encrypted_ledger_s_sealed_model_is_checked_with_its_key_and_its_events_without(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli.test_encryption import cli

    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", cli(target, "admin", "new-key").strip())
    history(lambda *args, code=0: cli(target, *args, code=code))
    cli(target, "board")
    out = cli(target, "verify")
    assert out.startswith("ok: 11 events, every link matches\n")
    assert "ok: read model, " in out and "each what the events up to position 11 give" in out
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    out = cli(target, "verify")
    assert out.startswith("ok: 11 events, every link matches\n")
    assert "the ledger is encrypted and RAGW_ENCRYPTION_KEY was not given" in out
    assert "the read model was not checked, as only the key opens it" in out
    assert "ok: read model" not in out
    for events_only in (("--events-only",), ("--digest", out.splitlines()[-1].split()[-1])):
        assert "read model" not in cli(target, "verify", *events_only)  # not asked for
    error = cli(target, "verify", "--rules", code=1)  # asked for, and impossible
    assert error.startswith("Error: the rules are replayed through the events themselves")
    with raw(target) as (connection, _, _):  # a ledger written before its key's record
        connection.execute("DROP TABLE ragw_key")
        if not is_postgres(target):
            connection.commit()
    assert "the read model was not checked" in cli(target, "verify")  # its events say


def test_without_the_key_a_model_in_clear_beside_an_encrypted_ledger_fails_verify(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model kept in clear (its seal's row deleted) cannot be an encrypted ledger's: no
    key is needed to tell, and verify without one does not pass it unchecked."""
    from tests.cli.test_encryption import cli

    key = cli(target, "admin", "new-key").strip()
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    history(lambda *args, code=0: cli(target, *args, code=code))
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    out = cli(target, "verify")  # no model is kept until a read derives one
    assert "no read model is kept beside the events yet" in out and "not checked" not in out
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    cli(target, "board")
    falsify(target, "DELETE FROM ragw_tracking WHERE name = 'read_model_seal'")
    monkeypatch.delenv("RAGW_ENCRYPTION_KEY")
    error = cli(target, "verify", code=1)
    assert error.startswith(
        "Error: the read model differs from the events: it is kept in clear, and this "
        "ledger is encrypted"
    ), error
    assert error.count("\n") == 1
    monkeypatch.setenv("RAGW_ENCRYPTION_KEY", key)
    cli(target, "rebuild")
    assert "ok: read model, " in cli(target, "verify")


def test_a_seal_forged_on_the_model_of_a_ledger_kept_in_clear_fails_verify(
    ragw: Any, target: str
) -> None:
    """A model's own mark says nothing of the ledger: a keyless verify of a ledger kept
    in clear does not take a model marked sealed as one it cannot open, and pass."""
    board = in_step(ragw)
    falsify(target, "INSERT INTO ragw_tracking VALUES ('read_model_seal', 12345)")
    error = ragw("verify", code=1)
    assert error.startswith(
        "Error: the read model differs from the events: it says it is sealed under a key, "
        "and this ledger is kept in clear"
    ), error
    assert error.count("\n") == 1
    ragw("rebuild")
    assert "ok: read model, " in ragw("verify")
    assert ragw("board", "--format", "json") == board


def test_verify_refuses_to_prove_the_model_with_hashes_anyone_could_predict(
    tmp_path: Path,
) -> None:
    """Row sums are keyed by Python's per-run hash secret; PYTHONHASHSEED fixes it, so
    verify will not vouch for a model with it set, and says how to run it instead."""
    import os
    import subprocess
    import sys

    ragw = str(Path(sys.executable).parent / "ragw")
    db = tmp_path / "ragw.db"
    subprocess.run(
        [ragw, "--db", str(db), "demo", "--db", str(db)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [ragw, "--db", str(db), "verify"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "run verify without PYTHONHASHSEED set" in done.stderr
    assert "Traceback" not in done.stderr
    env.pop("PYTHONHASHSEED")
    fine = subprocess.run(
        [ragw, "--db", str(db), "verify"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert fine.returncode == 0, fine.stderr


def on_sqlite(tmp_path: Path) -> tuple[Any, str]:
    """A ledger file and its runner: what the two tests below edit exists on SQLite only
    (PostgreSQL's integer columns hold no text; only the tables' owner may change an
    index there)."""
    target = str(tmp_path / "ragw.db")
    runner = CliRunner()

    def ragw(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", "Strategic Development", *args])
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return ragw, target


def test_a_number_retyped_as_text_that_python_hashes_alike_is_named(tmp_path: Path) -> None:
    """Python hashes '' and 0 (and -1 and -2) alike; verify hashes a row's text, so
    a zero stored as empty text, which prints a blank where the paper had 0, is named."""
    ragw, target = on_sqlite(tmp_path)
    before = in_step(ragw)
    falsify(target, "UPDATE ragw_board_open SET times_extended = '' WHERE times_extended = 0")
    falsify(target, "UPDATE ragw_spans SET times_extended = '' WHERE times_extended = 0")
    error = ragw("verify", code=1)
    assert "times_extended is '' where the events give 0" in error, error
    ragw("rebuild")
    assert ragw("verify").startswith("ok: ")
    assert ragw("board", "--format", "json") == before


def test_an_index_redefined_in_the_file_is_named_and_rebuild_mends_it(tmp_path: Path) -> None:
    """An index defined on other columns answers "as known at" reads with rows left out
    while every row is still there; verify compares each definition with this layout's."""
    ragw, target = on_sqlite(tmp_path)
    before = in_step(ragw)
    with raw(target) as (connection, _, _):
        connection.execute("PRAGMA writable_schema=ON")
        connection.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ragw_spans_as_known ON ragw_spans "
            "(known_from, effective_until)' WHERE name = 'ragw_spans_as_known'"
        )
        connection.commit()
    error = ragw("verify", code=1)
    assert "sqlite_master, ragw_spans_as_known: the index's definition is not this layout's" in (
        error
    )
    ragw("rebuild")
    assert ragw("verify").startswith("ok: ")
    assert ragw("board", "--format", "json") == before
