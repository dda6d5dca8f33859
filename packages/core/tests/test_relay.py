"""The relay from the outbox to NATS JetStream, and consumers on the broker (in-process)."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from relay_support import (
    COUNTED,
    HANDLER_ID,
    ORG,
    OTHER_ORG,
    consumer_engine,
    effects,
    publish_counts,
    stream_messages,
)
from relay_support import handlers as count_handlers
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.testing_nats import NatsServer

CURSOR: sa.Table = events.RelayCursor.__table__  # type: ignore[attr-defined]


def _relay(engine: Engine, server: NatsServer, **options: object) -> events.RelayReport:
    return asyncio.run(events.Relay(engine, server.url, **options).run(once=True))  # type: ignore[arg-type]


def _consume(
    engine: Engine, server: NatsServer, name: str = "agency-a", **run: object
) -> events.ConsumeReport:
    consumer = events.BrokerConsumer(
        engine, server.url, count_handlers(engine), name=name, max_deliveries=3, retry_delay=0.05
    )
    return asyncio.run(consumer.run(once=True, **run))  # type: ignore[arg-type]


def test_publishes_every_event_in_order_per_subject(engine: Engine, nats_server: NatsServer) -> None:
    """Publishes each committed event once, a subject's events in commit order, as CloudEvents JSON."""
    publish_counts(engine, [(f"item/{n % 7}", n) for n in range(300)])
    publish_counts(engine, [(f"item/{n % 5}", n) for n in range(300, 420)], org=OTHER_ORG)
    report = _relay(engine, nats_server, batch_size=64)
    assert (report.published, report.duplicates) == (420, 0)
    messages = stream_messages(nats_server.url)
    assert len(messages) == 420
    seen: dict[str, list[int]] = defaultdict(list)
    with engine.connect() as conn:
        stored = {row.id: row for row in conn.execute(sa.select(events.OutboxEvent.__table__))}  # type: ignore[attr-defined]
    for message in messages:
        event = events.CloudEvent.from_json(message.data)
        assert message.headers["Nats-Msg-Id"] == event.id
        assert message.headers["Content-Type"] == "application/cloudevents+json"
        org = ORG if event.data["n"] < 300 else OTHER_ORG
        assert message.subject == f"govparts.{org}.{COUNTED.type}"
        assert event.subject == stored[event.id].subject
        seen[str(event.subject)].append(event.data["n"])
    for subject, numbers in seen.items():
        assert numbers == sorted(numbers), subject
    assert sum(len(n) for n in seen.values()) == 420


def test_subject_names_the_organisation_from_extension_payload_or_none() -> None:
    """Takes the organisation from the org extension, then the payload's well-known fields, else ``_``."""
    kind = "cn.govparts.personnel.employee.hired.v1"
    assert events.nats_subject(kind, {"org": ORG}, {"org": OTHER_ORG}) == f"govparts.{OTHER_ORG}.{kind}"
    assert (
        events.nats_subject(kind, {"person": {"organization_credit_code": ORG}}) == f"govparts.{ORG}.{kind}"
    )
    assert events.nats_subject(kind, {"unit": {"organization_credit_code": ORG}}) == f"govparts.{ORG}.{kind}"
    assert events.nats_subject(kind, {"document_id": "D1"}) == f"govparts._.{kind}"
    assert events.nats_subject(kind, {"org": "a.b>"}) == f"govparts._.{kind}"


def test_stored_event_published_again_is_dropped_by_the_broker(
    engine: Engine, nats_server: NatsServer
) -> None:
    """Drops an event the stream already holds (same Nats-Msg-Id) when the relay's progress is lost."""
    publish_counts(engine, [("item/1", n) for n in range(50)])
    _relay(engine, nats_server)
    with session_scope(engine) as session:
        last = session.execute(sa.select(CURSOR.c.stream_seq)).scalar_one()
        session.execute(sa.update(CURSOR).values(position=0, stream_seq=last))
    again = _relay(engine, nats_server)
    assert (again.published, again.duplicates) == (0, 50)
    assert len(stream_messages(nats_server.url)) == 50


def test_resumes_after_the_last_commit_and_publishes_only_new_events(
    engine: Engine, nats_server: NatsServer
) -> None:
    """Publishes only what was committed since the last run."""
    publish_counts(engine, [("item/1", n) for n in range(10)])
    assert _relay(engine, nats_server).published == 10
    publish_counts(engine, [("item/1", n) for n in range(10, 15)])
    assert _relay(engine, nats_server).published == 5
    assert [events.CloudEvent.from_json(m.data).data["n"] for m in stream_messages(nats_server.url)] == list(
        range(15)
    )


def test_progress_lost_after_the_broker_acked_is_recovered_from_the_stream(
    engine: Engine, nats_server: NatsServer
) -> None:
    """Finds the events stored after its last commit in the stream and does not publish them again."""
    publish_counts(engine, [("item/1", n) for n in range(40)])
    _relay(engine, nats_server)
    with session_scope(engine) as session:
        session.execute(sa.update(CURSOR).values(position=0, stream_seq=0))
    again = _relay(engine, nats_server)
    assert (again.published, again.duplicates) == (0, 0)
    assert len(stream_messages(nats_server.url)) == 40


def test_consumer_applies_each_event_once_in_its_own_database(
    engine: Engine, nats_server: NatsServer, tmp_path: Path
) -> None:
    """Applies every event once in the consumer's database; a second run applies nothing again."""
    publish_counts(engine, [(f"item/{n % 3}", n) for n in range(90)])
    _relay(engine, nats_server)
    target = consumer_engine(tmp_path / "agency.db")
    report = _consume(target, nats_server)
    assert report.applied == 90
    assert sorted(n for _, n in effects(target)) == list(range(90))
    assert _consume(target, nats_server).applied == 0


def test_poison_events_go_to_the_dead_letter_subject_and_the_rest_flow_on(
    engine: Engine, nats_server: NatsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dead-letters an unreadable message and an event failing on every delivery, with the reasons."""
    publish_counts(engine, [("item/1", n) for n in range(20)])
    _relay(engine, nats_server)

    async def garbage() -> None:
        import nats

        nc = await nats.connect(nats_server.url)
        await nc.jetstream().publish(
            f"govparts.{ORG}.{COUNTED.type}", b"{not json", headers={"Nats-Msg-Id": "junk-1"}
        )
        await nc.close()

    asyncio.run(garbage())
    monkeypatch.setenv("GOVPARTS_TEST_POISON", "13")
    target = consumer_engine(tmp_path / "agency.db")
    report = _consume(target, nats_server)
    assert report.dead_lettered == 2
    assert sorted(n for _, n in effects(target)) == [n for n in range(20) if n != 13]
    letters = stream_messages(nats_server.url, "GOVPARTS_DLQ")
    assert [m.subject for m in letters] == ["govparts-dlq.agency-a"] * 2
    reasons = sorted(m.headers["Govparts-Dead-Letter-Reason"] for m in letters)
    assert reasons[0].startswith("handler failed on 3 deliveries: RuntimeError: refuses item 13")
    assert reasons[1].startswith("unparseable")
    assert {m.headers["Govparts-Handler"] for m in letters} == {HANDLER_ID}
    assert json.loads(next(m.data for m in letters if m.data != b"{not json"))["data"]["n"] == 13


def test_replays_from_a_sequence_and_from_a_time(
    engine: Engine, nats_server: NatsServer, tmp_path: Path
) -> None:
    """Replays into a new database from a stream sequence or a time; into the same one it applies nothing."""
    publish_counts(engine, [("item/1", n) for n in range(10)])
    _relay(engine, nats_server)
    middle = datetime.now(UTC)
    publish_counts(engine, [("item/1", n) for n in range(10, 16)])
    _relay(engine, nats_server)
    first = consumer_engine(tmp_path / "first.db")
    assert _consume(first, nats_server).applied == 16
    assert _consume(first, nats_server, start_sequence=1).applied == 0
    second = consumer_engine(tmp_path / "second.db")
    assert _consume(second, nats_server, name="agency-b", start_sequence=5).applied == 12
    assert [n for _, n in effects(second)] == list(range(4, 16))
    third = consumer_engine(tmp_path / "third.db")
    assert [n for _, n in effects(third)] == []
    assert _consume(third, nats_server, name="agency-c", start_time=middle).applied == 6
    assert [n for _, n in effects(third)] == list(range(10, 16))


def test_message_body_splices_the_stored_json_and_carries_the_outbox_event(
    engine: Engine, nats_server: NatsServer
) -> None:
    """Sends the stored data text as it is, the time in UTC, and extensions that replace no attribute."""
    at = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    with session_scope(engine) as session:
        events.publish(
            session,
            COUNTED,
            {"org": ORG, "n": 1},
            subject="项目/ئىش 1",
            time=at,
            extensions={"org": OTHER_ORG, "region": "新疆 ئۈرۈمچى", "urgent": True},
        )
        events.publish(session, COUNTED, {"org": ORG, "n": 2}, subject='item/"quoted"\\')
    assert _relay(engine, nats_server).published == 2
    with engine.connect() as conn:
        outbox = events.OutboxEvent.__table__  # type: ignore[attr-defined]
        stored = {row.id: row for row in conn.execute(sa.select(outbox))}
        texts = dict(conn.execute(sa.select(outbox.c.id, sa.cast(outbox.c.data, sa.Text))).all())
        conn.rollback()
    messages = stream_messages(nats_server.url)
    assert len(messages) == 2
    for message in messages:
        event = events.CloudEvent.from_json(message.data)
        row = stored[event.id]
        assert texts[event.id].encode() in message.data, "the stored JSON text is spliced in unchanged"
        assert (event.source, event.type, event.subject) == (row.source, row.type, row.subject)
        assert (event.datacontenttype, event.dataschema, event.data) == (
            row.datacontenttype,
            row.dataschema,
            row.data,
        )
        assert event.time == row.time
        assert event.extensions == (row.extensions or {})
    first = events.CloudEvent.from_json(messages[0].data)
    assert first.time == at
    assert first.extensions == {"org": OTHER_ORG, "region": "新疆 ئۈرۈمچى", "urgent": True}
    assert messages[0].subject == f"govparts.{OTHER_ORG}.{COUNTED.type}"
    assert messages[1].subject == f"govparts.{ORG}.{COUNTED.type}"


ORG_SHAPES: list[tuple[object, dict[str, object] | None]] = [
    ({"org": ORG}, None),
    ({"org": ORG}, {"org": OTHER_ORG}),
    ({"org": ORG}, {"org": None}),
    ({"org": ORG}, {"org": 42}),
    ({"org": ORG}, {"trace": "x"}),
    ({"org": None, "organization_credit_code": OTHER_ORG}, None),
    ({"org": 7, "organization_credit_code": OTHER_ORG}, None),
    ({"org": "a.b>"}, None),
    ({"org": ""}, None),
    ({"org": "x" * 65}, None),
    ({"org": ["x"]}, None),
    ({"organization": {"credit_code": ORG}}, None),
    ({"organization": "flat", "person": {"organization_credit_code": OTHER_ORG}}, None),
    ({"person": {"organization_credit_code": None}, "unit": {"organization_credit_code": ORG}}, None),
    (
        {"to_unit": {"organization_credit_code": ORG}, "from_unit": {"organization_credit_code": OTHER_ORG}},
        None,
    ),
    ({"from_unit": {"organization_credit_code": "组织"}}, None),
    ({"document_id": "D1"}, None),
    ({}, None),
    (["org", ORG], None),
    ("org", None),
    (None, None),
    (None, {"org": ORG}),
]


def test_database_reads_the_organisation_with_the_rules_of_event_org(engine: Engine) -> None:
    """Finds the same organisation token in the database as event_org does in Python, shape by shape."""
    from govparts.core.events._relay import _org_column, _Subjects

    outbox = events.OutboxEvent.__table__  # type: ignore[attr-defined]
    at = datetime(2026, 12, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        session.execute(
            sa.insert(outbox),
            [
                {
                    "id": f"shape-{index}",
                    "type": COUNTED.type,
                    "source": "/test",
                    "subject": f"shape/{index}",
                    "subject_seq": 1,
                    "time": at,
                    "data": data,
                    "extensions": extensions,
                    "fanned_out": True,
                }
                for index, (data, extensions) in enumerate(ORG_SHAPES)
            ],
        )
    column = _org_column(engine.dialect.name == "postgresql")
    with engine.connect() as conn:
        found = dict(conn.execute(sa.select(outbox.c.id, column)).all())
        conn.rollback()
    subjects = _Subjects()
    for index, (data, extensions) in enumerate(ORG_SHAPES):
        expected = events.nats_subject(COUNTED.type, data, extensions)
        assert subjects(COUNTED.type, found[f"shape-{index}"]) == expected, (data, extensions)


class _Lossy(events.Relay):
    """A relay whose connection loses its ``lose``-th message (as a broker restart may)."""

    def __init__(self, *args: object, lose: int, **options: object) -> None:
        super().__init__(*args, **options)  # type: ignore[arg-type]
        self.lose = lose
        self.sent = 0

    async def _send(self, js, messages):  # type: ignore[no-untyped-def]
        publish = self._acks.publish

        async def lossy(subject, body, headers):  # type: ignore[no-untyped-def]
            self.sent += 1
            if self.sent == self.lose:
                return asyncio.get_running_loop().create_future()  # never acknowledged
            return await publish(subject, body, headers)

        self._acks.publish = lossy  # type: ignore[method-assign]
        try:
            return await super()._send(js, messages)
        finally:
            self._acks.publish = publish  # type: ignore[method-assign]


@pytest.mark.parametrize("lose", [1, 30, 70])
def test_messages_refused_after_a_lost_one_are_sent_again_in_order(
    engine: Engine, nats_server: NatsServer, lose: int
) -> None:
    """Sends again, in order, the lost message and every later one of its batch and of the batch behind."""
    publish_counts(engine, [(f"item/{n % 7}", n) for n in range(300)])
    relay = _Lossy(engine, nats_server.url, lose=lose, batch_size=50, ack_timeout=1.0)
    report = asyncio.run(relay.run(once=True))
    assert (report.published, report.duplicates) == (300, 0)
    refused_at_least = 50 - (lose - 1) % 50 + 50
    assert report.retried >= refused_at_least, "the rest of the batch and the whole batch behind it"
    numbers = [events.CloudEvent.from_json(m.data).data["n"] for m in stream_messages(nats_server.url)]
    assert numbers == list(range(300)), "each event once, in position order"
    with engine.connect() as conn:
        cursor = conn.execute(sa.select(CURSOR.c.position)).scalar_one()
        last = conn.execute(sa.select(sa.func.max(events.OutboxEvent.position))).scalar_one()
        ahead = conn.execute(sa.select(sa.func.count()).select_from(events.RelayAhead)).scalar_one()
        conn.rollback()
    assert (cursor, ahead) == (last, 0)


def test_a_refused_message_is_settled_at_once_not_after_the_ack_timeout(
    engine: Engine, nats_server: NatsServer
) -> None:
    """The broker's refusal (a wrong expected last sequence) fails the message as soon as it comes."""
    from govparts.core.events._broker import connect, ensure_streams
    from govparts.core.events._relay import _Acks

    async def scenario() -> tuple[float, str, bool]:
        acks = _Acks()
        nc = await connect(nats_server.url, name="test", disconnected=acks.lost)
        try:
            await ensure_streams(nc.jetstream(), events.StreamSettings())
            await acks.start(nc)
            loop = asyncio.get_running_loop()
            started = loop.time()
            headers = {"Nats-Msg-Id": "refused-1", "Nats-Expected-Last-Sequence": "41"}
            refused = await acks.publish("govparts.events._.test.refused", b"{}", headers)
            stored = await acks.publish("govparts.events._.test.stored", b"{}", {"Nats-Msg-Id": "ok-1"})
            await asyncio.wait({refused, stored}, timeout=30)
            return loop.time() - started, str(refused.exception()), stored.result().duplicate
        finally:
            await nc.close()

    elapsed, reason, duplicate = asyncio.run(scenario())
    assert elapsed < 5, "answered by the broker, not by a timeout"
    assert "wrong last sequence" in reason
    assert duplicate is False


def test_a_stopping_relay_does_not_wait_out_the_ack_timeout(engine: Engine, nats_server: NatsServer) -> None:
    """Stopped while the broker leaves its messages unanswered, the relay ends within seconds,
    commits nothing it was not told was stored, and the next run publishes everything once."""
    publish_counts(engine, [(f"item/{n % 7}", n) for n in range(300)])

    class _Unanswered(events.Relay):
        async def _send(self, js, messages):  # type: ignore[no-untyped-def]
            async def never(subject, body, headers):  # type: ignore[no-untyped-def]
                return asyncio.get_running_loop().create_future()

            self._acks.publish = never  # type: ignore[method-assign]
            return await super()._send(js, messages)

    async def scenario() -> tuple[float, events.RelayReport]:
        stop = asyncio.Event()
        relay = _Unanswered(engine, nats_server.url, batch_size=100, ack_timeout=60.0)
        running = asyncio.ensure_future(relay.run(stop=stop))
        await asyncio.sleep(1.0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        stop.set()
        report = await asyncio.wait_for(running, timeout=30)
        return loop.time() - started, report

    elapsed, report = asyncio.run(scenario())
    assert elapsed < 5, f"stopped in {elapsed:.1f} s"
    assert report.published == 0
    with engine.connect() as conn:
        assert conn.execute(sa.select(CURSOR.c.position)).scalar_one() == 0, "nothing counted as published"
        conn.rollback()
    assert _relay(engine, nats_server).published == 300
    numbers = [events.CloudEvent.from_json(m.data).data["n"] for m in stream_messages(nats_server.url)]
    assert numbers == list(range(300))


def test_a_consumer_removed_leaves_no_durable_consumer_on_the_stream(
    engine: Engine, nats_server: NatsServer, tmp_path: Path
) -> None:
    """``remove`` deletes the agency's durable consumers; a consumer of another agency stays."""
    publish_counts(engine, [("item/1", n) for n in range(5)])
    assert _relay(engine, nats_server).published == 5
    target = consumer_engine(tmp_path / "agency.db")
    assert _consume(target, nats_server, name="agency-a").applied == 5
    assert _consume(target, nats_server, name="agency-b").applied == 0, "applied once per database"
    leaving = events.BrokerConsumer(target, nats_server.url, count_handlers(target), name="agency-a")

    async def names() -> set[str]:
        import nats

        nc = await nats.connect(nats_server.url)
        try:
            return {info.name for info in await nc.jetstream().consumers_info("GOVPARTS")}
        finally:
            await nc.close()

    before = asyncio.run(names())
    assert asyncio.run(leaving.remove()) == 1
    after = asyncio.run(names())
    assert {name for name in before - after} == {n for n in before if n.startswith("agency-a__")}
    assert any(name.startswith("agency-b__") for name in after)
    assert asyncio.run(leaving.remove()) == 0, "nothing left to remove"
