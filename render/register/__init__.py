"""The public register as a static site: an index of reports, a page per report and
per organisation, one small style sheet and the open data (``recommendations.csv``,
``recommendations.json``); written by ``ragw publish`` and served by ``ragw serve
--public`` from the same :func:`site`."""

from __future__ import annotations

from render.register.files import MARK, RegisterRefused, write_site
from render.register.site import site

__all__ = ["MARK", "RegisterRefused", "site", "write_site"]
