"""No traceback, ever: every command ragw has, found by walking the command line itself
(so a command or option added later is covered without a word here), run with each
hostile value in each of its arguments and options in turn, the others well formed. Each
run ends in exit 0, a one-line ``Error:`` with exit 1, or a usage error with exit 2;
never a traceback; and the ledger still verifies afterwards."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from cli.main import main
from tests.cli.test_hostile_input import HOSTILE, prepared

#: Values found to break ragw once (issue 16), beside the general hostile list.
BREAKERS = [
    "0001-01-01",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+00:00",
    "2021-03-01T25:00",
    "within 999999999 months",
    "within 99999999999999999999 years",
    "9223372036854775808",
    "-9223372036854775809",
    "3000000000",
    "1e400",
    "nan",
    "1:" + "0" * 64,
    "99999999999999999999:" + "f" * 64,
    "R/1@99999999999999999999",
    "R/1@0",
    "\udcff",
]
VALUES = [*HOSTILE, *BREAKERS]


def files(folder: Path) -> dict[str, Path]:
    """Hostile files: what a file argument is given instead of what it expects."""
    made = {
        "not-utf8.csv": b"report_code,ref\n\x81\xfe,1\n",
        "not-utf8.jsonl": b'{"id": "\x81"}\n',
        "binary.xlsx": os.urandom(512),
        "empty.csv": b"",
        "empty.jsonl": b"",
        "empty.xlsx": b"",
        "nul.csv": b"report_code\x00,ref\n",
        "json-array.jsonl": b"[1, 2, 3]\n",
        "deep.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "huge-number.jsonl": b'{"id": "R@1", "class_version": 1' + b"0" * 5000 + b"}\n",
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    (folder / "a-folder.csv").mkdir()
    return {name: folder / name for name in [*made, "a-folder.csv"]}


def leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from leaves(command, (*path, name))
        else:
            yield (*path, name)


def command_of(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


COMMANDS = list(leaves(main))
_numbers = itertools.count(1)


def well_formed(path: tuple[str, ...], name: str, folder: Path) -> str | None:
    """A value each parameter is happy with, on the ledger :func:`prepared` builds."""
    words = " ".join(path)
    by_command = {
        ("report add", "code"): "NEW",
        ("committee add", "code"): "D",
        ("inspection add", "code"): "J",
        ("inspection update", "code"): "I",
        ("report add", "inspection"): "I",
        ("rec add", "code"): "R",
        ("rec add", "ref"): "3",
        ("role grant", "name"): "alice",
        ("role revoke", "name"): "alice",
        ("role grant", "role_name"): "owner",
        ("role revoke", "role_name"): "owner",
        ("admin add-login", "role_name"): "owner",
        ("import", "file"): str(folder / "tracker.csv"),
        ("apply", "file"): str(folder / "sheet.xlsx"),
        ("restore", "file"): str(folder / "backup.jsonl"),
        ("restore", "digest_text"): None,
        # never a real mail server: the messages are written to the folder instead
        ("remind", "server"): None,
        ("remind", "out"): str(folder),
        ("remind", "within"): "45d",
        ("remind", "sender"): "ragw@example.org",
        ("owner contact", "emails"): "roads@example.org",
        # a host that never resolves: the service is refused, never started in the test
        ("serve", "host"): "no-such-host.invalid",
        ("serve", "port"): "8080",
        ("serve", "workers"): "2",
        ("serve", "minutes"): "60",
        ("relevance", "relevance"): "not-for-us",
        ("supersede", "by"): "R/2",
        ("rec add", "to"): "the Home Office",
        ("org add", "code"): "WMP",
        ("org add", "name"): "West Midlands Police",
        ("org add", "kind"): "force",
    }
    if (words, name) in by_command:
        return by_command[(words, name)]
    if name == "out":
        suffix = {("requests",): "xlsx", ("calendar",): "ics"}.get(path, "csv")
        return str(folder / f"out-{os.urandom(4).hex()}.{suffix}")
    return {
        "key": "R/1",
        "committee_code": "C",
        "code": "C",
        "day": "2021-03-01",
        "on": "2021-03-01",
        "as_at": "2021-03-01",
        "as_known_at": None,
        "title": "Title",
        "scope": "force",
        "published": "2021-01-04",
        "makes": "5",
        "kind": "afi",
        "text": "Text",
        "owner": "Head of Roads",
        "lead": "Lead",
        "due": "2021-06-30",
        "status": "AMBER",
        "status_filter": "AMBER",
        "report_code": "R",
        "reason": "A reason",
        "links": "https://example.org/evidence",
        "evidence": "Done",
        "event_id": "R/1@2",
        "name": "Name",
        "acts_for": "Head of Roads",
        "changes": "closures",
        "paper": "P 1/21",
        "due_within": "3 months",
        "login": "bob",
        "demo_target": str(folder / f"demo-{os.urandom(4).hex()}.db"),
        "digest_text": None,
        "note": "Checked",
        "to": "2021-09-30",
        "poll": "0.1",
        "base_url": "https://ragw.example.org",
        "who": "Head of Roads",
        "fieldwork": "2021-02-01..2021-02-04",
        "debrief": "2021-02-05",
        "expected": "2021-05",
    }.get(name, "x")


def invocation(path: tuple[str, ...], folder: Path, hostile: tuple[str, str] | None) -> list[str]:
    """The command with every parameter well formed, but ``hostile`` (name, value)."""
    command = command_of(path)
    args: list[str] = [*path]
    options: list[str] = []
    for param in command.params:
        if not isinstance(param, click.Argument | click.Option) or param.name is None:
            continue
        if isinstance(param, click.Option) and (param.is_flag or param.count):
            if param.name == "once":
                options.append("--once")  # follow would otherwise run until stopped
            continue
        if hostile is not None and hostile[0] == param.name:
            value: str | None = hostile[1]
        elif param.name in ("fmt", "help"):
            continue
        else:
            value = well_formed(path, param.name, folder)
        if value is None:
            continue
        if isinstance(param, click.Argument):
            args.append(value)
        else:
            options += [param.opts[0], value]
    return [*args, *options]


def hostile_parameters(path: tuple[str, ...]) -> list[str]:
    return [
        param.name
        for param in command_of(path).params
        if param.name is not None
        and not (isinstance(param, click.Option) and (param.is_flag or param.count))
        and param.name != "help"
    ]


def run(target: Path | str, args: list[str], actor: str = "Owner") -> Any:
    # A password typed twice, for the commands that ask for one.
    typed = "Correct horse 1\nCorrect horse 1\n"
    result = CliRunner().invoke(main, ["--db", str(target), "--actor", actor, *args], input=typed)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        shown = " ".join(arg[:80] for arg in args)
        raise AssertionError(f"ragw {shown!r} raised {str(result.exception)[:200]!r}") from (
            result.exception
        )
    return result


def furnished(folder: Path) -> Path:
    """The prepared ledger, with what the file commands read made from it."""
    target = prepared(folder)
    assert run(target, ["assign", "R/1", "Head of Roads"]).exit_code == 0
    assert run(target, ["meeting", "add", "C", "2021-03-01", "--paper", "P"]).exit_code == 0
    assert run(target, ["export", "--out", str(folder / "backup.jsonl")]).exit_code == 0
    sheet = ["requests", "--owner", "Head of Roads", "--out", str(folder / "sheet.xlsx")]
    assert run(target, sheet).exit_code == 0
    (folder / "tracker.csv").write_text(
        "report_code,report,scope,published,ref,kind,text,status,due\n"
        "T,Tracked,force,2021-01-04,1,afi,Item,AMBER,2021-06-30\n"
    )
    return target


@pytest.fixture(scope="module")
def ledger_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        furnished(Path(folder))
        yield Path(folder)


def throw(path: tuple[str, ...], target: str, folder: Path, values: list[str]) -> None:
    """Each value in each of the command's parameters in turn; every run must end
    cleanly, and the chain must still verify."""
    seen: set[int] = set()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for name in hostile_parameters(path):
            for value in values:
                result = run(target, invocation(path, folder, (name, value)))
                seen.add(result.exit_code)
                said = (path, name, value[:80], result.output[:400])
                assert "Traceback" not in result.output, said
                assert result.exit_code in (0, 1, 2), said
                if result.exit_code == 1:
                    lines = result.stderr.splitlines()
                    assert len(lines) == 1 and lines[0].startswith("Error: "), said
        well = run(target, invocation(path, folder, None))
        assert well.exit_code in (0, 1), (path, well.output)
    finally:
        os.chdir(cwd)
    assert run(target, ["verify"]).exit_code == 0, "a hostile command broke the chain"
    if hostile_parameters(path):
        assert 1 in seen or 2 in seen, f"no hostile value was refused by {path}"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_no_command_answers_a_hostile_value_with_a_traceback(
    path: tuple[str, ...], ledger_folder: Path
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        # Deep, so that a hostile relative path such as ../../etc/passwd stays inside it.
        folder = Path(scratch, "a", "b", "c", "d")
        shutil.copytree(ledger_folder, folder)
        hostile_files = [str(p) for p in files(folder).values()]
        throw(path, str(folder / "ragw.db"), folder, [*VALUES, *hostile_files])


#: What reaches PostgreSQL's typed columns and parameters: numbers, dates, sizes, SQL.
ON_POSTGRES = [*BREAKERS, "'; DROP TABLE ragw_events; --", "y" * 20001, "\x00", "-1"]


@pytest.mark.postgres
@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_no_command_on_postgresql_answers_a_hostile_value_with_a_traceback(
    path: tuple[str, ...], ledger_folder: Path, postgres: Any
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch, "a", "b", "c", "d")
        shutil.copytree(ledger_folder, folder)
        target = postgres.create_database(f"ragw_hostile_{os.getpid()}_{next(_numbers)}")
        restored = run(target, ["restore", str(folder / "backup.jsonl")])
        assert restored.exit_code == 0, restored.output
        throw(path, target, folder, ON_POSTGRES)


URLS = [
    "postgresql://",
    "postgresql://u@/",
    "postgresql://u:p@127.0.0.1:1/ragw",
    "postgresql://u:p@127.0.0.1:99999/ragw",
    "postgresql://u:p@[::1/ragw",
    "postgres://u:p@127.0.0.1:1/ragw?sslmode=bogus",
]


@pytest.mark.parametrize(
    "command", [["board"], ["note", "R/1", "A note"], ["verify"], ["export", "--out", "x.csv"]]
)
def test_no_hostile_store_or_actor_gives_a_traceback(
    command: list[str], ledger_folder: Path
) -> None:
    """The options before the command: where the ledger is, who acts, and for which
    organisation."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch, "a", "b", "c", "d")
        shutil.copytree(ledger_folder, folder)
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            for value in [*VALUES, *URLS, *(str(p) for p in files(folder).values())]:
                for options in (
                    ["--db", value],
                    ["--db", "ragw.db", "--actor", value],
                    ["--db", "ragw.db", "--org", value],
                ):
                    result = CliRunner().invoke(main, [*options, *command])
                    said = (options[-1][:80], command, result.output[:400])
                    if result.exception is not None and not isinstance(
                        result.exception, SystemExit
                    ):
                        raise AssertionError(said) from result.exception
                    assert result.exit_code in (0, 1, 2), said
                    if result.exit_code == 1:
                        lines = result.stderr.splitlines()
                        assert len(lines) == 1 and lines[0].startswith("Error: "), said
                    Path(folder, "x.csv").unlink(missing_ok=True)
        finally:
            os.chdir(cwd)
        assert run(folder / "ragw.db", ["verify"]).exit_code == 0
