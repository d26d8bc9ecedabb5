"""A tracker's columns as forces name them: which row is the header, and which field
each column of it gives.

A force's tracker rarely starts with its header: a title or two ("City of London Police
- HMICFRS Recommendations Tracker", "As at 15/11/2019"), often in a merged cell, and
blank rows come first. The header is the first row whose cells name every required
field but the report code and kind, which a file may leave to be derived
(:data:`DERIVED`). A cell names a field by the field's own name (``report_code``), by one of the
:data:`SYNONYMS` forces write (``Rec No.``, ``RAG``, ``Update / Progress``), matched
whatever its case, spacing and punctuation, or as the user maps it ("Column in
file=field", which comes first; "Column in file=" leaves a column out). Two columns
that give the same field, a column no name or mapping explains, or a needed field
that no column gives, refuse the file in one line that lists the file's columns and
the fields still missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ledger.errors import Fix, Hint, InvalidInputError
from ledger.exchange.workbook import Line

REQUIRED = ("report_code", "report", "scope", "published", "ref", "kind", "text")
OPTIONAL = ("inspectorate", "status", "reason", "due", "comment", "owner", "lead", "on")
COLUMNS = REQUIRED + OPTIONAL
#: Required fields a file may go without: a report's code is then found or derived from
#: its title, an item's kind from its ref (:mod:`ledger.exchange.derived`).
DERIVED = ("report_code", "kind")
#: The fields a header must name.
NEEDED = tuple(field for field in REQUIRED if field not in DERIVED)
#: Columns ragw's own export of the board adds for people, written exactly so beside its
#: ``due`` column; an import passes over them there. Elsewhere ``Due_Date`` is a force's
#: due column like ``Due date``.
IGNORED = ("key", "due_date", "overdue")
#: How many rows from the top a header is looked for in (titles and blank rows first).
HEADER_ROWS = 30

#: Headers forces write for each field, as :func:`folded` folds them.
SYNONYMS: dict[str, str] = {
    **{
        name: field
        for field, names in {
            "report_code": ("report code", "code", "report ref", "report reference"),
            "report": ("report title", "report name", "title", "inspection", "report"),
            "scope": ("national force", "force national", "national or force", "scope"),
            "published": ("date published", "publication date", "published date", "published"),
            "inspectorate": ("inspectorates", "inspectorate", "inspected by"),
            "ref": (
                "rec no",
                "rec number",
                "no",
                "number",
                "ref",
                "reference",
                "recommendation number",
                "recommendation no",
                "recommendation ref",
            ),
            "kind": ("type", "kind", "recommendation type"),
            "text": ("recommendation", "description", "recommendation text", "text"),
            "status": ("rag", "rag status", "status", "rag rating"),
            "reason": ("reason", "rationale"),
            # never "completion date": the day work ended, not the day it was due
            "due": ("deadline", "due date", "target date", "due"),
            "comment": (
                "update",
                "progress",
                "comments",
                "comment",
                "update progress",
                "progress update",
                "latest update",
            ),
            "owner": ("owner", "responsible officer", "action owner"),
            "lead": ("lead", "lead body"),
            "on": ("on", "effective", "as at"),
        }.items()
        for name in names
    }
}


def folded(name: str) -> str:
    """A header as it is matched: lower case, punctuation as spaces, spaces single."""
    return " ".join(re.sub(r"[\W_]+", " ", name.lower()).split())


@dataclass(frozen=True)
class Header:
    """The header row found: its line, the file's columns as written, and the field
    each column gives ("" for a column left out)."""

    line: int
    names: tuple[str, ...]
    fields: tuple[str, ...]
    #: The sheet it is on, for a workbook.
    sheet: str | None = None
    #: Whether that sheet is hidden (read only when named).
    hidden: bool = False

    def mapping(self) -> list[tuple[str, str]]:
        """Each named column and the field it gives ("" when it is not read)."""
        return [(n, f) for n, f in zip(self.names, self.fields, strict=True) if n.strip()]


class Mapped(dict[str, str]):
    """Fields by folded column, as mapped; and each column as the user wrote it."""

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[str, str] = {}


def parse_mapping(pairs: Iterable[str]) -> Mapped:
    """``"Column in file=field"`` pairs, by folded column; refuses a field the ledger does
    not know and a column mapped twice."""
    mapping = Mapped()
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise InvalidInputError(
                "{pair} is not a mapping; write it as Column in file=field, e.g. "
                "Rec No.=ref (fields: {fields})",
                pair=repr(pair),
                fields=" ".join(COLUMNS),
            )
        if field and field not in COLUMNS:
            raise InvalidInputError(
                "{pair} maps to {field}, which is not a field; use one of {fields} "
                "(or nothing after = to leave the column out)",
                pair=repr(pair),
                field=repr(field),
                fields=" ".join(COLUMNS),
            )
        key = folded(column)
        if key in mapping:
            raise InvalidInputError(
                "the column {column} is mapped twice; map it once", column=repr(column.strip())
            )
        mapping[key] = field
        mapping.written[key] = column.strip()
    return mapping


def exported(names: Iterable[str]) -> bool:
    """Whether a header is ragw's own export's: it has the export's ``due`` column."""
    return any(name.strip() == "due" for name in names)


def field_of(name: str, mapping: Mapping[str, str], *, export: bool = False) -> str | None:
    """The field a header cell gives: as mapped, else as the ledger or forces name it;
    "" for a column left out (in ``export``, ragw's own export's header, its
    :data:`IGNORED` columns), None for a name nothing explains."""
    key = folded(name)
    if key in mapping:
        return mapping[key]
    if export and name.strip() in IGNORED:
        return ""
    return SYNONYMS.get(key)


def find_header(
    lines: Iterable[Line], mapping: Mapping[str, str], name: str, sheet: str | None = None
) -> tuple[Header | None, Header | None]:
    """The header among the first :data:`HEADER_ROWS` rows of ``lines`` (consumed up to
    it), or None; and the row that came closest to one (most needed fields named)."""
    closest: tuple[int, Header] | None = None
    for count, line in enumerate(lines, start=1):
        names = tuple(line.values)
        export = exported(names)
        fields = tuple(
            field_of(cell, mapping, export=export) or "" if cell.strip() else "" for cell in names
        )
        named = len(set(NEEDED) & set(fields))
        header = Header(line.number, names, fields, sheet)
        if named == len(NEEDED):
            return header, header
        if any(v.strip() for v in names) and (closest is None or named > closest[0]):
            closest = (named, header)
        if count >= HEADER_ROWS:
            break
    return None, closest[1] if closest else None


def check_header(header: Header, mapping: Mapping[str, str], name: str) -> None:
    """Refuse a header that gives a field twice, or has a column nothing explains, in
    one line naming the file's columns; and a mapping of a column the file lacks."""
    given: dict[str, list[str]] = {}
    unknown = []
    for column, field in zip(header.names, header.fields, strict=True):
        if not column.strip():
            continue
        if field:
            given.setdefault(field, []).append(column.strip())
        elif field_of(column, mapping, export=exported(header.names)) is None:
            unknown.append(column.strip())
    twice = {field: columns for field, columns in given.items() if len(columns) > 1}
    if twice:
        field, columns = next(iter(twice.items()))
        raise InvalidInputError(
            "{name}: the columns {columns} all give the field {field}; its columns are "
            "{all}: map one to {field} and leave the others out ({hint})",
            name=where(name, header),
            columns=", ".join(repr(c) for c in columns),
            field=field,
            all=shown(header.names),
            hint=Hint.to(Fix.MAP_COLUMNS),
        )
    if unknown:
        raise InvalidInputError(
            "{name} has columns the ledger does not know: {unknown}; its columns are "
            "{all}; say which field each gives, or leave it out ({hint}); the fields are "
            "{fields}",
            name=where(name, header),
            unknown=", ".join(repr(c) for c in unknown),
            all=shown(header.names),
            hint=Hint.to(Fix.MAP_COLUMNS),
            fields=" ".join(COLUMNS),
        )
    folded_names = {folded(n) for n in header.names}
    written = getattr(mapping, "written", {})
    absent = [written.get(c, c) for c in mapping if c not in folded_names]
    if absent:
        raise InvalidInputError(
            "{name} has no column {absent} to map; its columns are {all}",
            name=where(name, header),
            absent=", ".join(repr(c) for c in absent),
            all=shown(header.names),
        )


def no_header(name: str, closest: Header | None, sheets: Sequence[str] = ()) -> InvalidInputError:
    """The refusal of a file none of whose first rows names every needed field: the
    columns of the row that came closest, and the fields still missing."""
    if closest is None:
        return InvalidInputError(
            "{name} is empty; it needs a header row and a row per item", name=name
        )
    missing = [f for f in NEEDED if f not in closest.fields]
    return InvalidInputError(
        "{name} has no column {missing}: its header (line {line}) has the columns {all}; "
        "say which column gives each missing field ({hint}); the fields are {fields}"
        "{sheets}",
        name=where(name, closest),
        missing=", ".join(missing),
        line=closest.line,
        all=shown(closest.names),
        hint=Hint.to(Fix.MAP_COLUMNS),
        fields=" ".join(COLUMNS),
        sheets=f" (sheets: {', '.join(repr(s) for s in sheets)})" if len(sheets) > 1 else "",
    )


def where(name: str, header: Header) -> str:
    return f"{name} (sheet {header.sheet!r})" if header.sheet else name


def shown(names: Sequence[str]) -> str:
    """The file's columns as a list people read, each quoted, empty ones left out."""
    said = [repr(" ".join(n.split())[:60]) for n in names if n.strip()]
    return ", ".join(said) if said else "none"


def unheaded(header: Header, line: Line) -> str:
    """Why a row holds a value in a column with no heading ("" when it holds none): a
    value there would be dropped unread, most often the end of a cell that a comma not
    in quotes cut in two."""
    names = header.names
    for index, value in enumerate(line.values):
        if value.strip() and (index >= len(names) or not names[index].strip()):
            from openpyxl.utils import get_column_letter  # only for a refusal

            return (
                f"column {get_column_letter(index + 1)} holds {value.strip()!r} under no "
                "heading, so it would be dropped: a comma not in quotes cuts a cell in two "
                "(put the cell in double quotes), or give the column a heading"
            )
    return ""
