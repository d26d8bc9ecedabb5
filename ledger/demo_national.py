"""A ready national register built from the same real committee paper as the demo.

One store holds three organisations: the inspectorate (HMICFRS) and two forces, City of
London Police (COLP, whose November 2019 paper is the demo's data) and West Midlands
Police (WMP). The inspectorate registers the paper's national reports, each item
addressed as its text addresses it (``national-addressees.json``), and issues them on
their publication day: the items addressed to forces reach both forces' own ledgers;
those for the Home Office, the College of Policing or an NPCC lead stay with the
inspectorate. COLP then records what its paper reports of each item it received (status,
due date, comment: :func:`ledger.demo.paper_statuses`) and its own reports, as the
single demo does. WMP's paper (seed 002, March 2017) reports none of these national
reports, so their items stay NOT ASSESSED (a force's status is never invented); it
records its own reports of that paper (:func:`ledger.demo.superseded_demo`). The
inspectorate gives verdicts on a few of COLP's GREEN items, in the old HMIC register's
words, and refuses one whose GREEN the paper gives no evidence for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib.resources import files
from itertools import groupby
from typing import Any

from events import Status, Verdict
from ledger.application import Ledger
from ledger.demo import (
    DEMO_DATE,
    INSPECTIONS,
    demo_committee,
    demo_paper,
    follow_paper,
    issued_on,
    paper_report,
    paper_statuses,
    review_reports,
    superseded_demo,
)
from ledger.due import parse_due
from ledger.errors import Field, RuleBrokenError
from ledger.national import to_forces

ADDRESSEES = "national-addressees.json"
INSPECTORATE, FORCE, NEIGHBOUR = "HMICFRS", "COLP", "WMP"
#: The store's organisations, in the order added: code, name, kind.
ORGANISATIONS = (
    (INSPECTORATE, "HM Inspectorate of Constabulary and Fire & Rescue Services", "inspectorate"),
    (FORCE, "City of London Police", "force"),
    (NEIGHBOUR, "West Midlands Police", "force"),
)
#: The store's own ledger (its register of organisations), in :func:`build_national_demo`'s count.
REGISTER = "register"

#: What the old HMIC register said of a recommendation it found done.
SATISFIED = "I am satisfied that the terms of this recommendation have been properly addressed"
#: The inspectorate's verdicts on COLP's items, on the paper's date.
VERDICTS: tuple[tuple[str, Verdict, str], ...] = (
    ("BETRAYAL/1", Verdict.ACCEPTED, SATISFIED),
    ("FRAUD19/20", Verdict.ACCEPTED, SATISFIED),
    ("YOUTHOOCD/5", Verdict.ACCEPTED, SATISFIED),
    ("YOUTHOOCD/11", Verdict.ACCEPTED, SATISFIED),
    (
        "YOUTHOOCD/6",
        Verdict.NOT_ACCEPTED,
        "The force reports this GREEN with no comment: nothing shows how children are "
        "made to understand the implications of an out-of-court disposal before they "
        "accept it",
    ),
)


@cache
def addressees() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        files("ledger").joinpath("data", ADDRESSEES).read_text("utf-8")
    )
    return document


def addressed_to(code: str, row: dict[str, Any]) -> list[str]:
    """Who item ``row`` of report ``code`` is addressed to: as its text names them, the
    lead the paper names for it, or chief constables."""
    named: list[str] | None = addressees()["to"].get(code, {}).get(row["ref"])
    if named is not None:
        return named
    return [row["lead"]] if row.get("lead") else ["chief constables"]


def national_reports() -> list[dict[str, Any]]:
    """The paper's national reports the inspectorate issues (not those that are COLP's
    alone), oldest first."""
    own = set(addressees()["own"]["reports"])
    found = [
        e for e in demo_paper()["reports"] if e["scope"] == "national" and e["code"] not in own
    ]
    return sorted(found, key=lambda e: str(e["published"]))


def restricted_reports() -> list[dict[str, Any]]:
    """The restricted national reports of the seed papers (they make no
    recommendations): issued, and received restricted."""
    data = json.loads(files("ledger").joinpath("data", INSPECTIONS).read_text("utf-8"))
    return [
        e
        for e in data["reports"]
        if e.get("restricted") and e["scope"] == "national" and "inspection" not in e
    ]


def build_national_demo(
    register: Ledger, open_org: Callable[[str], Ledger], *, actor: str
) -> dict[str, int]:
    """Build the national register in the empty store whose register is ``register``;
    ``open_org(code)`` opens (creating) organisation ``code``'s ledger in it, which is
    closed here. The events recorded, by organisation (:data:`REGISTER` for the store's
    own ledger)."""
    held = register.ledgers_held() if register.org is None else []
    if register.org is not None or register.last_position() or held:
        found = f" (the ledgers of {', '.join(held)})" if held else ""
        raise RuleBrokenError(
            f"the national demo needs a store that holds no ledger yet, and this one "
            f"already holds events{found}; nothing was written; give {{store}} a new file "
            "or an empty database",
            store=Field.STORE,
        )
    counts = {REGISTER: 0}
    opened: dict[str, Ledger] = {}
    try:
        for code, name, kind in ORGANISATIONS:  # its own ledger first, as `org add` does
            opened[code] = open_org(code)
            counts[code] = len(
                opened[code].add_organisation(code, name=name, kind=kind, actor=actor)
            )
            counts[REGISTER] += len(
                register.add_organisation(code, name=name, kind=kind, actor=actor)
            )
        inspectorate, force = opened[INSPECTORATE], opened[FORCE]
        forces = [opened[FORCE], opened[NEIGHBOUR]]
        for code, count in issue_reports(inspectorate, forces, actor=actor).items():
            counts[code] += count
        counts[FORCE] += record_force_paper(force, actor=actor)
        counts[NEIGHBOUR] += len(superseded_demo(opened[NEIGHBOUR], actor=actor))
        for key, verdict, reason in VERDICTS:
            counts[INSPECTORATE] += len(
                inspectorate.give_verdict(
                    force, key, verdict, reason=reason, actor=actor, on=DEMO_DATE
                )
            )
    finally:
        for ledger in opened.values():
            ledger.close()
    return counts


def issue_reports(inspectorate: Ledger, forces: list[Ledger], *, actor: str) -> dict[str, int]:
    """Register the national reports in the inspectorate's ledger, each with its items
    as addressed, and issue them to ``forces`` on their publication day (the reports
    published the same day together); the events recorded, by organisation."""
    counts = {ledger.org or REGISTER: 0 for ledger in (inspectorate, *forces)}
    entries = [*national_reports(), *restricted_reports()]
    entries.sort(key=lambda e: str(e["published"]))
    for published, group in groupby(entries, key=lambda e: date.fromisoformat(e["published"])):
        for entry in group:
            recorded = inspectorate.register_report(
                entry["code"],
                title=entry["title"],
                scope=entry["scope"],
                published=published,
                inspectorates=entry["inspectorates"],
                makes=entry["makes"],
                restricted=entry.get("restricted", False),
                actor=actor,
                on=published,
            )
            for row in entry.get("items", ()):
                recorded += inspectorate.issue_recommendation(
                    entry["code"],
                    row["ref"],
                    kind=row["kind"],
                    text=row["text"],
                    to=addressed_to(entry["code"], row),
                    actor=actor,
                    on=published,
                )
            counts[INSPECTORATE] += len(recorded)
        for force in forces:
            counts[force.org or REGISTER] += len(
                force.receive_national(inspectorate, actor=actor, on=published)
            )
    return counts


def record_force_paper(force: Ledger, *, actor: str) -> int:
    """In COLP's ledger, in one transaction: what its paper reports of each national
    item it received (the status it had at the earlier meeting or when its report was
    new, then the status, due date and comment of the paper's date), its own reports and
    its committee with the meeting's reviews, as the single demo records them; the
    events recorded."""
    made: list[Any] = []
    for entry in national_reports():
        published = date.fromisoformat(entry["published"])
        issued = issued_on(published)
        for row in entry["items"]:
            if not to_forces(addressed_to(entry["code"], row)):
                continue
            item = force.get_recommendation(f"{entry['code']}/{row['ref']}")
            earlier, _, reason = paper_statuses(row, issued)
            item.change_status(
                Status(earlier), reason if earlier in ("RED", "WHITE") else None, actor, issued
            )
            due = parse_due(row["due"], published)
            if due.original is not None:  # "No deadline specified ..." is no due date
                item.set_deadline(due, None, actor, issued)
            follow_paper(item, row, earlier, actor=actor)
            made.append(item)
    national = {e["code"] for e in national_reports()}
    own = set(addressees()["own"]["reports"])
    for entry in demo_paper()["reports"]:
        if entry["code"] not in national:
            scope = "force" if entry["code"] in own else None
            made += paper_report(force, entry, actor=actor, scope=scope)
    committee = demo_committee(actor)
    recorded = force.save_all(committee, *made, what=f"{force.org}'s paper")
    return len(recorded + review_reports(force, committee, actor=actor, on=DEMO_DATE))
