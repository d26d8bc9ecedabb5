"""The command line, driven as a user drives it, against each kind of store."""

from __future__ import annotations

import uuid
from pathlib import Path

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


@pytest.fixture
def elsewhere(request: pytest.FixtureRequest, target: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``ragw`` on a second, empty ledger of the same store as ``target``."""
    if target.startswith("postgresql"):
        other = request.getfixturevalue("postgres").create_database(
            f"ragw_other_{uuid.uuid4().hex[:12]}"
        )
    else:
        other = str(tmp_path / "elsewhere.db")

    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(
            main, ["--db", other, "--actor", "Strategic Development", *args]
        )
        assert result.exit_code == code, (result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return run
