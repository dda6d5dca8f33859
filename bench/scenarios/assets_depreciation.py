"""assets-depreciation: one organisation's monthly depreciation run over 200,000 assets.

The subject is :meth:`govparts.assets.service.ReferenceService.run_depreciation`: the idempotency
check, one ``INSERT … SELECT`` computing every asset's amount for the month from its stored
straight-line segment (the cumulative-cap formula that makes the last month absorb rounding and
stops fully depreciated and disposed assets), the totals per pair of accounts, the
``asset.depreciated`` outbox event and the audit record, in one transaction. The floor is the
plainest pass over the same rows on a raw ``sqlite3`` connection (on PostgreSQL, ``run.py --db``: a
raw psycopg 3 connection): ``INSERT … SELECT`` of the monthly amount (no rounding cap, no disposal or
end-of-life rule, no totals, event or audit) into a table of the same shape, in the same database.
The work is set-based on both sides, so no COPY floor applies here.

The assets are synthetic: values from ¥500 to ¥2,000,000, categories and lives as an office has
them (computers 6 years, vehicles 8, furniture 15, buildings 50), added over the ten years before the
month run, 3 % not depreciated (cultural relics, books) and 2 % disposed. Every timed call runs a new
month (a repeated month would charge nothing: the run is idempotent), so each writes a full month.
The absolute target is at most 10 s per run of 200,000 assets.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date
from itertools import count
from typing import Any

import sqlalchemy as sa
from harness import Result, compare, is_postgresql, libpq_url, new_database, scenario, sqlite_path

from govparts.assets.rules import Segment, month_index
from govparts.assets.service import ReferenceService
from govparts.core.db import create_engine, metadata
from govparts.core.security import Actor

ORG = "91350100M000100Y43"
TARGET_SECONDS = 10.0
KINDS = (  # category, life in months, value range in yuan, weight
    ("2010000", 72, (3_000, 20_000), 40),
    ("2020000", 72, (500, 15_000), 25),
    ("6", 180, (800, 10_000), 20),
    ("2030000", 96, (120_000, 400_000), 6),
    ("1020000", 600, (500_000, 2_000_000), 1),
    ("3", 120, (5_000, 300_000), 5),
    ("5", 0, (100, 2_000), 3),
)
FIRST_PERIOD = month_index(2025, 1)


def _asset_rows(records: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    weights = [k[3] for k in KINDS]
    rows: list[dict[str, object]] = []
    for number in range(records):
        category, life, (low, high), _ = rng.choices(KINDS, weights)[0]
        fen = rng.randint(low * 100, high * 100)
        start = FIRST_PERIOD - rng.randint(0, 119)
        depreciable = life > 0
        months = life if depreciable else 0
        year, month = divmod(start, 12)
        rows.append(
            {
                "state": "in_use",
                "version": 3,
                "asset_code": f"BENCH-{number:07d}",
                "organization_credit_code": ORG,
                "category": category,
                "name": "基准资产",
                "specification": "",
                "quantity": 1,
                "unit_of_measure": "台",
                "original_value": fen,
                "book_value": fen,
                "acquisition_date": date(year, month + 1, 1),
                "acquisition_method": "purchase",
                "funding_source": "fiscal",
                "paying_account": "",
                "using_unit": f"U{number % 40:02d}",
                "location": "",
                "useful_life_months": months or None,
                "depreciation_method": "straight_line",
                "measured_at_nominal": False,
                "non_depreciable": False,
                "depreciable": depreciable,
                "expense_account": "5001" if number % 5 else "5101",
                "accumulated_account": "1602",
                "attachments": [],
                "in_service": date(year, month + 1, 1),
                "custodian_id": f"P-{number % 3000:04d}",
                "seg_start": start,
                "seg_months": months,
                "seg_base_fen": fen if depreciable else 0,
                "seg_monthly_fen": round(fen / months) if depreciable else 0,
                "end_index": FIRST_PERIOD + rng.randint(0, 3) if rng.random() < 0.02 else None,
            }
        )
    return rows


def _load(engine: sa.Engine, rows: list[dict[str, object]]) -> None:
    # Values go in as stored (fen), bypassing MoneyType: a bulk load of ready rows.
    table = sa.Table("assets_asset", sa.MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            conn.execute(sa.insert(table), rows[start : start + 20_000])


def _expected_fen(rows: list[dict[str, object]], period: int) -> int:
    total = 0
    for row in rows:
        if not row["depreciable"]:
            continue
        end = row["end_index"]
        if end is not None and period >= int(str(end)):
            continue
        segment = Segment(
            int(str(row["seg_start"])),
            int(str(row["seg_months"])),
            int(str(row["seg_base_fen"])),
            int(str(row["seg_monthly_fen"])),
        )
        total += segment.amount_fen(period)
    return total


@scenario(
    "assets-depreciation",
    description="monthly depreciation run (INSERT … SELECT, event, audit) over 200,000 assets",
    default_records=200_000,
    target_ratio=None,
)
def assets_depreciation(records: int) -> Result:
    """The reference service's monthly run against a raw INSERT … SELECT over the same rows."""
    url = new_database("assets")
    postgresql = is_postgresql()
    engine = create_engine(url)
    metadata.create_all(engine)
    rows = _asset_rows(records)
    _load(engine, rows)
    with engine.begin() as conn:
        key = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" if postgresql else "INTEGER PRIMARY KEY"
        conn.exec_driver_sql(
            f"CREATE TABLE floor_depreciation (id {key}, asset_id INTEGER NOT NULL, "
            "organization_credit_code VARCHAR(18) NOT NULL, period INTEGER NOT NULL, "
            "amount_fen BIGINT NOT NULL, debit_account VARCHAR(4) NOT NULL, "
            "credit_account VARCHAR(4) NOT NULL, UNIQUE (asset_id, period))"
        )
        conn.exec_driver_sql(
            "CREATE INDEX ix_floor_org_period ON floor_depreciation (organization_credit_code, period)"
        )
    service = ReferenceService(engine)
    accountant = Actor(id="bench", name="基准测试", roles=frozenset({"accountant"}))

    # Check once, untimed: the run charges exactly what the pure rule says for the month.
    checked = service.run_depreciation(accountant, ORG, FIRST_PERIOD // 12, FIRST_PERIOD % 12 + 1)
    expected = _expected_fen(rows, FIRST_PERIOD)
    if checked.total.fen != expected:
        raise AssertionError(f"the run charged {checked.total.fen} fen, the rule says {expected}")
    charged_assets = checked.asset_count

    subject_months = count(FIRST_PERIOD + 1)
    floor_months = count(FIRST_PERIOD + 1)
    raw: Any
    if postgresql:
        import psycopg

        raw = psycopg.connect(libpq_url(url), autocommit=True)
    else:
        raw = sqlite3.connect(sqlite_path(url), isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=NORMAL")
    mark = "%s" if postgresql else "?"

    def subject() -> object:
        period = next(subject_months)
        return service.run_depreciation(accountant, ORG, period // 12, period % 12 + 1)

    def floor() -> object:
        period = next(floor_months)
        raw.execute("BEGIN" if postgresql else "BEGIN IMMEDIATE")
        raw.execute(
            "INSERT INTO floor_depreciation (asset_id, organization_credit_code, period, amount_fen, "
            f"debit_account, credit_account) SELECT id, organization_credit_code, {mark}, seg_monthly_fen, "
            f"expense_account, accumulated_account FROM assets_asset WHERE organization_credit_code = {mark} "
            f"AND depreciable AND seg_start <= {mark} AND seg_start + seg_months > {mark}",
            (period, ORG, period, period),
        )
        raw.execute("COMMIT")
        return None

    result = compare(
        name="assets-depreciation",
        records=records,
        subject=subject,
        floor=floor,
        subject_label="ReferenceService.run_depreciation (idempotency check, INSERT … SELECT with the "
        "rounding cap, totals per account, outbox event, audit record)",
        floor_label=f"raw {'psycopg' if postgresql else 'sqlite3'} INSERT … SELECT of seg_monthly_fen "
        "over the same rows",
        target_ratio=None,
    )
    raw.close()
    engine.dispose()
    best = result["subject"]["best_seconds"]
    result["target_seconds"] = TARGET_SECONDS
    result["meets_seconds_target"] = best <= TARGET_SECONDS
    result["notes"] = [
        f"subject best {best:.2f} s per run (target ≤ {TARGET_SECONDS:.0f} s), "
        f"floor best {result['floor']['best_seconds']:.2f} s",
        f"{charged_assets:,} of {records:,} assets charged in the checked month "
        "(the rest not depreciable, disposed or fully depreciated)",
    ]
    return result
