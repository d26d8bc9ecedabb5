"""A row planted in the store cannot make a read import code: the mapper resolves only
the topics of ragw's own events, and a creating event's class topic only when it names
the aggregate that event creates; anything else is one Error line, on both stores."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import StoredEvent

from cli.main import main
from ledger import LedgerError
from tests.conftest import memory_ledger
from tests.integration.test_stored_events_fixture import fixture_rows, load_rows

MARKER = "ragw_planted_store_marker"


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module that, imported, leaves a file behind."""
    folder = tmp_path / "planted"
    folder.mkdir()
    marker = folder / "imported"
    (folder / f"{MARKER}.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).touch()\nclass Committee: pass\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, MARKER, raising=False)
    return marker


def test_a_stored_creating_event_naming_a_foreign_class_is_refused_on_every_read(
    target: str, planted: Path
) -> None:
    rows = [dict(row) for row in fixture_rows()]
    committee = next(row for row in rows if row["topic"].endswith(":CommitteeRegistered"))
    state = json.loads(committee["state"])
    state["originator_topic"] = f"{MARKER}:Committee"
    committee["state"] = json.dumps(state, separators=(",", ":"))
    load_rows(target, rows)
    for read in (("log",), ("board",), ("committee", "list")):
        result = CliRunner().invoke(main, ["--db", target, "--actor", "Auditor", *read])
        assert result.exit_code == 1, (read, result.output)
        assert result.stderr.startswith("Error: CommitteeRegistered names "), result.stderr
        assert f"'{MARKER}:Committee'" in result.stderr
    assert not planted.exists() and MARKER not in sys.modules


def test_the_mapper_refuses_a_topic_that_is_not_an_event_of_ragw(planted: Path) -> None:
    ledger = memory_ledger()
    row = fixture_rows()[0]
    stored = StoredEvent(
        originator_id=UUID(row["stream"]),
        originator_version=1,
        topic=f"{MARKER}:Committee",
        state=row["state"].encode(),
    )
    with pytest.raises(LedgerError, match="is not an event this ledger records"):
        ledger.mapper.to_domain_event(stored)
    assert not planted.exists() and MARKER not in sys.modules


def test_an_event_that_creates_nothing_may_not_name_a_class(planted: Path) -> None:
    ledger = memory_ledger()
    row = next(row for row in fixture_rows() if row["topic"].endswith(":MeetingScheduled"))
    state = json.loads(row["state"]) | {"originator_topic": f"{MARKER}:Committee"}
    stored = StoredEvent(
        originator_id=UUID(row["stream"]),
        originator_version=row["version"],
        topic=row["topic"],
        state=json.dumps(state).encode(),
    )
    with pytest.raises(LedgerError, match="MeetingScheduled creates nothing"):
        ledger.mapper.to_domain_event(stored)
    assert not planted.exists() and MARKER not in sys.modules
