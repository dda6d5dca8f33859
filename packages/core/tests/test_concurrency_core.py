"""Real concurrency: threads with their own connections race to fire transitions and to dispatch events."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from govparts.core import audit, events
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.errors import ConcurrentModification
from govparts.core.process import ProcessEngine, ProcessSpec, Stateful, TransitionPayload
from govparts.core.security import Actor


class RaceTicket(Stateful, table=True):
    """A governed row the threads race on."""

    __tablename__ = "t_concurrency_ticket"

    id: int | None = Field(default=None, primary_key=True)
    name: str


class RaceEffect(SQLModel, table=True):
    """One row per event a handler applied; no unique key, so a duplicate would show."""

    __tablename__ = "t_concurrency_effect"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str
    subject: str
    version: int


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


HELD = events.EventType(
    "cn.govparts.racetest.ticket.held.v1", TransitionPayload, _t("已挂起", "Put on hold", "توختىتىلدى")
)
RELEASED = events.EventType(
    "cn.govparts.racetest.ticket.released.v1",
    TransitionPayload,
    _t("已恢复", "Released", "ئەسلىگە كەلتۈرۈلدى"),
)
events.register(HELD, RELEASED)

SPEC = ProcessSpec(
    id="racetest.ticket",
    version="1.0",
    title=_t("工单", "Ticket", "بىلەت"),
    entity="ticket",
    roles=[{"id": "operator", "label": _t("操作员", "Operator", "مەشغۇلاتچى")}],
    states=[
        {"id": "open", "label": _t("办理中", "Open", "ئوچۇق")},
        {"id": "held", "label": _t("挂起", "Held", "توختىتىلغان")},
        {"id": "closed", "label": _t("已办结", "Closed", "تاقالغان"), "terminal": True},
    ],
    initial="open",
    transitions=[
        {"name": "hold", "source": ["open"], "target": "held", "roles": ["operator"], "event": HELD.type},
        {
            "name": "release",
            "source": ["held"],
            "target": "open",
            "roles": ["operator"],
            "event": RELEASED.type,
        },
        {"name": "close", "source": ["open", "held"], "target": "closed", "roles": ["operator"]},
    ],
)
PROCESS = ProcessEngine(SPEC)
TABLE: sa.Table = RaceTicket.__table__  # type: ignore[attr-defined]
EFFECTS: sa.Table = RaceEffect.__table__  # type: ignore[attr-defined]
OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]


@dataclass
class Tally:
    """What the racing threads saw."""

    wins: dict[tuple[int, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    conflicts: int = 0
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _race(engine: Engine, *, threads: int, tickets: int, rounds: int) -> Tally:
    with session_scope(engine) as session:
        ids = [
            PROCESS.create(
                session, RaceTicket(name=f"工单 {n}"), Actor(id="u-0", name="甲", roles={"operator"})
            ).id
            for n in range(tickets)
        ]
    tally = Tally()
    barrier = threading.Barrier(threads, timeout=120)

    def racer(number: int) -> None:
        actor = Actor(id=f"u-{number}", name=f"操作员{number}", unit="ops", roles={"operator"})
        for round_ in range(rounds):
            with Session(engine) as session:
                read = [session.get(RaceTicket, ticket_id) for ticket_id in ids]
            barrier.wait()
            for ticket in read:
                assert ticket is not None
                move = "hold" if ticket.state == "open" else "release"
                try:
                    PROCESS.fire_and_commit(engine, ticket, move, actor)
                except ConcurrentModification:
                    with tally.lock:
                        tally.conflicts += 1
                else:
                    with tally.lock:
                        tally.wins[(round_, int(ticket.id or 0))].append(number)
            barrier.wait()

    def guarded(number: int) -> None:
        try:
            racer(number)
        except BaseException as exc:
            tally.errors.append(exc)
            barrier.abort()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(guarded, range(threads)))
    return tally


def _dispatch_twice_at_once(engine: Engine) -> int:
    def apply(session: Session, event: events.CloudEvent) -> None:
        session.execute(
            sa.insert(EFFECTS).values(event_id=event.id, subject=event.subject, version=event.data["version"])
        )

    def run() -> int:
        handler = events.Handler("racetest.apply", (HELD.type, RELEASED.type), apply)
        return events.Dispatcher(engine, [handler], batch_size=4, per_subject=3).run().delivered

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(future.result() for future in [pool.submit(run), pool.submit(run)])


def _check(engine: Engine, tally: Tally, *, threads: int, tickets: int, rounds: int) -> None:
    assert tally.errors == []
    assert len(tally.wins) == tickets * rounds
    assert all(len(winners) == 1 for winners in tally.wins.values()), "exactly one thread wins each race"
    assert tally.conflicts == (threads - 1) * tickets * rounds

    with engine.connect() as conn:
        versions = conn.execute(sa.select(TABLE.c.version)).scalars().all()
        outbox = conn.execute(
            sa.select(OUTBOX.c.id, OUTBOX.c.subject, OUTBOX.c.subject_seq).order_by(OUTBOX.c.position)
        ).all()
        conn.rollback()
    assert versions == [1 + rounds] * tickets
    report = audit.verify(engine)
    assert report.ok, report.message("en")
    assert report.checked == tickets + tickets * rounds

    assert len(outbox) == tickets * rounds, "one outbox event per successful transition"
    assert len({row.id for row in outbox}) == len(outbox)
    per_subject: dict[str, list[int]] = defaultdict(list)
    for row in outbox:
        per_subject[row.subject].append(row.subject_seq)
    assert all(seqs == list(range(1, rounds + 1)) for seqs in per_subject.values())

    assert _dispatch_twice_at_once(engine) == len(outbox)
    with engine.connect() as conn:
        effects = conn.execute(
            sa.select(EFFECTS.c.event_id, EFFECTS.c.subject, EFFECTS.c.version).order_by(EFFECTS.c.id)
        ).all()
        conn.rollback()
    assert Counter(row.event_id for row in effects) == Counter({row.id: 1 for row in outbox}), (
        "each event once"
    )
    applied: dict[str, list[int]] = defaultdict(list)
    for row in effects:
        applied[row.subject].append(row.version)
    assert all(found == list(range(2, rounds + 2)) for found in applied.values()), "in order per subject"
    assert events.pending(engine) == []


@pytest.fixture
def racing_engine(db_url: str) -> Engine:
    """An engine with a connection for every racing thread."""
    engine = create_engine(db_url, pool_size=24, max_overflow=4)
    metadata.create_all(engine)
    return engine


@pytest.mark.postgresql
def test_sixteen_threads_race_on_postgresql(racing_engine: Engine) -> None:
    """Lets exactly one of 16 racing sessions win each transition; chain, outbox and delivery stay exact."""
    try:
        tally = _race(racing_engine, threads=16, tickets=4, rounds=10)
        _check(racing_engine, tally, threads=16, tickets=4, rounds=10)
    finally:
        racing_engine.dispose()


def test_racing_threads_on_any_database(racing_engine: Engine) -> None:
    """Lets exactly one of several racing threads win each transition, on SQLite as on PostgreSQL."""
    try:
        tally = _race(racing_engine, threads=4, tickets=2, rounds=3)
        _check(racing_engine, tally, threads=4, tickets=2, rounds=3)
    finally:
        racing_engine.dispose()
