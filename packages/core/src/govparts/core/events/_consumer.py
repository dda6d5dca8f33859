"""Consumers on the broker: feed handlers in another process and database from the JetStream stream.

Each :class:`~govparts.core.events.Handler` gets a durable pull consumer named
``<consumer name>__<handler id>`` (characters a consumer name cannot hold become ``_``), filtered on
``govparts.<org or *>.<event type>`` for a handler of one type, else on ``govparts.<org or *>.>``
(NATS 2.9 takes one filter per consumer; events of other types are acknowledged unapplied). A batch
of messages is applied in one transaction of the consumer's own database, each event in a
savepoint, its id recorded with :func:`~govparts.core.events.mark_processed` beside its effects; the
messages are acknowledged only after the commit. So a consumer killed at any moment applies an event
once: what it had not committed comes again; what it had committed but not acknowledged comes again
and is recognised by its id.

Order per subject holds while a handler fails: the failing message and every later one of the
batch are handed back (``nak``) in stream order after ``retry_delay`` and come again in that order.
A message that cannot be read as a CloudEvent, or whose handler has failed on ``max_deliveries``
deliveries, goes to the dead-letter subject ``govparts-dlq.<consumer name>`` (stream
``<stream>_DLQ``) with the reason in the headers ``Govparts-Dead-Letter-Reason``,
``Govparts-Handler``, ``Govparts-Stream-Sequence``, ``Govparts-Original-Subject`` and
``Govparts-Deliveries``, and is terminated; the rest flow on.

Replay: ``start_sequence`` or ``start_time`` recreates the durable consumers to deliver from that
stream sequence or time; events already applied are recognised by their ids and not applied again,
so a replay into a new database rebuilds it and a replay into the same one changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from ..errors import InvalidInput
from ..i18n import N_
from ._broker import (
    SUBJECT_PREFIX,
    StreamSettings,
    connect,
    dead_letter_subject,
    stop_on_signals,
)
from ._dispatcher import Handler
from ._envelope import CloudEvent
from ._outbox import mark_processed

if TYPE_CHECKING:
    from nats.aio.msg import Msg
    from nats.js import JetStreamContext
    from sqlalchemy.engine import Engine

__all__ = ["BrokerConsumer", "ConsumeReport", "run_consumer"]

log = logging.getLogger("govparts.events.consumer")

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_-]")
_REASON_LIMIT = 1000
_ACK, _NAK, _DEAD = "ack", "nak", "dead"


@dataclass
class ConsumeReport:
    """What a consumer run did."""

    applied: int = 0
    """Events whose handler ran and committed."""
    duplicates: int = 0
    """Events already processed in this database (acknowledged, not applied again)."""
    skipped: int = 0
    """Events of types the handler does not consume."""
    dead_lettered: int = 0
    """Events sent to the dead-letter subject."""
    handed_back: int = 0
    """Messages handed back to the broker after a handler failed (they come again)."""


def durable_name(consumer: str, handler_id: str) -> str:
    """The durable consumer of ``handler_id`` for the consumer (agency) ``consumer``."""
    return f"{consumer}__{_NOT_IN_NAME.sub('_', handler_id)}"


class BrokerConsumer:
    """Applies the events of the stream at ``servers`` to ``handlers`` in ``engine``'s database."""

    def __init__(
        self,
        engine: Engine,
        servers: str | list[str],
        handlers: Iterable[Handler],
        *,
        name: str,
        stream: StreamSettings | None = None,
        org: str | None = None,
        max_deliveries: int = 5,
        batch_size: int = 100,
        ack_wait: float = 30.0,
        retry_delay: float = 0.5,
    ) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            raise InvalidInput(
                N_("{field}: {got} does not have the required form"), field="name", got=str(name)
            )
        if org is not None and not _NAME.match(org):
            raise InvalidInput(
                N_("{field}: {got} does not have the required form"), field="org", got=str(org)
            )
        for field, value in (("max_deliveries", max_deliveries), ("batch_size", batch_size)):
            if value < 1:
                raise InvalidInput(
                    N_("{field}: must be at least {limit}, got {got}"), field=field, limit=1, got=value
                )
        self.engine = engine
        self.servers = servers
        self.handlers = {handler.id: handler for handler in handlers}
        if not self.handlers:
            raise InvalidInput(N_("{field}: the handler consumes no event type"), field="handlers")
        self.name = name
        self.stream = stream or StreamSettings()
        self.org = org
        self.max_deliveries = max_deliveries
        self.batch_size = batch_size
        self.ack_wait = ack_wait
        self.retry_delay = retry_delay

    def filter_subject(self, handler: Handler) -> str:
        """The subjects ``handler``'s durable consumer receives."""
        org = self.org or "*"
        if len(handler.event_types) == 1:
            return f"{SUBJECT_PREFIX}.{org}.{handler.event_types[0]}"
        return f"{SUBJECT_PREFIX}.{org}.>"

    async def run(
        self,
        *,
        once: bool = False,
        stop: asyncio.Event | None = None,
        start_sequence: int | None = None,
        start_time: datetime | None = None,
    ) -> ConsumeReport:
        """Apply events until ``stop`` is set, or with ``once`` until none is waiting.

        ``start_sequence`` / ``start_time`` first recreate the durable consumers to deliver from
        that stream sequence or time (a replay).
        """
        import nats.errors
        import nats.js.errors

        if start_sequence is not None and start_sequence < 1:
            raise InvalidInput(
                N_("{field}: must be at least {limit}, got {got}"),
                field="start_sequence",
                limit=1,
                got=start_sequence,
            )
        if start_time is not None and (start_time.tzinfo is None or start_time.utcoffset() is None):
            raise InvalidInput(
                N_("{field}: the time must carry its time zone"), field="start_time", got=str(start_time)
            )
        report = ConsumeReport()
        nc = await connect(self.servers, name=f"govparts-consumer-{self.name}")
        try:
            js = nc.jetstream()
            await self._wait_for_stream(js, stop)
            subscriptions = []
            for handler in self.handlers.values():
                durable = await self._durable(js, handler, start_sequence, start_time)
                subscriptions.append(
                    (handler, durable, await js.pull_subscribe_bind(durable, stream=self.stream.name))
                )
            while stop is None or not stop.is_set():
                busy = False
                for handler, durable, subscription in subscriptions:
                    try:
                        messages = await subscription.fetch(self.batch_size, timeout=0.5 if once else 2.0)
                    except (nats.errors.TimeoutError, TimeoutError):
                        continue
                    except (nats.errors.Error, nats.js.errors.Error) as exc:
                        log.warning("consumer %s: %s; retrying", durable, exc)
                        await asyncio.sleep(self.retry_delay)
                        busy = True
                        continue
                    busy = busy or bool(messages)
                    await self._handle(js, handler, durable, messages, report)
                if once and not busy and await self._drained(js, subscriptions):
                    break
        finally:
            await nc.close()
        return report

    async def remove(self) -> int:
        """Delete this consumer's durable consumers from the stream (an agency leaving for good);
        returns how many there were. Its processed-event records stay in its database."""
        from nats.js.errors import NotFoundError

        removed = 0
        nc = await connect(self.servers, name=f"govparts-consumer-{self.name}")
        try:
            js = nc.jetstream()
            for handler in self.handlers.values():
                with contextlib.suppress(NotFoundError):
                    await js.delete_consumer(self.stream.name, durable_name(self.name, handler.id))
                    removed += 1
        finally:
            await nc.close()
        return removed

    async def _wait_for_stream(self, js: JetStreamContext, stop: asyncio.Event | None) -> None:
        from nats.js.errors import NotFoundError

        while True:
            try:
                await js.stream_info(self.stream.name)
                await js.stream_info(self.stream.dead_letter_stream)
                return
            except NotFoundError:
                if stop is not None and stop.is_set():
                    raise
                log.info("consumer %s: waiting for stream %s", self.name, self.stream.name)
                await asyncio.sleep(1.0)

    async def _durable(
        self,
        js: JetStreamContext,
        handler: Handler,
        start_sequence: int | None,
        start_time: datetime | None,
    ) -> str:
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
        from nats.js.errors import NotFoundError

        durable = durable_name(self.name, handler.id)
        config = ConsumerConfig(
            durable_name=durable,
            description=f"govparts handler {handler.id} of {self.name}",
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            max_deliver=-1,  # the consumer itself dead-letters after max_deliveries
            max_ack_pending=max(1000, self.batch_size * 4),
            filter_subject=self.filter_subject(handler),
        )
        if start_sequence is not None or start_time is not None:
            with contextlib.suppress(NotFoundError):
                await js.delete_consumer(self.stream.name, durable)
            if start_sequence is not None:
                config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
                config.opt_start_seq = start_sequence
            else:
                config.deliver_policy = DeliverPolicy.BY_START_TIME
                config.opt_start_time = start_time
            await js.add_consumer(self.stream.name, config)
            return durable
        try:
            await js.consumer_info(self.stream.name, durable)
        except NotFoundError:
            await js.add_consumer(self.stream.name, config)
        return durable

    async def _drained(self, js: JetStreamContext, subscriptions: list[Any]) -> bool:
        for _, durable, _ in subscriptions:
            info = await js.consumer_info(self.stream.name, durable)
            if info.num_pending or info.num_ack_pending:
                return False
        return True

    async def _handle(
        self,
        js: JetStreamContext,
        handler: Handler,
        durable: str,
        messages: list[Msg],
        report: ConsumeReport,
    ) -> None:
        outcomes = self._apply(handler, messages, report)
        handed_back = False
        for message, (outcome, reason) in zip(messages, outcomes, strict=True):
            if outcome == _DEAD:
                try:
                    await self._dead_letter(js, handler, durable, message, reason)
                except Exception as exc:
                    log.warning("consumer %s: dead-lettering failed (%s); handing back", durable, exc)
                    await message.nak()
                    continue
                report.dead_lettered += 1
                await message.term()
            elif outcome == _NAK:
                if not handed_back:
                    handed_back = True
                    await asyncio.sleep(self.retry_delay)
                report.handed_back += 1
                await message.nak()
            else:
                await message.ack()

    def _apply(self, handler: Handler, messages: list[Msg], report: ConsumeReport) -> list[tuple[str, str]]:
        """Apply the batch in one transaction; what to answer the broker for each message."""
        from ..security import mask_text

        outcomes: list[tuple[str, str]] = []
        failed = False
        with Session(self.engine) as session, session.begin():
            for message in messages:
                if failed:
                    outcomes.append((_NAK, ""))
                    continue
                try:
                    event = CloudEvent.from_json(message.data)
                except Exception as exc:
                    outcomes.append((_DEAD, f"unparseable: {type(exc).__name__}: {exc}"))
                    continue
                if event.type not in handler.event_types:
                    report.skipped += 1
                    outcomes.append((_ACK, ""))
                    continue
                try:
                    with session.begin_nested():
                        if mark_processed(session, handler.id, event.id):
                            handler.func(session, event)
                            report.applied += 1
                        else:
                            report.duplicates += 1
                except Exception as exc:
                    error = mask_text(f"{type(exc).__name__}: {exc}")
                    deliveries = message.metadata.num_delivered or 1
                    log.warning(
                        "consumer %s: handler %s failed on event %s, delivery %d: %s",
                        self.name,
                        handler.id,
                        event.id,
                        deliveries,
                        error,
                    )
                    if deliveries >= self.max_deliveries:
                        outcomes.append((_DEAD, f"handler failed on {deliveries} deliveries: {error}"))
                    else:
                        failed = True
                        outcomes.append((_NAK, ""))
                    continue
                outcomes.append((_ACK, ""))
        return outcomes

    async def _dead_letter(
        self, js: JetStreamContext, handler: Handler, durable: str, message: Msg, reason: str
    ) -> None:
        metadata = message.metadata
        stream_seq = metadata.sequence.stream if metadata.sequence else 0
        headers = {
            # One dead letter per consumer and stream message, however often it is sent.
            "Nats-Msg-Id": f"{durable}:{stream_seq}",
            "Govparts-Dead-Letter-Reason": " ".join(reason.split())[:_REASON_LIMIT],
            "Govparts-Handler": handler.id,
            "Govparts-Consumer": durable,
            "Govparts-Stream-Sequence": str(stream_seq),
            "Govparts-Original-Subject": message.subject,
            "Govparts-Deliveries": str(metadata.num_delivered or 1),
        }
        if message.headers and "Content-Type" in message.headers:
            headers["Content-Type"] = message.headers["Content-Type"]
        await js.publish(dead_letter_subject(self.name), message.data, headers=headers)


def run_consumer(
    consumer: BrokerConsumer,
    *,
    once: bool = False,
    start_sequence: int | None = None,
    start_time: datetime | None = None,
) -> ConsumeReport:
    """Run ``consumer`` in a fresh event loop until stopped (Ctrl-C, SIGTERM) or, with ``once``,
    until no event is waiting."""

    async def main() -> ConsumeReport:
        stop = asyncio.Event()
        stop_on_signals(stop)
        return await consumer.run(once=once, stop=stop, start_sequence=start_sequence, start_time=start_time)

    return asyncio.run(main())
