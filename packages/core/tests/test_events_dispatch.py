"""The transactional outbox and the dispatcher: at least once, effects once, in order per subject."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.errors import ConfigurationError, InvalidInput, InvalidRecord, NotFound


class Punch(BaseModel):
    """Payload of the synthetic events: a number, to check order and content."""

    n: int


class DispatchEffect(SQLModel, table=True):
    """What the test handlers do: one row per applied event (no unique key, so duplicates show)."""

    __tablename__ = "t_events_dispatch_effect"

    id: int | None = Field(default=None, primary_key=True)
    handler_id: str
    event_id: str
    subject: str
    n: int


def _t(text: str) -> dict[str, str]:
    return {"zh_Hans_CN": text, "en": text, "ug_CN": text}


PUNCHED = events.EventType("cn.govparts.dispatchtest.card.punched.v1", Punch, _t("打卡"))
VOIDED = events.EventType("cn.govparts.dispatchtest.card.voided.v1", Punch, _t("作废"))
events.register(PUNCHED, VOIDED)

EFFECTS: sa.Table = DispatchEffect.__table__  # type: ignore[attr-defined]
OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]
DELIVERY: sa.Table = events.EventDelivery.__table__  # type: ignore[attr-defined]
NO_WAIT: Callable[[int], timedelta] = lambda attempts: timedelta(0)  # noqa: E731 - a one-line policy


def recorder(handler_id: str) -> events.HandlerFunc:
    """A handler applying its effect through the delivery's session."""

    def handle(session: Session, event: events.CloudEvent) -> None:
        session.execute(
            sa.insert(EFFECTS).values(
                handler_id=handler_id, event_id=event.id, subject=event.subject, n=event.data["n"]
            )
        )

    return handle


def _publish(
    engine: Engine, *items: tuple[str, int], kind: events.EventType = PUNCHED
) -> list[events.CloudEvent]:
    with session_scope(engine) as session:
        return [events.publish(session, kind, Punch(n=n), subject=subject) for subject, n in items]


def _effects(engine: Engine, handler_id: str | None = None) -> list[tuple[str, int]]:
    query = sa.select(EFFECTS.c.subject, EFFECTS.c.n).order_by(EFFECTS.c.id)
    if handler_id is not None:
        query = query.where(EFFECTS.c.handler_id == handler_id)
    with engine.connect() as conn:
        rows = [(row.subject, row.n) for row in conn.execute(query)]
        conn.rollback()
    return rows


@pytest.fixture
def dispatcher(engine: Engine) -> events.Dispatcher:
    """A dispatcher with one recording handler for punches."""
    return events.Dispatcher(engine, [events.Handler("test.record", PUNCHED.type, recorder("test.record"))])


def test_publish_writes_in_the_callers_transaction(engine: Engine) -> None:
    """Writes the event with the caller's transaction, and not at all when it rolls back."""

    def change_that_fails() -> None:
        with session_scope(engine) as session:
            events.publish(session, PUNCHED, {"n": 1}, subject="card/1")
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert events.pending(engine) == []
    (event,) = _publish(engine, ("card/1", 2))
    (row,) = events.pending(engine)
    assert (row["event_id"], row["handler_id"], row["subject"], row["subject_seq"]) == (
        event.id,
        None,
        "card/1",
        1,
    )


def test_publish_refuses_bad_events_and_writes_nothing(engine: Engine) -> None:
    """Refuses invalid data, unregistered types and events without a subject; nothing is written."""
    with pytest.raises(InvalidRecord), session_scope(engine) as session:
        events.publish(session, PUNCHED, {"n": "many"}, subject="card/1")
    stranger = events.CloudEvent(
        id="x", source="urn:s", type="cn.govparts.dispatchtest.card.lost.v1", subject="c"
    )
    with pytest.raises(NotFound) as caught, session_scope(engine) as session:
        events.publish_events(session, [PUNCHED.envelope({"n": 1}, subject="card/1"), stranger])
    assert caught.value.field == "events[1].type"
    no_subject = events.CloudEvent(id="y", source="urn:s", type=PUNCHED.type, data={"n": 1})
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        events.publish_events(session, [no_subject])
    assert caught.value.field == "events[0].subject"
    assert events.pending(engine) == []


def test_numbers_the_events_of_each_subject(engine: Engine) -> None:
    """Numbers each subject's events 1, 2, 3… across transactions and within one batch."""
    _publish(engine, ("card/1", 1), ("card/2", 1))
    with session_scope(engine) as session:
        events.publish_events(
            session,
            [
                PUNCHED.envelope({"n": n}, subject=subject)
                for subject, n in [("card/1", 2), ("card/2", 2), ("card/1", 3)]
            ],
        )
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(OUTBOX.c.subject, OUTBOX.c.subject_seq, OUTBOX.c.data).order_by(OUTBOX.c.position)
        )
        found = [(row.subject, row.subject_seq, row.data["n"]) for row in rows]
    assert found == [("card/1", 1, 1), ("card/2", 1, 1), ("card/1", 2, 2), ("card/2", 2, 2), ("card/1", 3, 3)]


def test_delivers_each_event_once(engine: Engine, dispatcher: events.Dispatcher) -> None:
    """Delivers every committed event to its handler once; a second run finds nothing to do."""
    _publish(engine, ("card/1", 1), ("card/2", 1), ("card/1", 2))
    _publish(engine, ("card/9", 9), kind=VOIDED)
    report = dispatcher.run()
    assert (report.fanned_out, report.delivered, report.duplicates, report.failures) == (4, 3, 0, [])
    assert sorted(_effects(engine)) == [("card/1", 1), ("card/1", 2), ("card/2", 1)]
    assert events.pending(engine) == []
    again = dispatcher.run()
    assert (again.fanned_out, again.delivered) == (0, 0)
    assert len(_effects(engine)) == 3


def test_keeps_the_order_of_each_subject(engine: Engine) -> None:
    """Hands a subject's events to a handler in the order they were published, across many rounds."""
    _publish(engine, *[(f"card/{n % 3}", n) for n in range(12)])
    handler = events.Handler("test.order", PUNCHED.type, recorder("test.order"))
    dispatcher = events.Dispatcher(engine, [handler], batch_size=1, per_subject=1)
    assert dispatcher.run(max_rounds=1).delivered == 1
    assert dispatcher.run().delivered == 11
    seen = _effects(engine)
    assert len(seen) == 12
    for subject in ("card/0", "card/1", "card/2"):
        numbers = [n for s, n in seen if s == subject]
        assert numbers == sorted(numbers)


def test_a_failing_handler_keeps_the_event_pending_and_retries_it(engine: Engine) -> None:
    """Leaves a failed delivery pending with the error and attempts, and delivers it on a later run."""
    calls: list[int] = []

    def flaky(session: Session, event: events.CloudEvent) -> None:
        calls.append(event.data["n"])
        if len(calls) == 1:
            raise RuntimeError("the attendance service is down for 650102199001011239")
        recorder("test.flaky")(session, event)

    dispatcher = events.Dispatcher(
        engine,
        [events.Handler("test.flaky", PUNCHED.type, flaky)],
        backoff=lambda attempts: timedelta(minutes=5),
    )
    _publish(engine, ("card/1", 1))
    report = dispatcher.run()
    assert report.delivered == 0
    (failure,) = report.failures
    assert (failure.handler_id, failure.attempts) == ("test.flaky", 1)
    assert "650102199001011239" not in failure.error
    assert "650102********1239" in failure.error
    (row,) = events.pending(engine)
    assert (row["handler_id"], row["attempts"], row["blocked"]) == ("test.flaky", 1, False)
    assert row["last_error"].startswith("RuntimeError: the attendance service is down")
    assert row["next_attempt_at"] > row["last_attempt_at"]
    assert _effects(engine) == []

    assert dispatcher.run().delivered == 0, "not due again before its backoff has passed"
    later = datetime.now(UTC) + timedelta(hours=2)
    assert dispatcher.run(now=later).delivered == 1
    assert _effects(engine) == [("card/1", 1)]
    assert calls == [1, 1]
    assert events.pending(engine) == []
    with engine.connect() as conn:
        attempts = conn.execute(sa.select(DELIVERY.c.attempts, DELIVERY.c.status)).one()
    assert tuple(attempts) == (2, "delivered")


def test_a_failing_event_blocks_its_subject_but_not_others(engine: Engine) -> None:
    """Holds back later events of the failing subject for that handler; other subjects and handlers go on."""

    def picky(session: Session, event: events.CloudEvent) -> None:
        if event.subject == "card/bad":
            raise ValueError("cannot handle this card")
        recorder("test.picky")(session, event)

    dispatcher = events.Dispatcher(
        engine,
        [
            events.Handler("test.picky", PUNCHED.type, picky),
            events.Handler("test.other", PUNCHED.type, recorder("test.other")),
        ],
        backoff=NO_WAIT,
    )
    _publish(engine, ("card/bad", 1), ("card/good", 1), ("card/bad", 2), ("card/good", 2))
    report = dispatcher.run()
    assert [f.subject for f in report.failures] == ["card/bad"]
    assert _effects(engine, "test.picky") == [("card/good", 1), ("card/good", 2)]
    assert sorted(_effects(engine, "test.other")) == [
        ("card/bad", 1),
        ("card/bad", 2),
        ("card/good", 1),
        ("card/good", 2),
    ]
    waiting = events.pending(engine)
    assert [(row["handler_id"], row["subject"], row["blocked"]) for row in waiting] == [
        ("test.picky", "card/bad", False),
        ("test.picky", "card/bad", True),
    ]
    assert waiting[0]["attempts"] == 1
    assert waiting[1]["attempts"] == 0


def test_a_redelivered_event_takes_effect_once(engine: Engine, dispatcher: events.Dispatcher) -> None:
    """Acknowledges a redelivered event without running the handler's effects again."""
    _publish(engine, ("card/1", 1))
    dispatcher.run()
    with engine.begin() as conn:
        conn.execute(sa.update(DELIVERY).values(status="pending"))
    report = dispatcher.run()
    assert (report.delivered, report.duplicates) == (0, 1)
    assert _effects(engine) == [("card/1", 1)]
    assert events.pending(engine) == []


def test_mark_processed_records_an_event_once(engine: Engine) -> None:
    """Returns True the first time a handler records an event and False afterwards."""
    with session_scope(engine) as session:
        assert events.mark_processed(session, "vendor.import", "evt-1")
        assert not events.mark_processed(session, "vendor.import", "evt-1")
        assert events.mark_processed(session, "vendor.other", "evt-1")
    with session_scope(engine) as session:
        assert not events.mark_processed(session, "vendor.import", "evt-1")


def test_a_new_handler_receives_earlier_events_unless_it_opts_out(
    engine: Engine, dispatcher: events.Dispatcher
) -> None:
    """Backfills a newly subscribed handler with earlier events of its type; backfill=False starts now."""
    _publish(engine, ("card/1", 1), ("card/2", 2))
    dispatcher.run()
    dispatcher.add(events.Handler("test.late", PUNCHED.type, recorder("test.late")))
    dispatcher.add(events.Handler("test.fresh", PUNCHED.type, recorder("test.fresh"), backfill=False))
    _publish(engine, ("card/3", 3))
    dispatcher.run()
    assert sorted(_effects(engine, "test.late")) == [("card/1", 1), ("card/2", 2), ("card/3", 3)]
    assert _effects(engine, "test.fresh") == [("card/3", 3)]
    assert len(_effects(engine, "test.record")) == 3


def test_a_handler_that_drops_a_type_stops_receiving_it(engine: Engine) -> None:
    """Removes the subscription and pending deliveries of a type a handler no longer consumes."""
    both = events.Handler("test.types", (PUNCHED.type, VOIDED.type), recorder("test.types"))
    events.Dispatcher(engine, [both]).run()
    _publish(engine, ("card/1", 1), kind=VOIDED)
    events.Dispatcher(engine).run()
    assert [row["handler_id"] for row in events.pending(engine)] == ["test.types"]
    narrower = events.Handler("test.types", PUNCHED.type, recorder("test.types"))
    events.Dispatcher(engine, [narrower]).run()
    _publish(engine, ("card/1", 2), kind=VOIDED)
    events.Dispatcher(engine, [narrower]).run()
    assert _effects(engine) == []
    assert events.pending(engine) == []


def test_a_handler_may_take_a_type_back_without_repeating_itself(engine: Engine) -> None:
    """Lets a handler drop a type and take it back later: earlier events apply once, nothing fails."""
    both = events.Handler("test.again", (PUNCHED.type, VOIDED.type), recorder("test.again"))
    narrower = events.Handler("test.again", PUNCHED.type, recorder("test.again"))
    _publish(engine, ("card/1", 1), kind=VOIDED)
    assert events.Dispatcher(engine, [both]).run().delivered == 1
    events.Dispatcher(engine, [narrower]).run()
    _publish(engine, ("card/1", 2), kind=VOIDED)
    events.Dispatcher(engine).run()
    report = events.Dispatcher(engine, [both]).run()
    assert (report.delivered, report.failures) == (1, [])
    assert _effects(engine) == [("card/1", 1), ("card/1", 2)]


def test_a_corrupt_stored_event_fails_like_a_handler_would(
    engine: Engine, dispatcher: events.Dispatcher
) -> None:
    """Records a stored event that no longer reads as an envelope as a failed delivery; others go on."""
    bad, _ = _publish(engine, ("card/1", 1), ("card/2", 2))
    with engine.begin() as conn:
        conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id == bad.id).values(extensions={"Not-Valid": 1}))
    report = dispatcher.run()
    assert report.delivered == 1
    assert [failure.event_id for failure in report.failures] == [bad.id]
    assert _effects(engine) == [("card/2", 2)]


def test_drop_handler_retires_a_handler(engine: Engine, dispatcher: events.Dispatcher) -> None:
    """Removes a retired handler's subscriptions and pending deliveries."""
    dispatcher.run()
    _publish(engine, ("card/1", 1))
    events.Dispatcher(engine).run()
    assert [row["handler_id"] for row in events.pending(engine)] == ["test.record"]
    events.drop_handler(engine, "test.record")
    assert events.pending(engine) == []
    _publish(engine, ("card/1", 2))
    assert events.Dispatcher(engine).run().fanned_out == 1
    assert events.pending(engine) == []


def test_pending_filters_by_handler_and_limits(engine: Engine, dispatcher: events.Dispatcher) -> None:
    """Lists one handler's pending deliveries, oldest first, up to a limit."""
    dispatcher.run()
    _publish(engine, ("card/1", 1), ("card/2", 2), ("card/1", 3))
    events.Dispatcher(engine).run()
    rows = events.pending(engine, handler_id="test.record", limit=2)
    assert [(row["subject"], row["blocked"]) for row in rows] == [("card/1", False), ("card/2", False)]
    assert [row["blocked"] for row in events.pending(engine)] == [False, False, True]
    assert events.pending(engine, handler_id="nobody") == []


def test_handlers_are_checked_when_registered(engine: Engine) -> None:
    """Refuses a handler without a proper id or event types, and a second handler under one id."""
    with pytest.raises(InvalidInput) as caught:
        events.Handler("", PUNCHED.type, recorder("x"))
    assert caught.value.field == "handler_id"
    with pytest.raises(InvalidInput) as caught:
        events.Handler("test.x", (), recorder("x"))
    assert caught.value.field == "test.x.event_types"
    with pytest.raises(InvalidInput):
        events.Handler("test.x", "card.punched", recorder("x"))
    dispatcher = events.Dispatcher(engine)

    @dispatcher.register("test.decorated", PUNCHED.type)
    def decorated(session: Session, event: events.CloudEvent) -> None:
        recorder("test.decorated")(session, event)

    assert dispatcher.handlers["test.decorated"].func is decorated
    with pytest.raises(ConfigurationError) as conflict:
        dispatcher.add(events.Handler("test.decorated", PUNCHED.type, recorder("y")))
    assert conflict.value.field == "handler_id"


def test_two_dispatchers_at_once_deliver_each_event_once(engine: Engine) -> None:
    """Applies every event exactly once and in order per subject with two dispatchers running at once."""
    _publish(engine, *[(f"card/{n % 5}", n) for n in range(60)])

    def run() -> int:
        handler = events.Handler("test.shared", PUNCHED.type, recorder("test.shared"))
        return events.Dispatcher(engine, [handler], batch_size=3, per_subject=2).run().delivered

    with ThreadPoolExecutor(max_workers=2) as pool:
        delivered = sum(future.result() for future in [pool.submit(run), pool.submit(run)])
    seen = _effects(engine)
    assert delivered == 60
    assert sorted(n for _, n in seen) == list(range(60))
    for subject in {s for s, _ in seen}:
        numbers = [n for s, n in seen if s == subject]
        assert numbers == sorted(numbers)
    assert events.pending(engine) == []


def test_a_dispatcher_without_handlers_only_fans_out(engine: Engine) -> None:
    """Fans events out to the subscribed handlers of other processes without delivering any."""
    _publish(engine, ("card/1", 1))
    report = events.Dispatcher(engine).run()
    assert (report.fanned_out, report.delivered) == (1, 0)
    assert events.pending(engine) == []


def test_dispatcher_settings_are_checked(engine: Engine) -> None:
    """Refuses a batch size or per-subject limit below one, naming it."""
    with pytest.raises(InvalidInput) as caught:
        events.Dispatcher(engine, per_subject=0)
    assert caught.value.field == "per_subject"


def test_the_default_backoff_doubles_up_to_an_hour() -> None:
    """Waits 2, 4, 8… seconds after successive failures, never more than an hour."""
    assert [events.default_backoff(n).total_seconds() for n in (1, 2, 3)] == [2, 4, 8]
    assert events.default_backoff(40) == timedelta(hours=1)
