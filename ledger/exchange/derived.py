"""What a tracker without a report code or kind column is read as.

Forces' own trackers rarely have either: a report is named by its title, and an area for
improvement or a cause of concern by its ref ("AFI 3", "CoC 1").

**A report's code** is, first, the code of the one report in the ledger with that title
(as :func:`title_key` matches titles), so a re-imported tracker names the items it named
before whatever codes they were given. A title the ledger does not hold derives its
code: the title folded to plain letters and digits, each word's first letter and each
number whole, in capitals, at most :data:`BASE_LENGTH` characters ("Cyber: Keep the
light on" is ``CKTLO``, "PEEL 2018/2019" ``P20182019``, a title with neither letters
nor digits ``R``). When that code is also derived by another title in the file, or is
a code the ledger already holds (a report's or a committee's), each such title's code
takes a dash and the first :data:`SUFFIX_LENGTH` hex digits, in capitals, of the SHA-256
of its title as matched (``CKTLO-3F09A1``). The suffix depends on the title alone, never on the order of rows or on which titles come
first, so importing the same tracker every meeting (with reports added above or below)
names the same reports; and a report once imported is found by its title thereafter.

**An item's kind** is read from its ref: a ref that begins with a kind's name and goes on
with a number ("AFI 3", "AFI3", "Area for improvement 2", "CoC 1", "Cause of concern 1",
"Rec 4") is of that kind, its ref the rest (``3``); any other ref is a recommendation's,
as written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from events import Kind
from ledger.exchange.values import read_ref
from ledger.inputs import KINDS

#: The most characters a code derived from a title has before any suffix.
BASE_LENGTH = 12
#: Hex digits of the title's SHA-256 a derived code takes when two titles derive it.
SUFFIX_LENGTH = 6
#: Kinds' names a ref may begin with, beyond those a kind column may hold.
_REF_KINDS = {**KINDS, "coc": Kind.CONCERN, "afis": Kind.AFI}
_NAMES = "|".join(
    r"\s+".join(re.escape(word) for word in name.split())
    for name in sorted(_REF_KINDS, key=len, reverse=True)
)
_KIND_REF = re.compile(rf"({_NAMES})\s*[.:#-]?\s*(\d[A-Za-z0-9_.-]*)", re.IGNORECASE)


def title_key(title: str) -> str:
    """A report's title as titles are matched: case and spacing aside."""
    return " ".join(title.split()).casefold()


def base_code(title: str) -> str:
    """The code ``title`` derives before any suffix: each word's first letter and each
    number whole, in capitals (``R`` for a title with neither letters nor digits)."""
    plain = unicodedata.normalize("NFKD", title_key(title)).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", plain.decode("ascii"))
    code = "".join(word if word.isdigit() else word[0] for word in words).upper()
    return code[:BASE_LENGTH] or "R"


def suffixed(title: str) -> str:
    """The code ``title`` derives when another title derives the same."""
    digest = hashlib.sha256(title_key(title).encode("utf-8")).hexdigest()
    return f"{base_code(title)}-{digest[:SUFFIX_LENGTH].upper()}"


def derived_codes(titles: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """The code each title derives, by :func:`title_key`: its :func:`base_code`, or
    :func:`suffixed` when another of ``titles`` derives the same base or the base is
    ``taken`` (a code the ledger holds for another title)."""
    keys = {title_key(t): t for t in titles if title_key(t)}
    bases = {key: base_code(key) for key in keys}
    count: dict[str, int] = {}
    for base in bases.values():
        count[base] = count.get(base, 0) + 1
    used = {code.casefold() for code in taken}
    return {
        key: suffixed(key) if count[base] > 1 or base.casefold() in used else base
        for key, base in bases.items()
    }


def codes_for(
    titles: Iterable[str], ledger: Mapping[str, set[str]]
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each title's report code, by :func:`title_key`: the ledger's when one report has
    that title there (``ledger``: codes by title key), else :func:`derived_codes`; and
    the titles the ledger holds several reports by, with their codes. A ``ledger`` with
    a ``committees`` set (:class:`~ledger.exchange.known.Titles`) has those codes taken
    too: a report never takes a committee's code."""
    keys = {title_key(t) for t in titles if title_key(t)}
    found = {key: next(iter(ledger[key])) for key in keys if len(ledger.get(key, ())) == 1}
    several = {key: ledger[key] for key in keys if len(ledger.get(key, ())) > 1}
    taken = {code for codes in ledger.values() for code in codes}
    taken |= getattr(ledger, "committees", set())
    derived = derived_codes((k for k in keys if k not in found and k not in several), taken)
    return {**found, **derived}, several


#: How a ref read with its kind is kept: an area for improvement's and a concern's with
#: their kind before the number, so "AFI 1" (ref ``AFI1``) and recommendation 1 (ref
#: ``1``) of one report, numbered apart as inspection reports number them, stay two items.
REF_PREFIXES = {Kind.AFI: "AFI", Kind.CONCERN: "CoC", Kind.RECOMMENDATION: ""}


def kind_of_ref(ref: str) -> tuple[Kind, str]:
    """An item's kind and ref as a ref that names its kind writes them (``AFI 3`` is an
    area for improvement, ref ``AFI3``; ``CoC 1`` a cause of concern, ref ``CoC1``;
    ``Rec 2`` a recommendation, ref ``2``); any other ref is a recommendation's, as
    written."""
    named = _KIND_REF.fullmatch(ref.strip())
    if named is None:
        return Kind.RECOMMENDATION, read_ref(ref)
    kind = _REF_KINDS[" ".join(named[1].lower().split())]
    return kind, REF_PREFIXES[kind] + read_ref(named[2])
