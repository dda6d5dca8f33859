"""Publishing many events at once: numbering across statement batches, all-or-nothing refusal, ids."""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.errors import ConfigurationError, InvalidInput, InvalidRecord, NotFound


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


# -- publish_batch: the bulk form of publish ---------------------------------------------------------


class Stamp(BaseModel):
    """A payload with a date, whose JSON form differs from its Python form."""

    n: int
    on: date


STAMPED = events.EventType("cn.govparts.bulktest.card.stamped.v1", Stamp, _t("盖章"))
events.register(STAMPED)


def _rows(engine: Engine) -> list[sa.RowMapping]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(OUTBOX).order_by(OUTBOX.c.position)).mappings().all()
        conn.rollback()
    return list(rows)


def test_publish_batch_writes_valid_cloudevents_numbered_per_subject(engine: Engine) -> None:
    """Writes one CloudEvent per pair, numbered per subject after what publish() numbered before."""
    at = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    with session_scope(engine) as session:
        events.publish(session, COUNTED, {"n": 0}, subject="card/a")
    with session_scope(engine) as session:
        ids = events.publish_batch(
            session,
            COUNTED,
            [("card/a", {"n": 1}), ("card/b", {"n": 2}), ("card/a", {"n": 3})],
            time=at,
        )
    rows = _rows(engine)
    assert [row["id"] for row in rows[1:]] == ids
    assert [(row["subject"], row["subject_seq"], row["data"]) for row in rows] == [
        ("card/a", 1, {"n": 0}),
        ("card/a", 2, {"n": 1}),
        ("card/b", 1, {"n": 2}),
        ("card/a", 3, {"n": 3}),
    ]
    for row in rows[1:]:
        event = events.CloudEvent.model_validate(
            {
                k: row[k]
                for k in ("id", "source", "type", "time", "subject", "datacontenttype", "dataschema", "data")
            }
        )
        assert (event.source, event.dataschema) == (COUNTED.source, COUNTED.dataschema)
        assert event.time == at
        assert COUNTED.parse(event) == Tally(n=event.data["n"])
    assert _sequences(engine)["card/a"] == [(1, 0), (2, 1), (3, 3)]


def test_publish_batch_stores_the_json_form_of_validated_data(engine: Engine) -> None:
    """Stores validated data in its JSON form (dates as ISO 8601 text), on a plain connection too."""
    with engine.begin() as conn:
        events.publish_batch(conn, STAMPED, [("card/1", {"n": "7", "on": date(2025, 1, 2)})])
    (row,) = _rows(engine)
    assert row["data"] == {"n": 7, "on": "2025-01-02"}
    assert row["source"] == "urn:govparts:bulktest"


def test_publish_batch_refuses_a_bad_payload_naming_its_place(engine: Engine) -> None:
    """Refuses the whole batch over one invalid payload, naming events[i].data.<field>; writes nothing."""
    batch: list[tuple[str, dict[str, object]]] = [(f"card/{i}", {"n": i}) for i in range(MANY)]
    batch[1_234] = ("card/1234", {"n": "many"})
    with pytest.raises(InvalidRecord) as caught, session_scope(engine) as session:
        events.publish_batch(session, COUNTED, batch)
    assert [e.field for e in caught.value.errors] == ["events[1234].data.n"]
    assert _count(engine, OUTBOX) == 0
    assert _count(engine, SUBJECTS) == 0


def test_publish_batch_unvalidated_stores_data_as_given_but_only_json(engine: Engine) -> None:
    """With validate=False stores the data as given, and still refuses data that is not JSON."""
    with session_scope(engine) as session:
        events.publish_batch(session, STAMPED, [("card/1", {"n": 1, "on": "2025-01-02"})], validate=False)
    assert _rows(engine)[0]["data"] == {"n": 1, "on": "2025-01-02"}
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        events.publish_batch(
            session,
            STAMPED,
            [("card/2", {"n": 2, "on": "2025-01-03"}), ("card/3", {"n": 3, "on": date(2025, 1, 4)})],
            validate=False,
        )
    assert caught.value.field == "events[1].data"
    assert _count(engine, OUTBOX) == 1
    assert _count(engine, SUBJECTS) == 1


@pytest.mark.parametrize(
    ("subject", "field"),
    [("", "events[1].subject"), ("x" * 501, "events[1].subject"), (None, "events[1].subject")],
)
def test_publish_batch_refuses_a_bad_subject(engine: Engine, subject: object, field: str) -> None:
    """Refuses an empty, missing or over-long subject, naming its place; writes nothing."""
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        events.publish_batch(session, COUNTED, [("card/1", {"n": 1}), (subject, {"n": 2})])  # type: ignore[list-item]
    assert caught.value.field == field
    assert _count(engine, OUTBOX) == 0


def test_publish_batch_refuses_what_it_cannot_stand_behind(engine: Engine) -> None:
    """Refuses an unregistered type, another definition under a registered name and a naive time."""
    stranger = events.EventType("cn.govparts.bulktest.card.unknown.v1", Tally, _t("未知"))
    impostor = events.EventType(COUNTED.type, OtherTally, _t("冒名"))
    with pytest.raises(NotFound) as missing, session_scope(engine) as session:
        events.publish_batch(session, stranger, [("card/1", {"n": 1})])
    assert missing.value.field == "type"
    with pytest.raises(ConfigurationError), session_scope(engine) as session:
        events.publish_batch(session, impostor, [("card/1", {"label": "x"})], validate=False)
    with pytest.raises(InvalidInput) as naive, session_scope(engine) as session:
        events.publish_batch(session, COUNTED, [("card/1", {"n": 1})], time=datetime(2025, 1, 1))
    assert naive.value.field == "time"
    with pytest.raises(InvalidInput) as long_source, session_scope(engine) as session:
        events.publish_batch(session, COUNTED, [("card/1", {"n": 1})], source="s" * 501)
    assert long_source.value.field == "source"
    assert _count(engine, OUTBOX) == 0


def test_concurrent_batches_number_each_subject_without_gaps(engine: Engine) -> None:
    """Numbers a subject 1..n without gaps or repeats when batches on it are published concurrently."""
    threads, per_thread = 4, 5

    def publish(worker: int) -> None:
        for round_ in range(per_thread):
            with session_scope(engine) as session:
                events.publish_batch(
                    session, COUNTED, [("card/shared", {"n": worker}), (f"card/{worker}", {"n": round_})]
                )

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(publish, range(threads)))
    found = _sequences(engine)
    assert [seq for seq, _ in found["card/shared"]] == list(range(1, threads * per_thread + 1))
    for worker in range(threads):
        assert [n for _, n in found[f"card/{worker}"]] == list(range(per_thread))


def test_event_ids_are_version_7_uuids_that_increase() -> None:
    """Gives RFC 9562 version 7 UUIDs, their time the current millisecond, increasing across calls."""
    before = time.time_ns() // 1_000_000
    ids = [events.new_event_id(), *events.new_event_ids(1_000), events.new_event_id()]
    after = time.time_ns() // 1_000_000
    parsed = [uuid.UUID(text) for text in ids]
    assert all(str(u) == text for u, text in zip(parsed, ids, strict=True))
    assert {(u.version, u.variant) for u in parsed} == {(7, uuid.RFC_4122)}
    assert [u.int for u in parsed] == sorted({u.int for u in parsed})
    assert before <= parsed[0].int >> 80 <= parsed[-1].int >> 80 <= after + 1
    assert events.new_event_ids(0) == []
