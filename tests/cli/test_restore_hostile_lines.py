"""Lines no export writes, refused by a restore in one `Error:` line naming the line,
with nothing written, never a traceback: a moment without its time zone, a key no
stream can be named by, brackets nested past any parser, a position past any log, a
value that reads only by coercion (a number for a date, `true` for a number), and an
issued paper whose digest or reading could not have been recorded. And a paper whose
recorded digest is damaged cannot be rendered as issued, in one `Error:` line."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger import open_ledger
from tests.cli.test_restore_checks import refused, run, written

MEETING = "2019-11-15"


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict[str, Any]]]:
    """The demo ledger with PRMSC's paper issued, and its export's lines."""
    folder = tmp_path_factory.mktemp("issued")
    db = str(folder / "original.db")
    run(db, "demo", "--db", db)
    run(db, "pack", "PRMSC", MEETING, "--out", str(folder / "p.html"), "--issue")
    backup = folder / "backup.jsonl"
    run(db, "export", "--out", str(backup))
    return db, [json.loads(line) for line in backup.read_text().splitlines()]


def changed(lines: list[dict[str, Any]], at: int, **fields: Any) -> list[dict[str, Any]]:
    """``lines`` with line ``at`` (0-based, negative from the end) given ``fields``; a
    field ``payload`` is merged into the line's payload."""
    copy = [dict(line) for line in lines]
    payload = fields.pop("payload", None)
    copy[at] = {**copy[at], **fields}
    if payload is not None:
        copy[at]["payload"] = {**copy[at]["payload"], **payload}
    return copy


def issue_at(lines: list[dict[str, Any]]) -> int:
    return next(i for i, line in enumerate(lines) if line["type"] == "PaperIssued")


def test_the_backup_of_an_issued_paper_restores(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    """The control for the refusals below: the file as exported restores."""
    _, lines = issued
    run(target, "restore", written(tmp_path, lines))


def test_a_moment_without_its_time_zone_is_refused_naming_its_line(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    naive = lines[-1]["recorded_at"].replace("+00:00", "").replace("Z", "")
    message = refused(target, written(tmp_path, changed(lines, -1, recorded_at=naive)))
    assert f"line {len(lines)}" in message
    assert f"its recorded_at {naive} carries no time zone" in message


def test_a_key_holding_a_lone_surrogate_is_refused_as_no_key(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    at = next(i for i, line in enumerate(lines) if line["type"] == "ReportRegistered")
    key = lines[at]["key"] + "\ud800"
    bad = changed(lines, at, key=key, id=f"{key}@1", payload={"code": key})
    path = tmp_path / "backup.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in bad))  # \ud800 escaped
    message = refused(target, str(path))
    assert f"line {at + 1}" in message and "its key holds U+D800" in message


def test_a_payload_text_holding_a_lone_surrogate_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    at = next(i for i, line in enumerate(lines) if line["type"] == "ProgressNoted")
    bad = changed(lines, at, payload={"text": "noted \udfff"})
    message = refused(target, written(tmp_path, bad))
    assert f"line {at + 1}" in message and "U+DFFF" in message


def test_a_line_of_brackets_nested_past_any_parser_is_refused_as_not_json(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    path = Path(written(tmp_path, lines))
    path.write_text(path.read_text() + "[" * 100_000 + "\n")
    message = refused(target, str(path))
    assert f"line {len(lines) + 1}: not a JSON object (nested too deeply)" in message


def test_a_position_past_any_log_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    message = refused(target, written(tmp_path, changed(lines, -1, position=2**63)))
    assert f"line {len(lines)}" in message and "is past 9007199254740992" in message


def test_a_position_too_far_ahead_to_back_up_again_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    """Restored at 2^53, the ledger's next event would have a position no backup may
    give: positions may leave gaps (writers collide), never 2^40 of them."""
    _, lines = issued
    ahead = len(lines) + 2**40 + 1  # after len(lines) - 1 lines
    message = refused(target, written(tmp_path, changed(lines, -1, position=ahead)))
    assert f"line {len(lines)}" in message
    assert f"leaves {2**40 + 1} positions unused before it" in message


def test_a_restore_numbered_ahead_within_the_gaps_a_log_leaves_backs_up_again(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    """The control: a last line 2^40 positions ahead restores, and so does the backup
    of the ledger it made, once it has recorded more."""
    _, lines = issued
    ahead = len(lines) + 2**40  # 2^40 unused: the most
    run(target, "restore", written(tmp_path, changed(lines, -1, position=ahead)))
    key = next(line["key"] for line in lines if line["type"] == "RecommendationIssued")
    run(target, "note", key, "recorded after the restore")
    again = tmp_path / "again.jsonl"
    run(target, "export", "--out", str(again))
    assert json.loads(again.read_text().splitlines()[-1])["position"] == ahead + 1
    run(str(tmp_path / "again.db"), "restore", str(again))


@pytest.mark.parametrize(
    ("payload", "said"),
    [
        ({"digest": "garbage"}, "its digest 'garbage' is not a digest"),
        ({"digest": "12:" + "g" * 64}, "is not a digest"),
        ({"read_at": "2999-01-01T00:00:00+00:00"}, "2999"),
        ({"read_at": "2019-11-15T00:00:00"}, "its read_at 2019-11-15T00:00:00 carries no time"),
    ],
)
def test_an_issued_paper_whose_digest_or_reading_could_not_have_been_recorded_is_refused(
    issued: tuple[str, list[dict[str, Any]]],
    target: str,
    tmp_path: Path,
    payload: dict[str, Any],
    said: str,
) -> None:
    _, lines = issued
    at = issue_at(lines)
    message = refused(target, written(tmp_path, changed(lines, at, payload=payload)))
    assert f"line {at + 1}" in message and said in message


def test_an_issued_paper_read_after_it_was_issued_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    at = issue_at(lines)
    later = datetime.fromisoformat(lines[at]["recorded_at"]) + timedelta(minutes=1)
    bad = changed(lines, at, payload={"read_at": later.isoformat()})
    message = refused(target, written(tmp_path, bad))
    assert f"line {at + 1}" in message and "after the paper was issued" in message


def test_an_issued_paper_pinned_to_its_own_position_or_later_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    at = issue_at(lines)
    own = lines[at]["position"]
    link = lines[at]["payload"]["digest"].partition(":")[2]
    for position in (own, own + 5):
        bad = changed(lines, at, payload={"digest": f"{position}:{link}"})
        message = refused(target, written(tmp_path, bad))
        assert f"line {at + 1}" in message
        assert f"pinned to position {position}, which is not before its own ({own})" in message


def test_an_issued_paper_repinned_to_an_earlier_link_of_its_own_history_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    """The link at position 100 is a real link of the same chain, so the digest names a
    real history; but the paper was read as known when the events up to its own pin had
    been recorded, and those up to 100 were recorded earlier: ``--as-issued`` would
    otherwise render another paper than the one issued, and every check would pass."""
    db, lines = issued
    at = issue_at(lines)
    with sqlite3.connect(db) as connection:
        (link,) = connection.execute("SELECT link FROM ragw_chain WHERE position = 100").fetchone()
    bad = changed(lines, at, payload={"digest": f"100:{link}"})
    message = refused(target, written(tmp_path, bad))
    assert f"line {at + 1}" in message and "pinned to position 100" in message
    assert "the digest or the moment was altered" in message
    # a log with a gap (a PostgreSQL log skips the positions of rolled-back writes)
    gapped = [
        {**line, "position": line["position"] + 10} if i >= 50 else line
        for i, line in enumerate(lines)
    ]
    bad = changed(gapped, at, payload={"digest": f"55:{link}"})
    message = refused(target, written(tmp_path, bad))
    assert "pinned to position 55, which holds no event of the backup" in message


def test_a_paper_recorded_with_a_damaged_digest_is_not_rendered_as_issued(
    target: str, tmp_path: Path
) -> None:
    """A ledger written before restores checked issued papers may hold one."""
    run(target, "demo", "--db", target)
    ledger = open_ledger(target, create=False)
    try:
        committee = ledger.get_committee("PRMSC")
        committee.issue_paper(
            date.fromisoformat(MEETING),
            "garbage",
            datetime.now(UTC),
            None,
            "Governance",
            date.today(),
        )
        ledger.save(committee)
    finally:
        ledger.close()
    message = run(
        target, "pack", "PRMSC", MEETING, "--out", str(tmp_path / "p.html"), "--as-issued", code=1
    )
    assert len(message.splitlines()) == 1, message
    assert message.startswith("Error: the paper for PRMSC's meeting on 2019-11-15 was recorded")
    assert "'garbage', which is not a digest" in message


@pytest.mark.parametrize(
    ("kind", "field", "value", "said"),
    [
        ("ReportRegistered", "makes", True, "its makes is true"),
        ("ReportRegistered", "makes", "12", 'its makes is "12"'),
        ("MeetingScheduled", "meeting", 0, "its meeting is 0"),
        ("ReportRegistered", "published", 20191115, "its published is 20191115"),
        ("MeetingScheduled", "meeting", "0", 'its meeting is "0": a day, YYYY-MM-DD'),
        ("ReportRegistered", "published", "1556755200", 'its published is "1556755200"'),
    ],
)
def test_a_value_that_reads_only_by_coercion_is_refused_naming_its_field(
    issued: tuple[str, list[dict[str, Any]]],
    target: str,
    tmp_path: Path,
    kind: str,
    field: str,
    value: Any,
    said: str,
) -> None:
    """A number for a date, `true` for a number, a number in text: the ledger records
    none of them, so a backup giving one is not a backup of it."""
    _, lines = issued
    at = next(i for i, line in enumerate(lines) if line["type"] == kind)
    message = refused(target, written(tmp_path, changed(lines, at, payload={field: value})))
    assert f"line {at + 1}" in message and said in message


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"on": 20190715}, "its on is 20190715: a day, YYYY-MM-DD"),
        ({"on": "2019-W29-1"}, 'its on is "2019-W29-1": a day, YYYY-MM-DD'),
        ({"recorded_at": "20190715T120000Z"}, "its recorded_at is"),
        ({"class_version": True}, "its class_version is true: a whole number"),
    ],
)
def test_a_lines_own_field_not_written_as_export_writes_it_is_refused(
    issued: tuple[str, list[dict[str, Any]]],
    target: str,
    tmp_path: Path,
    fields: dict[str, Any],
    said: str,
) -> None:
    """The fields of the line itself, not only its payload: every day YYYY-MM-DD, every
    moment with its T and zone, the class version a number."""
    _, lines = issued
    message = refused(target, written(tmp_path, changed(lines, 0, **fields)))
    assert "line 1: " in message and said in message


def test_an_id_not_written_key_at_version_is_refused(
    issued: tuple[str, list[dict[str, Any]]], target: str, tmp_path: Path
) -> None:
    _, lines = issued
    key = lines[0]["key"]
    message = refused(target, written(tmp_path, changed(lines, 0, id=f" {key}@001")))
    assert f"line 1: its id ' {key}@001' is not written KEY@VERSION" in message
