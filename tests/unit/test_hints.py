"""Refusals carry their next step as data: the ledger never writes command-line syntax,
and the command line has a wording for every field and every next step."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from cli.hints import COMMANDS, OPTIONS, cli_text
from ledger import Ledger, open_ledger
from ledger.chain import Digest
from ledger.errors import (
    FIELD_WORDS,
    BatchRefusedError,
    Field,
    Fix,
    Hint,
    InvalidInputError,
    LedgerError,
    RuleBrokenError,
)
from ledger.exchange.tracker import read_update_sheet
from ledger.storage.settings import encryption_env
from tests.conftest import memory_ledger

ROOT = Path(__file__).resolve().parents[2]
#: What only a command line says: its commands, its options, its environment.
COMMAND_LINE = re.compile(r"`ragw|ragw [a-z-]+ [A-Z]|--[a-z]|RAGW_")


def messages(package: str) -> list[tuple[str, int, str]]:
    """Every string written in ``package`` but its docstrings: (file, line, text)."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                found.append((str(path.relative_to(ROOT)), node.lineno, node.value))
    return found


@pytest.mark.parametrize("package", ["ledger", "events", "projections"])
def test_the_ledger_writes_no_command_line_syntax(package: str) -> None:
    written = [m for m in messages(package) if COMMAND_LINE.search(m[2])]
    assert written == []


def test_the_scan_finds_command_line_syntax_where_it_is() -> None:
    assert any(COMMAND_LINE.search(text) for _, _, text in messages("cli"))


def test_every_next_step_has_a_command() -> None:
    assert set(COMMANDS) == set(Fix)
    for fix, wording in COMMANDS.items():
        assert wording.strip(), fix


def test_every_field_has_an_option_and_words_of_the_ledger() -> None:
    assert set(OPTIONS) == set(Field)
    assert set(FIELD_WORDS) == set(Field)


def test_the_ledger_words_its_next_steps_without_the_command_line() -> None:
    for fix in Fix:
        assert not COMMAND_LINE.search(fix.value), fix
    for field in Field:
        assert not COMMAND_LINE.search(FIELD_WORDS[field]), field


def test_the_command_line_names_the_option_and_the_command() -> None:
    error = RuleBrokenError(
        "{status} needs a reason: {hint} (RAGW definitions require a rationale)",
        status="RED",
        hint=Hint.to(Fix.GIVE_REASON, why="why P1/1 is RED"),
    )
    assert cli_text(error) == (
        'RED needs a reason: add --reason "why P1/1 is RED" (RAGW definitions require a rationale)'
    )
    assert str(error) == (
        'RED needs a reason: say why ("why P1/1 is RED") (RAGW definitions require a rationale)'
    )
    assert error.hint == Hint.to(Fix.GIVE_REASON, why="why P1/1 is RED")


def test_another_front_end_words_the_same_error_its_own_way() -> None:
    error = RuleBrokenError("{field} {day} is in the future", field=Field.ON, day="2099-01-01")
    labels = {field: f"[{field.value}]" for field in Field}
    assert error.render(labels, lambda hint: hint.fix.name) == "[on] 2099-01-01 is in the future"
    assert error.fields == [Field.ON]
    assert cli_text(error) == "--on 2099-01-01 is in the future"


def test_a_value_a_hint_does_not_give_reads_as_a_placeholder() -> None:
    assert Hint.to(Fix.CLOSE).words(COMMANDS[Fix.CLOSE]) == "`ragw close KEY --reason ...`"


def test_text_a_user_typed_is_never_read_as_a_template() -> None:
    typed = "{hint} {0} {"
    error = InvalidInputError("{what} is empty; {text!r}", what=Field.TEXT, text=typed)
    assert cli_text(error) == "--text is empty; '{hint} {0} {'"
    assert (
        str(InvalidInputError(f"kind {typed!r} is not known")) == "kind '{hint} {0} {' is not known"
    )


def test_a_batch_words_each_bad_row_as_the_front_end_does() -> None:
    error = BatchRefusedError(
        "t.csv",
        [
            (3, RuleBrokenError("{field} 2099-01-01 is in the future", field=Field.ON)),
            (2, "a line that is not JSON"),
        ],
    )
    assert cli_text(error) == (
        "t.csv has 2 bad rows and nothing was recorded; fix them and run it again. "
        "line 2: a line that is not JSON; line 3: --on 2099-01-01 is in the future"
    )
    assert "line 3: the date of effect 2099-01-01 is in the future" in str(error)


# Every next step, as the command line printed it before hints were data: real
# refusals of a ledger, worded by the command line.

ME = "Gov One"


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    ledger = memory_ledger(today=date(2020, 6, 1))
    ledger.register_report(
        "P1", title="T", scope="force", published=date(2019, 1, 1), actor=ME, on=date(2019, 1, 1)
    )
    ledger.register_committee("C1", name="X", actor=ME, on=date(2019, 1, 1))
    ledger.schedule_meeting("C1", date(2019, 5, 1), actor=ME, on=date(2019, 1, 1))
    for ref, due, owner in (
        ("1", "2019-12-31", None),
        ("2", "To be set", None),
        ("3", "2019-12-31", "Head of Roads"),
        ("4", None, None),
    ):
        ledger.issue_recommendation(
            "P1", ref, kind="rec", text="t", due=due, owner=owner, actor=ME, on=date(2019, 2, 1)
        )
    ledger.claim_completion("P1/1", evidence="e", actor=ME, on=date(2019, 3, 1))
    ledger.close_recommendation("P1/4", reason="r", actor=ME, on=date(2019, 4, 1))
    return ledger


def roles(ledger: Ledger) -> Ledger:
    """``ledger``'s twin under access control: Gov One governs, Bob acts for Head of Roads."""
    twin = memory_ledger(today=date(2020, 6, 1))
    for _, event in ledger.read_log():
        twin.recorder.insert_events([twin.mapper.to_stored_event(event)])
    twin.grant_role(ME, "governance", actor=ME)
    twin.grant_role("Bob", "owner", acts_for="Head of Roads", actor=ME)
    return twin


WORDED: list[tuple[Fix, Callable[[Ledger], object], str]] = [
    (
        Fix.SEE_REPORT,
        lambda it: it.register_report(
            "P1", title="T", scope="force", published=date(2019, 1, 1), actor=ME
        ),
        "report P1 already exists; choose another code (see `ragw board --report P1`)",
    ),
    (
        Fix.REGISTER_REPORT,
        lambda it: it.get_report("NOPE"),
        "no report NOPE; register it with `ragw report add` (see `ragw board`)",
    ),
    (
        Fix.SEE_COMMITTEES,
        lambda it: it.register_committee("C1", name="X", actor=ME),
        "committee C1 already exists; see `ragw committee list`",
    ),
    (
        Fix.ADD_COMMITTEE,
        lambda it: it.schedule_meeting("NOPE", date(2019, 5, 1), actor=ME),
        "no committee NOPE; add it with `ragw committee add NOPE --name ...` "
        "(see `ragw committee list`)",
    ),
    (
        Fix.SEE_MEETINGS,
        lambda it: it.schedule_meeting("C1", date(2019, 5, 1), actor=ME),
        "C1 already has a meeting on 2019-05-01; see `ragw meeting list C1`",
    ),
    (
        Fix.ADD_MEETING,
        lambda it: it.issue_paper(
            "C1",
            date(2019, 6, 1),
            digest=Digest(1, "0" * 64),
            read_at=datetime(2019, 6, 1),
            as_known_at=None,
            actor=ME,
        ),
        "C1 has no meeting on 2019-06-01; add it with `ragw meeting add C1 2019-06-01`",
    ),
    (
        Fix.CLOSE,
        lambda it: it.issue_recommendation(
            "P1", "9", kind="rec", text="t", status="CLOSED", actor=ME, on=date(2019, 2, 1)
        ),
        "an item cannot be added as CLOSED; add it with its last status, then record "
        "`ragw close KEY --reason ...`",
    ),
    (
        Fix.CLOSE,
        lambda it: it.change_status("P1/2", "CLOSED", actor=ME),
        "CLOSED is not a colour; use `ragw close P1/2 --reason ...`",
    ),
    (
        Fix.GIVE_REASON,
        lambda it: it.change_status("P1/2", "RED", actor=ME),
        'RED needs a reason: add --reason "why P1/2 is RED" (RAGW definitions require a rationale)',
    ),
    (
        Fix.GIVE_REASON,
        lambda it: it.close_recommendation("P1/2", reason=" ", actor=ME),
        'closing needs a reason: add --reason "why" for P1/2',
    ),
    (
        Fix.EXTEND,
        lambda it: it.set_deadline("P1/3", "2020-01-01", actor=ME),
        "P1/3 is already due 2019-12-31; to move it later use "
        "`ragw extend P1/3 --to DATE --reason ...`",
    ),
    (
        Fix.SET_DUE,
        lambda it: it.extend_deadline("P1/2", to=date(2020, 1, 1), reason="r", actor=ME),
        "P1/2 has no due date to extend; set one with `ragw due P1/2 DATE`",
    ),
    (
        Fix.GIVE_EVIDENCE,
        lambda it: it.claim_completion("P1/2", evidence=" ", actor=ME),
        'completion needs its evidence: add --evidence "what was done" for P1/2',
    ),
    (
        Fix.DECIDE_REQUEST,
        lambda it: it.claim_completion("P1/1", evidence="e", actor=ME),
        "P1/1 already has GREEN pending sign-off (P1/1@2, asked by Gov One); it must be "
        "signed off (`ragw sign-off P1/1`) or rejected (`ragw reject P1/1 --reason ...`) first",
    ),
    (
        Fix.SIGN_OFF,
        lambda it: it.change_status("P1/1", "GREEN", actor=ME),
        "P1/1 has GREEN pending sign-off (P1/1@2); sign it off with `ragw sign-off P1/1` "
        "rather than setting GREEN over it",
    ),
    (
        Fix.SEE_PENDING,
        lambda it: it.sign_off("P1/2", actor="Someone Else"),
        "nothing of P1/2 awaits sign-off; `ragw board --pending` lists what does",
    ),
    (
        Fix.SEE_HISTORY,
        lambda it: it.correct_event("P1/2@9", reason="r", actor=ME),
        "there is no event P1/2@9; P1/2 has events P1/2@1 to P1/2@1 (see `ragw history P1/2`)",
    ),
    (
        Fix.SEE_HISTORY,
        lambda it: it.issue_recommendation(
            "P1", "2", kind="rec", text="t", actor=ME, on=date(2019, 2, 1)
        ),
        "P1/2 already exists; refs are unique within a report (see `ragw history P1/2`)",
    ),
    (
        Fix.SEE_REPORT,
        lambda it: it.get_recommendation("P1/99"),
        "no recommendation P1/99; see `ragw board --report P1` for its items",
    ),
    (
        Fix.SEE_EVENT_IDS,
        lambda it: it.correct_event("nonsense", reason="r", actor=ME),
        "'nonsense' is not an event id; ids look like PEEL1819/4@3 "
        "(see `ragw history KEY` or `ragw log`)",
    ),
    (
        Fix.CORRECT,
        lambda it: it.note_progress("P1/4", "n", actor=ME),
        "P1/4 was closed on 2019-04-01; a closed item cannot change. If closing it was a "
        "mistake, retract it with `ragw correct ID --reason ...` (ids in `ragw history P1/4`)",
    ),
    (
        Fix.SEE_ROLES,
        lambda it: it.revoke_role("Bob", "owner", actor=ME),
        "no role was ever granted in this ledger; see `ragw role list`",
    ),
    (
        Fix.GRANT_GOVERNANCE,
        lambda it: it.grant_role("Bob", "owner", acts_for="X", actor=ME),
        "the first role granted turns access control on and must be governance (e.g. "
        "`ragw role grant 'Gov One' governance`), or nobody could grant roles after it",
    ),
    (
        Fix.GIVE_ACTS_FOR,
        lambda it: roles(it).grant_role("Carol", "owner", actor=ME),
        "an owner acts for the items of an owner named on the board; give --acts-for, e.g. "
        "`ragw role grant Carol owner --acts-for 'Head of Roads'`",
    ),
    (
        Fix.SEE_ROLES,
        lambda it: roles(it).grant_role("Bob", "owner", acts_for="Head of Roads", actor=ME),
        "Bob already holds that role; see `ragw role list`",
    ),
    (
        Fix.ASK_FOR_A_ROLE,
        lambda it: roles(it).note_progress("P1/2", "n", actor="Nobody"),
        "Nobody holds no role in this ledger, so may not do anything but read; ask governance "
        "to grant one (`ragw role grant 'Nobody' owner --acts-for OWNER`)",
    ),
    (
        Fix.CLAIM_COMPLETION,
        lambda it: roles(it).change_status("P1/3", "GREEN", actor="Bob"),
        "Bob is not governance, so GREEN needs sign-off: record `ragw complete P1/3 "
        '--evidence "what was done"`; governance signs it off',
    ),
    (
        Fix.NEW_KEY,
        lambda it: encryption_env("not a key"),
        "RAGW_ENCRYPTION_KEY is not an encryption key (base64 of 16, 24 or 32 bytes); make one "
        "with `ragw admin new-key` and keep it safe: without it nothing can be read",
    ),
    (
        Fix.RECORD_FIRST,
        lambda it: open_ledger("/nonexistent/ragw.db", create=False),
        "no ledger at /nonexistent/ragw.db; record something first (e.g. `ragw report add`), "
        "or point --db / RAGW_DB at an existing ledger",
    ),
    (
        Fix.NEW_SHEET,
        lambda it: read_update_sheet(Path("/nonexistent/sheet.xlsx")),
        "/nonexistent/sheet.xlsx: apply reads the .xlsx update sheet written by `ragw requests`",
    ),
]


@pytest.mark.parametrize(("fix", "command", "printed"), WORDED)
def test_the_command_line_prints_each_next_step_as_it_always_has(
    ledger: Ledger, fix: Fix, command: Callable[[Ledger], object], printed: str
) -> None:
    with pytest.raises(LedgerError) as raised:
        command(ledger)
    assert raised.value.hint is not None and raised.value.hint.fix is fix
    assert cli_text(raised.value) == printed
