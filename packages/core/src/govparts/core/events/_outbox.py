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

# SQLite allows 32766 bound values per statement; two per subject stays well inside it.
_SUBJECTS_PER_STATEMENT = 1000


def _dialect_insert(bind: Session | sa.Connection) -> Any:
    name = bind.dialect.name if isinstance(bind, sa.Connection) else bind.get_bind().dialect.name
    insert: Any
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


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
    if not events:
        return
    insert = _dialect_insert(bind)
    counts = Counter(str(event.subject) for event in events)
    last: dict[str, int] = {}
    # Sorted, so that two transactions publishing on overlapping subjects lock them in one order.
    subjects = sorted(counts, key=str)
    for start in range(0, len(subjects), _SUBJECTS_PER_STATEMENT):
        chunk = subjects[start : start + _SUBJECTS_PER_STATEMENT]
        statement = insert(SUBJECT).values([{"subject": s, "last_seq": counts[s]} for s in chunk])
        statement = statement.on_conflict_do_update(
            index_elements=[SUBJECT.c.subject],
            set_={"last_seq": SUBJECT.c.last_seq + statement.excluded.last_seq},
        ).returning(SUBJECT.c.subject, SUBJECT.c.last_seq)
        last.update({row.subject: int(row.last_seq) for row in bind.execute(statement)})
    next_seq = {subject: last[subject] - counts[subject] + 1 for subject in counts}
    rows = []
    for event in events:
        subject = str(event.subject)
        rows.append(
            {
                "id": event.id,
                "type": event.type,
                "source": event.source,
                "subject": subject,
                "subject_seq": next_seq[subject],
                "time": event.time or datetime.now(UTC),
                "datacontenttype": event.datacontenttype,
                "dataschema": event.dataschema,
                "data": event.data,
                "extensions": event.extensions or None,
                "fanned_out": False,
            }
        )
        next_seq[subject] += 1
    bind.execute(sa.insert(OUTBOX), rows)


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
