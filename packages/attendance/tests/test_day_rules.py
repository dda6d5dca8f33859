"""Judging a day: grace to the minute, split and seasonal hours, cross-midnight duty, flexible hours."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from govparts.attendance import DayStatus, OvertimeKind, Period, Shift, Timetable, evaluate_day
from govparts.core.calendar import DayKind
from govparts.core.errors import GovPartsError

BJ = ZoneInfo("Asia/Shanghai")
MON = date(2025, 6, 16)
DAY = Shift(
    code="DAY",
    name="常日班",
    timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),),
    grace_late_minutes=5,
    grace_early_minutes=5,
    half_day_minutes=240,
)
XJ = Shift(
    code="XJ",
    name="新疆作息",
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
)


def _at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), BJ)


@pytest.mark.parametrize(
    ("arrival", "status", "late"),
    [((9, 5, 0), "normal", 0), ((9, 5, 59), "normal", 0), ((9, 6, 0), "late", 6), ((8, 0, 0), "normal", 0)],
)
def test_late_grace_boundaries(arrival: tuple[int, int, int], status: str, late: int) -> None:
    """Treats 09:05:59 as 09:05 (on time with 5 minutes' grace) and 09:06 as 6 minutes late."""
    result = evaluate_day(MON, DayKind.WORKDAY, DAY, [_at(MON, *arrival), _at(MON, 18)])
    assert (result.status.value, result.late_minutes) == (status, late)


@pytest.mark.parametrize(("leave", "status", "early"), [((17, 55), "normal", 0), ((17, 54), "left_early", 6)])
def test_early_grace_boundaries(leave: tuple[int, int], status: str, early: int) -> None:
    """Treats 17:55 as on time and 17:54 as 6 minutes early with 5 minutes' grace."""
    result = evaluate_day(MON, DayKind.WORKDAY, DAY, [_at(MON, 9), _at(MON, *leave)])
    assert (result.status.value, result.early_minutes) == (status, early)


def test_seasonal_timetable_switches_on_its_date() -> None:
    """Uses winter hours through 30 April and summer hours from 1 May, winter again from 1 October."""
    assert XJ.timetable_on(date(2025, 4, 30)).starts_on == "10-01"
    assert XJ.timetable_on(date(2025, 5, 1)).starts_on == "05-01"
    assert XJ.timetable_on(date(2025, 9, 30)).starts_on == "05-01"
    assert XJ.timetable_on(date(2025, 10, 1)).starts_on == "10-01"


def test_split_shift_with_four_punches_is_normal() -> None:
    """Judges each half of a split shift by its own punches, the break window split in the middle."""
    punches = [_at(MON, 9, 58), _at(MON, 14, 1), _at(MON, 15, 59), _at(MON, 20, 2)]
    result = evaluate_day(MON, DayKind.WORKDAY, XJ, punches)
    assert (result.status, result.worked_minutes) == (DayStatus.NORMAL, 480)


def test_split_shift_late_after_lunch() -> None:
    """Counts lateness after the midday break."""
    punches = [_at(MON, 10), _at(MON, 14), _at(MON, 16, 12), _at(MON, 20)]
    result = evaluate_day(MON, DayKind.WORKDAY, XJ, punches)
    assert (result.status, result.late_minutes) == (DayStatus.LATE, 12)


def test_cross_midnight_duty() -> None:
    """Counts the 08:00 punch of the next morning for the duty that began at 20:00."""
    duty = Shift(
        code="N",
        name="值班",
        kind="duty",
        timetables=(Timetable(periods=(Period(start=time(20), end=time(8)),)),),
    )
    nxt = date(2025, 6, 17)
    result = evaluate_day(MON, DayKind.WORKDAY, duty, [_at(MON, 19, 50), _at(nxt, 8, 0)])
    assert (result.status, result.worked_minutes) == (DayStatus.NORMAL, 720)
    holiday = evaluate_day(
        MON,
        DayKind.HOLIDAY,
        duty,
        [_at(MON, 19, 50), _at(nxt, 8, 0)],
        off_class=OvertimeKind.STATUTORY_HOLIDAY,
    )
    assert (holiday.due, holiday.overtime_kind, holiday.overtime_minutes) == (True, "statutory_holiday", 720)


def test_no_punch_half_day_and_missing() -> None:
    """Tells absent (no punch), half a day (under 4 hours) and a missing punch apart."""
    assert evaluate_day(MON, DayKind.WORKDAY, DAY, []).absent_half_days == 2
    half = evaluate_day(MON, DayKind.WORKDAY, DAY, [_at(MON, 9), _at(MON, 12)])
    assert (half.status, half.absent_half_days) == (DayStatus.HALF_DAY_ABSENT, 1)
    one = evaluate_day(MON, DayKind.WORKDAY, DAY, [_at(MON, 9)])
    assert (one.status, one.missing_punches) == (DayStatus.MISSING_PUNCH, 1)


def test_rest_day_and_holiday_overtime() -> None:
    """Records punches on rest days and holidays as overtime of that kind; leave wins over punches."""
    sat = date(2025, 6, 14)
    rest = evaluate_day(sat, DayKind.REST_DAY, DAY, [_at(sat, 9), _at(sat, 12)])
    assert (rest.status, rest.overtime_kind, rest.overtime_minutes) == (DayStatus.REST_DAY, "rest_day", 180)
    leave = evaluate_day(MON, DayKind.WORKDAY, DAY, [_at(MON, 9)], absence=(DayStatus.LEAVE, "annual"))
    assert (leave.status, leave.leave_type) == (DayStatus.LEAVE, "annual")


def test_unscheduled_workday() -> None:
    """Marks a workday with no shift as unscheduled, not absent."""
    assert evaluate_day(MON, DayKind.WORKDAY, None, []).status is DayStatus.UNSCHEDULED


def test_bad_shifts_are_refused() -> None:
    """Refuses a day shift crossing midnight and a flexible shift without core hours."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Shift(code="X", name="x", timetables=(Timetable(periods=(Period(start=time(20), end=time(8)),)),))
    with pytest.raises(ValidationError):
        Shift(
            code="F",
            name="f",
            kind="flexible",
            timetables=(Timetable(periods=(Period(start=time(7), end=time(20)),)),),
        )
    with pytest.raises((ValidationError, GovPartsError)):
        Timetable(starts_on="13-01", periods=(Period(start=time(9), end=time(18)),))
