"""Issuing a paper is governance's: anyone else's `pack --issue` is refused with
nothing written, neither the issue nor the paper's file (a file left behind would pass
for the paper issued)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_sign_off import GOV, OWNER, as_, controlled, refused  # noqa: F401

MEETING = "2021-05-01"


def test_a_refused_issue_leaves_no_paper_file(controlled: str, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "papers"
    folder.mkdir()
    out = folder / "paper.html"
    said = refused(controlled, OWNER, "pack", "PRMSC", MEETING, "--out", str(out), "--issue")
    assert "needs governance" in said
    assert list(folder.iterdir()) == []  # not the paper, nor a part-written file beside it
    said = as_(controlled, GOV, "pack", "PRMSC", MEETING, "--out", str(out), "--issue")
    assert "recorded PRMSC@" in said and out.read_text().startswith("<!")
