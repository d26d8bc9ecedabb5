"""A paper read as known at a moment prints the digest of the history it was read from:
the last event recorded by that moment, never the ledger's head of a later day."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main


def ragw(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def summary(db: Path, *args: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(
        ragw(db, "summary", "PRMSC", "2019-11-15", "--format", "json", *args)
    )
    return document


def test_a_summary_as_known_at_a_moment_prints_the_digest_of_what_was_recorded_by_then(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ragw.db"
    ragw(db, "demo")
    then = summary(db)
    log = json.loads(ragw(db, "log", "--format", "json"))["events"]
    moment = log[-1]["recorded_at"]
    ragw(db, "note", "PEEL1819/1", "Checked", "--on", "2019-11-20")
    ragw(db, "note", "PEEL1819/2", "Checked", "--on", "2019-11-20")
    assert summary(db)["digest"] != then["digest"]
    assert summary(db, "--as-known-at", moment)["digest"] == then["digest"]
    assert str(then["digest"]).startswith(f"{len(log)}:")
    early = log[99]["recorded_at"]
    last = max(at for at, event in enumerate(log, 1) if event["recorded_at"] <= early)
    assert str(summary(db, "--as-known-at", early)["digest"]).startswith(f"{last}:")


def test_an_event_recorded_out_of_order_is_in_the_digest_of_the_moment_it_was_recorded_by(
    tmp_path: Path,
) -> None:
    """Writers' events reach the log in the order their writes commit, not always in the
    order of their moments: the last event here bears a moment early in the log, and a
    read as known just after that moment is read from it, so its digest covers it."""
    db, backup = tmp_path / "ragw.db", tmp_path / "backup.jsonl"
    ragw(db, "demo")
    ragw(db, "committee", "add", "LATE", "--name", "A committee whose write committed last")
    ragw(db, "export", "--out", str(backup))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    early = lines[99]["recorded_at"]
    lines[-1]["recorded_at"] = early  # a writer whose write committed last
    backup.write_text("".join(json.dumps(line) + "\n" for line in lines))
    again = tmp_path / "again.db"
    ragw(again, "restore", str(backup))
    digest = str(summary(again, "--as-known-at", early)["digest"])
    assert digest.startswith(f"{lines[-1]['position']}:"), digest
