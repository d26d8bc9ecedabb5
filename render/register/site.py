"""Every file of the public register, by its path in the site, from one value.

Pages link to each other by relative addresses, so the same pages read alike as files
on a disk, from any web server, and from ``ragw serve --public`` (which gives a
``link_query``, ``?as_at=...``, so a reader following links stays on the day asked for).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from render.register.data import as_csv, as_json

if TYPE_CHECKING:
    from projections.usecases.publishing import PublicRegister, PublicReport

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
    return env


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


def site(register: PublicRegister, *, link_query: str = "") -> dict[str, bytes]:
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

    def page(template: str, root: str, **values: Any) -> bytes:
        return env.get_template(template).render(**shared, root=root, **values).encode("utf-8")

    files: dict[str, bytes] = {
        "index.html": page("index.html.j2", ""),
        STYLE: env.get_template(STYLE).render().encode("utf-8"),
        "recommendations.csv": as_csv(register),
        "recommendations.json": as_json(register),
    }
    for report in register.reports:
        files[report_pages[(report.issuer, report.code)]] = page(
            "report.html.j2", "../", report=report, rows=by_recommendation(report)
        )
    for member in register.members:
        held = [r for r in register.reports if any(e.org == member.code for e in r.entries)]
        files[org_pages[member.code]] = page(
            "organisation.html.j2", "../", member=member, reports=held
        )
    return files


def by_recommendation(report: PublicReport) -> list[tuple[str, str, list[Any]]]:
    """Each recommendation of ``report`` (ref, text) with every organisation's entry."""
    grouped: dict[str, tuple[str, str, list[Any]]] = {}
    for entry in report.entries:
        grouped.setdefault(entry.ref, (entry.ref, entry.text, []))[2].append(entry)
    return list(grouped.values())
