"""Every file of the public register, by its path in the site, from one value.

Pages link to each other by relative addresses, so the same pages read alike as files
on a disk, from any web server, and from ``ragw serve --public`` (which gives a
``link_query``, ``?as_at=...``, so a reader following links stays on the day asked for).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from render.register.data import as_csv, as_json, rows

if TYPE_CHECKING:
    from projections.usecases.publishing import PublicEntry, PublicRegister, PublicReport

STYLE = "style.css"
#: Whatever a file name may hold on any file system and in any address, unescaped.
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("render", "templates/register"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["status_text"] = status_text
    env.filters["verdict_text"] = verdict_text
    return env


def status_text(entry: PublicEntry) -> str:
    """An organisation's status as its row shows it, with why it no longer counts."""
    said = entry.status
    if entry.superseded_by:
        said += f" (superseded by {entry.superseded_by})"
    if entry.not_for_the_force:
        said += " (not for the organisation to act on)"
    return said


def verdict_text(entry: PublicEntry) -> str:
    """The inspectorate's verdict as a row shows it: the word, since when, and why."""
    if entry.verdict is None:
        return "no verdict"
    by = f" by {entry.verdict_by}" if entry.verdict_by else ""
    since = f" (from {entry.verdict_on.isoformat()})" if entry.verdict_on else ""
    why = f": {entry.verdict_reason}" if entry.verdict_reason else ""
    return f"{entry.verdict}{by}{since}{why}"


class Names:
    """Safe, distinct file names: lower case (file systems that ignore case), nothing
    but letters, digits, ``-`` and ``_``, and a number added where two would meet."""

    def __init__(self) -> None:
        self.given: dict[tuple[str, ...], str] = {}
        self.taken: set[str] = set()

    def __call__(self, folder: str, *parts: str) -> str:
        if (folder, *parts) not in self.given:
            stem = _UNSAFE.sub("_", "-".join(parts).lower()).strip("_") or "page"
            name, n = stem, 1
            while f"{folder}/{name}.html" in self.taken:
                n += 1
                name = f"{stem}-{n}"
            self.taken.add(f"{folder}/{name}.html")
            self.given[(folder, *parts)] = f"{folder}/{name}.html"
        return self.given[(folder, *parts)]


class Site(Mapping[str, bytes]):
    """The register's files by path, each made when it is first read: a front end that
    serves one page makes that page alone."""

    def __init__(self, makers: dict[str, Callable[[], bytes]]) -> None:
        self._makers = makers
        self._made: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        if path not in self._made:
            self._made[path] = self._makers[path]()
        return self._made[path]

    def __contains__(self, path: object) -> bool:
        return path in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def site(register: PublicRegister, *, link_query: str = "") -> Site:
    """The register's files by path (``index.html``, ``reports/...``, ``organisations/
    ...``, the style sheet and the open data)."""
    names = Names()
    report_pages = {
        (r.issuer, r.code): names("reports", r.issuer, r.code) for r in register.reports
    }
    org_pages = {m.code: names("organisations", m.code) for m in register.members}
    members = {m.code: m for m in register.members}
    env = environment()
    shared: dict[str, Any] = {
        "register": register,
        "members": members,
        "report_pages": report_pages,
        "org_pages": org_pages,
        "q": link_query,
    }

    def page(template: str, root: str, **values: Any) -> Callable[[], bytes]:
        return lambda: env.get_template(template).render(**shared, root=root, **values).encode()

    table = cache(lambda: rows(register))
    makers: dict[str, Callable[[], bytes]] = {
        "index.html": page("index.html.j2", ""),
        STYLE: lambda: env.get_template(STYLE).render().encode(),
        "recommendations.csv": lambda: as_csv(register, table()),
        "recommendations.json": lambda: as_json(register, table()),
    }
    for report in register.reports:
        makers[report_pages[(report.issuer, report.code)]] = page(
            "report.html.j2", "../", report=report, rows=by_recommendation(report)
        )
    held: dict[str, list[tuple[PublicReport, list[PublicEntry]]]] = {}
    for report in register.reports:
        by_org: dict[str, list[PublicEntry]] = {}
        for entry in report.entries:
            by_org.setdefault(entry.org, []).append(entry)
        for org, entries in by_org.items():
            held.setdefault(org, []).append((report, entries))
    for member in register.members:
        makers[org_pages[member.code]] = page(
            "organisation.html.j2", "../", member=member, reports=held.get(member.code, [])
        )
    return Site(makers)


def by_recommendation(report: PublicReport) -> list[tuple[str, str, list[Any]]]:
    """Each recommendation of ``report`` (ref, text) with every organisation's entry."""
    grouped: dict[str, tuple[str, str, list[Any]]] = {}
    for entry in report.entries:
        grouped.setdefault(entry.ref, (entry.ref, entry.text, []))[2].append(entry)
    return list(grouped.values())
