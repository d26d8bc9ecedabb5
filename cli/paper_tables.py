"""The paper's summary and appendix as tables: what `ragw summary` and `ragw appendix`
print as a table, Markdown or CSV (JSON is the projection's own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cli.paper_inspections import inspection_outputs
from cli.render import Output
from cli.review_tables import reviewed_tables
from projections.committee import COUNT_KEYS, DEFINITIONS, OUTSTANDING, long_date
from projections.exceptions import NOT_ASSESSED
from render import relevance
from render.cells import cell, evidence_text, total_keys
from render.relevance import appendix_status

if TYPE_CHECKING:
    from projections.committee import Appendix, Summary


def summary_output(summary: Summary) -> Output:
    rows: list[list[Any]] = []
    section = None
    for row in summary.rows:
        if row.section != section:
            section = row.section
            rows.append([f"{section.capitalize()} reports", "", "", "", ""])
        national = row.report.scope == "national"
        was, now = cell(row.previous), cell(row.current)
        rows.append(
            [
                f"{row.report.code}: {' '.join(row.report.title.split())}",  # one line
                was if national else "",
                "" if national else was,
                now if national else "",
                "" if national else now,
            ]
        )

    keys = total_keys(summary.totals)
    totals_rows: list[list[Any]] = [
        [
            key,
            *(
                summary.totals[col][scope][key]
                for col in ("previous", "current")
                for scope in ("national", "force", "all")
            ),
        ]
        for key in keys
    ]
    totals_rows.append(
        [
            "Total Amber/Red/White",
            *(
                summary.totals[col][scope].outstanding
                for col in ("previous", "current")
                for scope in ("national", "force", "all")
            ),
        ]
    )

    previous = summary.previous_meeting
    compared = (
        f"compared with {long_date(previous.on)}" if previous else "the committee's first paper"
    )
    paper = f", paper {summary.meeting.paper}" if summary.meeting.paper else ""
    known = f"as known at {summary.known_at.isoformat()}" if summary.known_at else "as known now"
    exceptions = summary.exceptions
    return Output(
        document=summary.to_json(),
        title=(
            f"{summary.committee.name} ({summary.committee.code}): meeting of "
            f"{long_date(summary.meeting.on)}{paper}, {compared}; {known}"
            + (f"; ledger digest {summary.digest}" if summary.digest else "")
        ),
        columns=[
            "Report",
            "Previous: national",
            "Previous: force",
            "Current: national",
            "Current: force",
        ],
        rows=rows,
        wrap={"Report": 40},
        then=[
            Output(
                document=None,
                title="Totals",
                columns=[
                    "Status",
                    "Prev. national",
                    "Prev. force",
                    "Prev. all",
                    "Cur. national",
                    "Cur. force",
                    "Cur. all",
                ],
                rows=totals_rows,
                footer=summary.headline,
            ),
            Output(
                document=None,
                title="Overdue, neither RED nor extended",
                columns=["key", "status", "due", "days overdue", "owner"],
                rows=[
                    [o.key, o.status, o.due, o.days_overdue, o.owner] for o in exceptions.overdue
                ],
            ),
            Output(
                document=None,
                title=(
                    "Deadline extensions since the previous meeting"
                    if previous
                    else "Deadline extensions"
                ),
                columns=["key", "on", "from", "to", "reason", "by"],
                rows=[
                    [e.key, e.on, e.previous_due, e.due, e.reason, e.actor]
                    for e in exceptions.extensions
                ],
                wrap={"reason": 50},
            ),
            Output(
                document=None,
                title="Slippage (open items past their original date or extended)",
                columns=[
                    "key",
                    "status",
                    "original due",
                    "due",
                    "times extended",
                    "days past original",
                ],
                rows=[
                    [s.key, s.status, s.original_due, s.due, s.times_extended, s.days_past_original]
                    for s in exceptions.slippage
                ],
            ),
            Output(
                document=None,
                title="Awaiting sign-off",
                columns=["key", "status", "asks", "since", "by", "evidence"],
                rows=[
                    [
                        p.key,
                        p.status,
                        p.request,
                        p.pending["on"],
                        p.pending["actor"],
                        evidence_text(p.pending),
                    ]
                    for p in exceptions.claimed
                ],
                wrap={"evidence": 50},
            ),
            Output(
                document=None,
                title="Extension requests for the committee to grant",
                columns=["key", "status", "from", "to", "since", "by", "justification"],
                rows=[
                    [
                        p.key,
                        p.status,
                        p.pending["previous_due"],
                        p.pending["due"],
                        p.pending["on"],
                        p.pending["actor"],
                        evidence_text(p.pending),
                    ]
                    for p in exceptions.requested_extensions
                ],
                wrap={"justification": 50},
            ),
            *inspection_outputs(summary),
            *reviewed_tables(summary.reviewed),
            *not_for_the_force_output(summary),
        ],
        csv=Output(
            document=None,
            columns=[
                "section",
                "code",
                "title",
                "scope",
                *(
                    f"{col} {key}"
                    for col in ("previous", "current")
                    for key in (*COUNT_KEYS, NOT_ASSESSED)
                ),
            ],
            rows=[
                [
                    row.section,
                    row.report.code,
                    row.report.title,
                    row.report.scope,
                    *(
                        counts[key] if key != OUTSTANDING else counts.outstanding
                        for counts in (row.previous, row.current)
                        for key in (*COUNT_KEYS, NOT_ASSESSED)
                    ),
                ]
                for row in summary.rows
            ],
        ),
    )


def appendix_output(appendix: Appendix) -> Output:
    sections = []
    for report in appendix.reports:
        sections.append(
            Output(
                document=None,
                # the heading on one line, whatever the title holds (titles recorded
                # with line breaks, which a heading would end at, are printed flat)
                title=f"{' '.join(report.report.title.split())} [{report.report.code}]\n"
                f"{report.description}. {report.sentence}",
                columns=[
                    "ref",
                    "recommendation or area for improvement",
                    "status",
                    "due",
                    "comment",
                ],
                rows=[
                    [
                        i.ref,
                        f"{i.kind}: {i.text}",
                        appendix_status(i),
                        i.due_written,
                        i.comment,
                    ]
                    for i in report.items
                ],
                wrap={"recommendation or area for improvement": 50, "due": 16, "comment": 40},
            )
        )
    paper = f", paper {appendix.meeting.paper}" if appendix.meeting.paper else ""
    return Output(
        document=appendix.to_json(),
        title=(
            f"Appendix: {appendix.committee.name} ({appendix.committee.code}), meeting of "
            f"{long_date(appendix.meeting.on)}{paper}. Previously reported greens are not "
            "included." + (f" Ledger digest {appendix.digest}." if appendix.digest else "")
        ),
        columns=["status", "definition"],
        rows=[list(d) for d in DEFINITIONS],
        wrap={"definition": 80},
        then=sections,
        csv=Output(
            document=None,
            columns=[
                "report",
                "ref",
                "key",
                "kind",
                "status",
                "due",
                "due written",
                "overdue",
                "owner",
                "lead",
                "text",
                "comment",
            ],
            rows=[
                [
                    r.report.code,
                    i.ref,
                    i.key,
                    i.kind,
                    i.status,
                    i.due,
                    i.due_written,
                    i.overdue,
                    i.owner,
                    i.lead,
                    i.text,
                    i.comment,
                ]
                for r in appendix.reports
                for i in r.items
            ],
        ),
    )


def not_for_the_force_output(summary: Summary) -> list[Output]:
    """The section "Not addressed to the force", when any item is (none: no table)."""
    if not summary.not_for_the_force:
        return []
    return [
        Output(
            document=None,
            title=relevance.TITLE,
            columns=list(relevance.COLUMNS),
            rows=relevance.rows(summary.not_for_the_force),
            wrap={"Recommendation": 40, "Why not the force's": 30, "Addressed to": 20},
        )
    ]
