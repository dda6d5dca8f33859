"""SQLModel tables of the reference implementation."""

from ._tables import (
    AttendanceDailyResult,
    AttendanceEnrolment,
    AttendanceMonth,
    AttendancePunch,
    AttendanceRequest,
    AttendanceSettings,
    AttendanceShift,
    AttendanceShiftAssignment,
    AttendanceUnenrolledPunch,
)

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
