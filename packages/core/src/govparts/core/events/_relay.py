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
  each acknowledgement (each message names a reply subject of the relay's own inbox, where the
  broker's answer settles it: stored, duplicate, or refused), and the next batch is read and sent
  while the broker acknowledges the previous one (two batches in flight). Each message carries
  ``Nats-Expected-Last-Sequence``, the stream sequence it must follow, which the relay can predict
  because it is the stream's only publisher (dead letters go to another stream; a second relay on
  the same database and stream is refused, see below). If one message is lost (the broker restarts
  mid-batch), every later message, of its batch and of the batch behind it, is refused as out of
  sequence instead of being stored ahead of it; the refused events are sent again, in order, once
  both batches are settled. A message the broker already held (its ack lost) comes back as a
  duplicate and counts as published. The cursor advances only over acknowledged positions: never
  past the first position of a batch still in flight.
* **Stored JSON, not re-encoded.** The message body is put together from the stored JSON text of
  ``data`` (spliced in as it is, never decoded and encoded again), the envelope's attributes and
  the time, formatted by the database; the organisation of the subject is read by the database's
  JSON functions with the rules of :func:`~govparts.core.events.event_org`.
* **Crash between the broker's ack and the commit.** The cursor row keeps the stream's last
  sequence as of the commit; on start, the relay reads the messages stored after it, and marks
  their events as published before publishing anything (the duplicate window need not cover the
  outage).
* **Broker restart.** The connection reconnects by itself; a message lost with the old connection
  is never answered and counts as failed after ``ack_timeout``, while every message refused behind
  it is answered at once (the relay reads the broker's answers itself: nats-py's ``publish_async``
  leaves a refused message unanswered until its timeout); all are sent again, in order, once both
  batches are settled. The stream (file storage) keeps what it acknowledged.
* **Stopping.** SIGTERM or Ctrl-C stops the relay within about a second, even while it waits for
  acknowledgements: what was acknowledged is committed, the rest is sent again by the next run.

One relay per stream: while it runs, a relay holds a lock of its database and stream (PostgreSQL: a
session advisory lock; SQLite: an exclusive ``flock`` on ``<database file>-relay-<stream>.lock``
beside the database), which the operating system or the server releases when the process ends,
however it ends. A second relay on the same database and stream stops at once with a
:class:`~govparts.core.errors.ConfigurationError` instead of publishing alongside the first. A
consumer never applies an event twice because it records the event ids it processed in its own
database (:class:`~govparts.core.events.BrokerConsumer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa

from ..errors import ConfigurationError, InvalidInput
from ..i18n import N_
from ._broker import (
    _TOKEN,
    CONTENT_TYPE,
    NO_ORG,
    ORG_PATHS,
    SUBJECT_PREFIX,
    StreamSettings,
    connect,
    ensure_streams,
    stop_on_signals,
)
from ._outbox import _dialect_insert
from ._relay_tables import AHEAD, CURSOR
from ._tables import OUTBOX

if TYPE_CHECKING:
    from nats.js import JetStreamContext
    from sqlalchemy.engine import Connection, Engine

__all__ = ["Relay", "RelayReport", "run_relay"]

log = logging.getLogger("govparts.events.relay")

_RANGES_PER_READ = 200
_MAX_BATCH = 4000
"""The largest batch; two are in flight at once."""
_STOP_GRACE = 1.0
"""Seconds a stopping relay still waits for acknowledgements of what it sent."""
_IN_FLIGHT = 2
"""Batches sent and not yet settled: the one being acknowledged and the one behind it."""
_YIELD_EVERY = 250
"""Messages queued between two turns of the event loop, so that the connection writes as it goes."""
_PG_XMIN = sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
_PG_XMAX = sa.text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
_SUBJECTS_CACHED = 10_000


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


class _Message(NamedTuple):
    """An outbox event ready to send: its position, CloudEvents id, broker subject and body."""

    position: int
    id: str
    subject: str
    body: bytes


@dataclass
class _Flight:
    """A batch sent to the broker, in position order, with the acknowledgement of each message sent."""

    messages: list[_Message]
    futures: list[asyncio.Future[_Ack]] = field(default_factory=list)
    deadline: float = 0.0
    """The event loop's time after which an unanswered message of the batch counts as lost."""

    @property
    def first(self) -> int:
        return self.messages[0].position


class _Ack(NamedTuple):
    """The broker's acknowledgement of a stored message."""

    seq: int
    duplicate: bool


class _Refused(Exception):
    """The broker answered a message with an error (e.g. a wrong expected last sequence)."""


class _Acks:
    """Acknowledgements of messages published with a reply subject of the relay's own inbox.

    nats-py's ``publish_async`` raises inside its reply callback when the broker refuses a message
    (``APIError.from_error`` raises instead of returning), so a refused message would stay
    unanswered until its timeout; reading the answers here settles each one as it arrives.
    """

    def __init__(self) -> None:
        self._nc: Any = None
        self._prefix = ""
        self._pending: dict[str, asyncio.Future[_Ack]] = {}
        self._next = 0

    async def start(self, nc: Any) -> None:
        self._nc = nc
        self._prefix = str(nc.new_inbox())
        await nc.subscribe(self._prefix + ".*", cb=self._answer)

    async def lost(self) -> None:
        """The connection is gone: a message sent on it and not answered never will be."""
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(_Refused("the connection to the broker was lost"))

    async def _answer(self, msg: Any) -> None:
        future = self._pending.pop(msg.subject[len(self._prefix) + 1 :], None)
        if future is None or future.done():
            return
        status = (msg.headers or {}).get("Status")
        if status is not None and status != "200" and not msg.data:
            future.set_exception(_Refused(f"status {status}"))  # 503: no stream for the subject
            return
        try:
            answer = json.loads(msg.data)
            if "error" in answer:
                future.set_exception(_Refused(str(answer["error"])))
            else:
                future.set_result(_Ack(int(answer["seq"]), bool(answer.get("duplicate", False))))
        except (ValueError, KeyError, TypeError) as exc:
            future.set_exception(_Refused(f"unreadable answer: {exc}"))

    async def publish(self, subject: str, body: bytes, headers: dict[str, str]) -> asyncio.Future[_Ack]:
        """Send one message; the future is settled by the broker's answer."""
        self._next += 1
        token = str(self._next)
        future: asyncio.Future[_Ack] = asyncio.get_running_loop().create_future()
        self._pending[token] = future
        try:
            await self._nc.publish(subject, body, reply=f"{self._prefix}.{token}", headers=headers)
        except BaseException:
            del self._pending[token]
            raise
        return future

    def forget(self) -> None:
        """Drop the futures of messages given up on (their late answers are ignored)."""
        self._pending = {token: f for token, f in self._pending.items() if not f.done()}


# -- reading the outbox as messages ---------------------------------------------------------------


def _org_column(postgresql: bool) -> sa.ColumnElement[Any]:
    """The organisation of each event, computed by the database with the rules of ``event_org``.

    The first of the ``org`` extension and the payload's :data:`ORG_PATHS` that is present and not
    JSON ``null`` decides: its text when it is a string, else NULL (the caller checks the token).
    """
    candidates = [(OUTBOX.c.extensions, ("org",)), *((OUTBOX.c.data, path) for path in ORG_PATHS)]
    whens: list[tuple[Any, Any]] = []
    for column, path in candidates:
        if postgresql:
            kind: Any = sa.func.json_typeof(sa.func.json_extract_path(column, *path))
            value: Any = sa.func.json_extract_path_text(column, *path)
            string = "string"
        else:
            json_path = "$." + ".".join(path)
            kind = sa.func.json_type(column, json_path)
            value = sa.func.json_extract(column, json_path)
            string = "text"
        whens.append((kind != "null", sa.case((kind == string, sa.cast(value, sa.String)))))
    return sa.case(*whens).label("org")


def _time_column(postgresql: bool) -> sa.ColumnElement[Any]:
    """The event's time as RFC 3339 text in UTC (``2026-12-01T08:30:00.000000Z``), formatted by the
    database (SQLite keeps the naive UTC text ``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    if postgresql:
        utc = sa.func.timezone("UTC", OUTBOX.c.time)
        return sa.func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"').label("time_text")
    return (sa.func.replace(sa.cast(OUTBOX.c.time, sa.String), " ", "T") + "Z").label("time_text")


def _message_columns(postgresql: bool) -> tuple[Any, ...]:
    return (
        OUTBOX.c.position,
        OUTBOX.c.id,
        OUTBOX.c.type,
        OUTBOX.c.source,
        OUTBOX.c.subject,
        _time_column(postgresql),
        OUTBOX.c.datacontenttype,
        OUTBOX.c.dataschema,
        sa.cast(OUTBOX.c.data, sa.Text).label("data_text"),
        sa.cast(OUTBOX.c.extensions, sa.Text).label("extensions_text"),
        _org_column(postgresql),
    )


_COLUMNS = {False: _message_columns(False), True: _message_columns(True)}
_ATTRIBUTES = frozenset({"specversion", "id", "source", "type", "time", "subject"})


def _body(row: Sequence[Any]) -> bytes:
    """The structured CloudEvents JSON of an outbox row, its stored ``data`` text spliced in as it
    is (attributes that are None left out; an extension never replaces an attribute)."""
    _, event_id, event_type, source, subject, time, datacontenttype, dataschema, data, extensions, _ = row
    parts = [
        '{"specversion":"1.0","id":',
        encode_basestring(event_id),
        ',"source":',
        encode_basestring(source),
        ',"type":',
        encode_basestring(event_type),
        ',"time":"',
        time,
        '","subject":',
        encode_basestring(subject),
    ]
    if datacontenttype is not None:
        parts += (',"datacontenttype":', encode_basestring(datacontenttype))
    if dataschema is not None:
        parts += (',"dataschema":', encode_basestring(dataschema))
    if data is not None:
        parts += (',"data":', data)
    if extensions is not None:
        present = _ATTRIBUTES | {
            name
            for name, value in (
                ("datacontenttype", datacontenttype),
                ("dataschema", dataschema),
                ("data", data),
            )
            if value is not None
        }
        decoded = json.loads(extensions)
        if isinstance(decoded, Mapping):
            for name, value in decoded.items():
                if name not in present:
                    parts += (",", encode_basestring(name), ":")
                    parts.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    parts.append("}")
    return "".join(parts).encode()


class _Subjects:
    """Broker subjects by event type and organisation, each built once."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str | None], str] = {}

    def __call__(self, event_type: str, org: str | None) -> str:
        found = self._known.get((event_type, org))
        if found is None:
            token = org if org is not None and _TOKEN.match(org) else NO_ORG
            found = f"{SUBJECT_PREFIX}.{token}.{event_type}"
            if len(self._known) >= _SUBJECTS_CACHED:
                self._known.clear()
            self._known[(event_type, org)] = found
        return found


# -- one relay per stream -------------------------------------------------------------------------


def _lock_key(stream: str) -> int:
    """The PostgreSQL advisory lock key of the relay to ``stream`` (a signed 64-bit number)."""
    digest = hashlib.blake2b(f"govparts relay {stream}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class _StreamLock:
    """The one-relay-per-stream lock of a database, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, engine: Engine, stream: str) -> None:
        self.engine = engine
        self.stream = stream
        self._conn: Connection | None = None
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise ConfigurationError when another relay holds it."""
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            try:
                got = conn.execute(
                    sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": _lock_key(self.stream)}
                ).scalar_one()
                conn.commit()  # the lock is the session's: no transaction stays open
            except BaseException:
                conn.close()
                raise
            if not got:
                conn.close()
                self._refuse()
            self._conn = conn
            return
        database = self.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return  # a private in-memory database: no other process can open it
        path = Path(f"{database}-relay-{self.stream}.lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            self._refuse()
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Give the lock back (ending the process does too)."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _lock_key(self.stream)})
                conn.commit()
            except sa.exc.DBAPIError:
                conn.invalidate()  # the session, and its lock, are gone with the connection
            finally:
                conn.close()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def _refuse(self) -> None:
        raise ConfigurationError(
            N_(
                "{field}: another relay is already publishing this database to stream {stream}; "
                "run one relay per stream"
            ),
            field="stream",
            stream=self.stream,
        )


# -- the relay ------------------------------------------------------------------------------------


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
        self._columns = _COLUMNS[self._postgresql]
        self._subjects = _Subjects()
        self._cursor = 0
        self._stream_seq = 0
        self._ahead: set[int] = set()
        self._high = 0
        self._holes: list[_Hole] = []
        self._retry: list[_Message] = []
        self._flights: deque[_Flight] = deque()
        self._sending: set[int] = set()
        self._expected: int | None = None
        """The stream's last sequence once every message sent so far is stored (None: ask)."""
        self._acks = _Acks()
        self._stop: asyncio.Event | None = None

    # -- the run ----------------------------------------------------------------------------------

    async def run(self, *, once: bool = False, stop: asyncio.Event | None = None) -> RelayReport:
        """Publish until ``stop`` is set (or, with ``once``, until every visible event is published).

        Raises :class:`~govparts.core.errors.ConfigurationError` at once when another relay is
        publishing the same database to the same stream.
        """
        import nats.errors
        import nats.js.errors

        report = RelayReport()
        lock = _StreamLock(self.engine, self.stream.name)
        lock.acquire()
        try:
            self._acks = _Acks()
            nc = await connect(
                self.servers, name=f"govparts-relay-{self.stream.name}", disconnected=self._acks.lost
            )
            try:
                js = nc.jetstream()
                await self._acks.start(nc)
                self._stop = stop
                await self._start(js)
                pause = self.poll_interval
                while stop is None or not stop.is_set():
                    try:
                        more = await self._round(js, report)
                        pause = self.poll_interval
                    except (nats.errors.Error, nats.js.errors.Error, _Refused, TimeoutError, OSError) as exc:
                        log.warning("relay to %s: %s; retrying", self.stream.name, exc)
                        self._expected = None
                        pause = min(pause * 2, 5.0)
                        await _sleep(pause, stop)
                        continue
                    if once and not more:
                        break
                    if not more:
                        await _sleep(pause, stop)
                await self._settle_all(report)
            finally:
                await nc.close()
        finally:
            lock.release()
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
        self._expected = last
        self._stream_seq = last
        self._high = max(self._ahead | {self._cursor})
        if self._high > self._cursor:
            self._holes = [_Hole(self._cursor + 1, self._high, self._xmax())]
        self._save(set())

    async def _round(self, js: JetStreamContext, report: RelayReport) -> bool:
        """Read and send one batch, settle the batches it no longer needs in flight and commit the
        progress; True when more may be waiting at once."""
        messages, full = self._read(report)
        if messages:
            self._sending.update(message.position for message in messages)
            self._flights.append(await self._send(js, messages))
            report.rounds += 1
        stored: set[int] = set()
        while self._flights and (len(self._flights) >= _IN_FLIGHT or not messages):
            stored |= await self._settle(self._flights.popleft(), report)
        self._ahead |= stored
        self._save(stored)
        return full or bool(self._retry) or bool(self._flights)

    def _read(self, report: RelayReport) -> tuple[list[_Message], bool]:
        """The events to send next, in position order, and whether more may be waiting at once:
        those to send again (up to a batch of them, before anything else), else those found in
        holes and new ones."""
        if self._retry:
            batch, self._retry = self._retry[: self.batch_size], self._retry[self.batch_size :]
            report.retried += len(batch)
            return batch, True
        horizon, from_holes = self._read_holes()
        new, xmax = self._read_new()
        if horizon is None:
            settled = list(self._holes)
        else:
            settled = [hole for hole in self._holes if hole.xmax is not None and hole.xmax <= horizon]
        by_position: dict[int, _Message] = {}
        for row in (*from_holes, *new):
            position = int(row[0])
            if position not in self._ahead and position not in self._sending:
                by_position[position] = _Message(
                    position, row[1], self._subjects(row[2], row[10]), _body(row)
                )
        self._note_holes(new, xmax)
        if new:
            self._high = max(self._high, int(new[-1][0]))
        # A hole is settled by a read made after its horizon passed: this read. Its events, if
        # any, are in the batch, which keeps the cursor below them until they are acknowledged.
        gone = {id(hole) for hole in settled}
        self._holes = [hole for hole in self._holes if id(hole) not in gone]
        if not self._postgresql:
            self._holes = []  # SQLite: a hole below a visible position is a rolled-back transaction
        return [by_position[p] for p in sorted(by_position)], len(new) >= self.batch_size

    # -- publishing -------------------------------------------------------------------------------

    async def _send(self, js: JetStreamContext, messages: list[_Message]) -> _Flight:
        """Send ``messages`` without waiting for their acknowledgements, each expecting the one
        before it as the stream's last message."""
        flight = _Flight(messages, deadline=asyncio.get_running_loop().time() + self.ack_timeout)
        try:
            if self._expected is None:
                self._expected = int((await js.stream_info(self.stream.name)).state.last_seq or 0)
            expected = self._expected
            for offset, message in enumerate(messages):
                headers = {
                    "Nats-Msg-Id": message.id,
                    "Nats-Expected-Last-Sequence": str(expected + offset),
                    "Content-Type": CONTENT_TYPE,
                }
                flight.futures.append(await self._acks.publish(message.subject, message.body, headers))
                if offset % _YIELD_EVERY == _YIELD_EVERY - 1:
                    await asyncio.sleep(0)
        except Exception as exc:  # the connection refused more: what was sent still counts
            log.warning(
                "relay to %s: sending stopped after %d: %s", self.stream.name, len(flight.futures), exc
            )
        if len(flight.futures) == len(messages):
            self._expected = expected + len(messages)
        else:
            self._expected = None
        return flight

    async def _settle(self, flight: _Flight, report: RelayReport) -> set[int]:
        """Wait for the acknowledgements of ``flight`` (the oldest in flight) and count them; when a
        message failed, every batch behind it is settled too and what failed is kept to send again,
        in order. Returns the positions the broker stored (or already held)."""
        stored: set[int] = set()
        failed: list[_Message] = []
        flights = [flight]
        while flights:
            current = flights.pop(0)
            if current.futures:
                for future in await self._wait_acks(current.futures, current.deadline):
                    future.cancel()
                self._acks.forget()
            for index, message in enumerate(current.messages):
                self._sending.discard(message.position)
                sent = current.futures[index] if index < len(current.futures) else None
                if sent is None or sent.cancelled() or sent.exception() is not None:
                    failed.append(message)
                    continue
                ack = sent.result()
                stored.add(message.position)
                if ack.duplicate:
                    report.duplicates += 1
                else:
                    report.published += 1
                    self._stream_seq = max(self._stream_seq, int(ack.seq))
            if failed and self._flights:
                flights.append(self._flights.popleft())
        if failed:
            log.info("relay to %s: %d event(s) to send again", self.stream.name, len(failed))
            self._retry = sorted([*self._retry, *failed])
            self._expected = None
        return stored

    async def _wait_acks(
        self, futures: list[asyncio.Future[_Ack]], deadline: float
    ) -> set[asyncio.Future[_Ack]]:
        """Wait for the answers to ``futures`` until the loop's time ``deadline``, and for at most
        ``_STOP_GRACE`` more once the relay is told to stop; returns those still unanswered."""
        late = {future for future in futures if not future.done()}
        timeout = deadline - asyncio.get_running_loop().time()
        if not late or timeout <= 0:
            return late
        stop = self._stop
        if stop is None or stop.is_set():
            await asyncio.wait(late, timeout=timeout if stop is None else min(timeout, _STOP_GRACE))
            return {future for future in late if not future.done()}
        answered = asyncio.ensure_future(asyncio.wait(late, timeout=timeout))
        stopper = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({answered, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            answered.cancel()
            stopper.cancel()
        late = {future for future in late if not future.done()}
        if late and stop.is_set():
            await asyncio.wait(late, timeout=_STOP_GRACE)
            late = {future for future in late if not future.done()}
        return late

    async def _settle_all(self, report: RelayReport) -> None:
        stored: set[int] = set()
        while self._flights:
            stored |= await self._settle(self._flights.popleft(), report)
        self._ahead |= stored
        self._save(stored)

    # -- the database -----------------------------------------------------------------------------

    def _xmax(self) -> int | None:
        if not self._postgresql:
            return None
        with self.engine.connect() as conn:
            value = conn.execute(_PG_XMAX).scalar_one()
            conn.rollback()
        return int(value)

    def _read_holes(self) -> tuple[int | None, list[Sequence[Any]]]:
        """The horizon (PostgreSQL: the oldest running transaction), then the events in open holes."""
        from_holes: list[Sequence[Any]] = []
        if not self._postgresql and not self._holes:
            return None, from_holes
        with self.engine.connect() as conn:
            horizon = int(conn.execute(_PG_XMIN).scalar_one()) if self._postgresql else None
            for start in range(0, len(self._holes), _RANGES_PER_READ):
                chunk = self._holes[start : start + _RANGES_PER_READ]
                ranges = [OUTBOX.c.position.between(hole.low, hole.high) for hole in chunk]
                query = sa.select(*self._columns).where(sa.or_(*ranges)).order_by(OUTBOX.c.position)
                from_holes.extend(conn.execute(query))
            conn.rollback()
        return horizon, from_holes

    def _read_new(self) -> tuple[list[Sequence[Any]], int | None]:
        """The events past the highest position seen, and (PostgreSQL) the ``xmax`` after the read."""
        with self.engine.connect() as conn:
            new: list[Sequence[Any]] = list(
                conn.execute(
                    sa.select(*self._columns)
                    .where(OUTBOX.c.position > self._high)
                    .order_by(OUTBOX.c.position)
                    .limit(self.batch_size)
                )
            )
            # Taken after the read: every transaction holding a hole below a row read has its id.
            xmax = int(conn.execute(_PG_XMAX).scalar_one()) if self._postgresql and new else None
            conn.rollback()
        return new, xmax

    def _note_holes(self, new: Sequence[Sequence[Any]], xmax: int | None) -> None:
        previous = self._high
        for row in new:
            position = int(row[0])
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
        """Commit the cursor (advanced as far as every position below it is decided: published, or
        known never to exist) and the events published past it."""
        undecided = [hole.low for hole in self._holes] + [flight.first for flight in self._flights]
        if self._retry:
            undecided.append(self._retry[0].position)
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
