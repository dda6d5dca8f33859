"""Events the attendance part emits, and its tolerant readers of the personnel events it consumes.

Emitted: ``cn.govparts.attendance.month.closed.v1`` (payload :class:`~govparts.attendance.MonthClosed`)
and ``cn.govparts.attendance.leave_request.approved.v1`` (a transition payload).

Consumed, never by importing the personnel part: ``cn.govparts.personnel.employee.hired.v1``,
``.separated.v1`` and ``.transferred.v1``, read through the models below, which name only the
fields attendance uses and ignore the rest.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from govparts.core import events
from govparts.core.process import TransitionPayload
from govparts.core.refs import OrgUnitRef, PersonRef

from ._models import MonthClosed

__all__ = [
    "EMPLOYEE_HIRED",
    "EMPLOYEE_SEPARATED",
    "EMPLOYEE_TRANSFERRED",
    "EVENT_TYPES",
    "HiredAsRead",
    "LEAVE_APPROVED",
    "MONTH_CLOSED",
    "SeparatedAsRead",
    "TransferredAsRead",
]

EMPLOYEE_HIRED = "cn.govparts.personnel.employee.hired.v1"
EMPLOYEE_SEPARATED = "cn.govparts.personnel.employee.separated.v1"
EMPLOYEE_TRANSFERRED = "cn.govparts.personnel.employee.transferred.v1"

_TOLERANT = ConfigDict(frozen=True, extra="ignore")


class HiredAsRead(BaseModel):
    """``employee.hired`` as attendance reads it: who, where, from when, first employed when."""

    model_config = _TOLERANT

    person: PersonRef
    unit: OrgUnitRef
    effective_date: date
    first_employment_date: date


class SeparatedAsRead(BaseModel):
    """``employee.separated`` as attendance reads it: the last day is the day before ``effective_date``."""

    model_config = _TOLERANT

    person: PersonRef
    effective_date: date


class TransferredAsRead(BaseModel):
    """``employee.transferred`` as attendance reads it: the new unit from ``effective_date``."""

    model_config = _TOLERANT

    person: PersonRef
    to_unit: OrgUnitRef
    effective_date: date


MONTH_CLOSED = events.EventType(
    "cn.govparts.attendance.month.closed.v1",
    MonthClosed,
    {
        "zh_Hans_CN": "考勤月份已结账",
        "en": "An attendance month was closed",
        "ug_CN": "ئايلىق ئىشقا كېلىش يېپىلدى",
    },
)
LEAVE_APPROVED = events.EventType(
    "cn.govparts.attendance.leave_request.approved.v1",
    TransitionPayload,
    {
        "zh_Hans_CN": "请假已批准",
        "en": "A leave request was approved",
        "ug_CN": "رۇخسەت ئىلتىماسى تەستىقلاندى",
    },
)
EVENT_TYPES = [MONTH_CLOSED, LEAVE_APPROVED]
events.register(*EVENT_TYPES)
