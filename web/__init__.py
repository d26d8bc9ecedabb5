"""The ledger on the web: people sign in and use the same use cases as the command line,
through server-rendered pages and forms (``ragw serve``)."""

from __future__ import annotations
