"""assets usage: total expected work units on the card and monthly usage of units-of-work assets

Revision ID: a55e7a000002
Revises: a55e7a000001
Create Date: 2026-11-25 20:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a55e7a000002"
down_revision: str | Sequence[str] | None = "a55e7a000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assets_asset", sa.Column("total_units", sa.Integer(), nullable=True))
    op.create_table(
        "assets_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets_asset.id"], name="fk_assets_usage_asset_id_assets_asset"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assets_usage"),
        sa.UniqueConstraint("asset_id", "period", name="uq_assets_usage_asset_id_period"),
    )


def downgrade() -> None:
    op.drop_table("assets_usage")
    with op.batch_alter_table("assets_asset") as batch:
        batch.drop_column("total_units")
