"""attendance: overtime classes of Labour Law Art. 44 and compensatory rest credits

Revision ID: a77e0d000003
Revises: a77e0d000002
Create Date: 2026-12-14 10:00:00

Overtime on a day off was stored as ``holiday`` for every day of a holiday block; it is now
``statutory_holiday`` on the statutory days only (《全国年节及纪念日放假办法》 Art. 2) and
``rest_day`` on the moved rest days (调休), so ``overtime_kind`` widens to 20 characters and the
stored ``holiday`` rows are reclassified from core's calendar for the organisation's region (a
regional festival's weekday off becomes ``statutory_holiday``, the default of
``regional_festival_overtime``; a day the organisation closed itself becomes ``rest_day``). Results
of open months are recomputed when next read anyway; closed months keep their published summary.

``attendance_compensatory_rest`` keeps the overtime credited as time off (调休假).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "a77e0d000003"
down_revision: str | Sequence[str] | None = "a77e0d000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_TIME = sa.DateTime(timezone=True)


def _settings(conn: sa.Connection) -> dict[str, tuple[str | None, set[date]]]:
    """Each organisation's region and the days it closed itself."""
    found: dict[str, tuple[str | None, set[date]]] = {}
    for org, data in conn.execute(sa.text("SELECT org, data FROM attendance_settings")):
        value: dict[str, Any] = json.loads(data) if isinstance(data, str) else dict(data or {})
        closed = {
            date.fromisoformat(o["date"])
            for o in value.get("calendar_overrides", ())
            if o.get("kind") == "rest_day"
        }
        found[org] = (value.get("region"), closed)
    return found


def _reclassify(conn: sa.Connection) -> None:
    from govparts.core.calendar import DayKind, calendar_for
    from govparts.core.errors import CalendarUnavailable

    rows = conn.execute(
        sa.text("SELECT org, person_id, day FROM attendance_daily_result WHERE overtime_kind = 'holiday'")
    ).all()
    if not rows:
        return
    settings = _settings(conn)
    update = sa.text(
        "UPDATE attendance_daily_result SET overtime_kind = :kind "
        "WHERE org = :org AND person_id = :person_id AND day = :day"
    )
    for org, person_id, day in rows:
        when = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
        region, closed = settings.get(org, (None, set()))
        kind = "rest_day"
        if when not in closed:
            try:
                info = calendar_for(region).day(when)
            except CalendarUnavailable:
                info = None
            if info is not None and (
                info.statutory
                or (info.kind is DayKind.HOLIDAY and info.level == "region" and when.weekday() < 5)
            ):
                kind = "statutory_holiday"
        conn.execute(update, {"kind": kind, "org": org, "person_id": person_id, "day": day})


def upgrade() -> None:
    op.create_table(
        "attendance_compensatory_rest",
        sa.Column("org", sa.String(length=18), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("worked", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("overtime_kind", sa.String(length=20), nullable=False),
        sa.Column("expires", sa.Date(), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("granted_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("org", "person_id", "worked", name=op.f("pk_attendance_compensatory_rest")),
    )
    with op.batch_alter_table("attendance_daily_result", schema=None) as batch:
        batch.alter_column(
            "overtime_kind",
            existing_type=sa.String(length=12),
            type_=sa.String(length=20),
            existing_nullable=True,
        )
    _reclassify(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE attendance_daily_result SET overtime_kind = 'holiday' "
            "WHERE overtime_kind = 'statutory_holiday' "
            "OR (overtime_kind = 'rest_day' AND day_kind = 'holiday')"
        )
    )
    with op.batch_alter_table("attendance_daily_result", schema=None) as batch:
        batch.alter_column(
            "overtime_kind",
            existing_type=sa.String(length=20),
            type_=sa.String(length=12),
            existing_nullable=True,
        )
    op.drop_table("attendance_compensatory_rest")
