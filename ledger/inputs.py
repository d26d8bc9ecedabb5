"""What users type, read and checked: kinds, statuses, roles, scopes, the changes a
committee can require sign-off for, texts and links to evidence, and their limits."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from events import Kind, Role, Scope, SignOffFor, Status
from ledger.errors import Field, Fix, Hint, InvalidInputError, RuleBrokenError

KINDS = {
    "recommendation": Kind.RECOMMENDATION,
    "recommendations": Kind.RECOMMENDATION,
    "rec": Kind.RECOMMENDATION,
    "afi": Kind.AFI,
    "area for improvement": Kind.AFI,
    "areas for improvement": Kind.AFI,
    "concern": Kind.CONCERN,
    "cause of concern": Kind.CONCERN,
    "cause for concern": Kind.CONCERN,  # seed 002's wording
    "causes of concern": Kind.CONCERN,
}
#: Papers print NEW GREEN / NEW RED; the stored status is the colour.
STATUSES = {s.value: s for s in Status} | {"NEW GREEN": Status.GREEN, "NEW RED": Status.RED}
MAX_TEXT = 20_000
#: The most recommendations one report can make: inspection reports make tens; a larger
#: number is a slip (and would not fit the read model's integer columns).
MAX_MAKES = 9_999
#: How long one link to evidence may be, and how many a request may carry.
MAX_LINK, MAX_LINKS = 2_000, 20
#: What no text may hold: the C0 control characters but tab, line feed and carriage
#: return (Word and Excel files are XML, which cannot hold the others at all), DEL, and
#: what is not a character (a lone surrogate, e.g. bytes that were not UTF-8 on a command
#: line; U+FFFE, U+FFFF). Line breaks stay: comments and notes run over several lines.
#: C0 controls but line breaks and tabs, and DEL; lone surrogates and the two
#: non-characters no XML file (Word, Excel) can hold.
_CONTROLS, _NOT_TEXT = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f", "\ud800-\udfff\ufffe\uffff"
#: What no text may hold: those, and C1 controls (U+0080-U+009F: a terminal takes U+009B
#: for the escape sequence that moves its cursor).
_UNWRITABLE = re.compile(f"[{_CONTROLS}\x80-\x9f{_NOT_TEXT}]")
#: What a ledger recorded before C1 control characters were refused may hold: restoring
#: its own backup keeps those texts as they were (printed, they are shown as U+FFFD).
_UNWRITABLE_BEFORE = re.compile(f"[{_CONTROLS}{_NOT_TEXT}]")
_RECORDED_BEFORE: ContextVar[bool] = ContextVar("recorded_before", default=False)


@contextmanager
def as_recorded() -> Iterator[None]:
    """Within: texts are held to what a ledger may already hold (a restore's, which keeps
    every event as it was recorded), not to what a command now takes."""
    token = _RECORDED_BEFORE.set(True)
    try:
        yield
    finally:
        _RECORDED_BEFORE.reset(token)


_NAMES = {0: "NUL", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "escape", 0x7F: "DEL"}
#: Characters that reorder the text shown around them (bidirectional embeddings,
#: overrides and isolates): in a name they make one person's read as another's
#: ("\u202eecilA" shows as "Alice" reversed), on the board, in a paper and in a history.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: What shows nothing: white space and the characters Unicode says to show as nothing
#: when not supported (Default_Ignorable_Code_Point: zero-width spaces and joiners,
#: the byte order mark, variation selectors, bidirectional marks), with the fillers and
#: blanks that show as an empty cell. A text of these alone says nothing, so a reason
#: made of them is no reason.
_SHOWS_NOTHING = re.compile(
    "[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*"
)
#: What a name may not hold besides: line breaks and tabs (a name is one line, and an
#: email's header built from it must stay one header), and "=?", which opens an encoded
#: word that mail software decodes into a header of its own.
_NOT_IN_NAMES = re.compile("[\r\n\t]|=\\?")
_SAID = {"\r": "a carriage return", "\n": "a line break", "\t": "a tab", "=?": '"=?"'}
#: What names a person or an owner: held to :func:`check_name` as well.
NAME_FIELDS: frozenset[str] = frozenset(
    {Field.OWNER, Field.LEAD, Field.HOLDER, Field.ACTS_FOR, Field.NAME, Field.ACTOR, "the owner"}
)


def whole_number(text: str, digits: int = 18) -> int | None:
    """``text`` as a whole number when it is one written in at most ``digits`` ASCII
    digits; None otherwise (other scripts' digits, superscripts, and numbers too long to
    mean anything, which Python would refuse to read at all past 4,300 digits)."""
    significant = text.lstrip("0")
    if text.isascii() and text.isdecimal() and len(significant) <= digits:
        return int(significant or "0")
    return None


def parse_kind(text: str) -> Kind:
    kind = KINDS.get(" ".join(text.lower().split()))
    if kind is None:
        raise InvalidInputError(
            f"kind {text!r} is not known; use recommendation, afi (area for improvement) "
            "or concern (cause of concern)"
        )
    return kind


def parse_status(text: str) -> Status:
    status = STATUSES.get(" ".join(text.upper().split()))
    if status is None:
        raise InvalidInputError(f"status {text!r} is not known; use GREEN, AMBER, RED or WHITE")
    return status


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is not a role; use one of {', '.join(r.value for r in Role)}"
        ) from None


def parse_sign_off_for(text: str) -> SignOffFor:
    word = " ".join(text.lower().split())
    for change in SignOffFor:
        if word in (change.value, change.value.rstrip("s")):
            return change
    raise InvalidInputError(
        f"{text!r} is not a change that can need sign-off; use closures or extensions"
    )


def clean_links(links: Sequence[str]) -> list[str]:
    """Links to evidence: each on one line, a web address or a document's place."""
    cleaned = []
    for link in links:
        text = link.strip()
        if not text:
            raise InvalidInputError(
                "a {link} is empty; give the address of the evidence", link=Field.LINK
            )
        if len(text) > MAX_LINK or any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise InvalidInputError(
                "{link} {start!r}... is not an address: at most {limit} characters "
                "on one line, without control characters",
                link=Field.LINK,
                start=text[:40],
                limit=MAX_LINK,
            )
        cleaned.append(check_shown(text, Field.LINK))
    if len(cleaned) > MAX_LINKS:
        raise InvalidInputError(f"{len(cleaned)} links; give at most {MAX_LINKS}")
    return cleaned


def parse_scope(text: str) -> Scope:
    """``national`` or ``force``; papers' "National report" and "Force report" too."""
    words = text.strip().lower().split()
    if len(words) == 2 and words[1] in ("report", "inspection"):
        words = words[:1]
    try:
        return Scope(" ".join(words))
    except ValueError:
        raise InvalidInputError(f"scope {text!r} is not known; use national or force") from None


def check_writable(text: str, what: Field | str) -> str:
    """``text`` when every file ragw writes can hold it; refused otherwise, naming the
    first character that cannot be written (by its code, never as itself)."""
    found = (_UNWRITABLE_BEFORE if _RECORDED_BEFORE.get() else _UNWRITABLE).search(text)
    if found is None:
        return text
    code = ord(found.group())
    if code in _NAMES:
        name = _NAMES[code]
    elif code < 0xD800:
        name = "a control character"
    elif code < 0xE000:
        name = "a byte that is not UTF-8"
    else:
        name = "not a character"
    raise InvalidInputError(
        "{what} holds U+{code} ({name}) at character {at}, which no paper or sheet can "
        "hold; remove it (line breaks and tabs are kept; no other control characters)",
        what=what,
        code=f"{code:04X}",
        name=name,
        at=found.start() + 1,
    )


def check_shown(text: str, what: Field | str) -> str:
    """``text`` when it is writable (:func:`check_writable`) and shows as it reads:
    without characters that reorder the text shown around them (a link would show
    "…exe.jpg" for "…gpj.exe")."""
    check_writable(text, what)
    _refuse_reordering(text, what, "so it could show as other text than was recorded")
    return text


def check_name(text: str, what: Field | str) -> str:
    """``text`` when it can name someone: writable, and without characters that reorder
    how it is shown (so a name cannot display as another's), on one line, without "=?"
    (so an email's header built from it stays the one header it was)."""
    check_writable(text, what)
    broken = _NOT_IN_NAMES.search(text)
    if broken is not None:
        raise InvalidInputError(
            "{what} holds {which} at character {at}; a name is one line of text, "
            'without tabs or "=?"; remove it',
            what=what,
            which=_SAID[broken.group()],
            at=broken.start() + 1,
        )
    _refuse_reordering(text, what, "so it could show as another name")
    return text


def _refuse_reordering(text: str, what: Field | str, risk: str) -> None:
    """Refuse ``text`` holding a character that reorders the text shown around it,
    saying what that ``risk``s."""
    found = _REORDERING.search(text)
    if found is not None:
        raise InvalidInputError(
            "{what} holds U+{code} (a character that reorders the text shown around it) "
            "at character {at}, {risk}; remove it",
            what=what,
            code=f"{ord(found.group()):04X}",
            at=found.start() + 1,
            risk=risk,
        )


def check_actor(actor: str) -> str:
    """``actor`` when it can be written on an event as who recorded it: a name
    (:func:`check_name`), not blank, at most :data:`MAX_TEXT` characters (as a backup's
    line is held to, so every ledger's own backup restores)."""
    check_name(actor, Field.ACTOR)
    if not actor.strip() or len(actor) > MAX_TEXT:
        raise InvalidInputError(
            "{actor} is {said}; name who records the change in at most {limit} characters",
            actor=Field.ACTOR,
            said="blank" if not actor.strip() else f"{len(actor)} characters long",
            limit=f"{MAX_TEXT:,}",
        )
    return actor


def clean_text(value: str | None, what: Field | str, *, required: bool) -> str | None:
    """``value`` trimmed (None when empty, or of characters that show nothing alone, and
    not ``required``), at most :data:`MAX_TEXT` characters, and writable
    (:func:`check_writable`, without characters that reorder the text around them; a
    name, :func:`check_name`); ``what`` names it in a refusal."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInputError("{what} is empty; give the text", what=what)
        return None
    if what in NAME_FIELDS:
        check_name(text, what)
    else:
        check_shown(text, what)
    if _SHOWS_NOTHING.fullmatch(text):  # as empty: left out unless it must be given
        if not required:
            return None
        raise InvalidInputError(
            "{what} holds only characters that show nothing (such as zero-width spaces); "
            "give the text in visible characters",
            what=what,
        )
    if len(text) > MAX_TEXT:
        raise InvalidInputError(
            "{what} is {length} characters long; the limit is {limit}",
            what=what,
            length=len(text),
            limit=MAX_TEXT,
        )
    return text


def clean_inspectorates(names: Iterable[str]) -> list[str]:
    """The inspectorates named, each trimmed and held as any text is
    (:func:`clean_text`: writable, at most :data:`MAX_TEXT` characters); empty names left
    out. Every way in (a command, an import's row) holds them so, so a backup of what was
    recorded restores."""
    cleaned = (clean_text(name, "an inspectorate", required=False) for name in names)
    return [name for name in cleaned if name]


def required_reason(reason: str | None, what: str, key: str) -> str:
    """The reason ``what`` (a change of item ``key``) must give, cleaned; refused when
    there is none."""
    text = clean_text(reason, Field.REASON, required=False)
    if not text:
        raise RuleBrokenError(
            "{what} needs a reason: {hint} for {key}",
            what=what,
            hint=Hint.to(Fix.GIVE_REASON, why="why"),
            key=key,
        )
    return text
