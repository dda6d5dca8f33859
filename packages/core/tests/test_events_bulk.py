"""Publishing many events at once: numbering across statement batches, all-or-nothing refusal."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.errors import InvalidRecord, NotFound


class Tally(BaseModel):
    """Payload of the bulk test events: a number, to check order and content."""

    n: int


class OtherTally(BaseModel):
    """A payload that is not the registered one for the bulk type name."""

    label: str


def _t(text: str) -> dict[str, str]:
    return {"zh_Hans_CN": text, "en": text, "ug_CN": text}


COUNTED = events.EventType("cn.govparts.bulktest.card.counted.v1", Tally, _t("计数"))
events.register(COUNTED)

OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]
SUBJECTS: sa.Table = events.OutboxSubject.__table__  # type: ignore[attr-defined]
# More subjects than one counter upsert takes, so the batch spans several statements.
MANY = 2_345


def _constructed(subject: str, data: object) -> events.CloudEvent:
    """An envelope built without validation, as a bulk producer builds it."""
    return events.CloudEvent.model_construct(
        id=events.new_event_id(),
        source=COUNTED.source,
        type=COUNTED.type,
        time=datetime.now(UTC),
        subject=subject,
        datacontenttype="application/json",
        dataschema=COUNTED.dataschema,
        data=data,
    )


def _sequences(engine: Engine) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(OUTBOX.c.subject, OUTBOX.c.subject_seq, OUTBOX.c.data).order_by(OUTBOX.c.position)
        )
        for row in rows:
            found[row.subject].append((row.subject_seq, row.data["n"]))
        conn.rollback()
    return dict(found)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        count = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
        conn.rollback()
    return count


def test_numbers_a_large_batch_across_statements(engine: Engine) -> None:
    """Numbers each subject's events in order when one batch spans several counter statements."""
    with session_scope(engine) as session:
        events.publish(session, COUNTED, {"n": 0}, subject="card/00007")
        events.publish(session, COUNTED, {"n": 0}, subject="card/02000")
    batch = [_constructed(f"card/{i:05d}", {"n": 1}) for i in range(MANY)]
    # A few subjects get a second and third event later in the same batch.
    batch += [_constructed(f"card/{i:05d}", {"n": 2}) for i in (7, 999, 1000, 2344)]
    batch += [_constructed("card/00999", {"n": 3})]
    with session_scope(engine) as session:
        events.publish_events(session, batch)
    found = _sequences(engine)
    assert len(found) == MANY
    assert found["card/00007"] == [(1, 0), (2, 1), (3, 2)]
    assert found["card/02000"] == [(1, 0), (2, 1)]
    assert found["card/00999"] == [(1, 1), (2, 2), (3, 3)]
    assert found["card/01000"] == [(1, 1), (2, 2)]
    assert found["card/02344"] == [(1, 1), (2, 2)]
    assert found["card/01500"] == [(1, 1)]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(SUBJECTS.c.subject, SUBJECTS.c.last_seq))
        last = {row.subject: row.last_seq for row in rows}
        conn.rollback()
    assert {subject: len(seqs) for subject, seqs in found.items()} == last


def test_numbers_batches_of_varying_size_on_a_connection(engine: Engine) -> None:
    """Continues each subject's numbering over batches of different sizes on a plain connection."""
    sizes = (1, 3, 1_001, 2)
    with engine.begin() as conn:
        for n, size in enumerate(sizes, start=1):
            events.publish_events(conn, [_constructed(f"card/{i}", {"n": n}) for i in range(size)])
    found = _sequences(engine)
    assert found["card/0"] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert found["card/1"] == [(1, 2), (2, 3), (3, 4)]
    assert found["card/2"] == [(1, 2), (2, 3)]
    assert found["card/1000"] == [(1, 3)]
    assert _count(engine, OUTBOX) == sum(sizes)


def test_refuses_a_large_batch_with_one_bad_event(engine: Engine) -> None:
    """Refuses the whole batch over one invalid payload, naming its field; writes nothing."""
    batch = [_constructed(f"card/{i}", {"n": i}) for i in range(MANY)]
    batch[1_234] = _constructed("card/1234", {"n": "many"})
    with pytest.raises(InvalidRecord) as caught, session_scope(engine) as session:
        events.publish_events(session, batch)
    assert "n" in str(caught.value)
    assert _count(engine, OUTBOX) == 0
    assert _count(engine, SUBJECTS) == 0


def test_publish_refuses_an_unregistered_event_type(engine: Engine) -> None:
    """Refuses publishing through an event type that is not in the catalogue; writes nothing."""
    stranger = events.EventType("cn.govparts.bulktest.card.unknown.v1", Tally, _t("未知"))
    with pytest.raises(NotFound) as caught, session_scope(engine) as session:
        events.publish(session, stranger, {"n": 1}, subject="card/1")
    assert caught.value.field == "events[0].type"
    assert _count(engine, OUTBOX) == 0


def test_publish_checks_data_against_the_registered_payload(engine: Engine) -> None:
    """Validates against the catalogue's payload when given a different type of the same name."""
    impostor = events.EventType(COUNTED.type, OtherTally, _t("冒名"))
    with pytest.raises(InvalidRecord), session_scope(engine) as session:
        events.publish(session, impostor, {"label": "x"}, subject="card/1")
    assert _count(engine, OUTBOX) == 0
