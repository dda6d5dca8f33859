"""attendance: every row scoped by organisation; keys, months and shifts per organisation

Revision ID: a77e0d000002
Revises: a77e0d000001
Create Date: 2026-12-07 17:00:00

Many organisations share one database (issue 14): ``org`` (the unified social credit code,
GB 32100-2015) joins every attendance table and every key that must include it: enrolments are
unique per (organisation, person, start), punches per (organisation, person, time, device), daily
results keyed by (organisation, person, day), shifts by (organisation, code), settings by
organisation, and a month (月结) is (organisation, year, month) with the id ``<org>/<YYYY-MM>``.

Backfill: before this revision a database kept attendance for one organisation, the one its
enrolments name. A row about a person takes the organisation of the person's enrolment; the rest
(settings, shifts, assignments, months, strays) take the database's one organisation. A database
whose enrolments name several organisations, or none while other attendance rows exist, cannot be
carried over unambiguously: those rows keep ``org = ''`` (reachable only by a deployment-wide system
actor) until the deployment assigns them (``UPDATE attendance_shift SET org = :code WHERE org = ''``
and so for each table).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a77e0d000002"
down_revision: str | Sequence[str] | None = "a77e0d000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORG = 18
_BY_PERSON = (
    "attendance_punch",
    "attendance_unenrolled_punch",
    "attendance_request",
    "attendance_daily_result",
)
_BY_ORG = ("attendance_settings", "attendance_shift", "attendance_shift_assignment", "attendance_month")


def _org() -> sa.Column[str]:
    return sa.Column("org", sa.String(length=_ORG), nullable=False, server_default="")


def _backfill() -> None:
    conn = op.get_bind()
    for table in _BY_PERSON:
        conn.execute(
            sa.text(
                f"UPDATE {table} SET org = COALESCE((SELECT MIN(e.organization_credit_code) "
                f"FROM attendance_enrolment e WHERE e.person_id = {table}.person_id), '')"
            )
        )
    orgs = [
        row[0]
        for row in conn.execute(sa.text("SELECT DISTINCT organization_credit_code FROM attendance_enrolment"))
    ]
    if len(orgs) != 1:
        return
    for table in (*_BY_PERSON, *_BY_ORG):
        conn.execute(sa.text(f"UPDATE {table} SET org = :org WHERE org = ''"), {"org": orgs[0]})
    conn.execute(sa.text("UPDATE attendance_month SET id = org || '/' || id WHERE org <> ''"))


def upgrade() -> None:
    with op.batch_alter_table("attendance_shift_assignment", schema=None) as batch:
        batch.drop_constraint(
            "fk_attendance_shift_assignment_shift_code_attendance_shift", type_="foreignkey"
        )
    for table in (*_BY_PERSON, *_BY_ORG):
        with op.batch_alter_table(table, schema=None) as batch:
            batch.add_column(_org())
    with op.batch_alter_table("attendance_month", schema=None) as batch:
        batch.alter_column("id", existing_type=sa.String(length=7), type_=sa.String(length=32))
    _backfill()

    with op.batch_alter_table("attendance_enrolment", schema=None) as batch:
        batch.drop_constraint("uq_attendance_enrolment_person_id_start_date", type_="unique")
        batch.drop_index("ix_attendance_enrolment_person_id")
        batch.create_unique_constraint(
            "uq_attendance_enrolment_org_person_start",
            ["organization_credit_code", "person_id", "start_date"],
        )
        batch.create_index("ix_attendance_enrolment_person", ["organization_credit_code", "person_id"])
    with op.batch_alter_table("attendance_settings", schema=None) as batch:
        batch.drop_constraint("pk_attendance_settings", type_="primary")
        batch.drop_column("id")
        batch.create_primary_key("pk_attendance_settings", ["org"])
    with op.batch_alter_table("attendance_shift", schema=None) as batch:
        batch.drop_constraint("pk_attendance_shift", type_="primary")
        batch.create_primary_key("pk_attendance_shift", ["org", "code"])
    with op.batch_alter_table("attendance_shift_assignment", schema=None) as batch:
        batch.create_foreign_key(
            "fk_attendance_shift_assignment_shift", "attendance_shift", ["org", "shift_code"], ["org", "code"]
        )
        batch.create_index("ix_attendance_shift_assignment_org", ["org"])
    with op.batch_alter_table("attendance_punch", schema=None) as batch:
        batch.drop_constraint("uq_attendance_punch_person_id_punched_at_device", type_="unique")
        batch.create_unique_constraint(
            "uq_attendance_punch_org_person_id_punched_at_device",
            ["org", "person_id", "punched_at", "device"],
        )
    with op.batch_alter_table("attendance_unenrolled_punch", schema=None) as batch:
        batch.drop_constraint("uq_attendance_unenrolled_punch_person_id_punched_at_device", type_="unique")
        batch.create_unique_constraint(
            "uq_attendance_unenrolled_punch_org_person_id_punched_at_device",
            ["org", "person_id", "punched_at", "device"],
        )
    with op.batch_alter_table("attendance_request", schema=None) as batch:
        batch.drop_index("ix_attendance_request_person_id")
        batch.create_index("ix_attendance_request_person", ["org", "person_id"])
    with op.batch_alter_table("attendance_daily_result", schema=None) as batch:
        batch.drop_constraint("pk_attendance_daily_result", type_="primary")
        batch.create_primary_key("pk_attendance_daily_result", ["org", "person_id", "day"])
    with op.batch_alter_table("attendance_month", schema=None) as batch:
        batch.create_unique_constraint("uq_attendance_month_org_year_month", ["org", "year", "month"])
    # The rows carried over are backfilled; new rows must name their organisation.
    for table in (*_BY_PERSON, *_BY_ORG):
        with op.batch_alter_table(table, schema=None) as batch:
            batch.alter_column("org", existing_type=sa.String(length=_ORG), server_default=None)


def downgrade() -> None:
    """Back to one organisation per database: refused when several organisations keep attendance here."""
    conn = op.get_bind()
    for table in ("attendance_settings", "attendance_enrolment"):
        column = "org" if table == "attendance_settings" else "organization_credit_code"
        if conn.execute(sa.text(f"SELECT COUNT(DISTINCT {column}) FROM {table}")).scalar_one() > 1:
            raise RuntimeError(
                f"{table}: several organisations keep attendance here; split the database first"
            )
    with op.batch_alter_table("attendance_month", schema=None) as batch:
        batch.drop_constraint("uq_attendance_month_org_year_month", type_="unique")
    conn.execute(sa.text("UPDATE attendance_month SET id = SUBSTR(id, LENGTH(id) - 6, 7)"))
    with op.batch_alter_table("attendance_month", schema=None) as batch:
        batch.alter_column("id", existing_type=sa.String(length=32), type_=sa.String(length=7))
    with op.batch_alter_table("attendance_daily_result", schema=None) as batch:
        batch.drop_constraint("pk_attendance_daily_result", type_="primary")
        batch.create_primary_key("pk_attendance_daily_result", ["person_id", "day"])
    with op.batch_alter_table("attendance_request", schema=None) as batch:
        batch.drop_index("ix_attendance_request_person")
        batch.create_index("ix_attendance_request_person_id", ["person_id"])
    with op.batch_alter_table("attendance_unenrolled_punch", schema=None) as batch:
        batch.drop_constraint(
            "uq_attendance_unenrolled_punch_org_person_id_punched_at_device", type_="unique"
        )
        batch.create_unique_constraint(
            "uq_attendance_unenrolled_punch_person_id_punched_at_device",
            ["person_id", "punched_at", "device"],
        )
    with op.batch_alter_table("attendance_punch", schema=None) as batch:
        batch.drop_constraint("uq_attendance_punch_org_person_id_punched_at_device", type_="unique")
        batch.create_unique_constraint(
            "uq_attendance_punch_person_id_punched_at_device", ["person_id", "punched_at", "device"]
        )
    with op.batch_alter_table("attendance_shift_assignment", schema=None) as batch:
        batch.drop_index("ix_attendance_shift_assignment_org")
        batch.drop_constraint("fk_attendance_shift_assignment_shift", type_="foreignkey")
    with op.batch_alter_table("attendance_shift", schema=None) as batch:
        batch.drop_constraint("pk_attendance_shift", type_="primary")
        batch.create_primary_key("pk_attendance_shift", ["code"])
    with op.batch_alter_table("attendance_shift_assignment", schema=None) as batch:
        batch.create_foreign_key(
            "fk_attendance_shift_assignment_shift_code_attendance_shift",
            "attendance_shift",
            ["shift_code"],
            ["code"],
        )
    with op.batch_alter_table("attendance_settings", schema=None) as batch:
        batch.add_column(sa.Column("id", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("attendance_settings", schema=None) as batch:
        batch.drop_constraint("pk_attendance_settings", type_="primary")
        batch.create_primary_key("pk_attendance_settings", ["id"])
        batch.alter_column("id", existing_type=sa.Integer(), server_default=None)
    with op.batch_alter_table("attendance_enrolment", schema=None) as batch:
        batch.drop_index("ix_attendance_enrolment_person")
        batch.drop_constraint("uq_attendance_enrolment_org_person_start", type_="unique")
        batch.create_unique_constraint(
            "uq_attendance_enrolment_person_id_start_date", ["person_id", "start_date"]
        )
        batch.create_index("ix_attendance_enrolment_person_id", ["person_id"])
    for table in (
        "attendance_settings",
        *_BY_PERSON,
        "attendance_shift",
        "attendance_shift_assignment",
        "attendance_month",
    ):
        with op.batch_alter_table(table, schema=None) as batch:
            batch.drop_column("org")
