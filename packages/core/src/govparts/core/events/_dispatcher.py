"""Delivering outbox events to the handlers of other parts: at least once, in order per subject."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session

from ..errors import ConfigurationError, InvalidInput
from ..i18n import N_
from ._envelope import CloudEvent, parse_event_type
from ._outbox import _dialect_insert, mark_processed
from ._tables import DELIVERED, DELIVERY, OUTBOX, PENDING, SUBSCRIPTION

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = [
    "DeliveryFailure",
    "DispatchReport",
    "Dispatcher",
    "Handler",
    "HandlerFunc",
    "default_backoff",
    "drop_handler",
    "pending",
]

log = logging.getLogger("govparts.events")

HandlerFunc = Callable[[Session, CloudEvent], None]
"""A handler: applies an event's effects through the session it is given (the delivery's transaction)."""

# Any fixed 64-bit number: fan-out and subscription changes on PostgreSQL take this lock.
_FAN_OUT_LOCK = 0x67_70_2D_66_61_6E_6F_75  # "gp-fanou"
_ERROR_LIMIT = 2000
_NEW_DELIVERY = ["handler_id", "event_position", "subject", "status", "attempts"]


def _is_pending(table: sa.FromClause) -> sa.ColumnElement[bool]:
    # A literal, not a bound value, so that both databases use the partial index on pending rows.
    return table.c.status == sa.literal_column(f"'{PENDING}'")


def _not_fanned_out() -> sa.ColumnElement[bool]:
    return sa.not_(OUTBOX.c.fanned_out)


def default_backoff(attempts: int) -> timedelta:
    """Wait 2, 4, 8… seconds after each failed attempt, at most an hour."""
    return timedelta(seconds=min(2 ** min(attempts, 12), 3600))


@dataclass(frozen=True)
class Handler:
    """A handler registered under a stable id for the event types it consumes.

    The id names the handler in the database (its subscriptions, deliveries and processed events),
    so keep it stable across releases: ``"attendance.enrol-new-employee"``. With ``backfill`` a
    handler subscribing for the first time also receives every earlier event of its types.
    """

    id: str
    event_types: tuple[str, ...]
    func: HandlerFunc
    backfill: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not 0 < len(self.id) <= 100:
            raise InvalidInput(
                N_("{field}: a handler id is text of 1 to 100 characters, got {got}"),
                field="handler_id",
                got=str(self.id),
            )
        types = (self.event_types,) if isinstance(self.event_types, str) else tuple(self.event_types)
        if not types:
            raise InvalidInput(
                N_("{field}: the handler consumes no event type"), field=f"{self.id}.event_types"
            )
        for index, name in enumerate(types):
            parse_event_type(name, field=f"{self.id}.event_types[{index}]")
        object.__setattr__(self, "event_types", tuple(sorted(set(types))))


@dataclass(frozen=True)
class DeliveryFailure:
    """A delivery that failed in this run; it stays pending and is retried after ``retry_at``."""

    handler_id: str
    event_id: str
    event_type: str
    subject: str
    attempts: int
    error: str
    retry_at: datetime


@dataclass
class DispatchReport:
    """What one :meth:`Dispatcher.run` did."""

    fanned_out: int = 0
    """Outbox events turned into deliveries (to every subscribed handler, in any process)."""
    delivered: int = 0
    """Deliveries whose handler ran and committed."""
    duplicates: int = 0
    """Deliveries of events the handler had already processed (effects not applied again)."""
    failures: list[DeliveryFailure] = field(default_factory=list)


class Dispatcher:
    """Delivers committed outbox events to registered handlers.

    Guarantees:

    * at least once: a delivery stays pending until the transaction running its handler commits;
      a handler that raises leaves it pending with the error, the attempt count and the time of the
      next attempt (``backoff``);
    * effects once: the processed-event record (:func:`mark_processed`) commits in the same
      transaction as the handler's effects, so a redelivered event is acknowledged without running
      the handler again;
    * in order per subject and handler: a handler sees a subject's events in commit order, and a
      failing event holds back the later events of its subject for that handler only; other
      subjects and other handlers go on;
    * safe to run from many threads or processes at once: each claims whole subjects
      (``SELECT … FOR UPDATE SKIP LOCKED`` on the first pending delivery of a subject on
      PostgreSQL; SQLite runs writers one at a time).

    Work is fetched in batches with set-based statements: ``batch_size`` subjects per transaction,
    up to ``per_subject`` events of each; each event runs in a savepoint of that transaction.
    """

    def __init__(
        self,
        engine: Engine,
        handlers: Iterable[Handler] = (),
        *,
        batch_size: int = 100,
        per_subject: int = 20,
        backoff: Callable[[int], timedelta] = default_backoff,
    ) -> None:
        if batch_size < 1 or per_subject < 1:
            raise InvalidInput(
                N_("{field}: must be at least {limit}, got {got}"),
                field="batch_size" if batch_size < 1 else "per_subject",
                limit=1,
                got=min(batch_size, per_subject),
            )
        self.engine = engine
        self.batch_size = batch_size
        self.per_subject = per_subject
        self.backoff = backoff
        self._handlers: dict[str, Handler] = {}
        self._subscribed = False
        for handler in handlers:
            self.add(handler)

    @property
    def handlers(self) -> dict[str, Handler]:
        """The registered handlers by id."""
        return dict(self._handlers)

    def add(self, handler: Handler) -> Handler:
        """Register ``handler``; a different handler under the same id is a ConfigurationError."""
        known = self._handlers.get(handler.id)
        if known is not None and known != handler:
            raise ConfigurationError(
                N_("{field}: another handler is already registered as {got}"),
                field="handler_id",
                got=handler.id,
            )
        self._handlers[handler.id] = handler
        self._subscribed = False
        return handler

    def register(
        self, handler_id: str, event_types: str | Sequence[str], *, backfill: bool = True
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        """Decorator form of :meth:`add`::

        @dispatcher.register("attendance.enrol-new-employee", "cn.govparts.personnel.employee.hired.v1")
        def enrol(session, event): ...
        """
        types = (event_types,) if isinstance(event_types, str) else tuple(event_types)

        def decorate(func: HandlerFunc) -> HandlerFunc:
            self.add(Handler(handler_id, types, func, backfill))
            return func

        return decorate

    # -- running ----------------------------------------------------------------------------------

    def run(self, *, now: datetime | None = None, max_rounds: int | None = None) -> DispatchReport:
        """Fan out and deliver until nothing more can be delivered now; returns what happened.

        Deliveries that fail in this run are not retried in the same run. ``now`` (default: the
        clock) decides which failed deliveries are due again.
        """
        report = DispatchReport()
        if not self._handlers:
            report.fanned_out = self._fan_out_all()
            return report
        started = (now or datetime.now(UTC)).astimezone(UTC)
        self._ensure_subscriptions(started)
        rounds = 0
        while max_rounds is None or rounds < max_rounds:
            rounds += 1
            fanned = self._fan_out_all()
            report.fanned_out += fanned
            claimed = self._deliver_round(started, report)
            if not claimed and not fanned:
                break
        return report

    def _lock(self, session: Session) -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sa.text(f"SELECT pg_advisory_xact_lock({_FAN_OUT_LOCK})"))

    def _ensure_subscriptions(self, now: datetime) -> None:
        if self._subscribed:
            return
        wanted = {(h.id, t) for h in self._handlers.values() for t in h.event_types}
        with Session(self.engine) as session, session.begin():
            self._lock(session)
            have = {
                (row.handler_id, row.event_type)
                for row in session.execute(
                    sa.select(SUBSCRIPTION.c.handler_id, SUBSCRIPTION.c.event_type).where(
                        SUBSCRIPTION.c.handler_id.in_(list(self._handlers))
                    )
                )
            }
            for handler_id, event_type in sorted(have - wanted):
                _unsubscribe(session, handler_id, event_type)
            for handler_id, event_type in sorted(wanted - have):
                session.execute(
                    sa.insert(SUBSCRIPTION).values(
                        handler_id=handler_id, event_type=event_type, created_at=now
                    )
                )
                if self._handlers[handler_id].backfill:
                    # Events not yet fanned out get this handler when they are; these already were.
                    earlier = sa.select(
                        sa.literal(handler_id),
                        OUTBOX.c.position,
                        OUTBOX.c.subject,
                        sa.literal(PENDING),
                        sa.literal(0),
                    ).where(OUTBOX.c.type == event_type, OUTBOX.c.fanned_out)
                    # A handler subscribing again keeps its earlier deliveries (and their history).
                    session.execute(
                        _dialect_insert(session)(DELIVERY)
                        .from_select(_NEW_DELIVERY, earlier)
                        .on_conflict_do_nothing()
                    )
        self._subscribed = True

    def _fan_out_all(self) -> int:
        total = 0
        while True:
            count = self._fan_out()
            total += count
            if count == 0:
                return total

    def _fan_out(self) -> int:
        with Session(self.engine) as session, session.begin():
            self._lock(session)
            positions = list(
                session.execute(
                    sa.select(OUTBOX.c.position)
                    .where(_not_fanned_out())
                    .order_by(OUTBOX.c.position)
                    .limit(self.batch_size * self.per_subject)
                ).scalars()
            )
            if not positions:
                return 0
            targets = (
                sa.select(
                    SUBSCRIPTION.c.handler_id,
                    OUTBOX.c.position,
                    OUTBOX.c.subject,
                    sa.literal(PENDING),
                    sa.literal(0),
                )
                .join(SUBSCRIPTION, SUBSCRIPTION.c.event_type == OUTBOX.c.type)
                .where(OUTBOX.c.position.in_(positions))
            )
            session.execute(sa.insert(DELIVERY).from_select(_NEW_DELIVERY, targets))
            session.execute(sa.update(OUTBOX).where(OUTBOX.c.position.in_(positions)).values(fanned_out=True))
            return len(positions)

    def _claim(self, session: Session, started: datetime) -> list[tuple[str, str]]:
        first = DELIVERY.alias("first_pending")
        earliest = (
            sa.select(sa.func.min(first.c.event_position))
            .where(
                first.c.handler_id == DELIVERY.c.handler_id,
                first.c.subject == DELIVERY.c.subject,
                _is_pending(first),
            )
            .scalar_subquery()
        )
        heads = (
            sa.select(DELIVERY.c.handler_id, DELIVERY.c.subject)
            .where(
                _is_pending(DELIVERY),
                DELIVERY.c.handler_id.in_(list(self._handlers)),
                DELIVERY.c.event_position == earliest,
                sa.or_(DELIVERY.c.next_attempt_at.is_(None), DELIVERY.c.next_attempt_at <= started),
            )
            .order_by(DELIVERY.c.event_position)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True, of=DELIVERY)
        )
        return [(row.handler_id, row.subject) for row in session.execute(heads)]

    def _work(self, session: Session, pairs: list[tuple[str, str]]) -> Sequence[sa.RowMapping]:
        rank = (
            sa.func.row_number()
            .over(
                partition_by=(DELIVERY.c.handler_id, DELIVERY.c.subject), order_by=DELIVERY.c.event_position
            )
            .label("rank")
        )
        inner = (
            sa.select(
                DELIVERY.c.handler_id,
                DELIVERY.c.event_position,
                DELIVERY.c.attempts,
                OUTBOX.c.id,
                OUTBOX.c.type,
                OUTBOX.c.source,
                OUTBOX.c.subject,
                OUTBOX.c.time,
                OUTBOX.c.datacontenttype,
                OUTBOX.c.dataschema,
                OUTBOX.c.data,
                OUTBOX.c.extensions,
                rank,
            )
            .join(OUTBOX, OUTBOX.c.position == DELIVERY.c.event_position)
            .where(_is_pending(DELIVERY), sa.tuple_(DELIVERY.c.handler_id, DELIVERY.c.subject).in_(pairs))
            .subquery()
        )
        query = (
            sa.select(inner)
            .where(inner.c.rank <= self.per_subject)
            .order_by(inner.c.handler_id, inner.c.subject, inner.c.event_position)
        )
        return session.execute(query).mappings().all()

    def _deliver_round(self, started: datetime, report: DispatchReport) -> int:
        with Session(self.engine) as session, session.begin():
            pairs = self._claim(session, started)
            if not pairs:
                return 0
            done: list[tuple[str, int]] = []
            stopped: set[tuple[str, str]] = set()
            for row in self._work(session, pairs):
                pair = (row["handler_id"], row["subject"])
                if pair in stopped:
                    continue
                handler = self._handlers[row["handler_id"]]
                try:
                    # A stored event that no longer reads as an envelope fails like a handler would.
                    event = _envelope(row)
                    with session.begin_nested():
                        if mark_processed(session, handler.id, event.id):
                            handler.func(session, event)
                            report.delivered += 1
                        else:
                            report.duplicates += 1
                except Exception as exc:
                    stopped.add(pair)
                    report.failures.append(self._record_failure(session, row, exc))
                    continue
                done.append((handler.id, row["event_position"]))
            if done:
                finished = datetime.now(UTC)
                session.execute(
                    sa.update(DELIVERY)
                    .where(sa.tuple_(DELIVERY.c.handler_id, DELIVERY.c.event_position).in_(done))
                    .values(
                        status=DELIVERED,
                        attempts=DELIVERY.c.attempts + 1,
                        last_attempt_at=finished,
                        delivered_at=finished,
                        next_attempt_at=None,
                    )
                )
            return len(pairs)

    def _record_failure(self, session: Session, row: sa.RowMapping, exc: Exception) -> DeliveryFailure:
        from ..security import mask_text

        failed_at = datetime.now(UTC)
        attempts = int(row["attempts"]) + 1
        error = mask_text(f"{type(exc).__name__}: {exc}")[:_ERROR_LIMIT]
        # Never due again within the run that saw it fail, whatever the backoff says.
        retry_at = failed_at + max(self.backoff(attempts), timedelta(microseconds=1))
        session.execute(
            sa.update(DELIVERY)
            .where(
                DELIVERY.c.handler_id == row["handler_id"], DELIVERY.c.event_position == row["event_position"]
            )
            .values(attempts=attempts, last_error=error, last_attempt_at=failed_at, next_attempt_at=retry_at)
        )
        log.warning(
            "handler %s failed on event %s (%s, subject %s), attempt %d: %s",
            row["handler_id"],
            row["id"],
            row["type"],
            mask_text(row["subject"]),
            attempts,
            error,
        )
        return DeliveryFailure(
            handler_id=row["handler_id"],
            event_id=row["id"],
            event_type=row["type"],
            subject=row["subject"],
            attempts=attempts,
            error=error,
            retry_at=retry_at,
        )


def _envelope(row: sa.RowMapping) -> CloudEvent:
    return CloudEvent.model_validate(
        {
            "specversion": "1.0",
            "id": row["id"],
            "source": row["source"],
            "type": row["type"],
            "time": row["time"],
            "subject": row["subject"],
            "datacontenttype": row["datacontenttype"],
            "dataschema": row["dataschema"],
            "data": row["data"],
            **(row["extensions"] or {}),
        }
    )


def _unsubscribe(session: Session, handler_id: str, event_type: str | None) -> None:
    subscription = SUBSCRIPTION.c.handler_id == handler_id
    delivery = sa.and_(DELIVERY.c.handler_id == handler_id, _is_pending(DELIVERY))
    if event_type is not None:
        subscription = sa.and_(subscription, SUBSCRIPTION.c.event_type == event_type)
        of_type = sa.select(OUTBOX.c.position).where(OUTBOX.c.type == event_type)
        delivery = sa.and_(delivery, DELIVERY.c.event_position.in_(of_type))
    session.execute(sa.delete(SUBSCRIPTION).where(subscription))
    session.execute(sa.delete(DELIVERY).where(delivery))


def drop_handler(engine: Engine, handler_id: str) -> None:
    """Retire a handler: remove its subscriptions and its pending deliveries.

    Its processed-event records stay, so a handler brought back under the same id does not apply
    an event twice.
    """
    with Session(engine) as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sa.text(f"SELECT pg_advisory_xact_lock({_FAN_OUT_LOCK})"))
        _unsubscribe(session, handler_id, None)


def pending(
    engine: Engine, *, handler_id: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Undelivered events, oldest first, as plain data (what ``govparts events pending`` shows).

    One row per pending delivery (``handler_id`` set) and one per event not yet fanned out to its
    handlers (``handler_id`` None). ``blocked`` is true for a delivery waiting behind an earlier
    pending event of the same subject for the same handler.
    """
    rank = (
        sa.func.row_number()
        .over(partition_by=(DELIVERY.c.handler_id, DELIVERY.c.subject), order_by=DELIVERY.c.event_position)
        .label("rank")
    )
    deliveries = (
        sa.select(
            DELIVERY.c.handler_id,
            OUTBOX.c.position,
            OUTBOX.c.id,
            OUTBOX.c.type,
            OUTBOX.c.subject,
            OUTBOX.c.subject_seq,
            OUTBOX.c.time,
            DELIVERY.c.attempts,
            DELIVERY.c.last_error,
            DELIVERY.c.last_attempt_at,
            DELIVERY.c.next_attempt_at,
            rank,
        )
        .join(OUTBOX, OUTBOX.c.position == DELIVERY.c.event_position)
        .where(_is_pending(DELIVERY))
    )
    if handler_id is not None:
        deliveries = deliveries.where(DELIVERY.c.handler_id == handler_id)
    inner = deliveries.subquery()
    rows_query = sa.select(inner).order_by(inner.c.position, inner.c.handler_id).limit(limit)
    unfanned_query = (
        sa.select(
            OUTBOX.c.position,
            OUTBOX.c.id,
            OUTBOX.c.type,
            OUTBOX.c.subject,
            OUTBOX.c.subject_seq,
            OUTBOX.c.time,
        )
        .where(_not_fanned_out())
        .order_by(OUTBOX.c.position)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(rows_query).mappings().all()
        unfanned = conn.execute(unfanned_query).mappings().all() if handler_id is None else []
        conn.rollback()
    found = [
        {
            "handler_id": row["handler_id"],
            "event_id": row["id"],
            "type": row["type"],
            "subject": row["subject"],
            "subject_seq": row["subject_seq"],
            "position": row["position"],
            "time": row["time"],
            "attempts": row["attempts"],
            "last_error": row["last_error"],
            "last_attempt_at": row["last_attempt_at"],
            "next_attempt_at": row["next_attempt_at"],
            "blocked": row["rank"] > 1,
        }
        for row in rows
    ]
    found.extend(
        {
            "handler_id": None,
            "event_id": row["id"],
            "type": row["type"],
            "subject": row["subject"],
            "subject_seq": row["subject_seq"],
            "position": row["position"],
            "time": row["time"],
            "attempts": 0,
            "last_error": None,
            "last_attempt_at": None,
            "next_attempt_at": None,
            "blocked": False,
        }
        for row in unfanned
    )
    found.sort(key=lambda item: (item["position"], item["handler_id"] or ""))
    return found[:limit] if limit is not None else found
