"""Posting: numbering, the hash chain and the ledger rows, shared by single and bulk posting."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from govparts.core import audit

from .tables import BALANCE, CHAIN, COUNTER, HEAD

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = [
    "add_to_balances",
    "bulk_insert",
    "db_value",
    "chain_record",
    "lock_chain",
    "next_numbers",
    "posting_digest",
]


def _insert(bind: Session | sa.Connection) -> Any:
    name = bind.get_bind().dialect.name if not isinstance(bind, sa.Connection) else bind.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


_last_stamp = 0


def new_id() -> str:
    """A 32-hex-digit id that sorts by creation time (microseconds, then 72 random bits).

    Time-ordered keys are appended at the right edge of the B-tree indexes instead of at random
    places, which keeps bulk posting fast as the ledger grows.
    """
    global _last_stamp
    stamp = max(time.time_ns() // 1000, _last_stamp + 1)
    _last_stamp = stamp
    return f"{stamp:014x}{secrets.token_hex(9)}"


def lock_chain(bind: Session | sa.Connection, org: str) -> tuple[int, str]:
    """Lock ``org``'s chain head until the transaction ends; returns (last seq, last hash).

    Every posting of the organisation takes this lock first, so postings (and the voucher numbers
    they draw) are serialised per organisation: numbers never repeat and never skip.
    """
    query = sa.select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.org == org).with_for_update()
    row = bind.execute(query).first()
    if row is None:
        insert = _insert(bind)
        bind.execute(insert(HEAD).values(org=org, seq=0, hash=audit.GENESIS_HASH).on_conflict_do_nothing())
        row = bind.execute(query).one()
    return int(row.seq), str(row.hash)


def add_to_balances(
    bind: Session | sa.Connection, org: str, rows: Sequence[tuple[int, str, str, str, int]]
) -> None:
    """Add posted lines ``(period, account, system, side, fen)`` to ``finance_balance`` in one upsert.

    Call only while holding :func:`lock_chain` for ``org`` (postings of an organisation are serialised).
    """
    totals: dict[tuple[int, str], list[Any]] = {}
    for period, account, system, side, fen in rows:
        item = totals.setdefault((period, account), [system, 0, 0])
        item[1 if side == "debit" else 2] += fen
    if not totals:
        return
    values = [
        {"org": org, "period": p, "account": a, "system": s, "debit": d, "credit": c}
        for (p, a), (s, d, c) in sorted(totals.items())
    ]
    statement = _insert(bind)(BALANCE)
    statement = statement.on_conflict_do_update(
        index_elements=[BALANCE.c.org, BALANCE.c.period, BALANCE.c.account],
        set_={
            "debit": BALANCE.c.debit + statement.excluded.debit,
            "credit": BALANCE.c.credit + statement.excluded.credit,
        },
    )
    bind.execute(statement, values)


def next_numbers(bind: Session | sa.Connection, org: str, year: int, month: int, count: int) -> int:
    """Reserve ``count`` consecutive voucher numbers of the period; returns the first.

    Call only while holding :func:`lock_chain` for ``org``.
    """
    key = (COUNTER.c.org == org) & (COUNTER.c.year == year) & (COUNTER.c.month == month)
    last = bind.execute(sa.select(COUNTER.c.last).where(key)).scalar()
    if last is None:
        bind.execute(sa.insert(COUNTER).values(org=org, year=year, month=month, last=count))
        return 1
    bind.execute(sa.update(COUNTER).where(key).values(last=int(last) + count))
    return int(last) + 1


def posting_digest(
    *,
    seq: int,
    recorded_at: datetime,
    actor_id: str,
    org: str,
    voucher_id: str,
    content: dict[str, Any],
    alg: str,
    prev_hash: str,
) -> str:
    """The hash of a posting, computed with the audit log's canonical form and digest.

    The posting is laid out as an audit record (:data:`govparts.core.audit.CANONICAL_FIELDS`):
    action ``post``, entity ``finance_voucher``, ``actor_unit`` the organisation and ``after`` the
    voucher's number, date and lines, so the audit chain's published recipe recomputes it.
    """
    return audit.digest(
        {
            "seq": seq,
            "recorded_at": recorded_at,
            "actor_id": actor_id,
            "actor_unit": org,
            "action": "post",
            "entity": "finance_voucher",
            "entity_id": voucher_id,
            "before": None,
            "after": content,
            "details": None,
            "alg": alg,
            "prev_hash": prev_hash,
        }
    )


def chain_record(
    *,
    org: str,
    seq: int,
    voucher_id: str,
    recorded_at: datetime,
    actor_id: str,
    alg: str,
    prev_hash: str,
    content: dict[str, Any],
) -> dict[str, Any]:
    """The ``finance_chain`` row of a posting (its hash included)."""
    return {
        "org": org,
        "seq": seq,
        "voucher_id": voucher_id,
        "recorded_at": recorded_at,
        "actor_id": actor_id,
        "alg": alg,
        "prev_hash": prev_hash,
        "hash": posting_digest(
            seq=seq,
            recorded_at=recorded_at,
            actor_id=actor_id,
            org=org,
            voucher_id=voucher_id,
            content=content,
            alg=alg,
            prev_hash=prev_hash,
        ),
    }


def posting_content(number: int, day: str, lines: Sequence[Sequence[Any]], alg: str) -> dict[str, Any]:
    """What a posting's hash covers: number, date and the digest of its lines.

    Each line is ``system, account, side, fen, summary, unit, project, func_class, econ_class, payee,
    fund`` joined by tabs (``None`` as the empty string), lines joined by newlines, hashed with the
    chain's algorithm ``alg``: anyone holding the ledger recomputes it without govparts.
    """
    text = "\n".join("\t".join("" if v is None else str(v) for v in line) for line in lines)
    hasher = hashlib.new(alg)
    hasher.update(text.encode("utf-8"))
    return {"number": number, "date": day, "lines": hasher.hexdigest(), "count": len(lines)}


def write_chain(bind: Session | sa.Connection, org: str, rows: list[dict[str, Any]]) -> None:
    """Insert chain rows and move the head to the last one."""
    if not rows:
        return
    bind.execute(sa.insert(CHAIN), rows)
    last = rows[-1]
    bind.execute(sa.update(HEAD).where(HEAD.c.org == org).values(seq=last["seq"], hash=last["hash"]))


def bulk_insert(
    bind: Session | sa.Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, money already in fen, datetimes aware UTC) with
    one DBAPI ``executemany``, bypassing per-row parameter processing on the hot path. Pass dates and
    times through :func:`db_value` first."""
    if not rows:
        return
    connection = bind if isinstance(bind, sa.Connection) else bind.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(columns)
    marks = ", ".join([marker] * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(rows))


def db_value(bind: Session | sa.Connection, value: Any) -> Any:
    """``value`` as the DBAPI expects it where SQLAlchemy's types would have converted it."""
    connection = bind if isinstance(bind, sa.Connection) else bind.connection()
    if connection.dialect.name != "sqlite":
        return value
    # What SQLAlchemy's SQLite types store: ISO text for dates, naive UTC text for datetimes.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value
