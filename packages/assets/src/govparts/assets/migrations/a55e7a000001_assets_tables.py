"""assets tables: asset cards, history, depreciation entries and runs, return tasks, stock-takes

Revision ID: a55e7a000001
Revises:
Create Date: 2026-11-25 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a55e7a000001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("assets",)
depends_on: str | Sequence[str] | None = "core"


def upgrade() -> None:
    op.create_table(
        "assets_asset",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_code", sa.String(length=40), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("specification", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_of_measure", sa.String(length=10), nullable=False),
        sa.Column("original_value", sa.BigInteger(), nullable=False),
        sa.Column("book_value", sa.BigInteger(), nullable=False),
        sa.Column("acquisition_date", sa.Date(), nullable=False),
        sa.Column("acquisition_method", sa.String(length=20), nullable=False),
        sa.Column("funding_source", sa.String(length=20), nullable=False),
        sa.Column("paying_account", sa.String(length=60), nullable=False),
        sa.Column("using_unit", sa.String(length=100), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("useful_life_months", sa.Integer(), nullable=True),
        sa.Column("depreciation_method", sa.String(length=20), nullable=False),
        sa.Column("measured_at_nominal", sa.Boolean(), nullable=False),
        sa.Column("non_depreciable", sa.Boolean(), nullable=False),
        sa.Column("depreciable", sa.Boolean(), nullable=False),
        sa.Column("expense_account", sa.String(length=4), nullable=False),
        sa.Column("accumulated_account", sa.String(length=4), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("in_service", sa.Date(), nullable=True),
        sa.Column("custodian_id", sa.String(length=64), nullable=True),
        sa.Column("custodian", sa.JSON(), nullable=True),
        sa.Column("seg_start", sa.Integer(), nullable=False),
        sa.Column("seg_months", sa.Integer(), nullable=False),
        sa.Column("seg_base_fen", sa.BigInteger(), nullable=False),
        sa.Column("seg_monthly_fen", sa.BigInteger(), nullable=False),
        sa.Column("end_index", sa.Integer(), nullable=True),
        sa.Column("disposal_method", sa.String(length=20), nullable=True),
        sa.Column("disposal_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_assets_asset"),
        sa.UniqueConstraint(
            "organization_credit_code",
            "asset_code",
            name="uq_assets_asset_organization_credit_code_asset_code",
        ),
    )
    for column in ("state", "organization_credit_code", "category", "using_unit", "custodian_id"):
        op.create_index(f"ix_assets_asset_{column}", "assets_asset", [column])
    op.create_table(
        "assets_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("life_months", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets_asset.id"], name="fk_assets_history_asset_id_assets_asset"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assets_history"),
    )
    op.create_index("ix_assets_history_asset_id", "assets_history", ["asset_id"])
    op.create_table(
        "assets_depreciation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("debit_account", sa.String(length=4), nullable=False),
        sa.Column("credit_account", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assets_depreciation"),
        sa.UniqueConstraint("asset_id", "period", name="uq_assets_depreciation_asset_id_period"),
    )
    op.create_index(
        "ix_assets_depreciation_organization_period",
        "assets_depreciation",
        ["organization_credit_code", "period"],
    )
    op.create_table(
        "assets_depreciation_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("asset_count", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assets_depreciation_run"),
        sa.UniqueConstraint(
            "organization_credit_code",
            "period",
            name="uq_assets_depreciation_run_organization_credit_code_period",
        ),
    )
    op.create_table(
        "assets_return_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets_asset.id"], name="fk_assets_return_task_asset_id_assets_asset"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assets_return_task"),
        sa.UniqueConstraint(
            "asset_id", "person_id", "event_id", name="uq_assets_return_task_asset_id_person_id_event_id"
        ),
    )
    op.create_index("ix_assets_return_task_asset_id", "assets_return_task", ["asset_id"])
    op.create_index("ix_assets_return_task_person_id", "assets_return_task", ["person_id"])
    op.create_table(
        "assets_stocktake",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assets_stocktake"),
    )
    op.create_index("ix_assets_stocktake_state", "assets_stocktake", ["state"])
    op.create_table(
        "assets_stocktake_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("asset_code", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["assets_stocktake.id"],
            name="fk_assets_stocktake_count_stocktake_id_assets_stocktake",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assets_stocktake_count"),
        sa.UniqueConstraint(
            "stocktake_id", "asset_code", name="uq_assets_stocktake_count_stocktake_id_asset_code"
        ),
    )
    op.create_table(
        "assets_stocktake_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("asset_code", sa.String(length=40), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("book_location", sa.String(length=200), nullable=False),
        sa.Column("counted_location", sa.String(length=200), nullable=False),
        sa.Column("book_value", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["assets_stocktake.id"],
            name="fk_assets_stocktake_finding_stocktake_id_assets_stocktake",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assets_stocktake_finding"),
    )
    op.create_index("ix_assets_stocktake_finding_stocktake_id", "assets_stocktake_finding", ["stocktake_id"])


def downgrade() -> None:
    op.drop_table("assets_stocktake_finding")
    op.drop_table("assets_stocktake_count")
    op.drop_table("assets_stocktake")
    op.drop_table("assets_return_task")
    op.drop_table("assets_depreciation_run")
    op.drop_table("assets_depreciation")
    op.drop_table("assets_history")
    op.drop_table("assets_asset")
