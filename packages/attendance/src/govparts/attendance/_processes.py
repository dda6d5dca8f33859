"""The attendance part's business processes as data (``ProcessSpec``).

Leave, business trips (出差/公出) and punch corrections (补卡) share one shape: an employee submits,
an approver approves (in two levels where the organisation says so: the first approval moves the
request to ``first_approved``, the final one to ``approved``), or rejects; the employee or an
approver cancels. The approver must not be the person who submitted. A month is closed (月结) once,
which emits ``cn.govparts.attendance.month.closed.v1`` with the month's summary.
"""

from __future__ import annotations

from typing import Any

from govparts.core.process import ProcessSpec

from .events import LEAVE_APPROVED, MONTH_CLOSED

__all__ = ["BUSINESS_TRIP", "LEAVE_REQUEST", "MONTH_CLOSE", "PROCESSES", "PUNCH_CORRECTION"]


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


_ROLES = [
    {"id": "employee", "label": _t("申请人", "Employee", "ئىلتىماس قىلغۇچى")},
    {"id": "approver", "label": _t("审批人", "Approver", "تەستىقلىغۇچى")},
    {"id": "attendance_clerk", "label": _t("考勤员", "Attendance clerk", "ئىشقا كېلىش خادىمى")},
]
_GUARDS = [
    {
        "id": "final_level",
        "description": _t(
            "两级审批时须先经一级审批",
            "With two-level approval the first level approves first",
            "ئىككى دەرىجىلىك تەستىقتا ئالدى بىلەن بىرىنچى دەرىجە تەستىقلايدۇ",
        ),
    },
    {
        "id": "two_levels",
        "description": _t(
            "仅两级审批时有一级审批",
            "A first-level approval exists only with two-level approval",
            "بىرىنچى دەرىجە تەستىق پەقەت ئىككى دەرىجىلىك تەستىقتىلا بار",
        ),
    },
]
_STATES = [
    {"id": "draft", "label": _t("草稿", "Draft", "لايىھە")},
    {"id": "submitted", "label": _t("待审批", "Submitted", "سۇنۇلدى")},
    {"id": "first_approved", "label": _t("一级已批", "First level approved", "بىرىنچى دەرىجىدە تەستىقلاندى")},
    {"id": "approved", "label": _t("已批准", "Approved", "تەستىقلاندى")},
    {"id": "rejected", "label": _t("已驳回", "Rejected", "رەت قىلىندى"), "terminal": True},
    {"id": "cancelled", "label": _t("已撤销", "Cancelled", "بىكار قىلىندى"), "terminal": True},
]


def _request_spec(
    process_id: str, entity: str, title: dict[str, str], approved_event: str | None
) -> ProcessSpec:
    approve: dict[str, Any] = {
        "name": "approve",
        "label": _t("批准", "Approve", "تەستىقلاش"),
        "source": ["submitted", "first_approved"],
        "target": "approved",
        "roles": ["approver"],
        "guards": ["final_level"],
        "separation_of_duties": {"differs_from": ["submit", "approve_first"]},
    }
    if approved_event is not None:
        approve["event"] = approved_event
    return ProcessSpec(
        id=process_id,
        version="1.0",
        title=title,
        entity=entity,
        roles=_ROLES,
        guards=_GUARDS,
        states=_STATES,
        initial="draft",
        transitions=[
            {
                "name": "submit",
                "label": _t("提交申请", "Submit", "ئىلتىماس سۇنۇش"),
                "source": ["draft"],
                "target": "submitted",
                "roles": ["employee", "attendance_clerk"],
            },
            {
                "name": "approve_first",
                "label": _t("一级审批通过", "Approve at the first level", "بىرىنچى دەرىجىدە تەستىقلاش"),
                "source": ["submitted"],
                "target": "first_approved",
                "roles": ["approver"],
                "guards": ["two_levels"],
                "separation_of_duties": {"differs_from": ["submit"]},
            },
            approve,
            {
                "name": "reject",
                "label": _t("驳回", "Reject", "رەت قىلىش"),
                "source": ["submitted", "first_approved"],
                "target": "rejected",
                "roles": ["approver"],
                "optional_inputs": ["note"],
            },
            {
                "name": "cancel",
                "label": _t("撤销", "Cancel", "بىكار قىلىش"),
                "source": ["submitted", "first_approved", "approved"],
                "target": "cancelled",
                "roles": ["employee", "approver", "attendance_clerk"],
            },
        ],
    )


LEAVE_REQUEST = _request_spec(
    "attendance.leave_request",
    "leave_request",
    _t("请假", "Leave request", "رۇخسەت ئىلتىماسى"),
    LEAVE_APPROVED.type,
)
BUSINESS_TRIP = _request_spec(
    "attendance.business_trip",
    "business_trip",
    _t("出差与公出", "Business trip or outing", "سەپەر ۋە ئىش بىلەن چىقىش"),
    None,
)
PUNCH_CORRECTION = _request_spec(
    "attendance.punch_correction",
    "punch_correction",
    _t("补卡", "Punch correction", "ئىمزانى تولۇقلاش"),
    None,
)
MONTH_CLOSE = ProcessSpec(
    id="attendance.month_close",
    version="1.0",
    title=_t("考勤月结", "Closing an attendance month", "ئايلىق ئىشقا كېلىشنى ياپىش"),
    entity="attendance_month",
    roles=[_ROLES[2]],
    states=[
        {"id": "open", "label": _t("未结", "Open", "ئوچۇق")},
        {"id": "closed", "label": _t("已结", "Closed", "يېپىلدى"), "terminal": True},
    ],
    initial="open",
    transitions=[
        {
            "name": "close",
            "label": _t("月结", "Close the month", "ئاينى يېپىش"),
            "source": ["open"],
            "target": "closed",
            "roles": ["attendance_clerk"],
            "event": MONTH_CLOSED.type,
        }
    ],
)
PROCESSES = [LEAVE_REQUEST, BUSINESS_TRIP, PUNCH_CORRECTION, MONTH_CLOSE]
