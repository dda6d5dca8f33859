"""relay progress: how far the outbox is published to the broker (issue 19)

Revision ID: c04e0f1a2b3e
Revises: c04e0f1a2b3d
Create Date: 2026-12-10 10:00:00

``core_relay_cursor`` keeps, per stream, the outbox position below which every event is published
(or known never to exist) and the stream's last sequence at that commit; ``core_relay_ahead`` the
events published past a position still undecided (see ``govparts.core.events._relay``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c04e0f1a2b3e"
down_revision: str | Sequence[str] | None = "c04e0f1a2b3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "core_relay_cursor",
        sa.Column("stream", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("stream_seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_core_relay_cursor")),
    )
    op.create_table(
        "core_relay_ahead",
        sa.Column("stream", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("stream", "position", name=op.f("pk_core_relay_ahead")),
    )


def downgrade() -> None:
    op.drop_table("core_relay_ahead")
    op.drop_table("core_relay_cursor")
