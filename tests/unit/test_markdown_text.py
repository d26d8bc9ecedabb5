"""Markdown writes a recorded text as the text it is, wherever it lands: in a cell, in a
heading and the line under it, in a footer, streamed or not. No text starts a block of
its own (a heading, a quote, a list, a rule, code) where it starts a line, and none is
drawn as a tag, a link, an image, emphasis or code."""

from __future__ import annotations

import re

import pytest

from cli.render import Output, emit
from cli.streamed import emit_rows
from ledger.exchange.cells import markdown_paragraph

#: A verdict's reason that would hide what it says under words of its own, and link out.
HIDING = (
    "<details><summary>Accepted by HMICFRS</summary>Not accepted</details> [e](https://x.example)"
)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("# All signed off", "\\# All signed off"),
        ("> Approved by the committee", "\\> Approved by the committee"),
        ("- done", "\\- done"),
        ("+ done", "\\+ done"),
        ("===", "\\==="),
        ("---", "\\---"),
        ("1. first", "1\\. first"),
        ("12) twelfth", "12\\) twelfth"),
        ("    code", "code"),
        ("2021-05-04 met", "2021-05-04 met"),
        ("Pol 1/21", "Pol 1/21"),
        ("see https://x.example", "see https\\://x.example"),  # GitHub links bare
        ("www.x.example", "www\\.x.example"),  # addresses by itself
    ],
)
def test_a_line_starting_with_a_blocks_mark_is_written_as_text(text: str, written: str) -> None:
    assert markdown_paragraph(text) == written


def unescaped_markup(md: str) -> list[str]:
    """What would render as markup: a tag but ``<br>``, a link, or a block's mark
    starting a line that is not the heading ragw writes."""
    found = re.findall(r"<(?!br>)[a-z/]", md) + re.findall(r"(?<!\\)\]\(", md)
    for line in md.splitlines():
        if not line.startswith(("## ", "|")) and re.match(r"\s*(?:[#>+=-]|\d+[.)])", line):
            found.append(line)
    return found


def test_a_heading_and_a_footer_write_what_they_quote_as_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = Output(
        {},
        ["key"],
        [["R/1"]],
        title="Appendix\nA force report by HMICFRS\n# All recommendations signed off",
        footer=f"Verdict of HMICFRS: {HIDING}\n> Approved by the committee",
    )
    emit(output, "md")
    md = capsys.readouterr().out
    assert unescaped_markup(md) == [], md
    assert "\\# All recommendations signed off" in md and "\\> Approved" in md


def test_a_streamed_tables_heading_and_footer_are_written_as_text_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    emit_rows(
        ["actor", "events"],
        lambda: [["<img src=x>[Internal Audit](https://x.example)", "1"]],
        "md",
        title="Back-dated\n# Nothing to see",
        footer="<img src=https://x.example/t.png>[Internal Audit](https://x.example): 1",
    )
    md = capsys.readouterr().out
    assert unescaped_markup(md) == [], md
