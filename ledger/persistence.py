"""Kept so that older imports work: storage now lives in :mod:`ledger.storage`."""

from __future__ import annotations

from ledger.storage.mapper import PydanticMapper
from ledger.storage.settings import encryption_env, is_postgres, redact, storage_env

__all__ = ["PydanticMapper", "encryption_env", "is_postgres", "redact", "storage_env"]
