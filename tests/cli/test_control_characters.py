"""Every text ragw accepts can be written: each C0 control character (U+0000-U+001F)
and DEL, pushed through every way text comes in (the command line's arguments of each
write command and --actor, a CSV or XLSX tracker's cells, an update sheet's cells, a
backup's lines), ends in a correct write or in one `Error:` line with nothing written;
and every writer (export .csv/.xlsx/.jsonl, the update sheet, the paper as HTML and
Word, summary, appendix and board in every format) writes what was accepted.

Line breaks and tabs are kept (comments and notes run over several lines, and Word and
Excel files can hold them), but not in a name (an actor, owner, lead, role holder): a
name is one line, as an email's header built from it must be; every other control
character is refused where it comes in, named by its code. The stores do not matter here: a SQLite file stands for both.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import main

CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"]
#: What a text may hold of them.
KEPT = {"\t", "\n", "\r"}
#: The commands whose text is a name (someone's, a committee's): one line, no tab either.
NAMES = {"--actor", "assign", "rec add --owner", "rec add --lead", "committee add --name"}
#: A tracker's columns that name someone.
NAMED_COLUMNS = {"owner", "lead"}
#: What str.split() takes for spaces: in a due date, whose words are read, they are spaces.
SPACES = {c for c in CONTROLS if c.isspace()}
GOVERNANCE = "Strategic Development"
HOLDER = "__CONTROL__"


def name(c: str) -> str:
    return f"U+{ord(c):04X}"


def events_in(target: Path) -> int:
    with sqlite3.connect(target) as connection:
        found = int(connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0])
    connection.close()
    return found


def run(target: Path, *args: str, actor: str = GOVERNANCE) -> Result:
    result = CliRunner().invoke(main, ["--db", str(target), "--actor", actor, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: what this test exists to find
    return result


def ok(target: Path, *args: str, actor: str = GOVERNANCE) -> str:
    result = run(target, *args, actor=actor)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def written_or_refused(target: Path, c: str, *args: str, actor: str = GOVERNANCE) -> Result:
    """One command with ``c`` in it: a correct write, or one Error line naming the
    character with nothing written."""
    before = events_in(target)
    result = run(target, *args, actor=actor)
    if result.exit_code == 0:
        assert events_in(target) > before, (name(c), args, result.output)
    else:
        assert result.exit_code == 1, (name(c), args, result.output, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
        assert events_in(target) == before, "a refused command wrote events"
    return result


def refusal(c: str) -> str:
    return f"holds {name(c)} ("


def prepared(folder: Path) -> Path:
    target = folder / "ragw.db"
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
    for ref in ("1", "2"):
        ok(
            target,
            "rec",
            "add",
            "R",
            ref,
            "--kind",
            "afi",
            "--text",
            f"Item {ref}",
            "--owner",
            "Head of Roads",
            "--due",
            "2021-06-30",
            "--on",
            "2021-01-05",
        )
    ok(target, "committee", "add", "C", "--name", "Committee")
    ok(target, "meeting", "add", "C", "2021-03-01")
    ok(target, "meeting", "add", "C", "2021-04-01")
    return target


# Every text argument of every write command ---------------------------------------------

_n = count(1)


def fresh_item(target: Path) -> str:
    ref = f"f{next(_n)}"
    ok(
        target,
        "rec",
        "add",
        "R",
        ref,
        "--kind",
        "afi",
        "--text",
        "Fresh",
        "--owner",
        "Head of Roads",
        "--on",
        "2021-01-05",
    )
    return f"R/{ref}"


def claimed(target: Path) -> str:
    key = fresh_item(target)
    ok(target, "complete", key, "--evidence", "Done", "--on", "2021-02-02", actor="Claimant")
    return key


def noted(target: Path) -> str:
    """The id of a note on a fresh item: an event that can be corrected."""
    key = fresh_item(target)
    return ok(target, "note", key, "A note", "--on", "2021-02-01").split()[-1]


#: Each write command with ``text`` where a user types, made repeatable with ``n``.
COMMANDS: dict[str, Callable[[Path, str, int], list[str]]] = {
    "report add --title": lambda t, x, n: [
        "report",
        "add",
        f"T{n}",
        "--title",
        x,
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        "--on",
        "2021-01-04",
    ],
    "report add --inspectorate": lambda t, x, n: [
        "report",
        "add",
        f"I{n}",
        "--title",
        "T",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        "--inspectorate",
        x,
        "--on",
        "2021-01-04",
    ],
    "rec add --text": lambda t, x, n: [
        "rec",
        "add",
        "R",
        f"t{n}",
        "--kind",
        "afi",
        "--text",
        x,
        "--on",
        "2021-01-05",
    ],
    "rec add --owner": lambda t, x, n: [
        "rec",
        "add",
        "R",
        f"o{n}",
        "--kind",
        "afi",
        "--text",
        "T",
        "--owner",
        x,
    ],
    "rec add --lead": lambda t, x, n: [
        "rec",
        "add",
        "R",
        f"l{n}",
        "--kind",
        "afi",
        "--text",
        "T",
        "--lead",
        x,
    ],
    "rec add --due": lambda t, x, n: [
        "rec",
        "add",
        "R",
        f"d{n}",
        "--kind",
        "afi",
        "--text",
        "T",
        "--due",
        x,
    ],
    "rec add --reason": lambda t, x, n: [
        "rec",
        "add",
        "R",
        f"r{n}",
        "--kind",
        "afi",
        "--text",
        "T",
        "--status",
        "RED",
        "--reason",
        x,
    ],
    "status --reason": lambda t, x, n: [
        "status",
        "R/1",
        "RED" if n % 2 else "WHITE",
        "--reason",
        x,
        "--on",
        "2021-02-01",
    ],
    "extend --reason": lambda t, x, n: [
        "extend",
        "R/2",
        "--to",
        (date(2022, 1, 1) + timedelta(days=n)).isoformat(),
        "--reason",
        x,
        "--on",
        "2021-02-01",
    ],
    "due": lambda t, x, n: ["due", fresh_item(t), x],
    "note": lambda t, x, n: ["note", "R/1", x, "--on", "2021-02-01"],
    "assign": lambda t, x, n: ["assign", "R/1", x + str(n), "--on", "2021-02-01"],
    "close --reason": lambda t, x, n: ["close", fresh_item(t), "--reason", x],
    "correct --reason": lambda t, x, n: ["correct", noted(t), "--reason", x],
    "committee add --name": lambda t, x, n: ["committee", "add", f"K{n}", "--name", x],
    "meeting add --paper": lambda t, x, n: [
        "meeting",
        "add",
        "C",
        (date(2020, 1, 1) + timedelta(days=n)).isoformat(),
        "--paper",
        x + str(n),
    ],
    "complete --evidence": lambda t, x, n: [
        "complete",
        fresh_item(t),
        "--evidence",
        x,
        "--link",
        "https://x.example/e",
    ],
    "sign-off --note": lambda t, x, n: ["sign-off", claimed(t), "--note", x],
    "reject --reason": lambda t, x, n: ["reject", claimed(t), "--reason", x],
    "--actor": lambda t, x, n: ["note", "R/2", "Noted", "--on", "2021-02-01"],
}
#: The commands whose text is read as words (a date), where the spaces among the
#: control characters are spaces.
READ_AS_WORDS = {"rec add --due", "due"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ledger every test here writes to: at the end it holds every text accepted."""
    return prepared(tmp_path_factory.mktemp("controls"))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_control_character_in_a_commands_text_is_refused_or_kept(
    ledger: Path, command: str
) -> None:
    for c in CONTROLS:
        n = next(_n)
        # Due dates are read as dates; other texts as they are typed.
        text = f"30 June{c}2021" if command in READ_AS_WORDS else f"Text{c}here"
        args = COMMANDS[command](ledger, text, n)
        actor = f"Act{c}or" if command == "--actor" else GOVERNANCE
        result = written_or_refused(ledger, c, *args, actor=actor)
        if c in KEPT and command in NAMES:
            assert result.exit_code == 1 and "one line" in result.stderr, (command, name(c))
        elif c in KEPT or (command in READ_AS_WORDS and c in SPACES):
            assert result.exit_code == 0, (command, name(c), result.stderr)
        else:
            assert result.exit_code == 1 and refusal(c) in result.stderr, (command, name(c))


def test_a_role_holder_or_whom_they_act_for_with_a_control_character_is_refused(
    tmp_path: Path,
) -> None:
    target = prepared(tmp_path)
    for c in CONTROLS:  # the first grant, by whoever grants it
        if c not in KEPT:
            result = written_or_refused(
                target, c, "role", "grant", f"Gov{c}ernance", "governance", actor=f"Gov{c}ernance"
            )
            assert result.exit_code == 1 and refusal(c) in result.stderr, name(c)
    ok(target, "role", "grant", GOVERNANCE, "governance")
    for n, c in enumerate(CONTROLS):
        for args in (
            ["role", "grant", f"Person{c}{n}", "auditor"],
            ["role", "grant", f"Owner {n}", "owner", "--acts-for", f"Head{c}of"],
        ):
            result = written_or_refused(target, c, *args)
            assert result.exit_code == 1, (name(c), result.stderr)  # a name is one line


# Trackers, update sheets and backups ------------------------------------------------------


def with_character(path: Path, c: str) -> Path:
    """The workbook at ``path`` with every HOLDER replaced by ``c`` as XML writes a
    character (a reference), as another program could have written it."""
    parts = {}
    with zipfile.ZipFile(path) as book:
        for part in book.namelist():
            parts[part] = book.read(part)
    reference = f"&#{ord(c)};".encode()
    with zipfile.ZipFile(path, "w") as book:
        for part, data in parts.items():
            book.writestr(part, data.replace(HOLDER.encode(), reference))
    return path


TRACKER = {
    "report_code": "R",
    "report": "Roads",
    "scope": "force",
    "published": "2021-01-04",
    "ref": "",
    "kind": "afi",
    "text": "",
    "status": "RED",
    "reason": "",
    "due": "",
    "comment": "",
    "owner": "",
    "lead": "",
    "inspectorate": "",
}
FREE = ("text", "reason", "comment", "owner", "lead", "inspectorate")


def tracker(folder: Path, suffix: str, c: str, n: int) -> Path:
    row = dict(TRACKER, ref=f"imp{n}", due=f"30 June{c}2021")
    mark = c if suffix == ".csv" else HOLDER
    # a name is one line: line breaks and tabs are kept in the other columns only
    row.update(
        {
            column: f"{column}{'' if column in NAMED_COLUMNS and c in KEPT else mark}here"
            for column in FREE
        }
    )
    path = folder / f"tracker{n}{suffix}"
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, list(row))
            writer.writeheader()
            writer.writerow(row)
        return path
    from openpyxl import Workbook

    row["due"] = "30 June 2021"
    book = Workbook()
    page = book.active
    assert page is not None
    page.append(list(row))
    page.append(list(row.values()))
    book.save(path)
    return with_character(path, c)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_control_character_in_a_trackers_cells_is_refused_or_kept(
    ledger: Path, tmp_path: Path, suffix: str
) -> None:
    for c in CONTROLS:
        path = tracker(tmp_path, suffix, c, next(_n))
        result = written_or_refused(ledger, c, "import", str(path), "--on", "2021-02-01")
        assert (result.exit_code == 0) == (c in KEPT), (name(c), result.stderr)


def test_every_control_character_in_an_update_sheets_cells_is_refused_or_kept(
    ledger: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    for n, c in enumerate(CONTROLS):
        sheet = tmp_path / f"sheet{n}.xlsx"
        key = fresh_item(ledger)
        ok(ledger, "requests", "--owner", "Head of Roads", "--out", str(sheet))
        book = load_workbook(sheet)
        page = book.worksheets[0]
        header = [cell.value for cell in page[1]]
        row = next(r for r in page.iter_rows(min_row=2) if r[0].value == key)
        for column, value in (
            ("new status", "RED"),
            ("reason", f"Why{HOLDER}not"),
            ("progress note", f"Note{HOLDER}{n}"),
        ):
            row[header.index(column)].value = value
        book.save(sheet)
        result = written_or_refused(
            ledger, c, "apply", str(with_character(sheet, c)), actor="Head of Roads"
        )
        if c in KEPT:
            assert result.exit_code == 0, (name(c), result.stderr)
        else:  # refused naming the character, or an XML that cannot hold it, unread
            assert result.exit_code == 1, name(c)


def test_every_control_character_in_a_backup_is_refused_naming_its_line(
    ledger: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    source = prepared(folder)
    ok(source, "note", "R/1", "A note", "--on", "2021-02-01")
    backup = tmp_path / "backup.jsonl"
    ok(source, "export", "--out", str(backup))
    lines = backup.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if '"A note"' in line)
    for n, c in enumerate(CONTROLS):
        for field in ("payload", "actor"):
            line = json.loads(lines[at])
            if field == "payload":
                line["payload"]["text"] = f"A{c}note"
            else:
                line["actor"] = f"Gov{c}ernance"
            damaged = tmp_path / f"damaged{n}{field}.jsonl"
            damaged.write_text("\n".join([*lines[:at], json.dumps(line), *lines[at + 1 :]]))
            target = tmp_path / f"restored{n}{field}.db"
            result = run(target, "restore", str(damaged))
            if c in KEPT and field == "payload":  # a note runs over lines
                assert result.exit_code == 0, (name(c), result.stderr)
                continue
            assert result.exit_code == 1 and result.stderr.count("\n") == 1, name(c)
            if c in KEPT:  # an actor is a name: one line, as every command holds it
                assert f"line {at + 1}: its actor holds" in result.stderr, result.stderr
                assert "a name is one line of text" in result.stderr
            else:
                assert f"line {at + 1}: its " in result.stderr and refusal(c) in result.stderr
            assert not target.exists() or events_in(target) == 0


# Every writer, on the ledger that holds every text accepted ------------------------------


@pytest.fixture(scope="module")
def every_text_accepted(ledger: Path) -> Path:
    """The shared ledger with, for each control character, an item whose report title,
    text, owner, comment, status reason and pending evidence hold it, as far as each was
    accepted: every one of them shows on a board, a paper and an update sheet."""
    for n, c in enumerate(CONTROLS):
        code, key = f"W{n}", f"W{n}/1"
        attempts = [
            [
                "report",
                "add",
                code,
                "--title",
                f"Title{c}here",
                "--scope",
                "national",
                "--published",
                "2021-01-04",
                "--on",
                "2021-01-04",
            ],
            [
                "report",
                "add",
                code,
                "--title",
                "Title",
                "--scope",
                "national",
                "--published",
                "2021-01-04",
                "--on",
                "2021-01-04",
            ],
            [
                "rec",
                "add",
                code,
                "1",
                "--kind",
                "afi",
                "--text",
                f"Text{c}here",
                "--owner",
                "Head of Roads",
                "--due",
                "2021-03-30",
                "--on",
                "2021-01-05",
            ],
            [
                "rec",
                "add",
                code,
                "1",
                "--kind",
                "afi",
                "--text",
                "Text",
                "--owner",
                "Head of Roads",
                "--due",
                "2021-03-30",
                "--on",
                "2021-01-05",
            ],
            ["assign", key, f"Head of Roads{c}", "--on", "2021-01-06"],
            ["status", key, "RED", "--reason", f"Red{c}because", "--on", "2021-03-15"],
            ["note", key, f"Comment{c}here", "--on", "2021-03-16"],
        ]
        for args in attempts:
            written_or_refused(ledger, c, *args)
        written_or_refused(
            ledger,
            c,
            "complete",
            key,
            "--evidence",
            f"Done{c}so",
            "--on",
            "2021-03-20",
            actor=f"Claim{c}ant",
        )
    held = set("".join(strings(json.loads(ok(ledger, "log", "--format", "json")))))
    assert held & set(CONTROLS) == KEPT
    return ledger


def strings(value: Any) -> Iterator[str]:
    """Every text in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for each in value.values():
            yield from strings(each)
    elif isinstance(value, list):
        for each in value:
            yield from strings(each)


WRITES = [
    ["export", "--out", "{folder}/board.csv", "--as-at", "2021-04-01"],
    ["export", "--out", "{folder}/board.xlsx", "--as-at", "2021-04-01"],
    ["export", "--out", "{folder}/backup.jsonl"],
    ["requests", "--owner", "Head of Roads", "--out", "{folder}/sheet.xlsx"],
    ["pack", "C", "2021-04-01", "--out", "{folder}/paper.html"],
    ["pack", "C", "2021-04-01", "--out", "{folder}/paper.docx"],
    *[
        [read, "C", "2021-04-01", "--format", f]
        for read in ("summary", "appendix")
        for f in ("table", "md", "csv", "json")
    ],
    *[["board", "--as-at", "2021-04-01", "--format", f] for f in ("table", "md", "csv", "json")],
    ["history", "W9/1"],
    ["log"],
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: " ".join(w[:1] + w[-2:]))
def test_every_writer_writes_every_text_accepted(
    every_text_accepted: Path, tmp_path: Path, write: list[str]
) -> None:
    args = [a.format(folder=tmp_path) for a in write]
    result = run(every_text_accepted, *args)
    assert result.exit_code == 0, (args, result.stderr)
    for path in tmp_path.iterdir():
        assert path.stat().st_size > 0


def test_what_was_kept_reads_back_as_it_was_typed(every_text_accepted: Path) -> None:
    for c in KEPT:
        key = f"W{CONTROLS.index(c)}/1"
        events = json.loads(ok(every_text_accepted, "history", key, "--format", "json"))
        texts = {e.get("text") for e in events["events"]}
        assert {f"Text{c}here", f"Comment{c}here"} <= texts, texts


# A ledger recorded before control characters were refused -------------------------------


@pytest.mark.parametrize("write", WRITES, ids=lambda w: " ".join(w[:1] + w[-2:]))
def test_a_ledger_recorded_before_texts_were_checked_is_still_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: list[str]
) -> None:
    """Texts a ledger took before it refused control characters still reach every
    writer: Word and Excel show a vertical tab or form feed as a line break and any
    other such character as U+FFFD, instead of failing to write the file."""
    import ledger.inputs

    folder = tmp_path / "ledger"
    folder.mkdir()
    target = prepared(folder)
    unchecked = "".join(CONTROLS)
    # Recorded through the ledger itself, as an earlier ragw did: no command line can
    # carry a NUL, and this one refuses it before any command runs.
    with monkeypatch.context() as patch:
        patch.setattr(ledger.inputs, "check_writable", lambda text, what: text)
        old = ledger.open_ledger(str(target), create=False)
        try:
            day = date(2021, 3, 16)
            old.note_progress("R/1", f"Legacy{unchecked}note", actor="Owner", on=day)
            old.change_status("R/2", "RED", reason=f"Old{unchecked}reason", actor="Owner", on=day)
        finally:
            old.close()
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(folder=out).replace("W9/1", "R/1") for a in write]
    result = run(target, *args)
    assert result.exit_code == 0, (args, result.stderr)
    for path in out.iterdir():
        assert path.stat().st_size > 0
        if path.suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(path)
            texts = [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r]
            assert any("Legacy" in t and "\ufffd" in t for t in texts)
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                xml = package.read("word/document.xml").decode()
            assert "Legacy" in xml and "\ufffd" in xml
