"""The command line, driven as a user drives it, against each kind of store."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.national_store import Run, runner_on

#: Who the command line runs as, where a test names nobody else.
ACTOR = "Strategic Development"


@pytest.fixture
def ragw(target: str) -> Run:
    return runner_on(target, ACTOR)


@pytest.fixture
def elsewhere(request: pytest.FixtureRequest, target: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``ragw`` on a second, empty ledger of the same store as ``target``."""
    if target.startswith("postgresql"):
        other = request.getfixturevalue("postgres").create_database(
            f"ragw_other_{uuid.uuid4().hex[:12]}"
        )
    else:
        other = str(tmp_path / "elsewhere.db")

    return runner_on(other, ACTOR)


@pytest.fixture
def owned(ragw: Run) -> Run:
    """``ragw`` on the demo ledger with four of its items (FRAUD19/7 GREEN) owned by DCI
    Crime, whose update sheets the tests fill in."""
    ragw("demo", "--format", "json")
    for key in ("FRAUD19/2", "FRAUD19/5", "HATE18/6", "FRAUD19/7"):
        ragw("assign", key, "DCI Crime", "--on", "2019-11-20")
    return ragw
