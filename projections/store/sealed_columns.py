"""Which column of the read model stays clear, which is a token and which is sealed,
for an encrypted ledger's model (:mod:`projections.store.sealing` says why each kind),
and the rows made so as they are written and opened again as they are read.

Every column not named here stays clear: days and moments, versions, counts, status
and relevance codes, a report's scope, whether it is restricted, a paper list's name,
an inspection event's type name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from projections.store.sealing import JOIN, Sealer

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
    sealed_rows = []
    for row in rows:
        row_token = sealer.token(row[bound], kind)
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
                made[index] = sealer.seal(value, codec[1], row_token)
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
                assert bound is not None, f"{query}: a sealed value read without {binding}"
                made[index] = sealer.open(value, meaning, row[bound])
        opened.append(tuple(made))
    return opened


def open_stored(
    sealer: Sealer, table: str, columns: str, rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` of ``columns`` of ``table`` as :func:`seal_rows` stored them, opened
    back into the rows it was given (what ``verify`` compares with the rows the events
    give): a board row's place from its own sealed value, its line's halves from the
    one sealed with it."""
    if table not in CODECS:
        return [tuple(row) for row in rows]
    binding, codecs = CODECS[table]
    order = names(columns)
    bound = order.index(binding)
    line = ("head" in order) and (order.index("head"), order.index("tail"))
    plan = [
        (index, codecs[name])
        for index, name in enumerate(order)
        if name in codecs and name not in ("head", "tail")
    ]
    opened = []
    for row in rows:
        made = list(row)
        row_token = row[bound]
        for index, (how, meaning) in plan:
            value = row[index]
            if value is not None:
                made[index] = (
                    sealer.untoken(value, meaning)
                    if how == "token"
                    else sealer.open(value, meaning, row_token)
                )
        if line:
            _, made[line[0]], made[line[1]] = open_line(sealer, row[line[0]], row_token)
        opened.append(tuple(made))
    return opened
