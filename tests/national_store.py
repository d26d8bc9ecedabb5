"""The national store the national tests build on: an inspectorate, HMICFRS, and forces
in one store; its national report FRAUD19 with recommendation 9 addressed to chief
constables, registered and added as the inspectorate's users add them."""

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


#: Recommendation 9's text, as the inspectorate registers it.
REC_9 = "Chief constables should adopt the guidance"


def add_national_store(run: Run, forces: tuple[str, ...] = ("WMP",)) -> None:
    """HMICFRS and ``forces`` in the register (WMP and COLP known by name), FRAUD19/9 in
    HMICFRS's ledger, issued to nobody yet."""
    names = {"WMP": "West Midlands Police", "COLP": "City of London Police"}
    run("org", "add", "HMICFRS", "--name", "HM Inspectorate", "--kind", "inspectorate")
    for force in forces:
        run("org", "add", force, "--name", names[force], "--kind", "force")
    hmi = ("--org", "HMICFRS")
    run(
        *hmi,
        "report",
        "add",
        "FRAUD19",
        "--title",
        "Fraud: Time to Choose",
        "--scope",
        "national",
        "--published",
        "2019-04-02",
    )
    run(
        *hmi,
        "rec",
        "add",
        "FRAUD19",
        "9",
        "--kind",
        "recommendation",
        "--text",
        REC_9,
        "--to",
        "chief constables",
        "--due",
        "2019-10-31",
        "--on",
        "2019-04-02",
    )
