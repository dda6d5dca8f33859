"""finance-ledger: post voucher lines through the finance reference service, then the trial balance.

Subject: :meth:`govparts.finance.ReferenceService.post_batch`, batches of 1,000 four-line
vouchers (the quota receipt of 财会〔2017〕25号: Dr 1011 / Cr 4001 + Dr 8001 / Cr 6001, and the like),
each voucher checked (balance per system, parallel recording, accounts, open period), numbered
and hash-chained; then :meth:`trial_balance`. Floors in the same run: plain ``sqlite3`` inserts of
the same lines into a table of the same shape (one ``executemany`` per batch) and a plain
``GROUP BY`` over them. On PostgreSQL (``run.py --db``) the floor is psycopg 3's ``COPY … FROM STDIN``
of the same lines, one COPY per batch, with ``executemany`` per batch reported beside it.

Every database lives in the harness's scope for this scenario and is removed when it ends, failed or
not (a 1M-line run on SQLite writes about 1.5 GB).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from harness import Result, compare, is_postgresql, libpq_url, new_database, scenario, sqlite_path

BATCH = 1_000
ORG = "12650100MB0000001X"
TEMPLATES = (
    (("1011", "debit"), ("4001", "credit"), ("8001", "debit"), ("6001", "credit")),
    (("5001", "debit"), ("1011", "credit"), ("7201", "debit"), ("8001", "credit")),
    (("1601", "debit"), ("1011", "credit"), ("7201", "debit"), ("8001", "credit")),
    (("1002", "debit"), ("4101", "credit"), ("8001", "debit"), ("6101", "credit")),
)
PROJECT, ECON = "GZ", "30201"
BUDGETED = {"project": PROJECT, "econ_class": ECON}
"""Budget expenditure lines name their indicator (经济分类 30201 办公费)."""
_FLOOR_DDL = """CREATE TABLE entry (id INTEGER PRIMARY KEY, voucher_id TEXT, line_no INTEGER, org TEXT,
period INTEGER, date TEXT, number INTEGER, kind TEXT, system TEXT, account TEXT, side TEXT, amount INTEGER,
summary TEXT, unit TEXT, project TEXT, func_class TEXT, econ_class TEXT, payee TEXT, fund TEXT)"""
_FLOOR_DDL_PG = """CREATE TABLE entry (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, voucher_id TEXT,
line_no INTEGER, org TEXT, period INTEGER, date DATE, number INTEGER, kind TEXT, system TEXT, account TEXT,
side TEXT, amount BIGINT, summary TEXT, unit TEXT, project TEXT, func_class TEXT, econ_class TEXT, payee TEXT,
fund TEXT)"""
_FLOOR_COLUMNS = (
    "voucher_id, line_no, org, period, date, number, kind, system, account, side, amount, summary, unit, "
    "project, func_class, econ_class, payee, fund"
)
_FLOOR_GROUP_BY = """SELECT account, system,
  SUM(CASE WHEN period < :p THEN (CASE side WHEN 'debit' THEN amount ELSE -amount END) ELSE 0 END),
  SUM(CASE WHEN period = :p AND side = 'debit' THEN amount ELSE 0 END),
  SUM(CASE WHEN period = :p AND side = 'credit' THEN amount ELSE 0 END)
FROM entry WHERE org = :o AND period <= :p GROUP BY account, system ORDER BY account"""


def _plan(vouchers: int) -> list[tuple[int, int, int]]:
    """(template, fen, month) per voucher, deterministic."""
    return [(i % len(TEMPLATES), 100 + (i * 7919) % 10_000_000, 1 + (i * 31) % 12) for i in range(vouchers)]


@scenario(
    "finance-ledger",
    description="post 1,000,000 voucher lines (250,000 four-line vouchers), then the trial balance",
    default_records=1_000_000,
    target_ratio=0.3,
)
def finance_ledger(records: int) -> Result:
    vouchers = max(1, records // 4)
    lines = vouchers * 4
    return _run(vouchers, lines, _plan(vouchers))


def _floor_batches(plan: list[tuple[int, int, int]]) -> Iterator[list[tuple[Any, ...]]]:
    """The floor's rows, one list per batch of BATCH vouchers, built as the floor goes (and timed)."""
    number = 0
    for start in range(0, len(plan), BATCH):
        rows = []
        for v, (t, fen, month) in enumerate(plan[start : start + BATCH], start):
            number += 1
            for line_no, (account, side) in enumerate(TEMPLATES[t], 1):
                rows.append(
                    (
                        f"v{v}",
                        line_no,
                        ORG,
                        202600 + month,
                        f"2026-{month:02d}-15",
                        number,
                        "normal",
                        "budget" if account[0] in "678" else "financial",
                        account,
                        side,
                        fen,
                        "",
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                    )
                )
        yield rows


def _postgresql_floor(
    plan: list[tuple[int, int, int]], state: dict[str, Any], *, copy: bool
) -> Callable[[], None]:
    """Floor on PostgreSQL: per batch one COPY (or one executemany) in its own transaction."""

    def floor() -> None:
        import psycopg

        conn = psycopg.connect(libpq_url(new_database("floor")), autocommit=True)
        conn.execute(_FLOOR_DDL_PG)
        conn.execute("CREATE INDEX ix ON entry (org, period, account)")
        insert = f"INSERT INTO entry ({_FLOOR_COLUMNS}) VALUES ({', '.join(['%s'] * 18)})"
        for rows in _floor_batches(plan):
            with conn.transaction(), conn.cursor() as cursor:
                if copy:
                    with cursor.copy(f"COPY entry ({_FLOOR_COLUMNS}) FROM STDIN") as stream:
                        for row in rows:
                            stream.write_row(row)
                else:
                    cursor.executemany(insert, rows)
        if copy:
            state.setdefault("floors", []).append(conn)
        else:
            conn.close()

    return floor


def _run(  # noqa: PLR0915 - one scenario, read top to bottom
    vouchers: int, lines: int, plan: list[tuple[int, int, int]]
) -> Result:
    """The scenario on the databases the harness hands out (removed by the harness when it ends)."""
    import govparts.finance.tables  # noqa: F401
    from govparts.core.db import create_engine, metadata
    from govparts.core.money import Money
    from govparts.core.security import Actor
    from govparts.finance import Indicator, ReferenceService, VoucherDraft, VoucherLine

    state: dict[str, Any] = {}
    postgresql = is_postgresql()
    chief = Actor(id="bench-chief", name="bench", roles=frozenset({"chief_accountant", "budget_officer"}))
    poster = Actor(id="bench-poster", name="bench", roles=frozenset({"reviewer", "bookkeeper"}))

    def subject() -> None:
        if "service" in state:
            state["service"].engine.dispose()
        engine = create_engine(new_database("subject"))
        metadata.create_all(engine)
        service = ReferenceService(engine)
        service.open_year(chief, ORG, 2026)
        # Budget control runs on every voucher with budget expenditure (7201), as in post_voucher.
        limit = Money.of("1000000000000.00")
        service.set_indicator(
            chief, ORG, Indicator(org=ORG, year=2026, project=PROJECT, econ_class=ECON, amount=limit)
        )
        for start in range(0, vouchers, BATCH):
            drafts = []
            for t, fen, month in plan[start : start + BATCH]:
                amount = Money.from_fen(fen)  # one amount, four lines: as a caller writes it
                lines = tuple(
                    VoucherLine(account=a, side=s, amount=amount, **(BUDGETED if a == "7201" else {}))  # type: ignore[arg-type]
                    for a, s in TEMPLATES[t]
                )
                drafts.append(VoucherDraft(org=ORG, date=date(2026, month, 15), summary="bench", lines=lines))
            service.post_batch(poster, ORG, drafts)
        state["service"] = service

    def floor() -> None:
        conn = sqlite3.connect(sqlite_path(new_database("floor")))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(_FLOOR_DDL)
        conn.execute("CREATE INDEX ix ON entry (org, period, account)")
        for rows in _floor_batches(plan):
            with conn:
                conn.executemany(f"INSERT INTO entry VALUES (NULL, {', '.join('?' * 18)})", rows)
        state.setdefault("floors", []).append(conn)

    result = compare(
        name="finance-ledger",
        records=lines,
        subject=subject,
        floor=_postgresql_floor(plan, state, copy=True) if postgresql else floor,
        subject_label=(
            f"ReferenceService.post_batch (checked, numbered, hash-chained), "
            f"{'PostgreSQL' if postgresql else 'SQLite'}"
        ),
        floor_label=(
            "psycopg COPY of the same lines, one per batch"
            if postgresql
            else "sqlite3 executemany of the same lines"
        ),
        target_ratio=0.3,
        repeat=1 if lines >= 200_000 else 3,
        measure_memory=lines < 200_000,
        other_floors=(
            {
                "psycopg executemany of the same lines, one per batch": _postgresql_floor(
                    plan, state, copy=False
                )
            }
            if postgresql
            else None
        ),
    )
    start = time.perf_counter()
    tb = state["service"].trial_balance(chief, ORG, 2026, 12)
    tb_seconds = time.perf_counter() - start
    start = time.perf_counter()
    group_by = (
        _FLOOR_GROUP_BY.replace(":p", "%(p)s").replace(":o", "%(o)s") if postgresql else _FLOOR_GROUP_BY
    )
    raw = state["floors"][-1].execute(group_by, {"p": 202612, "o": ORG}).fetchall()
    raw_seconds = time.perf_counter() - start
    assert len(raw) == len(tb.rows)
    for system in ("financial", "budget"):
        totals = tb.totals(system)
        assert totals["debit"] == totals["credit"]
        assert totals["closing"].fen == 0
    result["trial_balance"] = {
        "seconds": tb_seconds,
        "floor_group_by_seconds": raw_seconds,
        "ratio": raw_seconds / tb_seconds if tb_seconds else 0.0,
        "target_seconds": 2.0,
        "meets_target": tb_seconds <= 2.0,
        "accounts": len(tb.rows),
    }
    result["lines_per_second_target"] = 20_000
    result["meets_lines_per_second"] = result["subject"]["records_per_second"] >= 20_000
    result["notes"] = [
        (
            f"trial balance over {lines:,} lines: {tb_seconds:.3f} s (raw GROUP BY {raw_seconds:.3f} s); "
            f"posting {result['subject']['records_per_second']:,.0f} lines/s (target 20,000)"
        )
    ]
    for conn in state["floors"]:
        conn.close()
    state["service"].engine.dispose()
    return result
