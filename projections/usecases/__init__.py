"""The use cases every front end calls: one function for each thing a user can ask
for (board, history, log, summary, appendix, paper, update sheet, export, verify, the
sign-off queue, committees, meetings, roles) and for the writes that are more than one
ledger call (a file to import, apply or restore; what a request now awaits).

Each takes a :class:`LedgerSession` and plain values (dates, strings, flags) and
returns data, or raises a :class:`ledger.errors.LedgerError`; the command line parses,
calls one, and renders, and a web page will call the same one. The session opens the
ledger on first use and decides, in one place, which read path serves a read: the
stored read model (an encrypted ledger's kept sealed), or a fold of the log.

Why here: a use case reads the ledger (``ledger``) and the read models
(``projections``), so it sits just inside the front ends, which import inward; it
cannot live in ``ledger``, which knows nothing of the read models, and it must not
live in ``cli``, which a web front end does not import. Nothing here imports click,
prints, or reads the environment: settings (where the ledger is, its key) reach the
session as arguments, through the ``open_ledger`` the front end passes in.

Modules: ``session`` (the lazily opened ledger and read model, the read path, the
actor), ``board`` (board, sign-off queue, board export, update sheet), ``events``
(history, log, backup), ``papers`` (committees, meetings, summary, appendix, paper,
pinning an issued paper), ``integrity`` (verify, rebuild), ``follow`` (keeping the
read model up to date), ``access`` (roles, the PostgreSQL roles and logins, what a
request awaits), ``files`` (import, apply, restore).
"""

from __future__ import annotations

from projections.usecases.session import LedgerSession, Progress, no_progress

__all__ = ["LedgerSession", "Progress", "no_progress"]
