"""The sealed read model's ciphers: tokens compare equal for equal values of a kind and
open again; sealed text opens only for the column and the row it was sealed for, and
only under the ledger's key; neither shows the value."""

from __future__ import annotations

import pytest
from eventsourcing.cipher import AESCipher
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from projections.store.sealing import PAD, Sealer

KEY, OTHER = AESCipher.create_key(32), AESCipher.create_key(32)


def test_a_token_is_the_same_for_the_same_value_and_kind_and_opens_again() -> None:
    sealer = Sealer(KEY)
    token = sealer.token("HATE18/6", "key")
    assert Sealer(KEY).token("HATE18/6", "key") == token
    assert sealer.token("HATE18/6", "report") != token
    assert sealer.token("HATE18/7", "key") != token
    assert Sealer(OTHER).token("HATE18/6", "key") != token
    assert "HATE18" not in token
    assert Sealer(KEY).untoken(token, "key") == "HATE18/6"


def test_a_token_of_another_kind_does_not_open() -> None:
    token = Sealer(KEY).token("HATE18", "report")
    with pytest.raises(LedgerError, match="does not open"):
        Sealer(KEY).untoken(token, "key")


def test_sealed_text_opens_for_its_column_and_row_alone_and_differs_each_time() -> None:
    sealer = Sealer(KEY)
    row = sealer.token("HATE18/6", "key")
    sealed = sealer.seal("Head of Public Protection", "owner", row)
    assert sealed is not None and "Public" not in sealed
    assert sealer.seal("Head of Public Protection", "owner", row) != sealed
    assert Sealer(KEY).open(sealed, "owner", row) == "Head of Public Protection"
    assert sealer.seal(None, "owner", row) is None and sealer.open(None, "owner", row) is None
    elsewhere = [
        (KEY, "pending", row),  # moved to another column
        (KEY, "owner", sealer.token("HATE18/7", "key")),  # moved to another item's row
        (OTHER, "owner", row),  # under another key
    ]
    for key, column, other_row in elsewhere:
        with pytest.raises(LedgerError, match="does not open"):
            Sealer(key).open(sealed, column, other_row)


def test_the_check_value_is_the_keys_own() -> None:
    assert Sealer(KEY).check == Sealer(KEY).check != Sealer(OTHER).check
    assert 0 < Sealer(KEY).check < 2**63


def test_one_key_serving_two_organisations_seals_each_s_model_apart() -> None:
    """A value or token copied from one organisation's model into another's, in a store
    whose organisations share a key, neither opens nor matches there."""
    wmp, colp = Sealer(KEY, "WMP"), Sealer(KEY, "COLP")
    assert wmp.token("FRAUD19/9", "key") != colp.token("FRAUD19/9", "key")
    row = wmp.token("FRAUD19/9", "key")
    sealed = wmp.seal("RED", "owner", row)
    assert Sealer(KEY, "WMP").open(sealed, "owner", row) == "RED"
    with pytest.raises(LedgerError, match="does not open"):
        colp.open(sealed, "owner", row)
    with pytest.raises(LedgerError, match="does not open"):
        colp.untoken(row, "key")
    assert wmp.check != colp.check != Sealer(KEY).check


@settings(max_examples=200)
@given(st.text(max_size=40), st.text(max_size=40))
def test_sealed_values_and_tokens_show_their_lengths_only_to_within_a_block(
    one: str, other: str
) -> None:
    sealer = Sealer(KEY)
    row = sealer.token("HATE18/6", "key")
    for value in (one, other):
        assert sealer.open(sealer.seal(value, "owner", row), "owner", row) == value
        assert Sealer(KEY).untoken(sealer.token(value, "key"), "key") == value
    blocks = [len(value.encode()) // PAD for value in (one, other)]
    if blocks[0] == blocks[1]:
        sealed = [sealer.seal(value, "owner", row) or "" for value in (one, other)]
        tokens = [sealer.token(value, "key") for value in (one, other)]
        assert len(sealed[0]) == len(sealed[1]) and len(tokens[0]) == len(tokens[1])


def test_owners_named_by_roles_of_different_lengths_seal_to_one_length() -> None:
    sealer = Sealer(KEY)
    row = sealer.token("HATE18/6", "key")
    owners = ("ACC", "DCC", "Chief Constable", "Head of Public Protection")
    assert len({len(sealer.seal(owner, "owner", row) or "") for owner in owners}) == 1
    assert len({len(sealer.token(key, "key")) for key in ("R1/1", "HATE18/12", "R100/120")}) == 1
