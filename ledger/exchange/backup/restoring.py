"""Restore: a backup's events written into an empty ledger, all or none, once every
line has been checked: that it is an event ragw records and agrees with itself
(:mod:`.lines`), that it comes in order and from no moment after the restore, that the
rules it passed when it was recorded give it again (:mod:`.replay`), and, when a digest
is given, that the file's history is the one the digest pins.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from events import LedgerEvent, OrganisationAdded, PaperIssued, RecommendationIssued
from ledger.chain import GENESIS, Digest, link
from ledger.errors import BatchRefusedError, Field, Fix, Hint, LedgerError, RuleBrokenError
from ledger.exchange.backup.lines import event_of, position_of
from ledger.exchange.backup.replay import Replay
from ledger.keys import report_id
from ledger.storage.batch import insert_at
from ledger.storage.mapper import PydanticMapper

if TYPE_CHECKING:
    from ledger.application import Ledger

#: How far ahead of this machine's clock a recording moment may be: the clocks of the
#: machine that recorded an event and of the one restoring it are each kept to well under
#: a second by NTP; five minutes (Kerberos's default allowance) covers one that is not,
#: without letting anything be dated later in the day, let alone in 2099.
CLOCK_TOLERANCE = timedelta(minutes=5)
#: The most positions a backup may leave unused before a line, over all its lines: a
#: PostgreSQL log skips the positions of writes rolled back (each the size of its
#: write), never so many. A log numbered further ahead would near 2**53, the last
#: position a backup may give, and a ledger restored from it could not be backed up.
UNUSED = 2**40


def restore(
    ledger: Ledger,
    lines: Iterable[tuple[int, dict[str, Any] | str]],
    *,
    source: str,
    progress: Callable[[int], object] | None = None,
    digest: Digest | None = None,
    now: datetime | None = None,
) -> int:
    """Write every event of a backup into an empty ledger; return how many. Refuses
    (:class:`BatchRefusedError`, naming every bad line) a backup any line of which does
    not hold; refuses one whose history does not give ``digest``."""
    if ledger.last_position():
        raise RuleBrokenError(
            "restore writes into an empty ledger only, and this one holds events; "
            "give {store} a new file or an empty database",
            store=Field.STORE,
        )
    latest = (now or datetime.now(UTC)) + CLOCK_TOLERANCE
    events: list[LedgerEvent] = []
    positions: list[int] = []
    #: The latest recording time of the events up to each of ``positions``.
    recorded_by: list[datetime] = []
    problems: list[tuple[int, LedgerError | str]] = []
    versions: dict[UUID, int] = {}
    numbers: list[int] = []
    numbered: bool | None = None
    #: Keys with a bad line: their later lines would only be refused for its gap.
    broken: set[str] = set()
    for number, line in lines:
        if progress is not None:
            progress(1)
        if isinstance(line, str):
            problems.append((number, line))
            continue
        if str(line.get("key")) in broken:
            continue
        try:
            event = event_of(line)
            position = position_of(line)
        except LedgerError as error:
            broken.add(str(line.get("key")))
            problems.append((number, error))
            continue
        if numbered is None:
            numbered = position is not None
        if position is None:
            position = (positions[-1] if positions else 0) + 1
        stream = event.originator_id
        try:
            if numbered != ("position" in line):
                raise RuleBrokenError(
                    "some lines give their position in the log and some do not; a backup "
                    "gives it on every line or on none"
                )
            if positions and position <= positions[-1]:
                raise RuleBrokenError(
                    f"its position {position} does not come after the line before's "
                    f"({positions[-1]}): the backup is out of order"
                )
            if position - len(positions) - 1 > UNUSED:
                raise RuleBrokenError(
                    f"its position {position} leaves {position - len(positions) - 1} "
                    f"positions unused before it, more than {UNUSED} (2^40): writers that "
                    "collide leave a few unused, never so many, and a ledger numbered so far "
                    "ahead could not be backed up again once restored"
                )
            if isinstance(event, PaperIssued) and event.position >= position:
                raise RuleBrokenError(
                    f"its paper is pinned to position {event.position}, which is not before "
                    f"its own ({position}): a paper is issued from the history before it"
                )
            expected = versions.get(stream, 0) + 1
            if event.originator_version != expected:
                raise RuleBrokenError(
                    f"{line['id']} comes where {line['key']}@{expected} should; "
                    "the backup is incomplete or out of order"
                )
            if event.timestamp > latest:
                raise RuleBrokenError(
                    f"it was recorded at {event.timestamp.isoformat()}, after this restore "
                    f"({latest.replace(microsecond=0).isoformat()} at the latest): a "
                    "backup holds only what has happened"
                )
            if ledger.org and isinstance(event, OrganisationAdded) and event.code != ledger.org:
                raise RuleBrokenError(
                    f"it adds organisation {event.code}, and this is organisation "
                    f"{ledger.org}'s ledger: an organisation's ledger names itself alone"
                )
        except LedgerError as error:
            broken.add(str(line.get("key")))
            problems.append((number, error))
            continue
        versions[stream] = expected
        positions.append(position)
        events.append(event)
        numbers.append(number)
        recorded_by.append(
            max(recorded_by[-1], event.timestamp) if recorded_by else event.timestamp
        )
        if isinstance(event, PaperIssued) and (
            said := unpinned(event, positions, events, recorded_by, numbered=bool(numbered))
        ):
            broken.add(str(line.get("key")))
            problems.append((number, said))
    if problems:
        raise BatchRefusedError(source, problems)
    # The rules are replayed once every line reads: a line that does not leaves a gap
    # that every later event of its key (or of its report's items) would be refused for.
    replay_all(events, numbers, source, ledger.org)
    if digest is not None:
        check_digest(events, positions, digest, ledger)
    if events:
        stored = [ledger.mapper.to_stored_event(event) for event in events]
        check = None
        if digest is not None and not ledger.mapper.cipher:
            check = restored_digest_check(ledger, digest)
        # Each event at its own position: the chain hashes it, so every digest of the
        # original (on its papers, in the issues recorded) holds on the restored ledger.
        insert_at(ledger.recorder, stored, positions, check)
    return len(events)


def unpinned(
    issue: PaperIssued,
    positions: list[int],
    events: list[LedgerEvent],
    recorded_by: list[datetime],
    *,
    numbered: bool,
) -> str | None:
    """Why an issued paper's pin does not hold in the backup's own history (None when it
    does): the position it is pinned to holds an event, and a paper read as known when
    issued (not as known at an earlier moment) was read as known at the latest recording
    time of the events up to it (as ragw before that reading: at the event there). A
    digest edited to another position of the same history still gives a link of the
    chain; this is what tells that it is not the history the paper was issued from."""
    at = bisect_left(positions, issue.position)
    if at == len(positions) or positions[at] != issue.position:
        if not numbered:  # a backup of before positions were kept: they are guessed
            return None
        return (
            f"its paper is pinned to position {issue.position}, which holds no event of "
            "the backup: a paper is issued from the history a digest pins"
        )
    if issue.as_known_at is None and issue.read_at not in (recorded_by[at], events[at].timestamp):
        return (
            f"its paper is pinned to position {issue.position}, whose history was last "
            f"recorded at {recorded_by[at].isoformat()}, yet says it was read as known at "
            f"{issue.read_at.isoformat()}: a paper is read from its history as it stood when "
            "issued; the digest or the moment was altered"
        )
    return None


def restored_digest_check(ledger: Ledger, digest: Digest) -> Callable[[Any], None] | None:
    """A check, in the restore's transaction, that the restored ledger's own chain gives
    ``digest`` (a plaintext ledger stores what the digest was computed over): the file's
    history gave it, and so must what was written."""
    chainer = getattr(ledger.recorder, "chainer", None)
    if chainer is None:
        return None

    def check(cursor: Any) -> None:
        cursor.execute(chainer.select_links, (digest.position - 1, 1))
        row = cursor.fetchone()
        if row is None or int(row[0]) != digest.position or row[1] != digest.link:
            raise RuleBrokenError(
                "the restored ledger's history does not give the digest {digest}, though the "
                "backup's did; nothing was restored",
                digest=str(digest),
            )

    return check


def replay_all(
    events: list[LedgerEvent], numbers: list[int], source: str, org: str | None = None
) -> None:
    """Replay ``events`` (from lines ``numbers``) through the rules they passed when they
    were recorded; refuse them naming each key's first event that did not pass (what
    follows it in its key, or in its report's items, would only repeat the problem)."""
    replay = Replay(org)
    problems: list[tuple[int, LedgerError | str]] = []
    broken: set[UUID] = set()
    creators: dict[UUID, int] = {}
    for number, event in zip(numbers, events, strict=True):
        stream = event.originator_id
        creators.setdefault(stream, number)
        if isinstance(event, RecommendationIssued) and report_id(event.report) in broken:
            broken.add(stream)
        if stream in broken:
            continue
        try:
            replay.check(event)
        except LedgerError as error:
            broken.add(stream)
            problems.append((number, error))
    for stream, missing in replay.unfinished():
        if stream not in broken:
            problems.append(
                (
                    creators[stream],
                    f"the command that recorded it also gave {missing}, which the backup "
                    "does not hold",
                )
            )
    if problems:
        raise BatchRefusedError(source, problems)


def check_digest(
    events: list[LedgerEvent], positions: list[int], digest: Digest, ledger: Ledger
) -> None:
    """Refuse events whose chain, as the store that recorded them computed it, does not
    give ``digest`` at its position. Each event is stored again as a plaintext ledger of
    this ragw stores it, which is what that store held unless it was encrypted or held an
    older shape of the event: neither can be rebuilt from a backup."""
    plain = PydanticMapper(transcoder=ledger.mapper.transcoder)
    previous = GENESIS
    for position, event in zip(positions, events, strict=True):
        if position > digest.position:
            break
        row = plain.to_stored_event(event)
        previous = link(
            previous, position, row.originator_id, row.originator_version, row.topic, row.state
        )
        if position == digest.position and previous == digest.link:
            return
    raise RuleBrokenError(
        "the backup's history up to position {position} does not give the digest {digest}; "
        "nothing was restored. A backup cannot show the history of an encrypted ledger, or "
        "of events stored in an older shape, as its store hashed it: check such a digest on "
        "the original ledger ({hint}, with the digest)",
        position=digest.position,
        digest=str(digest),
        hint=Hint.to(Fix.VERIFY),
    )
