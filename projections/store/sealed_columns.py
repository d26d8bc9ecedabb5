"""Which column of the read model stays clear, which is a token and which is sealed,
for an encrypted ledger's model (:mod:`projections.store.sealing` says why each kind),
and the rows made so as they are written and opened again as they are read.

Every column not named here stays clear: days and moments, versions, counts, status
and relevance codes, a report's scope, whether it is restricted, a paper list's name,
an inspection event's type name (its sealed event is bound to it and to its version:
:data:`ALSO_BOUND`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ledger.errors import LedgerError
from projections.store.sealing import JOIN, Sealer, damaged

#: A column's codec: ("token", the kind of value) or ("seal", the column's meaning).
Codec = tuple[str, str]


def _token(kind: str) -> Codec:
    return ("token", kind)


def _seal(meaning: str) -> Codec:
    return ("seal", meaning)


_ITEM = {
    "key": _token("key"),
    "report": _token("report"),
    "owner": _seal("owner"),
    "place": _seal("place"),
    "head": _seal("line"),
    "tail": _seal("line"),
    "state": _seal("state"),
    "pending": _seal("pending"),
}
#: Per table: the column whose token a row's sealed values are bound to (the row's item,
#: report, committee ...), and the codec of each column that is not clear.
CODECS: dict[str, tuple[str, dict[str, Codec]]] = {
    "ragw_reports": (
        "code",
        {
            "code": _token("report"),
            "title": _seal("title"),
            "inspectorates": _seal("inspectorates"),
            "inspection": _seal("inspection"),
            "origin": _seal("origin"),
        },
    ),
    "ragw_committees": (
        "code",
        {"stream": _token("stream"), "code": _token("committee"), "name": _seal("name")},
    ),
    "ragw_meetings": ("committee", {"committee": _token("committee"), "paper": _seal("paper")}),
    "ragw_inspections": ("stream", {"stream": _token("stream"), "event": _seal("inspection")}),
    "ragw_reviews": ("committee", {"committee": _token("committee"), "reports": _seal("reviews")}),
    "ragw_spans": ("key", _ITEM),
    "ragw_board": ("key", _ITEM),
    "ragw_board_open": ("key", _ITEM),
    "ragw_paper_rows": (
        "key",
        {"committee": _token("committee"), "key": _token("key"), "report": _token("report")},
    ),
    "ragw_paper_lines": (
        "key",
        {
            "committee": _token("committee"),
            "key": _token("key"),
            "place": _seal("place"),
            "owner": _seal("owner"),
            "line": _seal("paper line"),
        },
    ),
    "ragw_verdicts": (
        "key",
        {
            "org": _token("org"),
            "key": _token("key"),
            "reason": _seal("reason"),
            "actor": _seal("actor"),
        },
    ),
}


#: Per table, the clear columns a row's sealed values are bound to as well as its token:
#: an inspection's event is read as the type its row names, in the place its version
#: gives it in its stream, so a row whose type or version was edited must not open.
ALSO_BOUND: dict[str, tuple[str, ...]] = {"ragw_inspections": ("version", "type")}


def _binder(table: str, order: list[str], query: str | None = None) -> Callable[[Any, str], str]:
    """What a row of ``table`` (its columns in ``order``) seals its values for, given
    the row and its token: the token, with the clear columns the table binds too."""
    also = ALSO_BOUND.get(table, ())
    missing = [name for name in also if name not in order]
    assert not missing, f"{query or table}: sealed values read without {', '.join(missing)}"
    places = [order.index(name) for name in also]
    if not places:
        return lambda row, token: token
    return lambda row, token: JOIN.join([token, *(str(row[index]) for index in places)])


def names(columns: str) -> list[str]:
    """The names of a list of columns as the schema writes them (``"a, b, c"``)."""
    return [name.strip() for name in columns.split(",")]


def seal_rows(
    sealer: Sealer, table: str, columns: str, rows: Iterable[Sequence[Any]]
) -> list[list[Any]]:
    """``rows`` of ``columns`` of ``table`` as the sealed model stores them. A row's place
    and its line's two halves (``head``, ``tail``) are sealed as one value, in ``head``,
    so a board row opens with one decryption; ``tail`` is left empty."""
    binding, codecs = CODECS[table]
    order = names(columns)
    bound = order.index(binding)
    kind = codecs[binding][1]
    plan = [(index, codecs.get(name)) for index, name in enumerate(order)]
    line = ("head" in order) and (order.index("place"), order.index("head"), order.index("tail"))
    binder = _binder(table, order)
    sealed_rows = []
    for row in rows:
        row_token = sealer.token(row[bound], kind)
        binding = binder(row, row_token)
        made = list(row)
        for index, codec in plan:
            if codec is None:
                continue
            value = row[index]
            if line and index == line[1]:
                value = JOIN.join((row[line[0]], row[line[1]], row[line[2]]))
            elif line and index == line[2]:
                made[index] = ""
                continue
            if codec[0] == "token":
                made[index] = row_token if index == bound else sealer.token_or_none(value, codec[1])
            else:
                made[index] = sealer.seal(value, codec[1], binding)
        sealed_rows.append(made)
    return sealed_rows


def open_line(sealer: Sealer, sealed: str, key_token: str) -> tuple[str, str, str]:
    """A sealed board row's (place, head, tail)."""
    place, head, tail = str(sealer.open(sealed, "line", key_token)).split(JOIN)
    return place, head, tail


#: The columns a query selects and the table it reads first (a union's other tables
#: have the same columns: the board's two tables and the spans).
_SELECT = re.compile(r"\s*SELECT\s+(.*?)\s+FROM\s+(\w+)", re.S | re.I)


def open_rows(sealer: Sealer, query: str, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The rows ``query`` read from a sealed model, opened: each token its value, each
    sealed value its text (a query reading a sealed column selects the column whose
    token the row's values are bound to, e.g. ``key``). A column is known by its name,
    or the name after ``AS``; a computed one (``COUNT(*)``) stays as read."""
    match = _SELECT.match(query)
    assert match is not None, query
    selected, table = match.groups()
    order = [part.split()[-1] for part in selected.split(",")]
    binding, codecs = CODECS[table]
    bound = order.index(binding) if binding in order else None
    plan = [(index, codecs[name]) for index, name in enumerate(order) if name in codecs]
    sealing = any(how == "seal" for _, (how, _) in plan)
    binder = _binder(table, order, query) if sealing else None
    opened = []
    for row in rows:
        made = list(row)
        for index, (how, meaning) in plan:
            value = row[index]
            if value is None:
                continue
            if how == "token":
                made[index] = sealer.untoken(value, meaning)
            else:
                assert bound is not None and binder is not None, (
                    f"{query}: a sealed value read without {binding}"
                )
                made[index] = sealer.open(value, meaning, binder(row, row[bound]))
        opened.append(tuple(made))
    return opened


def open_stored(
    sealer: Sealer, table: str, columns: str, rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` of ``columns`` of ``table`` as :func:`seal_rows` stored them, opened
    back into the rows it was given (what ``verify`` compares with the rows the events
    give): a board row's place from its own sealed value (and, if the place sealed
    with its line differs, both), its line's halves from the one sealed with it, and
    its empty ``tail`` column as empty (whatever else it holds, as it is)."""
    if table not in CODECS:
        return [tuple(row) for row in rows]
    binding, codecs = CODECS[table]
    order = names(columns)
    bound = order.index(binding)
    line = ("head" in order) and (order.index("head"), order.index("tail"), order.index("place"))
    plan = [
        (index, codecs[name])
        for index, name in enumerate(order)
        if name in codecs and name not in ("head", "tail")
    ]
    binder = _binder(table, order)
    opened = []
    for row in rows:
        made = list(row)
        row_token = row[bound]
        try:
            for index, (how, meaning) in plan:
                value = row[index]
                if value is not None:
                    made[index] = (
                        sealer.untoken(value, meaning)
                        if how == "token"
                        else sealer.open(value, meaning, binder(row, row_token))
                    )
            if line:
                place, made[line[0]], tail = open_line(sealer, row[line[0]], row_token)
                # what reads use (the place sorted by, the tail printed) is what is
                # compared: the place sealed in the line must be the row's own, and the
                # tail column, which holds nothing, must hold nothing
                if place != made[line[2]]:
                    made[line[2]] = f"{made[line[2]]} (its line's: {place})"
                made[line[1]] = tail if row[line[1]] == "" else row[line[1]]
        except LedgerError:  # verify names the row: its table, and its item or stream
            raise damaged(_row_name(sealer, table, row[bound], codecs[binding][1])) from None
        opened.append(tuple(made))
    return opened


def _row_name(sealer: Sealer, table: str, token: str, kind: str) -> str:
    """A stored row, as ``verify`` names one: its table, and its item (report, stream
    ...) when its token opens."""
    try:
        return f"{table}, {sealer.untoken(token, kind)}"
    except LedgerError:
        return table
