"""SQLModel tables of the reference implementation (storage is not part of the standard).

Many organisations share one database: every row carries its organisation (``org``, the unified
social credit code of GB 32100-2015; an enrolment's is ``organization_credit_code``), and every key
and unique constraint starts with it, so a person is (org, person id) and a month is (org, month).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from govparts.core.db import JSON, UTCDateTime, metadata
from govparts.core.process import Stateful

__all__ = [
    "AttendanceCompensatoryRest",
    "AttendanceDailyResult",
    "AttendanceEnrolment",
    "AttendanceMonth",
    "AttendancePunch",
    "AttendanceRequest",
    "AttendanceSettings",
    "AttendanceShift",
    "AttendanceShiftAssignment",
    "AttendanceUnenrolledPunch",
]

assert metadata is SQLModel.metadata


class AttendanceSettings(SQLModel, table=True):
    """An organisation's settings (one row per organisation)."""

    __tablename__ = "attendance_settings"

    org: str = Field(primary_key=True, max_length=18)
    data: dict[str, Any] = Field(sa_type=JSON)


class AttendanceEnrolment(SQLModel, table=True):
    """A stretch of a person's enrolment in one unit; a transfer ends one row and starts another."""

    __tablename__ = "attendance_enrolment"
    __table_args__ = (
        sa.UniqueConstraint(
            "organization_credit_code",
            "person_id",
            "start_date",
            name="uq_attendance_enrolment_org_person_start",
        ),
        sa.Index("ix_attendance_enrolment_person", "organization_credit_code", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=64)
    person_name: str = Field(max_length=100)
    organization_credit_code: str = Field(max_length=18)
    unit_code: str = Field(max_length=64, index=True)
    unit_name: str = Field(max_length=100)
    first_employment_date: date
    start_date: date
    end_date: date | None = None


class AttendanceShift(SQLModel, table=True):
    """An organisation's shift definition, kept as its published JSON."""

    __tablename__ = "attendance_shift"

    org: str = Field(primary_key=True, max_length=18)
    code: str = Field(primary_key=True, max_length=32)
    spec: dict[str, Any] = Field(sa_type=JSON)


class AttendanceShiftAssignment(SQLModel, table=True):
    """A shift given to a unit or a person from a date."""

    __tablename__ = "attendance_shift_assignment"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["org", "shift_code"],
            ["attendance_shift.org", "attendance_shift.code"],
            name="fk_attendance_shift_assignment_shift",
        ),
        sa.Index("ix_attendance_shift_assignment_org", "org"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    shift_code: str = Field(max_length=32)
    unit_code: str | None = Field(default=None, max_length=64)
    person_id: str | None = Field(default=None, max_length=64)
    valid_from: date
    valid_to: date | None = None


class AttendancePunch(SQLModel, table=True):
    """A punch of an enrolled person; the unique key makes re-imports change nothing."""

    __tablename__ = "attendance_punch"
    __table_args__ = (
        sa.UniqueConstraint("org", "person_id", "punched_at", "device"),
        sa.Index("ix_attendance_punch_time", "punched_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    person_id: str = Field(max_length=64)
    punched_at: datetime = Field(sa_type=UTCDateTime)
    device: str = Field(default="", max_length=64)
    source: str = Field(default="device", max_length=16)


class AttendanceUnenrolledPunch(SQLModel, table=True):
    """A punch of a person not enrolled on that day: kept aside and reported."""

    __tablename__ = "attendance_unenrolled_punch"
    __table_args__ = (sa.UniqueConstraint("org", "person_id", "punched_at", "device"),)

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    person_id: str = Field(max_length=64)
    punched_at: datetime = Field(sa_type=UTCDateTime)
    device: str = Field(default="", max_length=64)


class AttendanceRequest(Stateful, table=True):
    """A leave, trip or punch-correction request governed by its process."""

    __tablename__ = "attendance_request"
    __table_args__ = (sa.Index("ix_attendance_request_person", "org", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    kind: str = Field(max_length=20)
    person_id: str = Field(max_length=64)
    leave_type: str | None = Field(default=None, max_length=20)
    start_date: date | None = None
    end_date: date | None = None
    days: int = 0
    punched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str = ""
    note: str = ""
    levels: int = 1


class AttendanceDailyResult(SQLModel, table=True):
    """The computed result of one person's day (recomputed whenever its inputs change)."""

    __tablename__ = "attendance_daily_result"

    org: str = Field(primary_key=True, max_length=18)
    person_id: str = Field(primary_key=True, max_length=64)
    day: date = Field(primary_key=True)
    unit_code: str = Field(max_length=64)
    day_kind: str = Field(max_length=20)
    due: bool
    status: str = Field(max_length=24)
    shift_code: str | None = Field(default=None, max_length=32)
    late_minutes: int = 0
    early_minutes: int = 0
    missing_punches: int = 0
    worked_minutes: int = 0
    absent_half_days: int = 0
    leave_type: str | None = Field(default=None, max_length=20)
    overtime_kind: str | None = Field(default=None, max_length=20)
    overtime_minutes: int = 0


class AttendanceCompensatoryRest(SQLModel, table=True):
    """A day's overtime credited as compensatory rest (调休假): its minutes and last day to take it."""

    __tablename__ = "attendance_compensatory_rest"

    org: str = Field(primary_key=True, max_length=18)
    person_id: str = Field(primary_key=True, max_length=64)
    worked: date = Field(primary_key=True)
    minutes: int
    overtime_kind: str = Field(max_length=20)
    expires: date
    granted_by: str = Field(max_length=64)
    granted_at: datetime = Field(sa_type=UTCDateTime)


class AttendanceMonth(Stateful, table=True):
    """An organisation's month of attendance: open, then closed (月结) with its summary.

    ``id`` is ``<org>/<YYYY-MM>`` (the process engine keys an entity by one column); the unique
    (org, year, month) makes the period per organisation.
    """

    __tablename__ = "attendance_month"
    __table_args__ = (sa.UniqueConstraint("org", "year", "month"),)

    id: str = Field(primary_key=True, max_length=32)
    org: str = Field(max_length=18)
    year: int
    month: int
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    summary: dict[str, Any] | None = Field(default=None, sa_type=JSON)


PUNCH: sa.Table = AttendancePunch.__table__  # type: ignore[attr-defined]
UNENROLLED: sa.Table = AttendanceUnenrolledPunch.__table__  # type: ignore[attr-defined]
RESULT: sa.Table = AttendanceDailyResult.__table__  # type: ignore[attr-defined]
ENROLMENT: sa.Table = AttendanceEnrolment.__table__  # type: ignore[attr-defined]
REQUEST: sa.Table = AttendanceRequest.__table__  # type: ignore[attr-defined]
ASSIGNMENT: sa.Table = AttendanceShiftAssignment.__table__  # type: ignore[attr-defined]
SHIFT: sa.Table = AttendanceShift.__table__  # type: ignore[attr-defined]
SETTINGS: sa.Table = AttendanceSettings.__table__  # type: ignore[attr-defined]
MONTH: sa.Table = AttendanceMonth.__table__  # type: ignore[attr-defined]
COMP_REST: sa.Table = AttendanceCompensatoryRest.__table__  # type: ignore[attr-defined]
