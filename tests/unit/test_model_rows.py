"""The rows the read model derives are made once for the follower and for verify; the
board line a span keeps around ``overdue`` is made straight from the state's fields, and
is byte for byte the line the board prints of that state, whatever the texts hold."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from events import Kind, Request, Status
from ledger.state import ItemState, Pending
from projections.rows import BoardItem
from projections.store.derive import board_json

TEXTS = st.text(max_size=12)
MAYBE = st.none() | TEXTS
DAYS = st.dates(date(2000, 1, 1), date(2040, 12, 31))
PENDING = st.none() | st.builds(
    Pending,
    st.sampled_from(list(Request)),
    DAYS,
    TEXTS,
    TEXTS,
    st.tuples(TEXTS),
    st.none() | DAYS,
    st.integers(1, 99),
)
STATES = st.builds(
    ItemState,
    report=st.text("ABC19", min_size=1, max_size=6),
    ref=st.text("0123.", min_size=1, max_size=4),
    kind=st.sampled_from(list(Kind)),
    text=TEXTS,
    issued_on=DAYS,
    owner=MAYBE,
    lead=MAYBE,
    status=st.none() | st.sampled_from(list(Status)),
    due=st.none() | DAYS,
    comment=MAYBE,
    pending=PENDING,
    reminded=st.none() | DAYS,
)


@given(state=STATES, scope=st.sampled_from(["national", "force"]))
def test_the_kept_board_line_is_the_line_the_board_prints(state: ItemState, scope: str) -> None:
    assert board_json(state, scope) == BoardItem.of(state, scope, date.min).json_around_overdue()
