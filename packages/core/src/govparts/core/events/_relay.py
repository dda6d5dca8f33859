"""The relay: publishes committed outbox events to NATS JetStream, in order per subject, none lost.

The relay reads the outbox (``core_outbox_event``) in position order and publishes each event to the
deployment's stream (see :mod:`._broker` for subjects, the stream and the message form) with the
CloudEvents ``id`` as ``Nats-Msg-Id``, so the broker drops an event it already holds.

Progress lives in the source database (``core_relay_cursor``, ``core_relay_ahead``) and is committed
only after the broker has acknowledged every event it covers; a relay killed at any moment resumes
from the last commit and publishes nothing twice into the stream and skips nothing:

* **Committed out of order.** On PostgreSQL positions come from a sequence when a row is inserted,
  but transactions commit in any order: position 7 may become visible after position 8. So the
  cursor is not "the highest position published" but the highest position below which every
  position is decided: published, or known never to exist. A hole below a visible position is
  remembered with the ``xmax`` of a snapshot taken after it was seen; the transaction that holds
  it already has a transaction id (it wrote the subject's counter row before it drew a position),
  so once a later snapshot's ``xmin`` reaches that ``xmax``, that transaction has ended, and a
  read after that settles the hole for good: the event is there (and is published) or it never
  will be. Events published past an open hole are listed in ``core_relay_ahead`` until the cursor
  passes them. SQLite has one writer at a time, so there a hole below a visible position is a
  rolled-back transaction and is settled at once. Events of one subject are numbered and made
  visible in commit order (the subject's counter row is locked until commit), so reading in
  position order never shows an event of a subject before the earlier ones of that subject.
* **Pipelined, yet in order.** A batch of up to ``batch_size`` events is sent without waiting for
  each acknowledgement (``publish_async``). Each message carries ``Nats-Expected-Last-Sequence``,
  the stream sequence it must follow, which the relay can predict because it is the stream's only
  publisher (dead letters go to another stream). If one message is lost (the broker restarts
  mid-batch), every later message of the batch is refused as out of sequence instead of being
  stored ahead of it; the refused events are sent again, in order, on the next round. A message
  the broker already held (its ack lost) comes back as a duplicate and counts as published.
* **Crash between the broker's ack and the commit.** The cursor row keeps the stream's last
  sequence as of the commit; on start, the relay reads the messages stored after it, and marks
  their events as published before publishing anything (the duplicate window need not cover the
  outage).
* **Broker restart.** The connection reconnects by itself; unacknowledged events of the round are
  retried after ``ack_timeout``; the stream (file storage) keeps what it acknowledged.

Run one relay per stream; a consumer never applies an event twice because it records the event ids
it processed in its own database (:class:`~govparts.core.events.BrokerConsumer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import InvalidInput
from ..i18n import N_
from ._broker import (
    CONTENT_TYPE,
    StreamSettings,
    connect,
    ensure_streams,
    envelope_json,
    nats_subject,
    stop_on_signals,
)
from ._outbox import _dialect_insert
from ._relay_tables import AHEAD, CURSOR
from ._tables import OUTBOX

if TYPE_CHECKING:
    from nats.js import JetStreamContext
    from sqlalchemy.engine import Engine

__all__ = ["Relay", "RelayReport", "run_relay"]

log = logging.getLogger("govparts.events.relay")

_COLUMNS = (
    OUTBOX.c.position,
    OUTBOX.c.id,
    OUTBOX.c.type,
    OUTBOX.c.source,
    OUTBOX.c.subject,
    OUTBOX.c.time,
    OUTBOX.c.datacontenttype,
    OUTBOX.c.dataschema,
    OUTBOX.c.data,
    OUTBOX.c.extensions,
)
_RANGES_PER_READ = 200
_MAX_BATCH = 4000
"""nats-py keeps at most this many asynchronous publishes in flight (``publish_async_max_pending``)."""
_PG_XMIN = sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
_PG_XMAX = sa.text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")


@dataclass
class RelayReport:
    """What a relay run did."""

    published: int = 0
    """Events the broker stored in this run."""
    duplicates: int = 0
    """Events the broker already held (acknowledged as duplicates)."""
    rounds: int = 0
    """Rounds that published something."""
    retried: int = 0
    """Events sent again after a lost or refused message."""


@dataclass
class _Hole:
    """Positions ``low``..``high`` not seen yet; settled once the snapshot horizon passes ``xmax``."""

    low: int
    high: int
    xmax: int | None


class Relay:
    """Publishes the committed outbox of ``engine``'s database to the JetStream stream at ``servers``."""

    def __init__(
        self,
        engine: Engine,
        servers: str | list[str],
        *,
        stream: StreamSettings | None = None,
        batch_size: int = 2000,
        poll_interval: float = 0.2,
        ack_timeout: float = 10.0,
    ) -> None:
        if not 1 <= batch_size <= _MAX_BATCH:
            low = batch_size < 1
            raise InvalidInput(
                N_("{field}: must be at least {limit}, got {got}")
                if low
                else N_("{field}: must be at most {limit}, got {got}"),
                field="batch_size",
                limit=1 if low else _MAX_BATCH,
                got=batch_size,
            )
        self.engine = engine
        self.servers = servers
        self.stream = stream or StreamSettings()
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.ack_timeout = ack_timeout
        self._postgresql = engine.dialect.name == "postgresql"
        self._cursor = 0
        self._stream_seq = 0
        self._ahead: set[int] = set()
        self._high = 0
        self._holes: list[_Hole] = []
        self._retry: dict[int, sa.RowMapping] = {}
        self._last_seq: int | None = None
        self._prefetched: tuple[list[sa.RowMapping], int | None] | None = None

    # -- the run ----------------------------------------------------------------------------------

    async def run(self, *, once: bool = False, stop: asyncio.Event | None = None) -> RelayReport:
        """Publish until ``stop`` is set (or, with ``once``, until every visible event is published)."""
        import nats.errors
        import nats.js.errors

        report = RelayReport()
        nc = await connect(self.servers, name=f"govparts-relay-{self.stream.name}")
        try:
            js = nc.jetstream(publish_async_max_pending=max(self.batch_size, 1))
            await self._start(js)
            pause = self.poll_interval
            while stop is None or not stop.is_set():
                try:
                    more = await self._round(js, report)
                    pause = self.poll_interval
                except (nats.errors.Error, nats.js.errors.Error, TimeoutError, OSError) as exc:
                    log.warning("relay to %s: %s; retrying", self.stream.name, exc)
                    self._last_seq = None
                    pause = min(pause * 2, 5.0)
                    await _sleep(pause, stop)
                    continue
                if once and not more:
                    break
                if not more:
                    await _sleep(pause, stop)
        finally:
            await nc.close()
        return report

    async def _start(self, js: JetStreamContext) -> None:
        last = await ensure_streams(js, self.stream)
        self._load()
        if last > self._stream_seq:
            ids = await _ids_stored(js, self.stream.name, self._stream_seq + 1, last)
            found = self._positions_of(ids)
            self._ahead |= found
            log.info(
                "relay to %s: %d event(s) found stored after the last commit", self.stream.name, len(found)
            )
        elif last < self._stream_seq:
            log.warning(
                "relay to %s: the stream ends at %d, before %d recorded; it was reset",
                self.stream.name,
                last,
                self._stream_seq,
            )
        self._last_seq = last
        self._stream_seq = last
        self._high = max(self._ahead | {self._cursor})
        if self._high > self._cursor:
            self._holes = [_Hole(self._cursor + 1, self._high, self._xmax())]
        self._save(set())

    async def _round(self, js: JetStreamContext, report: RelayReport) -> bool:
        """One read, publish and commit; True when more may be waiting at once."""
        horizon, from_holes = self._read_holes()
        new, xmax = self._prefetched or self._read_new()
        self._prefetched = None
        if horizon is None:
            settled = list(self._holes)
        else:
            settled = [hole for hole in self._holes if hole.xmax is not None and hole.xmax <= horizon]
        by_position = dict(self._retry)
        for row in (*from_holes, *new):
            position = int(row["position"])
            if position not in self._ahead:
                by_position.setdefault(position, row)
        self._note_holes(new, xmax)
        if not self._postgresql:
            self._holes = []  # SQLite: a hole below a visible position is a rolled-back transaction
        if new:
            self._high = max(self._high, int(new[-1]["position"]))
        rows = [by_position[p] for p in sorted(by_position)]
        stored: set[int] = set()
        if rows:
            report.retried += len(self._retry)
            # While the broker stores this batch, the next one is read (one read ahead at most).
            full = len(new) >= self.batch_size
            try:
                acked, failed = await self._publish(js, rows, self._prefetch if full else None)
            except Exception as exc:  # the broker is away: every row of the round is sent again
                log.warning("relay to %s: %s; sending the round again", self.stream.name, exc)
                acked, failed, self._last_seq = [], list(rows), None
            for position, duplicate in acked:
                stored.add(position)
                if duplicate:
                    report.duplicates += 1
                else:
                    report.published += 1
            self._retry = {int(row["position"]): row for row in failed}
            report.rounds += 1
        # A hole is settled by a read made after its horizon passed: this round's read.
        gone = {id(hole) for hole in settled}
        self._holes = [hole for hole in self._holes if id(hole) not in gone]
        self._ahead |= stored
        self._save(stored)
        return len(new) >= self.batch_size or bool(self._retry) or self._prefetched is not None

    def _prefetch(self) -> None:
        self._prefetched = self._read_new()

    # -- publishing -------------------------------------------------------------------------------

    async def _publish(
        self, js: JetStreamContext, rows: Sequence[sa.RowMapping], meanwhile: Callable[[], None] | None
    ) -> tuple[list[tuple[int, bool]], list[sa.RowMapping]]:
        """Send ``rows`` pipelined, call ``meanwhile``, and collect the acknowledgements: the
        acknowledged rows ``(position, duplicate)`` and the rest."""
        if self._last_seq is None:
            self._last_seq = int((await js.stream_info(self.stream.name)).state.last_seq or 0)
        expected = self._last_seq
        futures: list[asyncio.Future[Any]] = []
        try:
            for offset, row in enumerate(rows):
                headers = {
                    "Nats-Msg-Id": row["id"],
                    "Nats-Expected-Last-Sequence": str(expected + offset),
                    "Content-Type": CONTENT_TYPE,
                }
                subject = nats_subject(row["type"], row["data"], row["extensions"])
                futures.append(await js.publish_async(subject, envelope_json(row), headers=headers))
        except Exception as exc:  # the connection refused more: what was sent still counts
            log.warning("relay to %s: sending stopped after %d: %s", self.stream.name, len(futures), exc)
        if meanwhile is not None:
            meanwhile()
        if futures:
            _, late = await asyncio.wait(futures, timeout=self.ack_timeout)
            for future in late:
                future.cancel()
        acked: list[tuple[int, bool]] = []
        failed: list[sa.RowMapping] = []
        last = self._last_seq
        for index, row in enumerate(rows):
            sent = futures[index] if index < len(futures) else None
            if sent is None or sent.cancelled() or sent.exception() is not None:
                failed.append(row)
                continue
            ack = sent.result()
            acked.append((int(row["position"]), bool(ack.duplicate)))
            if not ack.duplicate:
                last = max(last, int(ack.seq))
        self._stream_seq = max(self._stream_seq, last)
        self._last_seq = None if failed else last
        if failed:
            log.info("relay to %s: %d event(s) to send again", self.stream.name, len(failed))
        return acked, failed

    # -- the database -----------------------------------------------------------------------------

    def _xmax(self) -> int | None:
        if not self._postgresql:
            return None
        with self.engine.connect() as conn:
            value = conn.execute(_PG_XMAX).scalar_one()
            conn.rollback()
        return int(value)

    def _read_holes(self) -> tuple[int | None, list[sa.RowMapping]]:
        """The horizon (PostgreSQL: the oldest running transaction), then the events in open holes."""
        from_holes: list[sa.RowMapping] = []
        with self.engine.connect() as conn:
            horizon = int(conn.execute(_PG_XMIN).scalar_one()) if self._postgresql else None
            for start in range(0, len(self._holes), _RANGES_PER_READ):
                chunk = self._holes[start : start + _RANGES_PER_READ]
                ranges = [OUTBOX.c.position.between(hole.low, hole.high) for hole in chunk]
                query = sa.select(*_COLUMNS).where(sa.or_(*ranges)).order_by(OUTBOX.c.position)
                from_holes.extend(conn.execute(query).mappings())
            conn.rollback()
        return horizon, from_holes

    def _read_new(self) -> tuple[list[sa.RowMapping], int | None]:
        """The events past the highest position seen, and (PostgreSQL) the ``xmax`` after the read."""
        with self.engine.connect() as conn:
            new: list[sa.RowMapping] = list(
                conn.execute(
                    sa.select(*_COLUMNS)
                    .where(OUTBOX.c.position > self._high)
                    .order_by(OUTBOX.c.position)
                    .limit(self.batch_size)
                ).mappings()
            )
            # Taken after the read: every transaction holding a hole below a row read has its id.
            xmax = int(conn.execute(_PG_XMAX).scalar_one()) if self._postgresql and new else None
            conn.rollback()
        return new, xmax

    def _note_holes(self, new: Sequence[sa.RowMapping], xmax: int | None) -> None:
        previous = self._high
        for row in new:
            position = int(row["position"])
            if position > previous + 1:
                self._holes.append(_Hole(previous + 1, position - 1, xmax))
            previous = position

    def _load(self) -> None:
        name = self.stream.name
        with self.engine.begin() as conn:
            conn.execute(
                _dialect_insert(conn)(CURSOR)
                .values(stream=name, position=0, stream_seq=0, updated_at=datetime.now(UTC))
                .on_conflict_do_nothing(index_elements=[CURSOR.c.stream])
            )
            cursor = conn.execute(sa.select(CURSOR).where(CURSOR.c.stream == name)).mappings().one()
            self._cursor = int(cursor["position"])
            self._stream_seq = int(cursor["stream_seq"])
            self._ahead = set(
                conn.execute(sa.select(AHEAD.c.position).where(AHEAD.c.stream == name)).scalars()
            )

    def _positions_of(self, ids: list[str]) -> set[int]:
        found: set[int] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                found.update(
                    conn.execute(
                        sa.select(OUTBOX.c.position).where(
                            OUTBOX.c.id.in_(chunk), OUTBOX.c.position > self._cursor
                        )
                    ).scalars()
                )
            conn.rollback()
        return found

    def _save(self, stored: set[int]) -> None:
        """Commit the cursor (advanced as far as every position below it is decided) and the events
        published past it."""
        undecided = [hole.low for hole in self._holes] + list(self._retry)
        cursor = min(undecided) - 1 if undecided else self._high
        cursor = max(cursor, self._cursor)
        name = self.stream.name
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(CURSOR)
                .where(CURSOR.c.stream == name)
                .values(position=cursor, stream_seq=self._stream_seq, updated_at=datetime.now(UTC))
            )
            if cursor > self._cursor and self._ahead:
                conn.execute(sa.delete(AHEAD).where(AHEAD.c.stream == name, AHEAD.c.position <= cursor))
            past = sorted(p for p in stored if p > cursor)
            if past:
                conn.execute(
                    _dialect_insert(conn)(AHEAD).on_conflict_do_nothing(),
                    [{"stream": name, "position": p} for p in past],
                )
        self._cursor = cursor
        self._ahead = {p for p in self._ahead if p > cursor}


async def _ids_stored(js: JetStreamContext, stream: str, first: int, last: int) -> list[str]:
    """The ``Nats-Msg-Id`` of the messages ``first``..``last`` of ``stream`` (those still there)."""
    from nats.js.errors import NotFoundError

    async def one(seq: int) -> str | None:
        try:
            message = await js.get_msg(stream, seq)
        except NotFoundError:
            return None
        return (message.headers or {}).get("Nats-Msg-Id")

    ids: list[str] = []
    for start in range(first, last + 1, 500):
        found = await asyncio.gather(*(one(seq) for seq in range(start, min(start + 500, last + 1))))
        ids += [item for item in found if item]
    return ids


async def _sleep(seconds: float, stop: asyncio.Event | None) -> None:
    if stop is None:
        await asyncio.sleep(seconds)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def run_relay(
    engine: Engine,
    servers: str | list[str],
    *,
    stream: StreamSettings | None = None,
    once: bool = False,
    batch_size: int = 2000,
) -> RelayReport:
    """Run a :class:`Relay` in a fresh event loop until stopped (Ctrl-C, SIGTERM) or, with ``once``,
    until every visible event is published."""
    relay = Relay(engine, servers, stream=stream, batch_size=batch_size)

    async def main() -> RelayReport:
        stop = asyncio.Event()
        stop_on_signals(stop)
        return await relay.run(once=once, stop=stop)

    return asyncio.run(main())
