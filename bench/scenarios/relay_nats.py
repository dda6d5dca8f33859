"""relay-nats: the outbox relay to NATS JetStream against plain nats-py publishing of the same messages.

The scenario starts its own ``nats-server -js`` on 127.0.0.1 with a temporary store (Debian:
``apt-get install nats-server``). An outbox (SQLite, or PostgreSQL with ``run.py --db``) holds 200,000
committed events of one type over
2,000 subjects (a person each), written by ``events.publish_batch``. Each timed run starts from an
empty stream and an empty relay cursor.

Subject: ``Relay(...).run(once=True)``: holds the one-relay-per-stream lock, reads the outbox in
position order (the organisation and the time read by the database), builds each event's subject
(``govparts.<org>.<type>``) and structured CloudEvents JSON (the stored ``data`` text spliced in),
publishes batches of 2,000 with ``Nats-Msg-Id``, ``Nats-Expected-Last-Sequence`` and
``Content-Type``, two batches in flight, and commits its progress as each batch is acknowledged.

Floor: the same messages (subject, the same body bytes and ``Nats-Msg-Id``, prepared before timing)
published with nats-py's own pipelined ``js.publish_async`` (up to 4,000 in flight) and
``publish_async_completed()``, into the same kind of stream.

Also reported (``latency``): the median time from the commit of an event to its handler running at
each of three consumers ("agencies", each with its own database and durable consumer), with the
relay running continuously and one event committed every 10 ms. The store and the databases are
removed when the scenario ends, failed or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import threading
import time
from typing import Any

import sqlalchemy as sa
from harness import Result, compare, new_database, scenario, scratch_folder
from pydantic import BaseModel
from sqlmodel import Session

from govparts.core import events
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.events._relay import _COLUMNS, _body, _Subjects
from govparts.core.testing_nats import NatsServer, find_nats_server

ORG = "91650000MA77Q0LH4A"
SUBJECTS = 2000
LATENCY_EVENTS = 200


class PunchRecorded(BaseModel):
    """Payload of the benchmark's events (an attendance punch)."""

    org: str
    employee_no: str
    n: int
    at: str


PUNCHED = events.EventType(
    "cn.govparts.benchrelay.punch.recorded.v1",
    PunchRecorded,
    {"zh_Hans_CN": "打卡", "en": "A punch was recorded", "ug_CN": "كارتا بېسىلدى"},
)
events.register(PUNCHED)
OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]


def _fill(engine: Any, records: int, start: int = 0) -> None:
    for first in range(start, start + records, 20_000):
        batch = range(first, min(first + 20_000, start + records))
        with session_scope(engine) as session:
            events.publish_batch(
                session,
                PUNCHED,
                [
                    (
                        f"person/{n % SUBJECTS}",
                        {
                            "org": ORG,
                            "employee_no": f"E{n % SUBJECTS:05d}",
                            "n": n,
                            "at": "2026-12-01T08:30:00",
                        },
                    )
                    for n in batch
                ],
            )


async def _reset(url: str) -> None:
    import nats
    from nats.js.errors import NotFoundError

    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        for name in ("GOVPARTS", "GOVPARTS_DLQ"):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(name)
    finally:
        await nc.close()


def _reset_relay(engine: Any, url: str) -> None:
    asyncio.run(_reset(url))
    with engine.begin() as conn:
        conn.execute(sa.delete(events.RelayCursor.__table__))  # type: ignore[attr-defined]
        conn.execute(sa.delete(events.RelayAhead.__table__))  # type: ignore[attr-defined]


def _messages(engine: Any) -> list[tuple[str, bytes, dict[str, str]]]:
    """Every event as the relay sends it: subject, body and message id."""
    columns = _COLUMNS[engine.dialect.name == "postgresql"]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*columns).order_by(OUTBOX.c.position)).all()
    subjects = _Subjects()
    return [(subjects(row[2], row[10]), _body(row), {"Nats-Msg-Id": row[1]}) for row in rows]


async def _plain_publish(url: str, messages: list[tuple[str, bytes, dict[str, str]]]) -> None:
    import nats

    nc = await nats.connect(url)
    try:
        js = nc.jetstream(publish_async_max_pending=4000)
        await js.add_stream(name="GOVPARTS", subjects=["govparts.>"], duplicate_window=3600)
        for subject, body, headers in messages:
            await js.publish_async(subject, body, headers=dict(headers))
        await js.publish_async_completed()
    finally:
        await nc.close()


def _latency(url: str) -> dict[str, float]:
    """Median and 95th percentile seconds from commit to handler, at three consumers."""
    source = create_engine(new_database("latency-source"))
    metadata.create_all(source)
    committed: dict[str, float] = {}
    arrivals: list[tuple[str, float]] = []
    lock = threading.Lock()

    def handle(session: Session, event: events.CloudEvent) -> None:
        # A consumer may run the handler before the producer has noted the commit time: matched later.
        now = time.perf_counter()
        with lock:
            arrivals.append((event.id, now))

    async def main() -> None:
        stop = asyncio.Event()
        relay = events.Relay(source, url, poll_interval=0.005, batch_size=500)
        agencies = []
        for index in range(3):
            target = create_engine(new_database(f"agency-{index}"))
            metadata.create_all(target)
            handler = events.Handler(f"bench.agency{index}", (PUNCHED.type,), handle)
            agencies.append(
                events.BrokerConsumer(target, url, [handler], name=f"agency{index}", batch_size=50)
            )
        tasks = [asyncio.create_task(relay.run(stop=stop))]
        tasks += [asyncio.create_task(agency.run(stop=stop)) for agency in agencies]
        await asyncio.sleep(1.0)

        def produce() -> None:
            for n in range(LATENCY_EVENTS):
                with Session(source) as session, session.begin():
                    event = events.publish(
                        session,
                        PUNCHED,
                        {"org": ORG, "employee_no": "E00001", "n": n, "at": "2026-12-01T08:30:00"},
                        subject=f"person/{n % 10}",
                    )
                with lock:
                    committed[event.id] = time.perf_counter()
                time.sleep(0.01)

        await asyncio.to_thread(produce)
        deadline = time.monotonic() + 60
        while len(arrivals) < 3 * LATENCY_EVENTS and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())
    ordered = sorted(at - committed[event_id] for event_id, at in arrivals)
    return {
        "consumers": 3,
        "events": LATENCY_EVENTS,
        "received": len(arrivals),
        "median_seconds": statistics.median(ordered),
        "p95_seconds": ordered[int(len(ordered) * 0.95) - 1],
    }


@scenario(
    "relay-nats",
    description="relay 200,000 outbox events to NATS JetStream; commit-to-consumer latency at three agencies",
    default_records=200_000,
    target_ratio=0.5,
)
def relay_nats(records: int) -> Result:
    binary = find_nats_server()
    if binary is None:
        raise SystemExit("relay-nats needs nats-server (Debian: apt-get install nats-server)")
    server = NatsServer(binary, scratch_folder() / "store")
    server.start()
    try:
        engine = create_engine(new_database("source"))
        metadata.create_all(engine)
        _fill(engine, records)
        messages = _messages(engine)

        def relay() -> events.RelayReport:
            _reset_relay(engine, server.url)
            report = asyncio.run(events.Relay(engine, server.url).run(once=True))
            assert report.published == records, report
            return report

        def floor() -> None:
            asyncio.run(_reset(server.url))
            asyncio.run(_plain_publish(server.url, messages))

        result = compare(
            name="relay-nats",
            records=records,
            subject=relay,
            floor=floor,
            subject_label="Relay.run(once=True): read, CloudEvents JSON, two batches in flight, progress",
            floor_label="floor: nats-py js.publish_async of the same prepared messages",
            target_ratio=0.5,
            measure_memory=False,
        )
        asyncio.run(_reset(server.url))
        result["latency"] = _latency(server.url)
        return result
    finally:
        server.stop()
