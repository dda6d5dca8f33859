"""The ``AttendanceService`` protocol and the reference implementation."""

from ._service import AttendanceService, ReferenceService, org_calendar, reference_factory

__all__ = ["AttendanceService", "ReferenceService", "org_calendar", "reference_factory"]
