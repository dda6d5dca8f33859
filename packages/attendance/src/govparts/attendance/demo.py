"""A month of attendance in a Xinjiang office, April 2023, through the reference service.

The month holds the three kinds of day the part exists for: 清明节 on 5 April (a national
statutory holiday), 肉孜节 on 21 April (a Xinjiang regional holiday) and Sunday 23 April, worked
for 劳动节 (a make-up workday, 调休). The office keeps Beijing time with later, split hours (winter
timetable until 30 April: 10:00–14:00 and 15:30–19:30). Three invented people: one punctual, one
late twice and on annual leave for two days, one on a business trip to Kashgar who forgets a punch
and has it corrected. The month is then closed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

from ._models import (
    Enrolment,
    LeaveRequestIn,
    OrgSettings,
    Period,
    Punch,
    PunchCorrectionIn,
    Shift,
    ShiftAssignment,
    Timetable,
    TripRequestIn,
)
from ._service import ReferenceService

__all__ = ["demo"]

BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk"}))
CHIEF = Actor(id="L001", name="办公室主任", roles=frozenset({"approver"}))
XINJIANG_HOURS = Shift(
    code="XJ-OFFICE",
    name="自治区机关作息",
    kind="split",
    timetables=(
        Timetable(
            starts_on="05-01",
            periods=(Period(start=time(10), end=time(14)), Period(start=time(16), end=time(20))),
        ),
        Timetable(
            starts_on="10-01",
            periods=(Period(start=time(10), end=time(14)), Period(start=time(15, 30), end=time(19, 30))),
        ),
    ),
    grace_late_minutes=5,
    grace_early_minutes=5,
    half_day_minutes=240,
)
PEOPLE = (
    ("E001", "阿依古丽·买买提", date(2008, 7, 1)),
    ("E002", "王建国", date(2016, 9, 1)),
    ("E003", "努尔艾力·吐尔逊", date(2021, 8, 15)),
)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, BJ)


def demo(engine: Engine) -> dict[str, Any]:
    """Run the April 2023 scenario on ``engine`` (tables created) and return the checked figures."""
    service = ReferenceService(engine, OrgSettings(region="650000"))
    service.define_shift(XINJIANG_HOURS)
    unit = OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室")
    service.assign_shift(
        ShiftAssignment(shift_code="XJ-OFFICE", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    for person_id, name, first in PEOPLE:
        service.enrol(
            Enrolment(
                person=PersonRef(person_id=person_id, organization_credit_code=ORG, name=name),
                unit=unit,
                first_employment_date=first,
                start_date=date(2023, 1, 1),
            )
        )
    workdays = service.calendar().workdays_in_month(2023, 4)
    regular = (time(9, 56), time(14, 2), time(15, 27), time(19, 33))
    punches: list[Punch] = []
    for day in workdays:
        for person_id, _, _ in PEOPLE:
            times = list(regular)
            if person_id == "E002" and day in (date(2023, 4, 3), date(2023, 4, 23)):
                times[0] = time(10, 17)
            if person_id == "E002" and day in (date(2023, 4, 13), date(2023, 4, 14)):
                continue
            if person_id == "E003" and date(2023, 4, 10) <= day <= date(2023, 4, 12):
                continue
            if person_id == "E003" and day == date(2023, 4, 18):
                times.pop(2)
            punches += [Punch(person_id=person_id, punched_at=_at(day, t), device="GATE-1") for t in times]
    imported = service.record_punches(punches)
    again = service.record_punches(punches)
    leave = service.request_leave(
        LeaveRequestIn(
            person_id="E002", leave_type="annual", start_date=date(2023, 4, 13), end_date=date(2023, 4, 14)
        ),
        CLERK,
    )
    service.approve(leave.id, CHIEF)
    trip = service.request_trip(
        TripRequestIn(
            person_id="E003", start_date=date(2023, 4, 10), end_date=date(2023, 4, 12), destination="喀什"
        ),
        CLERK,
    )
    service.approve(trip.id, CHIEF)
    fix = service.request_correction(
        PunchCorrectionIn(
            person_id="E003", punched_at=_at(date(2023, 4, 18), time(15, 28)), reason="门禁故障"
        ),
        CLERK,
    )
    service.approve(fix.id, CHIEF)
    day_kinds = {
        d.isoformat(): r.day_kind
        for d, r in ((r.day, r) for r in service.daily_results("E001", date(2023, 4, 1), date(2023, 4, 30)))
        if r.day_kind not in {"workday", "rest_day"}
    }
    closed = service.close_month(2023, 4, CLERK)
    by_person = {s.person_id: s for s in closed.summaries}
    return {
        "month": "2023-04",
        "region": "650000",
        "workdays": len(workdays),
        "special_days": day_kinds,
        "punches_stored": imported.stored,
        "punches_on_reimport": again.stored,
        "annual_leave_entitled_E002": service.leave_balance("E002", 2023).entitled,
        "summaries": {
            pid: {
                "days_due": s.days_due,
                "days_present": str(s.days_present),
                "late_count": s.late_count,
                "late_minutes": s.late_minutes,
                "leave_days": s.leave_days,
                "business_trip_days": s.business_trip_days,
                "missing_punches": s.missing_punches,
            }
            for pid, s in sorted(by_person.items())
        },
        "month_closed": service.is_month_closed(2023, 4),
    }
