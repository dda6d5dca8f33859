"""SQLModel tables of the reference implementation (storage is an implementation detail)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from govparts.core.db import MoneyType, metadata
from govparts.core.money import Money
from govparts.core.process import Stateful

__all__ = [
    "ASSET",
    "ENTRY",
    "FINDING",
    "HISTORY",
    "RETURN_TASK",
    "RUN",
    "STOCKTAKE",
    "STOCKTAKE_COUNT",
    "USAGE",
    "AssetHistoryRow",
    "AssetRow",
    "DepreciationEntryRow",
    "DepreciationRunRow",
    "ReturnTaskRow",
    "StockTakeCountRow",
    "StockTakeFindingRow",
    "StockTakeRow",
    "UsageRow",
]


class AssetRow(Stateful, table=True):
    """An asset card and its current depreciation segment (see :class:`govparts.assets.rules.Segment`)."""

    __tablename__ = "assets_asset"
    __table_args__ = (
        sa.UniqueConstraint("organization_credit_code", "asset_code"),
        sa.Index("ix_assets_asset_custodian_person", "custodian_org", "custodian_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_code: str = Field(max_length=40)
    organization_credit_code: str = Field(max_length=18, index=True)
    category: str = Field(max_length=20, index=True)
    name: str = Field(max_length=200)
    specification: str = Field(default="", max_length=200)
    quantity: int = 1
    unit_of_measure: str = Field(default="台", max_length=10)
    original_value: Money = Field(sa_type=MoneyType)
    book_value: Money = Field(sa_type=MoneyType)
    acquisition_date: date
    acquisition_method: str = Field(max_length=20)
    funding_source: str = Field(max_length=20)
    paying_account: str = Field(default="", max_length=60)
    using_unit: str = Field(default="", max_length=100, index=True)
    location: str = Field(default="", max_length=200)
    useful_life_months: int | None = None
    depreciation_method: str = Field(default="straight_line", max_length=20)
    total_units: int | None = None
    measured_at_nominal: bool = False
    non_depreciable: bool = False
    depreciable: bool = True
    expense_account: str = Field(default="5001", max_length=4)
    accumulated_account: str = Field(default="1602", max_length=4)
    attachments: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    in_service: date | None = None
    custodian_id: str | None = Field(default=None, max_length=64, index=True)
    """The custodian's number in their organisation (``custodian_org``): a person is the pair."""
    custodian_org: str | None = Field(default=None, max_length=18)
    custodian_citizen_id: str | None = Field(default=None, max_length=18)
    """The custodian's citizen id when their reference carried one (personal data: never shown unmasked)."""
    custodian: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    seg_start: int = 0
    seg_months: int = 0
    seg_base_fen: int = Field(default=0, sa_type=sa.BigInteger)
    seg_monthly_fen: int = Field(default=0, sa_type=sa.BigInteger)
    end_index: int | None = None
    """Month index from which the asset is no longer depreciated (its disposal month)."""
    disposal_method: str | None = Field(default=None, max_length=20)
    disposal_on: date | None = None


class AssetHistoryRow(SQLModel, table=True):
    """One event of an asset's history that changes its depreciation (the schedule is computed from these)."""

    __tablename__ = "assets_history"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="assets_asset.id", index=True)
    kind: str = Field(max_length=24)
    on: date
    value: Money = Field(sa_type=MoneyType)
    life_months: int = 0
    accumulated_fen: int = Field(default=0, sa_type=sa.BigInteger)
    """Depreciation that left the card with this event (a partial disposal's share), or, on the
    registration of an asset brought over from earlier books, the opening accumulated depreciation it
    came with; in fen."""


class DepreciationEntryRow(SQLModel, table=True):
    """Depreciation charged to one asset in one month (written in bulk by the monthly run)."""

    __tablename__ = "assets_depreciation"
    __table_args__ = (
        sa.UniqueConstraint("asset_id", "period"),
        sa.Index("ix_assets_depreciation_organization_period", "organization_credit_code", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int
    organization_credit_code: str = Field(max_length=18)
    period: int
    """Month index: year * 12 + month - 1."""
    amount_fen: int = Field(sa_type=sa.BigInteger)
    debit_account: str = Field(max_length=4)
    credit_account: str = Field(max_length=4)


class DepreciationRunRow(SQLModel, table=True):
    """A monthly run of one organisation: at most one per month (the run is idempotent)."""

    __tablename__ = "assets_depreciation_run"
    __table_args__ = (sa.UniqueConstraint("organization_credit_code", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(max_length=18)
    period: int
    asset_count: int
    total_fen: int = Field(sa_type=sa.BigInteger)


class UsageRow(SQLModel, table=True):
    """Units of work a units-of-work asset did in one month (工作量法): at most one entry per month."""

    __tablename__ = "assets_usage"
    __table_args__ = (sa.UniqueConstraint("asset_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="assets_asset.id")
    period: int
    """Month index: year * 12 + month - 1."""
    units: int = Field(sa_type=sa.BigInteger)


class ReturnTaskRow(SQLModel, table=True):
    """A task to take an asset back from a person who left."""

    __tablename__ = "assets_return_task"
    __table_args__ = (sa.UniqueConstraint("asset_id", "person_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="assets_asset.id", index=True)
    person_id: str = Field(max_length=64, index=True)
    person_org: str = Field(default="", max_length=18)
    """The organisation that numbers ``person_id`` (a person is the pair), "" when the event named none."""
    reason: str = Field(default="", max_length=40)
    status: str = Field(default="open", max_length=10)
    event_id: str = Field(max_length=100)


ASSET: sa.Table = metadata.tables[AssetRow.__tablename__]
HISTORY: sa.Table = metadata.tables[AssetHistoryRow.__tablename__]
ENTRY: sa.Table = metadata.tables[DepreciationEntryRow.__tablename__]
RUN: sa.Table = metadata.tables[DepreciationRunRow.__tablename__]
RETURN_TASK: sa.Table = metadata.tables[ReturnTaskRow.__tablename__]
USAGE: sa.Table = metadata.tables[UsageRow.__tablename__]


class StockTakeRow(Stateful, table=True):
    """A stock-take (资产清查/盘点) of one organisation, optionally of one location."""

    __tablename__ = "assets_stocktake"

    id: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(max_length=18)
    name: str = Field(max_length=200)
    location: str | None = Field(default=None, max_length=200)
    planned_on: date


class StockTakeCountRow(SQLModel, table=True):
    """One scanned asset code at a location during a stock-take."""

    __tablename__ = "assets_stocktake_count"
    __table_args__ = (sa.UniqueConstraint("stocktake_id", "asset_code"),)

    id: int | None = Field(default=None, primary_key=True)
    stocktake_id: int = Field(foreign_key="assets_stocktake.id")
    asset_code: str = Field(max_length=40)
    location: str = Field(max_length=200)


class StockTakeFindingRow(SQLModel, table=True):
    """A discrepancy: cards against goods (``loss`` 盘亏, ``surplus`` 盘盈, ``location``) or against the
    books (``book_difference``: ``account``, ``card_total``, ``ledger_balance`` as of ``as_of``)."""

    __tablename__ = "assets_stocktake_finding"

    id: int | None = Field(default=None, primary_key=True)
    stocktake_id: int = Field(foreign_key="assets_stocktake.id", index=True)
    kind: str = Field(max_length=20)
    asset_code: str = Field(max_length=40)
    asset_id: int | None = None
    book_location: str = Field(default="", max_length=200)
    counted_location: str = Field(default="", max_length=200)
    book_value: Money = Field(sa_type=MoneyType)
    status: str = Field(default="open", max_length=10)
    account: str | None = Field(default=None, max_length=20)
    card_total: Money | None = Field(default=None, sa_type=MoneyType)
    ledger_balance: Money | None = Field(default=None, sa_type=MoneyType)
    as_of: date | None = None


STOCKTAKE: sa.Table = metadata.tables[StockTakeRow.__tablename__]
STOCKTAKE_COUNT: sa.Table = metadata.tables[StockTakeCountRow.__tablename__]
FINDING: sa.Table = metadata.tables[StockTakeFindingRow.__tablename__]
