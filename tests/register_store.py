"""A store holding a national register for the public register's tests: an
inspectorate and two forces; a national report issued to both (and one of its
recommendations addressed to the Home Office alone); each force's own statuses; the
inspectorate's verdict on one force's item; and, to be left out of everything public,
a restricted national report, a restricted force report and an inspection with no
report, each worded with words found nowhere else."""

from __future__ import annotations

from datetime import date
from functools import partial

from click.testing import CliRunner

from cli.main import main
from ledger import open_ledger
from ledger.storage.settings import is_postgres, login_of
from tests.national_store import add_national_store

#: Words of the titles and texts that must never reach the public register.
SECRET_WORDS = (
    "Blorvex",
    "Quandrix",
    "Zelphor",
    "Mivrak",
    "Thrumble",
    "Plonquist",
    "Vexmarch",
    "Gastroid",
    "Wibblecourt",
    "Snorkhaven",
    "Drizzleton",
    "Yarnfeld",
)
#: An item's text hostile to a page or a spreadsheet that does not escape it.
HOSTILE = '=HYPERLINK("x") <script>alert(1)</script> & "quoted"'
#: The restricted reports' and the unreported inspection's codes.
SECRET_CODES = ("BLORVEX20", "QUANDRIX21", "ZELPHOR19")


def actor(target: str) -> str:
    return login_of(target) if is_postgres(target) else "Strategic Development"


def ragw(target: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", actor(target), *args])
    assert result.exit_code == code, (args, result.output)
    return result.output


def national_store(target: str) -> None:
    """The register as the module's docstring says, on ``target``."""
    add_national_store(
        partial(ragw, target),
        ("WMP", "COLP"),
        inspectorate="HM Inspectorate of Constabulary",
        text="By 30 September 2019, chief constables should publish their force's policy for "
        "responding to and investigating allegations of fraud.",
        due="2019-09-30",
        on=None,
    )
    hmi, wmp, colp = ("--org", "HMICFRS"), ("--org", "WMP"), ("--org", "COLP")
    ragw(
        target,
        *hmi,
        "rec",
        "add",
        "FRAUD19",
        "4",
        "--kind",
        "recommendation",
        "--text",
        "By 30 September 2019, the Home Office should publish its agreement with City of "
        "London Police.",
        "--to",
        "Home Office",
        "--due",
        "2019-09-30",
    )
    ragw(
        target,
        *hmi,
        "report",
        "add",
        "BLORVEX20",
        "--title",
        "Blorvex Quandrix",
        "--scope",
        "national",
        "--published",
        "2019-05-01",
        "--restricted",
    )
    ragw(
        target,
        *hmi,
        "rec",
        "add",
        "BLORVEX20",
        "1",
        "--kind",
        "recommendation",
        "--text",
        "Zelphor mivrak thrumble.",
        "--to",
        "all forces",
    )
    inspectorate = open_ledger(target, create=False, org="HMICFRS")
    try:
        for org in ("WMP", "COLP"):
            force = open_ledger(target, create=False, org=org)
            try:
                force.receive_national(inspectorate, actor=actor(target), on=date(2019, 4, 10))
                if org == "COLP":
                    inspectorate.give_verdict(
                        force,
                        "FRAUD19/9",
                        "accepted",
                        reason="The policy is published.",
                        actor=actor(target),
                        on=date(2019, 11, 1),
                    )
            finally:
                force.close()
    finally:
        inspectorate.close()
    ragw(
        target,
        *wmp,
        "status",
        "FRAUD19/9",
        "RED",
        "--on",
        "2019-10-15",
        "--reason",
        "No policy yet.",
    )
    ragw(
        target, *colp, "status", "FRAUD19/9", "AMBER", "--on", "2019-06-01", "--reason", "Drafting."
    )
    ragw(
        target,
        *colp,
        "status",
        "FRAUD19/9",
        "GREEN",
        "--on",
        "2019-10-15",
        "--reason",
        "Published.",
    )
    ragw(
        target,
        *wmp,
        "report",
        "add",
        "PEEL19",
        "--title",
        "PEEL: West Midlands 2019",
        "--scope",
        "force",
        "--published",
        "2019-03-01",
    )
    ragw(
        target,
        *wmp,
        "rec",
        "add",
        "PEEL19",
        "1",
        "--kind",
        "afi",
        "--text",
        "The force should improve how it records crime.",
        "--on",
        "2019-03-05",
        "--due",
        "2019-12-31",
    )
    ragw(
        target,
        *wmp,
        "report",
        "add",
        "QUANDRIX21",
        "--title",
        "Plonquist Vexmarch",
        "--scope",
        "force",
        "--published",
        "2019-06-01",
        "--restricted",
    )
    ragw(
        target,
        *wmp,
        "rec",
        "add",
        "QUANDRIX21",
        "1",
        "--kind",
        "afi",
        "--text",
        "Gastroid wibblecourt snorkhaven.",
        "--on",
        "2019-06-02",
    )
    ragw(
        target,
        *wmp,
        "inspection",
        "add",
        "ZELPHOR19",
        "--title",
        "Drizzleton Yarnfeld",
        "--inspectorate",
        "HMICFRS",
        "--fieldwork",
        "2019-02-01..2019-02-10",
        "--no-report",
        "--reason",
        "Drizzleton yarnfeld.",
    )
    ragw(
        target,
        *wmp,
        "rec",
        "add",
        "PEEL19",
        "2",
        "--kind",
        "afi",
        "--text",
        HOSTILE,
        "--on",
        "2019-03-05",
    )
