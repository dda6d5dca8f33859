"""The ``AttendanceService`` protocol and the reference implementation.

The protocol is light (no database code); the reference implementation and its helpers are loaded
on first use, so ``from govparts.attendance.service import AttendanceService`` does not pull in
SQLModel or the reference tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._protocol import AttendanceService

if TYPE_CHECKING:
    from ._service import ReferenceService, org_calendar, reference_factory

__all__ = ["AttendanceService", "ReferenceService", "org_calendar", "reference_factory"]

_REFERENCE = ("ReferenceService", "org_calendar", "reference_factory")


def __getattr__(name: str) -> Any:
    if name in _REFERENCE:
        from . import _service

        return getattr(_service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
