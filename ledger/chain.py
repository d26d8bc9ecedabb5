"""Tamper evidence: every event chained to the one recorded before it.

Each stored event has a link: a SHA-256 over the link before it and the event's stored
row (its position in the log, stream, version, topic and stored bytes, exactly as the
store holds them), written in the same transaction as the event. Editing, deleting,
reordering or inserting a row breaks the chain from that row on, and ``verify`` names
the first row that no longer matches. A **digest** ``POSITION:LINK`` printed on a paper
pins the whole history up to that position: whoever holds it can check, with nothing but
``ragw verify --digest``, that the history up to it is unchanged and that everything
since only extends it (the link at that position is still the digest's).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ledger.errors import Fix, Hint, LedgerError

TABLE = "ragw_chain"
#: The link "before" the first event.
GENESIS = "0" * 64
CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (position BIGINT PRIMARY KEY, link TEXT NOT NULL)"


def link(previous: str, position: int, stream: Any, version: int, topic: str, state: Any) -> str:
    """The link of one stored event, given the link before it."""
    digest = hashlib.sha256(previous.encode())
    digest.update(f"\n{position}\n{_hex(stream)}\n{version}\n{topic}\n".encode())
    digest.update(state.encode() if isinstance(state, str) else bytes(state))
    return digest.hexdigest()


def _hex(stream: Any) -> str:
    """A stream id as 32 hex digits: SQLite stores it so, PostgreSQL as a uuid."""
    if isinstance(stream, UUID):
        return stream.hex
    text = str(stream)
    if len(text) == 32:
        return text
    try:
        return UUID(text).hex
    except ValueError:  # not a stream id ragw wrote: hashed as it stands
        return text


@dataclass(frozen=True)
class Digest:
    """The chain up to ``position``: what a paper prints and ``verify --digest`` checks."""

    position: int
    link: str

    def __str__(self) -> str:
        return f"{self.position}:{self.link}"

    @classmethod
    def parse(cls, text: str) -> Digest:
        position, sep, value = text.strip().partition(":")
        value = value.lower()
        if (
            not sep
            or not position.isdigit()
            or len(value) != 64
            or any(c not in "0123456789abcdef" for c in value)
        ):
            raise ValueError(
                f"{text!r} is not a digest; write it as printed on the paper, "
                "POSITION:64-HEX-DIGITS (e.g. 252:9f86d0…)"
            )
        return cls(int(position), value)


class ChainBrokenError(LedgerError):
    """The stored events no longer match their links: nothing more is recorded."""


_DELETED = (
    "the ledger's last recorded event (position {position}) has been deleted; "
    "nothing was recorded; {hint} and restore the ledger from a backup"
)
_UNLINKED = (
    "{count} event(s) were stored after position {position} without ragw; nothing "
    "was recorded; {hint} to see where"
)
_VERIFY = Hint.to(Fix.VERIFY)
#: A stored event as the chain reads it: position, stream, version, topic, stored bytes.
StoredRow = tuple[int, Any, int, str, Any]


class Chainer:
    """Writes the links of newly stored events, inside the transaction that stores them."""

    def __init__(self, events_table: str, *, postgres: bool) -> None:
        mark = "%s" if postgres else "?"
        position = "notification_id" if postgres else "rowid"
        self.select_last = f"SELECT position, link FROM {TABLE} ORDER BY position DESC LIMIT 1"
        self.select_between = (
            f"SELECT {position}, originator_id, originator_version, topic, state FROM "
            f"{events_table} WHERE {position} > {mark} AND {position} < {mark} "
            f"ORDER BY {position}"
        )
        self.insert = f"INSERT INTO {TABLE} (position, link) VALUES ({mark}, {mark})"
        self.select_max = f"SELECT MAX({position}) FROM {events_table}"
        self.select_stored = (
            f"SELECT {position}, originator_id, originator_version, topic, state FROM "
            f"{events_table} WHERE {position} > {mark} ORDER BY {position} LIMIT {mark}"
        )
        self.select_links = (
            f"SELECT position, link FROM {TABLE} WHERE position > {mark} "
            f"ORDER BY position LIMIT {mark}"
        )

    def check_head(self, cursor: Any) -> None:
        """Refuse to write on a chain whose last event was deleted, or that has events
        stored after its last link by anything but ragw (a ledger written before events
        were chained, with no link at all, is linked by the next write)."""
        position, _ = self.last(cursor)
        cursor.execute(self.select_max)
        top = int(cursor.fetchone()[0] or 0)
        if position and top < position:
            raise ChainBrokenError(_DELETED, position=position, hint=_VERIFY)
        if position and top > position:
            raise ChainBrokenError(_UNLINKED, count=top - position, position=position, hint=_VERIFY)

    def last(self, cursor: Any) -> tuple[int, str]:
        """The last link written: (position, link); (0, GENESIS) before the first."""
        cursor.execute(self.select_last)
        row = cursor.fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def extend(self, cursor: Any, new: list[StoredRow]) -> None:
        """Link ``new``, the events this transaction has just stored (in order), to the
        chain. A ledger written before events were chained has its events linked first;
        an event stored since the last link by anything but ragw, or a last event
        deleted, refuses the write: the history must be checked first."""
        if not new:
            return
        position, previous = self.last(cursor)
        if new[0][0] <= position:
            raise ChainBrokenError(_DELETED, position=position, hint=_VERIFY)
        cursor.execute(self.select_between, (position, new[0][0]))
        unlinked = [(int(r[0]), r[1], int(r[2]), str(r[3]), r[4]) for r in cursor.fetchall()]
        if unlinked and position:
            raise ChainBrokenError(_UNLINKED, count=len(unlinked), position=position, hint=_VERIFY)
        links = []
        for at, stream, version, topic, state in (*unlinked, *new):
            previous = link(previous, at, stream, version, topic, state)
            links.append((at, previous))
        cursor.executemany(self.insert, links)


@dataclass(frozen=True)
class Break:
    """Where the chain stops matching the stored events."""

    position: int
    stream: str | None
    version: int | None
    why: str


def walk(
    events: Iterable[tuple[int, Any, int, str, Any]], links: Iterable[tuple[int, str]]
) -> Iterator[tuple[int, str] | Break]:
    """Recompute the chain over ``events`` (position, stream, version, topic, state; in
    position order) against the stored ``links`` (position, link; in position order):
    yields each (position, link) that matches, then the first :class:`Break`, if any."""
    previous = GENESIS
    stored = iter(links)
    expected = next(stored, None)
    for position, stream, version, topic, state in events:
        name = (_hex(stream), version)
        while expected is not None and expected[0] < position:
            yield Break(expected[0], None, None, "was deleted (its link remains, its row is gone)")
            return
        if expected is None or expected[0] != position:
            yield Break(position, *name, "has no link: it was inserted outside ragw")
            return
        previous = link(previous, position, stream, version, topic, state)
        if previous != expected[1]:
            yield Break(
                position,
                *name,
                "does not match its link: it was edited, or rows were "
                "swapped, reordered or deleted before it",
            )
            return
        yield position, previous
        expected = next(stored, None)
    if expected is not None:
        yield Break(expected[0], None, None, "was deleted (its link remains, its row is gone)")


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: how many events were checked, the chain's head, and where
    it broke (None when intact); with a digest, whether the digest still holds."""

    events: int
    head: Digest
    broken: Break | None
    digest: Digest | None = None
    digest_holds: bool | None = None


def check(
    events: Iterable[StoredRow], links: Iterable[tuple[int, str]], digest: Digest | None = None
) -> Verdict:
    """Walk the whole chain; with ``digest``, also check the link at its position."""
    head, count, holds = Digest(0, GENESIS), 0, None
    for step in walk(events, links):
        if isinstance(step, Break):
            return Verdict(count, head, step, digest, holds)
        count += 1
        head = Digest(*step)
        if digest is not None and step[0] == digest.position:
            holds = step[1] == digest.link
    return Verdict(count, head, None, digest, holds)
