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


class ConflictError(LedgerError):
    """Another writer changed the same thing at the same moment."""


class LedgerMissingError(LedgerError):
    """A read of a ledger that does not exist."""
