"""Addressees read for grouping: a few well-known bodies by a table, any other by a rule
(letters' case, runs of spaces, a leading "the" or "all", trailing punctuation)."""

from __future__ import annotations

import pytest

from ledger.addressees import MAX_ADDRESSEES, addressee_group, clean_addressees, groups_of
from ledger.errors import InvalidInputError


@pytest.mark.parametrize(
    ("written", "group"),
    [
        ("all chief constables", "chief constables"),
        ("Chief Constables", "chief constables"),
        ("All  Chief\tConstables.", "chief constables"),
        ("NPCC lead", "npcc lead"),
        ("the NPCC", "npcc lead"),
        ("National Police Chiefs' Council", "npcc lead"),
        ("College of Policing", "college of policing"),
        ("the College", "college of policing"),
        ("The Home Office", "home office"),
        ("Home Office;", "home office"),
        ("the force", "the force"),
        ("Force", "the force"),
        ("Police and Crime Commissioners", "police and crime commissioners"),
        ("National Lead for Firearms", "national lead for firearms"),
        ("the  Crown Prosecution Service", "crown prosecution service"),
    ],
)
def test_an_addressee_is_grouped_by_the_name_its_body_goes_by(written: str, group: str) -> None:
    assert addressee_group(written) == group


def test_addressees_are_kept_as_written_once_each_in_the_order_given() -> None:
    given = [" the Home Office ", "Home Office", "College of Policing"]
    assert clean_addressees(given) == ("the Home Office", "College of Policing")
    assert groups_of(["Home Office", "College of Policing", "home office"]) == (
        "home office",
        "college of policing",
    )


@pytest.mark.parametrize(
    "given",
    [
        [""],
        ["."],
        ["x" * 201],
        [f"Body {n}" for n in range(MAX_ADDRESSEES + 1)],
        ["Home\x00Office"],
    ],
)
def test_an_empty_unwritable_or_overlong_addressee_or_too_many_are_refused(
    given: list[str],
) -> None:
    with pytest.raises(InvalidInputError):
        clean_addressees(given)
