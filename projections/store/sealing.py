"""The read model of an encrypted ledger, kept sealed: what its tables hold of the
events' text is ciphertext under keys derived from the ledger's own key, and only what
the queries must compare, range over or count stays in clear.

Three kinds of column (:data:`projections.store.sealed_columns.CODECS` says which
column is which):

- **Clear**: days and moments (``known_from``, ``effective_from``, ``due`` ...),
  versions, counts, status and relevance codes, list names. The board's ranges ("as at
  D, as known at T"), the overdue rule and the papers' tallies run on them in SQL; a
  date or a status word says nothing of an item without its text.
- **Tokens** (:meth:`Sealer.token`): what SQL compares by equality, joins or groups by:
  item keys, report and committee codes, the streams of committees and inspections,
  organisations. AES-SIV under a key of its own (deterministic: one value, one token,
  so ``key = ?`` and ``GROUP BY report`` keep working; authenticated, and it can be
  opened where a read needs the value back), with the value's kind (``key``, ``report``
  ...) as associated data, so equal texts of two kinds do not share a token.
- **Sealed** (:meth:`Sealer.seal`): every other text (owners, the board line, the
  whole state, pending requests, places in the papers' order, titles, names, papers,
  inspection events, verdict reasons and actors). AES-GCM with a random nonce under a
  second derived key; the associated data is the column's meaning and the token of the
  row's item (or report, committee ...), so a ciphertext moved to another column or to
  another item's row does not open (an inspection's event is bound to its row's version
  and type as well, which say where in its stream it comes and how it is read). A board
  row's place and line (the JSON before and after ``overdue``) are one sealed value, so
  a row costs one decryption.

Every value is padded to a whole number of :data:`PAD` bytes first, so lengths show
only to within them. NULL stays NULL (it says only that an item has no owner, or no
request pending, as its status code would). Both derived keys are HMAC-SHA256 of a
label of their own under the ledger's key, and so is the model's check value
(:attr:`Sealer.check`), which the model records beside its layout: a model made in
clear, or under another key, is never read as this one. The ciphers are OpenSSL's (the ``cryptography`` package): one call costs
about a microsecond, against about fifty through the events' cipher's library, which
decides how fast a sealed board of tens of thousands of rows opens.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from base64 import b64decode, b64encode

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV

from ledger.errors import Fix, Hint, LedgerError

#: The labels the derived keys and the check value are the HMAC of; changing one makes
#: every sealed model "another key's", derived again.
SEALING = b"ragw read model: sealed text"
TOKENS = b"ragw read model: tokens"
CHECK = b"ragw read model: check"
#: What joins a board row's place and the two halves of its line inside one sealed value
#: (JSON escapes it, and places never hold it).
JOIN = "\x1f"
#: Every value is padded to a whole number of these bytes before it is sealed or made a
#: token, so a ciphertext's length says the value's only to within them: owners named
#: from a small set of roles ("ACC", "Chief Constable") cannot be told apart by length,
#: nor keys and codes by how many digits they have.
PAD = 32


def _padded(value: str) -> bytes:
    """``value`` as UTF-8, then 0x80 and as many zero bytes as fill its last block of
    :data:`PAD` (ISO/IEC 7816-4: whatever the value ends with, the last 0x80 ends it)."""
    raw = value.encode() + b"\x80"
    return raw + bytes(-len(raw) % PAD)


def _unpadded(raw: bytes) -> str:
    """The value :func:`_padded` padded; ValueError when ``raw`` is not so padded."""
    body = raw.rstrip(b"\x00")
    if not body.endswith(b"\x80") or len(raw) % PAD:
        raise ValueError("not padded")
    return body[:-1].decode()


def _derive(key: bytes, label: bytes) -> bytes:
    return hmac.new(key, label, hashlib.sha256).digest()


def damaged(row: str | None = None) -> LedgerError:
    """The refusal for a sealed value that does not open under this ledger's key; with
    ``row``, the stored row it is in (as ``verify`` names one)."""
    return LedgerError(
        "a value of the sealed read model{where} does not open under this ledger's key: "
        "it was altered or moved since it was written; {hint}",
        where=f" (in {row})" if row else "",
        hint=Hint.to(Fix.REBUILD),
    )


class Sealer:
    """Seals, opens and tokenises the read model's text under keys derived from the
    ledger's key (base64, as the storage settings hold it) and, in a store of many
    organisations, the organisation's code: one key may serve every organisation of a
    store, and a value or token of one organisation's model must not open, or match, in
    another's."""

    def __init__(self, key: str, org: str | None = None) -> None:
        secret = b64decode(key)
        whose = b"" if org is None else JOIN.encode() + org.encode()
        self._aead = AESGCM(_derive(secret, SEALING + whose))
        # AES-SIV takes two AES keys: 64 bytes for AES-256.
        self._siv = AESSIV(
            _derive(secret, TOKENS + b" 1" + whose) + _derive(secret, TOKENS + b" 2" + whose)
        )
        #: What the model records beside its layout: a positive number (it fits the
        #: tracking table's position), the same for the same key, telling nothing of it.
        self.check = 1 + int.from_bytes(_derive(secret, CHECK + whose)[:7], "big")
        self._tokens: dict[tuple[str, str], str] = {}
        self._values: dict[tuple[str, str], str] = {}

    def token(self, value: str, kind: str) -> str:
        """The deterministic token of ``value`` of this kind (``key``, ``report`` ...)."""
        found = self._tokens.get((value, kind))
        if found is None:
            sealed = self._siv.encrypt(_padded(value), [kind.encode()])
            found = b64encode(sealed).decode()
            self._tokens[(value, kind)] = found
            self._values[(found, kind)] = value
        return found

    def token_or_none(self, value: str | None, kind: str) -> str | None:
        return None if value is None else self.token(value, kind)

    def untoken(self, token: str, kind: str) -> str:
        """The value a token was made of."""
        found = self._values.get((token, kind))
        if found is None:
            try:
                found = _unpadded(self._siv.decrypt(b64decode(token), [kind.encode()]))
            except (InvalidTag, ValueError) as error:
                raise damaged() from error
            self._values[(token, kind)] = found
            self._tokens[(found, kind)] = token
        return found

    def seal(self, value: str | None, column: str, row: str) -> str | None:
        """``value`` sealed for ``column`` of the row whose token is ``row``."""
        if value is None:
            return None
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, _padded(value), f"{column}{JOIN}{row}".encode())
        return b64encode(nonce + sealed).decode()

    def open(self, sealed: str | None, column: str, row: str) -> str | None:
        """The value :meth:`seal` sealed for ``column`` of the row ``row``; refused
        (:func:`damaged`) when it was altered or moved."""
        if sealed is None:
            return None
        try:
            raw = b64decode(sealed)
            value = self._aead.decrypt(raw[:12], raw[12:], f"{column}{JOIN}{row}".encode())
            return _unpadded(value)
        except (InvalidTag, ValueError) as error:
            raise damaged() from error
