"""Domain errors: what went wrong, and how to put it right, in the ledger's words.

An error is a template and its values. A value may be a :class:`Field` (something the
user gave: a date of effect, a reason...) or a :class:`Hint` (the next step: give a
reason, sign the request off, see the roles...), which each front end words its own
way: the command line names its options and commands, a web page its forms and links.
``str(error)`` is the ledger's own wording; :meth:`LedgerError.render` takes a front
end's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum, unique
from typing import Any


class Field(StrEnum):
    """Something a user gives a command, by the ledger's name for it."""

    ON = "on"  # the day a change took effect
    PUBLISHED = "published"
    MAKES = "makes"
    TITLE = "title"
    NAME = "name"  # a committee's name
    HOLDER = "holder"  # who a role is granted to
    PAPER = "paper"
    ACTS_FOR = "acts for"
    EVIDENCE = "evidence"
    NOTE = "note"
    TEXT = "text"
    OWNER = "owner"
    LEAD = "lead"
    REASON = "reason"
    TO = "to"  # the due date an extension moves to
    LINK = "link"
    STORE = "store"  # where the ledger is kept
    ENCRYPTION_KEY = "encryption key"
    ACTOR = "actor"  # who says they record a change
    FIELDWORK = "fieldwork"  # an inspection's days in force
    DEBRIEF = "debrief"
    EXPECTED = "expected"  # when an inspection's report is expected


@unique
class Fix(Enum):
    """A next step the ledger can suggest; the value is its wording in the ledger's words
    (``{key}`` and the like are the hint's values)."""

    GIVE_REASON = 'say why ("{why}")'
    GIVE_EVIDENCE = "say what was done"
    CLAIM_COMPLETION = "claim completion of {key} with its evidence"
    CLOSE = "a closure of {key} with its reason"
    EXTEND = "an extension of {key} with its new date and reason"
    SET_DUE = "a due date for {key}"
    SIGN_OFF = "a sign-off of {key}"
    DECIDE_REQUEST = "signed off or rejected (with a reason)"
    CORRECT = "a correction of the closure, with a reason (event ids in the history of {key})"
    CORRECT_ANY = "a correction"
    SEE_PENDING = "the board of items pending sign-off"
    SEE_HISTORY = "see the history of {key}"
    SEE_EVENT_IDS = "see an item's history, or the log"
    SEE_REPORT = "see the board of report {code}"
    REGISTER_REPORT = "register it first (see the board)"
    SEE_COMMITTEES = "see the committees"
    ADD_COMMITTEE = "add the committee {code} first (see the committees)"
    ADD_MEETING = "add the meeting of {code} on {day} first"
    SEE_MEETINGS = "see the meetings of {code}"
    SEE_ROLES = "see the roles granted"
    SEE_USERS = "see the users"
    GRANT_GOVERNANCE = "governance granted to {name}"
    ASK_FOR_A_ROLE = "an owner's role for {name}, acting for an owner"
    GIVE_ACTS_FOR = "an owner's role for {name} acting for an owner such as Head of Roads"
    VERIFY = "verify the chain"
    VERIFY_ORG = "verify {code}'s ledger, its rules replayed"
    NEW_KEY = "a new key from the ledger"
    RECORD_FIRST = "record something first, or open an existing ledger"
    NEW_SHEET = "the requests of an owner, as an update sheet"
    NEW_SHEET_FOR_OWNER = "a new update sheet for the owner"
    CREATE_COMMITTEE = "add the committee {code} with its name"
    ISSUE_PAPER = "issue the paper for {code}'s meeting on {day}"
    REBUILD = "derive the read model again from the events"
    EXPORT_BACKUP = "an export of a ledger's events"
    FOLLOW_AS_FOLLOWER = "the follower, run as a follower's login"
    INIT_ROLES = "the database's owner sets up its roles (again)"
    EXPORT_IN_CLEAR = "ask for plain text"
    ADD_INSPECTION = "add the inspection {code} first (see the inspections)"
    SEE_INSPECTIONS = "see the inspections"
    MAP_COLUMNS = 'map each as "Column in file=field"'


@dataclass(frozen=True)
class Hint:
    """A next step, and the values it names (a key, a code, a day...)."""

    fix: Fix
    named: tuple[tuple[str, str], ...] = ()

    @classmethod
    def to(cls, fix: Fix, **values: str) -> Hint:
        return cls(fix, tuple(sorted(values.items())))

    @property
    def values(self) -> dict[str, str]:
        return dict(self.named)

    def words(self, template: str) -> str:
        """``template`` filled in with this hint's values; a value not given reads as
        its name in capitals (``{key}`` -> ``KEY``), a placeholder to fill in."""
        return template.format_map(_Placeholders(self.values))


class _Placeholders(dict[str, str]):
    def __missing__(self, name: str) -> str:
        return name.upper()


#: How the ledger names each field in its own messages.
FIELD_WORDS: dict[Field, str] = {
    Field.ON: "the date of effect",
    Field.PUBLISHED: "the publication date",
    Field.MAKES: "the number of recommendations",
    Field.TITLE: "the title",
    Field.NAME: "the name",
    Field.HOLDER: "the name of who holds the role",
    Field.PAPER: "the paper's reference",
    Field.ACTS_FOR: "who the owner acts for",
    Field.EVIDENCE: "the evidence",
    Field.NOTE: "the note",
    Field.TEXT: "the text",
    Field.OWNER: "the owner",
    Field.LEAD: "the lead",
    Field.REASON: "the reason",
    Field.TO: "the new due date",
    Field.LINK: "link to evidence",
    Field.STORE: "the ledger's location",
    Field.ENCRYPTION_KEY: "the encryption key",
    Field.ACTOR: "the name of who acts",
    Field.FIELDWORK: "the fieldwork's days",
    Field.DEBRIEF: "the debrief's date",
    Field.EXPECTED: "when the report is expected",
}


def ledger_words(hint: Hint) -> str:
    return hint.words(hint.fix.value)


class LedgerError(Exception):
    """A command was refused; nothing was written.

    ``message`` is the template; ``values`` fill it in. Without values the message is
    taken as it stands (so a message may hold any text, braces too)."""

    def __init__(self, message: str, /, **values: Any) -> None:
        self.template = message
        self.values = values
        super().__init__(self.render())

    @property
    def hint(self) -> Hint | None:
        """The next step this error suggests, if any."""
        return next((v for v in self.values.values() if isinstance(v, Hint)), None)

    @property
    def fields(self) -> list[Field]:
        """The fields this error names."""
        return [v for v in self.values.values() if isinstance(v, Field)]

    def render(
        self,
        fields: Mapping[Field, str] = FIELD_WORDS,
        hints: Callable[[Hint], str] = ledger_words,
    ) -> str:
        """The message in a front end's words: its names of ``fields``, its wording of
        ``hints``."""
        if not self.values:
            return self.template
        shown = {name: _shown(value, fields, hints) for name, value in self.values.items()}
        return self.template.format(**shown)


def _shown(value: Any, fields: Mapping[Field, str], hints: Callable[[Hint], str]) -> Any:
    if isinstance(value, Field):
        return fields[value]
    if isinstance(value, Hint):
        return hints(value)
    if isinstance(value, LedgerError):
        return " ".join(value.render(fields, hints).split())
    return value


class InvalidInputError(LedgerError):
    """A value could not be read (a date, a status, a key...)."""


class NotFoundError(LedgerError):
    """The key names nothing in the ledger."""


class AlreadyExistsError(LedgerError):
    """A report code or a recommendation ref is taken."""


class RuleBrokenError(LedgerError):
    """The command breaks one of the ledger's rules."""


class ForbiddenError(LedgerError):
    """The actor's roles do not allow the command."""


class ConflictError(LedgerError):
    """Another writer changed the same thing at the same moment."""


class LedgerMissingError(LedgerError):
    """A read of a ledger that does not exist."""


class LedgerUnreadableError(LedgerError):
    """A ledger holds events its rules cannot replay (an organisation added twice, an
    event out of turn: written around the rules), so nothing is recorded in it until
    it is put right. ``org``: whose ledger it is; None for the single ledger."""

    def __init__(self, org: str | None, what: str, why: str) -> None:
        self.org = org
        super().__init__(
            "{ledger} cannot be read: {what} does not replay from its events ({why}), so "
            "nothing was recorded in it; {hint}",
            ledger=f"{org}'s ledger" if org else "the single ledger",
            what=what,
            why=why,
            hint=Hint.to(Fix.VERIFY_ORG, code=org) if org else Hint.to(Fix.VERIFY),
        )


class KeyRefusedError(LedgerError):
    """A write that comes without the ledger's encryption key, with another key, or
    with a key to a ledger that is not encrypted: nothing was written."""


class BatchRefusedError(InvalidInputError):
    """A batch (an import, an update sheet) with bad rows: none of it is recorded. Each
    problem is a line number and what is wrong with it (an error, or text)."""

    def __init__(self, source: str, problems: list[tuple[int, LedgerError | str]]) -> None:
        self.source = source
        self.problems = problems
        count = len(self.problems)
        super().__init__(
            "{source} has {count} bad row{s} and nothing was recorded; fix {them} and run "
            "it again. {listed}",
            source=source,
            count=count,
            s="s" if count != 1 else "",
            them="them" if count != 1 else "it",
            listed="",
        )

    def render(
        self,
        fields: Mapping[Field, str] = FIELD_WORDS,
        hints: Callable[[Hint], str] = ledger_words,
    ) -> str:
        said = sorted(
            (line, _shown(why, fields, hints) if isinstance(why, LedgerError) else why)
            for line, why in self.problems
        )
        listed = "; ".join(f"line {line}: {why}" for line, why in said)
        shown = {name: _shown(value, fields, hints) for name, value in self.values.items()}
        return self.template.format(**(shown | {"listed": listed}))
