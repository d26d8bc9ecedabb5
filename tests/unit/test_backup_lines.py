"""A backup's lines are read one by one: a line no JSON parser in Python reads (a number
longer than Python converts, however the interpreter is set) comes back as that line's
problem, never as an exception that stops the restore."""

from __future__ import annotations

import sys

import pytest

from ledger.exchange.backup import read_backup


@pytest.mark.parametrize("digits", [5000, 50_000])
def test_a_line_with_a_number_too_long_to_read_is_that_lines_problem(digits: int) -> None:
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)  # Python's default, whatever another test set
    try:
        lines = ['{"id": "R@1"}', '{"id": "R@1", "class_version": 1' + "0" * digits + "}"]
        read = list(read_backup(lines))
    finally:
        sys.set_int_max_str_digits(limit)
    assert read[0] == (1, {"id": "R@1"})
    assert read[1] == (2, "not a JSON object (a number too long to read)")
