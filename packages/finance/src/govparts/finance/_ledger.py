"""Posting: numbering, the hash chain and the ledger rows, shared by single and bulk posting."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from govparts.core import audit
from govparts.core.errors import GuardFailed, InvalidInput

from . import rules
from ._chart import BUDGET_MANAGED_CASH, chart
from .tables import BALANCE, CHAIN, COUNTER, HEAD

if TYPE_CHECKING:
    from sqlmodel import Session

    from govparts.core.money import Money

    from .models import VoucherDraft

__all__ = [
    "AUX",
    "PostingBatch",
    "PostingHasher",
    "add_to_balances",
    "add_totals",
    "bulk_insert",
    "chain_record",
    "db_value",
    "line_text",
    "lock_chain",
    "new_id",
    "new_ids",
    "next_numbers",
    "posting_content",
    "posting_digest",
    "reserve_numbers",
    "write_chain",
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


def new_ids(count: int) -> list[str]:
    """``count`` ids as :func:`new_id` makes them, in creation order, with one call for the randomness."""
    global _last_stamp
    stamp = max(time.time_ns() // 1000, _last_stamp + 1)
    _last_stamp = stamp + count - 1
    noise = secrets.token_hex(9 * count)
    return [f"{stamp + i:014x}{noise[18 * i : 18 * i + 18]}" for i in range(count)]


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
    add_totals(bind, org, totals)


def add_totals(bind: Session | sa.Connection, org: str, totals: dict[tuple[int, str], list[Any]]) -> None:
    """Add ``{(period, account): [system, debit fen, credit fen]}`` to ``finance_balance`` in one upsert.

    Call only while holding :func:`lock_chain` for ``org``.
    """
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


def reserve_numbers(
    bind: Session | sa.Connection, org: str, counts: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], int]:
    """Reserve ``counts[(year, month)]`` consecutive voucher numbers in each period; returns the
    first of each. Same as :func:`next_numbers` per period, with one read and one write per kind.

    Call only while holding :func:`lock_chain` for ``org``.
    """
    years = sorted({year for year, _ in counts})
    query = sa.select(COUNTER.c.year, COUNTER.c.month, COUNTER.c.last).where(
        COUNTER.c.org == org, COUNTER.c.year.in_(years)
    )
    last = {(int(r.year), int(r.month)): int(r.last) for r in bind.execute(query)}
    first: dict[tuple[int, int], int] = {}
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for (year, month), count in sorted(counts.items()):
        before = last.get((year, month))
        first[year, month] = (before or 0) + 1
        if before is None:
            inserts.append({"org": org, "year": year, "month": month, "last": count})
        else:
            updates.append({"k_org": org, "k_year": year, "k_month": month, "last": before + count})
    if updates:
        bind.execute(_UPDATE_COUNTER, updates)
    if inserts:
        bind.execute(sa.insert(COUNTER), inserts)
    return first


_UPDATE_COUNTER = sa.update(COUNTER).where(
    COUNTER.c.org == sa.bindparam("k_org"),
    COUNTER.c.year == sa.bindparam("k_year"),
    COUNTER.c.month == sa.bindparam("k_month"),
)


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
    text = "\n".join(line_text(line) for line in lines)
    hasher = hashlib.new(alg)
    hasher.update(text.encode("utf-8"))
    return {"number": number, "date": day, "lines": hasher.hexdigest(), "count": len(lines)}


def line_text(line: Sequence[Any]) -> str:
    """One line ``system, account, side, fen, summary, unit, project, func_class, econ_class, payee,
    fund`` as :func:`posting_content` hashes it: joined by tabs, ``None`` as the empty string."""
    system, account, side, fen, summary, unit, project, func_class, econ_class, payee, fund = line
    return (
        f"{system}\t{account}\t{side}\t{fen}\t{summary or ''}\t{unit or ''}\t{project or ''}\t"
        f"{func_class or ''}\t{econ_class or ''}\t{payee or ''}\t{fund or ''}"
    )


class PostingHasher:
    """The hashes of many postings by one actor of one organisation recorded at one moment.

    Gives exactly what :func:`posting_content` and :func:`posting_digest` give (the audit log's
    canonical JSON, hashed with ``alg``), but lays the canonical JSON out from a template made once:
    only the sequence number, voucher id, number, date, lines digest, count and previous hash vary,
    and each of those is a number or plain hex/ISO text that JSON writes as it is.
    """

    def __init__(self, *, org: str, actor_id: str, recorded_at: datetime, alg: str) -> None:
        self.alg = alg
        self._prototype = hashlib.new(alg)
        fixed = {
            "actor_id": actor_id,
            "actor_unit": org,
            "recorded_at": recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "alg": alg,
        }
        text = {name: json.dumps(value, ensure_ascii=False) for name, value in fixed.items()}
        self._head = (
            f'{{"action":"post","actor_id":{text["actor_id"]},"actor_unit":{text["actor_unit"]},'
            f'"after":{{"count":'
        )
        self._middle = (
            f',"alg":{text["alg"]},"before":null,"details":null,"entity":"finance_voucher","entity_id":"'
        )
        self._tail = f',"recorded_at":{text["recorded_at"]},"seq":'

    def lines_digest(self, texts: Sequence[str]) -> str:
        """The digest of a voucher's lines, each already laid out by :func:`line_text`."""
        hasher = self._prototype.copy()
        hasher.update("\n".join(texts).encode("utf-8"))
        return str(hasher.hexdigest())

    def digest(
        self, *, seq: int, voucher_id: str, number: int, day: str, lines: str, count: int, prev_hash: str
    ) -> str:
        """The posting's hash: :func:`posting_digest` of :func:`posting_content` (``day`` in ISO form,
        ``voucher_id``, ``lines`` and ``prev_hash`` hex)."""
        canonical = (
            f'{self._head}{count},"date":"{day}","lines":"{lines}","number":{number}}}'
            f'{self._middle}{voucher_id}","prev_hash":"{prev_hash}"{self._tail}{seq}}}'
        )
        hasher = self._prototype.copy()
        hasher.update(canonical.encode("utf-8"))
        return str(hasher.hexdigest())


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


_STANDARD_CODE = 4
"""Length of a first-level account code; longer codes are sub-accounts (明细科目) extending one."""
AUX = ("summary", "unit", "project", "func_class", "econ_class", "payee", "fund")
"""The auxiliary dimensions (辅助核算) of a line, in the order the ledger and the hash take them."""
_aux_of = attrgetter(*AUX)


@cache
def _posting_accounts() -> dict[str, tuple[str, bool]]:
    """First-level code → (system, whether it is a budget-managed cash account)."""
    return {code: (a.system, code in BUDGET_MANAGED_CASH) for code, a in chart().items()}


class PostingBatch:
    """The rows that a batch of postings of one organisation writes, built in one pass over the vouchers.

    :meth:`add` checks each voucher as :func:`rules.check_voucher_lines` and
    :func:`rules.check_parallel_recording` do: one pass sums each system's debit-positive balance and
    the budget-managed cash flow, and a voucher that is not plainly valid by those sums (unknown
    account, amount not positive, a system out of balance, a cash flow with no budget line and no
    exemption) goes to the rules themselves, which raise the error with its field prefixed by
    ``drafts[index].``. It then lays out the voucher's ``finance_voucher``, ``finance_entry`` and
    ``finance_chain`` rows (in the orders of :attr:`VOUCHER_COLUMNS`, :attr:`ENTRY_COLUMNS` and
    :attr:`CHAIN_COLUMNS`) and adds its lines to the per-period account totals. Sub-accounts are
    only collected (:attr:`with_sub_accounts`): whether they exist and are open is for the caller to
    check against the database.
    """

    ENTRY_COLUMNS = (
        "voucher_id",
        "line_no",
        "org",
        "period",
        "date",
        "number",
        "kind",
        "system",
        "account",
        "side",
        "amount",
        *AUX,
    )
    CHAIN_COLUMNS = ("org", "seq", "voucher_id", "recorded_at", "actor_id", "alg", "prev_hash", "hash")
    VOUCHER_COLUMNS = (
        "id",
        "org",
        "date",
        "year",
        "month",
        "summary",
        "kind",
        "exemption",
        "number",
        "preparer",
        "reviewer",
        "poster",
        "warnings",
        "hash",
        "posted_at",
        "state",
        "version",
    )

    def __init__(
        self, *, org: str, actor_id: str, hasher: PostingHasher, stored_now: Any, seq: int, prev_hash: str
    ) -> None:
        self.org = org
        self.actor_id = actor_id
        self.hasher = hasher
        self.stored_now = stored_now
        self.seq = seq
        self.prev_hash = prev_hash
        self.vouchers: list[tuple[Any, ...]] = []
        self.entries: list[tuple[Any, ...]] = []
        self.chain: list[tuple[Any, ...]] = []
        self.totals: dict[int, dict[str, list[Any]]] = {}
        """Per period, per account: [system, debit fen, credit fen]."""
        self.with_sub_accounts: list[int] = []
        self._accounts = _posting_accounts()

    def add(
        self, index: int, draft: VoucherDraft, *, voucher_id: str, number: int, period: int, day: Any
    ) -> None:
        """Check the voucher ``drafts[index]`` and lay out its rows (``day`` as the database stores it)."""
        org = self.org
        accounts = self._accounts
        entries = self.entries
        totals = self.totals.get(period)
        if totals is None:
            totals = self.totals[period] = {}
        texts: list[str] = []
        financial = budget = flow = 0
        has_budget = suspect = sub = False
        amount: Money | None = None
        fen = 0
        for line_no, line in enumerate(draft.lines, 1):
            account = line.account
            side = line.side
            if line.amount is not amount:  # the two sides of an entry usually share one Money
                amount = line.amount
                fen = amount.fen
            found = accounts.get(account)
            if found is None:
                found = accounts.get(account[:_STANDARD_CODE])
                sub = True
            if found is None or fen <= 0:
                suspect = True
                system = ""
            else:
                system, cash = found
                signed = fen if side == "debit" else -fen
                if system == "budget":
                    budget += signed
                    has_budget = True
                else:
                    financial += signed
                    if cash:
                        flow += signed
            summary, unit, project, func_class, econ_class, payee, fund = _aux_of(line)
            entries.append(
                (
                    voucher_id,
                    line_no,
                    org,
                    period,
                    day,
                    number,
                    "normal",
                    system,
                    account,
                    side,
                    fen,
                    summary,
                    unit,
                    project,
                    func_class,
                    econ_class,
                    payee,
                    fund,
                )
            )
            # line_text's layout, written out: this loop runs once per posted line.
            texts.append(
                f"{system}\t{account}\t{side}\t{fen}\t{summary or ''}\t{unit or ''}\t{project or ''}\t"
                f"{func_class or ''}\t{econ_class or ''}\t{payee or ''}\t{fund or ''}"
            )
            item = totals.get(account)
            if item is None:
                item = totals[account] = [system, 0, 0]
            item[1 if side == "debit" else 2] += fen
        if suspect or financial or budget or (flow and not has_budget and draft.exemption is None):
            try:
                rules.check_voucher_lines(draft.lines)
                rules.check_parallel_recording(draft.lines, draft.exemption)
            except (InvalidInput, GuardFailed) as exc:
                raise exc.with_field(f"drafts[{index}].{exc.field}") from None
        if sub:
            self.with_sub_accounts.append(index)
        self._chain(draft, voucher_id=voucher_id, number=number, period=period, day=day, texts=texts)

    def _chain(
        self, draft: VoucherDraft, *, voucher_id: str, number: int, period: int, day: Any, texts: list[str]
    ) -> None:
        self.seq += 1
        hasher = self.hasher
        digest = hasher.digest(
            seq=self.seq,
            voucher_id=voucher_id,
            number=number,
            day=draft.date.isoformat(),
            lines=hasher.lines_digest(texts),
            count=len(texts),
            prev_hash=self.prev_hash,
        )
        org, actor_id, stored_now = self.org, self.actor_id, self.stored_now
        self.chain.append(
            (org, self.seq, voucher_id, stored_now, actor_id, hasher.alg, self.prev_hash, digest)
        )
        self.prev_hash = digest
        self.vouchers.append(
            (
                voucher_id,
                org,
                day,
                period // 100,
                period % 100,
                draft.summary,
                "normal",
                draft.exemption,
                number,
                actor_id,
                actor_id,
                actor_id,
                "",
                digest,
                stored_now,
                "posted",
                1,
            )
        )
