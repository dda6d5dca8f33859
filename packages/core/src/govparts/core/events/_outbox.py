"""Writing events to the outbox, in the caller's transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import InvalidInput, NotFound
from ..i18n import N_
from ._catalogue import EventType, get
from ._envelope import CloudEvent
from ._tables import OUTBOX, PROCESSED, SUBJECT

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = ["mark_processed", "publish", "publish_events"]

# Subjects per upsert batch. The statement is compiled once and sent as an executemany, which
# SQLAlchemy's "insertmanyvalues" renders into multi-row INSERT … RETURNING batches itself, so no
# new statement is compiled per batch size. SQLite allows 32766 bound values per statement; two per
# subject stays well inside it.
_SUBJECTS_PER_STATEMENT = 1000

_upserts: dict[str, Any] = {}
_OUTBOX_INSERT = sa.insert(OUTBOX)


def _dialect_name(bind: Session | sa.Connection) -> str:
    return str(bind.dialect.name if isinstance(bind, sa.Connection) else bind.get_bind().dialect.name)


def _dialect_insert(bind: Session | sa.Connection) -> Any:
    insert: Any
    if _dialect_name(bind) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _subject_upsert(bind: Session | sa.Connection) -> Any:
    """The one counter upsert statement of the bind's dialect, built once and then reused.

    Reusing the same statement object lets SQLAlchemy's compiled cache hit on every call.
    """
    name = _dialect_name(bind)
    statement = _upserts.get(name)
    if statement is None:
        statement = _dialect_insert(bind)(SUBJECT)
        statement = statement.on_conflict_do_update(
            index_elements=[SUBJECT.c.subject],
            set_={"last_seq": SUBJECT.c.last_seq + statement.excluded.last_seq},
        ).returning(SUBJECT.c.subject, SUBJECT.c.last_seq)
        _upserts[name] = statement
    return statement


def publish(
    bind: Session | sa.Connection,
    event_type: EventType | str,
    data: Any,
    *,
    subject: str,
    source: str | None = None,
    id: str | None = None,
    time: datetime | None = None,
    extensions: Mapping[str, str | int | bool] | None = None,
) -> CloudEvent:
    """Write one event to the outbox inside the caller's transaction; returns its envelope.

    ``data`` is validated against the event type's payload model (bad data raises
    :class:`~govparts.core.errors.InvalidRecord` and nothing is written). The event is delivered
    only if the transaction commits, after everything committed before it on the same ``subject``.
    """
    kind = get(event_type) if isinstance(event_type, str) else event_type
    event = kind.envelope(data, subject=subject, source=source, id=id, time=time, extensions=extensions)
    try:
        registered = get(event.type)
    except NotFound as exc:
        raise exc.with_field("events[0].type") from None
    if registered == kind:
        # ``envelope`` validated the whole event against the registered type's payload model and set
        # ``data`` to the JSON dump of the validated payload; nobody else has held the envelope since,
        # so it is written without validating it a second time.
        _write(bind, [event])
    else:
        publish_events(bind, [event])
    return event


def _check(event: CloudEvent, index: int) -> None:
    where = f"events[{index}]"
    if not isinstance(event, CloudEvent):
        raise InvalidInput(
            N_("{field}: expected a CloudEvent, got {got}"), field=where, got=type(event).__name__
        )
    if event.subject is None:
        raise InvalidInput(
            N_("{field}: an event needs a subject (its ordering key)"), field=f"{where}.subject"
        )
    try:
        kind = get(event.type)
    except NotFound as exc:
        raise exc.with_field(f"{where}.type") from None
    kind.validate(event.data)


def publish_events(bind: Session | sa.Connection, events: Sequence[CloudEvent]) -> None:
    """Write ready-made envelopes to the outbox in one go, inside the caller's transaction.

    Every event needs a subject and a registered type whose payload its data satisfies; one bad
    event refuses the batch before anything is written. Events of one subject are numbered in the
    order given. Each subject's counter row stays locked until the transaction ends, so events of one
    subject are numbered (and delivered) in commit order even when published concurrently.
    """
    for index, event in enumerate(events):
        _check(event, index)
    _write(bind, events)


def _number(bind: Session | sa.Connection, subjects: Sequence[str]) -> list[int]:
    """The sequence number of each event, by its subject, taking them from the subject counters."""
    counts = Counter(subjects)
    last: dict[str, int] = {}
    # Sorted, so that two transactions publishing on overlapping subjects lock them in one order.
    ordered = sorted(counts)
    upsert = _subject_upsert(bind)
    for start in range(0, len(ordered), _SUBJECTS_PER_STATEMENT):
        chunk = [
            {"subject": s, "last_seq": counts[s]} for s in ordered[start : start + _SUBJECTS_PER_STATEMENT]
        ]
        last.update({subject: int(seq) for subject, seq in bind.execute(upsert, chunk)})
    next_seq = {subject: last[subject] - counts[subject] + 1 for subject in counts}
    seqs = []
    for subject in subjects:
        seqs.append(next_seq[subject])
        next_seq[subject] += 1
    return seqs


def _insert(bind: Session | sa.Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        # One statement object for every batch: compiled once, sent as an executemany.
        bind.execute(_OUTBOX_INSERT, rows)


def _write(bind: Session | sa.Connection, events: Sequence[CloudEvent]) -> None:
    """Number checked events per subject and insert them into the outbox."""
    if not events:
        return
    subjects = [str(event.subject) for event in events]
    seqs = _number(bind, subjects)
    now = datetime.now(UTC)
    _insert(
        bind,
        [
            {
                "id": event.id,
                "type": event.type,
                "source": event.source,
                "subject": subject,
                "subject_seq": seq,
                "time": event.time or now,
                "datacontenttype": event.datacontenttype,
                "dataschema": event.dataschema,
                "data": event.data,
                "extensions": event.extensions or None,
                "fanned_out": False,
            }
            for event, subject, seq in zip(events, subjects, seqs, strict=True)
        ],
    )


def mark_processed(bind: Session | sa.Connection, handler_id: str, event_id: str) -> bool:
    """Record that ``handler_id`` processed ``event_id``; False when it already had.

    Call it in the transaction that applies the handler's effects, and apply them only when it
    returns True: the effects and the record commit together, so an event delivered twice (or
    received again from elsewhere) takes effect once. A concurrent second call waits for the first
    transaction and then returns False.
    """
    insert = _dialect_insert(bind)
    statement = (
        insert(PROCESSED)
        .values(handler_id=handler_id, event_id=event_id, processed_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=[PROCESSED.c.handler_id, PROCESSED.c.event_id])
        .returning(PROCESSED.c.event_id)
    )
    # RETURNING, not rowcount: drivers need not report a row count for INSERT (psycopg gives -1).
    return bind.execute(statement).first() is not None
