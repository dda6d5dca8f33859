"""personnel tables: organisations, units, quotas, posts, employees, work history

Revision ID: 04b45c726d8e
Revises:
Create Date: 2026-11-25 19:51:59
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "04b45c726d8e"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("personnel",)
depends_on: str | Sequence[str] | None = "core"

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_REFUSE = "personnel_history is append-only"
_APPEND_ONLY = {
    "postgresql": (
        "CREATE OR REPLACE FUNCTION personnel_history_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{_REFUSE}' USING ERRCODE = 'restrict_violation'; END $$",
        "CREATE TRIGGER personnel_history_append_only BEFORE UPDATE OR DELETE ON personnel_history "
        "FOR EACH ROW EXECUTE FUNCTION personnel_history_append_only()",
    ),
    "sqlite": (
        "CREATE TRIGGER personnel_history_no_update BEFORE UPDATE ON personnel_history "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
        "CREATE TRIGGER personnel_history_no_delete BEFORE DELETE ON personnel_history "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
    ),
}
_DROP_APPEND_ONLY = {
    "postgresql": (
        "DROP TRIGGER IF EXISTS personnel_history_append_only ON personnel_history",
        "DROP FUNCTION IF EXISTS personnel_history_append_only()",
    ),
    "sqlite": (
        "DROP TRIGGER IF EXISTS personnel_history_no_update",
        "DROP TRIGGER IF EXISTS personnel_history_no_delete",
    ),
}


def upgrade() -> None:
    op.create_table(
        "personnel_history",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("employee_no", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("position_code", sa.String(length=64), nullable=True),
        sa.Column("rank", sa.String(length=8), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_personnel_history")),
    )
    with op.batch_alter_table("personnel_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_personnel_history_person", ["organization_credit_code", "employee_no", "seq"], unique=False
        )
        batch_op.create_index(
            "ix_personnel_history_post",
            ["organization_credit_code", "position_code", "effective_from"],
            unique=False,
        )

    op.create_table(
        "personnel_organization",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ug", sa.String(length=200), nullable=False),
        sa.Column("division_code", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_personnel_organization")),
    )
    op.create_table(
        "personnel_employee",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("employee_no", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ug", sa.String(length=200), nullable=True),
        sa.Column("citizen_id", sa.String(length=18), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("ethnic_group", sa.String(length=2), nullable=False),
        sa.Column("native_place", sa.String(length=6), nullable=False),
        sa.Column("political_status", sa.String(length=2), nullable=False),
        sa.Column("education", sa.String(length=2), nullable=False),
        sa.Column("marital_status", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=2), nullable=False),
        sa.Column("establishment", sa.String(length=2), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.String(length=8), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("first_employment_date", sa.Date(), nullable=False),
        sa.Column("hire_type", sa.String(length=16), nullable=False),
        sa.Column("supervisor_no", sa.String(length=64), nullable=True),
        sa.Column("position_code", sa.String(length=64), nullable=True),
        sa.Column("seconded_to", sa.String(length=200), nullable=True),
        sa.Column("separated_on", sa.Date(), nullable=True),
        sa.Column("separation_reason", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_credit_code"],
            ["personnel_organization.credit_code"],
            name=op.f("fk_personnel_employee_organization_credit_code_personnel_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personnel_employee")),
        sa.UniqueConstraint(
            "organization_credit_code",
            "citizen_id",
            name=op.f("uq_personnel_employee_organization_credit_code_citizen_id"),
        ),
        sa.UniqueConstraint(
            "organization_credit_code",
            "employee_no",
            name=op.f("uq_personnel_employee_organization_credit_code_employee_no"),
        ),
    )
    with op.batch_alter_table("personnel_employee", schema=None) as batch_op:
        batch_op.create_index(
            "ix_personnel_employee_org_state",
            ["organization_credit_code", "state", "establishment"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_personnel_employee_state"), ["state"], unique=False)

    op.create_table(
        "personnel_org_unit",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ug", sa.String(length=200), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_credit_code"],
            ["personnel_organization.credit_code"],
            name=op.f("fk_personnel_org_unit_organization_credit_code_personnel_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personnel_org_unit")),
        sa.UniqueConstraint(
            "organization_credit_code",
            "unit_code",
            name=op.f("uq_personnel_org_unit_organization_credit_code_unit_code"),
        ),
    )
    with op.batch_alter_table("personnel_org_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personnel_org_unit_state"), ["state"], unique=False)

    op.create_table(
        "personnel_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("position_code", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("post_level", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_credit_code"],
            ["personnel_organization.credit_code"],
            name=op.f("fk_personnel_position_organization_credit_code_personnel_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personnel_position")),
        sa.UniqueConstraint(
            "organization_credit_code",
            "position_code",
            name=op.f("uq_personnel_position_organization_credit_code_position_code"),
        ),
    )
    op.create_table(
        "personnel_quota",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("establishment", sa.String(length=8), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.CheckConstraint("quota >= 0", name=op.f("ck_personnel_quota_quota_not_negative")),
        sa.ForeignKeyConstraint(
            ["organization_credit_code"],
            ["personnel_organization.credit_code"],
            name=op.f("fk_personnel_quota_organization_credit_code_personnel_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personnel_quota")),
        sa.UniqueConstraint(
            "organization_credit_code",
            "establishment",
            name=op.f("uq_personnel_quota_organization_credit_code_establishment"),
        ),
    )
    for statement in _APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    for statement in _DROP_APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    op.drop_table("personnel_quota")
    op.drop_table("personnel_position")
    with op.batch_alter_table("personnel_org_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personnel_org_unit_state"))

    op.drop_table("personnel_org_unit")
    with op.batch_alter_table("personnel_employee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personnel_employee_state"))
        batch_op.drop_index("ix_personnel_employee_org_state")

    op.drop_table("personnel_employee")
    op.drop_table("personnel_organization")
    with op.batch_alter_table("personnel_history", schema=None) as batch_op:
        batch_op.drop_index("ix_personnel_history_post")
        batch_op.drop_index("ix_personnel_history_person")

    op.drop_table("personnel_history")
