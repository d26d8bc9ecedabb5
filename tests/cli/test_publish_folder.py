"""Where `ragw publish` writes: a new folder, or the register it wrote there before,
replaced whole; never a folder holding anything else, and never half a register."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.register import MARK, RegisterRefused, write_site
from render.register.site import Names
from tests.register_store import national_store, ragw


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = str(tmp_path_factory.mktemp("store") / "ragw.db")
    national_store(target)
    return target


def test_publishing_again_replaces_the_register_written_there_before(
    store: str, tmp_path: Path
) -> None:
    out = tmp_path / "register"
    ragw(store, "publish", "--out", str(out), "--as-at", "2019-09-01")
    ragw(store, "publish", "--out", str(out), "--as-at", "2019-11-15")
    assert "2019-11-15" in (out / "index.html").read_text()
    assert "2019-09-01" not in (out / "recommendations.csv").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["register"]  # nothing left beside it


@pytest.mark.parametrize("what", ["a folder of the user's", "a register with a user's file"])
def test_a_folder_holding_anything_publish_did_not_write_is_refused_and_kept(
    store: str, tmp_path: Path, what: str
) -> None:
    out = tmp_path / "register"
    if what == "a register with a user's file":
        ragw(store, "publish", "--out", str(out), "--as-at", "2019-11-15")
    else:
        out.mkdir()
    (out / "notes.txt").write_text("mine")
    said = ragw(store, "publish", "--out", str(out), code=1)
    assert said.startswith("Error: --out ") and said.count("\n") == 1, said
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register"]


def test_a_file_or_a_missing_folder_is_refused_in_one_line(store: str, tmp_path: Path) -> None:
    (tmp_path / "file.html").write_text("mine")
    said = ragw(store, "publish", "--out", str(tmp_path / "file.html"), code=1)
    assert "is not a folder" in said and said.count("\n") == 1
    assert (tmp_path / "file.html").read_text() == "mine"
    said = ragw(store, "publish", "--out", str(tmp_path / "no" / "register"), code=1)
    assert "does not exist" in said and said.count("\n") == 1
    said = ragw(store, "publish", "--out", str(tmp_path / "r"), "--as-at", "2019-13-01", code=1)
    assert said.startswith("Error: ") and not (tmp_path / "r").exists()


def test_the_register_is_every_organisations_so_org_is_refused(store: str, tmp_path: Path) -> None:
    said = ragw(store, "--org", "WMP", "publish", "--out", str(tmp_path / "r"), code=1)
    assert said.startswith("Error: --org WMP: publish writes the register of every")
    assert not (tmp_path / "r").exists()


def test_a_register_that_cannot_be_written_whole_leaves_the_old_one_as_it_was(
    tmp_path: Path,
) -> None:
    out = tmp_path / "register"
    write_site({"index.html": b"old"}, out)
    with pytest.raises(OSError):  # a file where the next needs a folder: fails midway
        write_site({"index.html": b"new", "a": b"", "a/b.html": b""}, out)
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.html", MARK])
    assert [p.name for p in tmp_path.iterdir()] == ["register"]


def test_a_symbolic_link_is_never_taken_for_a_register(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_site({"index.html": b"old"}, real)
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(RegisterRefused):
        write_site({"index.html": b"new"}, tmp_path / "link")
    assert (real / "index.html").read_bytes() == b"old"


def test_file_names_are_safe_and_distinct_whatever_the_codes() -> None:
    names = Names()
    assert names("reports", "WMP", "PEEL.19") == "reports/wmp-peel_19.html"
    assert names("reports", "wmp", "peel.19") == "reports/wmp-peel_19-2.html"
    assert names("reports", "WMP", "PEEL.19") == "reports/wmp-peel_19.html"
    assert names("organisations", "..") == "organisations/page.html"
