"""SQLModel tables of the reference implementation (storage is not part of the standard)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from govparts.core.db import JSON, UTCDateTime, metadata
from govparts.core.process import Stateful

__all__ = [
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
    """The organisation's settings (one row)."""

    __tablename__ = "attendance_settings"

    id: int = Field(default=1, primary_key=True)
    data: dict[str, Any] = Field(sa_type=JSON)


class AttendanceEnrolment(SQLModel, table=True):
    """A stretch of a person's enrolment in one unit; a transfer ends one row and starts another."""

    __tablename__ = "attendance_enrolment"
    __table_args__ = (sa.UniqueConstraint("person_id", "start_date"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=64, index=True)
    person_name: str = Field(max_length=100)
    organization_credit_code: str = Field(max_length=18)
    unit_code: str = Field(max_length=64, index=True)
    unit_name: str = Field(max_length=100)
    first_employment_date: date
    start_date: date
    end_date: date | None = None


class AttendanceShift(SQLModel, table=True):
    """A shift definition, kept as its published JSON."""

    __tablename__ = "attendance_shift"

    code: str = Field(primary_key=True, max_length=32)
    spec: dict[str, Any] = Field(sa_type=JSON)


class AttendanceShiftAssignment(SQLModel, table=True):
    """A shift given to a unit or a person from a date."""

    __tablename__ = "attendance_shift_assignment"

    id: int | None = Field(default=None, primary_key=True)
    shift_code: str = Field(max_length=32, foreign_key="attendance_shift.code")
    unit_code: str | None = Field(default=None, max_length=64)
    person_id: str | None = Field(default=None, max_length=64)
    valid_from: date
    valid_to: date | None = None


class AttendancePunch(SQLModel, table=True):
    """A punch of an enrolled person; the unique key makes re-imports change nothing."""

    __tablename__ = "attendance_punch"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "punched_at", "device"),
        sa.Index("ix_attendance_punch_time", "punched_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=64)
    punched_at: datetime = Field(sa_type=UTCDateTime)
    device: str = Field(default="", max_length=64)
    source: str = Field(default="device", max_length=16)


class AttendanceUnenrolledPunch(SQLModel, table=True):
    """A punch of a person not enrolled on that day: kept aside and reported."""

    __tablename__ = "attendance_unenrolled_punch"
    __table_args__ = (sa.UniqueConstraint("person_id", "punched_at", "device"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=64)
    punched_at: datetime = Field(sa_type=UTCDateTime)
    device: str = Field(default="", max_length=64)


class AttendanceRequest(Stateful, table=True):
    """A leave, trip or punch-correction request governed by its process."""

    __tablename__ = "attendance_request"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    person_id: str = Field(max_length=64, index=True)
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
    overtime_kind: str | None = Field(default=None, max_length=12)
    overtime_minutes: int = 0


class AttendanceMonth(Stateful, table=True):
    """A month of attendance: open, then closed (月结) with its summary."""

    __tablename__ = "attendance_month"

    id: str = Field(primary_key=True, max_length=7)
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
