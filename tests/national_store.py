"""The national store the national tests build on: an inspectorate, HMICFRS, and forces
in one store; its national report FRAUD19 with recommendation 9 addressed to chief
constables, registered and added as the inspectorate's users add them; and the one way
those tests run a command as a user types it."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import CliRunner

from cli.main import main

Run = Callable[..., str]


def runner_on(target: str, actor: str) -> Run:
    """``ragw --db TARGET --actor ACTOR ARGS`` as a user types it: its output, or with
    ``code=1`` its error, the exit code checked."""

    def invoke(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", target, "--actor", actor, *args])
        assert result.exit_code == code, (args, result.output, result.stderr if code == 0 else "")
        return result.stdout if code == 0 else result.stderr

    return invoke


#: The national report's title, as the inspectorate registers it (seed 003).
TITLE = "Fraud: Time to Choose"
#: Recommendation 9's text, as the inspectorate registers it.
REC_9 = "Chief constables should adopt the guidance"
#: The forces' names in the register.
FORCES = {"WMP": "West Midlands Police", "COLP": "City of London Police"}


def add_national_store(
    run: Run,
    forces: tuple[str, ...] = ("WMP",),
    *,
    inspectorate: str = "HM Inspectorate",
    title: str = TITLE,
    report_on: str | None = None,
    report_also: tuple[str, ...] = (),
    text: str = REC_9,
    to: str | None = "chief constables",
    due: str | None = "2019-10-31",
    on: str | None = "2019-04-02",
) -> None:
    """HMICFRS (named ``inspectorate``) and then ``forces`` in the register, FRAUD19/9 in
    HMICFRS's ledger, issued to nobody yet. The keywords are the report's and the
    recommendation's words and days (``add_report``, ``add_recommendation_9``)."""
    run("org", "add", "HMICFRS", "--name", inspectorate, "--kind", "inspectorate")
    for force in forces:
        run("org", "add", force, "--name", FORCES[force], "--kind", "force")
    hmi = ("--org", "HMICFRS")
    add_report(run, *hmi, title=title, on=report_on, also=report_also)
    add_recommendation_9(run, *hmi, text=text, to=to, due=due, on=on)


def add_report(
    run: Run,
    *org: str,
    code: str = "FRAUD19",
    title: str = TITLE,
    on: str | None = None,
    also: tuple[str, ...] = (),
) -> None:
    """National report ``code``, published 2019-04-02, in the ledger ``org`` names (the
    store's single ledger where it names none), with the options ``also`` gives. Where
    ``on`` is None the command records it on its own day, as a user leaving it out."""
    run(
        *org,
        "report",
        "add",
        code,
        "--title",
        title,
        "--scope",
        "national",
        "--published",
        "2019-04-02",
        *_given("--on", on),
        *also,
    )


def add_recommendation_9(
    run: Run,
    *org: str,
    text: str = REC_9,
    to: str | None = "chief constables",
    due: str | None = None,
    on: str | None = None,
) -> None:
    """FRAUD19's recommendation 9 in the ledger ``org`` names; an option whose value is
    None is left out, as a user leaves it out."""
    run(
        *org,
        "rec",
        "add",
        "FRAUD19",
        "9",
        "--kind",
        "recommendation",
        "--text",
        text,
        *_given("--to", to),
        *_given("--due", due),
        *_given("--on", on),
    )


def _given(option: str, value: str | None) -> tuple[str, ...]:
    return () if value is None else (option, value)
