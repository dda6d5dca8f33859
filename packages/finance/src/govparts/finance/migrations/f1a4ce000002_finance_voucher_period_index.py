"""finance: drop the voucher index on (org, year, month), a prefix of the unique voucher number key

Revision ID: f1a4ce000002
Revises: f1a4ce000001
Create Date: 2026-11-26 02:10:00

The unique constraint ``number`` on (org, year, month, number) already serves every lookup of a
period's vouchers; the second index only made each posting write one more B-tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "f1a4ce000002"
down_revision: str | Sequence[str] | None = "f1a4ce000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_finance_voucher_org_period", table_name="finance_voucher")


def downgrade() -> None:
    op.create_index(
        "ix_finance_voucher_org_period", "finance_voucher", ["org", "year", "month"], unique=False
    )
