"""Events built by the database from a SELECT: numbering, ids, the JSON form, refusal, id blocks."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.errors import InvalidInput, InvalidRecord
from govparts.core.events import _envelope


class Holder(BaseModel):
    """Who holds a card."""

    name: str
    unit: str


class CardIssued(BaseModel):
    """Payload of the select test events: a number, a date and a nested object."""

    n: int
    on: date
    holder: Holder


ISSUED = events.EventType(
    "cn.govparts.selecttest.card.issued.v1",
    CardIssued,
    {"zh_Hans_CN": "发卡", "en": "A card was issued", "ug_CN": "كارتا تارقىتىلدى"},
)
events.register(ISSUED)

OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]
SUBJECTS: sa.Table = events.OutboxSubject.__table__  # type: ignore[attr-defined]
CARDS = sa.Table(
    "selecttest_card",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("holder", sa.String(50)),
    sa.Column("unit", sa.String(50)),
    sa.Column("subject", sa.String(600)),
    sa.Column("n", sa.Integer),
    sa.Column("issued_on", sa.Date),
)


def _cards(engine: Engine, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        CARDS.drop(conn, checkfirst=True)
        CARDS.create(conn)
        conn.execute(sa.insert(CARDS), rows)


def _card(key: int, subject: str | None, n: int | None = None) -> dict[str, Any]:
    return {
        "id": key,
        "holder": f"阿依古丽·{key}",
        "unit": "办公室",
        "subject": subject,
        "n": key if n is None else n,
        "issued_on": date(2025, 1, 1 + key % 28),
    }


def _query(bind: Any, where: Any = None) -> sa.Select[Any]:
    holder = events.json_object(bind, name=CARDS.c.holder, unit=CARDS.c.unit)
    data = events.json_object(bind, n=CARDS.c.n, on=CARDS.c.issued_on, holder=holder)
    query = sa.select(CARDS.c.subject.label("subject"), data.label("data"), CARDS.c.id.label("ordinal"))
    return query if where is None else query.where(where)


def _rows(engine: Engine) -> list[sa.RowMapping]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(OUTBOX).order_by(OUTBOX.c.position)).mappings().all()
        conn.rollback()
    return list(rows)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        count = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
        conn.rollback()
    return count


def _expected(card: dict[str, Any]) -> dict[str, Any]:
    return CardIssued(
        n=card["n"], on=card["issued_on"], holder=Holder(name=card["holder"], unit=card["unit"])
    ).model_dump(mode="json")


def _check_envelopes(rows: list[sa.RowMapping], at: datetime) -> None:
    ids = [uuid.UUID(row["id"]) for row in rows]
    assert [str(u) for u in ids] == [row["id"] for row in rows]
    assert {(u.version, u.variant) for u in ids} == {(7, uuid.RFC_4122)}
    assert [u.int for u in ids] == sorted({u.int for u in ids})
    for row in rows:
        event = events.CloudEvent.from_json(
            events.CloudEvent(
                **{
                    k: row[k]
                    for k in (
                        "id",
                        "source",
                        "type",
                        "time",
                        "subject",
                        "datacontenttype",
                        "dataschema",
                        "data",
                    )
                }
            ).to_json()
        )
        assert ISSUED.parse(event).model_dump(mode="json") == event.data
        assert (event.type, event.source, event.dataschema) == (ISSUED.type, ISSUED.source, ISSUED.dataschema)
        assert (event.time, event.datacontenttype) == (at, "application/json")


@pytest.mark.parametrize("validate", [True, False])
def test_publishes_one_event_per_row_numbered_per_subject(engine: Engine, validate: bool) -> None:
    """Writes a valid CloudEvent per row, in ordinal order, numbered per subject after earlier events."""
    cards = [_card(k, f"card/{'ab'[k % 2]}") for k in (7, 3, 12, 5, 9)]
    _cards(engine, cards)
    at = datetime(2025, 3, 1, 1, 30, tzinfo=UTC)
    with session_scope(engine) as session:
        events.publish(session, ISSUED, _expected(_card(1, "card/a")), subject="card/a")
    with session_scope(engine) as session:
        assert events.publish_select(session, ISSUED, _query(session), time=at, validate=validate) == 5
    rows = _rows(engine)[1:]
    by_key = sorted(cards, key=lambda card: card["id"])
    assert [row["data"] for row in rows] == [_expected(card) for card in by_key]
    assert [(row["subject"], row["subject_seq"]) for row in rows] == [
        ("card/b", 1),  # 3
        ("card/b", 2),  # 5
        ("card/b", 3),  # 7
        ("card/b", 4),  # 9
        ("card/a", 2),  # 12, after the event published before
    ]
    _check_envelopes(rows, at)


def test_publishes_one_event_per_subject_after_each_subjects_last(engine: Engine) -> None:
    """Numbers rows of distinct subjects after their counters, ids increasing with sparse ordinals."""
    cards = [_card(k, f"card/{k}") for k in (40, 2, 1_000_000, 17)]
    _cards(engine, cards)
    at = datetime(2025, 3, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        events.publish(session, ISSUED, _expected(cards[3]), subject="card/17")
        events.publish(session, ISSUED, _expected(cards[3]), subject="card/17")
    before = events.new_event_id()
    with session_scope(engine) as session:
        written = events.publish_select(session, ISSUED, _query(session), time=at, validate=False)
    after = events.new_event_id()
    assert written == 4
    rows = _rows(engine)[2:]
    assert [(row["subject"], row["subject_seq"]) for row in rows] == [
        ("card/2", 1),
        ("card/17", 3),
        ("card/40", 1),
        ("card/1000000", 1),
    ]
    assert [row["data"]["n"] for row in rows] == [2, 17, 40, 1_000_000]
    assert uuid.UUID(before).int < uuid.UUID(rows[0]["id"]).int
    assert uuid.UUID(rows[-1]["id"]).int < uuid.UUID(after).int
    _check_envelopes(rows, at)
    with session_scope(engine) as session:
        assert events.publish_select(session, ISSUED, _query(session, CARDS.c.id > 10**7)) == 0
    assert _count(engine, OUTBOX) == 6


@pytest.mark.parametrize(
    ("subject", "field"),
    [(None, "events[2].subject"), ("", "events[2].subject"), ("x" * 501, "events[2].subject")],
)
def test_refuses_a_row_without_a_usable_subject(engine: Engine, subject: str | None, field: str) -> None:
    """Refuses the batch over a missing, empty or over-long subject, naming its place; writes nothing."""
    _cards(engine, [_card(1, "card/1"), _card(2, "card/2"), _card(3, subject), _card(4, "card/4")])
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        events.publish_select(session, ISSUED, _query(session), validate=False)
    assert caught.value.field == field
    assert (_count(engine, OUTBOX), _count(engine, SUBJECTS)) == (0, 0)


def test_validates_the_built_data_unless_the_caller_vouches(engine: Engine) -> None:
    """Refuses data the payload model rejects, naming events[i].data; validate=False stores it as built."""
    _cards(engine, [_card(1, "card/1"), {**_card(2, "card/2"), "n": None}])
    with pytest.raises(InvalidRecord) as caught, session_scope(engine) as session:
        events.publish_select(session, ISSUED, _query(session))
    assert [e.field for e in caught.value.errors] == ["events[1].data.n"]
    assert (_count(engine, OUTBOX), _count(engine, SUBJECTS)) == (0, 0)
    with session_scope(engine) as session:
        events.publish_select(session, ISSUED, _query(session), validate=False)
    assert [row["data"]["n"] for row in _rows(engine)] == [1, None]


def test_refuses_a_naive_time_and_a_key_sql_cannot_spell(engine: Engine) -> None:
    """Refuses a time without its zone and a JSON key that is not an identifier."""
    _cards(engine, [_card(1, "card/1")])
    with pytest.raises(InvalidInput) as naive, session_scope(engine) as session:
        events.publish_select(session, ISSUED, _query(session), time=datetime(2025, 1, 1))
    assert naive.value.field == "time"
    with pytest.raises(InvalidInput) as key, session_scope(engine) as session:
        events.json_object(session, **{"n') --": CARDS.c.n})
    assert key.value.field == "json_object"
    assert _count(engine, OUTBOX) == 0


def _ints(ids: list[str]) -> list[int]:
    parsed = [uuid.UUID(text) for text in ids]
    assert {(u.version, u.variant) for u in parsed} == {(7, uuid.RFC_4122)}
    return [u.int for u in parsed]


def test_reserved_id_blocks_count_up_in_their_last_group() -> None:
    """Reserves ids counting up in their last group, above every earlier id and below every later one."""
    first = events.new_event_id()
    block = events.reserve_event_ids(3)
    spelled = [f"{block.prefix}{block.first_tail + n:012x}" for n in range(3)]
    ints = _ints([first, *spelled, events.new_event_id()])
    assert ints == sorted(set(ints))
    assert (len(block.prefix), block.size) == (24, 3)


def test_a_reserved_block_never_carries_out_of_its_last_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starts a block at a zero last group when counting up from the random start would carry."""
    before = events.new_event_id()
    monkeypatch.setattr(_envelope.os, "urandom", lambda size: b"\xff" * size)
    monkeypatch.setattr(_envelope, "_last_id", 0)
    block = events.reserve_event_ids(2)
    assert block.first_tail == 0
    ints = _ints([before, f"{block.prefix}{0:012x}", f"{block.prefix}{1:012x}", events.new_event_id()])
    assert ints == sorted(set(ints))
    with pytest.raises(ValueError, match="count"):
        events.reserve_event_ids(0)
