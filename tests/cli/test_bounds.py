"""Numbers and dates a user can type are bounded, and input that cannot be read at all
(bytes that are no text, years no calendar holds) is one Error line with nothing written,
never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main

GOVERNANCE = "Strategic Development"


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), "--actor", GOVERNANCE, *args])
    return result.exit_code, result.output if result.exit_code == 0 else result.stderr


def events(db: Path) -> int:
    code, out = run(db, "log", "--format", "json")
    assert code == 0, out
    return out.count('"id":')


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    db = tmp_path / "ragw.db"
    code, out = run(
        db,
        "report",
        "add",
        "ROADS",
        "--title",
        "Roads policing",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        "--on",
        "2021-01-04",
    )
    assert code == 0, out
    return db


def refused(db: Path, *args: str) -> str:
    before = events(db)
    code, message = run(db, *args)
    assert code == 1, message
    assert message.startswith("Error: ") and message.count("\n") == 1, message
    assert "Traceback" not in message
    assert events(db) == before, "a refusal writes nothing"
    return message


@pytest.mark.parametrize("makes", ["9223372036854775808", "3000000000", "10000", "-1"])
def test_a_report_makes_at_most_9999_recommendations(ledger: Path, makes: str) -> None:
    message = refused(
        ledger,
        "report",
        "add",
        "BIG",
        "--title",
        "Big",
        "--scope",
        "national",
        "--published",
        "2021-01-04",
        "--makes",
        makes,
    )
    assert "--makes must be from 0 to 9,999" in message


def test_a_report_may_make_9999_recommendations(ledger: Path) -> None:
    code, out = run(
        ledger,
        "report",
        "add",
        "BIG",
        "--title",
        "Big",
        "--scope",
        "national",
        "--published",
        "2021-01-04",
        "--makes",
        "9999",
    )
    assert code == 0 and "recorded BIG@1" in out


@pytest.mark.parametrize(
    ("due", "says"),
    [
        ("within 999999999 months", "falls past the year 2999"),
        ("within 99999999999 days", "falls past the year 2999"),
        ("31 December 9999", "outside the years 1900-2999"),
        ("1899-12-31", "outside the years 1900-2999"),
    ],
)
def test_a_due_date_beyond_the_years_ragw_accepts_is_refused(
    ledger: Path, due: str, says: str
) -> None:
    message = refused(
        ledger,
        "rec",
        "add",
        "ROADS",
        "1",
        "--kind",
        "afi",
        "--text",
        "Patrols",
        "--due",
        due,
        "--on",
        "2021-01-05",
    )
    assert says in message


@pytest.mark.parametrize("moment", ["0001-01-01", "9999-12-31T23:59:59Z", "1899-12-31"])
def test_a_moment_beyond_the_years_ragw_accepts_is_refused(ledger: Path, moment: str) -> None:
    message = refused(ledger, "board", "--as-known-at", moment)
    assert "falls outside the years 1900-2999" in message


@pytest.mark.parametrize("day", ["0001-01-01", "3000-01-01"])
def test_a_day_beyond_the_years_ragw_accepts_is_refused(ledger: Path, day: str) -> None:
    assert "outside the years 1900-2999" in refused(ledger, "board", "--as-at", day)
    assert "outside the years 1900-2999" in refused(ledger, "note", "ROADS/1", "x", "--on", day)


def test_a_csv_that_is_neither_utf8_nor_windows_text_is_refused(
    ledger: Path, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(
        b"report_code,report,scope,published,ref,kind,text\nR,\x81,force,2021-01-04,1,afi,x\n"
    )
    message = refused(ledger, "import", str(tracker))
    assert "tracker.csv is neither UTF-8 nor Windows text (byte 0x81" in message


def test_a_backup_line_that_is_not_utf8_is_a_bad_line(tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl"
    backup.write_bytes(b'\xff\xfe{"id": "R@1"}\n')
    fresh = tmp_path / "fresh.db"
    code, message = run(fresh, "restore", str(backup))
    assert code == 1 and message.startswith("Error: backup.jsonl has 1 bad row"), message
    assert "line 1:" in message and "Traceback" not in message
    assert not fresh.exists()


def test_a_csv_cell_longer_than_any_text_is_one_error_line(ledger: Path, tmp_path: Path) -> None:
    tracker = tmp_path / "long.csv"
    tracker.write_text(
        "report_code,report,scope,published,ref,kind,text\n"
        f'R,Roads,force,2021-01-04,1,afi,"{"x" * 200_000}"\n'
    )
    message = refused(ledger, "import", str(tracker))
    assert "long.csv cannot be read as CSV at line 2" in message


def test_a_new_ledger_file_and_its_journal_are_private_to_their_owner(ledger: Path) -> None:
    """A ledger is evidence and may hold restricted text: created 0600, not 0644."""
    assert ledger.stat().st_mode & 0o777 == 0o600
    for journal in ledger.parent.glob(f"{ledger.name}-*"):
        assert journal.stat().st_mode & 0o077 == 0, journal
