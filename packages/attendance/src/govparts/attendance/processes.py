"""The attendance part's processes (see :mod:`govparts.attendance._processes`)."""

from ._processes import BUSINESS_TRIP, LEAVE_REQUEST, MONTH_CLOSE, PROCESSES, PUNCH_CORRECTION

__all__ = ["BUSINESS_TRIP", "LEAVE_REQUEST", "MONTH_CLOSE", "PROCESSES", "PUNCH_CORRECTION"]
