"""How the ledger writes values as text: one-line JSON as boards print an item, and
moments in UTC as backups and the log print them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

#: JSON as the board prints an item: one line, no spaces, text as written.
compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
