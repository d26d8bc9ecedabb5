"""The read model's rows as verify tallies them: a row's hash tells values of different
types apart, so a column whose type was changed (a flag for a number, text for a
number, bytes for text) fails the comparison even where the values read alike."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from events.base import Status
from projections.store.stored_rows import row_hash

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.binary(max_size=8),
)


@given(st.lists(values, min_size=1, max_size=4), st.lists(values, min_size=1, max_size=4))
def test_rows_hash_alike_only_when_equal_value_for_value_and_type(
    one: list[Any], other: list[Any]
) -> None:
    def typed(row: list[Any]) -> list[tuple[type, str]]:
        return [(type(value), repr(value)) for value in row]

    assert (row_hash(tuple(one)) == row_hash(tuple(other))) == (typed(one) == typed(other))


def test_a_flag_a_number_and_its_text_are_three_rows() -> None:
    assert len({row_hash((True,)), row_hash((1,)), row_hash(("1",)), row_hash((b"1",))}) == 4


def test_a_text_kind_hashes_as_the_text_it_is() -> None:
    assert row_hash((Status.AMBER,)) == row_hash(("AMBER",))
