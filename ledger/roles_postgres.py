"""Kept so that older imports work: see :mod:`ledger.storage.roles_postgres`."""

from __future__ import annotations

from ledger.storage.roles_postgres import GROUP_OF, READER, WRITER, add_login, init_roles

__all__ = ["GROUP_OF", "READER", "WRITER", "add_login", "init_roles"]
