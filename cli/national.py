"""The national register's commands, under ``ragw national``: each imported on first
use, as the top-level commands are (:data:`NATIONAL` names where each lives)."""

from __future__ import annotations

from typing import Any

import click

from cli.common import LedgerGroup
from cli.main import LazyCommands

#: Each ``ragw national`` command and where it lives.
NATIONAL: dict[str, str] = {
    "issue": "cli.national_issue:issue",
    "receive": "cli.national_issue:receive",
}


class NationalGroup(LedgerGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(NATIONAL)


@click.group(cls=NationalGroup)
def national() -> None:
    """The national register: national reports issued once by the inspectorate to
    every force, and every organisation's items side by side with the inspectorate's
    verdicts.
    """
