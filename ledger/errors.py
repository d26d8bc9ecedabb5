"""Domain errors. Each message says what is wrong and how to put it right."""

from __future__ import annotations


class LedgerError(Exception):
    """A command was refused; nothing was written."""


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


class BatchRefusedError(InvalidInputError):
    """A batch (an import, an update sheet) with bad rows: none of it is recorded."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        self.source = source
        self.problems = sorted(problems)
        count = len(self.problems)
        listed = "; ".join(f"line {line}: {why}" for line, why in self.problems)
        super().__init__(
            f"{source} has {count} bad row{'s' if count != 1 else ''} and nothing was "
            f"recorded; fix {'them' if count != 1 else 'it'} and run it again. {listed}"
        )
