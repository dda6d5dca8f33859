"""archives: catalogue records received through the data exchange

Revision ID: b7c1e2d3f4a5
Revises: 3dade097c4bb
Create Date: 2026-11-26 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c1e2d3f4a5"
down_revision: str | Sequence[str] | None = "3dade097c4bb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archives_received_catalogue",
        sa.Column("archival_code", sa.String(length=60), nullable=False),
        sa.Column("fonds", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("retention", sa.String(length=3), nullable=False),
        sa.Column("organisation", sa.String(length=10), nullable=True),
        sa.Column("item_number", sa.Integer(), nullable=False),
        sa.Column("document_number", sa.String(length=60), nullable=True),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("secrecy", sa.String(length=2), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("archival_code", name=op.f("pk_archives_received_catalogue")),
    )


def downgrade() -> None:
    op.drop_table("archives_received_catalogue")
