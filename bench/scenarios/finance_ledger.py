"""finance-ledger: post voucher lines through the finance reference service, then the trial balance.

Subject: :meth:`govparts.finance.ReferenceService.post_batch` on SQLite, batches of 1,000 four-line
vouchers (the quota receipt of 财会〔2017〕25号: Dr 1011 / Cr 4001 + Dr 8001 / Cr 6001, and the like),
each voucher checked (balance per system, parallel recording, accounts, open period), numbered
and hash-chained; then :meth:`trial_balance`. Floors in the same run: plain ``sqlite3`` inserts of
the same lines into a table of the same shape (one ``executemany`` per batch) and a plain
``GROUP BY`` over them.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from harness import Result, compare, scenario

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
    plan = _plan(vouchers)
    folder = Path(tempfile.mkdtemp(prefix="bench-finance-"))
    try:
        return _run(records, vouchers, lines, plan, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(  # noqa: PLR0915 - one scenario, read top to bottom
    records: int, vouchers: int, lines: int, plan: list[tuple[int, int, int]], folder: Path
) -> Result:
    """The scenario in ``folder`` (a temporary folder its caller removes, databases and all)."""
    import govparts.finance.tables  # noqa: F401
    from govparts.core.db import create_engine, metadata
    from govparts.core.money import Money
    from govparts.core.security import Actor
    from govparts.finance import Indicator, ReferenceService, VoucherDraft, VoucherLine

    state: dict[str, Any] = {"run": 0}
    chief = Actor(id="bench-chief", name="bench", roles=frozenset({"chief_accountant", "budget_officer"}))
    poster = Actor(id="bench-poster", name="bench", roles=frozenset({"reviewer", "bookkeeper"}))

    def subject() -> None:
        state["run"] += 1
        path = folder / f"subject-{state['run']}.db"
        engine = create_engine(f"sqlite:///{path}")
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
        path = folder / f"floor-{state['run']}.db"
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(_FLOOR_DDL)
        conn.execute("CREATE INDEX ix ON entry (org, period, account)")
        number = 0
        for start in range(0, vouchers, BATCH):
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
            with conn:
                conn.executemany(f"INSERT INTO entry VALUES (NULL, {', '.join('?' * 18)})", rows)
        state["floor"] = conn

    result = compare(
        name="finance-ledger",
        records=lines,
        subject=subject,
        floor=floor,
        subject_label="ReferenceService.post_batch (checked, numbered, hash-chained), SQLite",
        floor_label="sqlite3 executemany of the same lines",
        target_ratio=0.3,
        repeat=1 if lines >= 200_000 else 3,
        measure_memory=lines < 200_000,
    )
    start = time.perf_counter()
    tb = state["service"].trial_balance(chief, ORG, 2026, 12)
    tb_seconds = time.perf_counter() - start
    start = time.perf_counter()
    raw = state["floor"].execute(_FLOOR_GROUP_BY, {"p": 202612, "o": ORG}).fetchall()
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
    state["floor"].close()
    state["service"].engine.dispose()
    return result
