"""The organisation's own calendar days (issue 5): nation + Xinjiang overlay + organisation overrides.

April 2023 in Xinjiang: 清明节 on Wednesday 5 April, 肉孜节 on Friday 21 April, Sunday 23 April worked
for 劳动节; 19 workdays. The organisation closes Monday 3 April and Tuesday 11 April (停电检修) and
works Saturday 8 April (集中办公), each by its own notice.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from govparts.attendance import (
    DayStatus,
    Enrolment,
    LeaveRequestIn,
    MonthLocked,
    OrgDayOverride,
    OrgSettings,
    OvertimeKind,
    Period,
    Punch,
    Shift,
    ShiftAssignment,
    Timetable,
    TripRequestIn,
)
from govparts.attendance.service import ReferenceService, org_calendar
from govparts.attendance.tables import AttendanceDailyResult, AttendanceSettings
from govparts.core.calendar import DayKind, calendar_for
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
XJ = "650000"
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk"}), org=ORG)
BOSS = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=ORG)
DAY = Shift(
    code="DAY",
    name="常日班",
    timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),),
    overtime_after_minutes=30,
)
CLOSED_3RD = OrgDayOverride(
    date=date(2023, 4, 3),
    kind="rest_day",
    name="停电检修",
    name_en="power maintenance",
    name_ug="توك رېمونتى",
    source_doc="单位通知〔2023〕1号",
)
WORKED_8TH = OrgDayOverride(
    date=date(2023, 4, 8), kind="workday", name="集中办公", source_doc="单位通知〔2023〕2号"
)
CLOSED_11TH = OrgDayOverride(
    date=date(2023, 4, 11), kind="rest_day", name="停电检修", source_doc="单位通知〔2023〕1号"
)
OWN = OrgSettings(region=XJ, calendar_overrides=(CLOSED_3RD, WORKED_8TH, CLOSED_11TH))


def _setup(service: ReferenceService, settings: OrgSettings = OWN) -> None:
    service.configure(CLERK, ORG, settings)
    service.define_shift(CLERK, ORG, DAY)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=ORG, name="阿依古丽·买买提"),
            unit=OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2023, 1, 1),
        ),
    )


def _leave(service: ReferenceService, leave_type: str, start: date, end: date) -> str:
    request = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(person_id="E001", leave_type=leave_type, start_date=start, end_date=end),
    )
    return request.id


def test_org_calendar_stacks_the_three_levels() -> None:
    """Answers the organisation's days at level org with their document, the rest from region and nation."""
    cal = org_calendar(OWN)
    closed = cal.day(date(2023, 4, 3))
    assert (closed.kind, closed.level, closed.source_doc) == (DayKind.REST_DAY, "org", "单位通知〔2023〕1号")
    assert closed.name is not None
    assert (closed.name.label("zh"), closed.name.label("en"), closed.name.label("ug")) == (
        "停电检修",
        "power maintenance",
        "توك رېمونتى",
    )
    worked = cal.day(date(2023, 4, 8))
    assert (worked.kind, worked.level) == (DayKind.MAKEUP_WORKDAY, "org")
    assert worked.name is not None
    assert worked.name.label("en") == "集中办公"  # falls back to the Chinese name
    assert cal.kind(date(2023, 4, 21)) is DayKind.HOLIDAY  # 肉孜节 from the regional overlay
    assert cal.kind(date(2023, 4, 5)) is DayKind.HOLIDAY  # 清明节 from the national notice
    assert len(cal.workdays_in_month(2023, 4)) == 18
    assert org_calendar(OrgSettings(region=XJ)) is calendar_for(XJ)
    assert org_calendar(OWN) is cal


def test_overrides_are_checked_naming_the_field() -> None:
    """Refuses two overrides of one day, an empty document, and an unknown kind, naming the field."""
    with pytest.raises(ValidationError) as twice:
        OrgSettings(calendar_overrides=(CLOSED_3RD, CLOSED_3RD.model_copy(update={"kind": "workday"})))
    assert twice.value.errors()[0]["loc"] == ("calendar_overrides",)
    assert "2023-04-03" in str(twice.value)
    with pytest.raises(ValidationError) as blank:
        OrgDayOverride(date=date(2023, 4, 3), kind="rest_day", name="停电检修", source_doc="  ")
    assert blank.value.errors()[0]["loc"] == ("source_doc",)
    with pytest.raises(ValidationError) as kind:
        OrgDayOverride.model_validate(
            {"date": "2023-04-03", "kind": "holiday", "name": "停电检修", "source_doc": "单位通知〔2023〕1号"}
        )
    assert kind.value.errors()[0]["loc"] == ("kind",)


def test_settings_keep_the_overrides_in_date_order_and_round_trip() -> None:
    """Sorts the overrides by date and reads back the same settings from their JSON."""
    shuffled = OrgSettings(region=XJ, calendar_overrides=(CLOSED_11TH, CLOSED_3RD, WORKED_8TH))
    assert shuffled == OWN
    assert OrgSettings.model_validate_json(OWN.model_dump_json()) == OWN


def test_daily_results_follow_the_organisations_days(service: ReferenceService) -> None:
    """Shows the closures as rest days, the worked Saturday as due, and 18 days due in April."""
    _setup(service)
    results = {
        r.day: r for r in service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))
    }
    assert (results[date(2023, 4, 3)].status, results[date(2023, 4, 3)].due) == (DayStatus.REST_DAY, False)
    assert (results[date(2023, 4, 8)].day_kind, results[date(2023, 4, 8)].status) == (
        "makeup_workday",
        DayStatus.ABSENT,
    )
    assert results[date(2023, 4, 21)].status is DayStatus.HOLIDAY
    assert sum(r.due for r in results.values()) == 18
    assert service.month_summary(CLERK, ORG, "E001", 2023, 4).days_due == 18
    assert service.unit_summary(CLERK, ORG, "BGS", 2023, 4).days_due == 18


def test_work_on_a_closure_is_rest_day_overtime(service: ReferenceService) -> None:
    """Counts eight hours worked on the closed Monday as rest-day overtime (Labour Law Art. 44)."""
    _setup(service)
    service.record_punches(
        CLERK,
        ORG,
        [
            Punch(person_id="E001", punched_at=datetime(2023, 4, 3, 9, tzinfo=BJ)),
            Punch(person_id="E001", punched_at=datetime(2023, 4, 3, 17, tzinfo=BJ)),
        ],
    )
    (day,) = service.daily_results(CLERK, ORG, "E001", date(2023, 4, 3), date(2023, 4, 3))
    assert (day.status, day.overtime_kind, day.overtime_minutes) == (
        DayStatus.REST_DAY,
        OvertimeKind.REST_DAY,
        480,
    )


def test_leave_counts_the_organisations_workdays(service: ReferenceService) -> None:
    """Counts annual leave 3-7 April as 3 days (3 April closed, 5 April 清明节) and 8 April as one day."""
    _setup(service)
    week = _leave(service, "annual", date(2023, 4, 3), date(2023, 4, 7))
    saturday = _leave(service, "personal", date(2023, 4, 8), date(2023, 4, 8))
    assert (
        service.get_request(CLERK, ORG, week).days,
        service.get_request(CLERK, ORG, saturday).days,
    ) == (3, 1)
    service.approve(BOSS, ORG, week)
    assert service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual").taken == 3


def test_changing_the_overrides_recomputes_days_and_leave(service: ReferenceService) -> None:
    """Recomputes results, leave days and the balance of the changed days only, with no sync step."""
    _setup(service, OrgSettings(region=XJ))
    service.record_punches(
        CLERK,
        ORG,
        [
            Punch(person_id="E001", punched_at=datetime(2023, 4, 4, 9, tzinfo=BJ)),
            Punch(person_id="E001", punched_at=datetime(2023, 4, 4, 18, tzinfo=BJ)),
        ],
    )
    approved = _leave(service, "annual", date(2023, 4, 10), date(2023, 4, 12))
    service.approve(BOSS, ORG, approved)
    trip = service.request_trip(
        CLERK,
        ORG,
        TripRequestIn(person_id="E001", start_date=date(2023, 4, 3), end_date=date(2023, 4, 4)),
    )
    before = {
        r.day: r for r in service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))
    }
    assert before[date(2023, 4, 8)].status is DayStatus.REST_DAY
    assert service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual").taken == 3
    assert trip.days == 2

    service.configure(CLERK, ORG, OWN)
    after = {r.day: r for r in service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))}
    assert (after[date(2023, 4, 3)].status, after[date(2023, 4, 3)].due) == (DayStatus.REST_DAY, False)
    assert after[date(2023, 4, 8)].status is DayStatus.ABSENT
    assert after[date(2023, 4, 11)].status is DayStatus.REST_DAY
    assert after[date(2023, 4, 10)].status is DayStatus.LEAVE
    assert after[date(2023, 4, 4)] == before[date(2023, 4, 4)]
    assert service.get_request(CLERK, ORG, approved).days == 2
    assert service.get_request(CLERK, ORG, trip.id).days == 1
    assert service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual").taken == 2
    summary = service.month_summary(CLERK, ORG, "E001", 2023, 4)
    assert (summary.days_due, summary.leave_days) == (18, {"annual": 2})

    service.configure(CLERK, ORG, OrgSettings(region=XJ, calendar_overrides=(WORKED_8TH,)))
    assert service.daily_results(CLERK, ORG, "E001", date(2023, 4, 3), date(2023, 4, 3))[0].due is True
    assert service.get_request(CLERK, ORG, approved).days == 3
    summary = service.month_summary(CLERK, ORG, "E001", 2023, 4)
    # 19 days + the worked Saturday; present on 4 April, 10-12 April on leave, the trip still pending
    assert (summary.days_due, summary.days_present, summary.absent_days) == (20, Decimal(1), Decimal(16))


def test_only_the_changed_days_are_dropped(engine: Engine, service: ReferenceService) -> None:
    """Keeps the stored results of days the new overrides leave alone."""
    _setup(service, OrgSettings(region=XJ))
    service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))
    result = AttendanceDailyResult.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(result)).scalar_one()
    assert stored == 30
    service.configure(CLERK, ORG, OrgSettings(region=XJ, calendar_overrides=(CLOSED_3RD,)))
    with engine.connect() as conn:
        left = {r.day for r in conn.execute(sa.select(result.c.day))}
    assert len(left) == 29
    assert date(2023, 4, 3) not in left


def test_overrides_reaching_a_closed_month_are_refused(engine: Engine, service: ReferenceService) -> None:
    """Refuses an override in a closed month with MonthLocked naming calendar_overrides, writing nothing."""
    _setup(service, OrgSettings(region=XJ))
    service.close_month(CLERK, ORG, 2023, 4)
    with pytest.raises(MonthLocked) as caught:
        service.configure(CLERK, ORG, OWN)
    assert caught.value.field == "calendar_overrides"
    assert "2023-04" in caught.value.message("ug_CN")
    assert ReferenceService(engine).settings(ORG) == OrgSettings(region=XJ)
    with engine.connect() as conn:
        table = AttendanceSettings.__table__  # type: ignore[attr-defined]
        assert conn.execute(sa.select(table.c.data)).scalar_one()["calendar_overrides"] == []
    may = OrgDayOverride(
        date=date(2023, 5, 4), kind="rest_day", name="青年节", source_doc="单位通知〔2023〕3号"
    )
    service.configure(CLERK, ORG, OrgSettings(region=XJ, calendar_overrides=(may,)))
    assert ReferenceService(engine).calendar(ORG).kind(date(2023, 5, 4)) is DayKind.REST_DAY
