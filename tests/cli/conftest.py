"""The command line, driven as a user drives it, against each kind of store."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import main


@pytest.fixture
def ragw(target: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--db", target, "--actor", "Strategic Development", *args])
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return run
