"""attendance tables: settings, enrolment, shifts and assignments, punches, requests, daily results, months

Revision ID: a77e0d000001
Revises:
Create Date: 2026-11-25 20:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a77e0d000001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("attendance",)
depends_on: str | Sequence[str] | None = "core"

# Written out here rather than imported: a revision must keep meaning what it meant when written.
# Times are stored as timestamptz on PostgreSQL and as naive UTC text on SQLite (UTCDateTime).
_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON(none_as_null=True)


def upgrade() -> None:
    op.create_table(
        "attendance_daily_result",
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("day_kind", sa.String(length=20), nullable=False),
        sa.Column("due", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("shift_code", sa.String(length=32), nullable=True),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.Column("early_minutes", sa.Integer(), nullable=False),
        sa.Column("missing_punches", sa.Integer(), nullable=False),
        sa.Column("worked_minutes", sa.Integer(), nullable=False),
        sa.Column("absent_half_days", sa.Integer(), nullable=False),
        sa.Column("leave_type", sa.String(length=20), nullable=True),
        sa.Column("overtime_kind", sa.String(length=12), nullable=True),
        sa.Column("overtime_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "day", name=op.f("pk_attendance_daily_result")),
    )
    op.create_table(
        "attendance_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("person_name", sa.String(length=100), nullable=False),
        sa.Column("organization_credit_code", sa.String(length=18), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("unit_name", sa.String(length=100), nullable=False),
        sa.Column("first_employment_date", sa.Date(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_enrolment")),
        sa.UniqueConstraint(
            "person_id", "start_date", name=op.f("uq_attendance_enrolment_person_id_start_date")
        ),
    )
    op.create_index(
        op.f("ix_attendance_enrolment_person_id"), "attendance_enrolment", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_attendance_enrolment_unit_code"), "attendance_enrolment", ["unit_code"], unique=False
    )
    op.create_table(
        "attendance_month",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=7), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("closed_at", _TIME, nullable=True),
        sa.Column("summary", _JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_month")),
    )
    op.create_index(op.f("ix_attendance_month_state"), "attendance_month", ["state"], unique=False)
    op.create_table(
        "attendance_punch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("punched_at", _TIME, nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_punch")),
        sa.UniqueConstraint(
            "person_id", "punched_at", "device", name=op.f("uq_attendance_punch_person_id_punched_at_device")
        ),
    )
    op.create_index("ix_attendance_punch_time", "attendance_punch", ["punched_at"], unique=False)
    op.create_table(
        "attendance_request",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("leave_type", sa.String(length=20), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("punched_at", _TIME, nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("levels", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_request")),
    )
    op.create_index(
        op.f("ix_attendance_request_person_id"), "attendance_request", ["person_id"], unique=False
    )
    op.create_index(op.f("ix_attendance_request_state"), "attendance_request", ["state"], unique=False)
    op.create_table(
        "attendance_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_settings")),
    )
    op.create_table(
        "attendance_shift",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("spec", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_attendance_shift")),
    )
    op.create_table(
        "attendance_unenrolled_punch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("punched_at", _TIME, nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_unenrolled_punch")),
        sa.UniqueConstraint(
            "person_id",
            "punched_at",
            "device",
            name=op.f("uq_attendance_unenrolled_punch_person_id_punched_at_device"),
        ),
    )
    op.create_table(
        "attendance_shift_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_code", sa.String(length=32), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_code"],
            ["attendance_shift.code"],
            name=op.f("fk_attendance_shift_assignment_shift_code_attendance_shift"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_shift_assignment")),
    )


def downgrade() -> None:
    op.drop_table("attendance_shift_assignment")
    op.drop_table("attendance_unenrolled_punch")
    op.drop_table("attendance_shift")
    op.drop_table("attendance_settings")
    op.drop_index(op.f("ix_attendance_request_state"), table_name="attendance_request")
    op.drop_index(op.f("ix_attendance_request_person_id"), table_name="attendance_request")
    op.drop_table("attendance_request")
    op.drop_index("ix_attendance_punch_time", table_name="attendance_punch")
    op.drop_table("attendance_punch")
    op.drop_index(op.f("ix_attendance_month_state"), table_name="attendance_month")
    op.drop_table("attendance_month")
    op.drop_index(op.f("ix_attendance_enrolment_unit_code"), table_name="attendance_enrolment")
    op.drop_index(op.f("ix_attendance_enrolment_person_id"), table_name="attendance_enrolment")
    op.drop_table("attendance_enrolment")
    op.drop_table("attendance_daily_result")
