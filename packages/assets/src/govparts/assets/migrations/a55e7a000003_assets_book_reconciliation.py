"""assets book reconciliation: findings against the books, depreciation a partial disposal took

Revision ID: a55e7a000003
Revises: a55e7a000002
Create Date: 2026-11-26 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a55e7a000003"
down_revision: str | Sequence[str] | None = "a55e7a000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assets_stocktake_finding") as batch:
        batch.alter_column("kind", existing_type=sa.String(length=10), type_=sa.String(length=20))
        batch.add_column(sa.Column("account", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("card_total", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("ledger_balance", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("as_of", sa.Date(), nullable=True))
    # Existing history rows left no depreciation with them: 0 fills them, then the column is plain.
    with op.batch_alter_table("assets_history") as batch:
        batch.add_column(sa.Column("accumulated_fen", sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("assets_history") as batch:
        batch.alter_column("accumulated_fen", existing_type=sa.BigInteger(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("assets_history") as batch:
        batch.drop_column("accumulated_fen")
    op.execute(sa.text("DELETE FROM assets_stocktake_finding WHERE kind = 'book_difference'"))
    with op.batch_alter_table("assets_stocktake_finding") as batch:
        batch.drop_column("as_of")
        batch.drop_column("ledger_balance")
        batch.drop_column("card_total")
        batch.drop_column("account")
        batch.alter_column("kind", existing_type=sa.String(length=20), type_=sa.String(length=10))
