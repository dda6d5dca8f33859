"""archives: the issuing organ's SM2 signature of an issued document

Revision ID: d4f7a2c9e1b6
Revises: c9e4a1b2d3f5
Create Date: 2026-12-09 09:00:00

Adds ``archives_document.signature`` (JSON, nullable): the SM2 signature (GB/T 32918.2-2016) of the
document's canonical content made when it is issued (issue 20). Documents issued before this
revision stay unsigned (NULL): a signature cannot be made after the fact in their signer's name.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4f7a2c9e1b6"
down_revision: str | Sequence[str] | None = "c9e4a1b2d3f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("archives_document", schema=None) as batch:
        batch.add_column(sa.Column("signature", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("archives_document", schema=None) as batch:
        batch.drop_column("signature")
