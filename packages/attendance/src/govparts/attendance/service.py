"""The ``AttendanceService`` protocol and the reference implementation."""

from ._service import AttendanceService, ReferenceService, reference_factory

__all__ = ["AttendanceService", "ReferenceService", "reference_factory"]
