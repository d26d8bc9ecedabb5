"""Text as the read model stores it and papers print it: one-line JSON, rows rendered
once, and refs in the order reports number them."""

from __future__ import annotations

import re

from ledger.formats import compact as compact


class JSONText(str):
    """Text that is already JSON (a row rendered once), printed as it is."""

    __slots__ = ()


def ref_order(ref: str) -> str:
    """Refs sort as the reports number them (2, 4, 4a, 4b, 10): numbers padded, so the
    order is plain text order, in Python and in SQL alike; then the ref as written, so
    refs that read as one number (``1`` and ``01``) are two places, never one (a space
    sorts before every character a ref holds, so the order of refs that read apart is
    the padded one's)."""
    if ref.isdigit():  # most are
        return f"{ref.zfill(12)} {ref}"
    return f"{_NUMBER.sub(lambda number: number.group().zfill(12), ref)} {ref}"


_NUMBER = re.compile(r"[0-9]+")
