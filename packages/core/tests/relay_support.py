"""What the relay tests share, importable by the consumer processes they start (``--handlers``).

The event type ``cn.govparts.relaytest.item.counted.v1`` carries a number ``n`` and the
organisation ``org``; the handler writes one ``t_relay_effect`` row per applied event, without a
unique key, so an event applied twice shows as two rows. ``GOVPARTS_TEST_CRASH`` makes a consumer
process kill itself (SIGKILL) once, at ``n`` = ``GOVPARTS_TEST_CRASH_AT``: ``handler`` inside the
handler (mid-batch, before the commit), ``commit`` right after the commit of the batch holding that
event (before any acknowledgement). ``GOVPARTS_TEST_POISON`` makes the handler fail on that ``n``.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from govparts.core import events
from govparts.core.db import session_scope

ORG = "91650000MA77Q0LH4A"
OTHER_ORG = "12650100MB1234567P"


class Counted(BaseModel):
    """Payload of the synthetic events."""

    org: str
    n: int


class RelayEffect(SQLModel, table=True):
    """One row per applied event."""

    __tablename__ = "t_relay_effect"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str
    subject: str
    n: int


def _t(text: str) -> dict[str, str]:
    return {"zh_Hans_CN": text, "en": text, "ug_CN": text}


COUNTED = events.EventType("cn.govparts.relaytest.item.counted.v1", Counted, _t("计数"))
if COUNTED.type not in {kind.type for kind in events.registered()}:
    events.register(COUNTED)
EFFECTS: sa.Table = RelayEffect.__table__  # type: ignore[attr-defined]
HANDLER_ID = "relaytest.count"


def publish_counts(engine: Engine, items: Iterable[tuple[str, int]], *, org: str = ORG) -> None:
    """Publish one event per ``(subject, n)`` in one transaction (the bulk path)."""
    with session_scope(engine) as session:
        events.publish_batch(session, COUNTED, [(s, {"org": org, "n": n}) for s, n in items])


def record(session: Session, event: events.CloudEvent) -> None:
    """The handler: one effect row, or a failure / crash when the environment asks for one."""
    n = int(event.data["n"])
    if os.environ.get("GOVPARTS_TEST_POISON") == str(n):
        raise RuntimeError(f"refuses item {n}")
    if os.environ.get("GOVPARTS_TEST_CRASH_AT") == str(n):
        marker = Path(os.environ["GOVPARTS_TEST_CRASH_MARKER"])
        if not marker.exists():
            if os.environ.get("GOVPARTS_TEST_CRASH") == "handler":
                marker.write_text("crashed")
                os.kill(os.getpid(), signal.SIGKILL)
            session.info["crash_after_commit"] = marker
    session.execute(sa.insert(EFFECTS).values(event_id=event.id, subject=event.subject, n=n))


def _crash_after_commit(session: Session) -> None:
    marker = session.info.pop("crash_after_commit", None)
    if marker is not None:
        marker.write_text("crashed")
        os.kill(os.getpid(), signal.SIGKILL)


def handlers(engine: Engine) -> list[events.Handler]:
    """The consumer's handlers (the ``--handlers`` factory)."""
    sa.event.listen(Session, "after_commit", _crash_after_commit)
    return [events.Handler(HANDLER_ID, (COUNTED.type,), record)]


def effects(engine: Engine) -> list[tuple[str, int]]:
    """``(subject, n)`` of every applied event, in the order applied."""
    with engine.connect() as conn:
        rows = [(row.subject, row.n) for row in conn.execute(sa.select(EFFECTS).order_by(EFFECTS.c.id))]
        conn.rollback()
    return rows


def stream_messages(url: str, stream: str = "GOVPARTS") -> list[Any]:
    """Every message in ``stream``, in stream order."""

    async def read() -> list[Any]:
        import nats

        nc = await nats.connect(url)
        try:
            js = nc.jetstream()
            info = await js.stream_info(stream)
            found = []
            for seq in range(int(info.state.first_seq or 1), int(info.state.last_seq or 0) + 1):
                found.append(await js.get_msg(stream, seq))
            return found
        finally:
            await nc.close()

    return asyncio.run(read())


def stream_last_seq(url: str, stream: str = "GOVPARTS") -> int:
    """The stream's last sequence number (0 when it does not exist yet)."""

    async def read() -> int:
        import nats
        from nats.js.errors import NotFoundError

        nc = await nats.connect(url)
        try:
            try:
                return int((await nc.jetstream().stream_info(stream)).state.last_seq or 0)
            except NotFoundError:
                return 0
        finally:
            await nc.close()

    return asyncio.run(read())


def consumer_engine(path: Path) -> Engine:
    """A consumer's own SQLite database with core's tables and the effect table."""
    from govparts.core.db import create_engine, metadata

    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    SQLModel.metadata.create_all(engine, tables=[EFFECTS])
    return engine
