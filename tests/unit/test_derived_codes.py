"""A tracker without a report code or kind column: the codes derived from titles are
valid codes, the same for the same title whatever the rest of the file, apart for
different titles; and a ref that names its kind gives that kind and the rest as ref."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from events import Kind
from ledger.exchange.derived import (
    BASE_LENGTH,
    REF_PREFIXES,
    base_code,
    codes_for,
    derived_codes,
    kind_of_ref,
    suffixed,
    title_key,
)
from ledger.exchange.values import read_ref
from ledger.keys import check_code, check_ref

titles = st.text(min_size=1, max_size=80).filter(lambda t: title_key(t) != "")
#: Titles of a few words from a small alphabet, so that many derive the same code.
crowded = st.lists(st.sampled_from(["a", "b", "ab", "1", "2019"]), min_size=1, max_size=3).map(
    " ".join
)


@given(titles)
def test_every_title_derives_a_valid_code_plain_or_suffixed(title: str) -> None:
    assert check_code(base_code(title)) == base_code(title)
    assert check_code(suffixed(title)) == suffixed(title)
    assert len(base_code(title)) <= BASE_LENGTH


@given(titles, st.lists(titles, max_size=6), st.randoms())
def test_a_title_derives_the_same_code_however_written_and_wherever_in_the_file(
    title: str, others: list[str], shuffle: random.Random
) -> None:
    respaced = "  " + "   ".join(title.upper().split()) + " "
    assert base_code(respaced) == base_code(title) and suffixed(respaced) == suffixed(title)
    file = [title, *others]
    moved = [respaced, *others]
    shuffle.shuffle(moved)
    assert derived_codes(file) == derived_codes(moved)


@settings(max_examples=300)
@given(st.lists(st.one_of(crowded, titles), max_size=12), st.lists(crowded, max_size=4))
def test_different_titles_in_a_file_never_derive_the_same_code_nor_one_the_ledger_holds(
    file: list[str], held: list[str]
) -> None:
    ledger: dict[str, set[str]] = {}
    for n, title in enumerate(held):
        ledger.setdefault(title_key(title), set()).add(f"{base_code(title)}")
        ledger.setdefault(f"another title {n}", set()).add(base_code(title))
    codes, several = codes_for(file, ledger)
    assert set(codes) == {title_key(t) for t in file}
    fresh = {key: code for key, code in codes.items() if key not in ledger}
    assert len(set(fresh.values())) == len(fresh)
    taken = {code.casefold() for known in ledger.values() for code in known}
    assert not {code.casefold() for code in fresh.values()} & taken
    assert {key: codes[key] for key in codes if key in ledger} == {
        key: next(iter(ledger[key])) for key in codes if key in ledger and key not in several
    }


def test_a_title_alone_derives_its_initials_and_numbers_only_a_shared_one_its_hash() -> None:
    assert base_code("Cyber: Keep the light on") == "CKTLO"
    assert base_code("PEEL 2018/2019") == "P20182019"
    assert base_code("Café – “quoted” 2019") == "CQ2019"
    assert base_code("——") == "R"
    alone = derived_codes(["Fraud: Time to Choose", "PEEL 2018/2019"])
    assert alone == {"fraud: time to choose": "FTTC", "peel 2018/2019": "P20182019"}
    shared = derived_codes(["Fraud: Time to Choose", "Firearms: tactics to consider"])
    assert shared["fraud: time to choose"] == suffixed("Fraud: Time to Choose")
    assert shared["firearms: tactics to consider"].startswith("FTTC-")
    assert len(set(shared.values())) == 2
    assert derived_codes(["Fraud: Time to Choose"], taken=["fttc"]) == {
        "fraud: time to choose": suffixed("fraud: time to choose")
    }


forms = {
    Kind.AFI: ["AFI {}", "AFI{}", "afi {}", "Area for improvement {}", "AREAS FOR IMPROVEMENT {}"],
    Kind.CONCERN: ["CoC {}", "COC{}", "Cause of concern {}", "cause for  concern {}", "Concern {}"],
    Kind.RECOMMENDATION: ["Rec {}", "Recommendation {}", "rec. {}", "{}"],
}
numbers = st.from_regex(r"[0-9][0-9a-z]{0,3}", fullmatch=True)


@given(st.sampled_from(list(forms)), st.data(), numbers)
def test_a_ref_that_names_its_kind_gives_that_kind_and_the_rest_as_ref(
    kind: Kind, data: st.DataObject, number: str
) -> None:
    form = data.draw(st.sampled_from(forms[kind]))
    assert kind_of_ref(form.format(number)) == (kind, REF_PREFIXES[kind] + number)


def test_an_afi_and_a_recommendation_of_one_number_keep_refs_of_their_own() -> None:
    assert kind_of_ref("AFI 1") == (Kind.AFI, "AFI1")
    assert kind_of_ref("Rec 1") == kind_of_ref("1") == (Kind.RECOMMENDATION, "1")
    assert kind_of_ref("Cause of concern 1") == (Kind.CONCERN, "CoC1")


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,19}", fullmatch=True))
def test_any_other_ref_is_a_recommendations_as_written(ref: str) -> None:
    kind, read = kind_of_ref(ref)
    if kind is Kind.RECOMMENDATION:
        assert read == read_ref(ref) or ref.lower().startswith("rec")
    else:
        assert ref.lower().startswith(("a", "c")) and read.startswith(("AFI", "CoC"))
    assert check_ref(read) == read


def test_what_follows_the_kind_is_kept_as_typed() -> None:
    assert kind_of_ref("AFI 3.0") == (Kind.AFI, "AFI3.0")  # text, as typed
    assert kind_of_ref("AFI") == (Kind.RECOMMENDATION, "AFI")
    assert kind_of_ref("AFIx") == (Kind.RECOMMENDATION, "AFIx")
