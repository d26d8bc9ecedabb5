"""Keys users type, and the stream ids they map to.

A report is ``CODE``; a recommendation is ``CODE/REF``; a committee has a ``CODE``
of its own (never one a report uses, so event ids stay unambiguous); an event is
``<key>@<version>`` (``PEEL1819/4@3`` is the third event of that item). Stream ids are
derived from keys, so the store itself refuses a second report with the same code
even when two writers race.
"""

from __future__ import annotations

import re
from uuid import UUID, uuid5

from ledger.errors import Fix, Hint, InvalidInputError
from ledger.inputs import whole_number

NAMESPACE = UUID("5b0c3a56-0e0e-4d2e-9b0a-7261677700a1")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")


def check_code(code: str, *, what: str = "report code") -> str:
    code = code.strip()
    if not _CODE.match(code):
        example = "PRMSC" if what.startswith("committee") else "PEEL1819"
        raise InvalidInputError(
            f"{what} {code!r} is not valid; use letters, digits, '.', '_' or '-' "
            f"(e.g. {example}), at most 40 characters"
        )
    return code


def check_ref(ref: str) -> str:
    ref = ref.strip()
    if not _REF.match(ref):
        raise InvalidInputError(
            f"ref {ref!r} is not valid; use the report's own numbering "
            "(e.g. 4, 4a, 17), letters and digits only"
        )
    return ref


def split_key(key: str) -> tuple[str, str]:
    code, sep, ref = key.strip().partition("/")
    if not sep:
        raise InvalidInputError(
            f"{key!r} is not a recommendation key; write CODE/REF, e.g. PEEL1819/4"
        )
    return check_code(code), check_ref(ref)


def report_id(code: str) -> UUID:
    return uuid5(NAMESPACE, f"report:{code}")


#: The one stream of who may do what, and the key its events' ids are named by.
ACCESS_ID = uuid5(NAMESPACE, "access")
ACCESS_KEY = "roles"
#: The one stream of the ledger's rules (sign-off), likewise.
RULES_ID = uuid5(NAMESPACE, "rules")
RULES_KEY = "rules"
#: The one stream of owners' contact details, likewise. Its key begins with a character
#: no report or committee code may begin with, so no code can ever name it.
OWNERS_ID = uuid5(NAMESPACE, "owners")
OWNERS_KEY = "_owners"


def committee_id(code: str) -> UUID:
    return uuid5(NAMESPACE, f"committee:{code}")


def recommendation_id(code: str, ref: str) -> UUID:
    return uuid5(NAMESPACE, f"recommendation:{code}/{ref}")


def event_id(stream_key: str, version: int) -> str:
    return f"{stream_key}@{version}"


def split_event_id(text: str) -> tuple[str, int]:
    key, sep, written = text.strip().rpartition("@")
    version = whole_number(written)
    if not sep or not key or version is None or version < 1:
        raise InvalidInputError(
            "{text!r} is not an event id; ids look like PEEL1819/4@3 ({hint})",
            text=text,
            hint=Hint.to(Fix.SEE_EVENT_IDS),
        )
    return key, version


def inspection_id(code: str) -> UUID:
    return uuid5(NAMESPACE, f"inspection:{code}")


#: What an organisation's key begins with: a character no report, committee or
#: inspection code may hold follows, so no code can ever name an organisation's stream.
ORGANISATION_PREFIX = "org:"


def organisation_id(code: str) -> UUID:
    """The stream of organisation ``code`` (as :func:`check_org` writes it)."""
    return uuid5(NAMESPACE, f"organisation:{code}")


def organisation_key(code: str) -> str:
    """The key an organisation's events are named by (``org:WMP@1``)."""
    return f"{ORGANISATION_PREFIX}{code}"


#: What the key of the inspectorate's verdicts on an organisation's items begins with:
#: like an organisation's, no report, committee or inspection code can name it.
VERDICTS_PREFIX = "verdicts:"


def verdicts_id(org: str) -> UUID:
    """The stream of the verdicts on organisation ``org``'s items, in the ledger of the
    inspectorate that gives them."""
    return uuid5(NAMESPACE, f"verdicts:{org}")


def verdicts_key(org: str) -> str:
    """The key those verdicts' events are named by (``verdicts:WMP@2``)."""
    return f"{VERDICTS_PREFIX}{org}"
