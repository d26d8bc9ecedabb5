"""The ledger's refusals in the command line's words: each field it names is an option
(or the argument, or the environment variable) that gives it, and each next step it
suggests is the command to run."""

from __future__ import annotations

from ledger.errors import Field, Fix, Hint, LedgerError

#: The option (or argument, or variable) through which the command line gives a field.
OPTIONS: dict[Field, str] = {
    Field.ON: "--on",
    Field.PUBLISHED: "--published",
    Field.MAKES: "--makes",
    Field.TITLE: "--title",
    Field.NAME: "--name",
    Field.HOLDER: "NAME",
    Field.PAPER: "--paper",
    Field.ACTS_FOR: "--acts-for",
    Field.EVIDENCE: "--evidence",
    Field.NOTE: "--note",
    Field.TEXT: "--text",
    Field.OWNER: "--owner",
    Field.LEAD: "--lead",
    Field.REASON: "--reason",
    Field.TO: "--to",
    Field.LINK: "--link",
    Field.STORE: "--db",
    Field.ENCRYPTION_KEY: "RAGW_ENCRYPTION_KEY",
    Field.ACTOR: "--actor (and RAGW_ACTOR)",
    Field.FIELDWORK: "--fieldwork",
    Field.DEBRIEF: "--debrief",
    Field.EXPECTED: "--expected",
}

#: Each next step as the command that takes it (``{key}`` and the like: the hint's values).
COMMANDS: dict[Fix, str] = {
    Fix.GIVE_REASON: 'add --reason "{why}"',
    Fix.GIVE_EVIDENCE: 'add --evidence "what was done"',
    Fix.CLAIM_COMPLETION: 'record `ragw complete {key} --evidence "what was done"`',
    Fix.CLOSE: "`ragw close {key} --reason ...`",
    Fix.EXTEND: "`ragw extend {key} --to DATE --reason ...`",
    Fix.SET_DUE: "`ragw due {key} DATE`",
    Fix.SIGN_OFF: "`ragw sign-off {key}`",
    Fix.DECIDE_REQUEST: (
        "signed off (`ragw sign-off {key}`) or rejected (`ragw reject {key} --reason ...`)"
    ),
    Fix.CORRECT: "`ragw correct ID --reason ...` (ids in `ragw history {key}`)",
    Fix.CORRECT_ANY: "`ragw correct`",
    Fix.SEE_PENDING: "`ragw board --pending`",
    Fix.SEE_HISTORY: "see `ragw history {key}`",
    Fix.SEE_EVENT_IDS: "see `ragw history KEY` or `ragw log`",
    Fix.SEE_REPORT: "see `ragw board --report {code}`",
    Fix.REGISTER_REPORT: "register it with `ragw report add` (see `ragw board`)",
    Fix.SEE_COMMITTEES: "see `ragw committee list`",
    Fix.ADD_COMMITTEE: (
        "add it with `ragw committee add {code} --name ...` (see `ragw committee list`)"
    ),
    Fix.ADD_MEETING: "add it with `ragw meeting add {code} {day}`",
    Fix.SEE_MEETINGS: "see `ragw meeting list {code}`",
    Fix.SEE_ROLES: "see `ragw role list`",
    Fix.SEE_USERS: "see `ragw user list`",
    Fix.GRANT_GOVERNANCE: "`ragw role grant '{name}' governance`",
    Fix.ASK_FOR_A_ROLE: "`ragw role grant '{name}' owner --acts-for OWNER`",
    Fix.GIVE_ACTS_FOR: "`ragw role grant {name} owner --acts-for 'Head of Roads'`",
    Fix.VERIFY: "run `ragw verify`",
    Fix.VERIFY_ORG: "run `ragw --org {code} verify --rules` to see which event",
    Fix.NEW_KEY: "`ragw admin new-key`",
    Fix.RECORD_FIRST: (
        "record something first (e.g. `ragw report add`), or point --db / RAGW_DB at an "
        "existing ledger"
    ),
    Fix.NEW_SHEET: "`ragw requests`",
    Fix.NEW_SHEET_FOR_OWNER: "`ragw requests --owner ROLE --out FILE.xlsx`",
    Fix.CREATE_COMMITTEE: "add it with `ragw committee add {code} --name ...`",
    Fix.ISSUE_PAPER: "issue it with `ragw pack {code} {day} --out FILE --issue`",
    Fix.REBUILD: "run `ragw rebuild` to derive the read model again from the events",
    Fix.EXPORT_BACKUP: "`ragw export --out FILE.jsonl`",
    Fix.FOLLOW_AS_FOLLOWER: (
        "run `ragw follow` (or `ragw rebuild`) as a login made with "
        "`ragw admin add-login NAME --role follower`"
    ),
    Fix.INIT_ROLES: "the database's owner runs `ragw admin init-roles`",
    Fix.EXPORT_IN_CLEAR: "add --plaintext",
    Fix.ADD_INSPECTION: "add it with `ragw inspection add {code} ...` (see `ragw inspection list`)",
    Fix.SEE_INSPECTIONS: "see `ragw inspection list`",
    Fix.MAP_COLUMNS: 'add --map "Column in file=field" for each',
}


def command(hint: Hint) -> str:
    """The command line's wording of ``hint``."""
    return hint.words(COMMANDS[hint.fix])


def cli_text(error: LedgerError) -> str:
    """``error`` as the ``Error:`` line prints it (on one line)."""
    return " ".join(error.render(OPTIONS, command).split())
