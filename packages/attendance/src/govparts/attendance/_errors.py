"""Errors of the attendance part that callers catch on their own.

::

    GovPartsError
    └── ProcessError
        └── MonthLocked   a change reaching into a closed month
"""

from __future__ import annotations

from govparts.core.errors import ProcessError
from govparts.core.i18n import N_

from ._i18n import DOMAIN

__all__ = ["MonthLocked"]


class MonthLocked(ProcessError):
    """The month a change falls in is closed (月结): attendance data of a closed month is final."""

    code = "attendance-month-locked"
    default_message = N_("{field}: {month} is closed; attendance of a closed month cannot change")
    domain = DOMAIN
