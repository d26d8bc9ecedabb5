"""A backup's lines: each event as one JSON object, and each line read back as the event
it describes, refused when its parts do not agree with each other.

Each line is one event: its id, its position in the log, type, key, the date it took
effect, the moment it was recorded, who recorded it, and its payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from events import (
    EVENT_TYPES,
    AccessControlled,
    AccessEvent,
    CommitteeEvent,
    CommitteeRegistered,
    ContactsEvent,
    ContactsKept,
    InspectionAdded,
    InspectionEvent,
    LedgerEvent,
    OrganisationAdded,
    OrganisationEvent,
    PaperIssued,
    RecommendationEvent,
    RecommendationIssued,
    ReportEvent,
    ReportRegistered,
    RulesAdopted,
    RulesEvent,
    VerdictEvent,
    VerdictsBegun,
)
from ledger.chain import Digest
from ledger.due import within_years
from ledger.errors import LedgerError, RuleBrokenError
from ledger.exchange.backup.exact import check_days, check_envelope, check_exact, first_error
from ledger.formats import iso_utc
from ledger.inputs import MAX_TEXT, check_name, check_writable
from ledger.keys import (
    ACCESS_ID,
    ACCESS_KEY,
    ORGANISATION_PREFIX,
    OWNERS_ID,
    OWNERS_KEY,
    RULES_ID,
    RULES_KEY,
    VERDICTS_PREFIX,
    committee_id,
    inspection_id,
    organisation_id,
    organisation_key,
    recommendation_id,
    report_id,
    split_event_id,
    split_key,
    verdicts_id,
    verdicts_key,
)
from ledger.storage.mapper import check_originator_topic, upcast

ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor", "on"}
#: The last position a line may give: 2**53, the largest whole number every JSON reader
#: (JavaScript's included) holds exactly; both stores hold up to 2**63 - 1.
MAX_POSITION = 2**53


def backup_line(event: LedgerEvent, key: str, position: int | None = None) -> dict[str, Any]:
    """One event as a line of the backup; ``key`` names its stream (``CODE`` or
    ``CODE/REF``), ``position`` its place in the log (what the chain hashes)."""
    where = {} if position is None else {"position": position}
    return {
        "id": f"{key}@{event.originator_version}",
        **where,
        "type": type(event).__name__,
        "key": key,
        "on": event.on.isoformat(),
        "recorded_at": iso_utc(event.timestamp),
        "actor": event.actor,
        "class_version": type(event).class_version,
        "payload": event.model_dump(mode="json", exclude=ENVELOPE),
    }


def backup_lines(
    events: Iterable[LedgerEvent | tuple[int, LedgerEvent]],
) -> Iterator[dict[str, Any]]:
    """The lines of a backup of ``events`` in the order recorded: (position, event) pairs
    as the log reads them, or bare events, whose lines then carry no position (a restore
    numbers such lines 1, 2, 3 ... as the log of a new ledger would)."""
    keys: dict[UUID, str] = {}
    for each in events:
        position, event = each if isinstance(each, tuple) else (None, each)
        if event.originator_version == 1:
            if isinstance(event, RecommendationIssued):
                keys[event.originator_id] = f"{event.report}/{event.ref}"
            elif isinstance(event, AccessControlled):
                keys[event.originator_id] = ACCESS_KEY
            elif isinstance(event, RulesAdopted):
                keys[event.originator_id] = RULES_KEY
            elif isinstance(event, ContactsKept):
                keys[event.originator_id] = OWNERS_KEY
            elif isinstance(event, OrganisationAdded):
                keys[event.originator_id] = organisation_key(event.code)
            elif isinstance(event, VerdictsBegun):
                keys[event.originator_id] = verdicts_key(event.org)
            else:
                keys[event.originator_id] = event.code  # type: ignore[attr-defined]
        yield backup_line(event, keys[event.originator_id], position)


def event_of(line: dict[str, Any]) -> LedgerEvent:
    """The event a backup line describes; refuses a line that does not add up."""
    cls = EVENT_TYPES.get(str(line.get("type")))
    if cls is None:
        raise RuleBrokenError(f"type {line.get('type')!r} is not an event the ledger records")
    key, version = split_event_id(str(line.get("id", "")))
    check_envelope(line, key, version)
    check_writable(key, "its key")  # a lone surrogate names no stream: it has no UTF-8
    if key != line.get("key"):
        raise RuleBrokenError(f"id {line.get('id')!r} does not belong to key {line.get('key')!r}")
    if issubclass(cls, RecommendationEvent):
        stream = recommendation_id(*split_key(key))
    elif issubclass(cls, ReportEvent):
        stream = report_id(key)
    elif issubclass(cls, AccessEvent):
        if key != ACCESS_KEY:
            raise RuleBrokenError(f"{cls.__name__} belongs to {ACCESS_KEY!r}, not {key!r}")
        stream = ACCESS_ID
    elif issubclass(cls, RulesEvent):
        if key != RULES_KEY:
            raise RuleBrokenError(f"{cls.__name__} belongs to {RULES_KEY!r}, not {key!r}")
        stream = RULES_ID
    elif issubclass(cls, ContactsEvent):
        if key != OWNERS_KEY:
            raise RuleBrokenError(f"{cls.__name__} belongs to {OWNERS_KEY!r}, not {key!r}")
        stream = OWNERS_ID
    elif issubclass(cls, InspectionEvent):
        stream = inspection_id(key)
    elif issubclass(cls, OrganisationEvent):
        if not key.startswith(ORGANISATION_PREFIX):
            raise RuleBrokenError(
                f"{cls.__name__} belongs to an organisation's key ({ORGANISATION_PREFIX}CODE), "
                f"not {key!r}"
            )
        stream = organisation_id(key.removeprefix(ORGANISATION_PREFIX))
    elif issubclass(cls, VerdictEvent):
        if not key.startswith(VERDICTS_PREFIX):
            raise RuleBrokenError(
                f"{cls.__name__} belongs to the verdicts on an organisation's items "
                f"({VERDICTS_PREFIX}CODE), not {key!r}"
            )
        stream = verdicts_id(key.removeprefix(VERDICTS_PREFIX))
    else:
        assert issubclass(cls, CommitteeEvent)
        stream = committee_id(key)
    payload = line.get("payload", {})
    if isinstance(payload, dict):
        _check_key(cls, key, payload)
    if isinstance(payload, dict) and ENVELOPE & payload.keys():
        raise RuleBrokenError(
            "its payload repeats {fields}, which the line gives once",
            fields=", ".join(sorted(ENVELOPE & payload.keys())),
        )
    try:
        state = {
            **payload,
            "timestamp": datetime.fromisoformat(str(line["recorded_at"])),
            "actor": line["actor"],
            "on": date.fromisoformat(str(line["on"])),
        }
        upcast(cls, state, line.get("class_version", 1))
        check_originator_topic(cls, state)
        for name, value in state.items():
            _check_writable(value, name)
            if name in NAMED:
                _check_named(value, name)
        event = cls(originator_id=stream, originator_version=version, **state)
        check_exact(cls, stream, version, state)
        check_days(payload, event)
        for name, value in event:  # every date and moment, as commands bound them
            if isinstance(value, datetime):
                _check_zone(value, "recorded_at" if name == "timestamp" else name)
                within_years(value.date(), f"its {name}", value.isoformat())
            elif isinstance(value, date):
                within_years(value, f"its {name}", value.isoformat())
        if isinstance(event, PaperIssued):
            _check_issue(event)
        return event
    except LedgerError as error:
        raise RuleBrokenError(str(error)) from None
    except ValidationError as error:
        raise RuleBrokenError(f"the event cannot be read: {first_error(error)}") from None
    except (KeyError, ValueError, TypeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise RuleBrokenError(f"the event cannot be read: {first}") from None


def _check_zone(moment: datetime, name: str) -> None:
    """Refuse a moment without its time zone: it names no moment (export writes each
    with its zone), and it cannot be compared with one that does."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RuleBrokenError(
            f"its {name} {moment.isoformat()} carries no time zone; a backup gives every "
            "moment with its zone, as export writes it (e.g. 2021-03-01T12:00:00+00:00)"
        )


def _check_issue(event: PaperIssued) -> None:
    """Refuse an issued paper whose digest names no history, or that was read at a
    moment after it was issued: ``pack`` with its as-issued reading renders it again
    from exactly those."""
    try:
        Digest.parse(event.digest)
    except ValueError:
        raise RuleBrokenError(
            f"its digest {event.digest!r} is not a digest (POSITION:64-HEX-DIGITS): a paper "
            "is issued from the history a digest pins"
        ) from None
    if event.read_at > event.timestamp:
        raise RuleBrokenError(
            f"its paper was read as known at {event.read_at.isoformat()}, after the paper "
            f"was issued ({event.timestamp.isoformat()}): a paper is read from what was "
            "recorded before it"
        )


def _check_key(cls: type[LedgerEvent], key: str, payload: dict[str, Any]) -> None:
    """Refuse a creating event whose payload names another stream than its line's key:
    its events would be stored under one key and read under another."""
    if cls is RecommendationIssued:
        named = f"{payload.get('report')}/{payload.get('ref')}"
    elif cls in (ReportRegistered, CommitteeRegistered, InspectionAdded):
        named = str(payload.get("code"))
    elif cls is OrganisationAdded:
        named = organisation_key(str(payload.get("code")))
    elif cls is VerdictsBegun:
        named = verdicts_key(str(payload.get("org")))
    else:
        return
    if named != key:
        raise RuleBrokenError(
            f"its payload names {named!r}, but its key is {key!r}: the key an event is "
            "stored under must be the one its payload gives"
        )


def position_of(line: dict[str, Any]) -> int | None:
    """The position in the log the line gives (None when it gives none, as backups
    written before positions were exported do)."""
    if "position" not in line:
        return None
    position = line["position"]
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        raise RuleBrokenError(f"its position {position!r} is not a position in a log (1, 2, ...)")
    if position > MAX_POSITION:
        raise RuleBrokenError(
            f"its position {position} is past {MAX_POSITION}, the last a backup may give: "
            "every JSON reader holds whole numbers exactly up to it, and no log comes near"
        )
    return position


#: The fields of an event that name someone (an actor, an owner, whom a change was made
#: for, a user or role holder, a committee or an organisation): held to the rule every
#: command holds a name to (:func:`ledger.inputs.check_name`), so no backup restores a
#: name that could show as another's, or run over two lines. An item's addressees are
#: held to it as the replay adds them (:mod:`ledger.addressees`), in their own words.
NAMED = frozenset({"actor", "acting_for", "owner", "lead", "name", "acts_for"})


def _check_named(value: Any, name: str) -> None:
    for text in value if isinstance(value, list | tuple) else (value,):
        if isinstance(text, str):
            check_name(text, f"its {name}")


def _check_writable(value: Any, name: str) -> None:
    """Refuse a text no paper or sheet can hold, wherever it sits in an event."""
    if isinstance(value, str):
        check_writable(value, f"its {name}")
        if len(value) > MAX_TEXT:
            raise RuleBrokenError(
                f"its {name} is {len(value)} characters long; the limit is {MAX_TEXT}"
            )
    elif isinstance(value, list | tuple):
        for each in value:
            _check_writable(each, name)
    elif isinstance(value, dict):
        for key, each in value.items():
            _check_writable(each, f"{name}.{key}")


class _Repeated(ValueError):
    """A key given twice in one object: a reader would take one value, ragw another."""


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's keys and values, refused when a key is given twice (:class:`_Repeated`)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Repeated(json.dumps(key))
        found[key] = value
    return found


def read_backup(text_lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Numbered lines, parsed; a line that is not JSON comes back as its error."""
    for number, text in enumerate(text_lines, start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text, object_pairs_hook=_once_each)
        except _Repeated as repeated:
            yield number, f"not a JSON object of one value a key ({repeated} is given twice)"
            continue
        except json.JSONDecodeError as error:
            yield number, f"not a JSON object ({error.msg})"
            continue
        except RecursionError:  # brackets nested past the parser's depth
            yield number, "not a JSON object (nested too deeply)"
            continue
        except ValueError:  # a number past the digits Python converts to an integer
            yield number, "not a JSON object (a number too long to read)"
            continue
        yield number, line if isinstance(line, dict) else "not a JSON object"
