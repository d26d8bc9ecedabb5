"""``ragw``: the command line over :class:`ledger.Ledger` and the use cases beside it.

Each command parses its input, calls one use case or ledger method and renders the
result. Refusals from the ledger become one ``Error:`` line and exit status 1, once,
in the group. Commands live in modules named for what they hold and are imported only
when run or listed, so ``ragw --version`` and every single command start fast.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import Any

import click

from cli.common import DEFAULT_DB, LedgerGroup, Session, refuse

#: Every command: its name, and the module and name of the click command it is.
COMMANDS = {
    "report": "cli.reports:report",
    "inspection": "cli.inspections:inspection",
    "rec": "cli.items:rec",
    "status": "cli.items:status",
    "extend": "cli.items:extend",
    "due": "cli.items:due",
    "note": "cli.items:note",
    "assign": "cli.items:assign",
    "close": "cli.items:close",
    "complete": "cli.items:complete",
    "sign-off": "cli.items:sign_off",
    "reject": "cli.items:reject",
    "correct": "cli.items:correct",
    "board": "cli.reads:board",
    "history": "cli.reads:history",
    "log": "cli.reads:log",
    "backdated": "cli.audit:backdated",
    "audit": "cli.audit:audit",
    "replay": "cli.replay:replay",
    "verify": "cli.integrity:verify",
    "rebuild": "cli.integrity:rebuild",
    "follow": "cli.follow:follow",
    "org": "cli.orgs:org",
    "national": "cli.national:national",
    "verdict": "cli.verdicts:verdict",
    "verdicts": "cli.verdicts:verdicts",
    "owner": "cli.reminders:owner",
    "remind": "cli.reminders:remind",
    "calendar": "cli.reminders:calendar",
    "role": "cli.access:role",
    "admin": "cli.access:admin",
    "user": "cli.users:user",
    "demo": "cli.demo:demo",
    "committee": "cli.committees:committee",
    "meeting": "cli.committees:meeting",
    "summary": "cli.papers:summary",
    "appendix": "cli.papers:appendix",
    "pack": "cli.pack:pack",
    "restatements": "cli.restatements:restatements",
    "import": "cli.exchange:import_tracker",
    "export": "cli.exchange:export",
    "restore": "cli.restoring:restore",
    "requests": "cli.exchange:requests",
    "apply": "cli.exchange:apply",
    "publish": "cli.publish:publish",
    "serve": "web.command:serve",
    "relevance": "cli.relevance:relevance",
    "supersede": "cli.relevance:supersede",
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each imported the first time it is looked up: every
    name is known at once, so listing them costs nothing until their help is shown."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attribute = self._where[name].split(":")  # KeyError: no such command
            command = getattr(import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._where[name]} is not a click command")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        found = self._where.pop(name, None) or self._loaded.get(name)
        self._loaded.pop(name, None)
        if found is None:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self._where or name in self._loaded

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._where, *self._loaded}))

    def __len__(self) -> int:
        return len({*self._where, *self._loaded})


class LazyGroup(LedgerGroup):
    """The ``ragw`` group, its commands imported on first use (click's "Lazily Loading
    Subcommands", the names kept in :data:`COMMANDS`): running one command imports its
    module only; ``--help`` imports them all, for their short help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(COMMANDS)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "target",
    envvar="RAGW_DB",
    default=DEFAULT_DB,
    show_default=True,
    metavar="TARGET",
    help="A SQLite file, or a postgresql://user:pass@host:port/db URL. Env: RAGW_DB.",
)
@click.option(
    "--actor",
    envvar="RAGW_ACTOR",
    default=None,
    metavar="NAME",
    help="Who records the change. Env: RAGW_ACTOR. Default: your login name.",
)
@click.option(
    "--org",
    "org",
    envvar="RAGW_ORG",
    default=None,
    metavar="CODE",
    help="The organisation whose ledger every command runs on, in a store shared by "
    "many (added with `ragw org add`). Env: RAGW_ORG. Default: the store's own ledger.",
)
@click.version_option(package_name="ragw", prog_name="ragw")
@click.pass_context
def main(ctx: click.Context, target: str, actor: str | None, org: str | None) -> None:
    """An audit ledger of inspection recommendations and their RAGW status.

    Every change is an event that is never edited; the board can be shown as it
    stood on any date, or as the ledger showed it at any moment.

    \b
    Examples:
      ragw report add PEEL1819 --title "PEEL 2018/19" --scope force --published 2019-05-02
      ragw rec add PEEL1819 4 --kind afi --text "Improve lifetime management" --due "December 2019"
      ragw status PEEL1819/4 GREEN --on 2019-11-01
      ragw board --as-at 2019-11-01
      ragw history PEEL1819/4
      ragw summary PRMSC 2019-11-15
      ragw pack PRMSC 2019-11-15 --out paper.html
      ragw --org WMP board
    """
    explicit = bool(actor)
    if not actor:
        try:
            actor = getpass.getuser()
        except Exception:  # no login name in some containers
            actor = "unknown"
    if org is not None and not org.strip():  # `--org "$ORG"` with ORG unset
        refuse(
            "--org is empty: give an organisation's code (see `ragw org list`), or leave "
            "--org out for the store's own ledger"
        )
    session = Session(target, actor, explicit=explicit, org=org or None)
    ctx.obj = session
    ctx.call_on_close(session.close)


if __name__ == "__main__":  # python -m cli.main, as the installed ragw
    main()
