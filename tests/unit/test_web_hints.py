"""The web words every refusal its own way: each field the ledger names is a form's
label, each next step something to do on the pages or someone to ask, never a command
line's option or command."""

from __future__ import annotations

import re

import pytest

from ledger.errors import Field, Fix, Hint, InvalidInputError, LedgerError, RuleBrokenError
from web.hints import LABELS, STEPS, web_text

#: What only a command line says: its commands, its options, its environment.
COMMAND_LINE = re.compile(r"`|ragw [a-z]|--[a-z]|RAGW_")


def test_every_field_the_ledger_names_has_a_web_wording() -> None:
    assert set(LABELS) == set(Field)


def test_every_next_step_the_ledger_suggests_has_a_web_wording() -> None:
    assert set(STEPS) == set(Fix)


@pytest.mark.parametrize("words", [*LABELS.values(), *STEPS.values()])
def test_no_web_wording_speaks_of_the_command_line(words: str) -> None:
    assert not COMMAND_LINE.search(words), words


@pytest.mark.parametrize("fix", list(Fix))
def test_every_next_step_fills_in_with_its_values(fix: Fix) -> None:
    shown = Hint.to(fix, key="R/1", code="R", day="2021-03-01", name="alice", why="late").words(
        STEPS[fix]
    )
    assert "{" not in shown


def test_a_refusal_names_the_forms_label_and_the_web_step() -> None:
    error = RuleBrokenError(
        "{reason} is needed for {what}; {hint}",
        reason=Field.REASON,
        what="an extension",
        hint=Hint.to(Fix.SIGN_OFF, key="R/1"),
    )
    assert web_text(error) == (
        "Reason (or Justification) is needed for an extension; a sign-off of R/1 "
        "(Sign off, on the item's page)"
    )


def test_a_refusal_is_one_line_whatever_its_text() -> None:
    error: LedgerError = InvalidInputError("a\nb\n\tc")
    assert web_text(error) == "a b c"
