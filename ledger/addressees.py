"""Who a recommendation is addressed to: kept as the report wrote it ("Chief Constables",
"the Home Office"), and read for grouping as one name per body.

A report names the same body many ways: "all chief constables", "Chief Constables",
"chief constables"; "the College", "College of Policing". :func:`addressee_group` reads
each as the name its group goes by: a few well-known bodies by a table
(:data:`WELL_KNOWN`), any other by a rule: letters' case, runs of spaces, a leading
"the" or "all" and trailing punctuation do not matter. Nothing is inferred from an
addressee: an item addressed to the NPCC lead may still need the force's response
(whether it is the force's to act on is said on its own, as its relevance).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ledger.errors import InvalidInputError
from ledger.inputs import check_name, clean_text

#: How many addressees one item may name.
MAX_ADDRESSEES = 20
#: Longest addressee, in characters: a body's name, not a text.
MAX_ADDRESSEE = 200

#: Well-known addressees by their ways of writing (as the rule reads them, without a
#: leading "the" or "all") -> the name their group goes by.
WELL_KNOWN: dict[str, str] = {
    **dict.fromkeys(
        ("chief constables", "chief constable", "chief officers", "chief officer"),
        "chief constables",
    ),
    **dict.fromkeys(
        (
            "npcc",
            "npcc lead",
            "national police chiefs council",
            "national police chiefs' council",
            "national police chiefs’ council",
            "national police chiefs council lead",
        ),
        "npcc lead",
    ),
    **dict.fromkeys(("college of policing", "college"), "college of policing"),
    **dict.fromkeys(("home office", "home secretary"), "home office"),
    **dict.fromkeys(
        ("force", "forces", "this force", "constabulary", "police force", "our force"),
        "the force",
    ),
    **dict.fromkeys(
        ("police and crime commissioner", "police and crime commissioners", "pcc", "pccs"),
        "police and crime commissioners",
    ),
}

_SPACES = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:(?:the|all)\s+)+")


def addressee_group(written: str) -> str:
    """The name ``written``'s group goes by: ``"all Chief Constables"`` -> ``"chief
    constables"``; ``"The Home Office"`` -> ``"home office"``; ``"the force"`` and
    ``"Force"`` -> ``"the force"``; any other body in lower case, its spaces single,
    without a leading "the" or "all" and trailing punctuation."""
    plain = _SPACES.sub(" ", written.casefold()).strip().rstrip(".,;:").strip()
    plain = _LEADING.sub("", plain)
    return WELL_KNOWN.get(plain, plain)


def groups_of(written: Sequence[str]) -> tuple[str, ...]:
    """Each addressee's group, in the order given, each once."""
    return tuple(dict.fromkeys(addressee_group(name) for name in written))


def clean_addressees(values: Sequence[str] | None) -> tuple[str, ...]:
    """The addressees as given, trimmed, each once (as their group reads them: "Home
    Office" and "the Home Office" are one), in the order given; refused when one is
    empty, unwritable or too long, or when there are too many."""
    found: dict[str, str] = {}
    for value in values or ():
        # A name, not a text: one line, nothing that reorders how it shows.
        text = check_name(clean_text(value, "an addressee", required=True) or "", "an addressee")
        if len(text) > MAX_ADDRESSEE:
            raise InvalidInputError(
                "an addressee is {length} characters long; the limit is {limit} (a body's "
                "name, such as the Home Office)",
                length=len(text),
                limit=MAX_ADDRESSEE,
            )
        group = addressee_group(text)
        if not group:
            raise InvalidInputError(
                'the addressee "{text}" names no one; give a body such as the Home Office',
                text=text,
            )
        found.setdefault(group, text)
    if len(found) > MAX_ADDRESSEES:
        raise InvalidInputError(
            "{count} addressees given; the limit is {limit}",
            count=len(found),
            limit=MAX_ADDRESSEES,
        )
    return tuple(found.values())
