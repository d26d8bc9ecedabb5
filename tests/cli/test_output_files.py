"""Files ragw writes (`export`, `requests`, `pack`, `audit` with --out) are written safely: first to
a new private file created exclusively in the target's folder, then renamed into place.
A link planted where ragw writes is never followed, and an existing file is replaced only
with --force."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from tests.cli.test_verify import history

#: Every command that writes a file, by what it writes.
WRITERS = {
    "backup.jsonl": ["export"],
    "board.csv": ["export", "--as-at", "2021-04-01"],
    "board.xlsx": ["export", "--as-at", "2021-04-01"],
    "sheet.xlsx": ["requests", "--owner", "Head of Roads"],
    "paper.html": ["pack", "C", "2021-04-01"],
    "paper.docx": ["pack", "C", "2021-04-01"],
    "audit.html": ["audit", "C", "2021-04-01"],
    "audit.docx": ["audit", "C", "2021-04-01"],
}
SECRET = b"a file the writer must not touch\n"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = str(tmp_path_factory.mktemp("ledger") / "ragw.db")

    def ragw(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", target, "--actor", "Governance", *args])
        assert result.exit_code == 0, (result.output, result.stderr)
        return result.stdout

    history(ragw)
    return target


def write(ledger: str, out: Path, *options: str) -> Result:
    command = WRITERS[out.name]
    return CliRunner().invoke(
        main, ["--db", ledger, "--actor", "Governance", *command, "--out", str(out), *options]
    )


def written(result: Result) -> None:
    assert result.exit_code == 0, (result.output, result.stderr)
    assert result.stderr.startswith("wrote ")


def refused(result: Result, out: Path) -> None:
    assert result.exit_code == 1, (result.output, result.stderr)
    assert result.stderr == (
        f"Error: --out {out} already exists; give --force to replace it, or another file name\n"
    )


@pytest.fixture(params=sorted(WRITERS))
def out(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder / str(request.param)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file someone would like ragw to overwrite."""
    path = tmp_path / "secret"
    path.write_bytes(SECRET)
    return path


def leftovers(folder: Path, *expected: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p not in expected)


def test_a_new_file_is_written_private_to_its_owner(ledger: str, out: Path) -> None:
    written(write(ledger, out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert leftovers(out.parent, out) == []  # no temporary file left behind


def test_an_existing_file_is_not_replaced_without_force(ledger: str, out: Path) -> None:
    out.write_bytes(SECRET)
    refused(write(ledger, out), out)
    assert out.read_bytes() == SECRET
    written(write(ledger, out, "--force"))
    assert out.read_bytes() != SECRET
    assert leftovers(out.parent, out) == []


def test_a_link_planted_at_the_target_is_never_followed(
    ledger: str, out: Path, secret: Path
) -> None:
    out.symlink_to(secret)
    refused(write(ledger, out), out)
    written(write(ledger, out, "--force"))  # the link is replaced, not written through
    assert secret.read_bytes() == SECRET
    assert not out.is_symlink() and out.read_bytes() != SECRET


@pytest.fixture
def guessed_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Temporary names made predictable, as a guesser would need them to be: the first
    three candidates are known in advance."""
    names = ["guess1", "guess2", "guess3"]

    def candidates() -> Iterator[str]:
        yield from names
        yield from (f"free{n}" for n in range(1000))

    monkeypatch.setattr(tempfile, "_get_candidate_names", candidates)
    return names


def test_links_planted_at_every_temporary_name_a_guesser_could_use_are_never_followed(
    ledger: str, out: Path, secret: Path, guessed_names: list[str]
) -> None:
    """The name ragw used to write to first (`.NAME.PID.part`) and the candidates the
    temporary file is created under all hold links to a file someone wants overwritten:
    creating the temporary file refuses each existing name without following it."""
    planted = [out.parent / f".{out.name}.{os.getpid()}.part"] + [
        out.parent / f".{out.name}.{name}.part" for name in guessed_names
    ]
    for link in planted:
        link.symlink_to(secret)
    written(write(ledger, out))
    assert secret.read_bytes() == SECRET
    assert all(link.is_symlink() for link in planted)  # left as they were
    assert not out.is_symlink() and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert leftovers(out.parent, out, *planted) == []


def test_a_failed_write_leaves_the_file_that_was_there(
    ledger: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "paper.html"
    out.write_bytes(SECRET)

    def broken(paper: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("render.html.render_html", broken)
    result = write(ledger, out, "--force")
    assert result.exit_code != 0
    assert out.read_bytes() == SECRET and leftovers(tmp_path, out) == []


def test_a_folder_given_as_the_output_is_refused(ledger: str, tmp_path: Path) -> None:
    folder = tmp_path / "paper.html"
    folder.mkdir()
    result = write(ledger, folder, "--force")
    assert result.exit_code == 1
    assert result.stderr == f"Error: --out {folder} is a folder; give a file name\n"
