"""The link of one stored event: a SHA-256 over the link before it and the event's
stored row, each value of it hashed as the store holds it, type included (see
:func:`link`). :mod:`ledger.chain` chains the links, writes and walks them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID


def link(previous: str, position: int, stream: Any, version: int, topic: str, state: Any) -> str:
    """The link of one stored event, given the link before it.

    A row in its store's canonical form (a whole-number position and version, the
    stream as a UUID or its 32 lower-case hex digits, a one-line text topic, the state
    as bytes) is hashed as it always was, so every link written before still matches
    and a history gives the same digest on SQLite and on PostgreSQL. Any other row (a
    value of another type, or one the reader marked :class:`Odd`) is hashed with each
    value's type, length and bytes behind a marker no canonical row can produce: it
    never matches the link its canonical row was given."""
    if _canonical(position, stream, version, topic, state):
        # The link before and the row's header as one text: the same bytes hashed as
        # when each was its own update, in about half the time (a batch links each row).
        digest = _sha256(f"{previous}\n{position}\n{_hex(stream)}\n{version}\n{topic}\n".encode())
        digest.update(state)
        return digest.hexdigest()
    digest = _sha256(previous.encode())
    digest.update(_TYPED)
    for value in (position, stream, version, topic, state):
        digest.update(_typed(value))
    return digest.hexdigest()


@dataclass(frozen=True)
class Odd:
    """A stored value that is not of its column's canonical type, with the type the
    store holds it as (``"sqlite text"``, ``"postgres varchar"``): read so, a value whose
    type was changed is never taken for the value it was."""

    kind: str
    value: Any


#: What follows the previous link in a row hashed with its types; a canonical row has
#: a newline there.
_TYPED = b"\x00typed"
_STREAM = re.compile("[0-9a-f]{32}")
_TOPICS: set[str] = set()
_SURROGATE = re.compile("[\ud800-\udfff]")
_sha256 = hashlib.sha256


def _canonical(position: Any, stream: Any, version: Any, topic: Any, state: Any) -> bool:
    return (
        type(position) is int
        and type(version) is int
        and type(state) is bytes
        and type(topic) is str
        and (topic in _TOPICS or _canonical_topic(topic))
        and _canonical_stream(stream)
    )


def links_of(
    previous: str, positions: Iterable[int], rows: Iterable[Sequence[Any]]
) -> Iterator[str]:
    """The link of each of ``rows`` (stream, version, topic, state) stored at
    ``positions``, in turn, the first linked after ``previous``: each what :func:`link`
    gives its row, in a batch's time. An aggregate's events come together, so a stream's
    id is checked once for its run of rows, not once a row."""
    sha256 = _sha256
    checked: Any = None  # the stream whose id was last found canonical
    for at, (stream, version, topic, state) in zip(positions, rows, strict=True):
        if (
            type(at) is int
            and type(state) is bytes
            and type(version) is int
            and type(topic) is str
            and (topic in _TOPICS or _canonical_topic(topic))
            and (stream is checked or _canonical_stream(stream))
        ):
            checked = stream
            name = stream if type(stream) is str else stream.hex
            digest = sha256(f"{previous}\n{at}\n{name}\n{version}\n{topic}\n".encode())
            digest.update(state)
            previous = digest.hexdigest()
        else:
            previous = link(previous, at, stream, version, topic, state)
        yield previous


def _canonical_stream(stream: Any) -> bool:
    return type(stream) is UUID or (type(stream) is str and _STREAM.fullmatch(stream) is not None)


def _canonical_topic(topic: str) -> bool:
    """A topic hashed as it stands: one line (a newline would let the topic's end pass
    for the state's start), all of it text UTF-8 can encode. The few topics a ledger
    holds are remembered once seen."""
    if "\n" in topic or _SURROGATE.search(topic):
        return False
    if len(_TOPICS) < 1000:
        _TOPICS.add(topic)
    return True


def _typed(value: Any) -> bytes:
    """``value`` unambiguously: its type's name and its bytes, each preceded by its
    length."""
    kind = type(value).__name__
    if isinstance(value, Odd):
        kind, value = f"{value.kind}/{type(value.value).__name__}", value.value
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
    elif isinstance(value, str):
        raw = value.encode("utf-8", "surrogatepass")
    elif isinstance(value, float):
        raw = value.hex().encode()
    elif value is None:
        raw = b""
    else:
        raw = repr(value).encode("utf-8", "backslashreplace")
    name = kind.encode("utf-8", "backslashreplace")
    return b"%d:%s%d:%s" % (len(name), name, len(raw), raw)


def _hex(stream: Any) -> str:
    """A canonical stream id as 32 hex digits: SQLite stores it so, PostgreSQL as a uuid."""
    return stream.hex if isinstance(stream, UUID) else str(stream)
