"""A name cannot be made to show as another's: characters that reorder the text shown
around them (bidirectional embeddings, overrides, isolates) are refused wherever a
person or an owner is named, so a paper, a board or a history never shows "Alice Smith"
for a name that is not hers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import main

REVERSED = "\u202ehtimS ecilA"  # shows as "Alice Smith"


def run(target: str, *args: str, actor: str = "Strategic Development") -> tuple[int, str]:
    result = CliRunner(env={"RAGW_NEW_PASSWORD": "a long enough password"}).invoke(
        main, ["--db", target, "--actor", actor, *args]
    )
    return result.exit_code, result.stderr


def events(target: str) -> int:
    result = CliRunner().invoke(main, ["--db", target, "log", "--format", "json"])
    return len(json.loads(result.stdout)["events"])


@pytest.fixture
def ledger(tmp_path) -> str:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "ragw.db")
    for args in (
        ("report", "add", "R", "--title", "Roads", "--scope", "force", "--published", "2021-01-04"),
        ("rec", "add", "R", "1", "--kind", "afi", "--text", "One"),
        ("role", "grant", "Strategic Development", "governance"),
    ):
        assert run(target, *args)[0] == 0
    return target


@pytest.mark.parametrize(
    "mark",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
@pytest.mark.parametrize(
    "args",
    [
        ("role", "grant", "{name}", "auditor"),
        ("role", "grant", "Alice Smith", "owner", "--acts-for", "{name}"),
        ("user", "add", "{name}"),
        ("assign", "R/1", "{name}"),
        ("rec", "add", "R", "2", "--kind", "afi", "--text", "Two", "--owner", "{name}"),
        ("rec", "add", "R", "3", "--kind", "afi", "--text", "Two", "--lead", "{name}"),
    ],
)
def test_a_name_that_reorders_its_text_is_refused(
    ledger: str, mark: str, args: tuple[str, ...]
) -> None:
    before = events(ledger)
    name = f"{mark}htimS ecilA"
    code, error = run(ledger, *(a.format(name=name) for a in args))
    assert code == 1 and "reorders the text" in error, error
    assert events(ledger) == before


def test_an_actor_that_reorders_its_text_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "open.db")
    code, error = run(
        target,
        "report",
        "add",
        "R",
        "--title",
        "Roads",
        "--scope",
        "force",
        "--published",
        "2021-01-04",
        actor=REVERSED,
    )
    assert code == 1 and "reorders the text" in error, error


def test_right_to_left_letters_themselves_are_names_like_any_other(ledger: str) -> None:
    assert run(ledger, "assign", "R/1", "\u05d3\u05e0\u05d4 \u05db\u05d4\u05df")[0] == 0


@pytest.mark.parametrize(
    ("mark", "said"),
    [("\r", "a carriage return"), ("\n", "a line break"), ("\t", "a tab"), ("=?", '"=?"')],
)
@pytest.mark.parametrize(
    "args",
    [
        ("role", "grant", "{name}", "auditor"),
        ("user", "add", "{name}"),
        ("assign", "R/1", "{name}"),
        ("rec", "add", "R", "2", "--kind", "afi", "--text", "Two", "--owner", "{name}"),
        ("owner", "contact", "{name}", "--email", "ops@example.org"),
    ],
)
def test_a_name_is_one_line_without_an_encoded_word(
    ledger: str, mark: str, said: str, args: tuple[str, ...]
) -> None:
    """A reminder's Subject is built from its owner's name: a line break would end the
    header, and "=?" opens an encoded word a mail reader decodes into headers."""
    before = events(ledger)
    name = f"Ops{mark}Reply-To: boss@evil.org"
    code, error = run(ledger, *(a.format(name=name) for a in args))
    assert code == 1 and said in error and "one line" in error, error
    assert events(ledger) == before


def test_a_calendar_for_an_owner_named_over_two_lines_is_refused_in_one_line(
    ledger: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        main,
        ["--db", ledger, "calendar", "--owner", "a\nb", "--out", str(tmp_path / "z.ics")],
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "a line break" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "z.ics").exists()
