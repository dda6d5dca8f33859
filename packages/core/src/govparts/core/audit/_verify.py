"""Checking the chain: the first record that was edited, deleted, reordered or slipped in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ..errors import IntegrityViolation
from ..i18n import N_
from ._chain import ALGORITHMS, digest, hash_algorithm
from ._checkpoint import Checkpoint
from ._tables import GENESIS_HASH, HEAD, RECORD

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ProblemKind", "VerifyReport", "take_checkpoint", "verify", "verify_or_raise"]

ProblemKind = Literal[
    "edited",
    "rehashed",
    "missing",
    "reordered",
    "unlinked",
    "inserted",
    "unreadable",
    "head",
    "anchor",
    "checkpoint",
]
"""What is wrong with the first bad record:

``edited``     its content no longer matches its own hash;
``rehashed``   its content and hash were both replaced (the next record was chained to another hash);
``missing``    records with these sequence numbers are gone (deleted);
``reordered``  it sits before the record it was chained after;
``unlinked``   it is not chained to the record before it (replaced, or records renumbered);
``inserted``   it was not appended through the audit log (outside the sequence the head vouches for);
``unreadable`` a value cannot be read back as the log wrote it (not JSON, not a time, not a whole
               sequence number, an unknown hash algorithm): it was changed behind the log's back;
``head``       the chain head disagrees with the last record, is missing or cannot be read;
``anchor``     its hash differs from one published (anchored) earlier;
``checkpoint`` the chain no longer reproduces the head a checkpoint kept elsewhere vouches for
               (records rewritten with recomputed hashes, or removed from the end).
"""

_FIELD = "core_audit_record"


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :func:`verify`.

    ``ok`` when the whole chain holds; otherwise ``problem`` is an
    :class:`~govparts.core.errors.IntegrityViolation` about the first bad record, with details
    ``seq`` (that record's sequence number) and ``kind`` (a :data:`ProblemKind`). ``head_seq`` and
    ``head_hash`` are the chain head as read: publish them somewhere the database's owner cannot
    rewrite, and pass them back later as ``anchor`` to detect a chain rewritten from some point on.
    """

    checked: int
    head_seq: int
    head_hash: str
    problem: IntegrityViolation | None = None

    @property
    def ok(self) -> bool:
        """True when the chain holds."""
        return self.problem is None

    @property
    def seq(self) -> int | None:
        """Sequence number of the first bad record (``None`` when the chain holds)."""
        return None if self.problem is None else int(self.problem.details["seq"])

    @property
    def kind(self) -> ProblemKind | None:
        """What is wrong with it (``None`` when the chain holds)."""
        return None if self.problem is None else self.problem.details["kind"]

    def message(self, locale: str | None = None) -> str:
        """One line for people: the problem, or how many records were checked."""
        if self.problem is not None:
            return self.problem.message(locale)
        return IntegrityViolation(
            N_("{field}: the chain holds: {checked} records, head {seq} {hash}"),
            field=_FIELD,
            checked=self.checked,
            seq=self.head_seq,
            hash=self.head_hash,
        ).message(locale)


def _problem(kind: ProblemKind, seq: int, message_id: str, **details: Any) -> IntegrityViolation:
    return IntegrityViolation(message_id, field=_FIELD, kind=kind, seq=seq, **details)


def _where_is(conn: sa.Connection, hash_: Any) -> int | None:
    found = conn.execute(sa.select(RECORD.c.seq).where(RECORD.c.hash == hash_)).scalar()
    return found if isinstance(found, int) else None


# Every value is fetched as the driver gives it and decoded here, record by record, so that a value
# someone wrote behind the log's back (text where a number belongs, a time that is not one, JSON that
# does not parse) is reported against its record instead of failing the whole fetch.
_RAW_COLUMNS = [sa.type_coerce(column, sa.types.NullType()).label(column.name) for column in RECORD.c]
_DECODED = ("recorded_at", "before", "after", "details")


def _decoders(dialect: sa.Dialect) -> dict[str, Callable[[Any], Any] | None]:
    return {
        name: RECORD.c[name].type.dialect_impl(dialect).result_processor(dialect, None) for name in _DECODED
    }


def _unreadable(seq: int, column: str) -> IntegrityViolation:
    return _problem(
        "unreadable",
        seq,
        N_("{field}: audit record {seq} cannot be read back: its {column} is not what the log writes"),
        column=column,
    )


def _decode(
    raw: sa.RowMapping, decoders: dict[str, Callable[[Any], Any] | None]
) -> dict[str, Any] | IntegrityViolation:
    seq = raw["seq"]
    record = dict(raw)
    for name in _DECODED:
        decoder = decoders[name]
        try:
            record[name] = decoder(raw[name]) if decoder is not None and raw[name] is not None else raw[name]
        except (ValueError, TypeError, OverflowError, RecursionError):
            return _unreadable(seq, name)
    at = record["recorded_at"]
    if not isinstance(at, datetime) or at.tzinfo is None:
        return _unreadable(seq, "recorded_at")
    if record["alg"] not in ALGORITHMS:
        return _problem(
            "unreadable",
            seq,
            N_("{field}: audit record {seq} names an unknown hash algorithm {got} (known: {allowed})"),
            got=str(record["alg"])[:50],
            allowed=list(ALGORITHMS),
        )
    return record


def _stray_sequence(conn: sa.Connection, head_seq: int) -> IntegrityViolation | None:
    """A record whose sequence number is not a whole number (only SQLite can store one)."""
    if conn.dialect.name != "sqlite":
        return None
    row = conn.execute(
        sa.select(
            sa.type_coerce(RECORD.c.seq, sa.types.NullType()).label("seq"),
            sa.type_coerce(RECORD.c.prev_hash, sa.types.NullType()).label("prev_hash"),
        )
        .where(sa.func.typeof(RECORD.c.seq) != "integer")
        .limit(1)
    ).first()
    if row is None:
        return None
    before = 0 if row.prev_hash == GENESIS_HASH else _where_is(conn, row.prev_hash)
    return _problem(
        "unreadable",
        head_seq + 1 if before is None else before + 1,
        N_(
            "{field}: audit record {seq} cannot be read back: its sequence number {got} is not a whole number"
        ),
        got=str(row.seq)[:50],
    )


def _check_row(
    conn: sa.Connection, row: dict[str, Any], expected: int, previous: str
) -> IntegrityViolation | None:
    seq = int(row["seq"])
    if seq > expected:
        return _problem(
            "missing",
            expected,
            N_("{field}: audit records {seq} to {last} are missing (deleted)"),
            last=seq - 1,
        )
    if seq < expected:
        return _problem(
            "inserted",
            seq,
            N_("{field}: audit record {seq} is outside the chain (sequence numbers start at 1)"),
        )
    content_ok = digest(row) == row["hash"]
    if row["prev_hash"] != previous:
        after = _where_is(conn, row["prev_hash"])
        if after is not None and after > seq:
            return _problem(
                "reordered",
                seq,
                N_(
                    "{field}: audit record {seq} is out of order: "
                    "it was written after the record now at {after}"
                ),
                after=after,
            )
        if content_ok and seq > 1 and after is None:
            return _problem(
                "rehashed",
                seq - 1,
                N_(
                    "{field}: audit record {seq} was replaced: its hash is not the one record {next} "
                    "was chained to (edited and re-hashed)"
                ),
                next=seq,
            )
        return _problem(
            "unlinked",
            seq,
            N_("{field}: audit record {seq} is not chained to record {previous_seq} before it"),
            previous_seq=seq - 1,
        )
    if not content_ok:
        return _problem(
            "edited", seq, N_("{field}: audit record {seq} was edited: its content does not match its hash")
        )
    return None


@dataclass(frozen=True)
class _Kept:
    """A (seq, hash) kept outside the database: an anchor, or a checkpoint (with its alg and time)."""

    seq: int
    hash: str
    checkpoint: Checkpoint | None = None

    def differs(self, row: dict[str, Any]) -> IntegrityViolation | None:
        if row["seq"] != self.seq:
            return None
        if self.checkpoint is None:
            if row["hash"] == self.hash:
                return None
            return _problem(
                "anchor",
                self.seq,
                N_("{field}: audit record {seq} has hash {got}; the anchor kept for it says {expected}"),
                got=row["hash"],
                expected=self.hash,
            )
        if (row["hash"], row["alg"]) == (self.hash, self.checkpoint.alg):
            return None
        return _problem(
            "checkpoint",
            self.seq,
            N_(
                "{field}: audit record {seq} has hash {got}, but the checkpoint taken at {taken_at} "
                "says {expected}: the chain was rewritten"
            ),
            got=f"{row['alg']}:{row['hash']}",
            expected=f"{self.checkpoint.alg}:{self.hash}",
            taken_at=self.checkpoint.taken_at,
        )

    def beyond(self, head_seq: int) -> IntegrityViolation | None:
        if self.seq <= head_seq:
            return None
        if self.checkpoint is None:
            return _problem(
                "anchor",
                self.seq,
                N_("{field}: audit record {seq} is anchored but the chain ends at {head}"),
                head=head_seq,
            )
        return _problem(
            "checkpoint",
            self.seq,
            N_(
                "{field}: the checkpoint taken at {taken_at} vouches for records up to {seq}, "
                "but the chain ends at {head}: records were removed"
            ),
            head=head_seq,
            taken_at=self.checkpoint.taken_at,
        )


def _kept(anchor: tuple[int, str] | None, checkpoint: Checkpoint | None) -> list[_Kept]:
    kept = [] if anchor is None else [_Kept(anchor[0], anchor[1])]
    if checkpoint is not None and checkpoint.seq > 0:
        kept.append(_Kept(checkpoint.seq, checkpoint.hash, checkpoint))
    return kept


def _read_head(engine: Engine) -> tuple[Any, Any, IntegrityViolation | None]:
    with engine.connect() as conn:
        head_row = conn.execute(
            sa.select(
                sa.type_coerce(HEAD.c.seq, sa.types.NullType()).label("seq"),
                sa.type_coerce(HEAD.c.hash, sa.types.NullType()).label("hash"),
            ).where(HEAD.c.id == 1)
        ).first()
        head_seq = None if head_row is None else head_row.seq
        stray = _stray_sequence(conn, head_seq if isinstance(head_seq, int) else 0)
        last = conn.execute(sa.select(sa.func.max(RECORD.c.seq))).scalar() if stray is None else None
        conn.rollback()
    if stray is not None:
        return head_row, last, stray
    if head_row is None:
        if last is None:
            return None, None, None
        return None, last, _problem("head", int(last), N_("{field}: the audit chain head is missing"))
    if not isinstance(head_row.seq, int) or head_row.seq < 0 or not isinstance(head_row.hash, str):
        return (
            None,
            last,
            _problem(
                "head",
                0,
                N_("{field}: the audit chain head cannot be read back: it is not what the log writes"),
            ),
        )
    return head_row, last, None


def verify(
    engine: Engine,
    *,
    batch_size: int = 5000,
    anchor: tuple[int, str] | None = None,
    checkpoint: Checkpoint | None = None,
) -> VerifyReport:
    """Check the whole chain and report the first record that is not as it was appended.

    Reads the head first and then every record up to it, ``batch_size`` at a time, each batch in a
    short transaction of its own (records appended meanwhile are left for the next run). Detects an
    edited record, records deleted anywhere (also at the end), records swapped or renumbered, a
    record re-hashed after editing, records slipped in around the log, values that cannot be read back
    (reported against their record, never raised), a head that disagrees with the records and,
    given ``anchor`` (a ``(seq, hash)`` pair from an earlier report kept elsewhere) or ``checkpoint``
    (see :func:`take_checkpoint`), a chain rewritten from some point on with recomputed hashes, or
    cut short. Hashes are recomputed with each record's own algorithm.
    """
    head_row, last, problem = _read_head(engine)
    if problem is not None:
        return VerifyReport(checked=0, head_seq=0, head_hash=GENESIS_HASH, problem=problem)
    kept = _kept(anchor, checkpoint)
    if head_row is None:
        found = next((k.beyond(0) for k in kept if k.beyond(0) is not None), None)
        return VerifyReport(checked=0, head_seq=0, head_hash=GENESIS_HASH, problem=found)
    head_seq, head_hash = int(head_row.seq), str(head_row.hash)

    expected, previous, checked = 1, GENESIS_HASH, 0
    cursor: int | None = None
    while problem is None:
        query = (
            sa.select(*_RAW_COLUMNS).where(RECORD.c.seq <= head_seq).order_by(RECORD.c.seq).limit(batch_size)
        )
        if cursor is not None:
            query = query.where(RECORD.c.seq > cursor)
        with engine.connect() as conn:
            decoders = _decoders(conn.dialect)
            rows = conn.execute(query).mappings().all()
            for raw in rows:
                row = _decode(raw, decoders)
                if isinstance(row, IntegrityViolation):
                    problem = row
                    break
                problem = _check_row(conn, row, expected, previous)
                for keeper in kept:
                    problem = problem or keeper.differs(row)
                if problem is not None:
                    break
                checked += 1
                expected += 1
                previous = row["hash"]
            conn.rollback()
        if len(rows) < batch_size:
            break
        cursor = int(rows[-1]["seq"])

    if problem is None:
        problem = _check_end(
            expected=expected, previous=previous, head_seq=head_seq, head_hash=head_hash, last=last, kept=kept
        )
    return VerifyReport(checked=checked, head_seq=head_seq, head_hash=head_hash, problem=problem)


def _check_end(
    *, expected: int, previous: str, head_seq: int, head_hash: str, last: int | None, kept: list[_Kept]
) -> IntegrityViolation | None:
    if expected <= head_seq:
        return _problem(
            "missing",
            expected,
            N_("{field}: audit records {seq} to {last} are missing (deleted)"),
            last=head_seq,
        )
    if previous != head_hash:
        return _problem(
            "head",
            head_seq,
            N_("{field}: the audit chain head does not match record {seq}: it says {got}"),
            got=head_hash,
        )
    if last is not None and last > head_seq:
        return _problem(
            "inserted",
            head_seq + 1,
            N_("{field}: audit record {seq} was not appended through the audit log (the head is at {head})"),
            head=head_seq,
        )
    for keeper in kept:
        beyond = keeper.beyond(head_seq)
        if beyond is not None:
            return beyond
    return None


def verify_or_raise(
    engine: Engine,
    *,
    batch_size: int = 5000,
    anchor: tuple[int, str] | None = None,
    checkpoint: Checkpoint | None = None,
) -> VerifyReport:
    """Like :func:`verify`, but raise the :class:`~govparts.core.errors.IntegrityViolation` it finds."""
    report = verify(engine, batch_size=batch_size, anchor=anchor, checkpoint=checkpoint)
    if report.problem is not None:
        raise report.problem
    return report


def take_checkpoint(engine: Engine, *, at: datetime | None = None) -> Checkpoint:
    """Verify the chain and return a checkpoint of its head, to keep outside the database.

    Raises the :class:`~govparts.core.errors.IntegrityViolation` :func:`verify` finds: a checkpoint
    must never vouch for a chain that is already broken. The head of an empty log is record 0 with
    the genesis hash.
    """
    report = verify_or_raise(engine)
    alg = hash_algorithm()
    if report.head_seq > 0:
        with engine.connect() as conn:
            alg = str(
                conn.execute(sa.select(RECORD.c.alg).where(RECORD.c.seq == report.head_seq)).scalar_one()
            )
            conn.rollback()
    return Checkpoint(
        seq=report.head_seq,
        hash=report.head_hash,
        alg=alg,
        taken_at=(at or datetime.now(UTC)).astimezone(UTC),
    )
