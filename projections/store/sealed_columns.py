"""Which column of the read model stays clear, which is a token and which is sealed,
for an encrypted ledger's model (:mod:`projections.store.sealing` says why each kind),
and the rows made so as they are written and opened again as they are read.

Every column not named here stays clear: days and moments, versions, counts, status
and relevance codes, a report's scope, whether it is restricted, a paper list's name,
an inspection event's type name.
"""

from __future__ import annotations

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
