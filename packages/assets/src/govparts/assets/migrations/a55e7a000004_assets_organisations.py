"""assets organisations: a custodian is (organisation, number) or a citizen id; return tasks name the org

Revision ID: a55e7a000004
Revises: a55e7a000003
Create Date: 2026-12-02 02:00:00

Many offices share one database (issue 14). An asset card already carries its organisation; what
was scoped by a person's number alone was custody: the ``employee.separated`` handler matched a
leaver's assets by ``custodian_id``, so a leaver of one office raised return tasks in every office
that numbers a custodian alike. This revision adds the custodian's organisation and citizen id to
the card (filled from the custodian reference the card kept) and the person's organisation to
each return task (filled from its asset's custodian when that is still the person, else the
asset's organisation).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a55e7a000004"
down_revision: str | Sequence[str] | None = "a55e7a000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json_text(field: str) -> str:
    """SQL reading text member ``field`` of the ``custodian`` JSON column, on SQLite or PostgreSQL."""
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(custodian AS json) ->> '{field}'"
    return f"json_extract(custodian, '$.{field}')"


def upgrade() -> None:
    with op.batch_alter_table("assets_asset") as batch:
        batch.add_column(sa.Column("custodian_org", sa.String(length=18), nullable=True))
        batch.add_column(sa.Column("custodian_citizen_id", sa.String(length=18), nullable=True))
        batch.create_index("ix_assets_asset_custodian_person", ["custodian_org", "custodian_id"])
    op.execute(
        sa.text(
            f"UPDATE assets_asset SET custodian_org = {_json_text('organization_credit_code')},"
            f" custodian_citizen_id = {_json_text('citizen_id')} WHERE custodian IS NOT NULL"
        )
    )
    with op.batch_alter_table("assets_return_task") as batch:
        batch.add_column(sa.Column("person_org", sa.String(length=18), nullable=False, server_default=""))
    op.execute(
        sa.text(
            "UPDATE assets_return_task SET person_org = (SELECT CASE WHEN a.custodian_org IS NOT NULL"
            " AND a.custodian_id = assets_return_task.person_id THEN a.custodian_org"
            " ELSE a.organization_credit_code END"
            " FROM assets_asset a WHERE a.id = assets_return_task.asset_id)"
        )
    )
    with op.batch_alter_table("assets_return_task") as batch:
        batch.alter_column("person_org", existing_type=sa.String(length=18), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("assets_return_task") as batch:
        batch.drop_column("person_org")
    with op.batch_alter_table("assets_asset") as batch:
        batch.drop_index("ix_assets_asset_custodian_person")
        batch.drop_column("custodian_citizen_id")
        batch.drop_column("custodian_org")
