"""govparts.attendance: working time, leave and monthly attendance for public bodies (考勤).

The published standard is the models (:class:`Shift`, :class:`Punch`, :class:`DailyResult`,
:class:`MonthSummary`, :class:`MonthClosed`…), the processes (leave, trips, punch corrections, month
close), the events and the :class:`AttendanceService` protocol; :class:`ReferenceService` is the
reference implementation on SQLModel tables. Pure rules need no database:

    >>> from datetime import date
    >>> from govparts.attendance import annual_leave_days
    >>> first = date(2005, 7, 1)
    >>> annual_leave_days(first, date(2025, 6, 30)), annual_leave_days(first, date(2025, 7, 1))
    (10, 15)
"""

from typing import TYPE_CHECKING, Any

from ._errors import MonthLocked as MonthLocked
from ._i18n import DOMAIN as DOMAIN
from ._models import CompensatoryRest as CompensatoryRest
from ._models import DailyResult as DailyResult
from ._models import DayStatus as DayStatus
from ._models import Enrolment as Enrolment
from ._models import LeaveBalance as LeaveBalance
from ._models import LeaveRequestIn as LeaveRequestIn
from ._models import MonthClosed as MonthClosed
from ._models import MonthSummary as MonthSummary
from ._models import OrgDayOverride as OrgDayOverride
from ._models import OrgSettings as OrgSettings
from ._models import OvertimeKind as OvertimeKind
from ._models import Period as Period
from ._models import Punch as Punch
from ._models import PunchCorrectionIn as PunchCorrectionIn
from ._models import PunchImport as PunchImport
from ._models import Request as Request
from ._models import Shift as Shift
from ._models import ShiftAssignment as ShiftAssignment
from ._models import Timetable as Timetable
from ._models import TripRequestIn as TripRequestIn
from ._models import UnitMonthSummary as UnitMonthSummary

if TYPE_CHECKING:
    from ._day_rules import DayEvaluation as DayEvaluation
    from ._day_rules import DayPlan as DayPlan
    from ._day_rules import decide_day as decide_day
    from ._day_rules import evaluate_day as evaluate_day
    from ._day_rules import plan_day as plan_day
    from ._leave_rules import LEAVE_TYPES as LEAVE_TYPES
    from ._leave_rules import LeaveRules as LeaveRules
    from ._leave_rules import LeaveTypeRule as LeaveTypeRule
    from ._leave_rules import annual_leave_cancelled as annual_leave_cancelled
    from ._leave_rules import annual_leave_days as annual_leave_days
    from ._leave_rules import count_leave_days as count_leave_days
    from ._leave_rules import leave_rules as leave_rules
    from ._leave_rules import leave_type_rule as leave_type_rule
    from ._leave_rules import maternity_leave_days as maternity_leave_days
    from ._leave_rules import service_years as service_years
    from ._overtime_rules import CompensatoryRestLedger as CompensatoryRestLedger
    from ._overtime_rules import RestCredit as RestCredit
    from ._overtime_rules import compensatory_rest_ledger as compensatory_rest_ledger
    from ._overtime_rules import credit_expires as credit_expires
    from ._overtime_rules import overtime_class as overtime_class

# The pure rules of the reference are loaded on first use: importing the published models (as a
# vendor does) does not load the reference's computation.
_LAZY = {
    "DayEvaluation": "._day_rules",
    "DayPlan": "._day_rules",
    "decide_day": "._day_rules",
    "evaluate_day": "._day_rules",
    "plan_day": "._day_rules",
    "LEAVE_TYPES": "._leave_rules",
    "LeaveRules": "._leave_rules",
    "LeaveTypeRule": "._leave_rules",
    "annual_leave_cancelled": "._leave_rules",
    "annual_leave_days": "._leave_rules",
    "count_leave_days": "._leave_rules",
    "leave_rules": "._leave_rules",
    "leave_type_rule": "._leave_rules",
    "maternity_leave_days": "._leave_rules",
    "service_years": "._leave_rules",
    "CompensatoryRestLedger": "._overtime_rules",
    "RestCredit": "._overtime_rules",
    "compensatory_rest_ledger": "._overtime_rules",
    "credit_expires": "._overtime_rules",
    "overtime_class": "._overtime_rules",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module, __name__), name)


__all__ = [
    # pure rules
    "annual_leave_cancelled",
    "annual_leave_days",
    "compensatory_rest_ledger",
    "count_leave_days",
    "credit_expires",
    "decide_day",
    "evaluate_day",
    "leave_rules",
    "leave_type_rule",
    "maternity_leave_days",
    "overtime_class",
    "plan_day",
    "service_years",
    "CompensatoryRestLedger",
    "DayEvaluation",
    "DayPlan",
    "LEAVE_TYPES",
    "LeaveRules",
    "LeaveTypeRule",
    "RestCredit",
    # published models
    "CompensatoryRest",
    "DailyResult",
    "DayStatus",
    "Enrolment",
    "LeaveBalance",
    "LeaveRequestIn",
    "MonthClosed",
    "MonthSummary",
    "OrgDayOverride",
    "OrgSettings",
    "OvertimeKind",
    "Period",
    "Punch",
    "PunchCorrectionIn",
    "PunchImport",
    "Request",
    "Shift",
    "ShiftAssignment",
    "Timetable",
    "TripRequestIn",
    "UnitMonthSummary",
    # errors and messages
    "DOMAIN",
    "MonthLocked",
]
