"""A force whose own ledger cannot be read (an event its rules cannot replay, planted
through the force's own ledger) takes nothing of a national issue, and stops nobody
else's: every other force takes what it lacks, then one ``Error:`` line names the force
and says what to do. Run again, the issue gives each force only what it still lacks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from events import OrganisationAdded
from ledger import open_ledger
from tests.national_store import Run, add_national_store, runner_on

ME = "Registrar"


@pytest.fixture
def run(target: str) -> Run:
    return runner_on(target, ME)


def plant_second_identity(target: str, org: str) -> None:
    """A second ``OrganisationAdded`` in ``org``'s own ledger, saved through that
    ledger as a governance login of the force could save it: its identity no longer
    replays (an aggregate is created once)."""
    force = open_ledger(target, create=False, org=org)
    try:
        identity: Any = force.organisation(org)
        assert identity is not None
        forged = OrganisationAdded(
            originator_id=identity.id,
            originator_version=identity.version + 1,
            timestamp=datetime.now(UTC),
            originator_topic="ledger.aggregates.organisation:Organisation",
            code=org,
            name=identity.name,
            kind="inspectorate",
            actor=ME,
            on=date(2019, 4, 3),
        )
        identity._pending_events.append(forged)
        force.save_all(identity, what=f"organisation {org}")
    finally:
        force.close()


def issue(target: str) -> Result:
    return CliRunner().invoke(
        main, ["--db", target, "--actor", ME, "--org", "HMICFRS", "national", "issue"]
    )


def test_a_force_whose_ledger_cannot_be_read_stops_no_other_force_taking_its_items(
    run: Run, target: str
) -> None:
    add_national_store(run, ("WMP", "COLP"))
    plant_second_identity(target, "WMP")  # the first force the register names

    result = issue(target)

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # said, not a traceback
    assert "Traceback" not in result.output
    assert "recorded FRAUD19/9@1 in COLP's ledger" in result.stdout
    assert "WMP" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    [error] = errors
    assert error.startswith("Error: WMP's ledger cannot be read")
    assert "`ragw --org WMP verify --rules`" in error
    assert "national issue" in error
    assert "COLP" not in error
    assert "FRAUD19/9" in run("--org", "COLP", "board")

    # run again: COLP takes nothing twice, WMP is named again, nothing else
    again = issue(target)
    assert again.exit_code == 1, again.output
    assert again.stdout.splitlines() == ["COLP held every national report of HMICFRS already"]
    assert [line for line in again.stderr.splitlines() if line.strip()] == errors
