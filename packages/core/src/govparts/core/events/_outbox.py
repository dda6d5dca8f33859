"""Writing events to the outbox, in the caller's transaction."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError

from ..db import UTCDateTime
from ..errors import ConfigurationError, InvalidInput, InvalidRecord, NotFound
from ..i18n import N_
from ._catalogue import EventType, get
from ._envelope import CloudEvent, new_event_ids, reserve_event_ids
from ._tables import OUTBOX, PROCESSED, SUBJECT

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = ["json_object", "mark_processed", "publish", "publish_batch", "publish_events", "publish_select"]

# Subjects per upsert batch. The statement is compiled once and sent as an executemany, which
# SQLAlchemy's "insertmanyvalues" renders into multi-row INSERT … RETURNING batches itself, so no
# new statement is compiled per batch size. SQLite allows 32766 bound values per statement; two per
# subject stays well inside it.
_SUBJECTS_PER_STATEMENT = 1000

_upserts: dict[str, Any] = {}
_marks: dict[str, Any] = {}
_OUTBOX_INSERT = sa.insert(OUTBOX)
_COLUMNS = ("id", "type", "source", "subject", "subject_seq", "time", "datacontenttype", "dataschema")
# On SQLite the outbox rows go straight to the driver's executemany, their values already in the
# form SQLAlchemy's column types store, and every subject is numbered by one statement.
_SQLITE_INSERT = (
    f"INSERT INTO {OUTBOX.name} ({', '.join(_COLUMNS)}, data, extensions, fanned_out) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)}, ?, ?, 0)"
)
_SQLITE_NUMBER = (
    f"INSERT INTO {SUBJECT.name} (subject, last_seq) SELECT key, value FROM json_each(?) WHERE true "
    "ON CONFLICT (subject) DO UPDATE SET last_seq = last_seq + excluded.last_seq "
    "RETURNING subject, last_seq"
)
_TEXT_LENGTH = 500
"""The longest ``source`` and ``subject`` the envelope (and the outbox table) takes."""
_payload_lists: dict[type[Any], TypeAdapter[list[Any]]] = {}
_SPARSE_SPAN = 1 << 40
"""Integer ordinals spread wider than this are numbered by rank instead of by their own value."""


class _Row(NamedTuple):
    """An outbox row before numbering: the envelope's attributes, ``data`` in Python form."""

    id: str
    type: str
    source: str
    subject: str
    time: datetime
    datacontenttype: str | None
    dataschema: str | None
    data: Any
    extensions: dict[str, Any] | None


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


def publish_batch(
    bind: Session | sa.Connection,
    event_type: EventType | str,
    events: Iterable[tuple[str, Any]],
    *,
    source: str | None = None,
    time: datetime | None = None,
    validate: bool = True,
) -> list[str]:
    """Write one event of ``event_type`` per ``(subject, data)`` pair, inside the caller's transaction.

    The bulk form of :func:`publish` for a producer writing thousands of events of one type at once
    (an import): the envelopes are never built as objects, and the batch is numbered per subject and
    inserted with one statement each. Every event gets a fresh id (:func:`new_event_ids`), the type's
    ``dataschema``, ``source`` (default: the type's) and ``time`` (default: now). Events of one
    subject are numbered in the order given. Returns the event ids, in that order.

    ``data`` is validated against the event type's payload model in one pass and stored in its JSON
    form; one bad event refuses the batch before anything is written, naming
    ``events[<index>].data.<field>``. With ``validate=False`` the caller vouches that each ``data``
    already *is* the JSON form of a valid payload, built from values validated with the payload's
    own field types (as a bulk import builds it from records it has just validated); it is stored
    as given, and only what the outbox needs is checked (JSON-serialisable data, the subject).
    """
    kind = _registered_kind(event_type)
    if source is not None:
        _check_text(source, "source")
    pairs = list(events)
    subjects = [subject for subject, _ in pairs]
    for index, subject in enumerate(subjects):
        _check_subject(subject, f"events[{index}].subject")
    data = [item for _, item in pairs]
    if validate:
        data = _validated(kind, data)
    at = _aware(time or datetime.now(UTC))
    origin = source or kind.source
    rows = [
        _Row(event_id, kind.type, origin, subject, at, "application/json", kind.dataschema, item, None)
        for event_id, subject, item in zip(new_event_ids(len(pairs)), subjects, data, strict=True)
    ]
    _write_rows(bind, rows)
    return [row.id for row in rows]


_JSON_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_object(bind: Session | sa.Connection, **fields: Any) -> sa.ColumnElement[Any]:
    """A SQL expression building the JSON object ``{name: value, …}`` in the database, keys in order.

    ``json_object`` on SQLite, ``json_build_object`` on PostgreSQL. Values are column expressions
    (text, numbers, dates: a date becomes its ISO 8601 text on both) or further ``json_object``
    expressions, which nest as objects. For the rows of :func:`publish_select`.
    """
    pairs: list[Any] = []
    for name, value in fields.items():
        if not _JSON_KEY.match(name):
            raise InvalidInput(
                N_("{field}: {got} does not have the required form"), field="json_object", got=name
            )
        # A key is rendered as a SQL string literal: PostgreSQL cannot type a bound parameter taken
        # by json_build_object's variadic "any" arguments.
        pairs += [sa.literal_column(f"'{name}'"), value]
    builder = sa.func.json_build_object if _dialect_name(bind) == "postgresql" else sa.func.json_object
    return builder(*pairs)


def publish_select(
    bind: Session | sa.Connection,
    event_type: EventType | str,
    rows: sa.Select[Any],
    *,
    source: str | None = None,
    time: datetime | None = None,
    validate: bool = True,
) -> int:
    """Write one event of ``event_type`` per row of ``rows``, built by the database; returns how many.

    The set-based form of :func:`publish_batch`, for events about rows the same transaction has just
    written (an import): the database builds, numbers and inserts the events with one statement
    each, and no event passes through Python. ``rows`` selects three labelled columns: ``subject``
    (the event's subject), ``data`` (its payload, a JSON object built with :func:`json_object`) and
    ``ordinal`` (distinct values giving the order of publishing). Events of one subject are numbered
    in that order, after those the subject already has; every event gets a fresh id (one
    :func:`reserve_event_ids` block, increasing in that order), the type's ``dataschema``, ``source``
    (default: the type's) and ``time`` (default: now).

    A row without a subject or with one longer than 500 characters refuses the batch before anything
    is written, naming ``events[<index>].subject`` (counted in ``ordinal`` order). ``data`` is
    validated against the payload model in one pass (read back from the database), a bad one named
    ``events[<index>].data.<field>``; with ``validate=False`` the caller vouches that the SQL builds
    the JSON form of a valid payload from values validated with the payload's own field types, and
    it is stored as built. The JSON text is the database's own (SQLite keeps non-ASCII characters
    as they are, where :func:`publish` stores ``\\u`` escapes): readers parse it to the same data.
    """
    kind = _registered_kind(event_type)
    if source is not None:
        _check_text(source, "source")
    at = _aware(time or datetime.now(UTC))
    q = rows.subquery("q")
    missing = sa.or_(q.c.subject.is_(None), sa.func.length(q.c.subject) < 1)
    total, lowest, highest, no_subject, too_long = bind.execute(
        sa.select(
            sa.func.count(),
            sa.func.min(q.c.ordinal),
            sa.func.max(q.c.ordinal),
            sa.func.min(sa.case((missing, q.c.ordinal))),
            sa.func.min(sa.case((sa.func.length(q.c.subject) > _TEXT_LENGTH, q.c.ordinal))),
        )
    ).one()
    if no_subject is not None or too_long is not None:
        _refuse_subject(bind, q, no_subject, too_long)
    if not total:
        return 0
    if validate:
        found = bind.execute(sa.select(q.c.data).order_by(q.c.ordinal)).scalars()
        _validated(kind, [json.loads(item) if isinstance(item, str) else item for item in found])
    insert = _dialect_insert(bind)(SUBJECT)
    counted = (
        sa.select(q.c.subject, sa.func.count())
        .where(sa.true())  # SQLite: a WHERE before ON CONFLICT tells the upsert from a join's ON
        .group_by(q.c.subject)
        .order_by(q.c.subject)  # two transactions on overlapping subjects lock them in one order
    )
    insert = insert.from_select(["subject", "last_seq"], counted)
    subjects = cast(
        sa.CursorResult[Any],
        bind.execute(
            insert.on_conflict_do_update(
                index_elements=[SUBJECT.c.subject],
                set_={"last_seq": SUBJECT.c.last_seq + insert.excluded.last_seq},
            )
        ),
    ).rowcount
    offset: sa.ColumnElement[Any]
    seq: sa.ColumnElement[Any]
    order: sa.ColumnElement[Any]
    source_rows: sa.Subquery
    span = highest - lowest + 1 if isinstance(lowest, int) and isinstance(highest, int) else None
    if subjects == total and span is not None and span <= _SPARSE_SPAN:
        # The common case (one event per subject, integer ordinals): no numbering to compute. An
        # event's id counts up from the block's first by its ordinal, its number is the counter's.
        block = reserve_event_ids(span)
        offset, seq, source_rows, order = q.c.ordinal - lowest, SUBJECT.c.last_seq, q, q.c.ordinal
    else:
        block = reserve_event_ids(int(total))
        source_rows = sa.select(
            q.c.subject,
            q.c.data,
            (sa.func.row_number().over(order_by=q.c.ordinal) - 1).label("offset"),
            sa.func.row_number().over(partition_by=q.c.subject, order_by=q.c.ordinal).label("k"),
            sa.func.count().over(partition_by=q.c.subject).label("size"),
        ).subquery("e")
        offset, seq = source_rows.c.offset, SUBJECT.c.last_seq - source_rows.c.size + source_rows.c.k
        order = offset
    tail = sa.cast(sa.literal(block.first_tail, sa.BigInteger), sa.BigInteger) + offset
    if _dialect_name(bind) == "postgresql":
        spelled = sa.func.lpad(sa.func.to_hex(tail), 12, "0")
    else:
        spelled = sa.func.printf("%012x", tail)
    built = (
        sa.select(
            sa.literal(block.prefix, sa.String) + spelled,
            sa.literal(kind.type, sa.String),
            sa.literal(source or kind.source, sa.String),
            source_rows.c.subject,
            seq,
            sa.literal(at, UTCDateTime),
            sa.literal("application/json", sa.String),
            sa.literal(kind.dataschema, sa.String),
            source_rows.c.data,
            sa.false(),
        )
        .join_from(source_rows, SUBJECT, SUBJECT.c.subject == source_rows.c.subject)
        .order_by(order)
    )
    bind.execute(sa.insert(OUTBOX).from_select([*_COLUMNS, "data", "fanned_out"], built))
    return int(total)


def _refuse_subject(bind: Session | sa.Connection, q: sa.Subquery, no_subject: Any, too_long: Any) -> None:
    """Raise the error of the first row of :func:`publish_select` whose subject is refused."""
    first = min(ordinal for ordinal in (no_subject, too_long) if ordinal is not None)
    index = bind.execute(sa.select(sa.func.count()).where(q.c.ordinal < first)).scalar_one()
    if first == no_subject:
        raise InvalidInput(
            N_("{field}: an event needs a subject (its ordering key)"), field=f"events[{index}].subject"
        )
    _check_text(
        bind.execute(sa.select(q.c.subject).where(q.c.ordinal == first)).scalar_one(),
        f"events[{index}].subject",
    )


def _registered_kind(event_type: EventType | str) -> EventType:
    kind = get(event_type) if isinstance(event_type, str) else event_type
    try:
        registered = get(kind.type)
    except NotFound as exc:
        raise exc.with_field("type") from None
    if registered != kind:
        # Readers take the data by the catalogue's payload model, never by this other definition.
        raise ConfigurationError(
            N_("{field}: event type {got} is already registered with another definition"),
            field="type",
            got=kind.type,
        )
    return kind


def _check_subject(subject: object, field: str) -> None:
    if not subject:
        raise InvalidInput(N_("{field}: an event needs a subject (its ordering key)"), field=field)
    _check_text(subject, field)


def _check_text(value: object, field: str) -> None:
    if not isinstance(value, str) or not 0 < len(value) <= _TEXT_LENGTH:
        raise InvalidInput(
            N_("{field}: expected text of 1 to {limit} characters, got {got}"),
            field=field,
            got=str(value),
            limit=_TEXT_LENGTH,
        )


def _aware(at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput(N_("{field}: the time must carry its time zone"), field="time", got=str(at))
    return at.astimezone(UTC)


def _validated(kind: EventType, data: list[Any]) -> list[Any]:
    """``data`` validated against the payload model in one pass, each item in its JSON form."""
    adapter = _payload_lists.get(kind.payload)
    if adapter is None:
        adapter = _payload_lists.setdefault(kind.payload, TypeAdapter(list[kind.payload]))  # type: ignore[name-defined]
    try:
        payloads = adapter.validate_python(data)
    except ValidationError:
        # Find the first bad item and report it the way ``EventType.validate`` does, placed.
        for index, item in enumerate(data):
            try:
                kind.validate(item)
            except InvalidRecord as exc:
                for error in exc.errors:
                    error.field = f"events[{index}].data.{error.field}"
                raise
        raise  # pragma: no cover - the list failed, so one of its items fails too
    dumped: list[Any] = adapter.dump_python(payloads, mode="json")
    return dumped


def _number(bind: Session | sa.Connection, subjects: Sequence[str]) -> list[int]:
    """The sequence number of each event, by its subject, taking them from the subject counters."""
    counts = Counter(subjects)
    last: dict[str, int] = {}
    # Sorted, so that two transactions publishing on overlapping subjects lock them in one order.
    ordered = sorted(counts)
    if _dialect_name(bind) == "sqlite":
        # SQLite has one writer at a time, so there is no lock order to keep; one statement numbers
        # every subject of the batch, its counts read from a JSON object by json_each.
        counted = json.dumps({subject: counts[subject] for subject in ordered})
        numbered = _connection(bind).exec_driver_sql(_SQLITE_NUMBER, (counted,))
        last = {subject: int(seq) for subject, seq in numbered}
    else:
        upsert = _subject_upsert(bind)
        for start in range(0, len(ordered), _SUBJECTS_PER_STATEMENT):
            chunk = [
                {"subject": s, "last_seq": counts[s]}
                for s in ordered[start : start + _SUBJECTS_PER_STATEMENT]
            ]
            last.update({subject: int(seq) for subject, seq in bind.execute(upsert, chunk)})
    next_seq = {subject: last[subject] - counts[subject] + 1 for subject in counts}
    seqs = []
    for subject in subjects:
        seqs.append(next_seq[subject])
        next_seq[subject] += 1
    return seqs


def _connection(bind: Session | sa.Connection) -> sa.Connection:
    return bind if isinstance(bind, sa.Connection) else bind.connection()


def _write(bind: Session | sa.Connection, events: Sequence[CloudEvent]) -> None:
    """Number checked events per subject and insert them into the outbox."""
    now = datetime.now(UTC)
    _write_rows(
        bind,
        [
            _Row(
                event.id,
                event.type,
                event.source,
                str(event.subject),
                event.time or now,
                event.datacontenttype,
                event.dataschema,
                event.data,
                event.extensions or None,
            )
            for event in events
        ],
    )


def _write_rows(bind: Session | sa.Connection, rows: Sequence[_Row]) -> None:
    """Number rows per subject and insert them into the outbox: one executemany."""
    if not rows:
        return
    connection = _connection(bind)
    # A driver that adapts JSON itself (psycopg) leaves the type without a processor; json.dumps
    # then only checks the data, which the driver serialises again.
    to_json = OUTBOX.c.data.type.bind_processor(connection.dialect) or json.dumps
    # Serialised before numbering: data that is not JSON refuses the batch before anything is written.
    try:
        stored = [(to_json(row.data), to_json(row.extensions)) for row in rows]
    except (TypeError, ValueError):
        for index, row in enumerate(rows):
            _json(to_json, row.data, f"events[{index}].data")
            _json(to_json, row.extensions, f"events[{index}]")
        raise
    seqs = _number(bind, [row.subject for row in rows])
    if connection.dialect.name != "sqlite":
        # One statement object for every batch: compiled once, sent as an executemany.
        bind.execute(
            _OUTBOX_INSERT,
            [
                {**row._asdict(), "subject_seq": seq, "fanned_out": False}
                for row, seq in zip(rows, seqs, strict=True)
            ],
        )
        return
    to_time = _processor(OUTBOX.c.time, connection.dialect)
    times: dict[datetime, Any] = {}
    values = []
    for row, seq, (data, extensions) in zip(rows, seqs, stored, strict=True):
        at = times.get(row.time)
        if at is None:
            at = times[row.time] = to_time(row.time)
        values.append(
            (
                row.id,
                row.type,
                row.source,
                row.subject,
                seq,
                at,
                row.datacontenttype,
                row.dataschema,
                data,
                extensions,
            )
        )
    connection.exec_driver_sql(_SQLITE_INSERT, values)


def _processor(column: sa.Column[Any], dialect: sa.Dialect) -> Callable[[Any], Any]:
    processor = column.type.bind_processor(dialect)
    return processor if processor is not None else (lambda value: value)


def _json(to_json: Callable[[Any], Any], value: Any, field: str) -> Any:
    try:
        return to_json(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            N_("{field}: cannot be recorded as JSON ({reason})"), field=field, reason=str(exc)
        ) from None


def _mark_statement(bind: Session | sa.Connection) -> Any:
    """The processed-event insert of the bind's dialect, built once and then reused.

    Building the construct and its cache key cost more than the insert itself (about a
    millisecond a call); the same statement object, executed with new parameters, is looked up in
    SQLAlchemy's compiled cache once per call and never built again.
    """
    name = _dialect_name(bind)
    statement = _marks.get(name)
    if statement is None:
        statement = (
            _dialect_insert(bind)(PROCESSED)
            .values(
                handler_id=sa.bindparam("handler_id", type_=PROCESSED.c.handler_id.type),
                event_id=sa.bindparam("event_id", type_=PROCESSED.c.event_id.type),
                processed_at=sa.bindparam("processed_at", type_=PROCESSED.c.processed_at.type),
            )
            .on_conflict_do_nothing(index_elements=[PROCESSED.c.handler_id, PROCESSED.c.event_id])
            .returning(PROCESSED.c.event_id)
        )
        _marks[name] = statement
    return statement


def mark_processed(bind: Session | sa.Connection, handler_id: str, event_id: str) -> bool:
    """Record that ``handler_id`` processed ``event_id``; False when it already had.

    Call it in the transaction that applies the handler's effects, and apply them only when it
    returns True: the effects and the record commit together, so an event delivered twice (or
    received again from elsewhere) takes effect once. A concurrent second call waits for the first
    transaction and then returns False.
    """
    values = {"handler_id": handler_id, "event_id": event_id, "processed_at": datetime.now(UTC)}
    # RETURNING, not rowcount: drivers need not report a row count for INSERT (psycopg gives -1).
    return bind.execute(_mark_statement(bind), values).first() is not None
