"""Commands are imported when they are run or listed: ``ragw --help`` still lists every
one with its short help, and starting ``ragw`` imports none of them."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from cli.main import COMMANDS, main

HEAVY = ("pydantic", "eventsourcing", "projections", "tabulate")


def test_help_lists_every_command_with_its_short_help() -> None:
    shown = CliRunner().invoke(main, ["--help"]).output.split("Commands:\n", 1)[1]
    listed = {line.split()[0]: " ".join(line.split()[1:]) for line in shown.splitlines() if line}
    assert sorted(listed) == sorted(COMMANDS)
    for name, short in listed.items():
        command = main.commands[name]
        assert short == command.get_short_help_str(limit=80 - 6 - max(map(len, listed)))


def loaded_after(*args: str) -> set[str]:
    """The project's modules and heavy libraries imported by running ``ragw ARGS``."""
    script = (
        "import sys\nfrom cli.main import main\ntry:\n    main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    names = set(done.stdout.split())
    return {n for n in names if n.split(".")[0] in (*HEAVY, "cli", "ledger", "events")}


def test_starting_ragw_imports_no_command_and_no_heavy_library() -> None:
    assert loaded_after("--version") == {"cli", "cli.main", "cli.common", "ledger", "ledger.errors"}


def test_a_command_imports_its_own_module_only() -> None:
    loaded = loaded_after("status", "--help")
    assert "cli.items" in loaded
    assert not {"cli.reads", "cli.papers", "cli.exchange", "cli.access"} & loaded
    assert not {n for n in loaded if n.split(".")[0] in HEAVY}
