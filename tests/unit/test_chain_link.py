"""The chain's link of one stored row: a row in its store's canonical form hashes as it
always did (so every ledger written before still verifies, with the same digest on
SQLite and PostgreSQL), and no two stored rows, differing in a value or only in a
value's type, share a link."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from ledger.chain import GENESIS, Odd, link
from ledger.links import links_of

STREAM = UUID("792265c0-de38-55c6-b91b-3912cc8d5b64")
TOPIC = "events.status:StatusChanged"
STATE = b'{"status":"AMBER"}'

positions = st.integers(-(2**63), 2**63 - 1)
streams = st.uuids()
versions = st.integers(-(2**63), 2**63 - 1)
topics = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=40
)
states = st.binary(max_size=64)
previous_links = st.sampled_from([GENESIS, "9f" * 32])
rows = st.tuples(positions, streams, versions, topics, states)


def test_a_canonical_row_has_the_link_the_chain_gave_it_before() -> None:
    """Pinned from the code that wrote every existing ledger's links."""
    expected = "940cc85c3c0850562875da5fe55a4dd016e53ebbf38788749bb684d8436f0e36"
    assert link(GENESIS, 7, STREAM, 3, TOPIC, STATE) == expected
    assert link(GENESIS, 7, STREAM.hex, 3, TOPIC, STATE) == expected


@given(previous_links, rows)
def test_canonical_rows_hash_exactly_the_bytes_hashed_before(
    previous: str, row: tuple[int, UUID, int, str, bytes]
) -> None:
    position, stream, version, topic, state = row
    before = hashlib.sha256(previous.encode())
    before.update(f"\n{position}\n{stream.hex}\n{version}\n{topic}\n".encode())
    before.update(state)
    assert link(previous, *row) == before.hexdigest()
    # SQLite stores the stream as 32 hex digits, PostgreSQL as a uuid: one link.
    assert link(previous, position, stream.hex, version, topic, state) == before.hexdigest()


@given(previous_links, rows, rows)
def test_two_canonical_rows_that_differ_never_share_a_link(
    previous: str, one: tuple[Any, ...], other: tuple[Any, ...]
) -> None:
    if one != other:
        assert link(previous, *one) != link(previous, *other)


def _retyped(value: Any) -> list[Any]:
    """The same value stored as other types: what an edit of a column's type gives."""
    if isinstance(value, UUID):
        return [
            str(value),
            value.hex.upper(),
            str(value).upper(),
            value.bytes,
            Odd("postgres text", value.hex),
            Odd("sqlite blob", value.hex.encode()),
            None,
        ]
    if isinstance(value, int):
        return [str(value), float(value), Odd("sqlite text", str(value)), bool(value % 2), None]
    if isinstance(value, str):
        return [value.encode(), Odd("postgres character varying", value), None]
    return [
        value.decode("latin-1"),
        bytearray(value),
        memoryview(value),
        Odd("sqlite text", value),
        None,
    ]


@given(previous_links, rows)
def test_a_value_of_another_type_never_gives_its_rows_link(
    previous: str, row: tuple[Any, ...]
) -> None:
    """A dashed or upper-case id, a version as text, a state as text, a NULL: each
    hashed with its type, never as the canonical value it reads as."""
    canonical = link(previous, *row)
    for column, value in enumerate(row):
        for other in _retyped(value):
            changed = list(row)
            changed[column] = other
            assert link(previous, *changed) != canonical, (column, other)


@given(
    previous_links,
    st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False),
            st.text(max_size=8),
            st.binary(max_size=8),
            st.builds(Odd, st.sampled_from(["sqlite text", "postgres text"]), st.text(max_size=8)),
        ),
        min_size=5,
        max_size=5,
    ),
    st.lists(
        st.one_of(st.none(), st.integers(), st.text(max_size=8), st.binary(max_size=8)),
        min_size=5,
        max_size=5,
    ),
)
def test_rows_of_any_types_share_a_link_only_when_equal_value_for_value_and_type(
    previous: str, one: list[Any], other: list[Any]
) -> None:
    def typed(values: list[Any]) -> list[tuple[str, Any]]:
        return [(type(v).__name__, repr(v)) for v in values]

    if typed(one) != typed(other):
        assert link(previous, *one) != link(previous, *other)
    else:
        assert link(previous, *one) == link(previous, *other)


def test_a_topic_holding_a_newline_cannot_pass_part_of_itself_off_as_the_state() -> None:
    """Hashed as before, topic 'a\\nb' with state 'c' would read as topic 'a' with state
    'b\\nc'; a topic with a newline is no topic ragw writes, so it is hashed typed."""
    assert link(GENESIS, 1, STREAM, 1, "a\nb", b"c") != link(GENESIS, 1, STREAM, 1, "a", b"b\nc")


def test_values_hashed_with_their_types_cannot_pass_their_ends_to_the_next() -> None:
    """Each typed value carries its length: text moved from the end of one column to the
    start of the next is another row."""
    one = ["a", "bstr:c", None, None, None]
    other = ["astr:b", "c", None, None, None]
    assert link(GENESIS, *one) != link(GENESIS, *other)


# A few stream ids, each one object, so that rows share them as an aggregate's events do:
# canonical ones (a UUID, its hex) and ones that are not (dashed, upper-case, bytes).
_STREAM_IDS = [STREAM, STREAM.hex, str(STREAM), STREAM.hex.upper(), STREAM.bytes]
batch_rows = st.lists(
    st.tuples(
        st.sampled_from(_STREAM_IDS),
        st.one_of(versions, st.just("3")),
        st.one_of(st.sampled_from([TOPIC, "a\nb"]), topics),
        st.one_of(states, st.just(bytearray(b"{}")), st.just("{}")),
    ),
    max_size=12,
)


@given(previous_links, positions, batch_rows)
def test_a_batch_of_rows_is_linked_as_each_row_is_linked_after_the_one_before(
    previous: str, first: int, rows: list[tuple[Any, Any, Any, Any]]
) -> None:
    """The batch's links (a stream's id checked once for its run of rows) are the links
    of its rows one by one: a stream id not canonical, shared by the next row, or
    a row with another value off its type, never passes as canonical."""
    at = list(range(first, first + len(rows)))
    expected, before = [], previous
    for position, row in zip(at, rows, strict=True):
        before = link(before, position, *row)
        expected.append(before)
    assert list(links_of(previous, at, rows)) == expected


def test_a_stream_id_found_odd_in_one_row_is_not_taken_as_canonical_in_the_next() -> None:
    upper = STREAM.hex.upper()
    rows = [(upper, 1, TOPIC, "not bytes"), (upper, 2, TOPIC, STATE)]
    links = list(links_of(GENESIS, [1, 2], rows))
    assert links[1] == link(links[0], 2, upper, 2, TOPIC, STATE)
    assert links[1] != link(links[0], 2, STREAM.hex, 2, TOPIC, STATE)
