"""Checks of the attendance conformance suite: behaviour through ``AttendanceService`` only.

Most checks use April 2023 in Xinjiang: 清明节 on Wednesday 5 April (national), 肉孜节 on Friday
21 April (regional), and Sunday 23 April worked for 劳动节 (a make-up workday, 调休); 19 workdays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from govparts.conformance import expect_equal, expect_raises, expect_true, verifies
from govparts.core.calendar import Day, DayKind, calendar_for, default_notices
from govparts.core.errors import (
    GovPartsError,
    GuardFailed,
    InvalidInput,
    InvalidRecord,
    NotFound,
    PermissionDenied,
    UnknownCode,
)
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

from .._errors import MonthLocked
from .._models import (
    DailyResult,
    DayStatus,
    Enrolment,
    LeaveRequestIn,
    OrgDayOverride,
    OrgSettings,
    Period,
    Punch,
    PunchCorrectionIn,
    Request,
    Shift,
    ShiftAssignment,
    Timetable,
    TripRequestIn,
)
from .._service import AttendanceService

BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
XJ = "650000"
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk"}), org=ORG)
BOSS = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=ORG)
BOSS2 = Actor(id="L002", name="处长", roles=frozenset({"approver"}), org=ORG)
OTHER = "12650100MB00000026"
"""A public institution (事业单位, registration category 12) in the same database."""
OTHER_CLERK = Actor(
    id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk", "approver"}), org=OTHER
)
DAY = Shift(
    code="DAY",
    name="常日班",
    timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),),
    grace_late_minutes=5,
    grace_early_minutes=5,
    half_day_minutes=240,
)


def _unit(code: str = "BGS") -> OrgUnitRef:
    return OrgUnitRef(
        organization_credit_code=ORG, unit_code=code, name={"BGS": "办公室", "CWK": "财务科"}[code]
    )


def _enrol(
    service: AttendanceService,
    person_id: str,
    first: date = date(2015, 3, 10),
    start: date = date(2023, 1, 1),
) -> None:
    names = {"E001": "阿依古丽·买买提", "E002": "王建国", "E003": "努尔艾力·吐尔逊"}
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(
                person_id=person_id, organization_credit_code=ORG, name=names.get(person_id, "李华")
            ),
            unit=_unit(),
            first_employment_date=first,
            start_date=start,
        ),
    )


def _office(service: AttendanceService, region: str | None = XJ, **settings: object) -> None:
    """Xinjiang office with the DAY shift for unit BGS and one person, E001."""
    service.configure(CLERK, ORG, OrgSettings.model_validate({"region": region, **settings}))
    service.define_shift(CLERK, ORG, DAY)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    _enrol(service, "E001")


def _at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), BJ)


def _punch(day: date, *times: tuple[int, int] | tuple[int, int, int], person: str = "E001") -> list[Punch]:
    return [Punch(person_id=person, punched_at=_at(day, *t)) for t in times]


def _day(service: AttendanceService, day: date, person: str = "E001") -> DailyResult:
    found = service.daily_results(CLERK, ORG, person, day, day)
    expect_equal(len(found), 1, what=f"expected one result for {day}, got {len(found)}")
    return found[0]


def _person_shift(service: AttendanceService, shift: Shift) -> None:
    service.define_shift(CLERK, ORG, shift)
    service.assign_shift(
        CLERK,
        ORG,
        ShiftAssignment(shift_code=shift.code, person_id="E001", valid_from=date(2023, 4, 1)),
    )


@verifies("ATT-001")
def reimporting_a_file_changes_nothing(service: AttendanceService) -> None:
    _office(service)
    data = (
        "person_id,punched_at,device\nE001,2023-04-03T09:10:00+08:00,D1\nE001,2023-04-03T18:00:00+08:00,D1\n"
    )
    first = service.import_punches(CLERK, ORG, data, "csv")
    before = _day(service, date(2023, 4, 3))
    again = service.import_punches(CLERK, ORG, data, "csv")
    expect_equal(
        (first.stored, again.stored, again.duplicates),
        (2, 0, 2),
        what="(first.stored, again.stored, again.duplicates)",
    )
    expect_equal(_day(service, date(2023, 4, 3)), before, what="_day(service, date(2023, 4, 3))")
    expect_equal(before.late_minutes, 10, what="before.late_minutes")


@verifies("ATT-002")
def reports_punches_of_people_not_enrolled(service: AttendanceService) -> None:
    _office(service)
    report = service.record_punches(
        CLERK, ORG, _punch(date(2023, 4, 3), (9, 0), person="E404") + _punch(date(2023, 4, 3), (9, 0))
    )
    expect_equal(report.not_enrolled, ("E404",), what="report.not_enrolled")
    expect_equal(
        (report.not_enrolled_punches, report.stored),
        (1, 1),
        what="(report.not_enrolled_punches, report.stored)",
    )


@verifies("ATT-003")
def refuses_a_time_without_zone(service: AttendanceService) -> None:
    _office(service)
    data = "person_id,punched_at\nE001,2023-04-03T09:00:00+08:00\nE001,2023-04-03T18:00:00\n"
    with expect_raises(InvalidInput) as caught:
        service.import_punches(CLERK, ORG, data, "csv")
    err = caught.value
    fields = (
        [e.field for e in err.errors] if isinstance(err, InvalidRecord) else [getattr(err, "field", None)]
    )
    expect_true("punched_at" in fields, f"the error names {fields}, not punched_at")
    expect_equal(
        _day(service, date(2023, 4, 3)).status, DayStatus.ABSENT, what="part of a refused file was written"
    )


@verifies("ATT-004")
def late_grace_is_exact_to_the_minute(service: AttendanceService) -> None:
    _office(service)
    service.record_punches(
        CLERK,
        ORG,
        _punch(date(2023, 4, 3), (9, 5, 59), (18, 0)) + _punch(date(2023, 4, 4), (9, 6), (18, 0)),
    )
    on_time, late = _day(service, date(2023, 4, 3)), _day(service, date(2023, 4, 4))
    expect_equal(
        (on_time.status, on_time.late_minutes),
        (DayStatus.NORMAL, 0),
        what="(on_time.status, on_time.late_minutes)",
    )
    expect_equal(
        (late.status, late.late_minutes), (DayStatus.LATE, 6), what="(late.status, late.late_minutes)"
    )


@verifies("ATT-005")
def early_grace_is_exact_to_the_minute(service: AttendanceService) -> None:
    _office(service)
    service.record_punches(
        CLERK,
        ORG,
        _punch(date(2023, 4, 3), (9, 0), (17, 55)) + _punch(date(2023, 4, 4), (9, 0), (17, 54, 59)),
    )
    on_time, early = _day(service, date(2023, 4, 3)), _day(service, date(2023, 4, 4))
    expect_equal(
        (on_time.status, on_time.early_minutes),
        (DayStatus.NORMAL, 0),
        what="(on_time.status, on_time.early_minutes)",
    )
    expect_equal(
        (early.status, early.early_minutes),
        (DayStatus.LEFT_EARLY, 6),
        what="(early.status, early.early_minutes)",
    )


@verifies("ATT-006")
def a_makeup_workday_is_worked(service: AttendanceService) -> None:
    _office(service)
    sunday, saturday = _day(service, date(2023, 4, 23)), _day(service, date(2023, 4, 22))
    expect_equal(
        (sunday.day_kind, sunday.due, sunday.status),
        ("makeup_workday", True, DayStatus.ABSENT),
        what="(sunday.day_kind, sunday.due, sunday.status)",
    )
    expect_equal(
        (saturday.due, saturday.status), (False, DayStatus.REST_DAY), what="(saturday.due, saturday.status)"
    )


@verifies("ATT-007")
def a_statutory_holiday_is_not_due(service: AttendanceService) -> None:
    _office(service)
    qingming = _day(service, date(2023, 4, 5))
    expect_equal(
        (qingming.day_kind, qingming.due, qingming.status),
        ("holiday", False, DayStatus.HOLIDAY),
        what="(qingming.day_kind, qingming.due, qingming.status)",
    )


@verifies("ATT-008")
def regional_holidays_follow_the_region(service: AttendanceService) -> None:
    _office(service)
    eid = _day(service, date(2023, 4, 21))
    expect_equal((eid.status, eid.due), (DayStatus.HOLIDAY, False), what="(eid.status, eid.due)")
    service.configure(CLERK, ORG, OrgSettings(region=None))
    national = _day(service, date(2023, 4, 21))
    expect_equal(
        (national.status, national.due), (DayStatus.ABSENT, True), what="(national.status, national.due)"
    )


SPLIT = Shift(
    code="XJ-SPLIT",
    name="新疆两段班",
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
)


@verifies("ATT-009")
def split_shift_needs_four_punches(service: AttendanceService) -> None:
    _office(service)
    _person_shift(service, SPLIT)
    service.record_punches(
        CLERK,
        ORG,
        _punch(date(2023, 4, 3), (9, 58), (14, 1), (15, 27), (19, 32))
        + _punch(date(2023, 4, 4), (10, 0), (19, 30)),
    )
    full, gap = _day(service, date(2023, 4, 3)), _day(service, date(2023, 4, 4))
    expect_equal(
        (full.status, full.worked_minutes, full.missing_punches),
        (DayStatus.NORMAL, 480, 0),
        what="(full.status, full.worked_minutes, full.missing_punches)",
    )
    expect_equal(
        (gap.status, gap.missing_punches),
        (DayStatus.MISSING_PUNCH, 2),
        what="(gap.status, gap.missing_punches)",
    )


@verifies("ATT-010")
def seasonal_hours_switch_on_their_date(service: AttendanceService) -> None:
    _office(service)
    _person_shift(service, SPLIT)
    winter = ((10, 0), (14, 0), (15, 30), (19, 30))
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 28), *winter) + _punch(date(2023, 5, 4), *winter))
    april, may = _day(service, date(2023, 4, 28)), _day(service, date(2023, 5, 4))
    expect_equal(april.status, DayStatus.NORMAL, what="april.status")
    expect_equal(
        (may.status, may.early_minutes), (DayStatus.LEFT_EARLY, 30), what="(may.status, may.early_minutes)"
    )


@verifies("ATT-011")
def cross_midnight_duty_counts_for_its_first_day(service: AttendanceService) -> None:
    _office(service)
    night = Shift(
        code="NIGHT",
        name="夜间值班",
        kind="duty",
        timetables=(Timetable(periods=(Period(start=time(20), end=time(8)),)),),
    )
    _person_shift(service, night)
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (19, 55)) + _punch(date(2023, 4, 4), (8, 1)))
    duty = _day(service, date(2023, 4, 3))
    expect_equal(
        (duty.status, duty.worked_minutes, duty.early_minutes),
        (DayStatus.NORMAL, 720, 0),
        what="(duty.status, duty.worked_minutes, duty.early_minutes)",
    )


@verifies("ATT-012")
def flexible_shift_keeps_core_hours(service: AttendanceService) -> None:
    _office(service)
    flex = Shift(
        code="FLEX",
        name="弹性班",
        kind="flexible",
        timetables=(Timetable(periods=(Period(start=time(7, 30), end=time(20)),)),),
        core_start=time(10),
        core_end=time(15),
        required_minutes=480,
    )
    _person_shift(service, flex)
    service.record_punches(
        CLERK,
        ORG,
        _punch(date(2023, 4, 3), (8, 0), (16, 0))
        + _punch(date(2023, 4, 4), (10, 1), (18, 30))
        + _punch(date(2023, 4, 6), (8, 0), (15, 30)),
    )
    ok, late, short = (_day(service, date(2023, 4, d)) for d in (3, 4, 6))
    expect_equal(ok.status, DayStatus.NORMAL, what="ok.status")
    expect_equal(
        (late.status, late.late_minutes), (DayStatus.LATE, 1), what="(late.status, late.late_minutes)"
    )
    expect_equal(
        (short.status, short.early_minutes),
        (DayStatus.LEFT_EARLY, 30),
        what="(short.status, short.early_minutes)",
    )


@verifies("ATT-013")
def a_workday_without_punches_is_absent(service: AttendanceService) -> None:
    _office(service)
    day = _day(service, date(2023, 4, 3))
    expect_equal(
        (day.status, day.absent_days, day.due),
        (DayStatus.ABSENT, Decimal(1), True),
        what="(day.status, day.absent_days, day.due)",
    )


@verifies("ATT-014")
def short_days_count_half_absent(service: AttendanceService) -> None:
    _office(service)
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (9, 0), (12, 0)))
    day = _day(service, date(2023, 4, 3))
    expect_equal(
        (day.status, day.absent_days),
        (DayStatus.HALF_DAY_ABSENT, Decimal("0.5")),
        what="(day.status, day.absent_days)",
    )


@verifies("ATT-015")
def overtime_is_recorded_by_kind(service: AttendanceService) -> None:
    _office(service)
    service.record_punches(
        CLERK,
        ORG,
        _punch(date(2023, 4, 3), (9, 0), (19, 0))
        + _punch(date(2023, 4, 8), (10, 0), (14, 0))
        + _punch(date(2023, 4, 5), (9, 0), (12, 0)),
    )
    work, rest, holiday = (_day(service, date(2023, 4, d)) for d in (3, 8, 5))
    expect_equal(
        (work.overtime_kind, work.overtime_minutes),
        ("workday", 60),
        what="(work.overtime_kind, work.overtime_minutes)",
    )
    expect_equal(
        (rest.overtime_kind, rest.overtime_minutes),
        ("rest_day", 240),
        what="(rest.overtime_kind, rest.overtime_minutes)",
    )
    expect_equal(
        (holiday.overtime_kind, holiday.overtime_minutes),
        ("statutory_holiday", 180),
        what="(holiday.overtime_kind, holiday.overtime_minutes)",
    )


@verifies("ATT-016")
def results_follow_the_data_without_sync(service: AttendanceService) -> None:
    _office(service)
    expect_equal(
        _day(service, date(2023, 4, 3)).status,
        DayStatus.ABSENT,
        what="_day(service, date(2023, 4, 3)).status",
    )
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (9, 0), (18, 0)))
    expect_equal(
        _day(service, date(2023, 4, 3)).status,
        DayStatus.NORMAL,
        what="_day(service, date(2023, 4, 3)).status",
    )
    leave = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="sick", start_date=date(2023, 4, 4), end_date=date(2023, 4, 4)
        ),
    )
    expect_equal(
        _day(service, date(2023, 4, 4)).status, DayStatus.ABSENT, what="a submitted leave already counts"
    )
    service.approve(BOSS, ORG, leave.id)
    day = _day(service, date(2023, 4, 4))
    expect_equal((day.status, day.leave_type), (DayStatus.LEAVE, "sick"), what="(day.status, day.leave_type)")


@verifies("ATT-017")
def annual_leave_thresholds_on_their_exact_dates(service: AttendanceService) -> None:
    _office(service)
    _enrol(service, "E002", first=date(2005, 7, 1), start=date(2020, 6, 1))
    _enrol(service, "E003", first=date(2024, 5, 6), start=date(2024, 5, 6))
    cases = [
        ("E001", date(2025, 3, 9), 5),
        ("E001", date(2025, 3, 10), 10),
        ("E002", date(2025, 6, 30), 10),
        ("E002", date(2025, 7, 1), 15),
        ("E003", date(2025, 5, 5), 0),
        ("E003", date(2025, 5, 6), 5),
    ]
    for person, on, days in cases:
        got = service.leave_balance(CLERK, ORG, person, on.year, leave_type="annual", on=on).entitled
        expect_equal(got, days, what=f"{person} on {on}: expected {days} days, got {got}")


@verifies("ATT-018")
def annual_leave_counts_workdays(service: AttendanceService) -> None:
    _office(service)
    week = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="annual", start_date=date(2023, 4, 3), end_date=date(2023, 4, 7)
        ),
    )
    eid = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="annual", start_date=date(2023, 4, 21), end_date=date(2023, 4, 23)
        ),
    )
    expect_equal(week.days, 4, what=f"3-7 April 2023 holds 清明节: expected 4 days, got {week.days}")
    expect_equal(
        eid.days,
        1,
        what=f"21-23 April 2023 in Xinjiang: 肉孜节, Saturday, make-up Sunday: expected 1, got {eid.days}",
    )


@verifies("ATT-019")
def refuses_leave_beyond_the_balance(service: AttendanceService) -> None:
    _office(service)
    with expect_raises(GuardFailed, field="days"):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="annual",
                start_date=date(2023, 4, 10),
                end_date=date(2023, 4, 17),
            ),
        )
    balance = service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual", on=date(2023, 4, 10))
    expect_equal(
        (balance.entitled, balance.taken, balance.pending, balance.remaining),
        (5, 0, 0, 5),
        what="(balance.entitled, balance.taken, balance.pending, balance.remaining)",
    )


@verifies("ATT-020")
def refuses_overlapping_requests(service: AttendanceService) -> None:
    _office(service)
    service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 10), end_date=date(2023, 4, 11)
        ),
    )
    with expect_raises(GuardFailed, field="start_date"):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001", leave_type="sick", start_date=date(2023, 4, 11), end_date=date(2023, 4, 12)
            ),
        )
    with expect_raises(GuardFailed, field="start_date"):
        service.request_trip(
            CLERK,
            ORG,
            TripRequestIn(person_id="E001", start_date=date(2023, 4, 11), end_date=date(2023, 4, 11)),
        )


@verifies("ATT-021")
def approved_leave_shows_and_cancelled_leave_goes(service: AttendanceService) -> None:
    _office(service)
    leave = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="annual", start_date=date(2023, 4, 10), end_date=date(2023, 4, 11)
        ),
    )
    service.approve(BOSS, ORG, leave.id)
    day = _day(service, date(2023, 4, 10))
    expect_equal(
        (day.status, day.leave_type), (DayStatus.LEAVE, "annual"), what="(day.status, day.leave_type)"
    )
    expect_equal(
        service.cancel(CLERK, ORG, leave.id).state,
        "cancelled",
        what="service.cancel(CLERK, ORG, leave.id).state",
    )
    expect_equal(
        _day(service, date(2023, 4, 10)).status,
        DayStatus.ABSENT,
        what="_day(service, date(2023, 4, 10)).status",
    )
    expect_equal(
        service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual").taken,
        0,
        what='service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual").taken',
    )


@verifies("ATT-022")
def two_level_approval_and_separation_of_duties(service: AttendanceService) -> None:
    _office(service, two_level_approval=True)
    made = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 10), end_date=date(2023, 4, 10)
        ),
    )
    expect_equal(
        service.approve(BOSS, ORG, made.id).state,
        "first_approved",
        what="service.approve(BOSS, ORG, made.id).state",
    )
    expect_equal(
        _day(service, date(2023, 4, 10)).status, DayStatus.ABSENT, what="counted after the first level only"
    )
    expect_equal(
        service.approve(BOSS2, ORG, made.id).state,
        "approved",
        what="service.approve(BOSS2, ORG, made.id).state",
    )
    self_approver = Actor(
        id="E001", name="阿依古丽·买买提", roles=frozenset({"employee", "approver"}), org=ORG
    )
    own = service.request_leave(
        self_approver,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 12), end_date=date(2023, 4, 12)
        ),
    )
    with expect_raises(PermissionDenied):
        service.approve(self_approver, ORG, own.id)


@verifies("ATT-023")
def maternity_leave_in_xinjiang(service: AttendanceService) -> None:
    _office(service)
    with expect_raises(GuardFailed):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="maternity",
                start_date=date(2023, 4, 3),
                end_date=date(2023, 9, 8),
            ),
        )
    made = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="maternity", start_date=date(2023, 4, 3), end_date=date(2023, 9, 7)
        ),
    )
    expect_equal(made.days, 158, what="made.days")


@verifies("ATT-024")
def long_sick_leave_cancels_annual_leave(service: AttendanceService) -> None:
    _office(service)
    _enrol(service, "E002")
    for person, end in (("E001", date(2023, 3, 3)), ("E002", date(2023, 3, 2))):
        sick = service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(person_id=person, leave_type="sick", start_date=date(2023, 1, 3), end_date=end),
        )
        service.approve(BOSS, ORG, sick.id)
    sixty, fifty_nine = (
        service.leave_balance(CLERK, ORG, "E001", 2023),
        service.leave_balance(CLERK, ORG, "E002", 2023),
    )
    expect_equal((sixty.cancelled, sixty.entitled), (True, 0), what="(sixty.cancelled, sixty.entitled)")
    expect_equal(
        (fifty_nine.cancelled, fifty_nine.entitled),
        (False, 5),
        what="(fifty_nine.cancelled, fifty_nine.entitled)",
    )


@verifies("ATT-025")
def trips_and_outings_show_and_count_present(service: AttendanceService) -> None:
    _office(service)
    trip = service.request_trip(
        CLERK,
        ORG,
        TripRequestIn(
            person_id="E001", start_date=date(2023, 4, 10), end_date=date(2023, 4, 11), destination="喀什"
        ),
    )
    outing = service.request_trip(
        CLERK,
        ORG,
        TripRequestIn(
            person_id="E001", kind="official_outing", start_date=date(2023, 4, 12), end_date=date(2023, 4, 12)
        ),
    )
    service.approve(BOSS, ORG, trip.id)
    service.approve(BOSS, ORG, outing.id)
    expect_equal(
        _day(service, date(2023, 4, 10)).status,
        DayStatus.BUSINESS_TRIP,
        what="_day(service, date(2023, 4, 10)).status",
    )
    expect_equal(
        _day(service, date(2023, 4, 12)).status,
        DayStatus.OFFICIAL_OUTING,
        what="_day(service, date(2023, 4, 12)).status",
    )
    summary = service.month_summary(CLERK, ORG, "E001", 2023, 4)
    expect_equal(
        (summary.business_trip_days, summary.official_outing_days, summary.days_present),
        (
            2,
            1,
            Decimal(3),
        ),
        what="(summary.business_trip_days, summary.official_outing_days, summary.days_present)",
    )


@verifies("ATT-026")
def punch_corrections_count_and_are_limited(service: AttendanceService) -> None:
    _office(service, corrections_per_month=1)
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (18, 0)))
    expect_equal(
        _day(service, date(2023, 4, 3)).status,
        DayStatus.MISSING_PUNCH,
        what="_day(service, date(2023, 4, 3)).status",
    )
    fix = service.request_correction(
        CLERK,
        ORG,
        PunchCorrectionIn(person_id="E001", punched_at=_at(date(2023, 4, 3), 8, 58), reason="设备故障"),
    )
    service.approve(BOSS, ORG, fix.id)
    expect_equal(
        _day(service, date(2023, 4, 3)).status,
        DayStatus.NORMAL,
        what="_day(service, date(2023, 4, 3)).status",
    )
    with expect_raises(GuardFailed, field="punched_at"):
        service.request_correction(
            CLERK,
            ORG,
            PunchCorrectionIn(person_id="E001", punched_at=_at(date(2023, 4, 20), 9, 0), reason="忘记打卡"),
        )


def _april_of_e001(service: AttendanceService) -> None:
    days = [d for d in (date(2023, 4, n) for n in range(1, 31)) if _day(service, d).due]
    punches: list[Punch] = []
    for d in days:
        if d == date(2023, 4, 3):
            punches += _punch(d, (9, 10), (18, 0))
        elif d not in (date(2023, 4, 4), date(2023, 4, 10), date(2023, 4, 11)):
            punches += _punch(d, (8, 55), (18, 2))
    service.record_punches(CLERK, ORG, punches)
    leave = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="annual", start_date=date(2023, 4, 10), end_date=date(2023, 4, 11)
        ),
    )
    service.approve(BOSS, ORG, leave.id)


@verifies("ATT-027")
def month_summary_counts_the_month(service: AttendanceService) -> None:
    _office(service)
    _april_of_e001(service)
    s = service.month_summary(CLERK, ORG, "E001", 2023, 4)
    got = (s.days_due, s.days_present, s.late_count, s.late_minutes, s.absent_days, s.leave_days)
    expect_equal(got, (19, Decimal(16), 1, 10, Decimal(1), {"annual": 2}), what="got")


@verifies("ATT-028")
def a_closed_month_is_locked(service: AttendanceService) -> None:
    _office(service)
    service.close_month(CLERK, ORG, 2023, 4)
    with expect_raises(MonthLocked):
        service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (9, 0), (18, 0)))
    with expect_raises(MonthLocked):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001", leave_type="sick", start_date=date(2023, 4, 28), end_date=date(2023, 5, 4)
            ),
        )
    with expect_raises(MonthLocked):
        service.close_month(CLERK, ORG, 2023, 4)
    expect_equal(_day(service, date(2023, 4, 3)).status, DayStatus.ABSENT, what="a refused punch was written")
    expect_true(service.is_month_closed(CLERK, ORG, 2023, 4), "service.is_month_closed(CLERK, ORG, 2023, 4)")
    expect_true(
        not service.is_month_closed(CLERK, ORG, 2023, 5), "not service.is_month_closed(CLERK, ORG, 2023, 5)"
    )
    expect_equal(
        service.record_punches(CLERK, ORG, _punch(date(2023, 5, 4), (9, 0))).stored,
        1,
        what="service.record_punches(CLERK, ORG, _punch(date(2023, 5, 4), (9, 0))).stored",
    )


@verifies("ATT-029")
def closing_returns_every_persons_summary(service: AttendanceService) -> None:
    _office(service)
    _enrol(service, "E002")
    _april_of_e001(service)
    closed = service.close_month(CLERK, ORG, 2023, 4)
    expect_equal(
        (closed.year, closed.month, closed.people),
        (2023, 4, 2),
        what="(closed.year, closed.month, closed.people)",
    )
    mine, theirs = closed.summary_of("E001"), closed.summary_of("E002")
    assert mine is not None
    assert theirs is not None
    expect_equal(
        (mine.days_due, mine.days_present, mine.leave_days),
        (19, Decimal(16), {"annual": 2}),
        what="(mine.days_due, mine.days_present, mine.leave_days)",
    )
    expect_equal(
        (theirs.days_due, theirs.absent_days), (19, Decimal(19)), what="(theirs.days_due, theirs.absent_days)"
    )
    assert closed.closed_at.utcoffset() is not None


@verifies("ATT-030")
def enrolment_follows_personnel_changes(service: AttendanceService) -> None:
    _office(service)
    _enrol(service, "E002")
    _enrol(service, "E001")
    service.end_enrolment(CLERK, ORG, "E001", date(2023, 4, 14))
    mine = service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))
    expect_equal(mine[-1].day, date(2023, 4, 14), what="mine[-1].day")
    expect_equal(len(mine), 14, what="len(mine)")
    service.transfer(CLERK, ORG, "E002", _unit("CWK"), date(2023, 4, 17))
    service.transfer(CLERK, ORG, "E002", _unit("CWK"), date(2023, 4, 17))
    before, after = _day(service, date(2023, 4, 14), "E002"), _day(service, date(2023, 4, 17), "E002")
    expect_equal(
        (before.unit_code, after.unit_code), ("BGS", "CWK"), what="(before.unit_code, after.unit_code)"
    )
    expect_equal(
        service.enrolment(CLERK, ORG, "E002").unit.unit_code,
        "CWK",
        what='service.enrolment(CLERK, ORG, "E002").unit.unit_code',
    )


@verifies("ATT-031")
def unit_summary_sums_its_people(service: AttendanceService) -> None:
    _office(service)
    _enrol(service, "E002")
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (9, 20), (18, 0)))
    unit = service.unit_summary(CLERK, ORG, "BGS", 2023, 4)
    got = (unit.people, unit.days_due, unit.absent_days, unit.late_count, unit.late_minutes)
    expect_equal(got, (2, 38, Decimal(37), 1, 20), what="got")


@verifies("ATT-032")
def rules_run_in_the_organisations_zone(service: AttendanceService) -> None:
    _office(service)
    service.record_punches(
        CLERK,
        ORG,
        [
            Punch(person_id="E001", punched_at=datetime(2023, 4, 3, 1, 0, tzinfo=UTC)),
            Punch(person_id="E001", punched_at=datetime(2023, 4, 3, 10, 0, tzinfo=UTC)),
        ],
    )
    day = _day(service, date(2023, 4, 3))
    expect_equal(
        (day.status, day.worked_minutes), (DayStatus.NORMAL, 540), what="(day.status, day.worked_minutes)"
    )


@verifies("ATT-033")
def refuses_an_unknown_leave_type(service: AttendanceService) -> None:
    _office(service)
    with expect_raises(UnknownCode, field="leave_type"):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="vacation",
                start_date=date(2023, 4, 3),
                end_date=date(2023, 4, 3),
            ),
        )


@verifies("ATT-034")
def marriage_leave_is_three_days_at_most(service: AttendanceService) -> None:
    _office(service)
    with expect_raises(GovPartsError):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="marriage",
                start_date=date(2023, 4, 10),
                end_date=date(2023, 4, 13),
            ),
        )
    made = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="marriage", start_date=date(2023, 4, 10), end_date=date(2023, 4, 12)
        ),
    )
    expect_equal(made.days, 3, what="made.days")


_OWN_DAYS = (
    OrgDayOverride(date=date(2023, 4, 3), kind="rest_day", name="停电检修", source_doc="单位通知〔2023〕1号"),
    OrgDayOverride(date=date(2023, 4, 8), kind="workday", name="集中办公", source_doc="单位通知〔2023〕2号"),
    OrgDayOverride(
        date=date(2023, 4, 11), kind="rest_day", name="停电检修", source_doc="单位通知〔2023〕1号"
    ),
)


@verifies("ATT-035")
def the_organisations_own_days_win(service: AttendanceService) -> None:
    _office(service)
    expect_equal(
        _day(service, date(2023, 4, 3)).status,
        DayStatus.ABSENT,
        what="_day(service, date(2023, 4, 3)).status",
    )
    pending = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="annual", start_date=date(2023, 4, 10), end_date=date(2023, 4, 12)
        ),
    )
    expect_equal(pending.days, 3, what="pending.days")
    service.configure(CLERK, ORG, OrgSettings(region=XJ, calendar_overrides=_OWN_DAYS))
    closed = _day(service, date(2023, 4, 3))
    expect_equal(
        (closed.day_kind, closed.due, closed.status),
        ("rest_day", False, DayStatus.REST_DAY),
        what="(closed.day_kind, closed.due, closed.status)",
    )
    worked = _day(service, date(2023, 4, 8))
    expect_equal(
        (worked.day_kind, worked.due, worked.status),
        ("makeup_workday", True, DayStatus.ABSENT),
        what="(worked.day_kind, worked.due, worked.status)",
    )
    recounted = service.get_request(CLERK, ORG, pending.id).days
    expect_equal(recounted, 2, what=f"10-12 April with 11 April closed: expected 2 days, got {recounted}")
    week = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="annual", start_date=date(2023, 4, 3), end_date=date(2023, 4, 7)
        ),
    )
    expect_equal(
        week.days, 3, what=f"3-7 April with 3 April closed and 清明节: expected 3 days, got {week.days}"
    )
    due = service.month_summary(CLERK, ORG, "E001", 2023, 4).days_due
    expect_equal(
        due,
        18,
        what=f"April 2023 in Xinjiang, two days closed and one Saturday worked: expected 18, got {due}",
    )
    service.cancel(CLERK, ORG, week.id)
    service.configure(CLERK, ORG, OrgSettings(region=XJ))
    back = _day(service, date(2023, 4, 3))
    expect_equal(
        (back.day_kind, back.due, back.status),
        ("workday", True, DayStatus.ABSENT),
        what="(back.day_kind, back.due, back.status)",
    )
    expect_equal(
        service.get_request(CLERK, ORG, pending.id).days, 3, what="removing the closure counts 11 April again"
    )


@verifies("ATT-036")
def one_organisations_attendance_never_touches_anothers(service: AttendanceService) -> None:
    _office(service)
    other_unit = OrgUnitRef(organization_credit_code=OTHER, unit_code="BGS", name="综合科")
    service.configure(OTHER_CLERK, OTHER, OrgSettings(region=XJ))
    service.define_shift(OTHER_CLERK, OTHER, DAY.model_copy(update={"grace_late_minutes": 0}))
    service.assign_shift(
        OTHER_CLERK,
        OTHER,
        ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1)),
    )
    service.enrol(
        OTHER_CLERK,
        OTHER,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=OTHER, name="王芳"),
            unit=other_unit,
            first_employment_date=date(2020, 9, 1),
            start_date=date(2023, 3, 1),
        ),
    )
    theirs = service.enrolment(OTHER_CLERK, OTHER, "E001")
    expect_equal(
        (theirs.person.name, theirs.start_date),
        ("王芳", date(2023, 3, 1)),
        what="(theirs.person.name, theirs.start_date)",
    )
    expect_equal(
        service.enrolment(CLERK, ORG, "E001").start_date,
        date(2023, 1, 1),
        what='service.enrolment(CLERK, ORG, "E001").start_date',
    )
    service.record_punches(CLERK, ORG, _punch(date(2023, 4, 3), (9, 3), (18, 0)))
    service.close_month(CLERK, ORG, 2023, 4)
    expect_true(not service.is_month_closed(OTHER_CLERK, OTHER, 2023, 4), "closed for the other organisation")
    stored = service.record_punches(OTHER_CLERK, OTHER, _punch(date(2023, 4, 3), (9, 3), (18, 0)))
    expect_equal((stored.stored, stored.not_enrolled), (2, ()), what="(stored.stored, stored.not_enrolled)")
    mine, their_day = (
        _day(service, date(2023, 4, 3)),
        service.daily_results(OTHER_CLERK, OTHER, "E001", date(2023, 4, 3), date(2023, 4, 3))[0],
    )
    expect_equal(
        (mine.status, mine.late_minutes), (DayStatus.NORMAL, 0), what="(mine.status, mine.late_minutes)"
    )
    expect_equal(
        (their_day.status, their_day.late_minutes),
        (DayStatus.LATE, 3),
        what="(their_day.status, their_day.late_minutes)",
    )
    leave = service.request_leave(
        OTHER_CLERK,
        OTHER,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 5, 8), end_date=date(2023, 5, 8)
        ),
    )
    for attempt in (
        lambda: service.get_request(OTHER_CLERK, ORG, leave.id),
        lambda: service.enrolment(OTHER_CLERK, ORG, "E001"),
        lambda: service.month_summaries(OTHER_CLERK, ORG, 2023, 4),
        lambda: service.record_punches(OTHER_CLERK, ORG, _punch(date(2023, 5, 4), (9, 0))),
        lambda: service.end_enrolment(OTHER_CLERK, ORG, "E001", date(2023, 5, 31)),
        lambda: service.close_month(OTHER_CLERK, ORG, 2023, 5),
    ):
        with expect_raises(PermissionDenied):
            attempt()
    with expect_raises(NotFound, field="request_id"):
        service.approve(BOSS, ORG, leave.id)
    expect_equal(
        service.get_request(OTHER_CLERK, OTHER, leave.id).state,
        "submitted",
        what="service.get_request(OTHER_CLERK, OTHER, leave.id).state",
    )
    expect_equal(service.enrolment(CLERK, ORG, "E001").end_date, None, what="another organisation ended it")
    expect_true(
        not service.is_month_closed(CLERK, ORG, 2023, 5), "not service.is_month_closed(CLERK, ORG, 2023, 5)"
    )
    expect_equal(
        [s.person_id for s in service.month_summaries(CLERK, ORG, 2023, 5)],
        ["E001"],
        what="[s.person_id for s in service.month_summaries(CLERK, ORG, 2023, 5)]",
    )


# -- overtime classes and compensatory rest (issue 22) ----------------------------------------------


def _expected_class(day: Day, regional_festival: str = "statutory_holiday") -> str:
    """Labour Law Art. 44 as the calendar marks the day: statutory days only are statutory_holiday."""
    if day.kind.is_workday:
        return "workday"
    if day.statutory:
        return "statutory_holiday"
    if day.kind is DayKind.HOLIDAY and day.level == "region" and day.date.weekday() < 5:
        return regional_festival
    return "rest_day"


def _published_years(region: str | None) -> list[int]:
    """The years the calendar publishes for ``region`` (the nation's, and the region's where declared)."""
    notices = default_notices()
    assert notices.national is not None
    years = set(notices.national.years)
    if region is not None:
        scope = notices.scopes.get(region[:2])
        if scope is not None:
            years &= set(scope.years)
    return sorted(years)


def _boundaries(days: list[Day]) -> tuple[set[date], dict[str, int]]:
    """The days on either side of every boundary of the year's blocks, and how many of each kind."""
    picked: set[date] = set()
    seen = {"statutory_next_to_moved": 0, "block_edge": 0, "makeup_workday": 0, "regional_weekday": 0}
    for i, day in enumerate(days):
        before = days[i - 1] if i else None
        after = days[i + 1] if i + 1 < len(days) else None
        if day.kind is DayKind.MAKEUP_WORKDAY:
            seen["makeup_workday"] += 1
            picked.update(d.date for d in (before, day, after) if d is not None)
        if day.kind is DayKind.HOLIDAY:
            if (
                before is None
                or before.kind is not DayKind.HOLIDAY
                or after is None
                or after.kind is not DayKind.HOLIDAY
            ):
                seen["block_edge"] += 1
                picked.update(d.date for d in (before, day, after) if d is not None)
            if after is not None and after.kind is DayKind.HOLIDAY and day.statutory != after.statutory:
                seen["statutory_next_to_moved"] += 1
                picked.update((day.date, after.date))
            if day.level == "region" and day.date.weekday() < 5:
                seen["regional_weekday"] += 1
                picked.add(day.date)
    return picked, seen


def _sweep(service: AttendanceService, org: str, clerk: Actor, region: str | None) -> int:
    """Work 09:00–19:00 on both sides of every boundary of every published year; check each class."""
    years = _published_years(region)
    expect_true(years, f"the calendar publishes no year for {region or 'the nation'}")
    service.configure(clerk, org, OrgSettings(region=region))
    service.define_shift(clerk, org, DAY)
    service.assign_shift(
        clerk, org, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(years[0], 1, 1))
    )
    service.enrol(
        clerk,
        org,
        Enrolment(
            person=PersonRef(person_id="E009", organization_credit_code=org, name="古丽娜尔·艾力"),
            unit=OrgUnitRef(organization_credit_code=org, unit_code="BGS", name="办公室"),
            first_employment_date=date(2010, 9, 1),
            start_date=date(years[0], 1, 1),
        ),
    )
    calendar = calendar_for(region)
    checked = regional = 0
    for year in years:
        days = list(calendar.days(date(year, 1, 1), date(year, 12, 31)))
        picked, seen = _boundaries(days)
        for boundary in ("block_edge", "statutory_next_to_moved", "makeup_workday"):
            expect_true(seen[boundary], "seen[boundary]", expected=True, observed=(year, boundary, seen))
        regional += seen["regional_weekday"]
        punches = [p for d in sorted(picked) for p in _punch(d, (9, 0), (19, 0), person="E009")]
        service.record_punches(clerk, org, punches)
        results = {
            r.day: r for r in service.daily_results(clerk, org, "E009", date(year, 1, 1), date(year, 12, 31))
        }
        by_date = {d.date: d for d in days}
        for when in sorted(picked):
            if when.year != year:
                continue
            day, got = by_date[when], results[when]
            want = _expected_class(day)
            minutes = 60 if want == "workday" else 600
            expect_equal(
                (got.overtime_kind, got.overtime_minutes),
                (want, minutes),
                what=f"{when} ({day.kind.value}, statutory={day.statutory}, {region or 'national'}): "
                f"expected {want} {minutes}, got {got.overtime_kind} {got.overtime_minutes}",
            )
            checked += 1
    expect_true(region is None or regional, f"no regional festival weekday off in {years}")
    return checked


@verifies("ATT-037")
def overtime_classes_follow_the_calendar_in_every_published_year(service: AttendanceService) -> None:
    national = _sweep(service, ORG, CLERK, None)
    xinjiang = _sweep(service, OTHER, OTHER_CLERK, XJ)
    expect_true(national > 100, "national > 100", expected=True, observed=national)
    expect_true(xinjiang > 60, "xinjiang > 60", expected=True, observed=xinjiang)


@verifies("ATT-037")
def the_2025_spring_festival_and_national_day_as_the_notice_sets_them(service: AttendanceService) -> None:
    """国办发明电〔2024〕12号: Spring Festival 1-28..2-4 (statutory 1-28..1-31), 1-26 and 2-8 worked;
    National Day and Mid-Autumn 10-1..10-8 (statutory 10-1..10-3 and 10-6), 9-28 and 10-11 worked."""
    _office(service, region=None)
    worked = [
        date(2025, 1, 26), date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 31), date(2025, 2, 1),
        date(2025, 2, 4), date(2025, 2, 5), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 3),
        date(2025, 10, 4), date(2025, 10, 6), date(2025, 10, 8), date(2025, 10, 11),
    ]  # fmt: skip
    service.record_punches(CLERK, ORG, [p for d in worked for p in _punch(d, (9, 0), (19, 0))])
    got = {d: _day(service, d).overtime_kind for d in worked}
    want = {
        date(2025, 1, 26): "workday", date(2025, 1, 27): "workday", date(2025, 1, 28): "statutory_holiday",
        date(2025, 1, 31): "statutory_holiday", date(2025, 2, 1): "rest_day", date(2025, 2, 4): "rest_day",
        date(2025, 2, 5): "workday", date(2025, 2, 8): "workday", date(2025, 9, 28): "workday",
        date(2025, 10, 3): "statutory_holiday", date(2025, 10, 4): "rest_day",
        date(2025, 10, 6): "statutory_holiday", date(2025, 10, 8): "rest_day", date(2025, 10, 11): "workday",
    }  # fmt: skip
    expect_equal(got, want, what="got")


@verifies("ATT-038")
def regional_festivals_are_classed_as_the_organisation_says(service: AttendanceService) -> None:
    _office(service)
    festival = [date(2025, 3, 29), date(2025, 3, 31), date(2025, 6, 6), date(2025, 6, 9)]
    service.record_punches(CLERK, ORG, [p for d in festival for p in _punch(d, (10, 0), (14, 0))])
    default = [_day(service, d).overtime_kind for d in festival]
    expect_equal(
        default, ["rest_day", "statutory_holiday", "statutory_holiday", "statutory_holiday"], what="default"
    )
    service.configure(CLERK, ORG, OrgSettings(region=XJ, regional_festival_overtime="rest_day"))
    configured = [_day(service, d).overtime_kind for d in festival]
    expect_equal(configured, ["rest_day"] * 4, what="configured")


def _rest_office(service: AttendanceService, **settings: object) -> None:
    """A national-calendar office; E001 works 09:00–17:00 on 2025-02-01 and 02-02 (moved rest days,
    480 minutes each) and on 01-29 (a statutory day of the Spring Festival)."""
    _office(service, region=None, **settings)
    service.record_punches(
        CLERK,
        ORG,
        [
            p
            for d in (date(2025, 1, 29), date(2025, 2, 1), date(2025, 2, 2))
            for p in _punch(d, (9, 0), (17, 0))
        ],
    )


def _rest_leave(service: AttendanceService, start: date, end: date) -> Request:
    return service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(person_id="E001", leave_type="compensatory_rest", start_date=start, end_date=end),
    )


@verifies("ATT-039")
def rest_day_overtime_credits_time_off_and_statutory_overtime_is_paid(service: AttendanceService) -> None:
    _rest_office(service)
    credited = service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 2, 1))
    expect_equal(
        (credited.credited_minutes, credited.remaining_minutes),
        (480, 480),
        what="(credited.credited_minutes, credited.remaining_minutes)",
    )
    with expect_raises(GuardFailed, field="day"):
        service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 2, 1))
    with expect_raises(GuardFailed, field="day"):
        service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 1, 29))
    with expect_raises(GuardFailed, field="day"):
        service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 2, 5))
    after = service.compensatory_rest(CLERK, ORG, "E001", date(2025, 2, 28))
    expect_equal(
        (after.credited_minutes, after.remaining_minutes),
        (480, 480),
        what="(after.credited_minutes, after.remaining_minutes)",
    )


@verifies("ATT-040")
def compensatory_rest_leave_debits_the_balance_until_it_expires(service: AttendanceService) -> None:
    _rest_office(service, compensatory_rest_valid_days=30)
    for worked in (date(2025, 2, 1), date(2025, 2, 2)):
        service.grant_compensatory_rest(BOSS, ORG, "E001", worked)
    first = _rest_leave(service, date(2025, 2, 10), date(2025, 2, 10))
    with expect_raises(GuardFailed, field="days"):
        _rest_leave(service, date(2025, 2, 11), date(2025, 2, 12))
    service.approve(BOSS, ORG, first.id)
    taken = service.compensatory_rest(CLERK, ORG, "E001", date(2025, 2, 10))
    expect_equal(
        (taken.taken_minutes, taken.remaining_minutes),
        (480, 480),
        what="(taken.taken_minutes, taken.remaining_minutes)",
    )
    last = service.compensatory_rest(CLERK, ORG, "E001", date(2025, 3, 4))
    gone = service.compensatory_rest(CLERK, ORG, "E001", date(2025, 3, 5))
    expect_equal(
        (last.remaining_minutes, last.next_expiry),
        (480, date(2025, 3, 4)),
        what="(last.remaining_minutes, last.next_expiry)",
    )
    expect_equal(
        (gone.remaining_minutes, gone.expired_minutes),
        (0, 480),
        what="(gone.remaining_minutes, gone.expired_minutes)",
    )
    with expect_raises(GuardFailed, field="days"):
        _rest_leave(service, date(2025, 3, 5), date(2025, 3, 5))
    on_the_last_day = _rest_leave(service, date(2025, 3, 4), date(2025, 3, 4))
    expect_equal(on_the_last_day.state, "submitted", what="on_the_last_day.state")


@verifies("ATT-041")
def month_close_reports_overtime_by_class_and_the_balance_moves(service: AttendanceService) -> None:
    _rest_office(service, compensatory_rest_valid_days=30)
    for worked in (date(2025, 2, 1), date(2025, 2, 2)):
        service.grant_compensatory_rest(BOSS, ORG, "E001", worked)
    service.approve(BOSS, ORG, _rest_leave(service, date(2025, 2, 10), date(2025, 2, 10)).id)
    january = service.close_month(CLERK, ORG, 2025, 1).summary_of("E001")
    assert january is not None
    expect_equal(
        january.overtime_minutes.get("statutory_holiday"),
        480,
        what='january.overtime_minutes.get("statutory_holiday")',
    )
    february = service.close_month(CLERK, ORG, 2025, 2).summary_of("E001")
    assert february is not None
    expect_equal(
        february.overtime_minutes.get("rest_day"), 960, what='february.overtime_minutes.get("rest_day")'
    )
    moves = (
        february.compensatory_rest_opening_minutes,
        february.compensatory_rest_credited_minutes,
        february.compensatory_rest_taken_minutes,
        february.compensatory_rest_expired_minutes,
        february.compensatory_rest_closing_minutes,
    )
    expect_equal(moves, (0, 960, 480, 0, 480), what="moves")
    march = service.month_summary(CLERK, ORG, "E001", 2025, 3)
    moved = (march.compensatory_rest_opening_minutes, march.compensatory_rest_expired_minutes)
    expect_equal(
        (moved, march.compensatory_rest_closing_minutes),
        ((480, 480), 0),
        what="(moved, march.compensatory_rest_closing_minutes)",
    )
