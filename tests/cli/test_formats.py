"""Every read says the same thing in every format.

Each read of the ledger ragw 0.1 wrote (tests/fixtures), with a few cells holding ``|``
added, is parsed back from each format and compared with its JSON: the table's title,
column headings, rows and footer; the Markdown pipe table, with ``|`` in a cell escaped;
the CSV's header and rows; the JSON's values.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.fixtures.make_fixture import DB

GOVERNANCE = "Strategic Development"
Rows = list[list[str]]


#: A note that Markdown would draw otherwise than it reads, were it not written as text:
#: a section hiding what it says under words of its own, a link, emphasis, code,
#: strike-through, an entity and a backslash.
NOTE = (
    "Met | agreed <details><summary>Signed off</summary>not yet</details> "
    "[evidence](https://x.example/e) *all* `done` ~~no~~ _so_ &#x202E; back\\slash"
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixture's ledger, with ``|`` in an owner, a note, a committee's name, a paper
    and a role holder's name; the note holding Markdown's and HTML's marks too."""
    target = str(tmp_path_factory.mktemp("formats") / "ledger.sqlite")
    shutil.copyfile(DB, target)
    for write in (
        ("assign", "ROADS/3", "Head of Roads | Operations", "--on", "2021-04-26"),
        ("note", "ROADS/3", NOTE, "--on", "2021-04-25"),
        ("committee", "add", "AUDIT", "--name", "Audit | Risk", "--on", "2021-05-01"),
        ("meeting", "add", "AUDIT", "2021-05-10", "--paper", "AR 1|21", "--on", "2021-05-01"),
        ("role", "grant", "Risk | Lead", "auditor"),
    ):
        ragw(target, *write)
    return target


def ragw(target: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", target, "--actor", GOVERNANCE, *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def formats(target: str, *read: str) -> tuple[Any, str, str, str]:
    """The read as JSON (parsed), then as a table, as Markdown and as CSV."""
    document = json.loads(ragw(target, *read, "--format", "json"))
    return (document, *(ragw(target, *read, "--format", fmt) for fmt in ("table", "md", "csv")))


# Reading each format back ----------------------------------------------------------


class Table:
    """One table as printed: its title, headings, rows (cells as text) and footer."""

    def __init__(self, title: str | None, columns: list[str], rows: Rows, footer: str | None):
        self.title, self.columns, self.rows, self.footer = title, columns, rows, footer

    def __repr__(self) -> str:
        return f"Table({self.title!r}, {self.columns!r}, {self.rows!r}, {self.footer!r})"


def blocks(text: str) -> list[str]:
    """Paragraphs: runs of lines between blank lines."""
    return [block for block in re.split(r"\n\s*\n", text.strip("\n")) if block.strip()]


def read_tables(text: str) -> list[Table]:
    """Tables as tabulate's "simple" format prints them, each with the paragraph above it
    as its title and the one below it, unless that is the next table's title, as its
    footer. A cell wrapped over several lines is joined back with spaces: a line whose
    first cell is blank continues the row above it."""
    found: list[Table] = []
    title: str | None = None
    parts = blocks(text)
    for n, block in enumerate(parts):
        lines = block.splitlines()
        if is_table(block):
            if block == NOTHING:
                found.append(Table(title, [], [], None))
                title = None
                continue
            starts = [m.start() for m in re.finditer(r"-+", lines[1])]
            ends = [*starts[1:], None]

            def cells(line: str, starts: list[int] = starts, ends: list[Any] = ends) -> list[str]:
                return [line[a:b].strip() for a, b in zip(starts, ends, strict=True)]

            rows: Rows = []
            for line in lines[2:]:
                row = cells(line)
                if rows and not row[0]:
                    rows[-1] = [
                        " ".join(filter(None, pair)) for pair in zip(rows[-1], row, strict=True)
                    ]
                else:
                    rows.append(row)
            found.append(Table(title, cells(lines[0]), rows, None))
            title = None
        elif (
            found
            and found[-1].footer is None
            and title is None
            and not (n + 1 < len(parts) and is_table(parts[n + 1]))
        ):
            found[-1].footer = block
        else:
            title = block
    return found


NOTHING = "(nothing to show)"


def is_table(block: str) -> bool:
    lines = block.splitlines()
    return block == NOTHING or (
        len(lines) >= 2 and re.fullmatch(r"-+( {2}-+)*", lines[1]) is not None
    )


def read_md_tables(text: str) -> list[Table]:
    """Markdown pipe tables and the ``## titles`` above them. A cell splits only at an
    unescaped ``|``; ``\\|`` reads as ``|`` and ``<br>`` as a new line."""
    found: list[Table] = []
    title: str | None = None
    for block in blocks(text):
        lines = block.splitlines()
        if lines[0].startswith("## "):
            title = "\n".join(map(as_text, [lines[0][3:], *lines[1:]]))
            continue
        if block == NOTHING:
            found.append(Table(title, [], [], None))
        elif lines[0].startswith("|"):
            assert re.fullmatch(r"\|(-+\|)+", lines[1]), lines[1]
            rows = [md_cells(line) for line in lines[2:]]
            found.append(Table(title, md_cells(lines[0]), rows, None))
        elif found and found[-1].footer is None:
            found[-1].footer = "\n".join(map(as_text, block.splitlines()))
        title = None
    return found


def md_cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|"), line
    parts = re.split(r"(?<!\\)\|", line)[1:-1]
    return [as_text(part.strip()) for part in parts]


#: What a Markdown renderer reads as one character: a backslash before a mark, an
#: entity, a ``<br>``; nothing else a recorded text holds is markup.
_MARKUP = re.compile(r"\\(.)|&lt;|&amp;|<br>|<|\[|\]|\*|_|`|~")


def as_text(markdown: str) -> str:
    """A cell or title as a renderer shows it; refused if any of it would render as
    markup rather than as the text it is (an unescaped tag, link, emphasis, code)."""

    def one(found: re.Match[str]) -> str:
        shown = {"&lt;": "<", "&amp;": "&", "<br>": "\n"}.get(found.group(0))
        if found.group(1) is not None:
            return found.group(1)
        assert shown is not None, f"{found.group(0)!r} would render as markup in {markdown!r}"
        return shown

    return _MARKUP.sub(one, markdown)


def read_csv(text: str) -> tuple[list[str], Rows]:
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def assert_escaped(md: str, cell: str) -> None:
    """``cell``, which holds a ``|``, is a cell of its own, written as text."""
    cells = [c for line in md.splitlines() if line.startswith("|") for c in md_cells(line)]
    assert cell in cells, f"{cell!r} is not one cell in {md}"
    assert "<details>" not in md and not re.search(r"(?<!\\)\]\(", md)  # no tag, no link


def seconds(moment: str) -> str:
    """A moment as tables print it: to the second."""
    return datetime.fromisoformat(moment).isoformat(timespec="seconds")


def text(value: Any) -> str:
    return "" if value is None else str(value)


def flat(value: str) -> str:
    """A cell as a wrapped table shows it, joined back: words and single spaces."""
    return " ".join(value.split())


def assert_same_table(printed: Table, columns: list[str], rows: Rows, wrapped: bool) -> None:
    assert printed.columns == columns
    if wrapped:
        rows = [[flat(cell) for cell in row] for row in rows]
    assert printed.rows == rows


# Board ---------------------------------------------------------------------------------

BOARD_COLUMNS = ["key", "kind", "status", "due", "overdue", "owner", "pending sign-off"]


def board_rows(items: list[dict[str, Any]]) -> Rows:
    def asked(pending: dict[str, Any] | None) -> str:
        if pending is None:
            return ""
        request = pending["request"]
        asks = f"extension to {pending['due']}" if request == "EXTENSION" else request
        return f"{asks} (since {pending['on']})"

    return [
        [
            i["key"],
            i["kind"],
            i["status"] or "NOT ASSESSED",
            text(i["due"]),
            "OVERDUE" if i["overdue"] else "",
            text(i["owner"]),
            asked(i["pending"]),
        ]
        for i in items
    ]


def test_the_board_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "board", "--as-at", "2021-06-01")
    items = document["items"]
    assert [(i["key"], i["status"], i["overdue"], i["owner"]) for i in items] == [
        ("ROADS/1", "GREEN", False, "Head of Operations"),
        ("ROADS/2", None, True, None),
        ("ROADS/3", "RED", False, "Head of Roads | Operations"),
        ("FRAUD/9", "CLOSED", False, "DCI Crime"),
        ("FRAUD/10", "AMBER", False, "DCI Crime"),
    ]
    rows = board_rows(items)
    assert rows[1][4] == "OVERDUE" and rows[4][6] == "extension to 2022-06-30 (since 2021-05-20)"
    title = "Board as at 2021-06-01, as known now: 5 items"
    footer = "AMBER: 1  CLOSED: 1  GREEN: 1  NOT ASSESSED: 1  RED: 1  pending sign-off: 1"
    counts = Counter(row[2] for row in rows)
    assert footer.startswith("  ".join(f"{k}: {n}" for k, n in sorted(counts.items())))

    blocks_of_table = blocks(table)
    assert blocks_of_table[0] == title and blocks_of_table[-1] == footer
    (printed,) = read_tables(table)
    assert_same_table(printed, BOARD_COLUMNS, rows, wrapped=False)

    assert md.startswith(f"## {title}\n\n") and md.rstrip().endswith(f"\n\n{footer}")
    (printed,) = read_md_tables(md)
    assert_same_table(printed, BOARD_COLUMNS, rows, wrapped=False)
    assert_escaped(md, "Head of Roads | Operations")

    assert read_csv(as_csv) == (BOARD_COLUMNS, rows)


def test_a_board_with_nothing_pending_has_no_pending_column(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "board", "--as-at", "2021-06-01", "--overdue")
    rows = [row[:-1] for row in board_rows(document["items"])]
    assert rows == [["ROADS/2", "recommendation", "NOT ASSESSED", "2021-04-30", "OVERDUE", ""]]
    (in_md,) = read_md_tables(md)
    assert_same_table(in_md, BOARD_COLUMNS[:-1], rows, wrapped=False)
    (printed,) = read_tables(table)
    assert_same_table(printed, BOARD_COLUMNS[:-1], rows, wrapped=False)
    assert blocks(table)[-1] == "NOT ASSESSED: 1"
    assert read_csv(as_csv) == (BOARD_COLUMNS[:-1], rows)


# History and log -------------------------------------------------------------------------

HISTORY_COLUMNS = ["id", "on", "type", "details", "recorded at", "actor", "corrected by"]
LOG_COLUMNS = ["id", "type", "on", "recorded at", "actor", "details"]


def without_details(columns: list[str], rows: Rows) -> Rows:
    keep = [n for n, column in enumerate(columns) if column != "details"]
    return [[row[n] for n in keep] for row in rows]


def details_of(columns: list[str], rows: Rows, event_id: str) -> str:
    (row,) = [row for row in rows if row[0] == event_id]
    return row[columns.index("details")]


def test_a_history_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "history", "ROADS/3")
    events = document["events"]
    assert document["key"] == "ROADS/3"
    assert [e["id"] for e in events] == [f"ROADS/3@{n}" for n in range(1, 9)]
    expected = [
        [
            e["id"],
            e["on"],
            e["type"],
            seconds(e["recorded_at"]),
            e["actor"],
            text(e.get("corrected_by")),
        ]
        for e in events
    ]
    assert expected[2][-1] == "ROADS/3@4"
    title = "History of ROADS/3"
    footer = "Now RED; original due 2021-03-31, current due 2021-12-31, extended 2 times"

    assert blocks(table)[0] == title and blocks(table)[-1] == footer
    assert md.startswith(f"## {title}\n\n") and md.rstrip().endswith(f"\n\n{footer}")
    (in_table,) = read_tables(table)
    (in_md,) = read_md_tables(md)
    header, in_csv = read_csv(as_csv)
    for columns, rows in (
        (in_table.columns, in_table.rows),
        (in_md.columns, in_md.rows),
        (header, in_csv),
    ):
        assert columns == HISTORY_COLUMNS
        assert without_details(columns, rows) == expected
        assert details_of(columns, rows, "ROADS/3@8") == NOTE
        assert details_of(columns, rows, "ROADS/3@7") == "owner -> Head of Roads | Operations"
        assert flat(details_of(columns, rows, "ROADS/3@4")) == (
            "retracts ROADS/3@3: GREEN was meant for ROADS/1"
        )
    assert_escaped(md, NOTE)


def test_the_log_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "log")
    events = document["events"]
    assert len(events) == 39
    expected = [
        [e["id"], e["type"], e["on"], seconds(e["recorded_at"]), e["actor"]] for e in events
    ]
    assert expected[0] == [
        "ROADS@1",
        "ReportRegistered",
        "2021-01-04",
        "2021-06-01T09:00:00+00:00",
        GOVERNANCE,
    ]
    (in_table,) = read_tables(table)
    (in_md,) = read_md_tables(md)
    header, in_csv = read_csv(as_csv)
    assert blocks(table)[0].startswith("id ") and in_md.title is None
    for columns, rows in (
        (in_table.columns, in_table.rows),
        (in_md.columns, in_md.rows),
        (header, in_csv),
    ):
        assert columns == LOG_COLUMNS
        assert without_details(columns, rows) == expected
        assert details_of(columns, rows, "ROADS/3@8") == NOTE
        assert flat(details_of(columns, rows, "ROADS@1")) == (
            "force report 'Roads policing | a force inspection' by HMICFRS, published 2021-01-04"
        )


# The paper ------------------------------------------------------------------------------

ORDER = ("NEW GREEN", "AMBER", "RED", "NEW RED", "WHITE", "CLOSED", "NOT ASSESSED")


def counts_cell(counts: dict[str, int]) -> str:
    """Counts as the paper prints them in a cell, RED without the NEW RED among them."""
    shown = {**counts, "RED": counts["RED"] - counts["NEW RED"]}
    return "\n".join(f"{shown[k]} {k}" for k in ORDER if shown.get(k))


def test_the_summary_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "summary", "PRMSC", "2021-05-01")
    assert document["headline"].startswith("There are currently 2 outstanding recommendations")
    title = (
        "Performance and Resource Management (PRMSC): meeting of 1 May 2021, paper Pol 9/21, "
        f"compared with 1 February 2021; as known now; ledger digest {document['digest']}"
    )
    main_rows = [["Previous reports", "", "", "", ""]]
    for r in document["reports"]:
        was, now = counts_cell(r["previous"]), counts_cell(r["current"])
        national = r["scope"] == "national"
        main_rows.append(
            [
                f"{r['code']}: {r['title']}",
                was if national else "",
                "" if national else was,
                now if national else "",
                "" if national else now,
            ]
        )
    assert main_rows[1] == [
        "ROADS: Roads policing | a force inspection",
        "",
        "1 AMBER\n1 NEW RED\n1 NOT ASSESSED",
        "",
        "1 NEW GREEN\n1 RED\n1 NOT ASSESSED",
    ]
    main_columns = [
        "Report",
        "Previous: national",
        "Previous: force",
        "Current: national",
        "Current: force",
    ]
    totals = document["totals"]
    scopes = [
        (col, scope) for col in ("previous", "current") for scope in ("national", "force", "all")
    ]
    totals_rows = [[key, *(str(totals[c][s].get(key, 0)) for c, s in scopes)] for key in ORDER]
    totals_rows.append(
        ["Total Amber/Red/White", *(str(totals[c][s]["OUTSTANDING"]) for c, s in scopes)]
    )
    assert totals_rows[-1] == ["Total Amber/Red/White", "2", "2", "4", "1", "1", "2"]
    totals_columns = [
        "Status",
        "Prev. national",
        "Prev. force",
        "Prev. all",
        "Cur. national",
        "Cur. force",
        "Cur. all",
    ]
    exceptions = document["exceptions"]
    overdue = [
        [o["key"], o["status"], o["due"], str(o["days_overdue"]), text(o["owner"])]
        for o in exceptions["overdue"]
    ]
    extensions = [
        [e["key"], e["on"], e["previous_due"], e["due"], e["reason"], e["actor"]]
        for e in exceptions["extensions"]
    ]
    assert [row[0] for row in overdue + extensions] == ["ROADS/2", "ROADS/1", "ROADS/3"]
    titles = [
        title,
        "Totals",
        "Overdue, neither RED nor extended",
        "Deadline extensions since the previous meeting",
        "Slippage (open items past their original date or extended)",
        "Awaiting sign-off",
        "Extension requests for the committee to grant",
    ]

    in_md = read_md_tables(md)
    assert [t.title for t in in_md] == titles
    assert_same_table(in_md[0], main_columns, main_rows, wrapped=False)
    assert_same_table(in_md[1], totals_columns, totals_rows, wrapped=False)
    assert in_md[1].footer == document["headline"]
    assert_same_table(in_md[2], ["key", "status", "due", "days overdue", "owner"], overdue, False)
    assert_same_table(in_md[3], ["key", "on", "from", "to", "reason", "by"], extensions, False)
    assert_escaped(md, "ROADS: Roads policing | a force inspection")

    in_table = read_tables(table)
    assert blocks(table)[0] == title
    assert [t.columns for t in in_table] == [t.columns for t in in_md]
    assert in_table[1].rows == totals_rows and in_table[2].rows == overdue
    assert in_table[3].rows == extensions
    assert document["headline"] in blocks(table)
    assert [t.title for t in in_table] == titles

    header, rows = read_csv(as_csv)
    keys = [
        "NEW GREEN",
        "AMBER",
        "RED",
        "NEW RED",
        "WHITE",
        "CLOSED",
        "OUTSTANDING",
        "NOT ASSESSED",
    ]
    assert header == [
        "section",
        "code",
        "title",
        "scope",
        *(f"{col} {key}" for col in ("previous", "current") for key in keys),
    ]
    assert rows == [
        [
            r["section"],
            r["code"],
            r["title"],
            r["scope"],
            *(str(r[col].get(key, 0)) for col in ("previous", "current") for key in keys),
        ]
        for r in document["reports"]
    ]


def test_the_appendix_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "appendix", "PRMSC", "2021-05-01")
    title = (
        "Appendix: Performance and Resource Management (PRMSC), meeting of 1 May 2021, paper "
        "Pol 9/21. Previously reported greens are not included. Ledger digest "
        f"{document['digest']}."
    )
    definitions = [[d["status"], d["definition"]] for d in document["definitions"]]
    assert definitions[0] == ["GREEN", "The recommendation is implemented."]
    item_columns = ["ref", "recommendation or area for improvement", "status", "due", "comment"]
    sections = [
        (
            f"{r['title']} [{r['code']}]\n{r['description']}. {r['sentence']}",
            [
                [
                    i["ref"],
                    f"{i['kind']}: {i['text']}",
                    i["status"],
                    i["due_written"],
                    text(i["comment"]),
                ]
                for i in r["items"]
            ],
        )
        for r in document["reports"]
    ]
    roads = sections[0][1]
    assert roads[2] == [
        "3",
        "Cause of concern: Record every collision",
        "RED",
        "March 2021 Now June 2021 Now December 2021",
        NOTE,
    ]

    in_md = read_md_tables(md)
    assert [t.title for t in in_md] == [title, *(s[0] for s in sections)]
    assert_same_table(in_md[0], ["status", "definition"], definitions, wrapped=False)
    for printed, (_, rows) in zip(in_md[1:], sections, strict=True):
        assert_same_table(printed, item_columns, rows, wrapped=False)
    assert_escaped(md, NOTE)

    in_table = read_tables(table)
    assert [t.title for t in in_table] == [t.title for t in in_md]
    assert_same_table(in_table[0], ["status", "definition"], definitions, wrapped=True)
    for printed, (_, rows) in zip(in_table[1:], sections, strict=True):
        assert_same_table(printed, item_columns, rows, wrapped=True)

    header, rows = read_csv(as_csv)
    assert header == [
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
    ]
    assert rows == [
        [
            r["code"],
            i["ref"],
            i["key"],
            i["kind"],
            i["status"],
            text(i["due"]),
            i["due_written"],
            str(i["overdue"]),
            text(i["owner"]),
            text(i["lead"]),
            i["text"],
            text(i["comment"]),
        ]
        for r in document["reports"]
        for i in r["items"]
    ]


# Committees, meetings, roles --------------------------------------------------------------


def check_plain_list(table: str, md: str, as_csv: str, columns: list[str], rows: Rows) -> None:
    """A list without title or footer, the same in every human format and in CSV."""
    (in_table,) = read_tables(table)
    assert len(blocks(table)) == 1 and in_table.title is None
    assert_same_table(in_table, columns, rows, wrapped=False)
    (in_md,) = read_md_tables(md)
    assert len(blocks(md)) == 1 and in_md.title is None
    assert_same_table(in_md, columns, rows, wrapped=False)
    assert read_csv(as_csv) == (columns, rows)


def test_the_committee_list_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "committee", "list")
    rows = [
        [
            c["code"],
            c["name"],
            str(len(c["meetings"])),
            max(c["meetings"]),
            ", ".join(c["sign_off_for"]),
        ]
        for c in document["committees"]
    ]
    assert rows == [
        ["AUDIT", "Audit | Risk", "1", "2021-05-10", "completion"],
        [
            "PRMSC",
            "Performance and Resource Management",
            "2",
            "2021-05-01",
            "completion, closures, extensions",
        ],
    ]
    columns = ["code", "name", "meetings", "latest meeting", "sign-off for"]
    check_plain_list(table, md, as_csv, columns, rows)
    assert_escaped(md, "Audit | Risk")


def test_the_meeting_list_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "meeting", "list")
    rows = [
        [
            m["committee"],
            m["date"],
            text(m["paper"]),
            text(m["previous_meeting"]),
            ", ".join(m["reviews"]),
        ]
        for m in document["meetings"]
    ]
    assert rows == [
        ["AUDIT", "2021-05-10", "AR 1|21", "", ""],
        ["PRMSC", "2021-02-01", "Pol 1/21", "", ""],
        ["PRMSC", "2021-05-01", "Pol 9/21", "2021-02-01", ""],
    ]
    check_plain_list(
        table, md, as_csv, ["committee", "date", "paper", "previous meeting", "reviews"], rows
    )
    assert_escaped(md, "AR 1|21")


def test_the_role_list_in_every_format(ledger: str) -> None:
    document, table, md, as_csv = formats(ledger, "role", "list")
    assert document["controlled"] is True
    rows = [[r["name"], r["role"], text(r["acts_for"])] for r in document["roles"]]
    assert rows == [
        ["Head of Roads", "owner", "Head of Roads"],
        ["Risk | Lead", "auditor", ""],
        [GOVERNANCE, "governance", ""],
    ]
    check_plain_list(table, md, as_csv, ["name", "role", "acts for"], rows)
    assert_escaped(md, "Risk | Lead")


def test_an_open_ledgers_role_list_says_so_in_every_human_format(tmp_path: Path) -> None:
    target = str(tmp_path / "open.sqlite")
    ragw(target, "committee", "add", "PRMSC", "--name", "Performance", "--on", "2021-01-05")
    footer = "No role granted: the ledger is open."
    assert json.loads(ragw(target, "role", "list", "--format", "json")) == {
        "controlled": False,
        "roles": [],
    }
    for fmt in ("table", "md"):
        out = ragw(target, "role", "list", "--format", fmt)
        assert blocks(out)[-1] == footer, out
    assert read_csv(ragw(target, "role", "list", "--format", "csv")) == (
        ["name", "role", "acts for"],
        [],
    )
