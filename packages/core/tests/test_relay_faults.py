"""Faults around the relay and the consumers: kill -9, a broker restart, a consumer crashing mid-batch.

Each test counts at the end: every event in the stream once, and applied once by a consumer.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa
from relay_support import COUNTED, consumer_engine, effects, publish_counts, stream_last_seq
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.testing_nats import NatsServer

TESTS = Path(__file__).resolve().parent
GOVPARTS = shutil.which("govparts") or str(Path(sys.executable).with_name("govparts"))
EVENTS = 10_000
CURSOR: sa.Table = events.RelayCursor.__table__  # type: ignore[attr-defined]
OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    env.update(extra)
    return env


def _wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _relay_process(db_url: str, server: NatsServer, *more: str) -> subprocess.Popen[bytes]:
    command = [GOVPARTS, "relay", "--db", db_url, "--nats", server.url, "--batch", "500", *more]
    return subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _stream_messages_count(url: str) -> int:
    async def read() -> int:
        import nats

        nc = await nats.connect(url)
        try:
            return int((await nc.jetstream().stream_info("GOVPARTS")).state.messages)
        finally:
            await nc.close()

    return asyncio.run(read())


def _check_applied_once_in_order(target: Engine, total: int) -> None:
    applied = effects(target)
    assert len(applied) == total, "every event applied, none twice"
    assert sorted(n for _, n in applied) == list(range(total))
    by_subject: dict[str, list[int]] = defaultdict(list)
    for subject, n in applied:
        by_subject[subject].append(n)
    assert all(numbers == sorted(numbers) for numbers in by_subject.values()), "in order per subject"


def _consume_all(target: Engine, server: NatsServer) -> events.ConsumeReport:
    from relay_support import handlers

    consumer = events.BrokerConsumer(target, server.url, handlers(target), name="agency-a")
    return asyncio.run(consumer.run(once=True))


def _many(engine: Engine) -> None:
    publish_counts(engine, [(f"item/{n % 97}", n) for n in range(EVENTS)])


def test_relay_killed_mid_stream_resumes_without_loss_or_duplicates(
    engine: Engine, db_url: str, nats_server: NatsServer, tmp_path: Path
) -> None:
    """Kills the relay process (SIGKILL) mid-stream; the restarted relay loses nothing and repeats nothing."""
    _many(engine)
    relay = _relay_process(db_url, nats_server)
    try:
        _wait_for(lambda: stream_last_seq(nats_server.url) >= 1500, 60, "the relay to publish")
    finally:
        relay.send_signal(signal.SIGKILL)
        relay.wait()
    assert relay.returncode == -signal.SIGKILL
    assert stream_last_seq(nats_server.url) < EVENTS, "killed mid-stream"
    again = subprocess.run(
        [GOVPARTS, "relay", "--db", db_url, "--nats", nats_server.url, "--once", "--json"],
        env=_env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr.decode()
    assert _stream_messages_count(nats_server.url) == EVENTS
    target = consumer_engine(tmp_path / "agency.db")
    assert _consume_all(target, nats_server).applied == EVENTS
    _check_applied_once_in_order(target, EVENTS)


def test_broker_restarted_mid_stream_loses_nothing(
    engine: Engine, db_url: str, nats_server: NatsServer, tmp_path: Path
) -> None:
    """Restarts the broker (same store) while the relay publishes; every event arrives once."""
    _many(engine)
    relay = _relay_process(db_url, nats_server)
    try:
        _wait_for(lambda: stream_last_seq(nats_server.url) >= 1500, 60, "the relay to publish")
        nats_server.restart(pause=0.5)
        _wait_for(lambda: stream_last_seq(nats_server.url) >= EVENTS, 120, "the relay to finish")
    finally:
        relay.send_signal(signal.SIGTERM)
        try:
            _, stderr = relay.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            relay.kill()
            _, stderr = relay.communicate(timeout=30)
            pytest.fail("the relay ignored SIGTERM for 30 s:\n" + stderr.decode()[-4000:])
        print(stderr.decode()[-6000:], file=sys.stderr)
    assert relay.returncode == 0, stderr.decode()[-4000:]
    assert _stream_messages_count(nats_server.url) == EVENTS
    target = consumer_engine(tmp_path / "agency.db")
    assert _consume_all(target, nats_server).applied == EVENTS
    _check_applied_once_in_order(target, EVENTS)


@pytest.mark.parametrize("moment", ["handler", "commit"])
def test_consumer_crashing_mid_batch_applies_nothing_twice(
    engine: Engine, nats_server: NatsServer, tmp_path: Path, moment: str
) -> None:
    """Kills a consumer process inside a handler, or after its commit before the acks; none applied twice."""
    total = 2000
    publish_counts(engine, [(f"item/{n % 13}", n) for n in range(total)])
    assert asyncio.run(events.Relay(engine, nats_server.url).run(once=True)).published == total
    target = consumer_engine(tmp_path / "agency.db")
    marker = tmp_path / "crashed"
    command = [
        GOVPARTS,
        "consume",
        "--db",
        str(target.url),
        "--nats",
        nats_server.url,
        "--name",
        "agency-a",
        "--handlers",
        "relay_support:handlers",
        "--ack-wait",
        "2",
        "--once",
    ]
    crash = {
        "GOVPARTS_TEST_CRASH": moment,
        "GOVPARTS_TEST_CRASH_AT": "777",
        "GOVPARTS_TEST_CRASH_MARKER": str(marker),
    }
    first = subprocess.run(command, env=_env(**crash), capture_output=True, timeout=120, check=False)
    assert first.returncode == -signal.SIGKILL, first.stderr.decode()
    assert marker.exists()
    assert len(effects(target)) < total
    second = subprocess.run(command, env=_env(**crash), capture_output=True, timeout=120, check=False)
    assert second.returncode == 0, second.stderr.decode()
    _check_applied_once_in_order(target, total)


@pytest.mark.postgresql
def test_event_committed_after_a_later_position_is_not_skipped(
    engine: Engine, nats_server: NatsServer
) -> None:
    """Publishes an event committed after a later position's, and passes a rolled-back hole."""
    relay = events.Relay(engine, nats_server.url)
    slow = engine.connect()
    slow_tx = slow.begin()
    events.publish_batch(slow, COUNTED, [("item/slow", {"org": "_", "n": 1})])
    slow_position = slow.execute(
        sa.select(OUTBOX.c.position).where(OUTBOX.c.subject == "item/slow")
    ).scalar_one()
    publish_counts(engine, [("item/fast", 2)])
    assert asyncio.run(relay.run(once=True)).published == 1
    with engine.connect() as conn:
        cursor = conn.execute(sa.select(CURSOR.c.position)).scalar_one()
        fast = conn.execute(sa.select(OUTBOX.c.position).where(OUTBOX.c.subject == "item/fast")).scalar_one()
        conn.rollback()
    assert cursor < slow_position < fast, "the cursor waits below the undecided position"
    slow_tx.commit()
    slow.close()
    with engine.connect() as rolled:
        rolled_tx = rolled.begin()
        events.publish_batch(rolled, COUNTED, [("item/never", {"org": "_", "n": 3})])
        rolled_tx.rollback()
    publish_counts(engine, [("item/fast", 4)])
    again = asyncio.run(events.Relay(engine, nats_server.url).run(once=True))
    assert again.published == 2
    final = asyncio.run(events.Relay(engine, nats_server.url).run(once=True))
    assert final.published == 0
    with engine.connect() as conn:
        cursor = conn.execute(sa.select(CURSOR.c.position)).scalar_one()
        last = conn.execute(sa.select(sa.func.max(OUTBOX.c.position))).scalar_one()
        conn.rollback()
    assert cursor == last, "the rolled-back hole is settled and the cursor reaches the end"
    assert _stream_messages_count(nats_server.url) == 3
