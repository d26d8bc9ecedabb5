"""Writes that start from a file: a tracker to import, an owner's filled-in update
sheet to apply, an export to restore. Each reads the whole file first (refusing a
file it cannot read, every bad row listed), then records all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.errors import (
    Fix,
    Hint,
    InvalidInputError,
    KeyRefusedError,
    LedgerError,
    LedgerMissingError,
    RuleBrokenError,
)
from ledger.exchange.backup import read_backup
from ledger.exchange.columns import Header, parse_mapping
from ledger.exchange.derived import codes_for, title_key
from ledger.exchange.entries import TrackerEntry, read_entry, with_codes
from ledger.exchange.tracker import read_sheet, read_update_sheet
from ledger.governance import day_of_change
from ledger.inputs import as_recorded
from ledger.national import IssuedReports, check_received

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.chain import Digest
    from ledger.exchange.importing import ImportOutcome
    from ledger.exchange.known import CurrentStates
    from ledger.exchange.updates import UpdateOutcome
    from projections.usecases.session import LedgerSession


def import_tracker(
    session: LedgerSession,
    path: Path,
    *,
    on: date | None,
    sheet: str | None = None,
    mapping: Sequence[str] = (),
) -> ImportOutcome:
    """Import the tracker at ``path`` (.csv, .txt or .xlsx: ``sheet`` of it, else the
    first with a header; ``mapping`` holds "Column in file=field" pairs), each row as at
    its ``on`` column, else ``on``, else today."""
    tracker = read_sheet(path, sheet=sheet, mapping=parse_mapping(mapping))
    ledger = session.ledger(write=True)
    current = _current_states(session)
    with session.progress(len(tracker.rows), f"Importing {path.name}") as bar:
        return ledger.import_tracker(
            tracker.rows,
            source=path.name,
            actor=session.actor,
            on=on,
            progress=bar,
            current=current,
        )


def _current_states(session: LedgerSession) -> CurrentStates | None:
    """Items' states from the stored read model, when it is in step with the log; else
    None, and the import reads them from the store. An import never brings the model
    up to date first: that would cost more than reading the items it names."""
    ledger = session.ledger(write=False)
    if ledger.last_position() == 0:
        return None
    store = session.store()
    if not store.ready:
        return None
    position, last = store.check_head()  # a model of deleted events is not read from
    if position < last:
        return None
    from projections.store.current import states_as_at

    return lambda wanted: states_as_at(store, wanted)


@dataclass(frozen=True)
class TrackerCheck:
    """What an import of a tracker would read: its header (the field each column
    gives), its rows, each read as the import reads it, and the rows it would refuse
    on their own (before the ledger's items are compared)."""

    header: Header
    rows: int
    read: list[TrackerEntry]
    problems: list[tuple[int, LedgerError | str]]
    #: Of a file without a report code column: each title (as first written) and the
    #: code derived from it, in the order the file names them.
    codes: dict[str, str] = field(default_factory=dict)


def check_tracker(
    path: Path,
    *,
    on: date | None,
    sheet: str | None = None,
    mapping: Sequence[str] = (),
    today: Callable[[], date] | None = None,
) -> TrackerCheck:
    """The tracker at ``path`` read as :func:`import_tracker` reads it, recording
    nothing and opening no ledger: each row's report code from a title is taken from
    the rows above it alone; ``today`` (the ledger's, by default the clock's) is the day
    a row's date may not pass, by the rule an import checks it with."""
    tracker = read_sheet(path, sheet=sheet, mapping=parse_mapping(mapping))
    filled, problems = with_codes(tracker.rows, dict)
    read = []
    check_on = partial(day_of_change, today=(today or date.today)())

    for row in filled:
        if row.problem:
            problems.append((row.line, row.problem))
            continue
        try:
            read.append(read_entry(row, default_on=on, check_on=check_on))
        except LedgerError as error:
            problems.append((row.line, error))
    codes: dict[str, str] = {}
    if "report_code" not in tracker.header.fields:
        titles: dict[str, str] = {}
        for row in tracker.rows:
            titles.setdefault(title_key(row.get("report")), row.get("report"))
        titles.pop("", None)
        derived, _ = codes_for(titles.values(), {})
        codes = {title: derived[key] for key, title in titles.items()}
    return TrackerCheck(tracker.header, len(tracker.rows), read, sorted(problems, key=_line), codes)


def _line(problem: tuple[int, LedgerError | str]) -> int:
    return problem[0]


def apply_update_sheet(
    session: LedgerSession, path: Path, *, on: date | None
) -> tuple[str, UpdateOutcome]:
    """Record the filled-in update sheet at ``path`` as the session's actor's, acting
    for the sheet's owner; whose sheet it was, and what was recorded (and by whom)."""
    owner, rows = read_update_sheet(path)
    ledger = session.ledger(write=True)
    outcome = ledger.apply_updates(rows, source=path.name, owner=owner, actor=session.actor, on=on)
    return owner, outcome


def restore(
    session: LedgerSession,
    file: str,
    *,
    digest: Digest | None = None,
    open_org: Callable[[str], LedgerSession] | None = None,
    open_clear: Callable[[str], LedgerSession] | None = None,
) -> tuple[int, Digest | None]:
    """Restore the export ``file`` (.jsonl) into an empty ledger, refusing it unless its
    history gives ``digest`` (when given); how many events, and the restored ledger's
    own digest. ``open_org`` opens the store's other organisations' ledgers with this
    restore's key, ``open_clear`` without one: a report received from one the store
    holds must be as that ledger issued it."""
    path = Path(file)
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        raise InvalidInputError(
            "{file}: restore reads a .jsonl file written by {hint}",
            file=file,
            hint=Hint.to(Fix.EXPORT_BACKUP),
        )
    # Bytes, decoded line by line: a line that is not UTF-8 is a bad line like any other.
    lines = [_utf8(line) for line in path.read_bytes().splitlines()]
    if open_org is not None:
        with as_recorded():  # its texts as they were recorded, as the restore holds them
            check_received(read_backup(lines), issuer_of(open_org, open_clear))
    ledger = session.ledger(write=True)
    _refuse_a_model_of_deleted_events(ledger, session.target)
    with session.progress(len(lines), f"Restoring {path.name}") as bar:
        count = ledger.restore_backup(
            read_backup(lines), source=path.name, progress=bar, digest=digest
        )
    return count, ledger.digest()


def _refuse_a_model_of_deleted_events(ledger: Ledger, target: str) -> None:
    """Refuse restoring into a ledger with no events whose read model has read some: they
    were deleted, and the model, which restored events would follow from where it stands,
    is the evidence of what they were."""
    from projections.store.stored_rows import Stored

    if ledger.last_position():
        return  # the restore refuses a ledger that holds events itself
    store = Stored(ledger, target)
    try:
        read = store.position_read()
    finally:
        store.close()
    if read:
        raise RuleBrokenError(
            "this ledger holds no events, yet its read model has read its log up to "
            "position {read}: they were deleted; nothing was restored. Restore into a new file or an empty "
            "database, and keep this one for whoever looks into it",
            read=read,
        )


def issuer_of(
    open_org: Callable[[str], LedgerSession],
    open_clear: Callable[[str], LedgerSession] | None = None,
) -> Callable[[str], IssuedReports | None]:
    """What each organisation of the store issued nationally, read once; None for one
    the store does not hold. An issuer not read with the restore's key is read without
    one when it is kept in clear (a force encrypted, restoring, beside an inspectorate
    in clear); one kept under another key, or that this login may not read (another
    organisation's schema closed to it), cannot be read, and refuses the restore: what a
    backup received is never left unchecked."""
    found: dict[str, IssuedReports | None] = {}

    def issued(org: str) -> IssuedReports | None:
        if org not in found:
            try:
                try:
                    ledger = open_org(org).ledger(write=False)
                except KeyRefusedError:  # there, but not read with this key
                    if open_clear is None:
                        raise
                    ledger = open_clear(org).ledger(write=False)
            except KeyRefusedError:
                raise KeyRefusedError(
                    "the reports this backup received from {org} cannot be checked against "
                    "{org}'s ledger, which is encrypted under a key this restore does not come "
                    "with; nothing was recorded; restore it with the key {org}'s ledger is "
                    "kept under",
                    org=org,
                ) from None
            except LedgerMissingError:  # not in this store: nothing to check it against
                found[org] = None
            except LedgerError as error:  # there, but not for this login to read
                raise LedgerError(
                    "the reports this backup received from {org} cannot be checked against "
                    "{org}'s ledger, which this restore cannot read ({why}); nothing was "
                    "recorded; restore it as a login that may read {org}'s ledger",
                    org=org,
                    why=str(error),
                ) from None
            else:
                found[org] = {
                    report.code: (report, {item.ref: item for item in items})
                    for report, items in ledger.issued_nationally()
                }
        return found[org]

    return issued


def _utf8(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd"  # not JSON, so refused naming its line, with nothing written
