"""A backup line's values exactly as export writes them: each of its field's own JSON
type (a number as a number, ``true`` for a yes or no alone), every day as
``YYYY-MM-DD`` and every moment as ``YYYY-MM-DDTHH:MM...`` with its zone, the line's id
as ``KEY@VERSION``. A value that reads as the event only by coercion (``"12"`` or
``true`` for a number, ``0`` or ``"1556755200"`` for a day, read as a count of seconds
since 1970) is no value the ledger records, so no backup of it gives one."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ValidationError

from ledger.errors import RuleBrokenError

#: A day and a moment as export writes them (ISO 8601's extended forms).
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")
#: The envelope's fields as a line names them.
NAMES = {"timestamp": "recorded_at"}


def check_envelope(line: dict[str, Any], key: str, version: int) -> None:
    """Refuse a line whose own fields are not as export writes them."""
    if line.get("id") != f"{key}@{version}":
        raise RuleBrokenError(
            f"its id {line.get('id')!r} is not written KEY@VERSION as export writes it "
            f"({key}@{version})"
        )
    _text_of(line.get("on"), DAY, "on", "a day, YYYY-MM-DD")
    _text_of(line.get("recorded_at"), MOMENT, "recorded_at", "a moment, YYYY-MM-DDTHH:MM:SS+00:00")
    if "class_version" in line and type(line["class_version"]) is not int:
        raise RuleBrokenError(
            f"its class_version is {_shown(line['class_version'])}: a whole number, as "
            "export writes it"
        )


def check_days(payload: Any, made: Any, name: str = "") -> None:
    """Refuse a day or moment of ``payload`` (as the line gives it) that ``made`` (the
    event read from it) holds, unless written as export writes it."""
    if isinstance(made, datetime):
        _text_of(payload, MOMENT, name, "a moment, YYYY-MM-DDTHH:MM:SS+00:00")
    elif isinstance(made, date):
        _text_of(payload, DAY, name, "a day, YYYY-MM-DD")
    elif isinstance(made, BaseModel) and isinstance(payload, dict):
        for field, value in payload.items():
            check_days(value, getattr(made, field, None), _joined(name, field))
    elif isinstance(made, dict) and isinstance(payload, dict):
        for field, value in payload.items():
            check_days(value, made.get(field), _joined(name, field))
    elif isinstance(made, list | tuple) and isinstance(payload, list):
        for at, (value, each) in enumerate(zip(payload, made, strict=False)):
            check_days(value, each, _joined(name, str(at)))


def check_exact(cls: type[BaseModel], stream: UUID, version: int, state: dict[str, Any]) -> None:
    """Refuse a payload that only reads as the event by coercion: ``true`` or ``"12"`` for
    a number, a number for a day (each value of its field's own JSON type)."""
    text = json.dumps(
        {**state, "originator_id": str(stream), "originator_version": version}, default=_iso
    )
    try:
        cls.__pydantic_validator__.validate_json(text, strict=True)
    except ValidationError as error:
        raise RuleBrokenError(first_error(error)) from None


def first_error(error: ValidationError) -> str:
    """The first thing wrong with an event's values, naming its field (as the line names
    it) and its value; and, for a value not given as text, what export gives instead."""
    found = error.errors(include_url=False)[0]
    name = ".".join(NAMES.get(str(part), str(part)) for part in found["loc"]) or "payload"
    if found["type"] == "missing":
        return f"its {name} is missing"
    given = found.get("input")
    said = f"its {name} is {_shown(given)}: {found['msg'][:1].lower()}{found['msg'][1:]}"
    if isinstance(given, str | date) or not found["type"].endswith("_type"):
        return said
    return f"{said} (export gives every value in its field's own JSON type: a date as text, a number as a number)"


def _text_of(value: Any, form: re.Pattern[str], name: str, what: str) -> None:
    if not isinstance(value, str) or form.fullmatch(value) is None:
        raise RuleBrokenError(f"its {name} is {_shown(value)}: {what}, as export writes it")


def _joined(name: str, field: str) -> str:
    return f"{name}.{field}" if name else field


def _shown(value: Any) -> str:
    """``value`` as JSON, cut to 40 characters."""
    try:
        shown = json.dumps(value, default=_iso, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = type(value).__name__
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _iso(value: Any) -> str:
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")
