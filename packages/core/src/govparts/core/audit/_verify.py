"""Checking the chain: the first record that was edited, deleted, reordered or slipped in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ..errors import IntegrityViolation
from ..i18n import N_
from ._chain import digest
from ._tables import GENESIS_HASH, HEAD, RECORD

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ProblemKind", "VerifyReport", "verify", "verify_or_raise"]

ProblemKind = Literal["edited", "rehashed", "missing", "reordered", "unlinked", "inserted", "head", "anchor"]
"""What is wrong with the first bad record:

``edited``     its content no longer matches its own hash;
``rehashed``   its content and hash were both replaced (the next record was chained to another hash);
``missing``    records with these sequence numbers are gone (deleted);
``reordered``  it sits before the record it was chained after;
``unlinked``   it is not chained to the record before it (replaced, or records renumbered);
``inserted``   it was not appended through the audit log (outside the sequence the head vouches for);
``head``       the chain head disagrees with the last record, or is missing;
``anchor``     its hash differs from one published (anchored) earlier.
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


def _where_is(conn: sa.Connection, hash_: str) -> int | None:
    found = conn.execute(sa.select(RECORD.c.seq).where(RECORD.c.hash == hash_)).scalar()
    return None if found is None else int(found)


def _check_row(
    conn: sa.Connection, row: sa.RowMapping, expected: int, previous: str
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


def verify(engine: Engine, *, batch_size: int = 5000, anchor: tuple[int, str] | None = None) -> VerifyReport:
    """Check the whole chain and report the first record that is not as it was appended.

    Reads the head first and then every record up to it, ``batch_size`` at a time, each batch in a
    short transaction of its own (records appended meanwhile are left for the next run). Detects an
    edited record, records deleted anywhere (also at the end), records swapped or renumbered, a
    record re-hashed after editing, records slipped in around the log, a head that disagrees with the
    records and, given ``anchor`` (a ``(seq, hash)`` pair from an earlier report kept elsewhere), a
    chain rewritten from some point on. Hashes are recomputed with each record's own algorithm.
    """
    with engine.connect() as conn:
        head_row = conn.execute(
            sa.select(
                HEAD.c.seq,
                HEAD.c.hash,
                sa.select(sa.func.max(RECORD.c.seq)).scalar_subquery().label("last"),
            ).where(HEAD.c.id == 1)
        ).first()
        last_row = (
            None if head_row is not None else conn.execute(sa.select(sa.func.max(RECORD.c.seq))).scalar()
        )
        conn.rollback()
    if head_row is None:
        if last_row is None:
            return VerifyReport(checked=0, head_seq=0, head_hash=GENESIS_HASH)
        return VerifyReport(
            checked=0,
            head_seq=0,
            head_hash=GENESIS_HASH,
            problem=_problem("head", int(last_row), N_("{field}: the audit chain head is missing")),
        )
    head_seq, head_hash = int(head_row.seq), str(head_row.hash)
    last = None if head_row.last is None else int(head_row.last)

    expected, previous, checked = 1, GENESIS_HASH, 0
    problem: IntegrityViolation | None = None
    cursor: int | None = None
    while problem is None:
        query = sa.select(RECORD).where(RECORD.c.seq <= head_seq).order_by(RECORD.c.seq).limit(batch_size)
        if cursor is not None:
            query = query.where(RECORD.c.seq > cursor)
        with engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            for row in rows:
                problem = _check_row(conn, row, expected, previous)
                if (
                    problem is None
                    and anchor is not None
                    and row["seq"] == anchor[0]
                    and row["hash"] != anchor[1]
                ):
                    problem = _problem(
                        "anchor",
                        anchor[0],
                        N_(
                            "{field}: audit record {seq} has hash {got}; "
                            "the anchor kept for it says {expected}"
                        ),
                        got=row["hash"],
                        expected=anchor[1],
                    )
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
            expected=expected,
            previous=previous,
            head_seq=head_seq,
            head_hash=head_hash,
            last=last,
            anchor=anchor,
        )
    return VerifyReport(checked=checked, head_seq=head_seq, head_hash=head_hash, problem=problem)


def _check_end(
    *,
    expected: int,
    previous: str,
    head_seq: int,
    head_hash: str,
    last: int | None,
    anchor: tuple[int, str] | None,
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
    if anchor is not None and anchor[0] > head_seq:
        return _problem(
            "anchor",
            anchor[0],
            N_("{field}: audit record {seq} is anchored but the chain ends at {head}"),
            head=head_seq,
        )
    return None


def verify_or_raise(
    engine: Engine, *, batch_size: int = 5000, anchor: tuple[int, str] | None = None
) -> VerifyReport:
    """Like :func:`verify`, but raise the :class:`~govparts.core.errors.IntegrityViolation` it finds."""
    report = verify(engine, batch_size=batch_size, anchor=anchor)
    if report.problem is not None:
        raise report.problem
    return report
